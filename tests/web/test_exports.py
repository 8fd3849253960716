"""Downloads as people get them: who may, what the files hold, calendar links and the print view,
and ``giaoviec report quarterly``."""

from __future__ import annotations

import io
import re

import pytest
from docx import Document
from icalendar import Calendar
from openpyxl import load_workbook
from sqlmodel import select

from tests.conftest import HISTORY_NOW, act_out_history, csrf, set_clock
from workflow.tasks.models import Task

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
    assert len(list(workbook["Quý II-2026"].iter_rows(min_row=2))) == 3
    content = client.get("/exports/quarterly.csv?quarter=2026-Q2").data
    assert content.startswith(b"\xef\xbb\xbf") and "Cung cấp thông tin" in content.decode()


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
                min_row=2, values_only=True
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
    """BXDD's head owes VI.1.7 and VI.1.5 and only coordinates VI.2.1: the feed holds the two
    deadlines BXDD owes, by due time, and none of UBND's."""
    bxdd = make_user("unit_head", "BXDD")
    link = feed_link(sign_in(bxdd))
    events = Calendar.from_ical(app.test_client().get(link).data).walk("VEVENT")
    assert [str(e["summary"]) for e in events] == [
        "Hạn báo cáo VI.1.7: Hội nghị báo cáo viên – Ban Xây dựng Đảng",
        "Hạn báo cáo VI.1.5 (Sơ kết 6 tháng): Sơ kết, tổng kết – Ban Xây dựng Đảng",
    ]
    owed = {history.tasks["VI.1.7", "BXDD", "Q1"].id, history.tasks["VI.1.5", "BXDD", "Q2"].id}
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


@pytest.mark.parametrize("file_format", ["docx", "xlsx", "csv"])
def test_the_command_writes_a_file_that_opens(runner, history, tmp_path, file_format):
    output = tmp_path / f"report.{file_format}"
    result = runner.invoke(
        args=[
            "report",
            "quarterly",
            "--quarter",
            "2026-Q2",
            "--format",
            file_format,
            "-o",
            str(output),
            "--now",
            "2026-06-20T12:00",
        ]
    )
    assert result.exit_code == 0, result.output
    if file_format == "docx":
        assert "Quý II/2026" in [p.text for p in Document(str(output)).paragraphs]
    elif file_format == "xlsx":
        assert load_workbook(str(output)).sheetnames[0] == "Quý II-2026"
    else:
        assert output.read_bytes().startswith(b"\xef\xbb\xbf")
