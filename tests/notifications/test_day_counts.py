"""An email counts a task's days as its page does when the email arrives: one count, by the
calendar, whatever the hour (``workflow.tasks.deadlines.days_left``)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import update
from sqlmodel import select

from tests.conftest import at, sweep
from workflow.outbox.models import OutboxMessage
from workflow.tasks.models import Task


def meaning(text: str) -> tuple[int, bool]:
    """(days left, overdue) from what a page or an email says of a task."""
    if found := re.fullmatch(r"còn (\d+) ngày", text):
        return int(found[1]), False
    if found := re.fullmatch(r"quá hạn (\d+) ngày", text):
        return -int(found[1]), True
    if text == "đến hạn hôm nay":
        return 0, False
    assert re.fullmatch(r"quá hạn từ \d\d:\d\d hôm nay", text), text
    return 0, True


@pytest.mark.parametrize(
    ("instant", "due_at", "email_says"),
    [
        ("2026-02-09T07:30", "2026-02-10T17:00", "còn 1 ngày"),
        ("2026-02-09T11:00", "2026-02-10T10:00", "còn 1 ngày"),  # 23 hours: still tomorrow
        ("2026-02-10T00:01", "2026-02-10T17:00", "đến hạn hôm nay"),  # just after midnight
        ("2026-02-10T10:00", "2026-02-10T10:00", "đến hạn hôm nay"),  # exactly at the due time
        ("2026-02-10T10:01", "2026-02-10T10:00", "quá hạn từ 10:00 hôm nay"),  # a minute after
        ("2026-02-10T17:00", "2026-02-10T17:00", "quá hạn 1 ngày"),  # after hours: read tomorrow
        ("2026-02-11T00:01", "2026-02-10T17:00", "quá hạn 1 ngày"),  # just after midnight
    ],
)
def test_the_email_and_the_task_page_say_the_same_days(
    office, app, session, make_user, open_tasks, sign_in, instant, due_at, email_says
):
    """BXDD's VI.1.7 (due Tuesday 10 February) is in the quarter's list swept at ``instant``;
    the head's page, opened when that email arrives, shows the same count."""
    head = make_user("unit_head", "BXDD")
    task = open_tasks("2026-Q1")("VI.1.7", "BXDD")
    session.execute(update(Task).where(Task.id == task.id).values(due_at=at(due_at)))
    session.commit()
    sweep(office, instant)
    body = session.exec(select(OutboxMessage.body_text)).one()
    session.commit()
    email = re.search(r"- VI\.1\.7 Hội nghị báo cáo viên\n  hạn 10/02/2026 · (.+)\n", body)[1]

    office.at(office.settings.calendar.next_open_instant(at(instant)))
    page = sign_in(head).get("/").text
    shown = re.search(r'VI\.1\.7</td>.*?<span class="days [a-z]+">([^<]+)</span>', page, re.S)[1]
    assert email == email_says
    assert meaning(shown) == meaning(email)
