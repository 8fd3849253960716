"""Coordination (phối hợp): each coordinating unit owes its own contribution to a duty another
unit leads, due before the lead's report, sent by its head and taken in by the lead's head.

In the small plan VI.2.1 is UBND's; Ban Xây dựng Đảng and the group of cells (CB1, CB2)
coordinate it. The first quarter's report is due on 15 March at 17:00, so the contributions are
due on 10 March at 17:00 (the plan's default of five days before)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from tests.conftest import SMALL_PLAN, at
from workflow.clock import Clock
from workflow.errors import NotAllowed
from workflow.organisations.queries import find_organisation
from workflow.periods import Quarter
from workflow.plans.checks import parse_plan
from workflow.plans.models import Plan, Responsibility
from workflow.plans.opening import open_quarter
from workflow.plans.store import load_plan, reschedule
from workflow.tasks.contributions import contributions_to, lead_tasks_of
from workflow.tasks.extensions import ExtensionRefused, ask_extension
from workflow.tasks.models import Task, TaskEventRecord
from workflow.tasks.operations import approve_report, return_report, start_task, submit_report
from workflow.tasks.review import review_queue
from workflow.tasks.states import TaskKind

LEAD_DUE = at("2026-03-15T17:00")
CONTRIBUTION_DUE = at("2026-03-10T17:00")


@pytest.fixture
def vi_2_1(open_tasks):
    """The first quarter opened; the lead's task and each coordinating unit's contribution."""
    task = open_tasks("2026-Q1")
    return {unit: task("VI.2.1", unit) for unit in ("UBND", "BXDD", "CB1", "CB2")}


@pytest.fixture
def heads(make_user):
    return {unit: make_user("unit_head", unit) for unit in ("UBND", "BXDD", "CB1", "CB2")}


def send(session, head, task, when, text="Ý kiến phối hợp của đơn vị."):
    """The coordinating unit's head starts the contribution and sends it at ``when``."""
    start_task(session, head, task.id, task.version, now=when - timedelta(days=1))
    session.refresh(task)
    submit_report(session, head, task.id, task.version, text, now=when)
    session.commit()
    session.refresh(task)


def test_each_coordinating_unit_owes_a_contribution_due_before_the_lead(vi_2_1):
    """The group is expanded to its cells; the lead owes the duty, the others a contribution
    each, due five days earlier at the same hour, in the same quarter."""
    assert {unit: task.kind for unit, task in vi_2_1.items()} == {
        "UBND": TaskKind.DUTY,
        "BXDD": TaskKind.CONTRIBUTION,
        "CB1": TaskKind.CONTRIBUTION,
        "CB2": TaskKind.CONTRIBUTION,
    }
    assert vi_2_1["UBND"].due_at == LEAD_DUE
    assert {vi_2_1[unit].due_at for unit in ("BXDD", "CB1", "CB2")} == {CONTRIBUTION_DUE}
    assert {task.period for task in vi_2_1.values()} == {"2026-Q1"}


@pytest.mark.parametrize(("days", "due"), [(0, "2026-03-15T17:00"), (10, "2026-03-05T17:00")])
def test_the_plan_says_how_many_days_before(session, days, due):
    text = SMALL_PLAN.read_text(encoding="utf-8").replace(
        "defaults:\n", f"defaults:\n  contribution_days_before: {days}\n"
    )
    load_plan(session, parse_plan(text), Clock())
    ward = find_organisation(session, "DU-TEST")
    open_quarter(session, ward, Quarter.parse("2026-Q1"), Clock())
    contributions = session.exec(select(Task).where(Task.kind == TaskKind.CONTRIBUTION)).all()
    assert {task.due_at for task in contributions} == {at(due)}


def test_opening_again_adds_no_second_contribution(session, ward, vi_2_1):
    before = session.exec(select(Task.id)).all()
    open_quarter(session, ward, Quarter.parse("2026-Q1"), Clock())
    assert session.exec(select(Task.id)).all() == before


def test_a_contribution_sent_at_its_due_time_is_on_time_and_a_minute_later_is_late(
    session, vi_2_1, heads
):
    send(session, heads["BXDD"], vi_2_1["BXDD"], CONTRIBUTION_DUE)
    send(session, heads["CB1"], vi_2_1["CB1"], CONTRIBUTION_DUE + timedelta(minutes=1))
    lines = {line.unit.code: line for line in contributions_to(session, vi_2_1["UBND"], LEAD_DUE)}
    assert (lines["BXDD"].sent, lines["BXDD"].late) == (True, False)
    assert (lines["CB1"].sent, lines["CB1"].late) == (True, True)
    assert (lines["CB2"].sent, lines["CB2"].late) == (False, False)
    assert lines["CB2"].deadline.value == "open_overdue"
    assert lines["BXDD"].text == "Ý kiến phối hợp của đơn vị."


def test_the_lead_s_head_takes_a_contribution_in_or_returns_it(session, vi_2_1, heads):
    send(session, heads["BXDD"], vi_2_1["BXDD"], at("2026-03-09T09:00"))
    send(session, heads["CB1"], vi_2_1["CB1"], at("2026-03-09T10:00"))
    lead = heads["UBND"]
    approve_report(session, lead, vi_2_1["BXDD"].id, vi_2_1["BXDD"].version, now=at("2026-03-11"))
    return_report(
        session, lead, vi_2_1["CB1"].id, vi_2_1["CB1"].version, "Bổ sung số liệu", now=LEAD_DUE
    )
    session.commit()
    session.refresh(vi_2_1["BXDD"])
    session.refresh(vi_2_1["CB1"])
    assert (vi_2_1["BXDD"].state, vi_2_1["CB1"].state) == ("reviewed", "returned")


@pytest.mark.parametrize("who", ["reviewer", "CB2"])
def test_neither_the_reviewer_nor_another_coordinating_unit_takes_one_in(
    session, vi_2_1, heads, make_user, who
):
    send(session, heads["BXDD"], vi_2_1["BXDD"], at("2026-03-09T09:00"))
    user = make_user("reviewer") if who == "reviewer" else heads[who]
    with pytest.raises(NotAllowed):
        approve_report(session, user, vi_2_1["BXDD"].id, vi_2_1["BXDD"].version, now=LEAD_DUE)


def test_only_the_coordinating_unit_sends_its_contribution(session, vi_2_1, heads):
    task = vi_2_1["BXDD"]
    with pytest.raises(NotAllowed):
        start_task(session, heads["UBND"], task.id, task.version, now=at("2026-03-09"))


def test_the_lead_s_report_takes_in_what_was_sent_and_leaves_the_rest_owed(session, vi_2_1, heads):
    send(session, heads["BXDD"], vi_2_1["BXDD"], at("2026-03-09T09:00"))
    lead, task = heads["UBND"], vi_2_1["UBND"]
    start_task(session, lead, task.id, task.version, now=at("2026-03-12"))
    session.refresh(task)
    submit_report(session, lead, task.id, task.version, "Báo cáo tổng hợp", now=at("2026-03-13"))
    session.commit()
    for unit in ("BXDD", "CB1", "CB2"):
        session.refresh(vi_2_1[unit])
    assert [vi_2_1[unit].state for unit in ("BXDD", "CB1", "CB2")] == [
        "reviewed",
        "assigned",
        "assigned",
    ]
    taken_in = session.exec(
        select(TaskEventRecord).where(
            TaskEventRecord.task_id == vi_2_1["BXDD"].id, TaskEventRecord.event == "approve"
        )
    ).one()
    assert (taken_in.actor_id, taken_in.at) == (lead.id, at("2026-03-13"))


def test_a_sent_contribution_never_waits_in_the_review_queue(session, vi_2_1, heads, make_user):
    send(session, heads["BXDD"], vi_2_1["BXDD"], at("2026-03-09T09:00"))
    assert review_queue(session, make_user("reviewer"), LEAD_DUE) == []


def test_a_contribution_is_never_extended_alone(session, vi_2_1, heads):
    task = vi_2_1["BXDD"]
    with pytest.raises(ExtensionRefused) as refused:
        ask_extension(
            session,
            heads["BXDD"],
            task.id,
            task.version,
            at("2026-03-12").date(),
            "Chờ số liệu",
            clock=Clock.at("2026-03-02T09:00"),
        )
    assert refused.value.why == "contribution"


def test_the_contribution_knows_the_lead_s_task(session, vi_2_1):
    assert [(t.id, u.code) for t, u in lead_tasks_of(session, vi_2_1["CB2"])] == [
        (vi_2_1["UBND"].id, "UBND")
    ]
    assert lead_tasks_of(session, vi_2_1["UBND"]) == []


def test_a_moved_due_day_moves_the_contributions_with_the_lead(session, vi_2_1):
    plan = session.exec(select(Plan)).one()
    plan.definition = {
        **plan.definition,
        "defaults": {
            **plan.definition["defaults"],
            "report_due": {"month": 3, "day": 20, "time": "17:00"},
        },
    }
    responsibility = session.exec(
        select(Responsibility).where(Responsibility.ref == "VI.2.1")
    ).one()
    responsibility.details = {
        **responsibility.details,
        "report_due": plan.definition["defaults"]["report_due"],
    }
    session.add_all([plan, responsibility])
    session.flush()
    reschedule(session, plan, [responsibility], Clock())
    session.commit()
    for task in vi_2_1.values():
        session.refresh(task)
    assert vi_2_1["UBND"].due_at == at("2026-03-20T17:00")
    assert {vi_2_1[u].due_at for u in ("BXDD", "CB1", "CB2")} == {at("2026-03-15T17:00")}
