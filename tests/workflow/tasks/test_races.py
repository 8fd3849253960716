"""Two reviewers decide the same report at the same instant, over and over, from two threads
and from two processes: every time exactly one decision stands, the other is told to reload,
and the history holds one step for the one accepted.

``GIAOVIEC_RACE_TRIALS`` sets the number of trials (100 by default; the README's longer run
takes 1,000)."""

from __future__ import annotations

import multiprocessing
import os
import threading
from queue import Queue

import pytest
from sqlalchemy import func, select, update
from sqlmodel import Session

from tests.conftest import at
from workflow.accounts.models import User
from workflow.db.engine import make_engine
from workflow.errors import StaleVersion
from workflow.tasks.models import Task, TaskEventRecord
from workflow.tasks.operations import approve_report, return_report

TRIALS = int(os.environ.get("GIAOVIEC_RACE_TRIALS", "100"))
DECISIONS = {"approve": approve_report, "return": return_report}
BARRIER_SECONDS = 60


def contend(url, user_id, decision, task_id, trials, barrier, outcomes) -> None:
    """One reviewer, in a thread or a process of its own: in each trial, read the task's
    version, wait for the other, then decide at that version; put (trial, decision, outcome)."""
    engine = make_engine(url)
    try:
        for trial in range(trials):
            barrier.wait(BARRIER_SECONDS)  # the task is reported again
            with Session(engine) as session:
                version = session.get(Task, task_id).version
            barrier.wait(BARRIER_SECONDS)  # both have read it: decide at once
            with Session(engine) as session:
                user = session.get(User, user_id)
                try:
                    DECISIONS[decision](
                        session, user, task_id, version, "Quyết định", now=at("2026-03-20T09:00")
                    )
                    session.commit()
                    outcome = "stood"
                except StaleVersion:
                    session.rollback()
                    outcome = "reload"
                except Exception as error:  # reported, and fails the trial
                    session.rollback()
                    outcome = repr(error)
            outcomes.put((trial, decision, outcome))
            barrier.wait(BARRIER_SECONDS)  # the trial is over
    finally:
        engine.dispose()


def steps(session, task_id) -> list[tuple[str, int]]:
    return session.execute(
        select(TaskEventRecord.event, TaskEventRecord.actor_id)
        .where(TaskEventRecord.task_id == task_id, TaskEventRecord.event.in_(DECISIONS))
        .order_by(TaskEventRecord.id)
    ).all()


@pytest.mark.parametrize("side_by_side", ["threads", "processes"])
def test_of_two_decisions_at_once_exactly_one_stands_every_time(
    database_url, db, session, open_tasks, make_user, side_by_side
):
    task_id = open_tasks("2026-Q1")("VI.1.7", "BXDD").id
    alice, bob = make_user("reviewer"), make_user("reviewer")
    reviewers = {"approve": alice.id, "return": bob.id}
    session.commit()
    if side_by_side == "threads":
        barrier, outcomes = threading.Barrier(3), Queue()
        start = threading.Thread
    else:
        context = multiprocessing.get_context("spawn")  # nothing of this process is shared
        barrier, outcomes = context.Barrier(3), context.Queue()
        start = context.Process
    contenders = [
        start(
            target=contend,
            args=(database_url, user_id, decision, task_id, TRIALS, barrier, outcomes),
        )
        for decision, user_id in reviewers.items()
    ]
    for contender in contenders:
        contender.start()
    try:
        seen = []
        for trial in range(TRIALS):
            with Session(db) as arrange:  # the report is waiting again, at a new version
                arrange.execute(
                    update(Task)
                    .where(Task.id == task_id)
                    .values(state="reported", version=Task.version + 1)
                )
                arrange.commit()
                version = arrange.get(Task, task_id).version
            before = len(steps(session, task_id))
            session.commit()
            barrier.wait(BARRIER_SECONDS)
            barrier.wait(BARRIER_SECONDS)
            results = sorted(outcomes.get(timeout=BARRIER_SECONDS)[1:] for _ in reviewers)
            barrier.wait(BARRIER_SECONDS)
            assert sorted(outcome for _, outcome in results) == ["reload", "stood"], (
                trial,
                results,
            )
            winner = next(decision for decision, outcome in results if outcome == "stood")
            with Session(db) as look:
                task = look.get(Task, task_id)
                assert (task.state, task.version) == (
                    {"approve": "reviewed", "return": "returned"}[winner],
                    version + 1,
                )
                assert steps(look, task_id)[before:] == [(winner, reviewers[winner])]
            seen.append(winner)
    finally:
        for contender in contenders:
            contender.join(timeout=BARRIER_SECONDS)
    assert all(not contender.is_alive() for contender in contenders)
    assert len(seen) == TRIALS
    with Session(db) as look:
        decided = look.execute(
            select(func.count())
            .select_from(TaskEventRecord)
            .where(TaskEventRecord.task_id == task_id, TaskEventRecord.event.in_(DECISIONS))
        ).scalar_one()
    assert decided == TRIALS  # one step per decision that stood, none for the refused
