"""Reminders follow a due date that was extended: they count to the new date, and the old
date's reminders and overdue notices never come."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import select

from tests.conftest import sweep
from workflow.clock import Clock
from workflow.outbox.models import NotificationItem
from workflow.tasks.extensions import ask_extension, grant_extension


@pytest.mark.parametrize(
    ("granted", "points"),
    [
        # Due Sunday 15 March: 7 days before (caught up on the 11th), 3 days before; the
        # weekend's points give way to the first overdue notice on Monday 16th, then weekly.
        (
            False,
            {("before", "2026-03-08"), ("before", "2026-03-12")}
            | {("overdue", "2026-03-16"), ("overdue", "2026-03-23"), ("overdue", "2026-03-30")},
        ),
        # Extended to Tuesday 31 March: 14 and 7 days before, then 1 day before on Monday 30th
        # (the Saturday's 3 days before gives way to it), and the day itself.
        (
            True,
            {("before", "2026-03-17"), ("before", "2026-03-24")}
            | {("before", "2026-03-30"), ("before", "2026-03-31")},
        ),
    ],
    ids=["as-planned", "extended"],
)
def test_the_reminders_count_to_the_due_date_granted(
    office, session, open_tasks, make_user, granted, points
):
    """UBND's VI.2.1, asked on 10 March to move from 15 to 31 March; swept every morning from
    11 to 31 March. Which reminder points reach its head?"""
    task = open_tasks("2026-Q1")("VI.2.1", "UBND")
    head, reviewer = make_user("unit_head", "UBND"), make_user("reviewer")
    if granted:
        asked = Clock.at("2026-03-10T09:00")
        ask_extension(session, head, task.id, 1, date(2026, 3, 31), "Chờ số liệu", clock=asked)
        grant_extension(session, reviewer, task.id, 2, clock=asked)
    session.commit()
    day = date(2026, 3, 11)
    while day <= date(2026, 3, 31):
        sweep(office, f"{day.isoformat()}T07:30")
        day += timedelta(days=1)
    reached = session.exec(
        select(NotificationItem.rule, NotificationItem.on_date).where(
            NotificationItem.task_id == task.id,
            NotificationItem.recipient_id == head.id,
            NotificationItem.rule != "opening",
        )
    ).all()
    session.commit()
    assert {(rule, on_date.isoformat()) for rule, on_date in reached} == points
