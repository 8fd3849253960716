"""Requests per second of a page under gunicorn (2 workers) against ``/healthz`` of the same
app, from a loopback load tool (threads on keep-alive-less connections, as gunicorn's sync
workers serve them). Used by ``bench/run.py``; needs the ``deploy`` extra (gunicorn)."""

from __future__ import annotations

import http.client
import importlib.util
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORKERS, CLIENTS, SECONDS = 2, 4, 10


def http_ratio(url: str, path: str, username: str, password: str) -> dict:
    if importlib.util.find_spec("gunicorn") is None:
        return {"http_ratio_vs_trivial": None, "http_error": "pip install '.[deploy]' (gunicorn)"}
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = os.environ | {"GIAOVIEC_DATABASE_URL": url, "GIAOVIEC_SECRET_KEY": "bench"}
    command = [sys.executable, "-m", "gunicorn", "-w", str(WORKERS), "-b", f"127.0.0.1:{port}"]
    server = subprocess.Popen(
        [*command, "web:create_app()"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_until_up(port)
        cookie = _sign_in(port, username, password)
        page = _rate(port, path, cookie)
        trivial = _rate(port, "/healthz", None)
    finally:
        server.terminate()
        server.wait(10)
    return {
        "http_page_rps": round(page),
        "http_trivial_rps": round(trivial),
        "http_ratio_vs_trivial": round(page / trivial, 3),
    }


def _wait_until_up(port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if _get(port, "/healthz", None)[0] == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def _get(port: int, path: str, cookie: str | None) -> tuple[int, dict, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, dict(response.getheaders()), body


def _sign_in(port: int, username: str, password: str) -> str:
    """The session cookie of a sign-in through the form, its CSRF token included."""
    _status, headers, body = _get(port, "/login", None)
    cookie = headers["Set-Cookie"].split(";", 1)[0]
    token = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', body)
    token = token or re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', body)
    form = urllib.parse.urlencode(
        {"csrf_token": token.group(1).decode(), "username": username, "password": password}
    )
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request(
        "POST",
        "/login",
        form,
        {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
    )
    response = connection.getresponse()
    response.read()
    assert response.status == 302, response.status
    return response.getheader("Set-Cookie").split(";", 1)[0]


def _rate(port: int, path: str, cookie: str | None) -> float:
    """Requests per second answered 200 by ``CLIENTS`` threads over ``SECONDS``."""
    done, failed = [0] * CLIENTS, [0] * CLIENTS
    stop = time.monotonic() + SECONDS

    def client(number: int) -> None:
        while time.monotonic() < stop:
            if _get(port, path, cookie)[0] == 200:
                done[number] += 1
            else:
                failed[number] += 1

    for _ in range(3):
        _get(port, path, cookie)  # warm both workers
    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not any(failed), f"{sum(failed)} requests of {path} failed"
    return sum(done) / (time.monotonic() - started)
