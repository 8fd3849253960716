"""What a write costs through the project's own paths against the same writes done plainly:
a transition through the services against a raw UPDATE + INSERT, and the outbox sent by the
mailer against a plain smtplib loop on one connection. Used by ``bench/run.py``."""

from __future__ import annotations

import asyncio
import smtplib
import socket
import statistics
import time
from datetime import datetime
from email.message import EmailMessage

from aiosmtpd.controller import Controller
from sqlalchemy import delete, select, text
from sqlmodel import Session

from notifications.lock import SchedulerLock
from notifications.mailer import MailSettings, send_queued
from workflow.accounts.models import User
from workflow.accounts.roles import Role
from workflow.clock import Clock
from workflow.outbox.models import OutboxMessage
from workflow.tasks.models import Task
from workflow.tasks.operations import start_task
from workflow.tasks.states import TaskKind, TaskState

TRANSITIONS = 200
MESSAGES = 300


def transition_ratio(engine, now: datetime) -> dict:
    """``start_task`` as a unit head's request runs it (its own session and commit) over
    ``TRANSITIONS`` tasks, against the same two writes (the task's next version, the step in
    its history) as plain SQL in a transaction each, over as many other tasks."""
    with Session(engine) as session:
        tasks = session.execute(
            select(Task.id, User.id, Task.version)
            .join(User, (User.unit_id == Task.unit_id) & (User.role == Role.UNIT_HEAD.value))
            .where(Task.state == TaskState.ASSIGNED.value, Task.kind == TaskKind.DUTY.value)
            .order_by(Task.id)
            .limit(2 * TRANSITIONS)
        ).all()
        heads = {
            user.id: user
            for user in session.scalars(select(User).where(User.id.in_({t[1] for t in tasks})))
        }
    update = text(
        "UPDATE task SET state = :state, version = version + 1, updated_at = :at"
        " WHERE id = :id AND version = :version"
    )
    insert = text(
        "INSERT INTO task_event (task_id, actor_id, at, event, from_state, to_state, comment)"
        " VALUES (:id, :actor, :at, 'start', 'assigned', 'in_progress', '')"
    )
    service, raw = [], []
    for (task_id, head_id, version), (other_id, other_head, other_version) in zip(
        tasks[0::2], tasks[1::2], strict=False
    ):  # taken in turns, so that both see the same machine
        started = time.perf_counter()
        with Session(engine) as session:
            start_task(session, heads[head_id], task_id, version, now=now)
            session.commit()
        service.append(time.perf_counter() - started)
        started = time.perf_counter()
        with engine.begin() as connection:
            values = {"id": other_id, "version": other_version, "at": now, "state": "in_progress"}
            connection.execute(update, values)
            connection.execute(insert, values | {"actor": other_head})
        raw.append(time.perf_counter() - started)
    ours, plain = statistics.median(service), statistics.median(raw)
    return {
        "transition_ms": round(ours * 1000, 2),
        "transition_raw_ms": round(plain * 1000, 2),
        "transition_ratio_vs_raw": round(ours / plain, 2),
    }


class _Sink:
    async def handle_DATA(self, server, session, envelope):
        return "250 OK"


def smtp_ratio(engine, recipient_id: int, now: datetime) -> dict:
    """``MESSAGES`` queued messages sent by the mailer to a local SMTP sink (aiosmtpd), against
    the same messages sent by a plain smtplib loop on one connection; the rows are removed
    after."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sink = Controller(_Sink(), hostname="127.0.0.1", port=port, loop=asyncio.new_event_loop())
    sink.start()
    try:
        with Session(engine) as session:
            user = session.get(User, recipient_id)
            rows = [_queued(user, number, now) for number in range(MESSAGES)]
            messages = [(row.subject, row.body_text, row.body_html) for row in rows]
            address = user.email
            session.add_all(rows)
            session.commit()
        settings = MailSettings(host="127.0.0.1", port=port, base_url="https://bench.example.vn")
        lock = SchedulerLock(engine)
        assert lock.try_acquire()
        try:
            started = time.perf_counter()
            sent = send_queued(engine, settings, Clock.at(now), lock)
            ours = time.perf_counter() - started
        finally:
            lock.release()
        assert len(sent.sent) == MESSAGES, len(sent.sent)
        started = time.perf_counter()
        with smtplib.SMTP("127.0.0.1", port) as smtp:
            for number, (subject, body, html) in enumerate(messages):
                message = EmailMessage()
                message["From"], message["To"] = settings.mail_from, address
                message["Subject"], message["Message-ID"] = subject, f"<plain-{number}@bench>"
                message.set_content(body)
                message.add_alternative(html, subtype="html")
                smtp.send_message(message)
        raw = time.perf_counter() - started
    finally:
        sink.stop()
        with Session(engine) as session:
            session.execute(delete(OutboxMessage).where(OutboxMessage.key.like("bench-smtp/%")))
            session.commit()
    return {
        "smtp_messages_per_s": round(MESSAGES / ours),
        "smtp_raw_messages_per_s": round(MESSAGES / raw),
        "smtp_ratio_vs_raw": round(raw / ours, 2),
    }


def _queued(user: User, number: int, now: datetime) -> OutboxMessage:
    key = f"bench-smtp/{number}"
    return OutboxMessage(
        key=key,
        kind="digest",
        recipient_id=user.id,
        to_address=user.email,
        to_name=user.full_name,
        subject=f"[Giao Việc] 20/11/2026: {number} nhiệm vụ đến hạn",
        body_text="Kính gửi đồng chí,\n" + "Nhiệm vụ VI.2.1 đến hạn ngày 30/11/2026.\n" * 8,
        body_html="<p>Kính gửi đồng chí,</p>" + "<p>Nhiệm vụ VI.2.1 đến hạn.</p>" * 8,
        message_id=f"<{key.replace('/', '-')}@bench>",
        created_at=now,
        next_attempt_at=now,
    )
