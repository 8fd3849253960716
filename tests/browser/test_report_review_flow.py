"""The whole loop in a real browser, in Vietnamese and in English: a unit head starts a task and
reports it with evidence, the reviewer returns it with a reason, the head reports again, the
reviewer approves, the task shows its history, and the leader sees the accountability page
change."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"

WORDS = {
    "vi": {
        "sign_in": "Đăng nhập",
        "start": "Bắt đầu thực hiện",
        "report": "Báo cáo",
        "return": "Trả lại",
        "approve": "Duyệt",
        "returned": "Trả lại, yêu cầu bổ sung",
        "approved": "Đã duyệt",
        "reported": "Đã báo cáo",
        "sign_out": "Đăng xuất",
    },
    "en": {
        "sign_in": "Sign in",
        "start": "Start",
        "report": "Report",
        "return": "Return",
        "approve": "Approve",
        "returned": "Returned for more work",
        "approved": "Approved",
        "reported": "Reported",
        "sign_out": "Sign out",
    },
}


def sign_in(page: Page, server: str, username: str, language: str) -> None:
    page.goto(f"{server}/login")
    switch = page.get_by_role("button", name="English")
    if language == "en" and switch.count():  # the choice is remembered after the first time
        switch.click()
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name=WORDS[language]["sign_in"]).click()


def sign_out(page: Page, language: str) -> None:
    page.get_by_role("button", name=WORDS[language]["sign_out"]).click()


@pytest.mark.parametrize("language", ["vi", "en"])
def test_report_return_report_again_and_approve(page: Page, live_server, screenshot, language):
    words = WORDS[language]
    approved_by_ubnd = page.locator('#unit-UBND a[href*="measure=completed_on_time"]')
    sign_in(page, live_server, "lanhdao", language)
    page.goto(f"{live_server}/accountability")
    expect(page.locator("#unit-UBND")).to_contain_text("0")
    expect(approved_by_ubnd).to_have_count(0)
    screenshot("accountability-before")
    sign_out(page, language)

    sign_in(page, live_server, "truong.ubnd", language)
    screenshot("my-work")
    page.get_by_role("link", name=re.compile("Thực hiện công tác phát ngôn")).first.click()
    task_url = page.url
    expect(page.locator("h1")).to_contain_text("III.1.1")
    page.get_by_role("button", name=words["start"], exact=True).click()
    page.fill("#text", "Đã cung cấp 12 tin bài trên Cổng thông tin điện tử phường")
    page.set_input_files(
        "#files",
        files=[{"name": "Biên bản họp báo.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    screenshot("report-form")
    page.get_by_role("button", name=words["report"], exact=True).click()
    expect(page.get_by_role("link", name="Biên bản họp báo.pdf")).to_be_visible()
    expect(page.locator("body")).to_contain_text(words["reported"])
    screenshot("reported")
    sign_out(page, language)

    sign_in(page, live_server, "bxdd", language)
    page.goto(task_url)
    page.fill("textarea[name=comment]", "Đề nghị bổ sung hình ảnh minh chứng")
    page.get_by_role("button", name=words["return"], exact=True).click()
    expect(page.locator("body")).to_contain_text(words["returned"])
    screenshot("returned")
    sign_out(page, language)

    sign_in(page, live_server, "truong.ubnd", language)
    page.goto(task_url)
    expect(page.locator("body")).to_contain_text("Đề nghị bổ sung hình ảnh minh chứng")
    page.fill("#text", "Đã bổ sung hình ảnh minh chứng theo yêu cầu")
    page.get_by_role("button", name=words["report"], exact=True).click()
    expect(page.locator("body")).to_contain_text("Đã bổ sung hình ảnh minh chứng")
    sign_out(page, language)

    sign_in(page, live_server, "bxdd", language)
    page.goto(task_url)
    page.get_by_role("button", name=words["approve"], exact=True).click()
    expect(page.locator(".badge.state-reviewed")).to_contain_text(words["approved"])
    screenshot("approved")
    history = page.locator("#history")
    expect(history).to_contain_text("Nguyễn Văn An")
    expect(history).to_contain_text("Trần Thị Bình")
    sign_out(page, language)

    sign_in(page, live_server, "lanhdao", language)
    page.goto(f"{live_server}/accountability")
    expect(approved_by_ubnd).to_have_text("1")
    screenshot("accountability-after")
    approved_by_ubnd.click()
    expect(
        page.get_by_role("link", name=re.compile("Thực hiện công tác phát ngôn"))
    ).to_be_visible()
