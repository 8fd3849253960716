"""Assigning inside a unit (phân công): UBND's head gives VI.2.1 to a cán bộ of UBND, who starts
it and drafts the report; the head sends it. Nobody else may assign it or draft it."""

from __future__ import annotations

import pytest
from sqlmodel import select

from tests.conftest import at
from workflow.errors import IllegalTransition, InvalidInput, NotAllowed, StaleVersion
from workflow.tasks.assignment import assign_task, assignment_events_for, save_draft
from workflow.tasks.models import ReportDraft, TaskEventRecord
from workflow.tasks.operations import start_task, submit_report
from workflow.tasks.queries import list_tasks, task_detail

NOW = at("2026-03-02T09:00")


@pytest.fixture
def task(open_tasks):
    return open_tasks("2026-Q1")("VI.2.1", "UBND")


@pytest.fixture
def people(make_user):
    return {
        "head": make_user("unit_head", "UBND"),
        "member": make_user("member", "UBND", full_name="Lê Văn Cán"),
        "colleague": make_user("member", "UBND", full_name="Phạm Thị Bộ"),
        "outsider": make_user("member", "BXDD"),
        "other_head": make_user("unit_head", "BXDD"),
    }


def assign(session, user, task, assignee):
    assigned = assign_task(session, user, task.id, task.version, assignee, now=NOW)
    session.commit()
    return assigned


def test_the_head_gives_the_task_to_a_member_and_the_history_says_so(session, task, people):
    version = task.version
    assign(session, people["head"], task, people["member"].username)
    session.refresh(task)
    assert (task.assignee_id, task.state, task.version) == (
        people["member"].id,
        "assigned",
        version + 1,
    )
    step = session.exec(
        select(TaskEventRecord).where(
            TaskEventRecord.task_id == task.id, TaskEventRecord.event == "assign"
        )
    ).one()
    assert (step.actor_id, step.comment, step.from_state, step.to_state) == (
        people["head"].id,
        "Lê Văn Cán",
        "assigned",
        "assigned",
    )


def test_the_head_takes_it_back(session, task, people):
    assign(session, people["head"], task, people["member"].username)
    session.refresh(task)
    assign(session, people["head"], task, None)
    session.refresh(task)
    assert task.assignee_id is None


@pytest.mark.parametrize("who", ["outsider", "other_head", "nobody"])
def test_only_an_active_member_of_the_unit_can_be_given_it(session, task, people, who):
    name = people[who].username if who in people else "khong-co-ai"
    with pytest.raises(InvalidInput) as refused:
        assign_task(session, people["head"], task.id, task.version, name, now=NOW)
    assert name in str(refused.value)


def test_an_inactive_member_cannot_be_given_it(session, task, people):
    people["member"].active = False
    session.add(people["member"])
    session.commit()
    with pytest.raises(InvalidInput):
        assign_task(
            session, people["head"], task.id, task.version, people["member"].username, now=NOW
        )


def test_neither_a_member_nor_the_head_of_a_coordinating_unit_assigns_it(session, task, people):
    with pytest.raises(NotAllowed):
        assign_task(
            session, people["member"], task.id, task.version, people["colleague"].username, now=NOW
        )
    with pytest.raises(NotAllowed):  # Ban Xây dựng Đảng coordinates VI.2.1: it sees, not acts
        assign_task(session, people["other_head"], task.id, task.version, None, now=NOW)


def test_the_member_starts_and_drafts_and_the_head_sends_it(session, task, people):
    assign(session, people["head"], task, people["member"].username)
    session.refresh(task)
    member = people["member"]
    start_task(session, member, task.id, task.version, now=NOW)
    session.commit()
    session.refresh(task)
    save_draft(
        session,
        member,
        task.id,
        task.version,
        "  Đã cập nhật 15 tin bài lên Cổng thông tin.  ",
        ["https://viethung.example.vn/tin-bai"],
        now=at("2026-03-05T10:00"),
    )
    session.commit()
    detail = task_detail(session, people["head"], task.id, NOW)
    draft, author = detail.draft
    assert (draft.text, draft.links, author.id) == (
        "Đã cập nhật 15 tin bài lên Cổng thông tin.",
        ["https://viethung.example.vn/tin-bai"],
        member.id,
    )
    with pytest.raises(NotAllowed):  # the member drafts; only the head sends
        submit_report(session, member, task.id, detail.task.version, draft.text, now=NOW)
    session.rollback()
    session.refresh(task)
    submit_report(session, people["head"], task.id, task.version, draft.text, now=NOW)
    session.commit()
    assert session.get(ReportDraft, task.id) is None  # sent: the draft is done with


def test_a_colleague_not_given_the_task_does_not_draft_it(session, task, people):
    assign(session, people["head"], task, people["member"].username)
    session.refresh(task)
    with pytest.raises(NotAllowed):
        save_draft(session, people["colleague"], task.id, task.version, "Nháp", now=NOW)
    assert assignment_events_for(people["colleague"], task, None) == []
    assert [e.value for e in assignment_events_for(people["member"], task, None)] == ["save_draft"]
    assert [e.value for e in assignment_events_for(people["head"], task, None)] == [
        "assign",
        "save_draft",
    ]


def test_a_draft_saved_meanwhile_makes_the_head_s_page_stale(session, task, people):
    """The head read version v; the member saved a draft since: the head's report over the
    older page is refused, and the head reloads to read the draft first."""
    assign(session, people["head"], task, people["member"].username)
    session.refresh(task)
    start_task(session, people["head"], task.id, task.version, now=NOW)
    session.commit()
    session.refresh(task)
    seen = task.version
    save_draft(session, people["member"], task.id, seen, "Bản nháp mới", now=NOW)
    session.commit()
    with pytest.raises(StaleVersion):
        submit_report(session, people["head"], task.id, seen, "Báo cáo cũ", now=NOW)


def test_nothing_is_assigned_or_drafted_once_reported(session, task, people):
    head = people["head"]
    start_task(session, head, task.id, task.version, now=NOW)
    session.refresh(task)
    submit_report(session, head, task.id, task.version, "Đã làm", now=NOW)
    session.commit()
    session.refresh(task)
    with pytest.raises(IllegalTransition):
        assign(session, head, task, people["member"].username)
    with pytest.raises(IllegalTransition):
        save_draft(session, head, task.id, task.version, "Nháp", now=NOW)
    assert assignment_events_for(head, task, None) == []


def test_an_empty_draft_is_refused(session, task, people):
    with pytest.raises(InvalidInput):
        save_draft(session, people["head"], task.id, task.version, "   ", now=NOW)


def test_the_list_knows_who_was_given_each_task(session, ward, task, people):
    assign(session, people["head"], task, people["member"].username)
    rows = list_tasks(session, ward, NOW, viewer=people["member"])
    assert {(r.ref, r.unit_code, r.assignee_id) for r in rows if r.assignee_id} == {
        ("VI.2.1", "UBND", people["member"].id)
    }
