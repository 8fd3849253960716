"""The sender: outbox rows out over SMTP, one reused connection per run, retries with back-off.

Delivery is *at least once*, never silently lost, and duplicated only in one narrow case:

1. The next due row is claimed ('sending', ``claimed_at`` = now) and committed, just before it
   is sent: a claim is never older than one message's sending, however long the run.
2. It goes out with ``send_message()``; when the server has accepted it, its row is marked
   'sent' (one statement), and the next row is claimed (one more).
3. If the process dies between the server's "250 OK" and that commit (killed, power cut, lost
   database connection), the row stays 'sending'. After ``GIAOVIEC_MAIL_STALE_MINUTES`` (15) the
   next sender run puts it back in the queue and sends it again, with the *same* Message-ID, so
   mail clients and servers that de-duplicate on Message-ID show it once. Rows not yet claimed
   stay queued, whatever stopped the sender.

Exactly once is impossible over SMTP: the server's acceptance and our database commit are two
systems with no shared transaction (SMTP has no two-phase commit), so one of them is always
first. Marking before sending would turn that window into a lost message; marking after turns it
into a possible duplicate, which is the lesser harm for a reminder.

Links are made absolute here, from ``GIAOVIEC_BASE_URL`` as it is when the message leaves (see
``notifications.links``); a digest also gets its one-click unsubscribe headers (RFC 8058).

Errors: a 5xx reply for a message (recipient refused, message refused) fails that row for good;
anything else (server down, 4xx, timeout) makes every message due wait, with exponential
back-off (1, 2, 4 ... minutes, at most 4 hours), and a row is failed after
``GIAOVIEC_MAIL_MAX_ATTEMPTS`` (10) tries, for an admin to see and retry.
"""

from __future__ import annotations

import smtplib
import ssl
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

from sqlalchemy import Engine

from notifications import outbox
from notifications.links import with_base_url
from notifications.lock import SchedulerLock
from notifications.unsubscribe import unsubscribe_url
from workflow.clock import Clock
from workflow.db.engine import autocommit
from workflow.outbox.models import OutboxMessage
from workflow.reporting.safe_text import one_line
from workflow.working_days import WorkingCalendar

MAX_BACKOFF = timedelta(hours=4)
# The lock is asked of the database at most this often while sending (two round trips on
# PostgreSQL): a sender that lost it stops within a second, and a claim is never shared anyway.
LOCK_CHECK_SECONDS = 1.0


@dataclass(frozen=True)
class MailSettings:
    """SMTP server and sending policy, from ``GIAOVIEC_SMTP_*`` and ``GIAOVIEC_MAIL_*``, and what
    finishes a message as it leaves: the site's address (``GIAOVIEC_BASE_URL``) for its links
    and the key that signs unsubscribe links (``SECRET_KEY``; without it, no such link)."""

    host: str | None = None  # None: keep mail in the outbox (the demo without a server)
    port: int = 25
    security: str = "none"  # none | starttls | ssl
    user: str | None = None
    password: str | None = None
    timeout: float = 30.0
    mail_from: str = "Giao Việc <giaoviec@localhost>"
    max_attempts: int = 10
    stale_after: timedelta = timedelta(minutes=15)
    base_url: str = "http://127.0.0.1:5000"
    signing_key: str | None = field(default=None, repr=False)

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
            base_url=str(config.get("BASE_URL") or cls.base_url),
            signing_key=config.get("SECRET_KEY") or None,
        )


def backoff(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failed try."""
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def build_email(row: OutboxMessage, settings: MailSettings, now: datetime) -> EmailMessage:
    """The message as it goes on the wire: UTF-8 headers, a text part and an HTML part, its
    links on the site's address of today. Names and subjects come from what people typed: a
    line break in one would stop the message (``one_line``)."""
    message = EmailMessage()
    from_name, from_addr = parseaddr(settings.mail_from)
    message["From"] = Address(display_name=one_line(from_name), addr_spec=from_addr)
    message["To"] = Address(display_name=one_line(row.to_name), addr_spec=row.to_address)
    message["Subject"] = one_line(row.subject)
    message["Date"] = format_datetime(now)
    message["Message-ID"] = row.message_id
    message["Auto-Submitted"] = "auto-generated"
    if row.kind == "digest" and settings.signing_key:
        url = unsubscribe_url(settings.base_url, settings.signing_key, row.recipient_id)
        message["List-Unsubscribe"] = f"<{url}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(with_base_url(row.body_text, settings.base_url))
    message.add_alternative(with_base_url(row.body_html, settings.base_url), subtype="html")
    return message


class SmtpConnection:
    """One SMTP connection, opened on first use and reused for a whole run."""

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
    clock: Clock,
    lock: SchedulerLock,
    calendar: WorkingCalendar | None = None,
) -> SendResult:
    """Send every queued message whose time has come over one SMTP connection; returns what
    was sent. Only the holder of ``lock`` sends, and it asks at least once a second. Each message
    is claimed just before it is handed to the server, so no claim is ever older than one
    message's sending, however long the run (see ``requeue_stale``)."""
    result = SendResult(sent=[])
    if not settings.host or not lock.held():
        return result
    outbox.requeue_stale(engine, clock.now(), settings.stale_after)
    asked = time.monotonic()
    accepted = None  # the message the server took last, marked sent with the next claim
    # One database connection for the run, each claim and mark a statement of its own: two
    # round trips a message, not a pooled checkout, a ping, BEGIN and COMMIT besides for each.
    with autocommit(engine) as db, SmtpConnection(settings) as connection:
        while (row := outbox.claim_next(db, clock.now(), accepted)) is not None:
            outcome = _send_one(engine, settings, connection, row, result, clock, calendar)
            if outcome == STOP:
                return result
            accepted = row.id if outcome == SENT else None
            if time.monotonic() - asked >= LOCK_CHECK_SECONDS:
                asked = time.monotonic()
                if not lock.held():
                    break
        if accepted is not None:
            outbox.mark_sent(db, [accepted], clock.now())
    return result


SENT, REFUSED, STOP = "sent", "refused", "stop"


def _send_one(engine, settings, connection, row, result, clock, calendar) -> str:
    """Send one claimed message: SENT when the server took it (it is marked sent with the next
    claim), REFUSED when the server refused it for good, STOP when the server is unreachable
    (stop for this run)."""
    try:
        connection.send(build_email(row, settings, clock.now()))
    except (smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused) as error:
        refused = isinstance(error, smtplib.SMTPRecipientsRefused) or 500 <= error.smtp_code < 600
        if not refused:
            result.retried += _retry_later(engine, settings, row, _describe(error), clock, calendar)
            return STOP
        outbox.mark_unsent(engine, [row.id], _describe(error), None, 0)
        result.failed += 1
        return REFUSED
    except (smtplib.SMTPException, OSError) as error:
        result.retried += _retry_later(engine, settings, row, _describe(error), clock, calendar)
        return STOP
    # Stopped from outside (a signal, an interrupt) before the next claim: the message stays
    # 'sending' and is queued again when stale, since the server may have accepted it.
    result.sent.append(row)
    return SENT


def _retry_later(engine, settings, row, error, clock, calendar) -> int:
    """The server could not take ``row``: it, and every other message due now, wait for the
    back-off. Returns how many wait."""
    when = clock.now() + backoff(row.attempts + 1)
    if calendar is not None:
        when = calendar.next_open_instant(when)
    outbox.mark_unsent(engine, [row.id], error, when, settings.max_attempts)
    return 1 + outbox.postpone_due(engine, clock.now(), when, error, settings.max_attempts)


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:2000]
