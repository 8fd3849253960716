"""Assigning inside a unit on the pages and through the API: UBND's head gives VI.2.1 to a cán
bộ, who finds it under "Assigned to you", starts it and saves a draft; the head's report form
opens with the draft. People read English here (``locale="en"``)."""

from __future__ import annotations

import re

import pytest

from tests.conftest import csrf, real_now, set_clock, sign_in_on
from tests.web.test_api import Caller
from workflow.accounts.tokens import issue_token


@pytest.fixture
def task(app, open_tasks, session):
    found = open_tasks("2026-Q1")("VI.2.1", "UBND")
    session.commit()
    set_clock(app, "2026-03-02T09:00")
    return found


@pytest.fixture
def head(make_user):
    return make_user("unit_head", "UBND", full_name="Trần Văn Trưởng", locale="en")


@pytest.fixture
def member(make_user):
    return make_user("member", "UBND", full_name="Lê Văn Cán", locale="en")


def browser_of(app, user):
    browser = app.test_client()
    sign_in_on(browser, user)
    return browser


def post(browser, task, event, **form):
    page = browser.get(f"/tasks/{task.id}").text
    return browser.post(
        f"/tasks/{task.id}/{event}",
        data={"csrf_token": csrf(page), "version": task.version, **form},
    )


def test_the_head_assigns_the_member_drafts_and_the_head_sends(app, session, task, head, member):
    boss = browser_of(app, head)
    page = boss.get(f"/tasks/{task.id}").text
    assert re.search(rf'<option value="{member.username}"[^>]*>Lê Văn Cán</option>', page)
    assert post(boss, task, "assign", assignee=member.username).status_code == 303
    session.refresh(task)
    session.commit()

    worker = browser_of(app, member)
    mine = worker.get("/").text
    assigned = mine.split('id="assigned-to-me"')[1].split("<h2")[0]
    assert "Cung cấp thông tin chính thống" in assigned
    page = worker.get(f"/tasks/{task.id}").text
    assert "Lê Văn Cán" in re.search(r'<td class="assignee">(.*?)</td>', page).group(1)
    assert post(worker, task, "start").status_code == 303
    session.refresh(task)
    session.commit()
    response = post(
        worker,
        task,
        "save_draft",
        text="Đã đăng 15 tin bài.",
        links="https://viethung.example.vn/tin",
    )
    assert response.status_code == 303
    session.refresh(task)
    session.commit()
    again = worker.get(f"/tasks/{task.id}").text
    draft = re.search(r'<textarea id="draft-text" name="text"[^>]*>(.*?)</textarea>', again, re.S)
    assert draft.group(1) == "Đã đăng 15 tin bài."  # the member reads back what was saved

    page = boss.get(f"/tasks/{task.id}").text
    report = re.search(r'<textarea id="text" name="text"[^>]*>(.*?)</textarea>', page, re.S)
    assert report.group(1).strip() == "Đã đăng 15 tin bài."
    assert "https://viethung.example.vn/tin" in page
    assert "Filled in from the draft Lê Văn Cán saved on" in page
    history = page.split('<table class="history"')[1]
    assert "Assigned inside the unit" in history and "Draft of the report saved" in history


def test_a_member_is_offered_no_report_button(app, session, task, head, member):
    post(browser_of(app, head), task, "assign", assignee=member.username)
    session.refresh(task)
    session.commit()
    page = browser_of(app, member).get(f"/tasks/{task.id}").text
    assert f'action="/tasks/{task.id}/report"' not in page
    assert f'action="/tasks/{task.id}/save_draft"' in page
    assert f'action="/tasks/{task.id}/assign"' not in page


def test_assigning_to_someone_outside_the_unit_is_refused_and_said(
    app, session, task, head, make_user
):
    outsider = make_user("member", "BXDD")
    response = post(browser_of(app, head), task, "assign", assignee=outsider.username)
    assert response.status_code == 422
    assert "is not an active member of this unit" in response.text
    session.refresh(task)
    assert task.assignee_id is None


def test_the_api_assigns_and_drafts_through_the_events_endpoint(
    client, session, task, head, member
):
    tokens = {user.id: issue_token(session, user, real_now()) for user in (head, member)}
    session.commit()
    boss, worker = Caller(client, head, tokens[head.id]), Caller(client, member, tokens[member.id])
    assert "assign" in boss.get(f"/tasks/{task.id}").get_json()["actions"]
    body = boss.fire(task, "assign", assignee=member.username).get_json()
    assert (body["assignee"], body["state"]) == (member.username, "assigned")
    session.refresh(task)
    session.commit()
    body = worker.fire(task, "start").get_json()
    session.refresh(task)
    session.commit()
    body = worker.fire(
        task, "save_draft", comment="Dự thảo qua API", links=["https://example.vn/a"]
    ).get_json()
    assert body["draft"]["text"] == "Dự thảo qua API"
    assert body["draft"]["author"] == member.username
    assert body["actions"] == ["save_draft"]
    session.refresh(task)
    session.commit()
    refused = worker.fire(task, "assign", assignee=None)
    assert refused.status_code == 403
    wrong = boss.fire(task, "start", assignee=member.username)
    assert wrong.status_code == 400
