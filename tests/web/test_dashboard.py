"""Accountability by unit, the lists behind its figures, and the plan overview, as people see
them: who may open them, what they show, in which order, and in which language."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from sqlmodel import select

from tests.conftest import (
    HISTORY_NOW,
    Q1_CONTRIBUTIONS,
    at,
    csrf,
    grow,
    set_clock,
    statements_of,
)
from workflow.organisations.models import Unit
from workflow.plans.models import Responsibility
from workflow.tasks.models import Task, TaskEventRecord
from workflow.tasks.operations import start_task, submit_report

ROLES = ["leader", "reviewer", "admin", "unit_head", "member"]


def signed_in(sign_in, make_user, role):
    return sign_in(make_user(role, "UBND" if role in ("unit_head", "member") else None))


def text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def overview_row(page: str, ref: str) -> list[str]:
    """The plan overview's quarter cells of responsibility ``ref``, as text."""
    row = re.search(rf'<td class="ref">{re.escape(ref)}</td>(.*?)</tr>', page, re.S).group(1)
    cells = re.findall(r'<td class="figure"[^>]*>(.*?)</td>', row, re.S)
    return [text(cell).replace(" / ", "/") for cell in cells]


def table_rows(page: str) -> dict[str, list[str]]:
    """The accountability table: each unit's cells as text, by unit code, in page order."""
    return {
        code: [text(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for code, row in re.findall(r'<tr id="unit-([^"]+)">(.*?)</tr>', page, re.S)
    }


def figures_by_heading(page: str) -> dict[str, dict[str, str]]:
    """The accountability table as a leader reads it: each unit's cells by column heading."""
    table = page[page.index('<table class="accountability">') :]
    table = table[: table.index("</table>")]
    head = table[: table.index("</thead>")]
    headings = [text(cell).rstrip(" ▲▼") for cell in re.findall(r"<th[^>]*>(.*?)</th>", head, re.S)]
    return {
        code: dict(zip(headings, cells, strict=True)) for code, cells in table_rows(table).items()
    }


def task_ids(page: str) -> set[int]:
    return {int(i) for i in re.findall(r'href="/tasks/(\d+)"', page)}


def figure_links(page: str) -> list[tuple[str, str, str]]:
    """(unit code, drill-down address, figure shown) for every linked figure of the table."""
    found = []
    for code, row in re.findall(r'<tr id="unit-([^"]+)">(.*?)</tr>', page, re.S):
        for href, figure in re.findall(
            r'<a href="(/accountability/tasks[^"]+)"[^>]*>(\d+)</a>', row
        ):
            found.append((code, html.unescape(href), figure))
    return found


# Who may see what


@pytest.mark.parametrize(
    ("role", "status"),
    [("leader", 200), ("reviewer", 200), ("admin", 200), ("unit_head", 403), ("member", 403)],
)
def test_who_may_see_accountability_by_unit(sign_in, make_user, history, role, status):
    """Leaders, reviewers and admins see it; someone who answers for one unit does not."""
    client = signed_in(sign_in, make_user, role)
    assert client.get("/accountability?quarter=2026-Q1").status_code == status
    drill = "/accountability/tasks?quarter=2026-Q1&unit=CB2&measure=overdue"
    assert client.get(drill).status_code == status


def test_coordination_is_shown_apart_from_what_units_owe(app, sign_in, make_user, session, history):
    """VI.2.1 is UBND's; Ban Xây dựng Đảng and both cells (as the group TCD) coordinate it:
    each owes a contribution to it, due on 10 March and never sent, shown in a table of its own
    under the figures, which count only what each unit leads."""
    set_clock(app, HISTORY_NOW)
    client = signed_in(sign_in, make_user, "leader")
    page = client.get("/accountability?quarter=2026-Q1").text
    apart = {
        code: [text(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for code, row in re.findall(r'<tr id="roles-([^"]+)">(.*?)</tr>', page, re.S)
    }
    # owed, sent on time, sent late, not sent and overdue; directs, in overall charge, takes part
    assert apart == {
        "BXDD": ["Ban Xây dựng Đảng", "1", "0", "0", "1", "0", "0", "0"],
        "CB1": ["Chi bộ Khu dân cư số 1", "1", "0", "0", "1", "0", "0", "0"],
        "CB2": ["Chi bộ Khu dân cư số 2", "1", "0", "0", "1", "0", "0", "0"],
    }
    assert "Phối hợp, chỉ đạo, tham gia" in page
    assert table_rows(page)["BXDD"][2] == "1"  # it owes one task of its own, no more
    roles = page[page.index('<table class="roles-apart">') :]
    links = [
        (code, dict(parse_qsl(urlsplit(html.unescape(href)).query)))
        for code, row in re.findall(r'<tr id="roles-([^"]+)">(.*?)</tr>', roles, re.S)
        for href in re.findall(r'href="(/accountability/tasks[^"]+)"', row)
    ]
    assert links == [  # the figures that are not 0, each opening the unit's contributions
        (code, {"unit": code, "measure": measure, "work": "contributions", "quarter": "2026-Q1"})
        for code in ("BXDD", "CB1", "CB2")
        for measure in ("expected", "overdue")
    ]
    # BXDD's overdue figure opens its contribution to VI.2.1, not the duty it leads
    contribution = session.exec(
        select(Task.id)
        .join(Unit)
        .where(Unit.code == "BXDD", Task.kind == "contribution", Task.period == "2026-Q1")
    ).one()
    session.commit()
    listed = client.get("/accountability/tasks?" + urlencode(links[1][1])).text
    assert task_ids(listed) == {contribution}
    assert history.tasks["VI.1.7", "BXDD", "Q1"].id not in task_ids(listed)


@pytest.mark.parametrize("role", ROLES)
def test_everyone_signed_in_sees_the_plan_overview(sign_in, make_user, history, role):
    """The plan and its counts are for every member of the organisation."""
    page = signed_in(sign_in, make_user, role).get("/plan")
    assert page.status_code == 200
    assert "Cung cấp thông tin chính thống" in page.text  # VI.2.1


def test_the_plan_overview_has_no_section_row_without_tasks_under_it(sign_in, make_user, history):
    """ "VI. Tổ chức thực hiện" only heads its subsections: no row of its own; each subsection
    that holds responsibilities keeps its row."""
    page = signed_in(sign_in, make_user, "leader").get("/plan").text
    rows = re.findall(r'<tr class="section"><th scope="rowgroup"[^>]*>([^<]+)</th>', page)
    assert rows == [
        "VI.1. Ban Xây dựng Đảng",
        "VI.2. Ủy ban nhân dân Phường",
        "VI.4. Các tổ chức Đảng trực thuộc",
    ]


@pytest.mark.parametrize("path", ["/accountability", "/accountability/tasks", "/plan"])
def test_signed_out_visitors_are_sent_to_sign_in(client, ward, path):
    response = client.get(path)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_only_those_who_may_see_task_lists_get_links_from_the_plan(
    client, sign_in, make_user, history
):
    """UBND's head sees UBND's own counts, without links, and nothing of the chi bộ's
    VI.4.1; the leader sees VI.4.1 in Q1 (1 of 2 approved, 1 overdue) with its links."""
    head = signed_in(sign_in, make_user, "unit_head").get("/plan").text
    assert overview_row(head, "VI.4.1") == ["—", "—", "—", "—"]
    assert overview_row(head, "VI.2.7")[1] == "0/1 1 quá hạn"
    assert "Số liệu là của các nhiệm vụ của đơn vị đồng chí." in head
    assert "/accountability/tasks" not in head
    client.post("/logout", data={"csrf_token": csrf(head)})
    leader = signed_in(sign_in, make_user, "leader").get("/plan").text
    assert overview_row(leader, "VI.4.1")[0] == "1/2 1 quá hạn"
    links = [
        dict(parse_qsl(urlsplit(html.unescape(href)).query))
        for href in re.findall(r'href="(/accountability/tasks\?[^"]+)"', leader)
    ]
    for measure in ("approved", "expected", "overdue"):
        assert {
            "plan": "TN-2026",
            "ref": "VI.4.1",
            "quarter": "2026-Q1",
            "measure": measure,
        } in links


# What the page shows


def test_the_figures_are_those_of_the_database(sign_in, make_user, session, history):
    """Each unit's row against the tasks themselves, counted here one by one: the duties each
    unit leads, never the contributions it owes to another's (counted apart)."""
    tasks = session.exec(
        select(Task, Unit.code, Responsibility.ref)
        .join(Unit, Unit.id == Task.unit_id)
        .join(Responsibility)
        .where(Task.period == "2026-Q1")
    ).all()
    returns = session.exec(
        select(TaskEventRecord.task_id).where(TaskEventRecord.event == "return")
    ).all()
    session.commit()
    contributions = {(ref, code) for task, code, ref in tasks if task.kind == "contribution"}
    assert contributions == Q1_CONTRIBUTIONS  # there, and left out below
    expected = {}
    for task, code, _ref in tasks:
        if task.kind == "contribution":
            continue
        reported = task.first_reported_at is not None
        on_time = reported and task.first_reported_at <= task.due_at
        approved = task.state == "reviewed"
        figures = expected.setdefault(code, [0] * 7)
        figures[0] += 1
        figures[1] += approved and on_time
        figures[2] += approved and not on_time
        figures[3] += task.state == "reported"
        figures[4] += task.due_at < HISTORY_NOW and task.state not in ("reported", "reviewed")
        figures[5] += task.id in returns  # a task returned at least once
        figures[6] += task.due_at < HISTORY_NOW or reported
    page = signed_in(sign_in, make_user, "leader").get("/accountability?quarter=2026-Q1").text
    headings = [
        "Nhiệm vụ được giao",
        "Đã hoàn thành đúng hạn",
        "Đã hoàn thành quá hạn",
        "Đã báo cáo, chờ duyệt",
        "Chưa hoàn thành, quá hạn",
        "Bị trả lại",
        "Đã đến hạn",
    ]
    shown = {
        code: [int(row[heading]) for heading in headings]
        for code, row in figures_by_heading(page).items()
    }
    assert shown == expected
    # and what the history says happened
    assert shown == {
        "UBND": [1, 1, 0, 0, 0, 0, 1],  # reported on time, approved
        "CB1": [1, 1, 0, 0, 0, 1, 1],  # on time, returned twice, approved
        "CB2": [1, 0, 0, 0, 1, 0, 1],  # nothing done: overdue
        "BXDD": [1, 0, 1, 0, 0, 0, 1],  # two days late, approved
    }


def test_a_row_in_full(sign_in, make_user, history):
    """UBND in Q2 on 20 June: its two heads, 2 owed and both due, 1 reported late and waiting
    for review (50%), none on time, 1 return, 1 overdue."""
    page = signed_in(sign_in, make_user, "reviewer").get("/accountability?quarter=2026-Q2").text
    assert figures_by_heading(page)["UBND"] == {
        "Đơn vị": "UBND Phường",
        "Trưởng đơn vị": "Nguyễn Văn An, Trần Thị Bình",
        "Nhiệm vụ được giao": "2",
        "Đã hoàn thành đúng hạn": "0",
        "Đã hoàn thành quá hạn": "0",
        "Đã báo cáo, chờ duyệt": "1",
        "Chưa hoàn thành, quá hạn": "1",
        "Bị trả lại": "1",
        "Tỷ lệ đúng hạn": "0%",
        "Đã đến hạn": "2",
        "Chưa đến hạn": "0",
        "Đã báo cáo": "1",
        "Báo cáo đúng hạn": "0",
        "Tỷ lệ báo cáo": "50%",
        "Đã duyệt": "0",
        "Gia hạn": "0",
        "Hoạt động gần nhất": "09:00 18/06/2026",  # shown in Hà Nội time
    }


def test_a_leader_sees_owed_done_overdue_and_returned_before_anything_else(
    sign_in, make_user, history
):
    """Unit, head, owed, completed on time, completed late, awaiting review, overdue, returned
    and the on-time rate come first; the rest is there, hidden until asked for."""
    page = signed_in(sign_in, make_user, "leader").get("/accountability?quarter=2026-Q1").text
    table = page[page.index('<table class="accountability">') :]
    head = table[: table.index("</thead>")]
    cells = re.findall(r'<th scope="col" class="([^"]*)"[^>]*>(.*?)</th>', head, re.S)
    at_a_glance = [text(label) for classes, label in cells if "more" not in classes.split()]
    assert at_a_glance == [
        "Đơn vị",
        "Trưởng đơn vị",
        "Nhiệm vụ được giao",
        "Đã hoàn thành đúng hạn",
        "Đã hoàn thành quá hạn",
        "Đã báo cáo, chờ duyệt",
        "Chưa hoàn thành, quá hạn",
        "Bị trả lại",
        "Tỷ lệ đúng hạn",
    ]
    assert 'id="more-columns"' in page


def test_a_quarter_in_progress_is_not_read_as_failure(app, sign_in, make_user, session, open_tasks):
    """On 10 May, before any of Q2's deadlines (20 May, 15 June), UBND has reported one of its
    two tasks early and Ban Xây dựng Đảng nothing yet: UBND's rate counts only what is due (1
    of 1, 100%), Ban Xây dựng Đảng has no rate at all (not yet due, never 0%) and comes after
    every unit with a rate; nothing is overdue."""
    task = open_tasks("2026-Q2")("VI.2.1", "UBND")
    head = make_user("unit_head", "UBND")
    start_task(session, head, task.id, 1, now=at("2026-05-10T08:00"))
    submit_report(session, head, task.id, 2, "Đã thực hiện", now=at("2026-05-10T09:00"))
    session.commit()
    set_clock(app, "2026-05-10T10:00")
    page = signed_in(sign_in, make_user, "leader").get("/accountability?quarter=2026-Q2").text
    rows = figures_by_heading(page)
    assert list(rows) == ["UBND", "BXDD"]
    ubnd, bxdd = rows["UBND"], rows["BXDD"]
    assert [ubnd[h] for h in ("Nhiệm vụ được giao", "Đã đến hạn", "Chưa đến hạn")] == [
        "2",
        "1",
        "1",
    ]
    assert (ubnd["Tỷ lệ đúng hạn"], ubnd["Đã báo cáo, chờ duyệt"]) == ("100%", "1")
    assert (bxdd["Đã đến hạn"], bxdd["Tỷ lệ đúng hạn"]) == ("0", "chưa đến hạn")
    assert ubnd["Chưa hoàn thành, quá hạn"] == bxdd["Chưa hoàn thành, quá hạn"] == "0"


def test_worst_units_come_first(sign_in, make_user, history):
    """Lowest on-time rate first, then most overdue."""
    page = signed_in(sign_in, make_user, "leader").get("/accountability?quarter=2026-Q1").text
    assert list(table_rows(page)) == ["CB2", "BXDD", "CB1", "UBND"]


@pytest.mark.parametrize(
    ("query", "order"),
    [
        ("sort=unit&dir=asc", ["BXDD", "CB1", "CB2", "UBND"]),
        ("sort=unit&dir=desc", ["UBND", "CB2", "CB1", "BXDD"]),
        ("sort=returned&dir=desc", ["CB1", "BXDD", "CB2", "UBND"]),
        ("sort=last_activity&dir=desc", ["CB1", "UBND", "BXDD", "CB2"]),
        ("sort=nonsense", ["CB2", "BXDD", "CB1", "UBND"]),  # unknown: worst first
    ],
)
def test_sorting_by_a_column(sign_in, make_user, history, query, order):
    page = signed_in(sign_in, make_user, "leader").get(f"/accountability?quarter=2026-Q1&{query}")
    assert list(table_rows(page.text)) == order


def test_a_long_list_of_units_comes_a_page_at_a_time_in_its_order(app, sign_in, make_user, history):
    """Three units a page: the worst three, then the fourth with the bar to go back; sorted by
    name, the pages keep that order; a page past the end is the last."""
    app.config["ACCOUNTABILITY_PAGE_SIZE"] = 3
    leader = signed_in(sign_in, make_user, "leader")
    first = leader.get("/accountability?quarter=2026-Q1").text
    assert list(table_rows(first)) == ["CB2", "BXDD", "CB1"]
    assert "Đơn vị 1–3 trên 4." in text(first)
    assert 'href="/accountability?quarter=2026-Q1&amp;page=2"' in first
    second = leader.get("/accountability?quarter=2026-Q1&page=2").text
    assert list(table_rows(second)) == ["UBND"]
    assert '<span aria-current="page">2</span>' in second
    by_name = leader.get("/accountability?quarter=2026-Q1&sort=unit&dir=desc").text
    assert list(table_rows(by_name)) == ["UBND", "CB2", "CB1"]
    assert 'href="/accountability?quarter=2026-Q1&amp;sort=unit&amp;dir=desc&amp;page=2"' in by_name
    by_name = leader.get("/accountability?quarter=2026-Q1&sort=unit&dir=desc&page=2").text
    assert list(table_rows(by_name)) == ["BXDD"]
    assert list(table_rows(leader.get("/accountability?quarter=2026-Q1&page=9").text)) == ["UBND"]


def test_the_units_parts_in_others_duties_come_a_page_at_a_time_of_their_own(
    app, sign_in, make_user, history
):
    """The table of coordination has its own pages: turning them keeps the units' page."""
    app.config["ACCOUNTABILITY_PAGE_SIZE"] = 1
    leader = signed_in(sign_in, make_user, "leader")
    first = leader.get("/accountability?quarter=2026-Q1&page=2").text
    roles = re.findall(r'<tr id="roles-([^"]+)">', first)
    assert len(roles) == 1 and list(table_rows(first)) == ["BXDD"]
    assert 'href="/accountability?quarter=2026-Q1&amp;page=2&amp;roles_page=2"' in first
    second = leader.get("/accountability?quarter=2026-Q1&page=2&roles_page=2").text
    assert re.findall(r'<tr id="roles-([^"]+)">', second) not in ([], roles)
    assert list(table_rows(second)) == ["BXDD"]


def test_a_short_list_of_units_has_no_pages(sign_in, make_user, history):
    page = signed_in(sign_in, make_user, "leader").get("/accountability?quarter=2026-Q1").text
    assert len(table_rows(page)) == 4 and 'class="pages"' not in page


def test_a_sorted_column_says_so_and_its_header_reverses_it(sign_in, make_user, history):
    page = signed_in(sign_in, make_user, "leader").get("/accountability?quarter=2026-Q1&sort=unit")
    assert 'aria-sort="ascending"' in page.text
    assert 'href="/accountability?sort=unit&amp;dir=desc&amp;quarter=2026-Q1"' in page.text


def test_the_whole_year(sign_in, make_user, history):
    """UBND over 2026 on 20 June: 3 owed and due, 2 reported (67%), 1 on time (33%)."""
    page = signed_in(sign_in, make_user, "leader").get("/accountability?year=2026").text
    ubnd = figures_by_heading(page)["UBND"]
    assert [ubnd[h] for h in ("Nhiệm vụ được giao", "Đã đến hạn", "Đã báo cáo")] == ["3", "3", "2"]
    assert [ubnd[h] for h in ("Tỷ lệ báo cáo", "Báo cáo đúng hạn", "Tỷ lệ đúng hạn")] == [
        "67%",
        "1",
        "33%",
    ]
    assert "<h1>Trách nhiệm theo đơn vị · Năm 2026</h1>" in page


def test_this_quarter_by_default(app, sign_in, make_user, history):
    """Without a period the page shows the clock's quarter (20/06/2026: quarter II)."""
    set_clock(app, HISTORY_NOW)
    page = signed_in(sign_in, make_user, "leader").get("/accountability").text
    assert "Quý II/2026" in page
    assert list(table_rows(page)) == ["BXDD", "UBND"]


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/accountability?quarter=2026-Q5", "2026-Q5 không phải là một quý. Hãy viết theo dạng"),
        ("/accountability?year=dau-nam", "dau-nam không phải là một năm. Hãy viết theo dạng"),
        ("/accountability?quarter=2026-Q1&year=2026", "Hãy chọn một quý hoặc một năm"),
    ],
)
def test_a_period_that_is_not_one_is_refused_with_how_to_write_it(
    sign_in, make_user, history, path, message
):
    """A malformed period in the address is bad input, said in Vietnamese, not a missing page."""
    response = signed_in(sign_in, make_user, "leader").get(path)
    assert response.status_code == 400
    assert message in response.text


@pytest.mark.parametrize(
    "path",
    [
        "/accountability/tasks?quarter=2026-Q1&measure=everything",
        "/accountability/tasks?quarter=2026-Q1&unit=NOWHERE",
        "/accountability/tasks?quarter=2026-Q1&plan=TN-2026&ref=IX.9",
    ],
)
def test_a_wrong_address_is_not_found(sign_in, make_user, history, path):
    assert signed_in(sign_in, make_user, "leader").get(path).status_code == 404


# The tasks behind the figures


def test_every_figure_opens_exactly_the_tasks_it_counts(sign_in, make_user, history):
    """Follow each figure's link: as many tasks as the figure says, every figure but the zeros
    linked (returned counts tasks: CB1's one task, returned twice, is one)."""
    client = signed_in(sign_in, make_user, "leader")
    links = figure_links(client.get("/accountability?year=2026").text)
    assert [
        (code, dict(parse_qsl(urlsplit(href).query))["measure"], figure)
        for code, href, figure in links
    ] == [
        ("CB2", "expected", "1"),
        ("CB2", "overdue", "1"),
        ("CB2", "due", "1"),
        ("BXDD", "expected", "2"),
        ("BXDD", "completed_late", "1"),
        ("BXDD", "overdue", "1"),
        ("BXDD", "due", "2"),
        ("BXDD", "reported", "1"),
        ("BXDD", "approved", "1"),
        ("UBND", "expected", "3"),
        ("UBND", "completed_on_time", "1"),
        ("UBND", "awaiting_review", "1"),
        ("UBND", "overdue", "1"),
        ("UBND", "returned", "1"),
        ("UBND", "due", "3"),
        ("UBND", "reported", "2"),
        ("UBND", "on_time", "1"),
        ("UBND", "approved", "1"),
        ("CB1", "expected", "1"),
        ("CB1", "completed_on_time", "1"),
        ("CB1", "returned", "1"),
        ("CB1", "due", "1"),
        ("CB1", "reported", "1"),
        ("CB1", "on_time", "1"),
        ("CB1", "approved", "1"),
    ]
    for _code, href, figure in links:
        assert len(task_ids(client.get(href).text)) == int(figure), href


def test_the_overdue_tasks_of_a_unit(sign_in, make_user, history):
    """UBND's overdue task in Q2 is VI.2.7, started but never reported."""
    client = signed_in(sign_in, make_user, "reviewer")
    page = client.get("/accountability/tasks?unit=UBND&quarter=2026-Q2&measure=overdue").text
    assert task_ids(page) == {history.tasks["VI.2.7", "UBND", "Q2"].id}
    assert "Tháng cao điểm dịch vụ công" in page
    assert "Chưa hoàn thành, quá hạn" in page


def test_a_leader_searches_the_tasks_behind_a_figure_without_accents(sign_in, make_user, history):
    """UBND's Q2 tasks, narrowed to "thang cao diem": VI.2.7 alone, the unit and the quarter
    kept by the search form."""
    client = signed_in(sign_in, make_user, "leader")
    address = "/accountability/tasks?unit=UBND&quarter=2026-Q2&measure=expected"
    everything = task_ids(client.get(address).text)
    assert len(everything) > 1
    page = client.get(address + "&q=thang+cao+diem").text
    assert task_ids(page) == {history.tasks["VI.2.7", "UBND", "Q2"].id}
    for name, value in (("unit", "UBND"), ("quarter", "2026-Q2"), ("measure", "expected")):
        assert f'<input type="hidden" name="{name}" value="{value}">' in page
    assert 'value="thang cao diem"' in page


def test_the_tasks_of_one_responsibility(sign_in, make_user, history):
    """From the plan overview: VI.4.1's tasks due in Q1, one per chi bộ."""
    client = signed_in(sign_in, make_user, "leader")
    page = client.get(
        "/accountability/tasks?plan=TN-2026&ref=VI.4.1&quarter=2026-Q1&measure=expected"
    ).text
    assert task_ids(page) == {
        history.tasks["VI.4.1", "CB1", "Q1"].id,
        history.tasks["VI.4.1", "CB2", "Q1"].id,
    }


# The chart, the language and the cost


def test_the_rates_chart_is_inline_svg(sign_in, make_user, history):
    """A chart drawn on the server: titled, described for screen readers, one bar per rate of
    each quarter with tasks (Q1 and Q2), and a legend; no script."""
    page = signed_in(sign_in, make_user, "leader").get("/accountability?year=2026").text
    svg = re.search(r"<svg.*?</svg>", page, re.S).group(0)
    assert 'role="img"' in svg and 'aria-labelledby="chart-title chart-desc"' in svg
    assert re.search(r'<title id="chart-title">[^<]*2026</title>', svg)
    description = text(re.search(r'<desc id="chart-desc">(.*?)</desc>', svg, re.S).group(1))
    assert "75%" in description and "50%" in description  # Q1: reported 3/4, on time 2/4
    assert len(re.findall(r'<g class="series-reported">', svg)) == 2
    assert len(re.findall(r'<g class="series-on-time">', svg)) == 2
    assert "<script" not in page and "dashboard.css" in page


def test_vietnamese_by_default_english_on_request(sign_in, make_user, history):
    client = signed_in(sign_in, make_user, "leader")
    page = client.get("/accountability?quarter=2026-Q1").text
    for label in ("Trách nhiệm theo đơn vị", "Trưởng đơn vị", "Đã duyệt", "Quý I/2026"):
        assert label in page
    client.post("/language/en", data={"csrf_token": csrf(page), "next": "/"})
    page = client.get("/accountability?quarter=2026-Q1").text
    assert "Accountability by unit" in page and "On-time rate" in page


def test_the_page_costs_the_same_queries_with_more_data(
    app, sign_in, make_user, session, ward, history
):
    """Forty more units with their tasks and events: not one more statement per page."""
    client = signed_in(sign_in, make_user, "leader")

    def statements(path: str) -> int:
        return statements_of(app, client, path)

    paths = [
        "/accountability?year=2026",
        "/plan",
        "/accountability/tasks?year=2026&measure=overdue",
        "/evaluation/?year=2026",
        "/evaluation/UBND?year=2026",
        "/targets/",
        "/review/",
    ]
    before = [statements(path) for path in paths]
    grow(session, ward, 40)
    after = [statements(path) for path in paths]
    assert dict(zip(paths, before, strict=True)) == dict(zip(paths, after, strict=True))
    assert "Chi bộ 39" in client.get("/accountability?year=2026").text


def test_a_unit_heads_pages_cost_the_same_queries_however_big_the_ward(
    app, sign_in, make_user, session, ward, history
):
    """Forty more units with their tasks and events: "Việc của tôi", the unit's year and the
    targets send not one more statement to UBND's head."""
    client = sign_in(make_user("unit_head", "UBND"))
    paths = ["/", "/?quarter=2026-Q1", "/evaluation/UBND?year=2026", "/targets/"]
    before = [statements_of(app, client, path) for path in paths]
    grow(session, ward, 40)
    after = [statements_of(app, client, path) for path in paths]
    assert dict(zip(paths, before, strict=True)) == dict(zip(paths, after, strict=True))
