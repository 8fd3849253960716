"""What a task's row says of its history (``Task.last_activity_at``, ``Task.times_returned``)
is what the history says, after every kind of step, and after a database of an earlier release
is upgraded."""

from sqlalchemy import case, func
from sqlmodel import select

from tests.conftest import at
from workflow.db.migrate import downgrade, upgrade
from workflow.tasks.models import Task, TaskEventRecord
from workflow.tasks.states import TaskEvent


def summaries(session) -> dict[int, tuple]:
    """Each task's row as kept, beside the same read from its history."""
    session.expire_all()
    by_person = TaskEventRecord.actor_id.is_not(None)
    from_history = (
        select(
            TaskEventRecord.task_id,
            func.max(case((by_person, TaskEventRecord.at))).label("last"),
            func.count(case((TaskEventRecord.event == TaskEvent.RETURN.value, 1))).label("n"),
        )
        .group_by(TaskEventRecord.task_id)
        .subquery()
    )
    return {
        task_id: ((kept_last, kept_n), (last, n))
        for task_id, kept_last, kept_n, last, n in session.exec(
            select(
                Task.id,
                Task.last_activity_at,
                Task.times_returned,
                from_history.c.last,
                from_history.c.n,
            ).join(from_history, from_history.c.task_id == Task.id)
        )
    }


def test_each_task_keeps_when_a_person_last_acted_and_how_often_it_was_returned(session, history):
    kept = summaries(session)
    assert all(row == told for row, told in kept.values()), kept
    cb1, cb2 = history.tasks["VI.4.1", "CB1", "Q1"], history.tasks["VI.4.1", "CB2", "Q1"]
    assert kept[cb1.id][0] == (at("2026-03-16T09:00"), 2)  # approved after two returns
    assert kept[cb2.id][0] == (None, 0)  # opened for the unit, never touched by it


def test_tasks_of_an_earlier_release_learn_it_from_their_history(session, history, db):
    before = summaries(session)
    session.commit()
    downgrade(db, "0016")
    upgrade(db)
    assert summaries(session) == before
    assert sum(kept[1] for kept, _told in before.values()) == 3
