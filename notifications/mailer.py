"""The sender: outbox rows out over SMTP, one reused connection per batch, retries with back-off.

Delivery is *at least once*, never silently lost, and duplicated only in one narrow case:

1. A batch of queued rows is claimed ('sending', ``claimed_at`` = now) and committed.
2. Each message goes out with ``send_message()``; when the server has accepted it, its row is
   marked 'sent' in its own short transaction.
3. If the process dies between the server's "250 OK" and that commit (killed, power cut, lost
   database connection), the row stays 'sending'. After ``GIAOVIEC_MAIL_STALE_MINUTES`` (15) the
   next sender run puts it back in the queue and sends it again, with the *same* Message-ID, so
   mail clients and servers that de-duplicate on Message-ID show it once. Rows of the batch that
   had not been handed to the server yet are put back at once when the sender stops on an
   exception, and by the same stale rule when it died without a chance to.

Exactly once is impossible over SMTP: the server's acceptance and our database commit are two
systems with no shared transaction (SMTP has no two-phase commit), so one of them is always
first. Marking before sending would turn that window into a lost message; marking after turns it
into a possible duplicate, which is the lesser harm for a reminder.

Errors: a 5xx reply for a message (recipient refused, message refused) fails that row for good;
anything else (server down, 4xx, timeout) puts the rest of the batch back with exponential
back-off (1, 2, 4 ... minutes, at most 4 hours), and a row is failed after
``GIAOVIEC_MAIL_MAX_ATTEMPTS`` (10) tries, for an admin to see and retry.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

from sqlalchemy import Engine

from notifications import outbox
from notifications.holidays import WorkingCalendar
from workflow import clock
from workflow.outbox.models import OutboxMessage

MAX_BACKOFF = timedelta(hours=4)


@dataclass(frozen=True)
class MailSettings:
    """SMTP server and sending policy, from ``GIAOVIEC_SMTP_*`` and ``GIAOVIEC_MAIL_*``."""

    host: str | None = None  # None: keep mail in the outbox (the demo without a server)
    port: int = 25
    security: str = "none"  # none | starttls | ssl
    user: str | None = None
    password: str | None = None
    timeout: float = 30.0
    mail_from: str = "Giao Việc <giaoviec@localhost>"
    max_attempts: int = 10
    stale_after: timedelta = timedelta(minutes=15)
    batch_size: int = 50

    @classmethod
    def from_config(cls, config: Mapping) -> MailSettings:
        security = str(config.get("SMTP_SECURITY") or "none").lower()
        if security not in ("none", "starttls", "ssl"):
            raise ValueError(f"GIAOVIEC_SMTP_SECURITY must be none, starttls or ssl: {security}")
        default_port = {"none": 25, "starttls": 587, "ssl": 465}[security]
        return cls(
            host=config.get("SMTP_HOST") or None,
            port=int(config.get("SMTP_PORT") or default_port),
            security=security,
            user=config.get("SMTP_USER") or None,
            password=config.get("SMTP_PASSWORD") or None,
            timeout=float(config.get("SMTP_TIMEOUT", 30)),
            mail_from=config.get("MAIL_FROM") or cls.mail_from,
            max_attempts=int(config.get("MAIL_MAX_ATTEMPTS", 10)),
            stale_after=timedelta(minutes=float(config.get("MAIL_STALE_MINUTES", 15))),
            batch_size=int(config.get("MAIL_BATCH_SIZE", 50)),
        )


def backoff(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failed try."""
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def build_email(row: OutboxMessage, mail_from: str, unsubscribe_url: str | None) -> EmailMessage:
    """The message as it goes on the wire: UTF-8 headers, a text part and an HTML part."""
    message = EmailMessage()
    from_name, from_addr = parseaddr(mail_from)
    message["From"] = Address(display_name=from_name, addr_spec=from_addr)
    message["To"] = Address(display_name=row.to_name, addr_spec=row.to_address)
    message["Subject"] = row.subject
    message["Date"] = format_datetime(clock.now())
    message["Message-ID"] = row.message_id
    message["Auto-Submitted"] = "auto-generated"
    if unsubscribe_url and row.kind == "digest":
        message["List-Unsubscribe"] = f"<{unsubscribe_url}>"
    message.set_content(row.body_text)
    message.add_alternative(row.body_html, subtype="html")
    return message


class SmtpConnection:
    """One SMTP connection, opened on first use and reused for a batch."""

    def __init__(self, settings: MailSettings) -> None:
        self.settings = settings
        self.smtp: smtplib.SMTP | None = None

    def __enter__(self) -> SmtpConnection:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def open(self) -> smtplib.SMTP:
        s = self.settings
        if s.security == "ssl":
            smtp = smtplib.SMTP_SSL(
                s.host, s.port, timeout=s.timeout, context=ssl.create_default_context()
            )
        else:
            smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
        try:
            if s.security == "starttls":
                smtp.starttls(context=ssl.create_default_context())
            if s.user:
                smtp.login(s.user, s.password or "")
        except BaseException:
            smtp.close()
            raise
        self.smtp = smtp
        return smtp

    def send(self, message: EmailMessage) -> None:
        """Send, reconnecting once if the server dropped the connection."""
        smtp = self.smtp or self.open()
        try:
            smtp.send_message(message)
        except smtplib.SMTPServerDisconnected:
            self.close()
            self.open().send_message(message)

    def close(self) -> None:
        if self.smtp is None:
            return
        smtp, self.smtp = self.smtp, None
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            pass
        finally:
            smtp.close()


@dataclass
class SendResult:
    sent: list[OutboxMessage]
    retried: int = 0
    failed: int = 0

    @property
    def count(self) -> int:
        return len(self.sent)


def send_queued(
    engine: Engine,
    settings: MailSettings,
    calendar: WorkingCalendar | None = None,
    unsubscribe_url: str | None = None,
) -> SendResult:
    """Send every queued message whose time has come, batch by batch; returns what was sent."""
    result = SendResult(sent=[])
    if not settings.host:
        return result
    now = clock.now()
    outbox.requeue_stale(engine, now, settings.stale_after)
    while True:
        batch = outbox.claim(engine, now, settings.batch_size)
        if not batch:
            return result
        if not _send_batch(engine, settings, batch, result, calendar, unsubscribe_url):
            return result


def _send_batch(engine, settings, batch, result, calendar, unsubscribe_url) -> bool:
    """Send one claimed batch; False when the server is unreachable (stop for this run)."""
    pending = list(batch)
    with SmtpConnection(settings) as connection:
        try:
            while pending:
                row = pending[0]
                try:
                    connection.send(build_email(row, settings.mail_from, unsubscribe_url))
                except smtplib.SMTPResponseException as error:
                    if not 500 <= error.smtp_code < 600:
                        raise
                    pending.pop(0)
                    outbox.mark_unsent(engine, [row.id], _describe(error), None, 0)
                    result.failed += 1
                    continue
                except smtplib.SMTPRecipientsRefused as error:
                    pending.pop(0)
                    outbox.mark_unsent(engine, [row.id], _describe(error), None, 0)
                    result.failed += 1
                    continue
                outbox.mark_sent(engine, [row.id], clock.now())
                pending.pop(0)
                result.sent.append(row)
        except (smtplib.SMTPException, OSError) as error:
            _retry_later(engine, settings, pending, _describe(error), calendar)
            result.retried += len(pending)
            return False
        except BaseException:
            # Stopped from outside: rows not yet handed to the server go back now; the one in
            # flight (pending[0]) stays 'sending' and is re-queued when stale.
            outbox.mark_unsent(
                engine,
                [row.id for row in pending[1:]],
                "sender stopped before sending",
                clock.now(),
                settings.max_attempts,
                count_attempt=False,
            )
            raise
    return True


def _retry_later(engine, settings, rows, error, calendar) -> None:
    by_attempt: dict[int, list[int]] = {}
    for row in rows:
        by_attempt.setdefault(row.attempts + 1, []).append(row.id)
    for attempts, ids in by_attempt.items():
        when = clock.now() + backoff(attempts)
        if calendar is not None:
            when = calendar.next_open_instant(when)
        outbox.mark_unsent(engine, ids, error, when, settings.max_attempts)


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:2000]
