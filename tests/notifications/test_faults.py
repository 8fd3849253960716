"""The database cut off in the middle of a reminder run: the command says so and stops, what it
had not finished is not saved, and the next run sends every reminder, each once."""

import pytest

from tests.conftest import cut_at


@pytest.fixture
def heads(make_user):
    return [make_user("unit_head", unit) for unit in ("BXDD", "UBND", "CB1", "CB2")]


@pytest.mark.postgresql_only
def test_a_reminder_run_cut_off_while_queueing_loses_nothing_and_sends_nothing_twice(
    app, runner, heads, smtp_server
):
    runner.invoke(args=["tasks", "open", "--quarter", "2026-Q1"])
    cut = cut_at(app.extensions["giaoviec.engine"], "INSERT INTO outbox")
    result = runner.invoke(args=["reminders", "run", "--now", "2026-01-02T07:30"])
    assert cut
    assert result.exit_code == 1
    assert "Cơ sở dữ liệu ngừng trả lời" in result.stderr
    assert smtp_server.mailbox.take() == []

    app.config["LOCALE"] = "en"
    again = runner.invoke(args=["reminders", "run", "--now", "2026-01-02T07:35"])
    assert "4 emails queued." in again.output and "4 emails sent" in again.output
    assert sorted(m.to[0] for m in smtp_server.mailbox.take()) == sorted(h.email for h in heads)
    last = runner.invoke(args=["reminders", "run", "--now", "2026-01-02T09:00"])
    assert "0 emails queued." in last.output
