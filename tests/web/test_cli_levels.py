"""The command line of the levels above a commune: creating them, placing communes under them,
and sending a plan down to every commune below."""

from __future__ import annotations

from sqlmodel import select

from tests.conftest import VIET_HUNG_PLAN
from workflow.organisations.models import Organisation, Unit
from workflow.plans.models import Plan

VIET_HUNG = "VH-2026-NQ57"


def run(runner, *args):
    result = runner.invoke(args=list(args))
    return result.exit_code, result.stdout + result.stderr


def plans_of(session) -> dict[str, set[str]]:
    rows = session.exec(select(Organisation.code, Plan.code).join(Plan)).all()
    session.commit()
    found: dict[str, set[str]] = {}
    for organisation, plan in rows:
        found.setdefault(organisation, set()).add(plan)
    return found


def test_a_province_is_created_and_a_commune_placed_under_it(runner, session, ward):
    session.commit()  # let go of SQLite's read: the commands write
    assert run(runner, "org", "add", "TW", "--name", "Trung ương", "--level", "national")[0] == 0
    code, out = run(
        runner,
        "org",
        "add",
        "QN",
        "--name",
        "Tỉnh Quảng Ninh",
        "--level",
        "province",
        "--under",
        "TW",
    )
    assert (code, out.strip()) == (0, "Đã tạo Tỉnh Quảng Ninh.")
    code, out = run(runner, "org", "place", "DU-TEST", "--under", "QN")
    assert (code, out.strip()) == (0, "Đảng bộ phường Thử Nghiệm nay trực thuộc Tỉnh Quảng Ninh.")
    code, out = run(runner, "org", "place", "TW", "--under", "QN")
    assert code == 1 and "không phải là cấp trên của" in out
    session.expire_all()  # read what the commands wrote
    by_code = {o.code: o for o in session.exec(select(Organisation)).all()}
    assert by_code["DU-TEST"].parent_id == by_code["QN"].id
    assert by_code["QN"].parent_id == by_code["TW"].id
    session.commit()
    code, out = run(runner, "plan", "load", str(VIET_HUNG_PLAN))
    assert code == 0  # the ward's own plan still loads: the province is not a commune


def test_a_plan_sent_down_reaches_every_commune_below_with_its_own_units(runner, session, levels):
    """Hà Nội sends the Việt Hưng plan: its two communes have it, Hải Phòng's does not; Phường
    Khác's People's Committee keeps its own name; sent again, nothing changes."""
    other = levels.organisations["XA-KHAC"]
    ubnd = session.exec(
        select(Unit).where(Unit.organisation_id == other.id, Unit.code == "UBND")
    ).one()
    ubnd.name = "Ủy ban nhân dân Phường Khác"
    session.add(ubnd)
    session.commit()
    code, out = run(runner, "plan", "send-down", str(VIET_HUNG_PLAN), "--under", "HN")
    assert code == 0, out
    assert "DU-TEST: đã nạp" in out and "XA-KHAC: đã nạp" in out
    assert "Kế hoạch đã được gửi tới 2 xã, phường." in out
    plans = plans_of(session)
    assert VIET_HUNG in plans["DU-TEST"] and VIET_HUNG in plans["XA-KHAC"]
    assert VIET_HUNG not in plans["XA-BIEN"]
    session.refresh(ubnd)
    assert ubnd.name == "Ủy ban nhân dân Phường Khác"
    mttq = session.exec(
        select(Unit).where(Unit.organisation_id == other.id, Unit.code == "MTTQ")
    ).one()
    assert mttq.short_name == "Ủy ban MTTQ Phường"  # a unit the commune lacked, from the plan
    session.commit()
    code, out = run(runner, "plan", "send-down", str(VIET_HUNG_PLAN), "--under", "HN")
    assert code == 0 and "DU-TEST: không đổi" in out and "XA-KHAC: không đổi" in out
