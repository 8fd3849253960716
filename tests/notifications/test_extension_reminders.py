"""Reminders follow a due date that was extended: they count to the new date, and the old
date's reminders and overdue notices never come."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import select

from tests.conftest import sweep
from workflow.clock import Clock
from workflow.outbox.models import NotificationItem, OutboxMessage
from workflow.tasks.extensions import ask_extension, grant_extension, refuse_extension


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
            NotificationItem.rule.not_in(["opening", "extension"]),  # told of the grant apart
        )
    ).all()
    session.commit()
    assert {(rule, on_date.isoformat()) for rule, on_date in reached} == points


def told(session, user):
    """The subjects of the notices of an extension ``user`` was sent, oldest first."""
    return list(
        session.exec(
            select(OutboxMessage.subject)
            .where(OutboxMessage.recipient_id == user.id, OutboxMessage.kind == "extension")
            .order_by(OutboxMessage.id)
        ).all()
    )


@pytest.mark.parametrize("decision", ["grant", "refuse"])
def test_a_request_is_told_to_the_reviewers_and_the_decision_to_the_head(
    office, session, open_tasks, make_user, decision
):
    """Asked on 9 March: the next sweep tells every reviewer, once; decided on the 10th: the
    next tells the unit's head, once, and the reviewers nothing more (nothing waits)."""
    task = open_tasks("2026-Q1")("VI.2.1", "UBND")
    head = make_user("unit_head", "UBND", locale="en")
    reviewers = [make_user("reviewer", locale="en"), make_user("reviewer", locale="en")]
    ask_extension(
        session,
        head,
        task.id,
        1,
        date(2026, 3, 31),
        "Chờ số liệu",
        clock=Clock.at("2026-03-09T09:00"),
    )
    session.commit()
    sweep(office, "2026-03-09T10:00")
    sweep(office, "2026-03-09T11:00")
    subject = "[Giao Việc] Extension asked for: VI.2.1 Cung cấp thông tin chính thống"
    assert [told(session, r) for r in reviewers] == [[subject], [subject]]
    session.commit()
    decide = grant_extension if decision == "grant" else refuse_extension
    args = () if decision == "grant" else ("Đủ thời gian",)
    decide(session, reviewers[0], task.id, 2, *args, clock=Clock.at("2026-03-10T09:00"))
    session.commit()
    sweep(office, "2026-03-10T10:00")
    sweep(office, "2026-03-11T07:30")
    word = "granted" if decision == "grant" else "refused"
    assert told(session, head) == [
        f"[Giao Việc] Extension {word}: VI.2.1 Cung cấp thông tin chính thống"
    ]
    assert [len(told(session, r)) for r in reviewers] == [1, 1]
    body = session.exec(
        select(OutboxMessage.body_text).where(
            OutboxMessage.recipient_id == head.id, OutboxMessage.kind == "extension"
        )
    ).one()
    assert "15/03/2026 17:00 → 31/03/2026 17:00" in body
    session.commit()


def test_a_request_decided_before_the_sweep_is_not_told_to_the_reviewers(
    office, session, open_tasks, make_user
):
    task = open_tasks("2026-Q1")("VI.2.1", "UBND")
    head, reviewer = make_user("unit_head", "UBND"), make_user("reviewer")
    asked = Clock.at("2026-03-09T09:00")
    ask_extension(session, head, task.id, 1, date(2026, 3, 31), "Chờ số liệu", clock=asked)
    grant_extension(session, reviewer, task.id, 2, clock=asked)
    session.commit()
    sweep(office, "2026-03-09T10:00")
    assert told(session, reviewer) == [] and len(told(session, head)) == 1
    session.commit()


def test_a_request_still_waiting_is_in_the_reviewers_weekly_digest(
    office, session, open_tasks, make_user
):
    """Asked on Tuesday 10 March and left undecided: every reviewer's digest of Monday 16th
    lists it with the days it has waited, and so does the next Monday's until it is decided;
    one asked that Monday morning waits for the week after."""
    task = open_tasks("2026-Q1")("VI.2.1", "UBND")
    other = open_tasks("2026-Q2")("VI.2.1", "UBND")  # due 15 June
    head, reviewer = make_user("unit_head", "UBND"), make_user("reviewer")
    asked = Clock.at("2026-03-10T09:00")
    ask_extension(session, head, task.id, 1, date(2026, 3, 31), "Chờ số liệu", clock=asked)
    session.commit()
    sweep(office, "2026-03-16T07:30")
    later = Clock.at("2026-03-16T09:00")
    ask_extension(session, head, other.id, 1, date(2026, 6, 30), "Chờ họp", clock=later)
    session.commit()
    sweep(office, "2026-03-16T10:00")

    def waiting_lines(on: str):
        rows = session.exec(
            select(NotificationItem.task_id).where(
                NotificationItem.recipient_id == reviewer.id,
                NotificationItem.rule == "extension_review",
                NotificationItem.on_date == date.fromisoformat(on),
            )
        ).all()
        session.commit()
        return sorted(rows)

    assert waiting_lines("2026-03-16") == [task.id]
    digest = session.exec(
        select(OutboxMessage).where(
            OutboxMessage.recipient_id == reviewer.id, OutboxMessage.kind == "digest"
        )
    ).one()
    assert "1 đề nghị gia hạn đang chờ" in digest.subject
    assert "Đề nghị gia hạn chờ đồng chí quyết định" in digest.body_text
    assert "Cung cấp thông tin chính thống" in digest.body_text
    assert "đã chờ 6 ngày" in digest.body_text
    session.commit()

    grant_extension(session, reviewer, task.id, 2, clock=Clock.at("2026-03-17T09:00"))
    session.commit()
    sweep(office, "2026-03-23T07:30")
    assert waiting_lines("2026-03-23") == [other.id]
