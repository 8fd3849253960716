"""The last guard against two people acting at once: the state changes by compare-and-set on
the version (``UPDATE ... WHERE id = ? AND version = ?``), so a change made between reading the
task and writing it is never overwritten.

The situation is made deterministic: the first person's session still holds the task as it read
it (version 1) when someone else's change lands, so every check before the write passes and only
the guard in the ``UPDATE`` stands between the two.
"""

from __future__ import annotations

import pytest
from sqlmodel import Session, func, select

from tests.conftest import at
from workflow.errors import StaleVersion
from workflow.tasks.models import Task, TaskEventRecord
from workflow.tasks.operations import start_task
from workflow.tasks.queries import visible_task


def test_a_change_between_the_read_and_the_write_is_refused(db, session, open_tasks, make_user):
    """Two members of BXDD start the same task: the second, who read it before the first
    started it, is told to reload; one start is recorded, not two."""
    task_id = open_tasks("2026-Q1")("VI.1.7", "BXDD").id
    first, second = make_user("member", "BXDD"), make_user("unit_head", "BXDD")
    seen = visible_task(session, second, task_id)  # the second reads version 1 ...
    session.commit()
    assert seen.version == 1

    with Session(db) as other:  # ... the first starts the task meanwhile ...
        start_task(other, first, task_id, 1, now=at("2026-03-02T09:00"))
        other.commit()

    with pytest.raises(StaleVersion):  # ... and the second's start, at version 1, is refused
        start_task(session, second, task_id, 1, now=at("2026-03-02T09:01"))
    session.rollback()

    with Session(db) as fresh:
        stored = fresh.get(Task, task_id)
        starts = fresh.exec(
            select(func.count())
            .select_from(TaskEventRecord)
            .where(TaskEventRecord.task_id == task_id, TaskEventRecord.event == "start")
        ).one()
        assert (stored.state, stored.version, starts) == ("in_progress", 2, 1)
