"""The levels above a commune in Chromium: the nation by city, the city by commune, and a
drill-down from the nation to one commune's task, on a desk and on a phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_at_a_glance import wider_than_the_window
from tests.browser.test_report_review_flow import sign_in


@pytest.mark.parametrize("width", [1366, 390])
def test_the_nation_drills_down_to_a_communes_task(page: Page, levels_server, screenshot, width):
    page.set_viewport_size({"width": width, "height": 768 if width > 500 else 844})
    sign_in(page, levels_server, "theodoi.tw", "vi")
    expect(page.locator("h1")).to_contain_text("Trung ương: các xã, phường trực thuộc")
    rows = page.locator("table.rollup tbody th")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Đảng bộ phường Việt Hưng")  # the only one with a rate
    assert wider_than_the_window(page) <= 0
    screenshot(f"nation-by-commune-{width}")
    page.get_by_role("link", name="Theo thành phố, tỉnh").click()
    expect(page.locator("table.rollup tbody th")).to_have_count(1)
    expect(page.locator("table.rollup tbody th")).to_contain_text("Thành phố Hà Nội")
    screenshot(f"nation-by-city-{width}")
    page.get_by_role("link", name="Theo xã, phường").click()
    page.get_by_role("link", name="Đảng bộ phường Việt Hưng").click()
    expect(page.locator("h1")).to_contain_text("Đảng bộ phường Việt Hưng")
    assert wider_than_the_window(page) <= 0
    screenshot(f"commune-{width}")
    page.locator("#unit-UBND").get_by_role("link").first.click()
    expect(page.locator("h1")).to_contain_text("UBND Phường")
    page.get_by_role("link", name=re.compile("Thực hiện công tác phát ngôn")).first.click()
    expect(page.get_by_text("Đã cung cấp 12 tin bài").first).to_be_visible()
    expect(page.get_by_role("button", name="Duyệt")).to_have_count(0)  # read-only
    screenshot(f"task-{width}")


def test_a_city_sees_only_its_communes_and_has_no_city_grouping(page: Page, levels_server):
    sign_in(page, levels_server, "theodoi.hn", "vi")
    expect(page.locator("h1")).to_contain_text("Thành phố Hà Nội: các xã, phường trực thuộc")
    expect(page.get_by_role("link", name="Theo thành phố, tỉnh")).to_have_count(0)
    page.get_by_role("link", name="Theo đơn vị và người đứng đầu").click()
    expect(page.locator("table.rollup")).to_contain_text("Nguyễn Văn An")
