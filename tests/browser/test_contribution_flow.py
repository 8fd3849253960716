"""Coordination in a real browser: the head of the Fatherland Front, which coordinates UBND's
duty III.1.1, finds its contribution among its work on a phone and sends it; UBND's head sees
on the duty's page, on a desktop, who has contributed and who has not, starts the report from
what was sent, and sending it takes the contribution in."""

from playwright.sync_api import Page, expect

from tests.browser.test_at_a_glance import wider_than_the_window
from tests.browser.test_report_review_flow import WORDS, sign_in, sign_out

LANGUAGE = "vi"
CONTRIBUTION = "Mặt trận đã phổ biến thông tin chính thống tới 14 khu dân cư."


def test_a_contribution_sent_and_consolidated_by_the_lead(page: Page, live_server, screenshot):
    words = WORDS[LANGUAGE]
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, "truong.mttq", LANGUAGE)
    row = page.locator("tr", has_text="Thực hiện công tác phát ngôn").filter(has_text="Phối hợp")
    expect(row).to_contain_text("10/03/2026")  # five days before UBND's 15 March
    row.get_by_role("link").first.click()
    expect(page.locator("#contribution-for")).to_contain_text("UBND Phường · hạn 17:00 15/03/2026")
    expect(page.locator("#extension")).to_contain_text("chỉ nhiệm vụ của đơn vị chủ trì")
    page.get_by_role("button", name=words["start"]).click()
    page.fill("#text", CONTRIBUTION)
    page.get_by_role("button", name="Gửi nội dung phối hợp").click()
    expect(page.locator("main")).to_contain_text(words["reported"])
    expect(page.locator("body")).to_contain_text("người đứng đầu đơn vị chủ trì sẽ tiếp nhận")
    assert wider_than_the_window(page) <= 0
    screenshot("contribution-sent-390")
    sign_out(page, LANGUAGE)

    page.set_viewport_size({"width": 1366, "height": 768})
    sign_in(page, live_server, "truong.ubnd", LANGUAGE)
    page.locator("tr", has_text="Thực hiện công tác phát ngôn").get_by_role("link").first.click()
    table = page.locator("#contributions")
    expect(table).to_contain_text("Đã gửi 1/")
    front = table.locator('tr[data-unit="MTTQ"]')
    expect(front).to_contain_text("Gửi đúng hạn")
    expect(front).to_contain_text(CONTRIBUTION)
    expect(table.locator('tr[data-unit="BXDD"]')).to_contain_text("Chưa hoàn thành, trong hạn")
    screenshot("lead-sees-contributions")
    page.get_by_role("button", name=words["start"]).click()
    expect(page.locator("#text")).to_have_value(f"Ủy ban MTTQ Phường: {CONTRIBUTION}")
    page.fill("#text", page.locator("#text").input_value() + "\n\nUBND Phường đã tổng hợp.")
    page.get_by_role("button", name=words["report"]).click()
    expect(page.locator("#contributions tr[data-unit=MTTQ]")).to_contain_text("đã tiếp nhận")
    assert wider_than_the_window(page) <= 0
    screenshot("lead-reported")
