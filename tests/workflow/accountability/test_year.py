"""A unit's year of accountability: every figure of the year page, each task credited to whoever
was head when it fell due, the grade the figures propose, and a leader's confirmation.

UBND's year in the small plan: VI.2.1 each quarter (due the 15th of the quarter's last month,
17:00) and VI.2.7 (due 20 May). Its head Hùng ran it until 1 April 2026 at 08:00; Lan since."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from tests.conftest import PASSWORD, SMALL_PLAN, at
from workflow.accountability.evaluation import confirm_grade, save_grading_rules
from workflow.accountability.grading import DEFAULT_RULES, Grade, GradeRule, Standing, propose
from workflow.accountability.models import UnitGrade
from workflow.accountability.year import _covers, unit_year, year_overview
from workflow.accounts.operations import add_user, set_role_and_unit
from workflow.clock import Clock
from workflow.errors import InvalidInput, NotAllowed
from workflow.organisations.models import HeadTerm, Organisation, Unit
from workflow.organisations.queries import find_unit
from workflow.periods import Quarter
from workflow.plans.checks import read_plan
from workflow.plans.models import Responsibility, Target
from workflow.plans.opening import open_quarter
from workflow.plans.store import load_plan
from workflow.targets.explanations import request_explanation
from workflow.targets.figures import FigureEntry, enter_figure
from workflow.tasks.extensions import ask_extension, grant_extension
from workflow.tasks.models import Task
from workflow.tasks.operations import approve_report, return_report, start_task, submit_report

CHANGE = at("2026-04-01T08:00")
AS_OF = Clock.at("2026-07-10T09:00")


def person(session, ward, username, role, unit=None, when="2026-01-01T00:00", name=""):
    return add_user(
        session,
        ward,
        username,
        role,
        f"{username}@example.vn",
        PASSWORD,
        unit_code=unit,
        full_name=name or username,
        now=at(when),
    )


@pytest.fixture
def people(session, ward):
    everyone = {
        "admin": person(session, ward, "admin", "admin"),
        "hung": person(session, ward, "hung", "unit_head", "UBND", name="Đỗ Văn Hùng"),
        "lan": person(session, ward, "lan", "member", "UBND", name="Vũ Thị Lan"),
        "reviewer": person(session, ward, "duyet", "reviewer"),
        "leader": person(session, ward, "lanhdao", "leader"),
        "bxdd": person(session, ward, "bxdd", "unit_head", "BXDD"),
    }
    for quarter in ("2026-Q1", "2026-Q2", "2026-Q3"):
        open_quarter(session, ward, Quarter.parse(quarter), Clock.at("2026-01-01T00:00"))
    session.commit()
    return everyone


def change_heads(session, people):
    """1 April 08:00: Hùng moves on, Lan becomes UBND's head."""
    admin = people["admin"]
    set_role_and_unit(session, admin, people["hung"].id, "member", "UBND", now=CHANGE)
    set_role_and_unit(session, admin, people["lan"].id, "unit_head", "UBND", now=CHANGE)
    session.commit()


def task_of(session, ward, ref, unit, quarter):
    return session.exec(
        select(Task)
        .join(Responsibility)
        .join(Unit, Unit.id == Task.unit_id)
        .where(
            Responsibility.ref == ref,
            Unit.code == unit,
            Task.period == quarter,
            Task.kind == "duty",
        )
    ).one()


def report(session, head, task, when, reviewer=None, approve_at=None):
    start_task(session, head, task.id, task.version, now=at(when) - timedelta(days=1))
    session.refresh(task)
    submit_report(session, head, task.id, task.version, "Đã thực hiện", now=at(when))
    session.refresh(task)
    if reviewer is not None:
        approve_report(session, reviewer, task.id, task.version, now=at(approve_at or when))
        session.refresh(task)


@pytest.fixture
def year(session, ward, people):
    """Hùng's Q1 on time and approved; Lan's Q2 returned once, then late and approved; VI.2.7
    extended by a week and reported on the new day; Q3 not yet due on 10 July."""
    hung, lan, reviewer = people["hung"], people["lan"], people["reviewer"]
    q1 = task_of(session, ward, "VI.2.1", "UBND", "2026-Q1")
    report(session, hung, q1, "2026-03-14T10:00", reviewer, "2026-03-16T10:00")
    change_heads(session, people)
    q2 = task_of(session, ward, "VI.2.1", "UBND", "2026-Q2")
    report(session, lan, q2, "2026-06-14T10:00")
    return_report(session, reviewer, q2.id, q2.version, "Thiếu số liệu", now=at("2026-06-15T09:00"))
    session.refresh(q2)
    submit_report(session, lan, q2.id, q2.version, "Bổ sung", now=at("2026-06-20T09:00"))
    session.refresh(q2)
    approve_report(session, reviewer, q2.id, q2.version, now=at("2026-06-22T09:00"))
    vi_2_7 = task_of(session, ward, "VI.2.7", "UBND", "2026-Q2")
    ask_extension(
        session,
        lan,
        vi_2_7.id,
        vi_2_7.version,
        at("2026-05-27").date(),
        "Chờ số liệu",
        clock=Clock.at("2026-05-15T09:00"),
    )
    session.refresh(vi_2_7)
    grant_extension(
        session, reviewer, vi_2_7.id, vi_2_7.version, clock=Clock.at("2026-05-16T09:00")
    )
    session.refresh(vi_2_7)
    report(session, lan, vi_2_7, "2026-05-27T16:00", reviewer, "2026-05-28T09:00")
    session.commit()
    return unit_year(session, ward, find_unit(session, ward, "UBND"), 2026, AS_OF)


def test_the_head_history_is_kept_with_dates(session, people):
    change_heads(session, people)
    terms = session.exec(
        select(HeadTerm).where(HeadTerm.unit_id == people["lan"].unit_id).order_by(HeadTerm.id)
    ).all()
    assert [(t.user_id, t.started_at, t.ended_at, t.recorded_by) for t in terms] == [
        (people["hung"].id, at("2026-01-01T00:00"), CHANGE, None),
        (people["lan"].id, CHANGE, None, people["admin"].id),
    ]


def test_each_task_is_credited_to_the_head_when_it_fell_due(year, people):
    heads = {h.term.name: h.figures for h in year.heads}
    assert list(heads) == ["Đỗ Văn Hùng", "Vũ Thị Lan"]
    hung, lan = heads["Đỗ Văn Hùng"], heads["Vũ Thị Lan"]
    assert (hung.owed, hung.due, hung.completed_on_time, hung.completed_late) == (1, 1, 1, 0)
    assert (lan.owed, lan.due, lan.completed_on_time, lan.completed_late) == (3, 2, 1, 1)
    assert (lan.extended, lan.returned, lan.overdue, lan.awaiting_review) == (1, 1, 0, 0)
    assert [(r.ref, r.reason) for h in year.heads for r in h.returns] == [
        ("VI.2.1", "Thiếu số liệu")
    ]
    assert [r.period for r in year.heads[1].returns] == ["2026-Q2"]


def test_the_whole_year_counts_each_task_once(year):
    figures = year.figures
    assert (figures.owed, figures.due, figures.completed_on_time) == (4, 3, 2)
    assert (figures.completed_late, figures.extended, figures.returned) == (1, 1, 1)
    assert figures.on_time_rate == pytest.approx(2 / 3)
    assert (figures.contributions, figures.explanations) == (0, 0)


def test_a_task_due_at_the_instant_of_the_change_is_the_new_head_s(session, ward, people):
    """Exactly at the change a task is the new head's, a second before it the old one's."""
    change_heads(session, people)
    old, new = unit_year(session, ward, find_unit(session, ward, "UBND"), 2026, AS_OF).heads
    assert _covers(new.term, CHANGE) and not _covers(old.term, CHANGE)
    assert _covers(old.term, CHANGE - timedelta(seconds=1))


def test_a_coordinating_unit_s_contributions_count_in_its_year(session, ward, people):
    bxdd = people["bxdd"]
    contribution = session.exec(
        select(Task).where(
            Task.kind == "contribution", Task.unit_id == bxdd.unit_id, Task.period == "2026-Q1"
        )
    ).one()
    start_task(session, bxdd, contribution.id, contribution.version, now=at("2026-03-01"))
    session.refresh(contribution)
    submit_report(
        session, bxdd, contribution.id, contribution.version, "Ý kiến", now=at("2026-03-11")
    )
    session.commit()
    figures = unit_year(session, ward, find_unit(session, ward, "BXDD"), 2026, AS_OF).figures
    # Q1's sent a day late; Q2's (due 10 June) never sent; Q3's not yet due
    assert (figures.contributions, figures.contributed_on_time, figures.contributed_late) == (
        3,
        0,
        1,
    )
    assert figures.contributions_overdue == 1


def test_the_grade_proposed_follows_the_office_s_rules(session, ward, year, people):
    assert year.proposed is Grade.DONE  # 67% on time: below "good"'s 75%
    lenient = dict(DEFAULT_RULES) | {Grade.GOOD: GradeRule(0.6, 0.7, 2, 0)}
    save_grading_rules(session, people["admin"], lenient, clock=AS_OF)
    session.commit()
    again = unit_year(session, ward, find_unit(session, ward, "UBND"), 2026, AS_OF)
    assert again.proposed is Grade.GOOD


def test_rules_that_make_a_lower_grade_harder_are_refused(session, people):
    upside_down = dict(DEFAULT_RULES) | {Grade.DONE: GradeRule(0.95, 0.5, 5, 1)}
    with pytest.raises(InvalidInput):
        save_grading_rules(session, people["admin"], upside_down, clock=AS_OF)
    with pytest.raises(NotAllowed):
        save_grading_rules(session, people["leader"], dict(DEFAULT_RULES), clock=AS_OF)


@pytest.mark.parametrize(
    ("standing", "grade"),
    [
        (Standing(10, 9, 10, 9, 0, 0), Grade.EXCELLENT),  # exactly at each threshold
        (Standing(10, 9, 10, 9, 1, 0), Grade.GOOD),  # one overdue
        (Standing(100, 74, 0, 0, 0, 0), Grade.DONE),  # no target: only the tasks judged
        (Standing(10, 4, 10, 9, 0, 0), Grade.NOT_DONE),
        (Standing(0, 0, 0, 0, 0, 0), None),  # nothing to judge
    ],
)
def test_the_rules_at_their_boundaries(standing, grade):
    assert propose(standing, DEFAULT_RULES) is grade


def test_a_leader_confirms_and_must_say_why_when_choosing_otherwise(session, ward, year, people):
    leader, unit = people["leader"], find_unit(session, ward, "UBND")
    with pytest.raises(InvalidInput):
        confirm_grade(session, leader, ward, unit, 2026, "good", clock=AS_OF)
    confirm_grade(
        session, leader, ward, unit, 2026, "good", "Đơn vị khắc phục kịp thời", clock=AS_OF
    )
    confirm_grade(session, leader, ward, unit, 2026, "done", clock=AS_OF)
    session.commit()
    record = session.get(UnitGrade, (unit.id, 2026))
    assert (record.grade, record.proposed, record.confirmed_by) == ("done", "done", leader.id)
    with pytest.raises(NotAllowed):
        confirm_grade(session, people["reviewer"], ward, unit, 2026, "done", clock=AS_OF)


def test_only_the_ward_wide_roles_and_the_unit_s_head_see_its_year(session, ward, people):
    change_heads(session, people)
    ubnd = find_unit(session, ward, "UBND")
    unit_year(session, ward, ubnd, 2026, AS_OF, viewer=people["lan"])
    with pytest.raises(NotAllowed):
        unit_year(session, ward, ubnd, 2026, AS_OF, viewer=people["bxdd"])


def test_the_overview_grades_every_unit_that_owed_something(session, ward, year, people):
    lines = {
        line.unit.code: line
        for line in year_overview(session, ward, 2026, AS_OF, viewer=people["leader"])
    }
    assert set(lines) == {"BXDD", "CB1", "CB2", "UBND"}
    assert lines["UBND"].figures == year.figures
    assert lines["UBND"].proposed is year.proposed


def test_a_task_due_exactly_when_the_head_changes_counts_for_the_new_head(session, ward, people):
    """The head changes on 15 March at 17:00, the very time Q1's VI.2.1 is due: it is Lan's."""
    due = at("2026-03-15T17:00")
    admin = people["admin"]
    set_role_and_unit(session, admin, people["hung"].id, "member", "UBND", now=due)
    set_role_and_unit(session, admin, people["lan"].id, "unit_head", "UBND", now=due)
    session.commit()
    hung, lan = unit_year(session, ward, find_unit(session, ward, "UBND"), 2026, AS_OF).heads
    assert (hung.term.name, hung.figures.owed) == ("Đỗ Văn Hùng", 0)
    assert (lan.term.name, lan.figures.owed) == ("Vũ Thị Lan", 4)


def test_another_organisation_s_leader_is_refused(session, ward, people):
    other_plan = read_plan(SMALL_PLAN)
    other_plan["organisation"] = {**other_plan["organisation"], "code": "DU-KHAC"}
    load_plan(session, other_plan, Clock())
    other = session.exec(select(Organisation).where(Organisation.code == "DU-KHAC")).one()
    outsider = person(session, other, "lanhdao-khac", "leader")
    session.commit()
    with pytest.raises(NotAllowed):
        unit_year(session, ward, find_unit(session, ward, "UBND"), 2026, AS_OF, viewer=outsider)
    with pytest.raises(NotAllowed):
        year_overview(session, ward, 2026, AS_OF, viewer=outsider)


def test_targets_reached_and_explanations_asked_count_in_the_year(session, ward, people):
    """I.2.4 (= 100%) is reported by the cells: CB1 reached it in Q1, CB2 gave 80% and was asked
    to explain; neither reported Q2, over by 10 July. Q3 is still running: no verdict yet."""
    cb1 = person(session, ward, "cb1", "unit_head", "CB1")
    cb2 = person(session, ward, "cb2", "unit_head", "CB2")
    target = session.exec(select(Target).where(Target.ref == "I.2.4")).one()
    for head, value in ((cb1, "100"), (cb2, "80")):
        enter_figure(
            session,
            head,
            target.id,
            FigureEntry(period="2026-Q1", value=value, source="Sổ theo dõi"),
            now=at("2026-03-30T09:00"),
            today=at("2026-03-30T09:00").date(),
        )
    request_explanation(
        session,
        people["leader"],
        target.id,
        cb2.unit_id,
        "2026-Q1",
        at("2026-04-20").date(),
        "Đề nghị giải trình",
        Clock.at("2026-04-10T09:00"),
    )
    session.commit()
    one = unit_year(session, ward, find_unit(session, ward, "CB1"), 2026, AS_OF).figures
    two = unit_year(session, ward, find_unit(session, ward, "CB2"), 2026, AS_OF).figures
    assert (one.targets_assessed, one.targets_reached, one.targets_rate) == (2, 1, 0.5)
    assert (two.targets_assessed, two.targets_reached) == (2, 0)
    assert (two.explanations, two.explanations_answered, one.explanations) == (1, 0, 0)
    assert two.standing.unanswered == 1
