"""Mangled plan files, thousands of them: whatever is done to a real plan's text (lines dropped,
doubled or swapped, characters changed, YAML's and Unicode's awkward pieces inserted), reading
it either gives a plan or refuses it with located problems (file, line, field, a message that
reads in Vietnamese), never a traceback; and a plan that reads is loaded whole or refused with
nothing kept.

``GIAOVIEC_FUZZ_EXAMPLES`` sets the number of mangled files read (400 by default; the README's
longer run reads 20,000)."""

from __future__ import annotations

import os

from babel.support import Translations
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import func, select

from tests.conftest import ROOT, SMALL_PLAN
from workflow.clock import Clock
from workflow.errors import WorkflowError
from workflow.plans.checks import PlanInvalid, parse_plan
from workflow.plans.models import Plan
from workflow.plans.store import load_plan

EXAMPLES = int(os.environ.get("GIAOVIEC_FUZZ_EXAMPLES", "400"))
VIETNAMESE = Translations.load(ROOT / "web" / "translations", ["vi"]).gettext
TEXT = SMALL_PLAN.read_text(encoding="utf-8")
LINES = TEXT.splitlines(keepends=True)
# What breaks YAML readers and careless code: its syntax, aliases and tags, control characters,
# text where numbers go and numbers where text goes, and lengths past the columns.
PIECES = [
    ":", "- ", "  ", "\t", "#", "&a ", "*a", "<<: *a", "!!python/object:os.system ", "{", "}",
    "[", "]", "'", '"', "|", ">", "? ", "\x00", "\x0b", "\x1b", "\ufffe", "\u202e", "🙂",
    "Đảng ủy", "2026-Q9", "2026-02-30", "-1", "1e9999", "null", "~", "yes", "0x1F", ".inf",
    "x" * 300, "\n", "\r\n", "---\n", "...\n", "%YAML 1.1\n",
]  # fmt: skip


def mangled() -> st.SearchStrategy[str]:
    """The small plan's text with a few edits applied in turn."""
    edit = st.one_of(
        st.tuples(st.just("drop"), st.integers(0, len(LINES) - 1)),
        st.tuples(st.just("double"), st.integers(0, len(LINES) - 1)),
        st.tuples(st.just("swap"), st.integers(0, len(LINES) - 1), st.integers(0, len(LINES) - 1)),
        st.tuples(st.just("insert"), st.integers(0, len(TEXT)), st.sampled_from(PIECES)),
        st.tuples(st.just("replace"), st.integers(0, len(TEXT) - 1), st.sampled_from(PIECES)),
        st.tuples(st.just("insert"), st.integers(0, len(TEXT)), st.text(max_size=8)),
    )

    def apply(edits) -> str:
        lines = list(LINES)
        for kind, *args in edits:
            if kind in ("drop", "double", "swap"):
                at = args[0] % len(lines) if lines else 0
                if not lines:
                    continue
                if kind == "drop":
                    del lines[at]
                elif kind == "double":
                    lines.insert(at, lines[at])
                else:
                    other = args[1] % len(lines)
                    lines[at], lines[other] = lines[other], lines[at]
                continue
            text = "".join(lines)
            at = min(args[0], len(text))
            end = at + 1 if kind == "replace" else at
            lines = (text[:at] + args[1] + text[end:]).splitlines(keepends=True)
        return "".join(lines)

    return st.lists(edit, min_size=1, max_size=4).map(apply)


def told(text: str):
    """What reading ``text`` gives: the plan, or the problems it is refused with."""
    try:
        return parse_plan(text, "ke-hoach.yaml")
    except PlanInvalid as refused:
        return refused.problems


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True)
@given(mangled())
def test_a_mangled_plan_is_read_or_refused_with_located_problems(text):
    found = told(text)
    if isinstance(found, dict):
        return
    assert found, "refused without saying why"
    lines = text.count("\n") + 2
    for problem in found:
        assert problem.file == "ke-hoach.yaml"
        assert 1 <= problem.line <= lines, problem
        assert problem.field
        assert problem.format(VIETNAMESE)  # its parameters fill its message, translated


@settings(
    max_examples=max(EXAMPLES // 10, 20),
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(mangled())
def test_a_mangled_plan_that_reads_is_loaded_whole_or_not_at_all(session, text):
    plan = told(text)
    if not isinstance(plan, dict):
        return
    try:
        load_plan(session, plan, Clock())
        session.flush()
        loaded = session.exec(select(func.count()).select_from(Plan)).one()
    except (WorkflowError, PlanInvalid):
        session.rollback()  # as a command or a request does: what was written is undone
        loaded = session.exec(select(func.count()).select_from(Plan)).one()
        assert loaded == 0, "a refused plan left rows behind"
        return
    finally:
        session.rollback()  # the next example starts from the same empty database
    assert loaded == 1
