"""The pages above a commune, as a city's and the nation's overseers use them."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from tests.conftest import HISTORY_NOW, Q1, SMALL_PLAN, other_commune, set_clock, statements_of
from workflow.clock import Clock
from workflow.organisations.queries import find_organisation
from workflow.organisations.tree import place_under
from workflow.plans.checks import read_plan
from workflow.plans.opening import open_quarter
from workflow.plans.store import load_plan
from workflow.tasks.models import Task

Q1_ARGS = "quarter=2026-Q1"


@pytest.fixture
def city(app, sign_in, levels):
    set_clock(app, HISTORY_NOW)
    return sign_in(levels.overseers["HN"])


def row_names(page: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", name).strip()
        for name in re.findall(r'<th scope="row" class="unit">(.*?)(?:<br>|</th>)', page, re.S)
    ]


def test_a_city_overseer_lands_on_its_communes_worst_first(city):
    home = city.get("/")
    assert home.status_code == 302 and home.headers["Location"].endswith("/rollup/")
    page = city.get(f"/rollup/?{Q1_ARGS}").text
    assert "Thành phố Hà Nội: các xã, phường trực thuộc" in page
    assert row_names(page) == ["Phường Khác", "Đảng bộ phường Thử Nghiệm"]
    assert 'href="/rollup/XA-KHAC/?quarter=2026-Q1"' in page
    assert "Theo thành phố, tỉnh" not in page  # a city has no cities below it


def test_the_nation_groups_by_city_kind_and_unit(app, sign_in, levels):
    set_clock(app, HISTORY_NOW)
    nation = sign_in(levels.overseers["VN"])
    by_city = nation.get(f"/rollup/?by=branch&{Q1_ARGS}").text
    assert row_names(by_city) == ["Thành phố Hải Phòng", "Thành phố Hà Nội"]
    by_kind = nation.get(f"/rollup/?by=kind&{Q1_ARGS}").text
    assert row_names(by_kind)[0] == "Ban của Đảng ủy"
    by_unit = nation.get(f"/rollup/?by=unit&{Q1_ARGS}").text
    assert "Nguyễn Văn An, Trần Thị Bình" in by_unit  # the ward's UBND, its two heads
    assert nation.get("/rollup/?by=nothing").status_code == 404


def test_drilling_down_to_a_communes_units_and_their_tasks(city, session, levels):
    commune = city.get(f"/rollup/DU-TEST/?{Q1_ARGS}").text
    assert "Đảng bộ phường Thử Nghiệm" in commune
    row = re.search(r'<tr id="unit-CB2">(.*?)</tr>', commune, re.S).group(1)
    link = re.search(r'href="(/rollup/DU-TEST/units/CB2\?[^"]*measure=overdue[^"]*)"', row)
    tasks = city.get(link.group(1).replace("&amp;", "&")).text
    assert "Quán triệt Nghị quyết" in tasks
    task_id = re.search(r'href="/tasks/(\d+)"', tasks).group(1)
    task_page = city.get(f"/tasks/{task_id}")
    assert task_page.status_code == 200  # read-only: no action offered
    assert 'name="event"' not in task_page.text
    session.commit()


def test_nobody_reads_a_commune_that_is_not_below_them(app, sign_in, levels, history):
    set_clock(app, HISTORY_NOW)
    haiphong = sign_in(levels.overseers["HP"])
    assert haiphong.get(f"/rollup/DU-TEST/?{Q1_ARGS}").status_code == 404
    assert haiphong.get(f"/rollup/DU-TEST/units/UBND?{Q1_ARGS}").status_code == 404
    ward_task = history.tasks[("VI.2.1", "UBND", "Q1")]
    assert haiphong.get(f"/tasks/{ward_task.id}").status_code == 404


def test_a_ward_user_has_no_rollup(app, client, sign_in, levels, history, make_user):
    reviewer = sign_in(make_user("reviewer"))
    assert reviewer.get("/rollup/").status_code == 403
    assert "/rollup/" not in reviewer.get("/review/").text


def test_the_rollup_costs_the_same_statements_with_more_communes(app, city, session, levels):
    """One more commune under Hà Nội, with its quarter of tasks: not one more statement."""
    paths = [f"/rollup/?{Q1_ARGS}", f"/rollup/?by=unit&{Q1_ARGS}", f"/rollup/?by=kind&{Q1_ARGS}"]
    before = [statements_of(app, city, path) for path in paths]
    load_plan(
        session,
        read_plan(SMALL_PLAN) | {"organisation": other_commune("XA-MOI", "Xã Mới")},
        Clock(),
    )
    commune = find_organisation(session, "XA-MOI")
    open_quarter(session, commune, Q1, Clock())
    place_under(session, commune, levels.organisations["HN"])
    session.commit()
    after = [statements_of(app, city, path) for path in paths]
    assert before == after
    assert "Xã Mới" in city.get(f"/rollup/?{Q1_ARGS}").text
    assert session.exec(select(Task.id).limit(1)).first() is not None
    session.commit()
