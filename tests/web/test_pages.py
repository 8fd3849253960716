"""Signing in, my work and the task page, as a unit head and a reviewer would use them."""

import re

import pytest

from tests.conftest import csrf, set_clock, sign_in_on


def fresh(session, task):
    """Re-read the task and end the test's transaction, so the app may write (SQLite)."""
    session.refresh(task)
    session.commit()


def act(client, task, event, **form):
    page = client.get(f"/tasks/{task.id}").text
    data = {"csrf_token": csrf(page), "version": str(task.version), **form}
    return client.post(f"/tasks/{task.id}/{event}", data=data)


def test_the_login_page_is_in_vietnamese_by_default(client, ward):
    """What does a newcomer see first?"""
    page = client.get("/login")
    assert page.status_code == 200
    assert "Đăng nhập" in page.text and "Tên đăng nhập" in page.text


def test_a_wrong_password_is_refused_in_the_users_language(client, make_user):
    """Does a wrong password sign anyone in?"""
    user = make_user("unit_head", "UBND")
    page = client.get("/login").text
    response = client.post(
        "/login",
        data={"csrf_token": csrf(page), "username": user.username, "password": "sai-mat-khau"},
    )
    assert "Sai tên đăng nhập hoặc mật khẩu." in response.text
    assert client.get("/").status_code == 302


def test_a_unit_head_sees_their_quarter_and_what_they_coordinate(sign_in, make_user, open_tasks):
    """Which tasks are on the BXDD head's page in Q1? Its own duty VI.1.7 and its own
    contribution to VI.2.1 (marked as one) need it; UBND's VI.2.1, the duty BXDD coordinates,
    is shown apart, read-only; the cells' contributions to it are not BXDD's to follow here."""
    task = open_tasks("2026-Q1")
    page = sign_in(make_user("unit_head", "BXDD")).get("/?quarter=2026-Q1").text
    _top, needs_me = page.split("<h2>Cần đồng chí xử lý</h2>")
    needs_me, coordinates = needs_me.split("<h2>Đơn vị phối hợp thực hiện</h2>")
    assert "Hội nghị báo cáo viên" in needs_me  # VI.1.7, BXDD's own
    assert "Cung cấp thông tin chính thống" in needs_me  # BXDD's contribution to VI.2.1
    assert linked(needs_me) == {task("VI.1.7", "BXDD").id, task("VI.2.1", "BXDD").id}
    assert contributions_in(needs_me) == {task("VI.2.1", "BXDD").id}
    assert "Cung cấp thông tin chính thống" in coordinates  # VI.2.1, coordinated by BXDD
    assert "Hội nghị báo cáo viên" not in coordinates
    assert linked(coordinates) == {task("VI.2.1", "UBND").id}
    assert contributions_in(coordinates) == set()  # the lead's duty is not marked as one
    assert "Quán triệt Nghị quyết" not in page  # VI.4.1 belongs to the chi bộ


def linked(fragment: str) -> set[int]:
    """The tasks a part of a page links to, by id."""
    return {int(i) for i in re.findall(r'href="/tasks/(\d+)"', fragment)}


def contributions_in(fragment: str) -> set[int]:
    """The tasks of a list marked as contributions ("Phối hợp"), by id."""
    marked = r'<span class="badge kind-contribution">Phối hợp</span> <a href="/tasks/(\d+)"'
    return {int(i) for i in re.findall(marked, fragment)}


def section(page: str, heading: str) -> str:
    """The part of a page under one ``<h2>``, up to the next."""
    return page.split(f"<h2>{heading}</h2>", 1)[1].split("<h2>", 1)[0]


def refs_in(fragment: str) -> list[str]:
    return re.findall(r'<td class="ref">([^<]+)</td>', fragment)


def test_the_landing_page_shows_everything_still_owed_overdue_first(
    app, sign_in, make_user, open_tasks, session
):
    """On 1 December, UBND still owes VI.2.1 of Q1 (261 days overdue) and its Q2 tasks, and
    has reported and seen approved nothing: all of it is on the landing page, whatever its
    quarter, the overdue first and the oldest first among them, with the days overdue."""
    q1, q2 = open_tasks("2026-Q1"), open_tasks("2026-Q2")
    q1("VI.2.1", "UBND"), q2("VI.2.1", "UBND")
    set_clock(app, "2026-12-01T09:00")
    page = sign_in(make_user("unit_head", "UBND")).get("/").text
    needs_me = section(page, "Cần đồng chí xử lý")
    assert refs_in(needs_me) == ["VI.2.1", "VI.2.7", "VI.2.1"]  # 15/03, 20/05, 15/06
    assert "Quý I/2026" in needs_me and "quá hạn 261 ngày" in needs_me  # 15/03 to 01/12
    assert "2026-Q1" not in needs_me
    assert "Đơn vị của đồng chí còn 3 nhiệm vụ phải thực hiện." in page
    assert "Trong đó 3 nhiệm vụ đã quá hạn." in page


def test_completed_tasks_leave_the_landing_page_but_a_filter_finds_them(
    app, sign_in, make_user, open_tasks, session
):
    """An approved task is no longer owed: gone from the landing page; asking for its quarter,
    or for "đã hoàn thành đúng hạn", shows it among the completed."""
    task = open_tasks("2026-Q1")("VI.2.1", "UBND")
    task.state, task.first_reported_at = "reviewed", task.due_at
    session.add(task)
    session.commit()
    client = sign_in(make_user("unit_head", "UBND"))
    landing = client.get("/").text
    # nothing left: the coordinating units' contributions to VI.2.1, never sent, are theirs
    # to send, not UBND's to take in
    assert linked(landing) == set() and "<h2>Đã hoàn thành</h2>" not in landing
    for query in ("?quarter=2026-Q1", "?status=completed_on_time"):
        page = client.get(f"/{query}").text
        assert refs_in(section(page, "Đã hoàn thành")) == ["VI.2.1"], query
        assert "Đã hoàn thành đúng hạn" in page


@pytest.mark.parametrize(
    ("query", "refs"),
    [
        ("q=bao+cao+vien", ["VI.1.7"]),  # "Hội nghị báo cáo viên", typed without accents
        ("q=B%C3%81O+C%C3%81O", ["VI.1.7"]),  # in capitals, with accents
        ("q=VI.1.7", ["VI.1.7"]),
        ("q=vien+bao", ["VI.1.7"]),  # the words in any order
        ("q=khong+co+gi", []),
        ("q=VI.2.1", ["VI.2.1"]),  # its contribution to UBND's VI.2.1
        ("state=assigned", ["VI.1.7", "VI.2.1"]),
        ("state=in_progress", []),
        ("status=open_overdue", ["VI.1.7"]),  # due on 10 February
        ("status=open_within_deadline", ["VI.2.1"]),  # the contribution, due on 10 March
    ],
)
def test_a_unit_head_narrows_the_list(app, sign_in, make_user, open_tasks, query, refs):
    """The BXDD head on 1 March, between its duty's due day and its contribution's."""
    open_tasks("2026-Q1")
    set_clock(app, "2026-03-01T09:00")
    page = sign_in(make_user("unit_head", "BXDD")).get(f"/?quarter=2026-Q1&{query}").text
    assert refs_in(section(page, "Cần đồng chí xử lý")) == refs


def test_a_filter_value_that_is_not_offered_is_left_out_and_said(sign_in, make_user, open_tasks):
    open_tasks("2026-Q1")
    response = sign_in(make_user("unit_head", "BXDD")).get("/?quarter=2031-Q9&state=lost")
    assert response.status_code == 200
    assert "Lựa chọn này không có trong danh sách nên đã được bỏ qua." in response.text
    # every quarter and state: its duty VI.1.7 and its contribution to VI.2.1
    assert refs_in(section(response.text, "Cần đồng chí xử lý")) == ["VI.1.7", "VI.2.1"]


def test_a_unit_head_cannot_open_another_units_task(sign_in, make_user, open_tasks):
    """Can the UBND head see a chi bộ's task by guessing its address?"""
    task = open_tasks("2026-Q1")("VI.4.1", "CB1")
    client = sign_in(make_user("unit_head", "UBND"))
    assert client.get(f"/tasks/{task.id}").status_code == 404


def test_start_report_return_and_approve_through_the_pages(
    sign_in, make_user, open_tasks, session, app
):
    """The whole loop: the head starts and reports, the reviewer returns, then approves."""
    task = open_tasks("2026-Q1")("VI.2.1", "UBND")
    head, reviewer = make_user("unit_head", "UBND"), make_user("reviewer")
    client = sign_in(head)
    assert act(client, task, "start").status_code == 303
    fresh(session, task)
    response = act(client, task, "report", text="<script>alert(1)</script> Đã đăng 12 tin bài")
    assert response.status_code == 303
    page = client.get(f"/tasks/{task.id}").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Đã đăng 12 tin bài" in page
    assert "<script>alert(1)</script>" not in page
    client.post("/logout", data={"csrf_token": csrf(page)})
    fresh(session, task)
    client = sign_in(reviewer)
    missing = act(client, task, "return", comment="  ")
    assert missing.status_code == 422 and "Hãy ghi lý do trả lại báo cáo." in missing.text
    assert act(client, task, "return", comment="Bổ sung hình ảnh").status_code == 303
    fresh(session, task)
    assert task.state == "returned"
    page = client.get(f"/tasks/{task.id}").text
    assert '<span class="badge state-returned">Trả lại, yêu cầu bổ sung</span>' in page
    client.post("/logout", data={"csrf_token": csrf(page)})
    client = sign_in(head)
    assert act(client, task, "report", text="Đã bổ sung hình ảnh").status_code == 303
    fresh(session, task)
    client.post("/logout", data={"csrf_token": csrf(client.get("/").text)})
    client = sign_in(reviewer)
    assert act(client, task, "approve").status_code == 303
    fresh(session, task)
    assert (task.state, task.version) == ("reviewed", 6)
    page = client.get(f"/tasks/{task.id}").text
    assert '<span class="badge state-reviewed">Đã duyệt</span>' in page


def test_a_stale_form_is_refused_and_the_user_told_to_reload(sign_in, make_user, open_tasks):
    """Two tabs: the second click on "start" comes with an old version."""
    task = open_tasks("2026-Q1")("VI.2.1", "UBND")
    client = sign_in(make_user("unit_head", "UBND"))
    assert act(client, task, "start").status_code == 303
    response = act(client, task, "start")  # same, now stale, version
    assert response.status_code == 409
    assert "Người khác vừa thay đổi nhiệm vụ này" in response.text


def test_every_form_needs_its_csrf_token(sign_in, make_user, open_tasks):
    """Is a forged post from another site refused?"""
    task = open_tasks("2026-Q1")("VI.2.1", "UBND")
    client = sign_in(make_user("unit_head", "UBND"))
    response = client.post(f"/tasks/{task.id}/start", data={"version": "1"})
    assert response.status_code == 400


def test_the_language_is_remembered_for_the_user(app, sign_in, make_user):
    """After choosing English, are the pages in English, in this browser and in another one
    the same person signs in on later?"""
    user = make_user("unit_head", "UBND")
    client = sign_in(user)
    page = client.get("/").text
    assert "<title>Việc của tôi" in page
    client.post("/language/en", data={"csrf_token": csrf(page), "next": "/"})
    assert "<title>My work" in client.get("/").text
    other = app.test_client()  # no cookie of the first browser
    sign_in_on(other, user)
    assert "<title>My work" in other.get("/").text


def test_each_role_lands_on_its_own_work(sign_in, make_user, open_tasks):
    """Where does "/" take each role: reviewers to the queue, leaders to accountability?"""
    open_tasks("2026-Q1")
    expected = {"reviewer": "/review/", "leader": "/accountability"}
    for role, unit in (
        ("reviewer", None),
        ("leader", None),
        ("admin", None),
        ("member", "CB1"),
        ("unit_head", "CB2"),
    ):
        client = sign_in(make_user(role, unit))
        response = client.get("/?quarter=2026-Q1")
        if role in expected:
            assert response.status_code == 302
            assert response.headers["Location"].endswith(expected[role])
        else:
            assert response.status_code == 200
            assert "Việc của tôi" in response.text
        client.post("/logout", data={"csrf_token": csrf(client.get("/password").text)})


def test_every_page_names_the_favicon_and_it_is_served(client, sign_in, make_user):
    """The tab shows the product's mark, not a blank page (on the login page and inside)."""
    for page in (client.get("/login").text, sign_in(make_user("leader")).get("/plan").text):
        icon = re.search(r'<link rel="icon" type="image/svg\+xml" href="([^"]+)">', page)
        assert icon, "no favicon link"
    served = client.get(icon.group(1))
    assert served.status_code == 200 and served.mimetype == "image/svg+xml"
    assert served.data.startswith(b"<svg")
    served.close()


def test_a_method_an_address_does_not_take_is_a_page_that_says_which_it_takes(client, ward):
    response = client.delete("/login")
    assert response.status_code == 405
    assert "Thao tác này không có ở đây" in response.get_data(as_text=True)
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS", "POST"}
