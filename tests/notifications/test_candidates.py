"""The database decides which tasks the sweep reads: exactly those with a reminder line due and
not yet recorded, day after day, in every commune; a day's second sweep reads none."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from notifications.candidates import due_candidates
from notifications.rules import due_items
from notifications.sweep import load_tasks, load_users, person_of, still_reminded, sweep_day
from tests.conftest import PASSWORD, at, real_now
from workflow.accounts.operations import add_user
from workflow.clock import Clock
from workflow.db.engine import transaction
from workflow.outbox.models import NotificationItem
from workflow.tasks.extensions import ask_extension


def test_the_database_picks_exactly_the_tasks_with_a_new_line_each_day(
    office, session, history, levels
):
    """Q1 and Q2 of the acted-out ward (a report waiting, overdue tasks, a return, a request
    for an extension waiting, a head who switched digests off) and of another commune with its
    head, reviewer and leader, swept every day from 2 January to 15 July."""
    other = levels.organisations["XA-KHAC"]
    for username, role, unit in (
        ("khac.ubnd", "unit_head", "UBND"),
        ("khac.bxd", "reviewer", None),
        ("khac.bithu", "leader", None),
    ):
        add_user(
            session, other, username, role, f"{username}@example.vn", PASSWORD, unit, now=real_now()
        )
    history.heads["BXDD"].email_digests = False
    session.commit()
    month_task = history.tasks[("VI.2.7", "UBND", "Q2")]
    session.refresh(month_task)
    ask_extension(
        session,
        history.heads["UBND"],
        month_task.id,
        month_task.version,
        month_task.due_at.date() + timedelta(days=20),
        "Chờ số liệu của xã",
        clock=Clock.at(month_task.due_at - timedelta(days=3)),
    )
    session.commit()

    day, days_with_lines = at("2026-01-02T07:30"), 0
    while day < at("2026-07-15T07:30"):
        office.at(day)
        office.open_quarter()
        expected = _tasks_with_a_new_line(office)
        assert _candidates(office) == expected, day
        days_with_lines += bool(expected)
        office.sweep()
        assert _candidates(office) == set(), day
        day += timedelta(days=1)
    assert days_with_lines > 30  # the days with something to say were many, not a few


def _tasks_with_a_new_line(office) -> set[int]:
    """The rules over every task and person, less the lines recorded: the old way, by reading
    everything."""
    settings, now = office.settings, office.now()
    with transaction(office.engine) as session:
        tasks = load_tasks(session, settings.calendar, still_reminded(settings, now))
        people = [person_of(user) for user in load_users(session).values()]
        recorded = set(session.scalars(select(NotificationItem.key)))
        lines = due_items(list(tasks.values()), people, sweep_day(settings, now), settings.calendar)
        return {line.task_id for line in lines if line.key not in recorded}


def _candidates(office) -> set[int]:
    settings, now = office.settings, office.now()
    with transaction(office.engine) as session:
        day = sweep_day(settings, now)
        found = due_candidates(session, settings.calendar, day, still_reminded(settings, now))
        return {task_id for task_ids in found.values() for task_id in task_ids}
