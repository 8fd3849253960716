"""A task's page shows what loaded plans changed in its duty, when and by whom."""

from __future__ import annotations

import re

from tests.conftest import SMALL_PLAN, set_clock, sign_in_on
from workflow.clock import Clock
from workflow.plans.checks import parse_plan
from workflow.plans.operations import load_for


def test_the_task_page_lists_the_plan_s_changes_to_the_duty(app, session, open_tasks, make_user):
    task = open_tasks("2026-Q1")("VI.2.1", "UBND")
    admin = make_user("admin", full_name="Quản Trị Viên")
    edited = SMALL_PLAN.read_text(encoding="utf-8").replace(
        "title: Cung cấp thông tin chính thống", "title: Cung cấp thông tin chính thống, kịp thời"
    )
    # after the fixture loaded the plan (today, on the real clock)
    load_for(session, admin, parse_plan(edited), Clock.at("2026-12-20T10:00"))
    session.commit()
    set_clock(app, "2026-12-21T09:00")
    browser = app.test_client()
    sign_in_on(browser, make_user("reviewer", locale="en"))
    page = browser.get(f"/tasks/{task.id}").text
    changes = re.findall(r'<li data-change="(\w+)">(.*?)</li>', page, re.S)
    assert [kind for kind, _text in changes] == ["created", "changed"]
    assert "the command line" in changes[0][1]
    assert "10:00 20/12/2026 · Quản Trị Viên" in changes[1][1] and "(title)" in changes[1][1]
