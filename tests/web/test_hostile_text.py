"""Whatever a person types is shown as typed, everywhere it appears, and runs nowhere.

Each hostile text (markup, SQL, template and format syntax, bidirectional and combining
Unicode, control characters) goes in through the pages' own forms, in every text field a unit
head, a reviewer and an administrator fill in on the way of one task: a full name, a step's
comment, a request for more time and its refusal, the report, the reason it was returned, a
remark, a figure's source. Then every page that shows them is read as each of them would read
it: each text is there, escaped, whole; none is markup; the API gives it back byte for byte."""

from __future__ import annotations

import re

import pytest
from markupsafe import escape
from sqlmodel import select

from tests.conftest import PASSWORD, csrf, set_clock
from workflow.plans.models import Target

HOSTILE = {
    "markup": '<script>alert("x")</script><img src=x onerror=alert(1)> &amp; </textarea>',
    "sql": "'; DROP TABLE task; -- Robert'); DELETE FROM app_user WHERE '1'='1",
    "template": "{{ 7*7 }} {% if 1 %}x{% endif %} ${7*7} %(name)s %s {0} \\n",
    "unicode": "Nguyễn Thị Ánh \u202egnàoh\u202c 👩\u200d🌾 Nguye\u0302\u0303n",
    "control": "Số\x0b liệu\x01 quý\x1b I\ufffe",
}


def browser_of(app, username: str):
    browser = app.test_client()
    page = browser.get("/login").text
    answer = browser.post(
        "/login", data={"csrf_token": csrf(page), "username": username, "password": PASSWORD}
    )
    assert answer.status_code == 302
    return browser


def post(browser, path: str, page: str, **form):
    """Post ``form`` from ``page`` (for its CSRF token); the answer must not be a refusal."""
    answer = browser.post(path, data={"csrf_token": csrf(browser.get(page).text), **form})
    assert answer.status_code in (302, 303), (path, answer.status_code)
    return answer


@pytest.mark.parametrize("kind", HOSTILE)
def test_every_text_typed_is_shown_as_typed_and_runs_nowhere(
    app, session, open_tasks, make_user, office, kind
):
    hostile = HOSTILE[kind]
    texts = {
        field: f"{label} {hostile}"
        for field, label in (
            ("name", "Trần"),
            ("start", "Bắt đầu"),
            ("ask", "Xin gia hạn"),
            ("refuse", "Không gia hạn"),
            ("report", "Báo cáo"),
            ("reason", "Trả lại"),
            ("remark", "Ý kiến"),
            ("source", "Nguồn"),
        )
    }
    set_clock(app, "2026-03-02T09:00")
    task = open_tasks("2026-Q1")("VI.4.1", "CB1")
    session.commit()  # nothing held open: on SQLite the app must be free to write
    make_user("admin", username="qtv")
    make_user("reviewer", username="bxdd")
    admin, reviewer = browser_of(app, "qtv"), browser_of(app, "bxdd")
    post(
        admin,
        "/admin/users/new",
        "/admin/users/new",
        username="bithu.cb1",
        full_name=texts["name"],
        email="bithu.cb1@example.vn",
        role="unit_head",
        unit="CB1",
        password=PASSWORD,
    )
    head = browser_of(app, "bithu.cb1")
    page = f"/tasks/{task.id}"

    def version() -> str:
        session.refresh(task)
        session.commit()
        return str(task.version)

    post(head, f"{page}/start", page, version=version(), comment=texts["start"])
    post(head, f"{page}/ask_extension", page, version=version(), due_date="2026-03-31",
         reason=texts["ask"])  # fmt: skip
    post(reviewer, f"/review/extensions/{task.id}/refuse_extension", "/review/",
         version=version(), reason=texts["refuse"])  # fmt: skip
    target = session.exec(select(Target.id).where(Target.ref == "I.2.4")).one()
    session.commit()
    post(head, f"{page}/report", page, version=version(), text=texts["report"],
         **{f"figure-{target}": "96"})  # fmt: skip
    post(reviewer, f"/review/tasks/{task.id}/return", "/review/", version=version(),
         comment=texts["reason"])  # fmt: skip
    post(head, f"{page}/comments", page, text=texts["remark"])
    post(head, f"/targets/{target}/figures", f"/targets/{target}", period="2026-Q1",
         value="97", source=texts["source"])  # fmt: skip
    office.at("2026-03-02T09:30")
    office.send_outbox()  # the notice of the returned report

    shown = {
        (head, page): ("name", "start", "ask", "refuse", "report", "reason", "remark"),
        (reviewer, page): ("name", "start", "ask", "refuse", "report", "reason", "remark"),
        (head, "/"): (),
        (admin, "/admin/"): ("name",),
        (reviewer, "/accountability?quarter=2026-Q1"): ("name",),
        (head, f"/targets/{target}?quarter=2026-Q1"): ("source",),
        (head, "/inbox/"): (),
    }
    for (browser, path), fields in shown.items():
        answer = browser.get(path)
        assert answer.status_code == 200, path
        for field in fields:
            assert str(escape(texts[field])) in answer.text, (path, field)
        if "<" in hostile:
            assert hostile not in answer.text, path
    message = re.search(r'href="/inbox/(\d+)"', head.get("/inbox/").text).group(1)
    assert str(escape(texts["reason"])) in head.get(f"/inbox/{message}").text

    told = head.get(f"/api/v1/tasks/{task.id}").get_json()
    assert told["reports"][0]["text"] == texts["report"]
    steps = {step["event"]: step["comment"] for step in told["history"]}
    assert (steps["start"], steps["return"]) == (texts["start"], texts["reason"])
