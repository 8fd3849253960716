"""A bounded soak through gunicorn: the heads of four units and two reviewers work the year's
tasks at once through the API, for a fixed time, against two workers sharing one database.

No answer may be a 5xx; the only refusal expected is the one a race gives (409: two reviewers
deciding one report, a list read before someone else's step). Afterwards every figure agrees
with the histories: one step recorded per transition accepted, each task's state, version and
summary as its steps say. ``GIAOVIEC_SOAK_SECONDS`` sets the time (8 s in CI)."""

from __future__ import annotations

import http.client
import json
import os
import random
import socket
import subprocess
import sys
import threading
import time
from collections import Counter

import pytest
from sqlalchemy import func, text
from sqlmodel import Session, select

from tests.conftest import PASSWORD, ROOT, SMALL_PLAN, real_now
from workflow.accounts.operations import add_user
from workflow.accounts.tokens import issue_token
from workflow.clock import Clock
from workflow.db.engine import make_engine
from workflow.db.migrate import upgrade
from workflow.organisations.queries import find_organisation
from workflow.periods import Quarter
from workflow.plans.checks import read_plan
from workflow.plans.opening import open_quarter
from workflow.plans.store import load_plan
from workflow.tasks.models import Task, TaskEventRecord

SOAK_SECONDS = float(os.environ.get("GIAOVIEC_SOAK_SECONDS", "8"))  # CI; longer by hand
HEADS = ("UBND", "BXDD", "CB1", "CB2")
REVIEWERS = 2


class Server:
    """``gunicorn -w 2`` serving the app on a free loopback port."""

    def __init__(self, url: str, uploads, log) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        env = os.environ | {
            "GIAOVIEC_DATABASE_URL": url,
            "GIAOVIEC_SECRET_KEY": "soak",
            "GIAOVIEC_UPLOAD_DIR": str(uploads),
        }
        command = [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{self.port}"]
        self.process = subprocess.Popen(
            [*command, "web:create_app()"], env=env, cwd=ROOT, stdout=log, stderr=log
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if self.call("GET", "/healthz")[0] == 200:
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("gunicorn did not start")

    def call(self, method: str, path: str, token: str | None = None, body=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        if body is not None:
            headers["Content-Type"] = "application/json"
        connection.request(method, path, json.dumps(body) if body is not None else None, headers)
        response = connection.getresponse()
        content = response.read()
        connection.close()
        answer = (
            json.loads(content)
            if response.getheader("Content-Type", "").startswith("application/json")
            else None
        )
        return response.status, answer

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


@pytest.fixture
def soak_database(another_database):
    """The small plan's four quarters opened, a head for each unit and two reviewers, each
    with an API token."""
    engine = make_engine(another_database)
    upgrade(engine)
    tokens = {}
    with Session(engine, expire_on_commit=False) as session:
        load_plan(session, read_plan(SMALL_PLAN), Clock())
        ward = find_organisation(session, "DU-TEST")
        for quarter in range(1, 5):
            open_quarter(session, ward, Quarter(2026, quarter), Clock())
        people = [(f"truong.{code.lower()}", "unit_head", code) for code in HEADS]
        people += [(f"bxdd.{n}", "reviewer", None) for n in range(REVIEWERS)]
        for username, role, unit in people:
            user = add_user(
                session,
                ward,
                username,
                role,
                f"{username}@example.vn",
                PASSWORD,
                unit_code=unit,
                full_name=f"Đồng chí {username}",
                now=real_now(),
            )
            tokens[username] = issue_token(session, user, real_now())
        session.commit()
    yield engine, tokens
    engine.dispose()


NEXT_STEP = {
    "assigned": {"event": "start"},
    "in_progress": {"event": "report", "comment": "Đã triển khai — báo cáo số liệu quý"},
    "returned": {"event": "report", "comment": "Bổ sung biên bản, ảnh"},
}


def head_works(server, unit, token, answers, accepted, until):
    """A unit head takes their unit's open tasks one step further, from a fresh list each
    time (another may have moved one since)."""
    while time.monotonic() < until:
        status, page = server.call("GET", "/api/v1/tasks?limit=100", token)
        answers[status] += 1
        if status != 200:
            continue
        mine = [t for t in page["tasks"] if t["unit"] == unit and t["state"] in NEXT_STEP]
        if not mine:  # all waiting for review: returns will bring some back
            time.sleep(0.02)
            continue
        task = random.choice(mine)
        body = NEXT_STEP[task["state"]] | {"version": task["version"]}
        status, _ = server.call("POST", f"/api/v1/tasks/{task['id']}/events", token, body)
        answers[status] += 1
        accepted[status == 200] += 1


def reviewer_decides(server, token, answers, accepted, until):
    """A reviewer takes the first waiting report (so two reviewers often take the same one)
    and approves it, or as often returns it (the work goes round until the time is up); reads
    the figures between."""
    while time.monotonic() < until:
        status, page = server.call("GET", "/api/v1/tasks?state=reported&limit=50", token)
        answers[status] += 1
        # a coordinating unit's contribution is taken in by the lead's head, not reviewed
        waiting = [t for t in page["tasks"] if t["kind"] == "duty"] if status == 200 else []
        if not waiting:
            time.sleep(0.01)
            continue
        task = waiting[0]
        body = {"event": "approve", "version": task["version"]}
        if random.random() < 0.5:
            body = {"event": "return", "version": task["version"], "comment": "Thiếu số liệu"}
        status, _ = server.call("POST", f"/api/v1/tasks/{task['id']}/events", token, body)
        answers[status] += 1
        accepted[status == 200] += 1
        status, _ = server.call("GET", "/api/v1/accountability?quarter=2026-Q1", token)
        answers[status] += 1


def history_totals(engine) -> tuple[int, int, int]:
    """Steps recorded, the tasks' versions summed, and the contributions taken in by a lead's
    report (steps of their own, with no request of their own)."""
    with engine.connect() as connection:
        steps = connection.execute(select(func.count()).select_from(TaskEventRecord)).scalar()
        versions = connection.execute(select(func.sum(Task.version))).scalar()
        taken_in = connection.execute(
            select(func.count())
            .select_from(TaskEventRecord)
            .join(Task, Task.id == TaskEventRecord.task_id)
            .where(Task.kind == "contribution", TaskEventRecord.event == "approve")
        ).scalar()
    return steps, versions, taken_in


def test_heads_and_reviewers_at_once_through_gunicorn_leave_consistent_figures(
    soak_database, tmp_path
):
    engine, tokens = soak_database
    steps_before, versions_before, taken_in_before = history_totals(engine)
    answers, accepted = Counter(), Counter()
    with open(tmp_path / "gunicorn.log", "wb") as log:
        server = Server(str(engine.url.render_as_string(hide_password=False)), tmp_path, log)
        try:
            until = time.monotonic() + SOAK_SECONDS
            people = [
                threading.Thread(
                    target=head_works,
                    args=(server, c, tokens[f"truong.{c.lower()}"], answers, accepted, until),
                )
                for c in HEADS
            ] + [
                threading.Thread(
                    target=reviewer_decides,
                    args=(server, tokens[f"bxdd.{n}"], answers, accepted, until),
                )
                for n in range(REVIEWERS)
            ]
            for person in people:
                person.start()
            for person in people:
                person.join()
        finally:
            server.stop()
    log_text = (tmp_path / "gunicorn.log").read_text(errors="replace")
    assert not [status for status in answers if status >= 500], (answers, log_text[-3000:])
    assert set(answers) <= {200, 409}, answers
    assert accepted[True] > 20, f"the soak did too little to prove anything: {answers}"

    steps_after, versions_after, taken_in_after = history_totals(engine)
    # one step per transition accepted, and one per contribution a lead's report took in
    made = accepted[True] + taken_in_after - taken_in_before
    assert steps_after - steps_before == made
    assert versions_after - versions_before == made
    with engine.connect() as connection:
        disagreeing = connection.execute(
            text(
                """
                SELECT t.id FROM task t
                JOIN task_event last ON last.task_id = t.id AND last.id = (
                    SELECT max(e.id) FROM task_event e WHERE e.task_id = t.id)
                WHERE last.to_state <> t.state
                   OR t.times_returned <> (SELECT count(*) FROM task_event r
                                           WHERE r.task_id = t.id AND r.event = 'return')
                   OR t.last_activity_at IS DISTINCT FROM (
                          SELECT max(p.at) FROM task_event p
                          WHERE p.task_id = t.id AND p.actor_id IS NOT NULL)
                """
            )
        ).all()
    assert disagreeing == []
