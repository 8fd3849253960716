"""``giaoviec demo``'s scheduler: a thread of the demo process, through the one lock."""

from sqlmodel import select

from tests.conftest import set_clock


def test_the_demo_scheduler_runs_in_its_own_thread_once_and_keeps_mail_in_the_outbox(
    app, session, make_user, open_tasks
):
    """Without an SMTP server, does the demo's scheduler thread queue the day's mail (and leave
    it queued), and does a second start do nothing?"""
    from web.cli.demo import start_scheduler
    from workflow.outbox.models import OutboxMessage

    make_user("unit_head", "UBND")
    open_tasks()
    set_clock(app, "2026-01-02T07:30")
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
