"""A real SMTP server (aiosmtpd) on a free loopback port, and an app that sends to it."""

from __future__ import annotations

import email
import email.policy
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import pytest
from aiosmtpd.controller import Controller

from web import create_app
from web.clock import app_clock
from workflow.clock import Clock

MAIL_FROM = "Giao Việc Phường Thử Nghiệm <giaoviec@thu-nghiem.example.vn>"
BASE_URL = "https://giaoviec.example.vn"


def free_port() -> int:
    """A port nobody listens on now (aiosmtpd's Controller cannot take port 0)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Received:
    at: datetime  # the program's clock when the server accepted it
    to: list[str]
    message: email.message.EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def text(self) -> str:
        return self.message.get_body(("plain",)).get_content()

    @property
    def html(self) -> str:
        return self.message.get_body(("html",)).get_content()


class Mailbox:
    """What the SMTP server accepted, in order, each with the time on the program's clock.
    ``faults`` are what it does instead for the next messages, one each: an SMTP answer to
    give (``"451 …"``, ``"554 …"``), or ``DROP`` to hang up in the middle of the message."""

    DROP = "drop"

    def __init__(self) -> None:
        self.messages: list[Received] = []
        self.lock = threading.Lock()
        self.clock: Callable[[], Clock] = Clock
        self.faults: list[str] = []

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            fault = self.faults.pop(0) if self.faults else None
        if fault == self.DROP:
            server.transport.close()
            return "421 closing"  # never reaches the client: the line is already cut
        if fault is not None:
            return fault
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(Received(self.clock().now(), list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def take(self) -> list[Received]:
        with self.lock:
            taken, self.messages = self.messages, []
        return taken


class SmtpServer:
    def __init__(self) -> None:
        self.port = free_port()
        self.mailbox = Mailbox()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp_server():
    """A running SMTP server; ``stop()`` and ``start()`` take it down and up again."""
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def mail_config(smtp_server):
    return {
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": smtp_server.port,
        "SMTP_TIMEOUT": 5,
        "MAIL_FROM": MAIL_FROM,
        "BASE_URL": BASE_URL,
    }


@pytest.fixture
def app(database_url, db, tmp_path, mail_config, smtp_server):
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "SECRET_KEY": "test",
            "UPLOAD_DIR": str(tmp_path / "uploads"),
            **mail_config,
        }
    )
    smtp_server.mailbox.clock = lambda: app_clock(app)
    yield app
    app.extensions["giaoviec.engine"].dispose()
