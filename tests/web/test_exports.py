"""Downloads as people get them: who may, what the files hold, calendar links and the print view,
and ``giaoviec report quarterly``."""

from __future__ import annotations

import csv
import html
import io
import re

import pytest
from docx import Document
from icalendar import Calendar
from openpyxl import load_workbook
from sqlmodel import select

from tests.conftest import HISTORY_NOW, act_out_history, csrf, set_clock
from workflow.tasks.models import Task
from workflow.tasks.states import TaskKind

ROLES = ["leader", "reviewer", "admin", "unit_head", "member"]


@pytest.fixture
def history(app, session, ward, open_tasks):
    acted = act_out_history(session, ward, open_tasks)
    set_clock(app, HISTORY_NOW)
    return acted


def signed_in(sign_in, make_user, role, unit="UBND"):
    return sign_in(make_user(role, unit if role in ("unit_head", "member") else None))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("file_format", ["docx", "xlsx", "csv"])
def test_who_may_download_the_quarterly_files(sign_in, make_user, history, role, file_format):
    """Can a leader, reviewer or admin download the report and lists, and a unit head not?"""
    client = signed_in(sign_in, make_user, role)
    response = client.get(f"/exports/quarterly.{file_format}?quarter=2026-Q2")
    if role in ("unit_head", "member"):
        assert response.status_code == 403
        return
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    assert f"du-test-2026-Q2.{file_format}" in response.headers["Content-Disposition"]


def test_the_downloaded_report_opens(sign_in, make_user, history):
    client = signed_in(sign_in, make_user, "reviewer")
    document = Document(io.BytesIO(client.get("/exports/quarterly.docx?quarter=2026-Q2").data))
    assert "BÁO CÁO" in [p.text for p in document.paragraphs]
    workbook = load_workbook(io.BytesIO(client.get("/exports/quarterly.xlsx?quarter=2026-Q2").data))
    assert len(list(workbook["Quý II-2026"].iter_rows(min_row=3))) == 3  # below title, header
    content = client.get("/exports/quarterly.csv?quarter=2026-Q2").data
    assert content.startswith(b"\xef\xbb\xbf") and "Cung cấp thông tin" in content.decode()


def test_the_report_is_signed_as_chosen_when_downloading(sign_in, make_user, history):
    """The board's head by default; "signed as the plan" follows the plan file's signer; the
    pages offer both; a signer that does not exist is refused in Vietnamese."""
    client = signed_in(sign_in, make_user, "reviewer")
    page = client.get("/accountability?quarter=2026-Q2").text
    links = re.findall(r'href="(/exports/quarterly\.docx[^"]*)"', html.unescape(page))
    assert links == [
        "/exports/quarterly.docx?quarter=2026-Q2",
        "/exports/quarterly.docx?quarter=2026-Q2&signer=plan",
    ]

    def signature(url: str) -> list[str]:
        document = Document(io.BytesIO(client.get(url).data))
        return [line for line in document.tables[-2].rows[0].cells[1].text.splitlines() if line]

    assert signature(links[0]) == ["TRƯỞNG BAN", "Phạm Đức Dũng"]  # the board's one head
    assert signature(links[1]) == ["T/M BAN THƯỜNG VỤ", "…", "…"]  # the plan names nobody
    refused = client.get("/exports/quarterly.docx?quarter=2026-Q2&signer=ai-do")
    assert refused.status_code == 400
    assert "Không có người ký ai-do" in refused.text


@pytest.mark.parametrize("role", ROLES)
def test_the_years_workbook_has_a_sheet_per_quarter_with_tasks(sign_in, make_user, history, role):
    """Does the whole year's export list every task once, quarter by quarter, with no sheet for
    a quarter without tasks, then the year's summary?"""
    client = signed_in(sign_in, make_user, role)
    response = client.get("/exports/year.xlsx?year=2026")
    if role in ("unit_head", "member"):
        assert response.status_code == 403
        return
    workbook = load_workbook(io.BytesIO(response.data))
    assert workbook.sheetnames == ["Quý I-2026", "Quý II-2026", "Tổng hợp theo đơn vị"]

    def tasks(sheet: str) -> list[tuple]:
        return [
            (ref, unit, state)
            for ref, _title, _phase, unit, _heads, state, *_rest in workbook[sheet].iter_rows(
                min_row=3, values_only=True
            )
        ]

    assert tasks("Quý I-2026") == [
        ("VI.2.1", "UBND Phường", "Đã duyệt"),
        ("VI.4.1", "Chi bộ Khu dân cư số 1", "Đã duyệt"),
        ("VI.4.1", "Chi bộ Khu dân cư số 2", "Đã giao"),
        ("VI.1.7", "Ban Xây dựng Đảng", "Đã duyệt"),
    ]
    assert tasks("Quý II-2026") == [
        ("VI.2.1", "UBND Phường", "Đã báo cáo"),
        ("VI.1.5", "Ban Xây dựng Đảng", "Đã giao"),
        ("VI.2.7", "UBND Phường", "Đang thực hiện"),
    ]


def csv_rows(content: bytes, delimiter: str) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=delimiter))


@pytest.mark.parametrize("page", ["/accountability?quarter=2026-Q2", "/review/?quarter=2026-Q2"])
def test_the_pages_offer_a_csv_split_by_semicolons(sign_in, make_user, history, page):
    """Does the link for Excel in Vietnamese give the quarter's tasks split by ``;``, with the
    same rows as the comma-separated file and the Vietnamese intact?"""
    client = signed_in(sign_in, make_user, "reviewer")
    link = re.search(r'href="([^"]+sep=semicolon[^"]*)"', client.get(page).text).group(1)
    semicolons = csv_rows(client.get(html.unescape(link)).data, ";")
    commas = csv_rows(client.get("/exports/quarterly.csv?quarter=2026-Q2").data, ",")
    assert semicolons[0][:3] == ["Mã", "Nhiệm vụ", "Đợt"] and semicolons == commas
    assert "Cung cấp thông tin chính thống" in [row[1] for row in semicolons]


def test_an_unknown_separator_is_refused(sign_in, make_user, history):
    client = signed_in(sign_in, make_user, "leader")
    response = client.get("/exports/quarterly.csv?quarter=2026-Q2&sep=tab")
    assert response.status_code == 400 and "tab" in response.text


def test_the_downloaded_workbook_is_titled_with_the_data_cut_off(sign_in, make_user, history):
    """The history stands at 20 June 2026, noon in Hanoi."""
    client = signed_in(sign_in, make_user, "leader")
    workbook = load_workbook(io.BytesIO(client.get("/exports/year.xlsx?year=2026").data))
    assert workbook["Quý I-2026"]["A1"].value == (
        "Danh sách nhiệm vụ Quý I/2026 — số liệu đến ngày 20/06/2026"
    )
    assert workbook["Tổng hợp theo đơn vị"]["A1"].value == (
        "Tổng hợp theo đơn vị năm 2026 — số liệu đến ngày 20/06/2026"
    )


def test_a_bad_quarter_is_refused_and_a_bad_format_is_not_found(sign_in, make_user, history):
    client = signed_in(sign_in, make_user, "leader")
    response = client.get("/exports/quarterly.docx?quarter=2026-Q9")
    assert response.status_code == 400 and "2026-Q9" in response.text
    assert client.get("/exports/quarterly.pdf?quarter=2026-Q2").status_code == 404
    assert client.get("/exports/year.xlsx?year=hai-nghin").status_code == 400


def feed_link(client) -> str:
    page = client.get("/exports/calendar").text
    response = client.post("/exports/calendar", data={"csrf_token": csrf(page), "create": "1"})
    assert response.status_code == 200
    return re.search(r'value="(http[^"]+\.ics)"', response.text).group(1)


def test_a_unit_head_subscribes_to_their_tasks(app, session, sign_in, make_user, history):
    """The feed works without signing in and holds the unit's tasks only, once each."""
    head = make_user("unit_head", "UBND")
    link = feed_link(sign_in(head))
    anonymous = app.test_client()
    response = anonymous.get(link)
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    events = Calendar.from_ical(response.data).walk("VEVENT")
    ids = session.exec(select(Task.id).where(Task.unit_id == head.unit_id)).all()
    assert sorted(str(e["uid"]) for e in events) == sorted(
        f"task-{i}@DU-TEST.giaoviec" for i in ids
    )


def test_another_user_s_link_shows_only_their_tasks(app, session, sign_in, make_user, history):
    """BXDD's head owes VI.1.7 and VI.1.5, and coordinates VI.2.1, to which it owes a
    contribution each quarter (due the 10th of the quarter's last month): the feed holds the
    four deadlines BXDD owes, by due time, and none of UBND's nor the cells' contributions."""
    bxdd = make_user("unit_head", "BXDD")
    link = feed_link(sign_in(bxdd))
    events = Calendar.from_ical(app.test_client().get(link).data).walk("VEVENT")
    assert [(str(e["summary"]), e.decoded("dtstart").date().isoformat()) for e in events] == [
        ("Hạn báo cáo VI.1.7: Hội nghị báo cáo viên – Ban Xây dựng Đảng", "2026-02-10"),
        (
            "Hạn gửi nội dung phối hợp VI.2.1: Cung cấp thông tin chính thống – Ban Xây dựng Đảng",
            "2026-03-10",
        ),
        (
            "Hạn gửi nội dung phối hợp VI.2.1: Cung cấp thông tin chính thống – Ban Xây dựng Đảng",
            "2026-06-10",
        ),
        (
            "Hạn báo cáo VI.1.5 (Sơ kết 6 tháng): Sơ kết, tổng kết – Ban Xây dựng Đảng",
            "2026-06-15",
        ),
    ]
    contributions = session.exec(
        select(Task.id).where(
            Task.unit_id == history.tasks["VI.1.7", "BXDD", "Q1"].unit_id,
            Task.kind == TaskKind.CONTRIBUTION.value,
        )
    ).all()
    assert len(contributions) == 2  # to VI.2.1, in Q1 and in Q2
    owed = {history.tasks["VI.1.7", "BXDD", "Q1"].id, history.tasks["VI.1.5", "BXDD", "Q2"].id}
    owed |= set(contributions)
    assert {str(e["uid"]) for e in events} == {f"task-{i}@DU-TEST.giaoviec" for i in owed}


def test_a_revoked_or_replaced_link_is_not_found(app, sign_in, make_user, history):
    client = sign_in(make_user("unit_head", "UBND"))
    first = feed_link(client)
    second = feed_link(client)  # a new link replaces the old one
    anonymous = app.test_client()
    assert anonymous.get(first).status_code == 404
    assert anonymous.get(second).status_code == 200
    page = client.get("/exports/calendar").text
    client.post("/exports/calendar", data={"csrf_token": csrf(page), "revoke": "1"})
    assert anonymous.get(second).status_code == 404
    assert anonymous.get("/exports/calendar/not-a-token.ics").status_code == 404


def test_the_print_view(sign_in, make_user, history):
    """A4 landscape, the table of every unit, and no navigation."""
    client = signed_in(sign_in, make_user, "leader")
    page = client.get("/exports/accountability/print?quarter=2026-Q1").text
    assert "@page { size: A4 landscape" in page
    assert "<header>" not in page and "<nav" not in page
    assert set(re.findall(r'<tr id="unit-([^"]+)">', page)) == {"UBND", "CB1", "CB2", "BXDD"}


def test_a_unit_head_may_not_print_accountability(sign_in, make_user, history):
    head = signed_in(sign_in, make_user, "unit_head")
    assert head.get("/exports/accountability/print?quarter=2026-Q1").status_code == 403


def write_report(runner, output, *options: str):
    """``giaoviec report quarterly`` for Q2 on 20 June at noon, with ``options``, to ``output``."""
    arguments = ["report", "quarterly", "--quarter", "2026-Q2", *options, "-o", str(output)]
    return runner.invoke(args=[*arguments, "--now", "2026-06-20T12:00"])


@pytest.mark.parametrize("file_format", ["docx", "xlsx", "csv"])
def test_the_command_writes_a_file_that_opens(runner, history, tmp_path, file_format):
    output = tmp_path / f"report.{file_format}"
    result = write_report(runner, output, "--format", file_format)
    assert result.exit_code == 0, result.output
    if file_format == "docx":
        assert "Quý II/2026" in [p.text for p in Document(str(output)).paragraphs]
    elif file_format == "xlsx":
        assert load_workbook(str(output)).sheetnames[0] == "Quý II-2026"
    else:
        assert output.read_bytes().startswith(b"\xef\xbb\xbf")


def test_the_command_writes_a_csv_split_by_semicolons(runner, history, tmp_path):
    output = tmp_path / "tasks.csv"
    result = write_report(runner, output, "--format", "csv", "--separator", "semicolon")
    assert result.exit_code == 0, result.output
    rows = csv_rows(output.read_bytes(), ";")
    assert rows[0][:4] == ["Mã", "Nhiệm vụ", "Đợt", "Đơn vị"]
    assert {row[3] for row in rows[1:]} == {"UBND Phường", "Ban Xây dựng Đảng"}
