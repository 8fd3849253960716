"""Reports with evidence files and target figures, and comments from coordinating units."""

import io
import re
import zipfile
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.conftest import PASSWORD, PDF, csrf, real_now, sign_in_on
from workflow.tasks.operations import start_task

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.fixture
def started(session, open_tasks, make_user, sign_in):
    """UBND's VI.2.1 task in progress, and its head signed in."""
    task = open_tasks("2026-Q1")("VI.2.1", "UBND")
    head = make_user("unit_head", "UBND")
    start_task(session, head, task.id, task.version, now=real_now())
    session.commit()
    session.refresh(task)
    session.commit()
    return task, sign_in(head)


def fetch(client, link) -> int:
    response = client.get(link)
    response.close()
    return response.status_code


def report(client, task, files=(), **form):
    page = client.get(f"/tasks/{task.id}").text
    data = {
        "csrf_token": csrf(page),
        "version": str(task.version),
        "text": "Đã thực hiện",
        **form,
        "files": [(io.BytesIO(content), name) for name, content in files],
    }
    return client.post(f"/tasks/{task.id}/report", data=data, content_type="multipart/form-data")


def test_a_report_keeps_its_files_under_their_vietnamese_names(started, app):
    """Can the head attach a PDF, a Word file and a photo, and download them again?"""
    task, client = started
    files = [
        ("Biên bản hội nghị quán triệt.pdf", PDF),
        ("Báo cáo quý I.docx", docx()),
        ("Ảnh hội nghị.png", PNG),
    ]
    assert report(client, task, files).status_code == 303
    page = client.get(f"/tasks/{task.id}").text
    for name, _content in files:
        assert name in page
    link = page.split('href="/files/')[1].split('"')[0]
    download = client.get(f"/files/{link}")
    assert download.status_code == 200 and download.data == PDF
    disposition = download.headers["Content-Disposition"]
    assert "attachment" in disposition
    assert quote("Biên bản hội nghị quán triệt.pdf") in disposition
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    download.close()


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("chuong-trinh.exe", b"MZ\x90\x00", "chỉ nhận tệp PDF"),
        ("gia-mao.pdf", b"<html>not a pdf</html>", "không thực sự là tệp PDF"),
        ("gia-mao.docx", b"PK\x03\x04 not a word package", "không thực sự là tệp DOCX"),
        ("rong.png", b"", "là tệp rỗng"),
    ],
)
def test_a_file_that_is_not_accepted_loses_nothing(started, app, session, name, content, words):
    """Is a refused file reported in Vietnamese, with the typed report still in the form?"""
    task, client = started
    response = report(client, task, [(name, content)], text="Nội dung đã gõ")
    assert response.status_code == 422
    assert words in response.text and "Nội dung đã gõ" in response.text
    session.refresh(task)
    session.commit()
    assert task.state == "in_progress"
    folder = Path(app.config["UPLOAD_DIR"])
    assert not folder.exists() or not any(folder.iterdir())


def test_a_file_over_the_limit_gets_the_too_large_page(started, app):
    """What does the head see for a file over the limit?"""
    app.config["MAX_UPLOAD_MB"] = 0.25  # small, so the test client keeps the body in memory
    task, client = started
    response = report(client, task, [("lon.pdf", PDF + b"0" * (300 << 10))])
    assert response.status_code == 413
    assert "lon.pdf lớn hơn 0.25 MB" in response.text


def test_files_are_served_only_to_those_who_may_see_the_task(started, sign_in, make_user, client):
    """Can a chi bộ head, or someone signed out, download UBND's evidence?"""
    task, head_client = started
    report(head_client, task, [("Biên bản.pdf", PDF)])
    page = head_client.get(f"/tasks/{task.id}").text
    link = "/files/" + page.split('href="/files/')[1].split('"')[0]
    head_client.post("/logout", data={"csrf_token": csrf(page)})
    assert head_client.get(link).status_code == 302  # to the login page
    other = sign_in(make_user("unit_head", "UBND", username="khac"))
    assert fetch(other, link) == 200  # same unit
    other.post("/logout", data={"csrf_token": csrf(other.get("/").text)})
    reviewer = sign_in(make_user("reviewer"))
    assert fetch(reviewer, link) == 200


def test_a_unit_that_neither_owns_nor_coordinates_gets_not_found(
    session, open_tasks, make_user, sign_in, app
):
    """CB1's evidence on VI.4.1 (no coordinators): can the heads of UBND or of CB2 fetch it?"""
    task = open_tasks("2026-Q1")("VI.4.1", "CB1")
    owner = make_user("unit_head", "CB1")
    start_task(session, owner, task.id, task.version, now=real_now())
    session.refresh(task)
    session.commit()
    client = sign_in(owner)
    report(client, task, [("Biên bản chi bộ.pdf", PDF)])
    link = "/files/" + client.get(f"/tasks/{task.id}").text.split('href="/files/')[1].split('"')[0]
    for unit in ("UBND", "CB2"):
        stranger = app.test_client()
        page = stranger.get("/login").text
        user = make_user("unit_head", unit)
        stranger.post(
            "/login",
            data={"csrf_token": csrf(page), "username": user.username, "password": PASSWORD},
        )
        assert fetch(stranger, link) == 404
        assert stranger.get(f"/tasks/{task.id}").status_code == 404


def test_figures_are_reported_with_the_task_that_carries_them(
    session, open_tasks, make_user, sign_in
):
    """The chi bộ reports the share of members paying dues online (target I.2.4)."""
    task = open_tasks("2026-Q1")("VI.4.1", "CB1")
    head = make_user("unit_head", "CB1")
    start_task(session, head, task.id, task.version, now=real_now())
    session.refresh(task)
    session.commit()
    client = sign_in(head)
    page = client.get(f"/tasks/{task.id}").text
    assert "Đảng phí trực tuyến" in page
    field = page.split('name="figure-')[1].split('"')[0]
    response = report(client, task, **{f"figure-{field}": "96,5"})
    assert response.status_code == 303
    assert "96,5%" in client.get(f"/tasks/{task.id}").text


def test_a_coordinating_unit_comments_and_the_comment_is_text(
    session, open_tasks, make_user, sign_in
):
    """BXDD coordinates VI.2.1: can its head leave a remark, and is HTML shown as text?"""
    task = open_tasks("2026-Q1")("VI.2.1", "UBND")
    client = sign_in(make_user("unit_head", "BXDD", full_name="Nguyễn Thị Hà"))
    page = client.get(f"/tasks/{task.id}").text
    response = client.post(
        f"/tasks/{task.id}/comments",
        data={"csrf_token": csrf(page), "text": "Đề nghị bổ sung <b>ảnh</b> hội nghị"},
    )
    assert response.status_code == 303
    page = client.get(f"/tasks/{task.id}").text
    assert "Nguyễn Thị Hà" in page
    assert "Đề nghị bổ sung &lt;b&gt;ảnh&lt;/b&gt; hội nghị" in page
    empty = client.post(f"/tasks/{task.id}/comments", data={"csrf_token": csrf(page), "text": " "})
    assert empty.status_code == 422 and "Hãy viết nội dung ý kiến." in empty.text


# Files never lost to a refusal, nor to a return


def held_values(page: str) -> list[str]:
    return re.findall(r'name="keep" value="([^"]+)" checked', page)


def test_files_chosen_before_a_refused_link_are_kept_for_the_next_try(started, session):
    """A link that is not one refuses the report; the chosen file is listed, ticked, on the
    page that says so, and the next try (link fixed, nothing chosen again) carries it."""
    task, client = started
    refused = report(client, task, [("Biên bản.pdf", PDF)], links="not a link")
    assert refused.status_code == 422
    kept = held_values(refused.text)
    assert [value.split(":")[0] for value in kept] == ["held"]
    assert "Biên bản.pdf" in refused.text
    again = report(client, task, links="https://phuong.vn/tin-bai", keep=kept)
    assert again.status_code == 303
    page = client.get(f"/tasks/{task.id}").text
    assert page.count("Biên bản.pdf") == 1
    link = page.split('href="/files/')[1].split('"')[0]
    download = client.get(f"/files/{link}")
    assert download.data == PDF
    download.close()


def test_another_persons_held_file_cannot_be_attached(started, open_tasks, make_user, app):
    task, client = started
    kept = held_values(report(client, task, [("Biên bản.pdf", PDF)], links="x").text)
    assert kept
    other_task = open_tasks("2026-Q1")("VI.4.1", "CB1")
    stranger = app.test_client()
    sign_in_on(stranger, make_user("unit_head", "CB1"))
    page = stranger.get(f"/tasks/{other_task.id}").text
    start = stranger.post(
        f"/tasks/{other_task.id}/start",
        data={"csrf_token": csrf(page), "version": str(other_task.version)},
    )
    assert start.status_code == 303
    other_task.version += 1
    assert report(stranger, other_task, keep=kept).status_code == 303
    assert "Biên bản.pdf" not in stranger.get(f"/tasks/{other_task.id}").text


def test_a_returned_task_shows_the_reason_first_and_its_report_ready_to_send_again(
    started, session, make_user, app
):
    """The reviewer returns the report; the head sees the reason at the top, the form filled
    with the report (text, links, file ticked) and only "Báo cáo" to press; sending it again
    without choosing anything carries the same file."""
    task, head = started
    sent = report(
        head, task, [("Ảnh hội nghị.png", PNG)], text="Đã đăng 12 tin", links="https://a.vn/1"
    )
    assert sent.status_code == 303
    session.refresh(task)
    session.commit()
    reviewer = app.test_client()
    sign_in_on(reviewer, make_user("reviewer"))
    page = reviewer.get(f"/tasks/{task.id}").text
    returned = reviewer.post(
        f"/tasks/{task.id}/return",
        data={"csrf_token": csrf(page), "version": str(task.version), "comment": "Thiếu số liệu"},
    )
    assert returned.status_code == 303
    page = head.get(f"/tasks/{task.id}").text
    assert page.index("Báo cáo bị trả lại, yêu cầu bổ sung") < page.index("<h1>")
    assert "Thiếu số liệu" in page.split("<h1>")[0]
    assert ">Đã đăng 12 tin</textarea>" in page and ">https://a.vn/1</textarea>" in page
    kept = held_values(page)
    assert len(kept) == 1 and kept[0].startswith("file:")
    assert f'action="/tasks/{task.id}/start"' not in page
    session.refresh(task)
    session.commit()
    again = report(head, task, text="Đã đăng 12 tin, bổ sung số liệu", keep=kept)
    assert again.status_code == 303
    page = head.get(f"/tasks/{task.id}").text
    assert page.count("Ảnh hội nghị.png") == 2  # the first report's, and the new one's copy


def test_a_file_of_another_task_cannot_be_kept(started, open_tasks, session):
    task, client = started
    assert report(client, task, keep=["file:999999"]).status_code == 404
