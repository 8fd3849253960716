"""A missed target in a real browser: UBND's head enters the ward's figure for accounts of
public services on a phone, the Standing Committee sees it red and asks for an explanation on a
desktop, the head finds the request among their work and answers it with a report, and Ban Xây
dựng Đảng approves the answer."""

import re

from playwright.sync_api import Page, expect

from tests.browser.test_at_a_glance import wider_than_the_window
from tests.browser.test_report_review_flow import WORDS, sign_in, sign_out

LANGUAGE = "vi"


def open_target(page: Page, server: str, ref: str) -> None:
    page.goto(f"{server}/targets/")
    page.get_by_role("link", name=re.compile(re.escape(ref))).click()


def test_a_missed_target_explained_and_approved(page: Page, live_server, screenshot):
    words = WORDS[LANGUAGE]
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, "truong.ubnd", LANGUAGE)
    open_target(page, live_server, "I.2.4.c")
    form = page.locator("#enter")
    form.locator("#count").fill("5200")
    form.locator("#total").fill("10000")
    form.locator("#source").fill("Thống kê của Trung tâm Phục vụ hành chính công Phường")
    form.get_by_role("button", name="Lưu số liệu").click()
    units = page.locator("#units")
    expect(units).to_contain_text("52% (5.200/10.000)")
    expect(units.locator(".badge.tone-red").first).to_contain_text("Không đạt")  # 62% expected
    assert wider_than_the_window(page) <= 0
    screenshot("figure-390")
    sign_out(page, LANGUAGE)

    page.set_viewport_size({"width": 1366, "height": 768})
    sign_in(page, live_server, "lanhdao", LANGUAGE)
    page.goto(f"{live_server}/targets/")
    expect(page.locator("table.targets")).to_contain_text("Không đạt")
    open_target(page, live_server, "I.2.4.c")
    page.get_by_text("Yêu cầu giải trình", exact=True).click()
    page.fill("input[name=due_on]", "2026-03-20")
    page.fill(
        "textarea[name=text]", "Tỷ lệ mới đạt 52%: đề nghị giải trình nguyên nhân, giải pháp."
    )
    page.get_by_role("button", name="Gửi yêu cầu").click()
    banner = page.locator("#explanation")
    expect(banner).to_contain_text("Yêu cầu giải trình về chỉ tiêu I.2.4.c")
    expect(banner).to_contain_text("Lê Đức Toàn")
    task_url = page.url
    screenshot("explanation-asked")
    sign_out(page, LANGUAGE)

    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, "truong.ubnd", LANGUAGE)
    page.locator("tr", has_text="Giải trình chỉ tiêu I.2.4.c").get_by_role("link").first.click()
    assert page.url == task_url
    expect(page.locator("#explanation")).to_contain_text("đề nghị giải trình nguyên nhân")
    page.get_by_role("button", name=words["start"], exact=True).click()
    page.fill("#text", "Nguyên nhân: nhiều người lao động tự do chưa có tài khoản định danh.")
    page.get_by_role("button", name=words["report"], exact=True).click()
    expect(page.locator("body")).to_contain_text(words["reported"])
    assert wider_than_the_window(page) <= 0
    screenshot("explanation-answered-390")
    sign_out(page, LANGUAGE)

    page.set_viewport_size({"width": 1366, "height": 768})
    sign_in(page, live_server, "bxdd", LANGUAGE)
    page.goto(task_url)
    page.get_by_role("button", name=words["approve"], exact=True).click()
    expect(page.locator(".badge.state-reviewed")).to_contain_text(words["approved"])
    open_target(page, live_server, "I.2.4.c")
    expect(page.locator("#explanations")).to_contain_text(words["approved"])
