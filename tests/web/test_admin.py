"""The administration pages as an admin uses them, and closed to everyone else."""

from __future__ import annotations

import io
import re

import pytest
from sqlmodel import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from tests.conftest import (
    PASSWORD,
    Q1_CONTRIBUTIONS,
    Q1_TASKS,
    SMALL_PLAN,
    VIET_HUNG_PLAN,
    csrf,
    real_now,
)
from workflow.accounts.models import User
from workflow.accounts.operations import add_user
from workflow.clock import Clock
from workflow.organisations.queries import find_organisation, find_unit
from workflow.plans.checks import read_plan
from workflow.plans.models import Plan
from workflow.plans.store import load_plan
from workflow.tasks.models import Task
from workflow.tasks.states import TaskKind

SMALL_TEXT = SMALL_PLAN.read_text(encoding="utf-8")
PAGES = [
    "/admin/",
    "/admin/users/new",
    "/admin/users/{id}",
    "/admin/units",
    "/admin/plans",
    "/admin/quarters",
]
POSTS = [
    "/admin/users/new",
    "/admin/users/{id}/role",
    "/admin/users/{id}/password",
    "/admin/users/{id}/disable",
    "/admin/users/{id}/enable",
    "/admin/plans",
    "/admin/plans/shipped/viet-hung-2026-nq57",
    "/admin/quarters",
]
OTHER_ROLES = [("leader", None), ("reviewer", None), ("unit_head", "UBND"), ("member", "CB1")]


def sign_out(client):
    client.post("/logout", data={"csrf_token": csrf(client.get("/password").text)})


def signs_in(app, username: str, password: str = PASSWORD):
    """Sign in on a new browser; the browser when that worked, None otherwise."""
    browser = app.test_client()
    page = browser.get("/login").text
    response = browser.post(
        "/login", data={"csrf_token": csrf(page), "username": username, "password": password}
    )
    return browser if response.status_code == 302 else None


def post_form(client, page: str, url: str | None = None, **data):
    """Post a form the way a browser would: with the CSRF token of the page it is on."""
    token = csrf(client.get(page).text)
    return client.post(url or page, data={"csrf_token": token, **data})


def count(session, model, *where) -> int:
    """A count read by the test, ending its transaction so the app may write (SQLite)."""
    value = session.exec(select(func.count()).select_from(model).where(*where)).one()
    session.commit()
    return value


@pytest.fixture
def admin_client(sign_in, make_user):
    return sign_in(make_user("admin", full_name="Quản trị"))


def upload(client, text: str | bytes, filename: str):
    """Post a plan file as a browser would. The body is built in memory: the test client's own
    encoder leaves a temporary file open for bodies over 500 KB."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    token = csrf(client.get("/admin/plans").text)
    boundary, body = encode_multipart(
        {"csrf_token": token, "file": FileStorage(io.BytesIO(data), filename)}
    )
    return client.post(
        "/admin/plans", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )


@pytest.mark.parametrize("page", PAGES)
def test_an_admin_sees_every_admin_page(admin_client, make_user, page):
    target = make_user("member", "CB1")
    response = admin_client.get(page.format(id=target.id))
    assert response.status_code == 200


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize(("role", "unit"), OTHER_ROLES)
def test_nobody_else_sees_an_admin_page(sign_in, make_user, role, unit, page):
    """Can a leader, reviewer, unit head or member open an admin page by its address?"""
    target = make_user("member", "CB2")
    client = sign_in(make_user(role, unit))
    assert client.get(page.format(id=target.id)).status_code == 403


@pytest.mark.parametrize("url", POSTS)
@pytest.mark.parametrize(("role", "unit"), OTHER_ROLES)
def test_nobody_else_may_post_to_an_admin_form(sign_in, make_user, session, role, unit, url):
    """Is a forged admin action by a signed-in non-admin refused, and nothing changed?"""
    target = make_user("member", "CB2")
    client = sign_in(make_user(role, unit))
    form = {
        "username": "moi",
        "email": "moi@example.vn",
        "role": "admin",
        "unit": "",
        "password": PASSWORD,
        "new": PASSWORD,
        "confirm": PASSWORD,
        "quarter": "2026-Q1",
        "file": (io.BytesIO(SMALL_TEXT.encode()), "ward.yaml"),
    }
    response = post_form(client, "/password", url.format(id=target.id), **form)
    assert response.status_code == 403
    session.refresh(target)
    assert (target.role, target.active) == ("member", True)
    assert count(session, User) == 2 and count(session, Task) == 0


def test_an_admin_page_needs_a_signed_in_user(client, ward):
    assert client.get("/admin/").status_code == 302


def test_only_an_admin_is_shown_the_administration_link(sign_in, make_user):
    client = sign_in(make_user("reviewer"))
    assert "/admin/" not in client.get("/", follow_redirects=True).text
    sign_out(client)
    assert 'href="/admin/"' in sign_in(make_user("admin")).get("/", follow_redirects=True).text


def test_the_admin_pages_are_in_vietnamese_by_default(admin_client, make_user):
    make_user("unit_head", "UBND", full_name="Trần Thị Chủ Tịch")
    page = admin_client.get("/admin/").text
    assert "Người dùng" in page and "Vai trò" in page and "Trưởng đơn vị" in page
    assert "Trần Thị Chủ Tịch" in page and "Đang hoạt động" in page
    assert "Mở quý" in admin_client.get("/admin/quarters").text


def test_a_user_created_by_the_admin_can_sign_in(admin_client, app):
    """The whole way: the admin creates a unit head, who then signs in and sees their work."""
    response = post_form(
        admin_client,
        "/admin/users/new",
        username="bithu.cb1",
        full_name="Nguyễn Văn Bí",
        email="bithu@example.vn",
        role="unit_head",
        unit="CB1",
        password="mat-khau-ban-dau",
    )
    assert response.status_code == 303
    listing = admin_client.get("/admin/").text
    assert "Đã tạo người dùng bithu.cb1." in listing and "Nguyễn Văn Bí" in listing
    head = signs_in(app, "bithu.cb1", "mat-khau-ban-dau")
    assert head is not None and "Nguyễn Văn Bí" in head.get("/").text


def test_a_refused_new_user_keeps_what_was_typed(admin_client, session):
    """Is a bad email explained in Vietnamese, next to the form, with the other fields kept?"""
    response = post_form(
        admin_client,
        "/admin/users/new",
        username="bithu.cb1",
        full_name="Nguyễn Văn Bí",
        email="khong-phai-email",
        role="unit_head",
        unit="CB1",
        password="mat-khau-ban-dau",
    )
    assert response.status_code == 422
    assert "Đây không phải địa chỉ email: khong-phai-email" in response.text
    assert 'value="bithu.cb1"' in response.text and 'value="Nguyễn Văn Bí"' in response.text
    assert '<option selected value="CB1">' in response.text
    assert count(session, User, User.username == "bithu.cb1") == 0


def test_form_errors_are_shown_in_vietnamese(admin_client):
    response = post_form(
        admin_client, "/admin/users/new", username="", email="", role="member", password="ngan"
    )
    assert response.status_code == 422
    assert "Bắt buộc phải điền." in response.text and "Ít nhất 8 ký tự." in response.text


def test_every_mistake_of_a_new_user_is_shown_at_once_beside_its_field(
    admin_client, make_user, session
):
    """A taken user name, an address that is no email, a unit head without a unit and a short
    password: the admin reads all four on the first try, each under its own field."""
    make_user("unit_head", "CB2", username="bithu.cb1")
    response = post_form(
        admin_client,
        "/admin/users/new",
        username="bithu.cb1",
        full_name="Nguyễn Văn Bí",
        email="khong-phai-email",
        role="unit_head",
        unit="",
        password="ngan",
    )
    assert response.status_code == 422
    beside = dict(  # each error with the name of the field just above it
        re.findall(
            r'name="(\w+)"(?:(?!name=").)*?<div class="field-error">([^<]+)</div>',
            response.text,
            re.S,
        )
    )
    assert beside == {
        "username": "Tên đăng nhập bithu.cb1 đã có người dùng.",
        "email": "Đây không phải địa chỉ email: khong-phai-email",
        "unit": "Vai trò Trưởng đơn vị phải thuộc một đơn vị: hãy nhập mã đơn vị.",
        "password": "Ít nhất 8 ký tự.",
    }
    assert count(session, User, User.full_name == "Nguyễn Văn Bí") == 0


def test_a_unit_without_a_head_links_to_a_prefilled_form(admin_client, make_user):
    make_user("unit_head", "CB1", full_name="Bí Thư Một")
    make_user("member", "CB1")
    page = admin_client.get("/admin/units").text
    assert "Bí Thư Một" in page and "Chưa có trưởng đơn vị" in page
    assert "/admin/users/new?role=unit_head&amp;unit=CB2" in page
    form = admin_client.get("/admin/users/new?role=unit_head&unit=CB2").text
    assert '<option selected value="unit_head">' in form
    assert '<option selected value="CB2">' in form


def test_a_disabled_user_cannot_sign_in_until_enabled(admin_client, app, make_user):
    user = make_user("unit_head", "UBND")
    page = f"/admin/users/{user.id}"
    assert post_form(admin_client, page, f"{page}/disable").status_code == 303
    assert "không thể đăng nhập nữa" in admin_client.get(page).text
    assert signs_in(app, user.username) is None
    assert post_form(admin_client, page, f"{page}/enable").status_code == 303
    assert signs_in(app, user.username) is not None


def test_a_disabled_user_is_signed_out(sign_in, make_user, app):
    """Does disabling end the sessions the person already has?"""
    user, admin = make_user("unit_head", "UBND"), make_user("admin")
    head = sign_in(user)
    admin_client = signs_in(app, admin.username)
    post_form(admin_client, f"/admin/users/{user.id}", f"/admin/users/{user.id}/disable")
    assert head.get("/").status_code == 302


def test_an_admin_cannot_disable_themselves(admin_client, session):
    me = session.exec(select(User).where(User.role == "admin")).one()
    session.commit()
    page = f"/admin/users/{me.id}"
    response = post_form(admin_client, page, f"{page}/disable")
    assert response.status_code == 422
    assert "Đồng chí không thể vô hiệu hóa tài khoản của chính mình" in response.text
    response = post_form(admin_client, page, f"{page}/role", role="reviewer", unit="")
    assert response.status_code == 422
    assert "Đồng chí không thể tự bỏ vai trò quản trị" in response.text
    session.refresh(me)
    assert (me.active, me.role) == (True, "admin")


def test_an_admin_resets_a_password(admin_client, app, make_user):
    user = make_user("unit_head", "UBND")
    page = f"/admin/users/{user.id}"
    differ = post_form(admin_client, page, f"{page}/password", new="mat-khau-moi", confirm="khac")
    assert differ.status_code == 422 and "Hai mật khẩu không khớp." in differ.text
    response = post_form(
        admin_client, page, f"{page}/password", new="mat-khau-moi", confirm="mat-khau-moi"
    )
    assert response.status_code == 303
    assert signs_in(app, user.username, "mat-khau-moi") is not None
    assert signs_in(app, user.username, PASSWORD) is None


def test_an_admin_makes_a_member_the_head_of_a_unit(admin_client, make_user, session, ward):
    """Is the member made head of CB2, and listed as its head?"""
    user = make_user("member", "CB1")
    page = f"/admin/users/{user.id}"
    response = post_form(admin_client, page, f"{page}/role", role="unit_head", unit="CB2")
    assert response.status_code == 303
    assert "Đã lưu vai trò và đơn vị." in admin_client.get(page).text
    session.refresh(user)
    cb2 = find_unit(session, ward, "CB2")
    session.commit()
    assert (user.role, user.unit_id) == ("unit_head", cb2.id)
    units = admin_client.get("/admin/units").text
    heads = re.search(r"<td>CB2</td>(.*?)</tr>", units, re.S).group(1)
    assert f'<a href="/admin/users/{user.id}">{user.username}</a>' in heads
    refused = post_form(admin_client, page, f"{page}/role", role="member", unit="")
    assert refused.status_code == 422 and "phải thuộc một đơn vị" in refused.text
    session.refresh(user)
    session.commit()
    assert user.role == "unit_head"


def test_the_units_page_keeps_each_units_head_history(admin_client, make_user, session):
    """Chi bộ 2's head hands over to a member: both terms are listed, the first ended at the
    change, the second still running and recorded by the admin who made it."""
    before = make_user("unit_head", "CB2", full_name="Phạm Thị Hoa")
    after = make_user("member", "CB2", full_name="Đỗ Văn Nam")
    for user, role in ((before, "member"), (after, "unit_head")):
        page = f"/admin/users/{user.id}"
        response = post_form(admin_client, page, f"{page}/role", role=role, unit="CB2")
        assert response.status_code == 303
    units = admin_client.get("/admin/units").text
    history = units[units.index('id="head-history"') : units.index("<h2>Nhóm</h2>")]
    rows = [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", history, re.S)[1:]
    ]
    instant = r"\d\d/\d\d/\d{4} \d\d:\d\d"
    [(unit, name, start, until, by), (unit2, name2, start2, until2, by2)] = rows
    assert (unit, name, by) == ("CB2", "Phạm Thị Hoa", "—")  # made head by no admin
    assert (unit2, name2, until2, by2) == ("CB2", "Đỗ Văn Nam", "còn đương nhiệm", "Quản trị")
    assert re.fullmatch(instant, start) and re.fullmatch(instant, start2)
    assert until == start2  # one hands over to the other at the same instant


def test_another_organisations_user_is_not_found(admin_client, session):
    load_plan(session, read_plan(SMALL_PLAN) | {"organisation": _other_organisation()}, Clock())
    stranger = add_user(
        session,
        find_organisation(session, "DU-KHAC"),
        "nguoi-la",
        "member",
        "a@b.vn",
        PASSWORD,
        unit_code="CB1",
        now=real_now(),
    )
    session.commit()
    assert admin_client.get(f"/admin/users/{stranger.id}").status_code == 404
    page = "/admin/"
    assert post_form(admin_client, page, f"/admin/users/{stranger.id}/disable").status_code == 404
    assert "nguoi-la" not in admin_client.get(page).text


def _other_organisation() -> dict:
    return {"code": "DU-KHAC", "name": "Đảng bộ khác", "kind": "party", "place": "Khác"}


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/admin/users/new", {"username": "moi", "email": "m@x.vn", "role": "admin"}),
        ("/admin/users/{id}/role", {"role": "admin"}),
        ("/admin/users/{id}/password", {"new": PASSWORD, "confirm": PASSWORD}),
        ("/admin/users/{id}/disable", {}),
        ("/admin/plans/shipped/viet-hung-2026-nq57", {}),
        ("/admin/quarters", {"quarter": "2026-Q1"}),
    ],
)
def test_every_admin_form_needs_its_csrf_token(admin_client, make_user, session, url, data):
    """Is a forged post from another site refused before anything happens?"""
    target = make_user("member", "CB1")
    response = admin_client.post(url.format(id=target.id), data={"password": PASSWORD, **data})
    assert response.status_code == 400
    session.refresh(target)
    assert (target.role, target.active) == ("member", True)
    assert count(session, User) == 2 and count(session, Task) == 0


def test_an_upload_without_its_csrf_token_is_refused(admin_client, session):
    response = admin_client.post(
        "/admin/plans", data={"file": (io.BytesIO(SMALL_TEXT.encode()), "ward.yaml")}
    )
    assert response.status_code == 400


def test_a_malformed_plan_shows_every_located_mistake_and_loads_nothing(admin_client, session):
    """Does the admin read FILE:LINE: field: message for each mistake, with nothing loaded?"""
    text = (
        SMALL_TEXT.replace("code: TN-2026", "code: TN-2027")
        .replace("    lead: [TCD]\n", "    lead: [KHONG-CO]\n")
        .replace("figure: 100,", 'figure: 100, comparator: ">>",')
    )
    response = upload(admin_client, text, "ke-hoach-sai.yaml")
    assert response.status_code == 422
    assert "2 lỗi: chưa nạp gì vào hệ thống." in response.text
    assert "ke-hoach-sai.yaml:34: responsibilities[VI.4.1].lead[1]: KHONG-CO" in response.text
    assert "ke-hoach-sai.yaml:55: targets[I.2.4].comparator:" in response.text
    assert count(session, Plan) == 1


@pytest.mark.parametrize(
    ("data", "filename", "phrase"),
    [
        (SMALL_TEXT.encode("utf-16"), "ward.yaml", "ward.yaml:1: -: tệp không phải văn bản UTF-8"),
        (b"format: 1\n", "ward.txt", "Tệp kế hoạch phải có đuôi .yaml hoặc .yml."),
        (b"#" * (2 * 1024 * 1024 + 1), "to.yaml", "Tệp kế hoạch chỉ được tối đa 2 MB."),
        (b"format: [1\n", "ngoac.yaml", "ngoac.yaml:1: -: không đúng cú pháp YAML: dấu [ mở"),
    ],
    ids=["not-utf8", "not-yaml-name", "too-large", "bad-yaml"],
)
def test_a_plan_file_that_is_not_a_plan_is_refused(admin_client, session, data, filename, phrase):
    """Is each file that is no plan refused with its own reason, and nothing loaded?"""
    response = upload(admin_client, data, filename)
    assert response.status_code == 422 and phrase in response.text
    assert count(session, Plan) == 1


def test_an_unclosed_quote_is_reported_on_its_own_line_in_vietnamese(admin_client, session):
    """A quote opened on line 3 and never closed: PyYAML notices it lines below, in English;
    the admin is told line 3, in Vietnamese, and nothing is loaded."""
    text = SMALL_TEXT.replace("code: TN-2026", "code: TN-2027")
    text = text.replace("{code: DU-TEST,", '{code: "DU-TEST,')
    assert text.splitlines()[2].startswith('organisation: {code: "DU-TEST,')
    response = upload(admin_client, text, "ke-hoach.yaml")
    assert response.status_code == 422
    assert (
        "ke-hoach.yaml:3: -: không đúng cú pháp YAML: dấu nháy mở ở dòng này chưa được đóng"
        in response.text
    )
    assert "expected" not in response.text and "found" not in response.text
    assert count(session, Plan) == 1


def test_a_valid_plan_upload_loads_and_says_what_changed(admin_client, session):
    text = SMALL_TEXT.replace("code: TN-2026", "code: TN-2027")
    response = upload(admin_client, text, "ke-hoach-2027.yaml")
    assert response.status_code == 303
    page = admin_client.get("/admin/plans").text
    assert "Đã nạp kế hoạch TN-2027." in page
    assert "Tạo mới: kế hoạch 1, nhiệm vụ 5, chỉ tiêu 1." in page
    assert count(session, Plan) == 2
    again = upload(admin_client, text, "ke-hoach-2027.yaml")
    assert again.status_code == 303
    page = admin_client.get("/admin/plans").text
    assert "Kế hoạch TN-2027 đã được nạp và không có gì thay đổi." in page
    assert "Tạo mới:" not in page


def test_an_admin_cannot_load_another_wards_plan(admin_client, session):
    response = upload(admin_client, SMALL_TEXT.replace("DU-TEST", "DU-KHAC"), "khac.yaml")
    assert response.status_code == 422
    assert (
        "Kế hoạch này thuộc tổ chức DU-KHAC, không phải tổ chức của đồng chí (DU-TEST): chưa nạp."
        in response.text
    )
    shipped = post_form(admin_client, "/admin/plans", "/admin/plans/shipped/viet-hung-2026-nq57")
    assert shipped.status_code == 422
    assert count(session, Plan) == 1


def test_a_shipped_plan_loads_in_one_click(load, app, session):
    organisation = load(VIET_HUNG_PLAN)
    add_user(
        session, organisation, "quantri-vh", "admin", "qt@viethung.vn", PASSWORD, now=real_now()
    )
    session.commit()
    client = signs_in(app, "quantri-vh")
    assert "viet-hung-2026-nq57" in client.get("/admin/plans").text
    response = post_form(client, "/admin/plans", "/admin/plans/shipped/viet-hung-2026-nq57")
    assert response.status_code == 303
    assert "không có gì thay đổi" in client.get("/admin/plans").text
    assert post_form(client, "/admin/plans", "/admin/plans/shipped/khong-co").status_code == 404


def test_opening_a_quarter_twice_creates_its_tasks_once(admin_client, session):
    """Opening Q1 gives the 4 duties and the 3 contributions to VI.2.1, and only once."""
    first = post_form(admin_client, "/admin/quarters", quarter="2026-Q1")
    assert first.status_code == 303
    assert (
        "I/2026: đã giao 7 nhiệm vụ (trong đó 3 phần phối hợp của các đơn vị phối hợp), "
        "0 nhiệm vụ đã có từ trước." in admin_client.get("/admin/quarters").text
    )
    assert count(session, Task) == len(Q1_TASKS)
    assert count(session, Task, Task.kind == TaskKind.CONTRIBUTION.value) == len(Q1_CONTRIBUTIONS)
    post_form(admin_client, "/admin/quarters", quarter="2026-Q1")
    assert (
        "đã giao 0 nhiệm vụ (trong đó 0 phần phối hợp của các đơn vị phối hợp), 7 nhiệm vụ"
        in admin_client.get("/admin/quarters").text
    )
    assert count(session, Task) == len(Q1_TASKS)


def test_a_quarter_outside_the_choices_is_refused(admin_client, session):
    response = post_form(admin_client, "/admin/quarters", quarter="1999-Q1")
    assert response.status_code == 422
    assert count(session, Task) == 0
