"""A task overdue for longer than the office gives up after (180 days by default) is reminded
and escalated no more; a report waiting for review is listed however old."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from tests.conftest import sweep
from workflow.outbox.models import NotificationItem
from workflow.tasks.operations import start_task, submit_report


def lines_on(session, task, day: str) -> list[str]:
    rows = session.exec(
        select(NotificationItem.rule).where(
            NotificationItem.task_id == task.id,
            NotificationItem.on_date == date.fromisoformat(day),
        )
    ).all()
    session.commit()
    return sorted(rows)


def test_the_weekly_overdue_reminder_stops_after_180_days(office, session, open_tasks, make_user):
    """VI.1.7 was due 10/02/2026 17:00; its weekly overdue points fall on Wednesdays. On 5
    August it is 176 days overdue: reminded; on 12 August, 182: not any more."""
    task = open_tasks("2026-Q1")("VI.1.7", "BXDD")
    make_user("unit_head", "BXDD")
    sweep(office, "2026-08-05T07:30")
    assert lines_on(session, task, "2026-08-05") == ["overdue"]
    sweep(office, "2026-08-12T07:30")
    assert lines_on(session, task, "2026-08-12") == []


def test_a_report_sent_long_after_is_still_listed_to_the_reviewers(
    office, session, open_tasks, make_user
):
    """VI.1.7, reported on 1 September, 203 days late: Monday 7 September's review digest
    still lists it."""
    task = open_tasks("2026-Q1")("VI.1.7", "BXDD")
    head, reviewer = make_user("unit_head", "BXDD"), make_user("reviewer")
    office.at("2026-09-01T09:00")
    start_task(session, head, task.id, task.version, now=office.now())
    session.refresh(task)
    submit_report(session, head, task.id, task.version, "Đã tổ chức", now=office.now())
    session.commit()
    sweep(office, "2026-09-07T07:30")
    assert lines_on(session, task, "2026-09-07") == ["review"]
    assert session.exec(
        select(NotificationItem.recipient_id).where(NotificationItem.rule == "review")
    ).all() == [reviewer.id]
    session.commit()
