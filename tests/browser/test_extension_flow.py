"""A deadline extension in a real browser: the unit head asks on a phone, Ban Xây dựng Đảng
grants it from the review queue on a desktop, and the head sees the new due date.

Run in each language whose catalogue holds the extension's words (Vietnamese once its
translations are applied; English, the msgids, always)."""

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_at_a_glance import wider_than_the_window
from tests.browser.test_report_review_flow import sign_in, sign_out

WORDS = {
    "vi": {
        "ask": "Đề nghị gia hạn",
        "waiting": "Chờ quyết định",
        "grant": "Đồng ý gia hạn",
        "queue": "Đề nghị gia hạn chờ quyết định",
        "extended_from": "đã gia hạn từ",
    },
    "en": {
        "ask": "Ask for an extension",
        "waiting": "Waiting for a decision",
        "grant": "Grant the extension",
        "queue": "Requests for an extension waiting for a decision",
        "extended_from": "extended from",
    },
}


def sticks_out(page: Page, selector: str) -> int:
    """How many pixels anything inside ``selector`` reaches beyond the window's right edge."""
    return page.evaluate(
        """selector => Math.max(0, ...Array.from(
            document.querySelectorAll(`${selector}, ${selector} *`),
            element => Math.ceil(element.getBoundingClientRect().right - window.innerWidth)))""",
        selector,
    )


def fits(page: Page, language: str) -> bool:
    """The extension's card fits a phone in any language; the whole page too in Vietnamese
    (English's longer labels widen the task's tables, as they did before extensions)."""
    whole = wider_than_the_window(page) <= 0 if language == "vi" else True
    return whole and sticks_out(page, "#extension") == 0


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_head_asks_on_a_phone_the_reviewer_grants_in_the_queue(
    page: Page, live_server, screenshot, language
):
    words = WORDS[language]
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, "truong.ubnd", language)
    page.get_by_role("link", name=re.compile("Thực hiện công tác phát ngôn")).first.click()
    task_url = page.url
    card = page.locator("#extension")
    expect(card).to_have_attribute("data-may-ask", "true")
    first_day = date.fromisoformat(page.locator("#due_date").get_attribute("min"))
    due_day, new_day = first_day - timedelta(days=1), first_day + timedelta(days=9)
    page.fill("#due_date", new_day.isoformat())
    page.fill("#extension-reason", "Đang chờ số liệu tổng hợp từ các tổ dân phố")
    assert fits(page, language)
    screenshot("ask-390")
    card.get_by_role("button", name=words["ask"], exact=True).click()
    expect(card).to_have_attribute("data-why", "pending")
    expect(card.locator(".extension-pending")).to_contain_text(words["waiting"])
    expect(card).to_contain_text(new_day.strftime("%d/%m/%Y"))
    assert fits(page, language)
    screenshot("asked-390")
    sign_out(page, language)

    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server, "bxdd", language)
    page.goto(f"{live_server}/review/")
    waiting = page.locator("#extensions")
    expect(waiting).to_contain_text(words["queue"])
    item = waiting.locator(".extension-item").first
    expect(item).to_contain_text("Đang chờ số liệu tổng hợp từ các tổ dân phố")
    expect(item).to_contain_text(f"{due_day:%d/%m/%Y}")
    screenshot("queue-1280")
    item.get_by_role("button", name=re.compile(words["grant"])).click()
    expect(page.locator(".flash.success")).to_be_visible()
    expect(page.locator(".extension-item")).to_have_count(0)
    sign_out(page, language)

    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, "truong.ubnd", language)
    page.goto(task_url)
    due = page.locator("td.due")
    expect(due).to_contain_text(new_day.strftime("%d/%m/%Y"))
    expect(due).to_contain_text(f"({words['extended_from']} {due_day:%d/%m/%Y})")
    expect(page.locator(".extended-from")).to_have_attribute(
        "data-extended-from", due_day.isoformat()
    )
    expect(page.locator("#extension")).to_have_attribute("data-why", "limit")
    assert fits(page, language)
    screenshot("extended-390")
