"""The demo: the Việt Hưng plan with a realistic year behind it, ready for a newcomer."""

import time
from datetime import timedelta

from sqlmodel import func, select

from tests.conftest import VIET_HUNG_PLAN
from workflow.accountability.year import unit_year
from workflow.accounts.models import User
from workflow.clock import Clock
from workflow.demo.history import prepare_demo
from workflow.organisations.models import Organisation
from workflow.organisations.queries import find_unit
from workflow.plans.checks import read_plan
from workflow.tasks.contributions import contributions_to
from workflow.tasks.models import DeadlineExtension, ReportDraft, Task, TaskEventRecord


def test_the_demo_has_accounts_and_a_history_with_every_kind_of_outcome(session):
    """On 20 June 2026: two quarters open, most of Q1 done, some late, returned or overdue."""
    accounts = prepare_demo(session, read_plan(VIET_HUNG_PLAN), Clock.at("2026-06-20T09:00"))
    session.commit()
    roles = {a.role for a in accounts}
    assert {"admin", "leader", "reviewer", "unit_head"} <= roles
    heads = [a for a in accounts if a.role == "unit_head"]
    assert {a.unit for a in heads} >= {"BXDD", "UBND", "MTTQ", "BBT", "CB-KDC1"}
    periods = set(session.exec(select(Task.period)).all())
    assert periods == {"2026-Q1", "2026-Q2"}
    q1 = session.exec(select(Task).where(Task.period == "2026-Q1")).all()
    states = [t.state for t in q1]
    assert states.count("reviewed") > len(q1) / 2
    assert "reported" in states and {"assigned", "in_progress"} & set(states)
    late = [t for t in q1 if t.first_reported_at and t.first_reported_at > t.due_at]
    assert late
    returns = session.exec(select(func.count()).where(TaskEventRecord.event == "return")).one()
    assert returns > 0


def test_running_the_demo_twice_reuses_the_data(session):
    """Does a second start add accounts, tasks or history?"""
    clock = Clock.at("2026-06-20T09:00")
    definition = read_plan(VIET_HUNG_PLAN)
    prepare_demo(session, definition, clock)
    session.commit()
    counts = [
        session.exec(select(func.count()).select_from(model)).one()
        for model in (User, Task, TaskEventRecord)
    ]
    prepare_demo(session, definition, clock)
    session.commit()
    assert [
        session.exec(select(func.count()).select_from(model)).one()
        for model in (User, Task, TaskEventRecord)
    ] == counts


def test_the_replay_leaves_the_demo_s_running_clock_running(session):
    """The history is acted out at fixed instants; the demo's own clock must run on after it,
    from where it started, not stand still at the last step."""
    clock = Clock.at("2026-06-20T09:00", runs=True)
    prepare_demo(session, read_plan(VIET_HUNG_PLAN), clock)
    session.commit()
    first = clock.now()
    time.sleep(0.01)
    assert clock.now() > first >= Clock.at("2026-06-20T09:00").now()


def test_the_demo_counts_days_in_ha_noi_not_in_utc(session):
    """At 06:30 on 1 April in Hà Nội (still 31 March in UTC) the second quarter has begun: its
    tasks are open."""
    prepare_demo(session, read_plan(VIET_HUNG_PLAN), Clock.at("2026-04-01T06:30"))
    session.commit()
    assert "2026-Q2" in set(session.exec(select(Task.period)).all())


def test_the_demo_shows_one_extension_granted_and_one_refused(session):
    """The granted one moved its task's due date a week, and the report that came four days
    after the plan's date is on time against the new one; the refused one moved nothing."""
    prepare_demo(session, read_plan(VIET_HUNG_PLAN), Clock.at("2026-06-20T09:00"))
    session.commit()
    extensions = session.exec(select(DeadlineExtension).order_by(DeadlineExtension.id)).all()
    assert sorted(e.status for e in extensions) == ["granted", "refused"]
    granted = next(e for e in extensions if e.status == "granted")
    refused = next(e for e in extensions if e.status == "refused")
    extended = session.get(Task, granted.task_id)
    assert extended.due_at == granted.proposed_due == granted.due_when_asked + timedelta(days=7)
    assert granted.due_when_asked < extended.first_reported_at <= extended.due_at
    assert refused.refusal_reason
    assert session.get(Task, refused.task_id).due_at == refused.due_when_asked
    events = session.exec(
        select(TaskEventRecord.event).where(TaskEventRecord.event.like("%_extension"))
    ).all()
    assert sorted(events) == [
        "ask_extension",
        "ask_extension",
        "grant_extension",
        "refuse_extension",
    ]


def test_the_demo_shows_contributions_taken_in_one_late_and_one_never_sent(session):
    """A duty whose coordinating units mostly sent their contributions before the lead's
    report, taken in by its head, one late and one never sent (overdue)."""
    clock = Clock.at("2026-06-20T09:00")
    prepare_demo(session, read_plan(VIET_HUNG_PLAN), clock)
    session.commit()
    leads = session.exec(select(Task).where(Task.kind == "duty").order_by(Task.id)).all()

    def showcase(lines) -> bool:
        on_time = [line for line in lines if line.sent and not line.late]
        return (
            any(line.late for line in lines)
            and any(not line.sent for line in lines)
            and bool(on_time)
            and all(line.task.state == "reviewed" for line in on_time)
        )

    assert any(showcase(contributions_to(session, lead, clock.now())) for lead in leads)


def test_the_demo_gives_a_task_to_a_member_who_drafted_its_report(session):
    prepare_demo(session, read_plan(VIET_HUNG_PLAN), Clock.at("2026-06-20T09:00"))
    session.commit()
    member = session.exec(select(User).where(User.username == "canbo.ubnd")).one()
    [task] = session.exec(select(Task).where(Task.assignee_id == member.id)).all()
    assert (task.period, task.state) == ("2026-Q2", "in_progress")
    draft = session.get(ReportDraft, task.id)
    assert draft.author_id == member.id and draft.text


def test_the_demo_s_front_changed_its_head_in_july_and_its_year_shows_both(session):
    clock = Clock.at("2026-12-01T09:00")
    prepare_demo(session, read_plan(VIET_HUNG_PLAN), clock)
    session.commit()
    ward = session.exec(select(Organisation).where(Organisation.level == "commune")).one()
    front = find_unit(session, ward, "MTTQ")
    heads = unit_year(session, ward, front, 2026, clock).heads
    assert [(h.term.name, clock.local(h.term.started_at).date().isoformat()) for h in heads] == [
        ("Nguyễn Văn Tiền", "2026-01-01"),
        ("Lê Thị Thu Hà", "2026-07-01"),
    ]
    assert heads[0].term.ended_at == heads[1].term.started_at
    assert heads[0].figures.owed > 0 and heads[1].figures.owed > 0


def test_the_demo_ward_is_under_hanoi_under_the_nation_each_with_an_overseer(session):
    accounts = prepare_demo(session, read_plan(VIET_HUNG_PLAN), Clock.at("2026-12-01T09:00"))
    prepare_demo(session, read_plan(VIET_HUNG_PLAN), Clock.at("2026-12-01T09:00"))  # restarted
    session.commit()
    by_code = {o.code: o for o in session.exec(select(Organisation)).all()}
    ward = next(o for o in by_code.values() if o.level == "commune")
    assert (by_code["HN"].level, by_code["TW"].level) == ("city", "national")
    assert ward.parent_id == by_code["HN"].id and by_code["HN"].parent_id == by_code["TW"].id
    overseers = [a.username for a in accounts if a.role == "overseer"]
    assert overseers == ["theodoi.tw", "theodoi.hanoi"]
