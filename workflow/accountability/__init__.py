"""Accountability by unit head: figures counted by the database.

- ``measures``: what each figure counts, one SQL condition each;
- ``figures``: the rows and rates; ``queries``: by unit, by quarter, the tasks behind a figure;
- ``sorting``: worst first, or by any column; ``overview``: each responsibility's progress.
"""
