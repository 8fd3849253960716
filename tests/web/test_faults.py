"""Faults under a request: the database stops answering in the middle of it (its connection cut
by the server, ``pg_terminate_backend``), or the disk refuses an evidence file. The person is
told that nothing was saved and what to do, nothing was saved, what they typed is kept, and
trying again works once the fault is gone."""

import io
import os
import subprocess

import pytest
from sqlalchemy import func
from sqlmodel import select

from tests.conftest import PDF, csrf, cut_at, real_now
from workflow.accounts.tokens import issue_token
from workflow.tasks.models import Report, ReportFile, Task, TaskEventRecord
from workflow.tasks.operations import start_task


@pytest.mark.postgresql_only
def test_a_connection_cut_mid_action_saves_nothing_and_says_to_try_again(
    app, session, open_tasks, make_user, sign_in
):
    task = open_tasks("2026-Q1")("VI.2.1", "UBND")
    client = sign_in(make_user("unit_head", "UBND"))
    session.commit()
    form = {"csrf_token": csrf(client.get(f"/tasks/{task.id}").text), "version": "1"}
    cut = cut_at(app.extensions["giaoviec.engine"], "UPDATE task SET")

    response = client.post(f"/tasks/{task.id}/start", data=form)
    assert cut  # the connection was cut as the task was about to change
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert "Cơ sở dữ liệu không trả lời: chưa có gì được lưu." in response.text
    session.expire_all()
    stored = session.get(Task, task.id)
    assert (stored.state, stored.version) == ("assigned", 1)
    starts = select(func.count()).where(
        TaskEventRecord.task_id == task.id, TaskEventRecord.event == "start"
    )
    assert session.exec(starts).one() == 0

    again = client.post(f"/tasks/{task.id}/start", data=form)
    assert again.status_code == 303
    session.expire_all()
    assert session.get(Task, task.id).state == "in_progress"


@pytest.mark.postgresql_only
def test_through_the_api_the_same_is_said_as_json(app, session, open_tasks, make_user, client):
    task = open_tasks("2026-Q1")("VI.2.1", "UBND")
    token = issue_token(session, make_user("unit_head", "UBND"), real_now())
    session.commit()
    cut_at(app.extensions["giaoviec.engine"], "UPDATE task SET")
    response = client.post(
        f"/api/v1/tasks/{task.id}/events",
        json={"event": "start", "version": 1},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 503
    assert response.get_json()["error"]["code"] == "database_unavailable"


def send_report(client, task, content: bytes = PDF):
    """The head sends the report with one file, from the task's page."""
    return client.post(
        f"/tasks/{task.id}/report",
        data={
            "csrf_token": csrf(client.get(f"/tasks/{task.id}").text),
            "version": "2",
            "text": "Báo cáo kèm biên bản",
            "files": [(io.BytesIO(content), "Biên bản.pdf")],
        },
        content_type="multipart/form-data",
    )


def assert_refused_and_nothing_saved(refused, session, task) -> None:
    assert refused.status_code == 503
    assert "Biên bản.pdf không lưu được trên máy chủ" in refused.text
    assert "Báo cáo kèm biên bản" in refused.text  # what was typed is in the form again
    session.expire_all()
    assert session.get(Task, task.id).state == "in_progress"
    assert session.exec(select(func.count()).where(Report.task_id == task.id)).one() == 0
    session.commit()  # the test's read ends, so the app may write (SQLite)


@pytest.fixture
def reporting_head(session, open_tasks, make_user, sign_in):
    """UBND's head, signed in, with VI.2.1 of the first quarter started."""
    task = open_tasks("2026-Q1")("VI.2.1", "UBND")
    head = make_user("unit_head", "UBND")
    start_task(session, head, task.id, task.version, now=real_now())
    session.commit()
    return sign_in(head), task


def test_an_upload_folder_that_cannot_be_written_saves_no_report_and_says_so(
    app, session, reporting_head, tmp_path
):
    client, task = reporting_head
    writable = app.config["UPLOAD_DIR"]
    (tmp_path / "a-file").write_text("not a folder")
    app.config["UPLOAD_DIR"] = str(tmp_path / "a-file" / "uploads")  # mkdir fails

    assert_refused_and_nothing_saved(send_report(client, task), session, task)
    app.config["UPLOAD_DIR"] = writable
    assert send_report(client, task).status_code == 303
    session.expire_all()
    assert session.get(Task, task.id).state == "reported"


@pytest.fixture
def small_disk(tmp_path):
    """A 256 KB file system (tmpfs), mounted for the test: a disk that can really be full."""
    folder = tmp_path / "small-disk"
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(folder)], capture_output=True
    )
    if mounted.returncode != 0 and os.geteuid() != 0:  # only root mounts; CI runs as root
        pytest.skip("mounting a small file system needs root")
    assert mounted.returncode == 0, f"cannot mount a tmpfs: {mounted.stderr.decode().strip()}"
    yield folder
    subprocess.run(["umount", "-l", str(folder)], check=True)


def test_a_full_upload_disk_saves_no_report_leaves_no_half_file_and_says_so(
    app, session, reporting_head, small_disk
):
    """The disk fills in the middle of the file: the report is refused as for a folder that
    cannot be written, the half-written file is gone, and once there is room it goes."""
    client, task = reporting_head
    app.config["UPLOAD_DIR"] = str(small_disk)
    filler = small_disk / "filler"
    filler.write_bytes(b"x" * 200 * 1024)
    evidence = PDF + b"%" * 120 * 1024  # more than the room left

    assert_refused_and_nothing_saved(send_report(client, task, evidence), session, task)
    assert [p for p in small_disk.rglob("*") if p.is_file()] == [filler]  # no half file
    filler.unlink()
    assert send_report(client, task, evidence).status_code == 303
    session.expire_all()
    assert session.get(Task, task.id).state == "reported"
    assert session.exec(select(ReportFile.size)).one() == len(evidence)
