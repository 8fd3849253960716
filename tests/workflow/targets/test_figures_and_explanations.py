"""Figures entered on a target's page, what the ward and each unit reached, and explanations a
leader asks of a unit whose target is missed.

In the small plan, target I.2.4 (100% of party members pay their dues online) is reported by
both cells of TCD (CB1, CB2) through VI.4.1, owed in the first quarter only."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import event
from sqlmodel import select

from tests.conftest import SMALL_PLAN, at
from workflow.clock import Clock
from workflow.errors import InvalidFields, NotAllowed, NotFound
from workflow.periods import Quarter
from workflow.plans.models import Target
from workflow.targets.explanations import (
    ExplanationRefused,
    explanation_request,
    request_explanation,
)
from workflow.targets.figures import FigureEntry, enter_figure
from workflow.targets.queries import plan_targets
from workflow.targets.status import TargetStatus
from workflow.tasks.models import TaskEventRecord
from workflow.tasks.operations import approve_report, start_task, submit_report
from workflow.tasks.states import TaskState

Q1 = Quarter(2026, 1)
EARLY_APRIL = at("2026-04-05T09:00")


@pytest.fixture
def target(session, ward, open_tasks):
    open_tasks("2026-Q1")
    return session.exec(select(Target).where(Target.ref == "I.2.4")).one()


@pytest.fixture
def heads(make_user):
    return {code: make_user("unit_head", code) for code in ("CB1", "CB2", "UBND")}


def enter(session, head, target, value="", *, when=EARLY_APRIL, **fields):
    entry = FigureEntry(period=fields.pop("period", "2026-Q1"), value=value, **fields)
    fields.setdefault("source", "")
    return enter_figure(session, head, target.id, entry, now=when, today=Clock.at(when).today())


def standing(session, user, today=date(2026, 4, 5)):
    (progress,) = plan_targets(session, user, today).targets
    return progress.at(Q1)


def test_a_count_over_a_total_is_the_units_rate(session, target, heads, make_user):
    enter(session, heads["CB1"], target, count="45", total="50", source="Sổ thu đảng phí")
    q1 = standing(session, make_user("leader"))
    cb1, cb2 = q1.units
    assert (cb1.unit_code, cb1.figure.value, cb1.figure.source) == (
        "CB1",
        Decimal("90.00"),
        "Sổ thu đảng phí",
    )
    assert cb1.assessment.status is TargetStatus.AT_RISK  # 90 is a tenth short of 100
    assert (cb2.unit_code, cb2.figure, cb2.assessment.status) == ("CB2", None, TargetStatus.MISSED)
    assert q1.value == Decimal(90) and q1.reported == 1


def test_the_latest_figure_counts_whether_typed_or_sent_with_a_report(
    session, target, heads, make_user, open_tasks
):
    enter(session, heads["CB1"], target, "80", source="Ước tính")
    task = open_tasks("2026-Q1")("VI.4.1", "CB1")
    start_task(session, heads["CB1"], task.id, task.version, now=EARLY_APRIL)
    session.refresh(task)
    submit_report(
        session,
        heads["CB1"],
        task.id,
        task.version,
        "Đã thu",
        figures={target.id: "100"},
        now=at("2026-04-06T09:00"),
    )
    enter(session, heads["CB2"], target, "100", source="Sổ thu")
    q1 = standing(session, make_user("leader"), date(2026, 4, 7))
    assert [u.figure.value for u in q1.units] == [Decimal(100), Decimal(100)]
    assert q1.assessment.status is TargetStatus.ON_TRACK
    assert [u.approved for u in q1.units] == [False, False]


def test_every_mistake_is_said_beside_its_field_and_nothing_is_kept(session, target, heads):
    with pytest.raises(InvalidFields) as refused:
        enter(session, heads["CB1"], target, count="60", total="50", period="2026-Q3")
    assert set(refused.value.problems) == {"period", "count", "source"}
    with pytest.raises(InvalidFields) as refused:
        enter(session, heads["CB1"], target, "chín mươi", source="x", evidence_link="ftp://x")
    assert set(refused.value.problems) == {"value", "evidence_link"}
    with pytest.raises(InvalidFields) as refused:
        enter(session, heads["CB1"], target, source="Sổ thu")
    assert set(refused.value.problems) == {"value"}


def test_only_the_head_of_a_reporting_unit_may_enter_a_figure(session, target, heads, make_user):
    with pytest.raises(NotAllowed):
        enter(session, heads["UBND"], target, "90", source="x")
    with pytest.raises(NotAllowed):
        enter(session, make_user("member", "CB1"), target, "90", source="x")
    with pytest.raises(NotAllowed):
        enter(session, make_user("leader"), target, "90", source="x")


def test_a_unit_head_sees_the_wards_figure_and_only_their_own_units(
    session, target, heads, make_user
):
    enter(session, heads["CB1"], target, "90", source="x")
    enter(session, heads["CB2"], target, "70", source="y")
    q1 = standing(session, heads["CB2"])
    assert [u.unit_code for u in q1.units] == ["CB2"]
    assert q1.value == Decimal(80)  # the ward's counts both cells
    assert [u.unit_code for u in standing(session, make_user("reviewer")).units] == ["CB1", "CB2"]


def test_another_organisations_target_is_not_found(session, target, load, make_user):
    other = load(SMALL_PLAN.parent / "election-2026.yaml")
    assert other.id != target.plan_id
    stranger = make_user("leader")
    stranger.organisation_id = other.id
    with pytest.raises(NotFound):
        enter(session, stranger, target, "90", source="x")


def ask(
    session,
    who,
    target,
    unit_id,
    text="Vì sao chưa đạt?",
    *,
    on="2026-04-10",
    due=date(2026, 4, 25),
):
    return request_explanation(
        session, who, target.id, unit_id, "2026-Q1", due, text, Clock.at(at(f"{on}T08:00"))
    )


def test_a_leader_asks_a_unit_to_explain_a_missed_target_and_it_becomes_its_task(
    session, target, heads, make_user
):
    enter(session, heads["CB1"], target, "70", source="Sổ thu")
    leader = make_user("leader", full_name="Thường trực Đảng ủy")
    task = ask(session, leader, target, heads["CB1"].unit_id, "Giải trình vì sao chỉ đạt 70%")
    assert (task.kind, task.target_id, task.period, task.state) == (
        "explanation",
        target.id,
        "2026-Q1",
        TaskState.ASSIGNED.value,
    )
    assert task.occurrence_label == "Giải trình chỉ tiêu I.2.4"
    assert Clock().local(task.due_at).strftime("%d/%m/%Y %H:%M") == "25/04/2026 17:00"
    request = explanation_request(session, task)
    assert (request.target.ref, request.asked_by.id, request.text) == (
        "I.2.4",
        leader.id,
        "Giải trình vì sao chỉ đạt 70%",
    )
    # answered through the normal workflow
    head = heads["CB1"]
    start_task(session, head, task.id, task.version, now=at("2026-04-12T09:00"))
    session.refresh(task)
    submit_report(
        session, head, task.id, task.version, "Nguyên nhân: ...", now=at("2026-04-13T09:00")
    )
    session.refresh(task)
    reviewer = make_user("reviewer")
    approve_report(session, reviewer, task.id, task.version, now=at("2026-04-14T09:00"))
    steps = session.exec(
        select(TaskEventRecord.event)
        .where(TaskEventRecord.task_id == task.id)
        .order_by(TaskEventRecord.id)
    ).all()
    assert steps == ["open", "start", "report", "approve"]
    # once approved, the unit may be asked again
    again = ask(session, leader, target, head.unit_id, on="2026-04-15", due=date(2026, 4, 30))
    assert again.occurrence == task.occurrence - 1


def test_a_unit_that_never_reported_may_be_asked_too(session, target, heads, make_user):
    enter(session, heads["CB1"], target, "100", source="x")
    task = ask(session, make_user("reviewer"), target, heads["CB2"].unit_id)
    assert task.unit_id == heads["CB2"].unit_id
    assert task.last_activity_at == at("2026-04-10T08:00")  # the asking is a person's step


def test_one_explanation_awaited_at_a_time(session, target, heads, make_user):
    enter(session, heads["CB1"], target, "70", source="x")
    leader = make_user("leader")
    ask(session, leader, target, heads["CB1"].unit_id)
    with pytest.raises(ExplanationRefused) as refused:
        ask(session, make_user("reviewer"), target, heads["CB1"].unit_id)
    assert refused.value.why == "waiting"


def test_nothing_to_explain_when_the_target_is_not_missed(session, target, heads, make_user):
    enter(session, heads["CB1"], target, "100", source="x")
    enter(session, heads["CB2"], target, "95", source="x")  # amber, not red
    with pytest.raises(ExplanationRefused) as refused:
        ask(session, make_user("leader"), target, heads["CB2"].unit_id)
    assert refused.value.why == "not_missed"


def test_who_may_ask_and_what_the_request_needs(session, target, heads, make_user):
    enter(session, heads["CB1"], target, "70", source="x")
    unit = heads["CB1"].unit_id
    for who in (heads["CB1"], make_user("admin"), make_user("member", "CB1")):
        with pytest.raises(NotAllowed):
            ask(session, who, target, unit)
    with pytest.raises(NotAllowed):  # UBND does not report this target
        ask(session, make_user("leader"), target, heads["UBND"].unit_id)
    with pytest.raises(InvalidFields) as refused:
        ask(session, make_user("leader"), target, unit, "  ", due=date(2026, 4, 10))
    assert set(refused.value.problems) == {"due_on", "text"}


def test_a_constant_number_of_statements_whatever_the_figures(
    session, target, heads, make_user, db
):
    leader = make_user("leader")

    def statements() -> int:
        seen = []
        listen = lambda *args: seen.append(args[2])  # noqa: E731
        event.listen(db, "before_cursor_execute", listen)
        try:
            plan_targets(session, leader, date(2026, 12, 20))
        finally:
            event.remove(db, "before_cursor_execute", listen)
        return len(seen)

    statements()  # the user and the organisation, read once
    few = statements()
    for n, quarter in enumerate(("2026-Q1", "2026-Q2", "2026-Q3"), start=1):
        for code in ("CB1", "CB2"):
            enter(
                session,
                heads[code],
                target,
                str(60 + n),
                source="x",
                period=quarter,
                when=at("2026-12-20T09:00"),
            )
    assert few == statements() == 5  # plans, targets, latest figures, units, explanations
