"""A ward with no plan yet imports its plan from the Word document, in Debian's Chromium: the
administrator uploads it, corrects a unit beside the document, publishes it, opens the
quarter, and the head of the People's Committee finds their tasks."""

import re

from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD, seed_as_word


def sign_in(page: Page, server: str, username: str) -> None:
    page.goto(f"{server}/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


def test_upload_correct_publish_open_and_see_the_tasks(
    page: Page, ward_without_plan, screenshot, tmp_path
):
    server = ward_without_plan
    document = seed_as_word(tmp_path / "Kế hoạch 57 phường Việt Hưng.docx")
    sign_in(page, server, "admin")
    page.get_by_role("link", name="Soạn kế hoạch").click()
    page.set_input_files("input[type=file]", str(document))
    page.get_by_role("button", name="Soạn bản nháp").click()
    expect(page.get_by_role("status")).to_have_text(
        "Đã soạn bản nháp từ Kế hoạch 57 phường Việt Hưng.docx: hãy kiểm tra bên dưới."
    )
    # the ward's own People's Committee is recognised in the document
    expect(page.locator("#doubts")).to_contain_text(
        "Đơn vị UBND: Được hiểu là đơn vị UBND đã có trong hệ thống."
    )
    # each responsibility beside its sentence: following it highlights the document's paragraph
    duty = page.locator("#responsibilities-0")
    expect(duty.locator("h3")).to_have_text(
        "III.1.1 · Thực hiện công tác phát ngôn, cung cấp và xử lý thông tin"
    )
    duty.locator(".quote a").click()
    expect(page.locator(".draft-source li:target")).to_contain_text(
        "1.1. Thực hiện công tác phát ngôn"
    )
    screenshot("draft")

    # correct one unit: the working group's code and name
    unit = page.locator(".item", has=page.locator("h3", has_text="TGV57 ·"))
    unit.get_by_label("Mã").fill("TGV-NQ57")
    unit.get_by_label("Tên").fill("Tổ giúp việc Ban Chỉ đạo Nghị quyết 57 phường Việt Hưng")
    unit.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("status")).to_have_text("Đã lưu.")
    expect(page.locator("#units")).to_contain_text(
        "TGV-NQ57 · Tổ giúp việc Ban Chỉ đạo Nghị quyết 57 phường Việt Hưng"
    )
    mechanism = page.locator("#responsibilities-1")  # III.1.2, coordinated by the group
    coordinating = mechanism.get_by_role("group", name="Đơn vị phối hợp")
    expect(coordinating.get_by_label(re.compile("^TGV-NQ57 · "))).to_be_checked()

    page.get_by_role("button", name="Ban hành kế hoạch").click()
    expect(page.get_by_role("status").first).to_have_text("Đã nạp kế hoạch VH-2026-NQ57.")
    # publishing leads the administrator to the quarters: open the first
    page.get_by_label("Quý").select_option("2026-Q1")
    page.get_by_role("button", name="Mở quý").click()
    expect(page.get_by_role("status").first).to_have_text(
        "I/2026: đã giao 33 nhiệm vụ (trong đó 10 phần phối hợp của các đơn vị phối hợp), "
        "0 nhiệm vụ đã có từ trước."
    )
    screenshot("published")
    page.get_by_role("button", name="Đăng xuất").click()

    sign_in(page, server, "truong.ubnd")
    rows = page.locator("table tbody tr")
    expect(rows.filter(has_text="III.1.1")).to_have_count(1)
    expect(rows.filter(has_text="VI.2.1")).to_have_count(1)
    expect(rows.filter(has_text="VI.1.1")).to_have_count(0)  # Ban Xây dựng Đảng's own
    # "Phối hợp với UBND Phường": UBND's own contribution, and Ban Xây dựng Đảng's duty it
    # coordinates
    expect(rows.filter(has_text="VI.1.4")).to_have_count(2)
    expect(rows.filter(has_text="VI.1.4").locator(".kind-contribution")).to_have_count(1)
    screenshot("unit-head")
