"""The pages people live in, looked at in Chromium at the sizes they use: a leader's
accountability table at 1366 px without sideways scrolling, a unit head's pages on a 390 px
phone, a returned task and a refused report. Screenshots are kept under artifacts/screenshots/."""

import re

from playwright.sync_api import Page, expect

from tests.browser.test_report_review_flow import PDF, sign_in, sign_out


def wider_than_the_window(page: Page) -> int:
    """How many pixels the page, or any table inside its box, needs beyond the window."""
    return page.evaluate(
        """() => Math.max(
            document.documentElement.scrollWidth - window.innerWidth,
            ...Array.from(document.querySelectorAll('table'), t =>
                t.scrollWidth - t.parentElement.clientWidth))"""
    )


def test_a_leader_reads_accountability_without_scrolling_sideways(
    page: Page, live_server, screenshot
):
    page.set_viewport_size({"width": 1366, "height": 768})
    sign_in(page, live_server, "lanhdao", "vi")
    page.goto(f"{live_server}/accountability")
    row = page.locator("#unit-UBND")
    expect(row).to_contain_text("UBND Phường")
    for heading in ("Đã hoàn thành đúng hạn", "Chưa hoàn thành, quá hạn", "Bị trả lại"):
        expect(page.locator("table.accountability thead")).to_contain_text(heading)
    expect(page.get_by_role("columnheader", name="Hoạt động gần nhất")).to_be_hidden()
    assert wider_than_the_window(page) <= 0
    screenshot("accountability-1366")
    page.get_by_label(re.compile("Hiện tất cả các cột")).check()
    expect(page.get_by_role("columnheader", name="Hoạt động gần nhất")).to_be_visible()
    screenshot("accountability-every-column")


def test_a_unit_head_on_a_phone_reports_is_refused_then_returned(
    page: Page, live_server, screenshot
):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, "truong.ubnd", "vi")
    expect(page.locator("h1")).to_contain_text("Việc của tôi")
    assert wider_than_the_window(page) <= 0
    screenshot("my-work-390")
    page.get_by_role("link", name=re.compile("Thực hiện công tác phát ngôn")).first.click()
    task_url = page.url
    page.get_by_role("button", name="Bắt đầu thực hiện", exact=True).click()
    # measured once the started task's page is there (its report form), not while it loads
    expect(page.get_by_role("button", name="Báo cáo", exact=True)).to_be_visible()
    assert wider_than_the_window(page) <= 0
    screenshot("task-390")
    page.fill("#text", "Đã cung cấp 12 tin bài")
    page.fill("#links", "không phải đường dẫn")
    page.set_input_files(
        "#files", files=[{"name": "Biên bản.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="Báo cáo", exact=True).click()
    kept = page.get_by_label("Biên bản.pdf")
    expect(kept).to_be_checked()  # the file is still with the report after the refusal
    screenshot("refused-report-390")
    page.fill("#links", "https://viethung.gov.vn/tin-bai")
    page.get_by_role("button", name="Báo cáo", exact=True).click()
    expect(page.get_by_role("link", name="Biên bản.pdf")).to_be_visible()
    sign_out(page, "vi")

    sign_in(page, live_server, "bxdd", "vi")
    page.goto(task_url)
    page.fill("textarea[name=comment]", "Đề nghị bổ sung hình ảnh minh chứng")
    page.get_by_role("button", name="Trả lại", exact=True).click()
    sign_out(page, "vi")

    sign_in(page, live_server, "truong.ubnd", "vi")
    page.goto(task_url)
    reason = page.locator(".returned-reason")
    expect(reason).to_contain_text("Đề nghị bổ sung hình ảnh minh chứng")
    expect(page.locator("#text")).to_have_value("Đã cung cấp 12 tin bài")
    expect(page.get_by_label("Biên bản.pdf")).to_be_checked()
    expect(page.get_by_role("button", name="Bắt đầu thực hiện")).to_have_count(0)
    assert wider_than_the_window(page) <= 0
    screenshot("returned-task-390")


def test_the_plan_overview_on_a_phone_names_each_quarter_beside_its_figure(
    page: Page, live_server, screenshot
):
    """At 390 px each responsibility is a card: no column hides to the right, and each
    figure says which quarter it is."""
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, "lanhdao", "vi")
    page.goto(f"{live_server}/plan")
    card = page.locator("table.overview tr:not(.section)", has_text="Thực hiện công tác phát")
    first = card.locator("td.figure").first
    expect(first).to_have_attribute("data-label", "Quý I/2026")
    label = first.evaluate("cell => getComputedStyle(cell, '::before').content")
    assert label == '"Quý I/2026: "'  # the quarter is written before the figure
    expect(first).to_contain_text("0/1")
    fourth = card.locator("td.figure").nth(3).bounding_box()
    assert fourth["x"] + fourth["width"] <= 390  # quarter IV is on screen, not off to the right
    assert wider_than_the_window(page) <= 0
    expect(page.locator("tr.section", has_text="I.1. Mục tiêu chung")).to_have_count(0)
    screenshot("plan-390")


def test_a_leader_on_a_phone_reads_each_unit_as_a_card(page: Page, live_server, screenshot):
    """At 390 px the accountability table becomes one card per unit, each figure named; the
    other columns still open on demand."""
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, "lanhdao", "vi")
    page.goto(f"{live_server}/accountability")
    card = page.locator("#unit-UBND")
    expect(card).to_contain_text("UBND Phường")
    owed = card.locator("td[data-label='Nhiệm vụ được giao']")
    label = owed.evaluate("cell => getComputedStyle(cell, '::before').content")
    assert label == '"Nhiệm vụ được giao: "'
    assert wider_than_the_window(page) <= 0
    expect(card.locator("td.more").first).to_be_hidden()
    screenshot("accountability-390")
    page.get_by_label(re.compile("Hiện tất cả các cột")).check()
    expect(card.locator("td.more").first).to_be_visible()
