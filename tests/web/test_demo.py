"""The demo: the Việt Hưng plan with a realistic year behind it, ready for a newcomer."""

from sqlmodel import func, select

from tests.conftest import VIET_HUNG_PLAN
from workflow import clock
from workflow.accounts.models import User
from workflow.demo.history import prepare_demo
from workflow.plans.checks import read_plan
from workflow.tasks.models import Task, TaskEventRecord


def test_the_demo_has_accounts_and_a_history_with_every_kind_of_outcome(session):
    """On 20 June 2026: two quarters open, most of Q1 done, some late, returned or overdue."""
    clock.set_now("2026-06-20T09:00")
    accounts = prepare_demo(session, read_plan(VIET_HUNG_PLAN), clock.now())
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
    clock.set_now("2026-06-20T09:00")
    definition = read_plan(VIET_HUNG_PLAN)
    prepare_demo(session, definition, clock.now())
    session.commit()
    counts = [
        session.exec(select(func.count()).select_from(model)).one()
        for model in (User, Task, TaskEventRecord)
    ]
    prepare_demo(session, definition, clock.now())
    session.commit()
    assert [
        session.exec(select(func.count()).select_from(model)).one()
        for model in (User, Task, TaskEventRecord)
    ] == counts


def test_the_demo_scheduler_runs_in_its_own_thread_once_and_keeps_mail_in_the_outbox(
    app, session, make_user, open_tasks
):
    """Without an SMTP server, does the demo's scheduler thread queue the day's mail (and leave
    it queued), and does a second start do nothing?"""
    from web.cli.demo import start_scheduler
    from workflow.outbox.models import OutboxMessage

    make_user("unit_head", "UBND")
    open_tasks()
    clock.set_now("2026-01-02T07:30")
    assert not app.config.get("SMTP_HOST")
    runner = start_scheduler(app)
    try:
        assert runner is not None and runner.thread.daemon
        assert start_scheduler(app) is None
        assert runner.swept.wait(20)
        session.expire_all()
        statuses = session.exec(select(OutboxMessage.status)).all()
        session.commit()
        assert statuses == ["queued"]
    finally:
        runner.stop()
    assert not runner.thread.is_alive()
