"""Two of everything at once: two ``reminders run``, two schedulers. One sends; the other is
refused or waits, and adds nothing."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from notifications.lock import SchedulerLock
from tests.conftest import Office
from tests.notifications.conftest import BASE_URL, MAIL_FROM
from workflow.db.engine import make_engine

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def heads(make_user):
    return [make_user("unit_head", unit) for unit in ("BXDD", "UBND", "CB1", "CB2")]


def giaoviec(database_url, smtp_server, *args, now=None, log: Path | None = None):
    """``giaoviec ARGS`` in a process of its own, on the test database and SMTP server; its
    standard error goes to ``log`` when given (read while it runs), else to a pipe."""
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "GIAOVIEC_DATABASE_URL": database_url,
        "GIAOVIEC_SECRET_KEY": "test",
        "GIAOVIEC_SMTP_HOST": "127.0.0.1",
        "GIAOVIEC_SMTP_PORT": str(smtp_server.port),
        "GIAOVIEC_MAIL_FROM": MAIL_FROM,
        "GIAOVIEC_BASE_URL": BASE_URL,
        "GIAOVIEC_LOCALE": "en",  # the command's output, parsed below
    }
    if now:
        env["GIAOVIEC_NOW"] = now
    command = [sys.executable, "-c", "from web.cli import main; main()", *args]
    if log is None:
        return subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
    with open(log, "w") as stderr:
        return subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=stderr, text=True
        )


def test_reminders_run_twice_at_once_sends_each_email_once(database_url, heads, smtp_server):
    """Two ``giaoviec reminders run`` started together: four digests in all, none twice. Either
    the second is refused while the first holds the scheduler lock (and says so), or it runs
    after the first and finds nothing left to do."""
    runs = [
        giaoviec(database_url, smtp_server, "reminders", "run", "--now", "2026-01-02T07:30")
        for _n in range(2)
    ]
    outputs = [run.communicate(timeout=60) for run in runs]
    ran = [out for run, (out, _err) in zip(runs, outputs, strict=True) if run.returncode == 0]
    refused = [err for run, (_out, err) in zip(runs, outputs, strict=True) if run.returncode]
    assert len(ran) + len(refused) == 2, outputs
    assert all("A scheduler is running" in err for err in refused)
    queued = sorted(int(out.split(" emails queued")[0].split()[-1]) for out in ran)
    assert queued in ([4], [0, 4])
    received = smtp_server.mailbox.take()
    assert sorted(m.to[0] for m in received) == sorted(h.email for h in heads)

    again = giaoviec(database_url, smtp_server, "reminders", "run", "--now", "2026-01-02T09:00")
    out, err = again.communicate(timeout=60)
    assert "0 emails queued" in out and "0 emails sent" in out, err
    assert smtp_server.mailbox.take() == []


def test_dry_run_prints_and_writes_nothing(app, runner, heads, smtp_server):
    """Does ``--dry-run`` list the digests it would queue, and leave nothing behind?"""
    app.config["LOCALE"] = "en"
    runner.invoke(args=["tasks", "open", "--quarter", "2026-Q1"])
    result = runner.invoke(args=["reminders", "run", "--dry-run", "--now", "2026-01-02T07:30"])
    assert result.exit_code == 0, result.output
    assert result.output.count("@example.vn>: [Giao Việc] 02/01/2026") == 4
    assert "4 emails would be queued (dry run)." in result.output
    assert smtp_server.mailbox.take() == []
    result = runner.invoke(args=["reminders", "run", "--now", "2026-01-02T07:30"])
    assert "4 emails queued." in result.output and "4 emails sent" in result.output
    assert len(smtp_server.mailbox.take()) == 4


def test_a_second_scheduler_lock_waits_for_the_first(database_url):
    """Two schedulers on separate connections: the second waits until the first lets go."""
    first, second = make_engine(database_url), make_engine(database_url)
    a, b = SchedulerLock(first), SchedulerLock(second)
    try:
        assert a.try_acquire()
        assert not b.try_acquire()
        stop, acquired = threading.Event(), threading.Event()
        waiter = threading.Thread(
            target=lambda: b.acquire(stop, poll=0.05) and acquired.set(), daemon=True
        )
        waiter.start()
        assert not acquired.wait(0.5)
        a.release()
        assert acquired.wait(5)
        stop.set()
        waiter.join(5)
    finally:
        a.release()
        b.release()
        first.dispose()
        second.dispose()


def test_a_manual_run_while_a_scheduler_holds_the_lock_is_refused(app, runner, heads, office):
    """``reminders run`` while the scheduler runs: refused with a message, nothing queued."""
    app.config["LOCALE"] = "en"
    result = runner.invoke(args=["reminders", "run", "--now", "2026-01-02T07:30"])
    assert result.exit_code == 1
    assert "A scheduler is running and sends the reminders itself" in result.stderr
    office.at("2026-01-02T07:30")
    assert office.open_quarter() == ["DU-TEST 2026-Q1"]  # the refused run opened nothing
    assert len(office.sweep().queued) == 4  # nor queued anything


def test_two_scheduler_processes_one_sends_the_other_waits(
    app, database_url, heads, smtp_server, tmp_path
):
    """With mail queued, start two ``giaoviec scheduler`` processes: the first sends everything
    once; the second waits, takes over when the first stops, and sends nothing again."""
    office = Office(app)
    assert office.lock.try_acquire()
    office.at("2026-01-02T07:30")
    office.open_quarter()
    assert len(office.sweep().queued) == 4
    office.lock.release()
    now = "2026-01-02T08:00"
    logs = [tmp_path / "first.log", tmp_path / "second.log"]
    args = ("scheduler", "--sender-seconds", "0.5")
    first = giaoviec(database_url, smtp_server, *args, now=now, log=logs[0])
    _wait_for(lambda: len(smtp_server.mailbox.messages) == 4, first)
    second = giaoviec(database_url, smtp_server, *args, now=now, log=logs[1])
    _wait_for(lambda: "Another scheduler is running" in logs[1].read_text(), second)
    first.terminate()
    first.wait(30)
    _wait_for(lambda: "Scheduler running" in logs[1].read_text(), second, timeout=60)
    second.terminate()
    second.wait(30)
    first_err, second_err = (log.read_text() for log in logs)
    assert "Another scheduler is running" not in first_err
    assert second_err.index("Another scheduler") < second_err.index("Scheduler running")
    assert len(smtp_server.mailbox.take()) == 4


def _wait_for(condition, process, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if process.poll() is not None:
            raise AssertionError(process.communicate())
        if time.monotonic() > deadline:
            process.terminate()
            raise AssertionError(process.communicate())
        time.sleep(0.1)
