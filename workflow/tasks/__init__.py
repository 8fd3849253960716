"""Tasks: one responsibility, for one unit, in one period, and everything done to it.

- ``models``: ``Task``, ``TaskEventRecord`` (the append-only history), ``Report`` with its
  ``ReportFile`` evidence and ``TargetFigure`` figures, ``Comment``;
- ``states`` and ``machine``: the states, events and the one shared state machine;
- ``deadlines``: on time, late, overdue and not yet due, in Python and in SQL;
- ``operations``: one function per thing a person does to a task (start, report, approve,
  return, reopen, comment);
- ``queries``: lists of tasks and a task's page; ``review``: the review queue and bulk
  approval; ``evidence``: the files attached to reports.
"""
