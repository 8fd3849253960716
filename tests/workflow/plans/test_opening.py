"""Opening a quarter turns the plan's responsibilities into tasks, once."""

from datetime import UTC, datetime

from sqlmodel import select

from tests.conftest import Q1_CONTRIBUTIONS, Q1_DUTIES
from workflow.clock import Clock
from workflow.organisations.models import Unit
from workflow.periods import Quarter
from workflow.plans.models import Responsibility
from workflow.plans.opening import open_quarter
from workflow.tasks.models import Task, TaskEventRecord


def tasks_by_ref(session, quarter):
    rows = session.exec(select(Task).where(Task.period == quarter)).all()
    return sorted((t.responsibility_id, t.unit_id, t.occurrence_label) for t in rows)


def test_a_quarter_gets_one_task_per_responsibility_and_lead_unit(session, ward, open_tasks):
    """Which tasks does opening 2026-Q1 create, and for whom?"""
    task = open_tasks("2026-Q1")
    # quarterly VI.2.1 for UBND; VI.4.1 (Q1 only) for each member of the group; VI.1.7 once in Feb
    assert task("VI.2.1", "UBND").state == "assigned"
    assert task("VI.4.1", "CB1").unit_id != task("VI.4.1", "CB2").unit_id
    assert task("VI.1.7", "BXDD").version == 1
    # and VI.2.1's coordinating units (BXDD, and the group as its two cells) each contribute
    rows = session.exec(
        select(Responsibility.ref, Unit.code, Task.kind)
        .join(Responsibility, Responsibility.id == Task.responsibility_id)
        .join(Unit, Unit.id == Task.unit_id)
        .where(Task.period == "2026-Q1")
    ).all()
    assert sorted(rows) == sorted(
        [(ref, unit, "duty") for ref, unit in Q1_DUTIES]
        + [(ref, unit, "contribution") for ref, unit in Q1_CONTRIBUTIONS]
    )


def test_the_group_itself_owes_nothing(session, ward, open_tasks):
    """Does a duty owned by a group reach each of its members, and not the group?"""
    open_tasks("2026-Q1")
    from workflow.organisations.queries import find_unit

    owners = {code: find_unit(session, ward, code).id for code in ("TCD", "CB1", "CB2")}
    owed = session.exec(select(Task.unit_id).join(Responsibility)).all()
    group_duty = session.exec(
        select(Task.unit_id).join(Responsibility).where(Responsibility.ref == "VI.4.1")
    ).all()
    assert sorted(group_duty) == sorted([owners["CB1"], owners["CB2"]])
    assert owners["TCD"] not in owed


def test_opening_twice_creates_nothing_new(session, ward):
    """Is opening a quarter idempotent?"""
    first = open_quarter(session, ward, Quarter.parse("2026-Q2"), Clock())
    session.commit()
    second = open_quarter(session, ward, Quarter.parse("2026-Q2"), Clock())
    session.commit()
    # VI.2.1 for UBND and its three contributions, VI.1.5 for BXDD, VI.2.7 for UBND
    assert (first.created, first.existing) == (6, 0)
    assert (second.created, second.existing) == (0, 6)
    assert len(session.exec(select(Task)).all()) == 6
    assert len(session.exec(select(TaskEventRecord)).all()) == 6


def test_due_times_are_local_and_stored_in_utc(session, ward, open_tasks):
    """When is a quarterly report due? 15/03 17:00 in Hà Nội is 10:00 UTC."""
    task = open_tasks("2026-Q1")
    assert task("VI.2.1", "UBND").due_at == datetime(2026, 3, 15, 10, 0, tzinfo=UTC)
    assert task("VI.1.7", "BXDD").due_at == datetime(2026, 2, 10, 10, 0, tzinfo=UTC)
    # the coordinating units' contributions to VI.2.1 fall due five days before the lead's report
    for unit in ("BXDD", "CB1", "CB2"):
        assert task("VI.2.1", unit).due_at == datetime(2026, 3, 10, 10, 0, tzinfo=UTC)


def test_phases_and_ranges_fall_in_their_quarters(session, ward, open_tasks):
    """Which phase (đợt) is owed in Q2 and Q4, and when is a range due?"""
    q2 = open_tasks("2026-Q2")
    assert q2("VI.1.5", "BXDD").occurrence_label == "Sơ kết 6 tháng"
    assert q2("VI.2.7", "UBND").due_at == datetime(2026, 5, 20, 10, 0, tzinfo=UTC)
    q4 = open_tasks("2026-Q4")
    final = q4("VI.1.5", "BXDD")
    assert (final.occurrence_label, final.due_at) == (
        "Tổng kết năm",
        datetime(2026, 12, 20, 4, 0, tzinfo=UTC),
    )


def test_a_quarter_outside_the_plan_opens_nothing(session, ward):
    """Does 2027-Q1 create tasks of a 2026 plan?"""
    assert open_quarter(session, ward, Quarter.parse("2027-Q1"), Clock()).created == 0


def test_each_new_task_starts_its_history(session, ward, open_tasks):
    """Is the opening itself in the task's history?"""
    task = open_tasks("2026-Q1")("VI.2.1", "UBND")
    events = session.exec(select(TaskEventRecord).where(TaskEventRecord.task_id == task.id)).all()
    assert [(e.event, e.from_state, e.to_state, e.actor_id) for e in events] == [
        ("open", None, "assigned", None)
    ]
