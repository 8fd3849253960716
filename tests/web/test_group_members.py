"""A group the plan leaves to the admin ("các đồng chí Phó Chủ tịch"): named on the units page,
then owing its duties from the next opening of a quarter."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from tests.conftest import PASSWORD, ROOT, csrf
from workflow.accounts.operations import add_user
from workflow.clock import Clock
from workflow.organisations.models import Unit
from workflow.periods import Quarter
from workflow.plans.models import Responsibility
from workflow.plans.opening import open_quarter
from workflow.tasks.models import Task

ELECTION = ROOT / "tests" / "plans" / "election-2026.yaml"


@pytest.fixture
def committee(session, load, sign_in):
    organisation = load(ELECTION)
    admin = add_user(
        session, organisation, "quantri-bc", "admin", "qt@bc.vn", PASSWORD, now=Clock().now()
    )
    session.commit()
    return organisation, sign_in(admin)


def owers_of_iii6(session) -> list[str]:
    codes = session.exec(
        select(Unit.code)
        .join(Task, Task.unit_id == Unit.id)
        .join(Responsibility, Responsibility.id == Task.responsibility_id)
        .where(Responsibility.ref == "III.6")
    ).all()
    session.commit()
    return sorted(codes)


def test_the_admin_names_the_members_and_they_owe_the_group_s_duty(session, committee):
    organisation, client = committee
    page = client.get("/admin/units").text
    assert "Kế hoạch để đồng chí chọn thành viên của nhóm này." in page
    response = client.post(
        "/admin/units/PCT/members",
        data={"csrf_token": csrf(page), "members": ["PCT-TT", "TB-TT"]},
    )
    assert response.status_code == 303
    page = client.get("/admin/units").text
    assert "Đã lưu thành viên của Các đồng chí Phó Chủ tịch UBND xã" in page
    ticked = re.findall(
        r'<input checked id="members-\d+" name="members" type="checkbox" '
        r'value="([^"]+)"',
        page,
    )
    assert ticked == ["PCT-TT", "TB-TT"]
    open_quarter(session, organisation, Quarter(2026, 2), Clock())
    session.commit()
    assert owers_of_iii6(session) == ["PCT-TT", "TB-TT"]


def test_only_a_group_left_to_the_admin_takes_members_here(committee):
    """A unit that is not a group, a unit not in the list: refused, saying why."""
    _organisation, client = committee
    page = client.get("/admin/units").text
    not_a_group = client.post(
        "/admin/units/UBBC/members", data={"csrf_token": csrf(page), "members": ["CA"]}
    )
    assert not_a_group.status_code == 422
    assert "Ủy ban bầu cử xã không phải là nhóm." in not_a_group.text
    unknown = client.post(
        "/admin/units/PCT/members", data={"csrf_token": csrf(page), "members": ["KHONG-CO"]}
    )
    assert unknown.status_code == 422
    assert "Hãy chọn đơn vị thành viên trong danh sách." in unknown.text
