"""A refused action, shown: the page that says "refused" shows the task as it was, never the
half-made change (the action runner rolls the request back before the page is read)."""

from __future__ import annotations

import io

from tests.conftest import PDF, csrf, real_now
from workflow.accounts.tokens import issue_token
from workflow.tasks.operations import start_task


def test_a_refused_evidence_file_shows_the_task_as_it_was(session, open_tasks, make_user, sign_in):
    """The report is checked, moves the task, then its file is refused: the page shown with the
    refusal says "in progress" and offers the report form again, with no report listed."""
    task = open_tasks("2026-Q1")("VI.2.1", "UBND")
    head = make_user("unit_head", "UBND")
    start_task(session, head, task.id, task.version, now=real_now())
    session.commit()
    client = sign_in(head)
    page = client.get(f"/tasks/{task.id}").text
    response = client.post(
        f"/tasks/{task.id}/report",
        data={
            "csrf_token": csrf(page),
            "version": "2",
            "text": "Báo cáo kèm tệp giả",
            "files": [(io.BytesIO(b"<html>" + PDF), "gia-mao.pdf")],
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "không thực sự là tệp PDF" in response.text
    assert 'class="badge state-in_progress"' in response.text
    assert "state-reported" not in response.text
    assert f'action="/tasks/{task.id}/report"' in response.text  # the form is offered again
    assert "<h2>Báo cáo</h2>" not in response.text  # no report listed
    assert "Báo cáo kèm tệp giả" in response.text  # what was typed is kept in the form


def test_a_refused_action_through_the_api_leaves_nothing(session, open_tasks, make_user, client):
    """The same refusal rule through the API: a report with a malformed link is refused, and
    the task reads as it was."""
    task = open_tasks("2026-Q1")("VI.2.1", "UBND")
    head = make_user("unit_head", "UBND")
    start_task(session, head, task.id, task.version, now=real_now())
    token = issue_token(session, head, real_now())
    session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    body = {"event": "report", "version": 2, "comment": "Đã làm", "links": ["ftp://sai"]}
    response = client.post(f"/api/v1/tasks/{task.id}/events", json=body, headers=headers)
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid_input"
    again = client.get(f"/api/v1/tasks/{task.id}", headers=headers).get_json()
    assert (again["state"], again["version"], again["reports"]) == ("in_progress", 2, [])
