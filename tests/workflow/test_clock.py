"""The clock: carried by whoever needs it, never a process global; "today" is the local date."""

import time
from datetime import UTC, date, datetime

from web import create_app
from web.clock import app_clock
from workflow.clock import Clock


def test_a_clock_set_in_local_time_reads_utc_and_today_is_the_local_date():
    """GIAOVIEC_NOW=2026-03-20T08:00 is 01:00 UTC, and today is the 20th in Hà Nội."""
    clock = Clock.at("2026-03-20T08:00")
    assert clock.now() == datetime(2026, 3, 20, 1, 0, tzinfo=UTC)
    assert clock.today() == date(2026, 3, 20)
    late = Clock.at("2026-03-20T23:30+07:00")
    assert (late.now().hour, late.today()) == (16, date(2026, 3, 20))


def test_today_is_the_local_date_when_utc_is_still_yesterday():
    """At 06:30 on 1 April in Hà Nội it is still 31 March in UTC: today is 1 April."""
    clock = Clock.at("2026-04-01T06:30")
    assert clock.now().date() == date(2026, 3, 31)
    assert clock.today() == date(2026, 4, 1)


def test_a_standing_clock_stands_and_a_running_clock_runs_on():
    """A replay stands still; the demo's clock starts at --now and keeps running."""
    standing = Clock.at("2026-03-20T08:00")
    running = Clock.at("2026-03-20T08:00", runs=True)
    time.sleep(0.01)
    assert standing.now() == datetime(2026, 3, 20, 1, 0, tzinfo=UTC)
    assert running.now() > datetime(2026, 3, 20, 1, 0, tzinfo=UTC)
    assert Clock().now().year >= 2026


def test_a_step_of_a_replay_leaves_the_clock_it_came_from_running():
    """The demo replays history at fixed instants: its own clock keeps running meanwhile."""
    running = Clock.at("2026-06-20T09:00", runs=True)
    step = running.stopped_at(datetime(2026, 1, 5, 2, 0, tzinfo=UTC))
    time.sleep(0.01)
    assert step.now() == datetime(2026, 1, 5, 2, 0, tzinfo=UTC)
    assert running.now() > datetime(2026, 6, 20, 2, 0, tzinfo=UTC)


def test_each_app_carries_its_own_clock(tmp_path):
    """GIAOVIEC_NOW sets one app's clock, and another app is not affected."""
    replayed = create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/a.db", "NOW": "2026-07-01T09:00"})
    live = create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/b.db"})
    assert app_clock(replayed).now() == datetime(2026, 7, 1, 2, 0, tzinfo=UTC)
    assert app_clock(live).start is None


def test_the_time_zone_is_a_setting_of_the_app(tmp_path):
    """GIAOVIEC_TIMEZONE decides what "today" is; the default is Hà Nội."""
    settings = {"DATABASE_URL": f"sqlite:///{tmp_path}/a.db", "NOW": "2026-04-01T06:30+07:00"}
    hanoi = create_app(settings)
    utc = create_app({**settings, "TIMEZONE": "UTC"})
    assert app_clock(hanoi).today() == date(2026, 4, 1)
    assert app_clock(utc).today() == date(2026, 3, 31)
