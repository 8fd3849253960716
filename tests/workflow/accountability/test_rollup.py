"""Accountability above a commune: a city sees its communes, the nation its cities, worst
first, a page at a time; nobody sees a commune that is not below them."""

from __future__ import annotations

import pytest
from sqlmodel import select

from tests.conftest import HISTORY_NOW, PASSWORD, Q1
from workflow.accountability.rollup import commune_below, rollup
from workflow.accounts.operations import add_user
from workflow.errors import InvalidFields, InvalidInput, NotAllowed, NotFound
from workflow.organisations.tree import Level, add_level, place_under
from workflow.permissions import visible_tasks_clause
from workflow.plans.models import Plan
from workflow.tasks.models import Task


def figures(page, *names):
    return [(row.name, *(getattr(row, name) for name in names)) for row in page.rows]


def test_a_city_sees_its_communes_worst_first(session, levels):
    """Hà Nội: Phường Khác did nothing in the first quarter (4 overdue, 0 on time); the ward
    reported two of four on time, one late, and left one overdue."""
    found = rollup(session, levels.overseers["HN"], "commune", Q1, HISTORY_NOW)
    assert found.total == 2
    assert figures(found, "expected", "on_time", "completed_late", "overdue", "returned") == [
        ("Phường Khác", 4, 0, 0, 4, 0),
        ("Đảng bộ phường Thử Nghiệm", 4, 2, 1, 1, 1),
    ]
    assert [row.within for row in found.rows] == ["Thành phố Hà Nội"] * 2
    assert [row.on_time_rate for row in found.rows] == [0, 0.5]


def test_the_nation_sees_its_cities_and_every_commune(session, levels):
    nation = levels.overseers["VN"]
    by_city = rollup(session, nation, "branch", Q1, HISTORY_NOW)
    assert figures(by_city, "expected", "on_time", "overdue") == [
        ("Thành phố Hải Phòng", 4, 0, 4),
        ("Thành phố Hà Nội", 8, 2, 5),
    ]
    communes = rollup(session, nation, "commune", Q1, HISTORY_NOW)
    assert {row.code for row in communes.rows} == {"DU-TEST", "XA-KHAC", "XA-BIEN"}


def test_by_kind_of_unit_and_by_unit_with_its_heads(session, levels):
    city = levels.overseers["HN"]
    by_kind = rollup(session, city, "kind", Q1, HISTORY_NOW)
    assert figures(by_kind, "expected", "on_time", "overdue") == [
        ("party_board", 2, 0, 1),
        ("party_organisation", 4, 1, 3),
        ("government", 2, 1, 1),
    ]
    first = rollup(session, city, "unit", Q1, HISTORY_NOW, page=1, per_page=3)
    rest = rollup(session, city, "unit", Q1, HISTORY_NOW, page=3, per_page=3)
    assert (first.total, first.pages, len(rest.rows)) == (8, 3, 2)
    past_the_end = rollup(session, city, "unit", Q1, HISTORY_NOW, page=4, per_page=3)
    assert (past_the_end.rows, past_the_end.total) == ([], 8)
    best = rest.rows[-1]  # on time: the ward's UBND (two heads) or its CB1
    assert best.within == "Đảng bộ phường Thử Nghiệm" and best.on_time_rate == 1
    ward_ubnd = next(
        row
        for page in (1, 2, 3)
        for row in rollup(session, city, "unit", Q1, HISTORY_NOW, page=page, per_page=3).rows
        if row.name == "UBND Phường" and row.within == "Đảng bộ phường Thử Nghiệm"
    )
    assert ward_ubnd.heads == ("Nguyễn Văn An", "Trần Thị Bình")


def test_a_city_never_reads_another_citys_commune(session, levels):
    haiphong = levels.overseers["HP"]
    assert figures(rollup(session, haiphong, "commune", Q1, HISTORY_NOW)) == [("Xã Biển",)]
    with pytest.raises(NotFound):
        commune_below(session, haiphong, "DU-TEST")
    with pytest.raises(NotFound):
        commune_below(session, haiphong, "HN")  # a city is not a commune to drill into
    assert commune_below(session, levels.overseers["VN"], "DU-TEST").code == "DU-TEST"


def test_an_overseer_sees_the_tasks_below_and_no_one_else_does(session, levels, history):
    def seen(user) -> set[str]:
        rows = session.exec(
            select(Plan.organisation_id)
            .select_from(Task)
            .join(Plan, Plan.id == Task.plan_id)
            .where(visible_tasks_clause(user))
            .distinct()
        ).all()
        return {code for code, org in levels.organisations.items() if org.id in rows}

    assert seen(levels.overseers["HN"]) == {"DU-TEST", "XA-KHAC"}
    assert seen(levels.overseers["HP"]) == {"XA-BIEN"}
    assert seen(levels.overseers["VN"]) == {"DU-TEST", "XA-KHAC", "XA-BIEN"}
    assert seen(history.reviewer) == {"DU-TEST"}  # a ward's reviewer: the ward only


def test_only_an_overseer_reads_a_rollup(session, levels, history):
    with pytest.raises(NotAllowed):
        rollup(session, history.reviewer, "commune", Q1, HISTORY_NOW)


def test_the_tree_has_no_cycles_and_each_level_is_above_the_one_below(session, levels):
    nation, hanoi = levels.organisations["VN"], levels.organisations["HN"]
    with pytest.raises(InvalidInput):
        place_under(session, nation, hanoi)  # the nation under one of its cities
    province = add_level(session, "TINH", "Tỉnh Mới", Level.PROVINCE)
    with pytest.raises(InvalidInput):
        place_under(session, province, hanoi)  # a province under a city: the same level
    with pytest.raises(InvalidInput):
        place_under(session, levels.organisations["XA-KHAC"], levels.organisations["DU-TEST"])
    session.rollback()


def test_an_overseer_belongs_above_a_commune_and_a_ward_role_in_one(session, levels):
    with pytest.raises(InvalidFields) as refused:
        add_user(
            session,
            levels.organisations["DU-TEST"],
            "theodoi.xa",
            "overseer",
            "a@b.vn",
            PASSWORD,
            now=HISTORY_NOW,
        )
    assert "role" in refused.value.problems
    with pytest.raises(InvalidFields):
        add_user(
            session,
            levels.organisations["HN"],
            "ld.hn",
            "leader",
            "c@d.vn",
            PASSWORD,
            now=HISTORY_NOW,
        )
    session.rollback()
