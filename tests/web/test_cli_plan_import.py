"""``giaoviec plan import``: the draft plan file of a document, written where the user says
and never over a file that is there; a document that cannot be read is said so, in
Vietnamese, and nothing is written."""

import json

import pytest

from tests.conftest import ROOT
from web import create_app

SEED = ROOT / "docs" / "seed" / "000_7684f10bc084db47.txt"
ELECTION = ROOT / "tests" / "plans" / "documents" / "tan-lap-bau-cu-2026.docx"


@pytest.fixture
def runner(tmp_path):
    """The command line; drafting touches no database, so one backend is enough."""
    app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.db'}"})
    return app.test_cli_runner()


def run(runner, *args):
    return runner.invoke(args=list(args))


def test_the_draft_is_written_and_passes_the_plan_checks(runner, tmp_path):
    draft = tmp_path / "viet-hung.yaml"
    result = run(runner, "plan", "import", str(SEED), "-o", str(draft))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "Đã soạn 7 đơn vị, 29 nhiệm vụ, 4 giai đoạn, 6 chỉ tiêu; 18 điểm cần xem, 0 điểm phải "
        "quyết định.",
        f"Đã ghi bản nháp vào {draft}.",
    ]
    text = draft.read_text(encoding="utf-8")
    assert text.startswith("# Bản nháp tệp kế hoạch, Giao Việc đọc từ 000_7684f10bc084db47.txt.\n")
    assert "    # «Đơn vị thực hiện: UBND Phường.» (dòng 266)\n    lead: [UBND]\n" in text
    assert "# CẦN XEM: Kế hoạch không giao đơn vị cho giai đoạn này: mục VI.1.2" in text
    checked = run(runner, "plan", "validate", str(draft))
    assert checked.exit_code == 0, checked.stderr
    assert checked.stdout.startswith(f"{draft}: hợp lệ: 7 đơn vị, 33 nhiệm vụ, 6 chỉ tiêu.")


def test_without_a_file_the_draft_goes_to_the_screen(runner):
    result = run(runner, "plan", "import", str(ELECTION))
    assert result.exit_code == 0, result.stderr
    assert "milestones:\n  # «Ngày bầu cử» (đoạn 8)\n" in result.stdout
    assert "due: {milestone: NGAY-BAU-CU, days_before: 20}" in result.stdout


def test_json_is_the_plan_as_plan_show_prints_it(runner, tmp_path):
    draft = tmp_path / "bau-cu.yaml"
    as_json = run(runner, "plan", "import", str(ELECTION), "-o", str(draft), "--json")
    shown = run(runner, "plan", "show", str(draft), "--json")
    assert as_json.exit_code == shown.exit_code == 0
    assert json.loads(as_json.stdout) == json.loads(shown.stdout)


def test_an_existing_file_is_never_overwritten(runner, tmp_path):
    kept = tmp_path / "plan.yaml"
    kept.write_text("# tệp của tôi\n", encoding="utf-8")
    result = run(runner, "plan", "import", str(SEED), "-o", str(kept))
    assert result.exit_code == 1
    assert f"{kept} đã có: hãy chọn tên khác." in result.stderr
    assert kept.read_text(encoding="utf-8") == "# tệp của tôi\n"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
         "Đây là tệp Word 97-2003 (.doc). Hãy mở bằng Word hoặc LibreOffice, lưu lại dạng .docx"),
        ("Biên bản họp chi bộ.\nNội dung: trao đổi.\n".encode(),
         "Không tìm thấy kế hoạch trong văn bản này"),
    ],
    ids=["word-97", "not-a-plan"],
)  # fmt: skip
def test_a_document_that_cannot_be_drafted_is_said_so_and_nothing_is_written(
    runner, tmp_path, content, message
):
    document = tmp_path / "ke-hoach.docx"
    document.write_bytes(content)
    draft = tmp_path / "draft.yaml"
    result = run(runner, "plan", "import", str(document), "-o", str(draft))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{document}: {message}")
    assert not draft.exists()
