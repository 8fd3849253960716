"""Plan format 2, on a plan of another shape than the ward's yearly one: the election of 15
March 2026 (``tests/plans/election-2026.yaml``), with deadlines counted from the election day,
work spanning quarters, phases, positions with their holders, more roles than lead and
coordinating, a group the admin names later, and annexes.

Every expected deadline below is worked out by hand from the plan's text and the 2026
calendar: 15/03/2026 is a Sunday, 30/04 a public holiday, 20/12/2025 a Saturday.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlmodel import select

from tests.conftest import ROOT
from workflow.accounts.operations import add_user
from workflow.clock import Clock
from workflow.organisations.models import Unit, UnitMembership
from workflow.organisations.queries import find_organisation, find_unit
from workflow.periods import Quarter
from workflow.plans.checks import PlanInvalid, parse_plan, read_plan
from workflow.plans.models import Responsibility, ResponsibilityUnit
from workflow.plans.opening import open_quarter
from workflow.plans.schedule import days_off
from workflow.plans.store import load_plan
from workflow.tasks.models import Task, TaskEventRecord
from workflow.tasks.operations import start_task, submit_report
from workflow.tasks.queries import task_detail

ELECTION = ROOT / "tests" / "plans" / "election-2026.yaml"
TEXT = ELECTION.read_text(encoding="utf-8")
QUARTERS = [Quarter(2025, 4), Quarter(2026, 1), Quarter(2026, 2)]
CLOCK = Clock.at("2025-12-01T08:00")


def local(task: Task) -> str:
    return CLOCK.local(task.due_at).strftime("%d/%m/%Y %H:%M")


@pytest.fixture
def election(session):
    """The election plan loaded and its three quarters opened."""
    load_plan(session, read_plan(ELECTION), CLOCK)
    organisation = find_organisation(session, "UBBC-TN")
    for quarter in QUARTERS:
        open_quarter(session, organisation, quarter, CLOCK)
    session.commit()
    return organisation


def tasks_of(session) -> list[tuple]:
    rows = session.exec(
        select(Task, Responsibility.ref, Unit.code)
        .join(Responsibility, Responsibility.id == Task.responsibility_id)
        .join(Unit, Unit.id == Task.unit_id)
        .order_by(Responsibility.position, Task.period, Task.occurrence, Task.id)
    ).all()
    session.commit()
    return [
        (ref, unit, task.period, task.occurrence_label, local(task), task.due_approximate)
        for task, ref, unit in rows
    ]


def test_the_plan_reads_as_written(session):
    plan = read_plan(ELECTION)
    assert plan["format"] == 2 and plan["organisation"]["kind"] == "election"
    assert plan["milestones"][0] == {
        "code": "BAU-CU",
        "name": "Ngày bầu cử",
        "date": "2026-03-15",
        "time": "07:00",
        "note": "",
    }
    assert plan["annexes"][0]["kind"] == "slogans"
    assert "Toàn dân tích cực tham gia bầu cử!" in plan["annexes"][0]["text"]
    by_code = {unit["code"]: unit for unit in plan["units"]}
    assert by_code["PCT-TT"]["holder"] == "Nguyễn Văn Bình"
    assert by_code["PCT"]["members"] == [] and by_code["PCT"]["members_later"]
    duties = {item["ref"]: item for item in plan["responsibilities"]}
    assert duties["III.1"]["cadence"] == {
        "kind": "once",
        "due": "2026-02-03T07:00",
        "milestone": "BAU-CU",
    }
    assert duties["III.5"]["cadence"] == {"kind": "once", "due": "2026-04-30", "approximate": True}
    assert (duties["III.1"]["directs"], duties["III.1"]["takes_part"]) == (["UBBC"], ["CA"])
    assert duties["III.3"]["lead"] == ["MTTQ"]  # named by its alias "Uỷ ban MTTQ xã"


def test_every_deadline_follows_the_plan(session, election):
    """What each unit owes, in which quarter, by when."""
    assert tasks_of(session) == [
        # 40 days before the election day, at its hour
        ("III.1", "PCT-TT", "2026-Q1", "", "03/02/2026 07:00", False),
        # "từ tháng 12/2025 đến quý I/2026": owed in both quarters; 15/03 is a Sunday
        # the front coordinates it: its contribution is due 5 days before the lead's report,
        # at the same hour; 08/03 is a Sunday, so the Friday before
        ("III.2", "TB-TT", "2025-Q4", "", "15/12/2025 17:00", False),
        ("III.2", "MTTQ", "2025-Q4", "", "10/12/2025 17:00", False),
        ("III.2", "TB-TT", "2026-Q1", "", "13/03/2026 17:00", False),
        ("III.2", "MTTQ", "2026-Q1", "", "06/03/2026 17:00", False),
        # 20/12/2025 is a Saturday; the third round 30 days before the election, at 17:00
        ("III.3", "MTTQ", "2025-Q4", "Hiệp thương lần thứ nhất", "19/12/2025 17:00", False),
        ("III.3", "MTTQ", "2026-Q1", "Hiệp thương lần thứ ba", "13/02/2026 17:00", False),
        # every quarter of the plan; the last one within the plan (30/04, a holiday: 29/04)
        ("III.4", "CA", "2025-Q4", "", "15/12/2025 17:00", False),
        ("III.4", "CA", "2026-Q1", "", "13/03/2026 17:00", False),
        ("III.4", "CA", "2026-Q2", "", "29/04/2026 17:00", False),
        # "dự kiến tháng 4/2026": the end of April, approximately
        ("III.5", "UBBC", "2026-Q2", "", "29/04/2026 17:00", True),
        # III.6 belongs to the Vice-Chairs, who are not named yet: nobody owes it so far
    ]
    contributions = session.exec(
        select(Responsibility.ref, Unit.code, Task.period)
        .join(Responsibility, Responsibility.id == Task.responsibility_id)
        .join(Unit, Unit.id == Task.unit_id)
        .where(Task.kind == "contribution")
    ).all()
    session.commit()
    # only the front's share of III.2 is a contribution; everything else is a duty it leads
    assert sorted(contributions) == [("III.2", "MTTQ", "2025-Q4"), ("III.2", "MTTQ", "2026-Q1")]


def test_nothing_falls_due_after_the_plan_ends(session, load, tmp_path):
    """A ward plan that ends on 30 April: its quarterly duty of Q2 is due on 30 April, the
    plan's last day, not on 15 June after it has ended (format 1 files too)."""
    short = tmp_path / "ngan.yaml"
    text = (ROOT / "tests" / "plans" / "small-ward.yaml").read_text(encoding="utf-8")
    for old, new in (
        ("end: 2026-12-31", "end: 2026-04-30"),
        ('{name: Tổng kết năm, due: "2026-12-20T11:00"}', "{name: Tổng kết, quarter: 2026-Q2}"),
        ("end: 2026-05-20", "end: 2026-04-20"),
    ):
        assert text.count(old) == 1
        text = text.replace(old, new)
    short.write_text(text, encoding="utf-8")
    ward = load(short)
    open_quarter(session, ward, Quarter(2026, 2), CLOCK)
    session.commit()
    due = {
        (ref, unit, task.occurrence_label): local(task)
        for task, ref, unit in session.exec(
            select(Task, Responsibility.ref, Unit.code)
            .join(Responsibility, Responsibility.id == Task.responsibility_id)
            .join(Unit, Unit.id == Task.unit_id)
        )
    }
    session.commit()
    assert due == {
        ("VI.2.1", "UBND", ""): "30/04/2026 17:00",  # the quarter's day would be 15/06
        # its coordinating units' contributions: 5 days before the lead's (capped) due time
        ("VI.2.1", "BXDD", ""): "25/04/2026 17:00",
        ("VI.2.1", "CB1", ""): "25/04/2026 17:00",
        ("VI.2.1", "CB2", ""): "25/04/2026 17:00",
        ("VI.1.5", "BXDD", "Sơ kết 6 tháng"): "30/04/2026 17:00",
        ("VI.1.5", "BXDD", "Tổng kết"): "30/04/2026 17:00",
        ("VI.2.7", "UBND", ""): "20/04/2026 17:00",
    }


def test_only_the_lead_owes_and_the_others_are_shown(session, election, make_user_of):
    """The Vice-Chair leads III.1: the committee directs it and the police take part, each
    shown on the task, neither owing one."""
    roles = session.exec(
        select(Unit.code, ResponsibilityUnit.role)
        .join(ResponsibilityUnit, ResponsibilityUnit.unit_id == Unit.id)
        .join(Responsibility, Responsibility.id == ResponsibilityUnit.responsibility_id)
        .where(Responsibility.ref == "III.1")
    ).all()
    assert sorted(roles) == [("CA", "takes_part"), ("PCT-TT", "lead"), ("UBBC", "directs")]
    task = session.exec(
        select(Task).join(Responsibility).where(Responsibility.ref == "III.1")
    ).one()
    detail = task_detail(session, make_user_of("reviewer"), task.id, Clock().now())
    assert [u.code for u in detail.lead] == ["PCT-TT"] and detail.unit.holder == "Nguyễn Văn Bình"
    assert {role: [u.code for u in units] for role, units in detail.others.items()} == {
        "directs": ["UBBC"],
        "in_charge": [],
        "takes_part": ["CA"],
    }
    session.commit()


@pytest.fixture
def make_user_of(session, election):
    """A user of the election committee's organisation."""

    def make(role, unit=None):
        user = add_user(
            session,
            election,
            f"{role}{unit or ''}".lower(),
            role,
            f"{role}@example.vn",
            "mat-khau-an-toan",
            unit_code=unit,
            now=CLOCK.now(),
        )
        session.commit()
        return user

    return make


def test_moving_the_election_day_moves_its_deadlines_and_keeps_history(
    session, election, make_user_of
):
    """The election moves to 29 March: the third round of consultation, not yet reported, now
    falls due 30 days before it, and its history says so; the voters' list, already reported,
    keeps the deadline it met."""
    head = make_user_of("unit_head", "PCT-TT")
    voters = session.exec(
        select(Task).join(Responsibility).where(Responsibility.ref == "III.1")
    ).one()
    start_task(session, head, voters.id, 1, now=CLOCK.now())
    submit_report(session, head, voters.id, 2, "Đã niêm yết danh sách cử tri", now=CLOCK.now())
    session.commit()

    moved = parse_plan(TEXT.replace("date: 2026-03-15", "date: 2026-03-29"), "bau-cu.yaml")
    result = load_plan(session, moved, Clock.at("2026-01-05T09:00"))
    session.commit()
    assert result.updated["tasks"] == 1
    table = tasks_of(session)
    assert ("III.1", "PCT-TT", "2026-Q1", "", "03/02/2026 07:00", False) in table
    assert (
        "III.3",
        "MTTQ",
        "2026-Q1",
        "Hiệp thương lần thứ ba",
        "27/02/2026 17:00",
        False,
    ) in table
    third = session.exec(
        select(Task).join(Responsibility).where(Responsibility.ref == "III.3", Task.occurrence == 2)
    ).one()
    history = session.exec(
        select(TaskEventRecord.event, TaskEventRecord.comment, TaskEventRecord.to_state)
        .where(TaskEventRecord.task_id == third.id)
        .order_by(TaskEventRecord.id)
    ).all()
    assert history == [
        ("open", "", "assigned"),
        ("reschedule", "13/02/2026 17:00 → 27/02/2026 17:00", "assigned"),
    ]
    again = load_plan(session, moved, Clock.at("2026-01-06T09:00"))
    assert not again.changed  # the same file again moves nothing
    session.commit()


def test_a_milestone_that_moves_a_deadline_to_another_quarter_moves_the_task(session, election):
    """If the election moved to May, the voters' list (40 days before) falls in Q2: the task
    opened in Q1 goes with its deadline, so no second task is opened for it in Q2."""
    moved = parse_plan(TEXT.replace("date: 2026-03-15", "date: 2026-05-24"), "bau-cu.yaml")
    load_plan(session, moved, Clock.at("2026-01-05T09:00"))
    open_quarter(session, election, Quarter(2026, 2), Clock.at("2026-04-01T08:00"))
    session.commit()
    voters = [row for row in tasks_of(session) if row[0] == "III.1"]
    assert voters == [("III.1", "PCT-TT", "2026-Q2", "", "14/04/2026 07:00", False)]


def test_a_group_named_later_owes_once_its_members_are_named(session, election):
    """ "Các đồng chí Phó Chủ tịch": nobody owes III.6 until the admin names them; once named,
    opening the quarter gives each a task, and loading the plan again keeps them."""
    group, vice = find_unit(session, election, "PCT"), find_unit(session, election, "PCT-TT")
    session.add(UnitMembership(group_id=group.id, member_id=vice.id))
    session.commit()
    open_quarter(session, election, Quarter(2026, 2), CLOCK)
    session.commit()
    assert ("III.6", "PCT-TT", "2026-Q2", "", "03/04/2026 17:00", False) in tasks_of(session)
    edited = parse_plan(TEXT.replace("Bảo đảm an ninh trật tự", "Bảo đảm an ninh"), "bc.yaml")
    load_plan(session, edited, CLOCK)
    session.commit()
    members = session.exec(select(UnitMembership).where(UnitMembership.group_id == group.id))
    assert [m.member_id for m in members] == [vice.id]
    session.commit()


def test_the_days_off_are_said_and_where_they_move(session):
    notes = [(d.ref, d.label, d.due, d.moved_to) for d in days_off(read_plan(ELECTION))]
    assert ("III.2", "", datetime(2026, 3, 15, 17, 0), datetime(2026, 3, 13, 17, 0)) in notes
    assert (
        "III.3",
        "Hiệp thương lần thứ nhất",
        datetime(2025, 12, 20, 17, 0),
        datetime(2025, 12, 19, 17, 0),
    ) in notes
    assert ("III.6", "", datetime(2026, 4, 5, 17, 0), datetime(2026, 4, 3, 17, 0)) in notes
    assert not any(ref == "III.1" for ref, *_rest in notes)  # Tuesday 3 February


@pytest.mark.parametrize(
    ("old", "new", "field", "message"),
    [
        (
            "{milestone: BAU-CU, days_before: 40}",
            "{milestone: BAU-CU-2, days_before: 40}",
            "responsibilities[III.1].cadence.due.milestone",
            "BAU-CU-2 is not a milestone of this plan",
        ),
        (
            "{milestone: BAU-CU, days_before: 40}",
            "{milestone: BAU-CU, days_before: 40, days_after: 2}",
            "responsibilities[III.1].cadence.due",
            "give days_before or days_after, not both",
        ),
        (
            "{milestone: BAU-CU, days_before: 40}",
            "{milestone: BAU-CU, days_after: 90}",
            "responsibilities[III.1].cadence.due",
            "2026-06-13 is outside the plan's period (2025-12-01 to 2026-04-30)",
        ),
        (
            "start: 2025-12, end: 2026-Q1",
            "start: 2026-03, end: 2025-Q4",
            "responsibilities[III.2].cadence.end",
            "ends before it starts",
        ),
        (
            "takes_part: [CA]",
            "takes_part: [CA, PCT-TT]",
            "responsibilities[III.1].takes_part[2]",
            "PCT-TT already leads this responsibility",
        ),
        (
            "members: [], members_later: true",
            "members: []",
            "groups[PCT].members",
            "a group needs its members, or members_later: true when they are named later",
        ),
        (
            "due: 2026-04}",
            "due: 2026-13}",
            "responsibilities[III.5].cadence.due",
            "is not a date (YYYY-MM-DD, YYYY-MM-DDTHH:MM or a month YYYY-MM) nor a milestone",
        ),
    ],
    ids=[
        "unknown-milestone",
        "before-and-after",
        "milestone-outside-the-plan",
        "span-backwards",
        "two-roles",
        "group-without-members",
        "month-13",
    ],
)
def test_a_mistake_in_format_2_is_located(old, new, field, message):
    assert TEXT.count(old) == 1
    with pytest.raises(PlanInvalid) as invalid:
        parse_plan(TEXT.replace(old, new), "bau-cu.yaml")
    found = [p.format() for p in invalid.value.problems]
    assert len(found) == 1 and found[0].split(": ", 2)[1:] == [field, found[0].split(": ", 2)[2]]
    assert message in found[0], found
