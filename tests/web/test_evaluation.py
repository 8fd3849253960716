"""The year-end evaluation on the pages, in the files and through the API: the ward's overview,
a unit's year with its heads, a leader confirming a grade, the office's rules, and who may.

The small plan's first quarter is opened and UBND's VI.2.1 reported on time and approved; the
clock stands on 1 April 2026. People read English here (``locale="en"``)."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from docx import Document
from openpyxl import load_workbook

from tests.conftest import at, csrf, real_now, set_clock, sign_in_on
from tests.web.test_api import Caller
from workflow.accounts.operations import set_role_and_unit
from workflow.accounts.tokens import issue_token
from workflow.tasks.operations import approve_report, start_task, submit_report


@pytest.fixture
def ward_year(app, open_tasks, session, make_user):
    people = {
        "head": make_user("unit_head", "UBND", full_name="Trần Văn Trưởng", locale="en"),
        "leader": make_user("leader", full_name="Lê Lãnh Đạo", locale="en"),
        "reviewer": make_user("reviewer", locale="en"),
        "admin": make_user("admin", locale="en"),
        "other": make_user("unit_head", "BXDD", locale="en"),
    }
    task = open_tasks("2026-Q1")("VI.2.1", "UBND")
    head, reviewer = people["head"], people["reviewer"]
    start_task(session, head, task.id, task.version, now=at("2026-03-10T09:00"))
    session.refresh(task)
    submit_report(session, head, task.id, task.version, "=SUM(A1) đã làm", now=at("2026-03-12"))
    session.refresh(task)
    approve_report(session, reviewer, task.id, task.version, now=at("2026-03-13"))
    session.commit()
    set_clock(app, "2026-04-01T09:00")
    return people


def browser_of(app, user):
    browser = app.test_client()
    sign_in_on(browser, user)
    return browser


def figure_row(page: str, key: str) -> list[str]:
    row = re.search(rf'<tr data-figure="{key}">(.*?)</tr>', page, re.S).group(1)
    return [
        re.sub(r"<[^>]+>", "", cell).strip()
        for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    ]


def test_the_overview_lists_each_unit_with_its_proposed_grade(app, ward_year):
    page = browser_of(app, ward_year["leader"]).get("/evaluation/?year=2026").text
    row = re.search(r'<tr id="year-UBND">(.*?)</tr>', page, re.S).group(1)
    assert "1/1" in row and "Completed the tasks excellently" in row
    assert 'href="/evaluation/UBND?year=2026"' in page


def test_a_unit_s_year_page_shows_its_figures_and_a_leader_confirms(app, session, ward_year):
    leader = browser_of(app, ward_year["leader"])
    page = leader.get("/evaluation/UBND?year=2026").text
    assert figure_row(page, "owed")[0] == "1"
    assert figure_row(page, "completed_on_time")[0] == "1"
    assert figure_row(page, "on_time_rate")[0] == "100%"
    assert "Grade proposed by the figures" in page
    refused = leader.post(
        "/evaluation/UBND/grade?year=2026", data={"csrf_token": csrf(page), "grade": "good"}
    )
    assert refused.status_code == 422
    assert "Say why the grade differs" in refused.text
    done = leader.post(
        "/evaluation/UBND/grade?year=2026",
        data={"csrf_token": csrf(page), "grade": "good", "note": "Còn chậm ở quý II"},
    )
    assert done.status_code == 303
    page = leader.get("/evaluation/UBND?year=2026").text
    confirmed = re.search(r'<p class="confirmed-grade">(.*?)</p>', page, re.S).group(1)
    assert "Completed the tasks well" in confirmed and "Lê Lãnh Đạo" in confirmed
    assert "Còn chậm ở quý II" in page


def test_the_unit_head_sees_their_own_year_only_and_cannot_grade(app, ward_year):
    head = browser_of(app, ward_year["head"])
    assert (
        head.get("/evaluation/?year=2026")
        .headers["Location"]
        .endswith("/evaluation/UBND?year=2026")
    )
    page = head.get("/evaluation/UBND?year=2026")
    assert page.status_code == 200 and "Confirm the grade" not in page.text
    assert head.get("/evaluation/BXDD?year=2026").status_code == 403
    assert browser_of(app, ward_year["other"]).get("/evaluation/UBND").status_code == 403
    reviewer = browser_of(app, ward_year["reviewer"])
    page = reviewer.get("/evaluation/UBND?year=2026").text
    assert "Confirm the grade" not in page
    assert (
        reviewer.post("/evaluation/UBND/grade", data={"csrf_token": csrf(page), "grade": "good"})
    ).status_code == 403


def test_the_year_downloads_as_docx_and_xlsx(app, ward_year):
    leader = browser_of(app, ward_year["leader"])
    docx = leader.get("/evaluation/UBND/export.docx?year=2026")
    assert docx.status_code == 200
    assert docx.headers["Cache-Control"] == "private, no-store"
    text = "\n".join(p.text for p in Document(BytesIO(docx.data)).paragraphs)
    assert "KẾT QUẢ THỰC HIỆN NHIỆM VỤ NĂM 2026 CỦA ỦY BAN NHÂN DÂN PHƯỜNG" in text
    assert "Hoàn thành xuất sắc nhiệm vụ" in text  # in Vietnamese, whoever downloads it
    rows = [
        [cell.text for cell in row.cells] for row in Document(BytesIO(docx.data)).tables[0].rows
    ]
    assert rows[1][:2] == ["Nhiệm vụ chủ trì", "1"]
    xlsx = leader.get("/evaluation/UBND/export.xlsx?year=2026")
    book = load_workbook(BytesIO(xlsx.data))
    sheet = book[book.sheetnames[0]]
    values = {row[0]: row[1] for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert values["Nhiệm vụ chủ trì"] == 1 and values["Tỷ lệ đúng hạn"] == 1.0
    assert leader.get("/evaluation/UBND/export.pdf").status_code == 404


def test_the_office_sets_the_rules_and_a_wrong_order_is_refused(app, ward_year):
    admin = browser_of(app, ward_year["admin"])
    page = admin.get("/evaluation/rules").text
    form = {
        name: value
        for name, value in re.findall(r'<input id="\w+"[^>]* name="(\w+)"[^>]* value="(\d+)"', page)
    }
    assert form["excellent_on_time"] == "90" and form["done_overdue"] == "5"
    form["done_on_time"] = "95"  # harder than "good": refused
    refused = admin.post("/evaluation/rules", data={"csrf_token": csrf(page), **form})
    assert refused.status_code == 422 and "no easier to reach" in refused.text
    form["done_on_time"] = "40"
    assert (
        admin.post("/evaluation/rules", data={"csrf_token": csrf(page), **form}).status_code == 303
    )
    assert 'value="40"' in admin.get("/evaluation/rules").text
    assert browser_of(app, ward_year["leader"]).get("/evaluation/rules").status_code == 403


def test_the_api_gives_a_unit_s_year(client, session, ward_year):
    token = issue_token(session, ward_year["leader"], real_now())
    session.commit()
    body = (
        Caller(client, ward_year["leader"], token)
        .get("/accountability", year="2026", unit="UBND")
        .get_json()
    )
    assert (body["unit"], body["year"], body["proposed_grade"]) == ("UBND", 2026, "excellent")
    assert body["figures"]["owed"] == 1 and body["figures"]["on_time_rate"] == 1.0
    refused = Caller(client, ward_year["leader"], token).get(
        "/accountability", quarter="2026-Q1", unit="UBND"
    )
    assert refused.status_code == 400
    other = issue_token(session, ward_year["other"], real_now())
    session.commit()
    assert (
        Caller(client, ward_year["other"], other)
        .get("/accountability", year="2026", unit="UBND")
        .status_code
        == 403
    )


def test_the_year_page_credits_each_head_with_what_fell_due_in_their_term(
    app, session, ward_year, make_user
):
    """Phạm Thị Mới became UBND's head on 2 March, before VI.2.1 fell due on the 15th; Trần Văn
    Trưởng's account (and term) began only when the test made it, after: the task is hers."""
    new = make_user("member", "UBND", full_name="Phạm Thị Mới")
    set_role_and_unit(
        session, ward_year["admin"], new.id, "unit_head", "UBND", now=at("2026-03-02T08:00")
    )
    session.commit()
    page = browser_of(app, ward_year["leader"]).get("/evaluation/UBND?year=2026").text
    heads = re.findall(r'<th scope="col" class="figure head">(.*?)<br>', page)
    assert heads == ["Phạm Thị Mới", "Trần Văn Trưởng"]
    assert figure_row(page, "owed") == ["1", "1", "0"]
