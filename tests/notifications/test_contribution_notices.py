"""The lead unit hears at once that a coordinating unit sent its contribution, while it still
waits to be taken in."""

from __future__ import annotations

from sqlmodel import select

from tests.conftest import sweep
from workflow.outbox.models import OutboxMessage
from workflow.tasks.operations import approve_report, start_task, submit_report


def contribution_notices(session, user) -> list[str]:
    subjects = list(
        session.exec(
            select(OutboxMessage.subject)
            .where(OutboxMessage.recipient_id == user.id, OutboxMessage.kind == "contribution")
            .order_by(OutboxMessage.id)
        ).all()
    )
    session.commit()
    return subjects


def send_contribution(session, office, head, task, at: str) -> None:
    office.at(at)
    start_task(session, head, task.id, task.version, now=office.now())
    session.refresh(task)
    submit_report(session, head, task.id, task.version, "Đã gửi tin bài.", now=office.now())
    session.commit()
    session.refresh(task)
    session.commit()  # let go of SQLite's read: the sweep writes


def test_the_lead_is_told_once_of_a_contribution_sent(office, session, open_tasks, make_user):
    """Chi bộ 2 sends its part of VI.2.1 on 4 March: UBND's head, who leads it, is told by the
    next run, and by no later run; the coordinating unit's own head is not told."""
    find = open_tasks("2026-Q1")
    lead_head, cell_head = make_user("unit_head", "UBND"), make_user("unit_head", "CB2")
    send_contribution(session, office, cell_head, find("VI.2.1", "CB2"), "2026-03-04T10:00")
    sweep(office, "2026-03-04T10:01")
    sweep(office, "2026-03-05T07:30")
    assert contribution_notices(session, lead_head) == [
        "[Giao Việc] Đã nhận nội dung phối hợp: VI.2.1 Cung cấp thông tin chính thống"
    ]
    assert contribution_notices(session, cell_head) == []


def test_a_contribution_taken_in_before_the_run_is_not_told(office, session, open_tasks, make_user):
    find = open_tasks("2026-Q1")
    lead_head, cell_head = make_user("unit_head", "UBND"), make_user("unit_head", "CB2")
    contribution = find("VI.2.1", "CB2")
    send_contribution(session, office, cell_head, contribution, "2026-03-04T10:00")
    approve_report(session, lead_head, contribution.id, contribution.version, "", now=office.now())
    session.commit()
    sweep(office, "2026-03-04T10:01")
    assert contribution_notices(session, lead_head) == []
