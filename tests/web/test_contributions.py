"""Coordination on the pages and in the API: the lead sees who has contributed and who has not,
starts its report from what was sent, and takes contributions in; a coordinating unit sends its
own; the accountability page counts contributions apart from what units lead.

In the small plan VI.2.1 is UBND's; Ban Xây dựng Đảng and the cells CB1 and CB2 (the group TCD)
coordinate it. Its first quarter is due on 15 March 17:00, the contributions on 10 March 17:00.
People here read English (``locale="en"``): the English text is the msgid itself."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from tests.conftest import at, csrf, real_now, set_clock, sign_in_on
from tests.web.test_api import Caller
from workflow.accounts.tokens import issue_token
from workflow.tasks.operations import start_task, submit_report


@pytest.fixture
def vi_2_1(app, open_tasks, session):
    """The first quarter opened, the app's clock on 12 March 09:00 (after the contributions
    were due, before the lead's report is)."""
    task = open_tasks("2026-Q1")
    found = {unit: task("VI.2.1", unit) for unit in ("UBND", "BXDD", "CB1", "CB2")}
    session.commit()
    set_clock(app, "2026-03-12T09:00")
    return found


@pytest.fixture
def heads(make_user):
    return {
        unit: make_user("unit_head", unit, full_name=f"Trưởng {unit}", locale="en")
        for unit in ("UBND", "BXDD", "CB1", "CB2")
    }


def sent(session, head, task, when: str, text: str):
    """``head`` sent ``task`` (a contribution) at ``when``."""
    start_task(session, head, task.id, task.version, now=at(when) - timedelta(hours=1))
    session.refresh(task)
    submit_report(session, head, task.id, task.version, text, now=at(when))
    session.commit()
    session.refresh(task)
    session.commit()


def browser_of(app, user):
    browser = app.test_client()
    sign_in_on(browser, user)
    return browser


def contributions_table(page: str) -> dict[str, str]:
    """Each row of the lead's table of contributions, by unit code, as its text."""
    rows = re.findall(r'<tr data-unit="([^"]+)" data-sent="[^"]+">(.*?)</tr>', page, re.S)
    return {unit: re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for unit, row in rows}


def test_the_lead_sees_who_contributed_on_time_late_and_not_at_all(app, session, vi_2_1, heads):
    sent(session, heads["BXDD"], vi_2_1["BXDD"], "2026-03-09T10:00", "Đã đăng 12 tin bài.")
    sent(session, heads["CB1"], vi_2_1["CB1"], "2026-03-11T08:00", "Chi bộ đã quán triệt.")
    page = browser_of(app, heads["UBND"]).get(f"/tasks/{vi_2_1['UBND'].id}").text
    rows = contributions_table(page)
    assert set(rows) == {"BXDD", "CB1", "CB2"}
    assert "Sent on time" in rows["BXDD"] and "Đã đăng 12 tin bài." in rows["BXDD"]
    assert "Sent late" in rows["CB1"] and "11/03/2026" in rows["CB1"]
    assert "Not completed, overdue" in rows["CB2"] and "Sent" not in rows["CB2"]
    assert "2 of 3 sent." in page


def test_the_lead_s_report_starts_from_what_was_sent(app, session, vi_2_1, heads):
    sent(session, heads["BXDD"], vi_2_1["BXDD"], "2026-03-09T10:00", "Đã đăng 12 tin bài.")
    lead = vi_2_1["UBND"]
    start_task(session, heads["UBND"], lead.id, lead.version, now=at("2026-03-12T08:00"))
    session.commit()
    page = browser_of(app, heads["UBND"]).get(f"/tasks/{lead.id}").text
    report_text = re.search(r'<textarea id="text" name="text"[^>]*>(.*?)</textarea>', page, re.S)
    assert report_text.group(1).strip() == "Ban Xây dựng Đảng: Đã đăng 12 tin bài."


def test_the_lead_s_head_takes_a_contribution_in_on_its_page(app, session, vi_2_1, heads):
    contribution = vi_2_1["CB2"]
    sent(session, heads["CB2"], contribution, "2026-03-10T16:00", "Đã tuyên truyền.")
    lead = browser_of(app, heads["UBND"])
    page = lead.get(f"/tasks/{contribution.id}").text
    assert "Take in the contribution" in page and "Return the contribution" in page
    assert "The lead&#39;s task" in page or "The lead's task" in page
    response = lead.post(
        f"/tasks/{contribution.id}/approve",
        data={"csrf_token": csrf(page), "version": str(contribution.version)},
    )
    assert response.status_code == 303
    session.refresh(contribution)
    assert contribution.state == "reviewed"


def test_the_coordinating_head_sends_with_the_contribution_s_words(app, vi_2_1, heads):
    page = browser_of(app, heads["CB1"]).get(f"/tasks/{vi_2_1['CB1'].id}").text
    assert "A contribution as coordinating unit" in page
    assert "Take in the contribution" not in page
    assert "Ask for an extension" not in page  # a contribution follows the lead's date


def test_the_reviewer_cannot_take_a_contribution_in(app, session, vi_2_1, heads, make_user):
    contribution = vi_2_1["BXDD"]
    sent(session, heads["BXDD"], contribution, "2026-03-09T10:00", "Đã đăng tin.")
    reviewer = browser_of(app, make_user("reviewer", locale="en"))
    page = reviewer.get(f"/tasks/{contribution.id}").text
    assert "Take in the contribution" not in page
    response = reviewer.post(
        f"/tasks/{contribution.id}/approve",
        data={"csrf_token": csrf(page), "version": str(contribution.version)},
    )
    assert response.status_code == 403
    assert "VI.2.1" not in reviewer.get("/review/").text


def test_the_accountability_page_counts_contributions_apart(app, session, vi_2_1, heads, make_user):
    sent(session, heads["BXDD"], vi_2_1["BXDD"], "2026-03-09T10:00", "Đúng hạn.")
    sent(session, heads["CB1"], vi_2_1["CB1"], "2026-03-11T08:00", "Muộn.")
    page = browser_of(app, make_user("leader", locale="en")).get("/accountability?quarter=2026-Q1")
    roles = {
        unit: re.findall(r'<td class="figure[^"]*"[^>]*>(.*?)</td>', row, re.S)
        for unit, row in re.findall(r'<tr id="roles-([^"]+)">(.*?)</tr>', page.text, re.S)
    }
    figures = {
        unit: [re.sub(r"<[^>]+>", "", cell).strip() for cell in cells[:4]]
        for unit, cells in roles.items()
    }
    # owed, sent on time, sent late, not sent and overdue
    assert figures == {
        "BXDD": ["1", "1", "0", "0"],
        "CB1": ["1", "0", "1", "0"],
        "CB2": ["1", "0", "0", "1"],
    }
    assert "work=contributions" in page.text
    late = browser_of(app, make_user("leader", locale="en")).get(
        "/accountability/tasks?unit=CB1&measure=late&work=contributions&quarter=2026-Q1"
    )
    assert "Cung cấp thông tin chính thống" in late.text


def test_the_api_lists_the_contributions_and_the_lead_takes_one_in(
    client, session, vi_2_1, heads, make_user
):
    contribution = vi_2_1["CB1"]
    sent(session, heads["CB1"], contribution, "2026-03-10T17:00", "Đúng giờ hạn.")
    token = issue_token(session, heads["UBND"], real_now())
    session.commit()
    lead = Caller(client, heads["UBND"], token)
    body = lead.get(f"/tasks/{vi_2_1['UBND'].id}").get_json()
    assert {(c["unit"], c["late"], c["state"]) for c in body["contributions"]} == {
        ("BXDD", False, "assigned"),
        ("CB1", False, "reported"),
        ("CB2", False, "assigned"),
    }
    mine = lead.get(f"/tasks/{contribution.id}").get_json()
    assert (mine["kind"], mine["contributes_to"], mine["actions"]) == (
        "contribution",
        [vi_2_1["UBND"].id],
        ["approve", "return"],
    )
    assert lead.fire(contribution, "approve").get_json()["state"] == "reviewed"
    reviewer = make_user("reviewer")
    reviewer_token = issue_token(session, reviewer, real_now())
    session.commit()
    assert Caller(client, reviewer, reviewer_token).fire(vi_2_1["BXDD"], "start").status_code == 403
