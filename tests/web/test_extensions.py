"""Deadline extensions on the pages: the unit head asks on the task page, Ban Xây dựng Đảng
decides there or in the review queue, and accountability counts what was extended.

People here read English where a test reads the page's words (``locale="en"``): the English
text is the msgid itself, whatever the Vietnamese catalogue holds. What does not depend on
words (statuses, data attributes, the database) is checked for Vietnamese readers too."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

import pytest
from sqlmodel import select

from tests.conftest import at, csrf, set_clock, sign_in_on, statements_of
from workflow.clock import Clock
from workflow.tasks.extensions import ask_extension, grant_extension
from workflow.tasks.models import DeadlineExtension

BEFORE_DUE = "2026-03-10T09:00"  # UBND's VI.2.1 of Q1 is due 15/03/2026 17:00


@pytest.fixture
def task(app, open_tasks, session):
    """UBND's VI.2.1 of 2026-Q1 on 10 March, the app's clock standing there."""
    found = open_tasks("2026-Q1")("VI.2.1", "UBND")
    session.commit()
    set_clock(app, BEFORE_DUE)
    return found


@pytest.fixture
def head(make_user):
    return make_user("unit_head", "UBND", full_name="Trần Thị Bình", locale="en")


@pytest.fixture
def reviewer(make_user):
    return make_user("reviewer", full_name="Phạm Văn Duyệt", locale="en")


def browser_of(app, user):
    """Another browser, with ``user`` signed in on it."""
    browser = app.test_client()
    sign_in_on(browser, user)
    return browser


def page_of(client, task) -> str:
    return client.get(f"/tasks/{task.id}").text


def extension_card(page: str) -> str:
    match = re.search(r'<section class="card extension".*?</section>', page, re.S)
    return match.group(0) if match else ""


def field_errors(fragment: str) -> list[str]:
    found = re.findall(r'<div class="field-error"[^>]*>(.*?)</div>', fragment, re.S)
    return [html.unescape(error) for error in found]


def post(client, path: str, **form):
    """Post ``form`` to ``path`` from the page it is on: the task's, or the review queue."""
    task_page = re.match(r"/tasks/\d+", path)
    page = client.get(task_page.group(0) if task_page else "/review/").text
    return client.post(path, data={"csrf_token": csrf(page), **form})


def ask(client, task, **form):
    return post(client, f"/tasks/{task.id}/ask_extension", version=str(task.version), **form)


def fresh(session, task):
    session.refresh(task)
    session.commit()
    return task


def requests(session, task):
    session.commit()
    rows = session.exec(select(DeadlineExtension).where(DeadlineExtension.task_id == task.id))
    found = [(r.status, r.proposed_due, r.reason, r.refusal_reason) for r in rows]
    session.commit()
    return found


def asked_already(session, task, head, day=date(2026, 3, 31)):
    """The head's request, made through the engine."""
    fresh(session, task)
    clock = Clock.at(BEFORE_DUE)
    ask_extension(session, head, task.id, task.version, day, "Chờ số liệu", clock=clock)
    session.commit()
    return fresh(session, task)


# The unit head asks


def test_the_head_asks_for_a_later_date_on_the_task_page(sign_in, session, task, head, make_user):
    client = sign_in(head)
    card = extension_card(page_of(client, task))
    assert 'data-may-ask="true"' in card
    assert f'action="/tasks/{task.id}/ask_extension"' in card
    assert 'type="date" id="due_date" name="due_date"' in card
    assert 'min="2026-03-16"' in card and 'max="2026-12-31"' in card  # the plan's end
    response = ask(client, task, due_date="2026-03-31", reason="Chờ số liệu tổng hợp")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/tasks/{task.id}#extension")
    assert requests(session, task) == [
        ("pending", at("2026-03-31T17:00"), "Chờ số liệu tổng hợp", "")
    ]
    page = page_of(client, task)
    assert "Your request for an extension was sent" in page
    card = extension_card(page)
    assert 'data-may-ask="false"' in card and 'data-why="pending"' in card
    assert "ask_extension" not in card  # no second request while one waits
    assert "Waiting for a decision" in card
    assert "Trần Thị Bình asked on 09:00 10/03/2026" in html.unescape(card)
    assert "from 15/03/2026 to 31/03/2026" in card
    assert "A request for an extension of this task is already waiting" in card


def test_a_day_typed_as_offices_write_it_is_read(sign_in, session, task, head):
    """Where there is no date picker people type 31/03/2026."""
    response = ask(sign_in(head), task, due_date="31/03/2026", reason="Chờ số liệu")
    assert response.status_code == 303
    assert requests(session, task)[0][1] == at("2026-03-31T17:00")


@pytest.mark.parametrize(
    ("form", "errors"),
    [
        ({"due_date": "", "reason": ""}, ["Choose the new due date.", "Give the reason for"]),
        ({"due_date": "2026-03-12", "reason": "Lý do"}, ["must be after the current one"]),
        ({"due_date": "2027-01-05", "reason": "Lý do"}, ["may not be after the plan ends"]),
        ({"due_date": "mai", "reason": "Lý do"}, ["Write the date as dd/mm/yyyy"]),
    ],
)
def test_a_mistake_is_said_beside_its_field_and_what_was_typed_stays(
    sign_in, session, task, head, form, errors
):
    response = ask(sign_in(head), task, **form)
    assert response.status_code == 422
    card = extension_card(response.text)
    said = field_errors(card)
    assert len(said) == len(errors)
    assert all(expected in error for expected, error in zip(errors, said, strict=True))
    assert f'value="{form["due_date"]}"' in card
    assert f">{form['reason']}</textarea>" in card
    assert requests(session, task) == []


def test_vietnamese_readers_get_the_same_refusal_status(sign_in, session, task, make_user):
    vietnamese = make_user("unit_head", "UBND")
    response = ask(sign_in(vietnamese), task, due_date="", reason="")
    assert response.status_code == 422
    assert len(field_errors(extension_card(response.text))) == 2


@pytest.mark.parametrize(
    ("situation", "why", "message"),
    [
        ("waiting", "pending", "already waiting for a decision"),
        ("granted", "limit", "as many times as its plan allows (1)"),
        ("past due", "past_due", "The due time (15/03/2026 17:00) has passed"),
    ],
)
def test_the_head_is_told_why_no_extension_can_be_asked_for(
    app, sign_in, session, task, head, reviewer, situation, why, message
):
    if situation != "past due":
        asked_already(session, task, head)
    if situation == "granted":
        grant_extension(session, reviewer, task.id, task.version, clock=Clock.at(BEFORE_DUE))
        session.commit()
    if situation == "past due":
        set_clock(app, "2026-03-15T17:01")
    card = extension_card(page_of(sign_in(head), task))
    assert 'data-may-ask="false"' in card and f'data-why="{why}"' in card
    assert message in html.unescape(card)
    assert 'name="due_date"' not in card


def test_exactly_at_the_due_time_the_form_is_still_there(app, sign_in, task, head):
    set_clock(app, "2026-03-15T17:00")
    assert 'data-may-ask="true"' in extension_card(page_of(sign_in(head), task))


@pytest.mark.parametrize(
    ("role", "unit"), [("member", "UBND"), ("unit_head", "BXDD"), ("reviewer", None)]
)
def test_no_one_else_is_offered_the_request_form(sign_in, make_user, task, role, unit):
    """A member of the unit, the head of a coordinating unit, a reviewer: no form, and with
    nothing asked yet, nothing to show."""
    page = page_of(sign_in(make_user(role, unit)), task)
    assert extension_card(page) == ""
    assert "ask_extension" not in page


def test_a_request_posted_by_someone_else_is_refused(sign_in, make_user, session, task):
    response = ask(sign_in(make_user("member", "UBND")), task, due_date="2026-03-31", reason="x")
    assert response.status_code == 403
    assert requests(session, task) == []


def test_a_request_without_the_csrf_token_is_refused(sign_in, session, task, head):
    client = sign_in(head)
    response = client.post(
        f"/tasks/{task.id}/ask_extension",
        data={"version": str(task.version), "due_date": "2026-03-31", "reason": "Lý do"},
    )
    assert response.status_code == 400
    assert requests(session, task) == []


# Ban Xây dựng Đảng decides on the task page


def test_everyone_who_sees_the_task_sees_the_request(app, make_user, session, task, head):
    asked_already(session, task, head)
    for role, unit in (("member", "UBND"), ("unit_head", "BXDD"), ("leader", None)):
        card = extension_card(page_of(browser_of(app, make_user(role, unit, locale="en")), task))
        assert 'data-status="pending"' in card and "Chờ số liệu" in card
        assert "grant_extension" not in card and "refuse_extension" not in card


def test_the_reviewer_grants_on_the_task_page_and_the_due_date_says_so(
    app, client, sign_in, session, task, head, reviewer
):
    asked_already(session, task, head)
    browser = sign_in(reviewer)
    card = extension_card(page_of(browser, task))
    assert f'action="/tasks/{task.id}/grant_extension"' in card
    assert f'action="/tasks/{task.id}/refuse_extension"' in card
    response = post(browser, f"/tasks/{task.id}/grant_extension", version=str(task.version))
    assert response.status_code == 303
    assert requests(session, task)[0][0] == "granted"
    page = page_of(browser, task)
    assert "The extension of VI.2.1 (Ủy ban nhân dân Phường) is granted." in page
    due = re.search(r'<td class="due">(.*?)</td>', page, re.S).group(1)
    assert "17:00 31/03/2026" in due
    assert 'data-extended-from="2026-03-15"' in due and "(extended from 15/03/2026)" in due
    history = page[page.index('id="history"') :]
    assert "Extension asked for" in history and "Extension granted" in history
    assert "15/03/2026 17:00 → 31/03/2026 17:00" in history
    assert 'data-status="granted"' in extension_card(page)  # among the earlier requests


def test_an_extended_task_is_marked_in_the_lists(app, session, task, head, reviewer):
    """After the grant, "My work" marks UBND's VI.2.1 as extended beside its new due day, and
    no other row."""
    asked_already(session, task, head)
    browser = browser_of(app, reviewer)
    post(browser, f"/tasks/{task.id}/grant_extension", version=str(task.version))
    mine = browser_of(app, head).get("/").text
    rows = re.findall(
        r"<tr>\s*<td class=\"ref\">(.*?)</td>.*?<td class=\"due\">(.*?)</td>", mine, re.S
    )
    marked = [(ref, "31/03/2026" in due) for ref, due in rows if 'class="extended"' in due]
    assert marked == [("VI.2.1", True)]


def test_refusing_needs_a_reason_said_beside_the_field(app, sign_in, session, task, head, reviewer):
    asked_already(session, task, head)
    browser = sign_in(reviewer)
    path = f"/tasks/{task.id}/refuse_extension"
    response = post(browser, path, version=str(task.version), reason="  ")
    assert response.status_code == 422
    assert field_errors(extension_card(response.text)) == [
        "Give the reason for refusing the extension."
    ]
    assert requests(session, task)[0][0] == "pending"
    response = post(browser, path, version=str(task.version), reason="Không đủ căn cứ")
    assert response.status_code == 303
    assert requests(session, task)[0][::3] == ("refused", "Không đủ căn cứ")
    card = extension_card(page_of(browser_of(app, head), task))
    assert 'data-status="refused"' in card and "Không đủ căn cứ" in card
    assert 'data-may-ask="true"' in card  # a refusal does not count against the limit


def test_a_decision_taken_already_is_told_to_the_second_reviewer(
    sign_in, make_user, session, task, head, reviewer
):
    asked_already(session, task, head)
    browser = sign_in(reviewer)
    seen = task.version
    grant_extension(session, make_user("reviewer"), task.id, seen, clock=Clock.at(BEFORE_DUE))
    session.commit()
    response = post(browser, f"/tasks/{task.id}/refuse_extension", version=str(seen), reason="x")
    assert response.status_code == 409
    assert "already decided (Granted)" in response.text
    assert requests(session, task)[0][0] == "granted"


# The review queue


def test_the_queue_shows_the_waiting_requests_above_the_reports(
    sign_in, make_user, session, open_tasks, task, head, reviewer
):
    asked_already(session, task, head)
    page = sign_in(reviewer).get("/review/").text
    assert "Requests for an extension waiting for a decision" in page
    section = page[page.index('id="extensions"') :]
    item = section[: section.index("</article>")]
    assert f'id="extension-{task.id}"' in item
    assert "VI.2.1. Cung cấp thông tin chính thống" in item and "Chờ số liệu" in item
    assert f'action="/review/extensions/{task.id}/grant_extension"' in item
    assert f'action="/review/extensions/{task.id}/refuse_extension"' in item


def test_the_leader_reads_the_requests_without_deciding(sign_in, make_user, session, task, head):
    asked_already(session, task, head)
    page = sign_in(make_user("leader")).get("/review/").text
    assert f'id="extension-{task.id}"' in page
    assert "/review/extensions/" not in page


def test_granting_from_the_queue_comes_back_to_the_queue(sign_in, session, task, head, reviewer):
    asked_already(session, task, head)
    browser = sign_in(reviewer)
    path = f"/review/extensions/{task.id}/grant_extension?quarter=2026-Q1"
    response = post(browser, path, version=str(task.version))
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/review/?quarter=2026-Q1#extensions")
    assert fresh(session, task).due_at == at("2026-03-31T17:00")
    assert f'id="extension-{task.id}"' not in browser.get("/review/").text


def test_refusing_from_the_queue_without_a_reason_is_said_beside_it(
    sign_in, session, task, head, reviewer
):
    asked_already(session, task, head)
    browser = sign_in(reviewer)
    path = f"/review/extensions/{task.id}/refuse_extension"
    response = post(browser, path, version=str(task.version), reason="")
    assert response.status_code == 422
    item = response.text[response.text.index(f'id="extension-{task.id}"') :]
    assert field_errors(item[: item.index("</article>")]) == [
        "Give the reason for refusing the extension."
    ]
    response = post(browser, path, version=str(task.version), reason="Không đủ căn cứ")
    assert response.status_code == 303
    assert requests(session, task)[0][0] == "refused"


def test_only_the_two_decisions_are_posted_to_the_queue(sign_in, session, task, head, reviewer):
    asked_already(session, task, head)
    path = f"/review/extensions/{task.id}/ask_extension"
    assert post(sign_in(reviewer), path, version=str(task.version)).status_code == 400


# Accountability


def test_the_accountability_page_counts_extended_tasks_on_demand_with_their_tasks(
    app, sign_in, make_user, session, task, head, reviewer
):
    asked_already(session, task, head)
    grant_extension(session, reviewer, task.id, task.version, clock=Clock.at(BEFORE_DUE))
    session.commit()
    set_clock(app, "2026-04-10T09:00")
    client = sign_in(make_user("leader", locale="en"))
    page = client.get("/accountability?quarter=2026-Q1").text
    heading = re.search(r'<th scope="col" class="([^"]*)"[^>]*><a href="[^"]*sort=extended', page)
    assert heading and heading.group(1) == "figure more"  # not at a glance
    assert "Show every column (due, not yet due, reported, reporting rate, extended," in page
    row = re.search(r'<tr id="unit-UBND">(.*?)</tr>', page, re.S).group(1)
    link = re.search(r'<a href="([^"]*measure=extended[^"]*)"[^>]*>(\d+)</a>', row)
    assert link.group(2) == "1"
    drill = client.get(html.unescape(link.group(1))).text
    assert f'href="/tasks/{task.id}"' in drill
    assert client.get("/accountability?quarter=2026-Q1&sort=extended&dir=desc").status_code == 200


def test_the_queue_reads_its_requests_in_one_statement_however_many(
    app, sign_in, make_user, session, open_tasks, task, head, reviewer
):
    """One request waiting, then four: the queue sends the same number of statements."""
    asked_already(session, task, head)
    client = sign_in(reviewer)

    def statements() -> int:
        return statements_of(app, client, "/review/")

    one = statements()
    find = open_tasks("2026-Q1")
    for ref, unit in (("VI.4.1", "CB1"), ("VI.4.1", "CB2"), ("VI.1.7", "BXDD")):
        other = find(ref, unit)
        session.add(
            DeadlineExtension(
                task_id=other.id,
                asked_by_id=head.id,
                asked_at=at(BEFORE_DUE),
                due_when_asked=other.due_at,
                proposed_due=other.due_at + timedelta(days=10),
                reason="Chờ số liệu",
            )
        )
    session.commit()
    assert statements() == one
    assert client.get("/review/").text.count('class="extension-item"') == 4
