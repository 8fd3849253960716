"""Plans as their files say them, and the tasks they create.

- ``models``: ``Plan``, ``Section``, ``Responsibility`` (with its lead and coordinating units),
  ``Target``;
- ``schema`` (the shape of a plan file), ``yaml_reader`` (YAML 1.2 with the line of every key),
  ``checks`` (cross-references and periods; every mistake located as ``FILE:LINE: field``);
- ``store``: loading a checked plan, idempotently, without touching task history;
- ``opening``: opening a quarter (one task per responsibility, lead unit and phase);
- ``operations`` (an administrator loads a file, opens a quarter) and ``queries``.
"""
