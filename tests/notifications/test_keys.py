"""What makes a message unique: each one is sent once, and none is lost because another had
the same day, the same person or the same task."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import func, select

from notifications.rules import Rule, due_items
from notifications.sweep import (
    NOTICE_LOOKBACK,
    digest_key,
    load_steps,
    load_tasks,
    load_users,
    person_of,
    sweep_day,
)
from tests.conftest import SMALL_PLAN, at
from workflow.clock import Clock
from workflow.db.engine import transaction
from workflow.outbox.models import NotificationItem, OutboxMessage
from workflow.periods import Quarter
from workflow.plans.opening import open_quarter
from workflow.tasks.operations import return_report, start_task, submit_report

NEW_DUTY = """  - ref: VI.2.9
    section: VI.2
    title: Số hóa hồ sơ một cửa
    text: Số hóa toàn bộ hồ sơ một cửa của Phường.
    lead: [UBND]
    cadence: {kind: once, due: 2026-01-20}
"""


@pytest.fixture
def heads(make_user):
    return {
        "UBND": make_user("unit_head", "UBND", full_name="Trần Văn Hùng"),
        "BXDD": make_user("unit_head", "BXDD", full_name="Nguyễn Thị Lan"),
    }


def subjects_to(smtp_server, user) -> list[str]:
    return [m.subject for m in smtp_server.mailbox.take() if m.to == [user.email]]


def test_a_second_sweep_the_same_day_sends_the_lines_that_came_since(
    office, session, ward, heads, load, smtp_server, tmp_path
):
    """At 07:30 on 2 January UBND's head gets the quarter's list; at 09:00 the office adds a
    duty for UBND and opens the quarter again; a second sweep at 09:05 tells the head of it, in
    a second email of the same day."""
    office.at("2026-01-02T07:30")
    office.open_quarter()
    office.sweep()
    office.send()
    assert subjects_to(smtp_server, heads["UBND"]) == [
        "[Giao Việc] 02/01/2026: 1 nhiệm vụ mới của Quý I/2026"
    ]

    edited = tmp_path / "ward.yaml"
    text = SMALL_PLAN.read_text(encoding="utf-8")
    edited.write_text(text.replace("  - ref: VI.4.1\n", NEW_DUTY + "  - ref: VI.4.1\n"))
    load(edited)
    open_quarter(session, ward, Quarter(2026, 1), Clock.at("2026-01-02T09:00"))
    session.commit()
    office.at("2026-01-02T09:05")
    office.sweep()
    office.send()
    received = [m for m in smtp_server.mailbox.take() if m.to == [heads["UBND"].email]]
    assert [m.subject for m in received] == [
        "[Giao Việc] 02/01/2026: 1 nhiệm vụ mới của Quý I/2026"
    ]
    assert "Số hóa hồ sơ một cửa" in received[0].text
    assert "Cung cấp thông tin chính thống" not in received[0].text  # told already at 07:30


def test_a_task_returned_twice_is_told_twice(
    office, session, ward, heads, open_tasks, make_user, smtp_server
):
    """UBND's report comes back on 10 March and, reported again, on 12 March: the head hears
    of each return, with its own reason."""
    task = open_tasks("2026-Q1")("VI.2.1", "UBND")
    reviewer, head = make_user("reviewer"), heads["UBND"]

    def act(service, user, when, text):
        session.refresh(task)
        service(session, user, task.id, task.version, text, now=at(when))
        session.commit()

    act(start_task, head, "2026-03-09T08:00", "")
    act(submit_report, head, "2026-03-09T09:00", "Đã đăng tin")
    act(return_report, reviewer, "2026-03-10T09:00", "Thiếu ảnh minh chứng")
    office.at("2026-03-10T09:01")
    office.send_outbox()
    act(submit_report, head, "2026-03-11T09:00", "Đã bổ sung ảnh")
    act(return_report, reviewer, "2026-03-12T09:00", "Ảnh chưa rõ ngày chụp")
    office.at("2026-03-12T09:01")
    # the minute job reads only the steps nobody has been told of yet: the second return
    assert _steps_untold(office) == [("return", "Ảnh chưa rõ ngày chụp")]
    office.send_outbox()
    assert _steps_untold(office) == []
    received = [m for m in smtp_server.mailbox.take() if m.to == [head.email]]
    notices = [m for m in received if "bị trả lại" in m.subject]
    assert [m.subject for m in notices] == [
        "[Giao Việc] Báo cáo bị trả lại: VI.2.1 Cung cấp thông tin chính thống"
    ] * 2
    assert "Thiếu ảnh minh chứng" in notices[0].text
    assert "Ảnh chưa rõ ngày chụp" in notices[1].text


def test_a_digest_that_cannot_be_queued_leaves_its_lines_for_the_next_run(
    office, session, ward, heads, open_tasks
):
    """If the digest's key were taken, its lines must not be recorded as sent: the next run
    queues them. (A taken key is forced here by writing a row with that key first.)"""
    open_tasks("2026-Q1")
    head = heads["UBND"]
    office.at("2026-01-02T07:30")
    planned = [line for line in _lines_due(office) if line.recipient_id == head.id]
    assert [line.rule for line in planned] == [Rule.OPENING]
    blocker = OutboxMessage(
        key=digest_key(head.id, date(2026, 1, 2), planned),
        kind="digest",
        recipient_id=head.id,
        to_address=head.email,
        subject="chặn",
        body_text="",
        body_html="",
        message_id="<chan@example.vn>",
        created_at=at("2026-01-01T08:00"),
        next_attempt_at=at("2026-01-01T08:00"),
        status="sent",
    )
    session.add(blocker)
    session.commit()

    queued = office.sweep().queued
    assert head.email not in [q.to_address for q in queued]
    assert _recorded(session, head) == 0  # nothing recorded: nothing lost

    session.delete(blocker)
    session.commit()
    assert [q.to_address for q in office.sweep().queued if q.to_address == head.email] == [
        head.email
    ]
    assert _recorded(session, head) == 1


def _lines_due(office):
    """The lines the rules put on the sweep of ``office``'s day, for every recipient."""
    with transaction(office.engine) as session:
        tasks = load_tasks(session, office.settings.calendar)
        people = [person_of(user) for user in load_users(session).values()]
        day = sweep_day(office.settings, office.now())
        return due_items(list(tasks.values()), people, day, office.settings.calendar)


def _steps_untold(office) -> list[tuple[str, str]]:
    with transaction(office.engine) as session:
        since = office.now() - NOTICE_LOOKBACK
        steps = load_steps(session, since, office.settings.calendar)
        return [(step.event, step.reason) for step in steps if step.event == "return"]


def _recorded(session, user) -> int:
    session.expire_all()
    count = session.exec(
        select(func.count())
        .select_from(NotificationItem)
        .where(NotificationItem.recipient_id == user.id)
    ).one()
    session.commit()
    return count
