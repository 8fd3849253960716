"""The targets pages: where each target stands, a unit head entering their unit's figure, and a
leader asking a unit to explain a missed target, which the unit then finds among its work.

People read English here where a test reads the page's words (``locale="en"``)."""

from __future__ import annotations

import html
import re

import pytest
from sqlmodel import select

from tests.conftest import csrf, set_clock, sign_in_on
from workflow.plans.models import Target
from workflow.tasks.models import Task

EARLY_APRIL = "2026-04-05T09:00"


@pytest.fixture
def target(app, session, open_tasks):
    open_tasks("2026-Q1")
    found = session.exec(select(Target).where(Target.ref == "I.2.4")).one()
    session.commit()
    set_clock(app, EARLY_APRIL)
    return found


def browser(app, user):
    client = app.test_client()
    sign_in_on(client, user)
    return client


def enter(client, target, **fields):
    page = client.get(f"/targets/{target.id}").text
    data = {"csrf_token": csrf(page), "period": "2026-Q1", **fields}
    return client.post(f"/targets/{target.id}/figures", data=data)


def text_of(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


@pytest.mark.parametrize("role", ["leader", "reviewer", "admin", "unit_head", "member"])
def test_everyone_sees_the_targets_and_where_the_ward_stands(app, target, make_user, role):
    user = make_user(role, "CB1" if role in ("unit_head", "member") else None, locale="en")
    page = browser(app, user).get("/targets/").text
    assert 'href="/targets/"' in page  # in the menu
    assert f'href="/targets/{target.id}"' in page and "I.2.4" in page
    assert "Missed" in text_of(page)  # Q1 is over and nobody reported


def test_a_unit_head_enters_a_count_over_a_total(app, target, make_user):
    head = browser(app, make_user("unit_head", "CB1", locale="en"))
    response = enter(head, target, count="45", total="50", source="Sổ thu đảng phí <b>2026</b>")
    assert response.status_code == 303
    page = head.get(response.headers["Location"]).text
    assert "Your unit's figure was saved." in text_of(page)
    words = text_of(page)
    assert "90% (45 of 50)" in words
    assert "Sổ thu đảng phí <b>2026</b>" in words and "<b>2026</b>" not in page  # escaped


def test_a_wrong_figure_is_said_beside_its_field_and_what_was_typed_stays(app, target, make_user):
    head = browser(app, make_user("unit_head", "CB1", locale="en"))
    response = enter(head, target, count="60", total="50", source="")
    assert response.status_code == 422
    page = response.text
    assert 'value="60"' in page
    errors = re.findall(r'class="field-error" role="alert">([^<]+)<', page)
    assert errors == [
        "The count cannot be more than the total.",
        "Say where the figure comes from.",
    ]


def test_the_page_refuses_a_figure_from_a_unit_that_does_not_report_it(app, target, make_user):
    head = browser(app, make_user("unit_head", "UBND", locale="en"))
    page = head.get(f"/targets/{target.id}").text
    assert f'action="/targets/{target.id}/figures"' not in page
    response = head.post(
        f"/targets/{target.id}/figures",
        data={"csrf_token": csrf(page), "period": "2026-Q1", "value": "90", "source": "x"},
    )
    assert response.status_code == 403


def test_a_leader_asks_for_an_explanation_and_the_unit_finds_it_among_its_work(
    app, target, make_user, session
):
    cb2 = make_user("unit_head", "CB2", locale="en")
    leader = browser(app, make_user("leader", locale="en"))
    page = leader.get(f"/targets/{target.id}?quarter=2026-Q1").text
    assert page.count("Ask for an explanation") == 2  # both cells missed the quarter
    response = leader.post(
        f"/targets/{target.id}/explanations",
        data={
            "csrf_token": csrf(page),
            "unit_id": cb2.unit_id,
            "period": "2026-Q1",
            "due_on": "20/04/2026",
            "text": "Chi bộ chưa báo cáo số liệu Quý I: đề nghị giải trình.",
        },
    )
    assert response.status_code == 303
    task = session.exec(select(Task).where(Task.kind == "explanation")).one()
    session.commit()  # the test's read ends, so that the app may write (SQLite)
    assert response.headers["Location"].endswith(f"/tasks/{task.id}")
    unit = browser(app, cb2)
    words = text_of(unit.get(f"/tasks/{task.id}").text)
    assert "Explanation asked about target I.2.4" in words
    assert "Chi bộ chưa báo cáo số liệu Quý I: đề nghị giải trình." in words
    assert f'href="/tasks/{task.id}"' in unit.get("/").text
    after = leader.get(f"/targets/{target.id}?quarter=2026-Q1").text
    assert after.count("Ask for an explanation") == 1  # CB2's is awaited
    assert "Giải trình chỉ tiêu I.2.4" in after


def test_an_explanation_needs_a_day_ahead_and_a_reason_and_only_leaders_ask(app, target, make_user):
    cb1 = make_user("unit_head", "CB1", locale="en")
    leader = browser(app, make_user("leader", locale="en"))
    page = leader.get(f"/targets/{target.id}").text
    data = {"csrf_token": csrf(page), "unit_id": cb1.unit_id, "period": "2026-Q1"}
    response = leader.post(
        f"/targets/{target.id}/explanations", data={**data, "due_on": "01/04/2026", "text": " "}
    )
    assert response.status_code == 422
    errors = re.findall(r'class="field-error" role="alert">([^<]+)<', response.text)
    assert errors == ["Choose a day after today.", "Say what the unit should explain."]
    head = browser(app, cb1)
    page = head.get(f"/targets/{target.id}").text
    response = head.post(
        f"/targets/{target.id}/explanations",
        data={**data, "csrf_token": csrf(page), "due_on": "20/04/2026", "text": "x"},
    )
    assert response.status_code == 403


def test_a_target_that_does_not_exist_is_not_found(app, target, make_user):
    assert browser(app, make_user("leader")).get("/targets/999999").status_code == 404
