"""A malformed plan file gives a clear, located error, and nothing of it is returned to load.

Each case starts from the valid small test plan and makes one mistake, as a plan's author might.
The author reads ``FILE:LINE: field: message``: the line must be the one to fix, the field must
name the item by its ref or code, and the message must say what is wrong.
"""

import unicodedata

import pytest

from tests.conftest import SMALL_PLAN
from workflow.plans.checks import PlanInvalid, PlanProblem, parse_plan, read_plan

VALID = SMALL_PLAN.read_text(encoding="utf-8")


def edited(*edits: tuple[str, str]) -> str:
    """The valid plan with each ``old`` text (which must occur exactly once) replaced."""
    text = VALID
    for old, new in edits:
        assert text.count(old) == 1, f"{old!r} should occur once in the test plan"
        text = text.replace(old, new)
    return text


def problems_of(text: str, filename: str = "plan.yaml") -> list[PlanProblem]:
    with pytest.raises(PlanInvalid) as raised:
        parse_plan(text, filename)
    return raised.value.problems


def listed(problems: list[PlanProblem]) -> str:
    return "\n".join(problem.format() for problem in problems)


def mistake(case_id: str, text: str, line: int, field: str, phrase: str):
    return pytest.param(text, line, field, phrase, id=case_id)


UNIT_CB1 = "{code: CB1, name: Chi bộ Khu dân cư số 1,"
UNIT_CB2 = "{code: CB2, name: Chi bộ Khu dân cư số 2,"
GROUP_TCD = "  - {code: TCD, name: Các tổ chức Đảng trực thuộc, members: [CB1, CB2]}\n"

END = len(VALID.splitlines())  # the last line of the valid plan


def alias_bomb(levels: int = 8) -> str:
    """A "billion laughs": each level repeats the one before nine times (9**8 strings)."""
    text = "x-a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    previous = "a"
    for name in "bcdefghi"[:levels]:
        text += f"x-{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]\n"
        previous = name
    return text


# (id, plan text with one mistake, line to fix, field, a phrase of the message)
MISTAKES = [
    # The file itself
    mistake(
        "yaml-unclosed-bracket",
        edited(("    lead: [UBND]\n    coordinating", "    lead: [UBND\n    coordinating")),
        28, "-", "not valid YAML",
    ),
    mistake(
        "yaml-unclosed-brace-on-last-line",
        edited(("reported_in: [VI.4.1]}", "reported_in: [VI.4.1]")),
        55, "-", "not valid YAML",
    ),
    mistake(
        "yaml-unclosed-quote-in-a-brace",
        edited(("{code: DU-TEST,", '{code: "DU-TEST,')),
        3, "-", "the quote opened on this line is not closed",
    ),
    mistake(
        "yaml-unclosed-quote-in-a-block",
        edited(("  code: TN-2026\n", '  code: "TN-2026\n')),
        5, "-", "the quote opened on this line is not closed",
    ),
    mistake(
        "yaml-undefined-alias",
        edited(("  title: Kế hoạch thử nghiệm năm 2026\n", "  title: *title\n")),
        6, "-", "a *name refers to no &name",
    ),
    mistake("yaml-alias-bomb", VALID + alias_bomb(), END + 6, "-", "repeat too much text"),
    mistake("yaml-recursive-alias", VALID + "x-self: &me [1, *me]\n", END + 1, "-", "inside"),
    mistake(
        "yaml-nested-1000-levels",
        VALID + "x-deep: " + "[" * 1000 + "]" * 1000 + "\n",
        END + 1,
        "-",
        "nested more than 64 levels",
    ),
    mistake(
        "yaml-raw-nul",
        edited(("  title: Kế hoạch thử nghiệm năm 2026\n", "  title: Kế hoạch\x00 2026\n")),
        6, "-", "a character that a text file cannot hold",
    ),
    mistake(
        "yaml-escaped-nul",
        edited(("  title: Kế hoạch thử nghiệm năm 2026\n", '  title: "Kế hoạch\\0 2026"\n')),
        6, "-", "cannot be stored (NUL)",
    ),
    mistake(
        "yaml-escaped-lone-surrogate",
        edited(("  code: TN-2026\n", '  code: "TN-\\ud800"\n')),
        5, "-", "a lone surrogate",
    ),
    mistake("yaml-too-long", VALID + "#" * (2 << 20), 1, "-", "at most 2 MB"),
    # Longer than the database holds (PostgreSQL would refuse it at load)
    mistake(
        "organisation-name-over-255",
        edited(("name: Đảng bộ phường Thử Nghiệm,", f"name: {'Đ' * 256},")),
        3, "organisation.name", "at most 255 characters",
    ),
    mistake(
        "place-over-128",
        edited(("place: Thử Nghiệm}", f"place: {'T' * 129}}}")),
        3, "organisation.place", "at most 128 characters",
    ),
    mistake(
        "plan-number-over-32",
        edited(("  code: TN-2026\n", f"  code: TN-2026\n  number: '{'1' * 33}'\n")),
        6, "plan.number", "at most 32 characters",
    ),
    mistake(
        "plan-symbol-over-64",
        edited(("  code: TN-2026\n", f"  code: TN-2026\n  symbol: {'K' * 65}\n")),
        6, "plan.symbol", "at most 64 characters",
    ),
    mistake(
        "short-name-over-128",
        edited(("short_name: UBND Phường,", f"short_name: {'U' * 129},")),
        13, "units[UBND].short_name", "at most 128 characters",
    ),
    mistake(
        "head-title-over-128",
        edited(("head_title: Trưởng Ban}", f"head_title: {'T' * 129}}}")),
        12, "units[BXDD].head_title", "at most 128 characters",
    ),
    mistake(
        "target-unit-over-16",
        edited(("figure: 100, comparator", f"figure: 100, unit: {'x' * 17}, comparator")),
        55, "targets[I.2.4].unit", "at most 16 characters",
    ),
    mistake(
        "yaml-tab-indent",
        edited(("    section: VI.4\n", "\tsection: VI.4\n")),
        31, "-", "not valid YAML",
    ),
    mistake("empty-file", "", 1, "-", "the file must be a set of fields"),
    mistake(
        "top-level-is-a-list",
        "- ref: VI.2.1\n- ref: VI.4.1\n",
        1, "-", "the file must be a set of fields",
    ),
    mistake(
        "duplicate-yaml-key",
        edited(("    section: VI.4\n", "    section: VI.4\n    section: VI.4\n")),
        32, "responsibilities[VI.4.1].section", "appears twice",
    ),
    # The header
    mistake("missing-format", edited(("format: 1\n", "")), 2, "format", "is required"),
    mistake(
        "wrong-format-version",
        edited(("format: 1\n", "format: 3\n")),
        2, "format", "must be one of: 1 or 2",
    ),
    mistake(
        "missing-plan-title",
        edited(("  title: Kế hoạch thử nghiệm năm 2026\n", "")),
        4, "plan.title", "is required",
    ),
    mistake(
        "period-ends-before-it-starts",
        edited(("{start: 2026-01-01, end: 2026-12-31}", "{start: 2026-12-31, end: 2026-01-01}")),
        8, "plan.period.end", "ends before it starts",
    ),
    mistake(
        "report-due-day-32",
        edited(("day: 15,", "day: 32,")),
        10, "defaults.report_due.day", "must be at most 31",
    ),
    mistake(
        "report-due-month-4-of-a-quarter",
        edited(("month: 3,", "month: 4,")),
        10, "defaults.report_due.month", "must be at most 3",
    ),
    mistake(
        "report-due-time-25h",
        edited(('time: "17:00"', 'time: "25:00"')),
        10, "defaults.report_due.time", "is not a valid time",
    ),
    mistake(
        "negative-reminder-days",
        edited(("defaults:\n", "defaults:\n  reminders: {before_days: [7, -1]}\n")),
        10, "defaults.reminders.before_days[2]", "must be at least 0",
    ),
    # Units and groups
    mistake(
        "duplicate-unit-code",
        edited(("{code: CB2,", "{code: CB1,")),
        15, "units[CB1].code", "the code CB1 is used twice",
    ),
    mistake(
        "bad-unit-kind",
        edited(("kind: party_board", "kind: party_bored")),
        12, "units[BXDD].kind", "must be one of",
    ),
    mistake(
        "alias-naming-two-units",
        edited(
            (UNIT_CB1, UNIT_CB1 + " aliases: [Chi bộ 1],"),
            (UNIT_CB2, UNIT_CB2 + " aliases: [Chi bộ 1],"),
        ),
        15, "units[CB2].aliases[1]", "Chi bộ 1 already names the unit CB1",
    ),
    mistake(
        "group-member-unknown",
        edited(("members: [CB1, CB2]", "members: [CB1, CB3]")),
        17, "groups[TCD].members[2]", "CB3 is not a unit or group of this plan",
    ),
    mistake(
        "group-containing-a-group",
        edited((GROUP_TCD, GROUP_TCD + "  - {code: ALL, name: Tất cả, members: [TCD, UBND]}\n")),
        18, "groups[ALL].members[1]", "a group cannot contain another group (TCD)",
    ),
    # Responsibilities
    mistake(
        "misspelt-field",
        edited(("    coordinating: [BXDD, TCD]", "    cordinating: [BXDD, TCD]")),
        29, "responsibilities[VI.2.1].cordinating", "is not a known field",
    ),
    mistake(
        "unknown-unit-in-lead",
        edited(("    lead: [UBND]\n    coordinating", "    lead: [UBNDX]\n    coordinating")),
        28, "responsibilities[VI.2.1].lead[1]", "UBNDX is not a unit or group of this plan",
    ),
    mistake(
        "unknown-unit-in-coordinating",
        edited(("coordinating: [BXDD, TCD]", "coordinating: [BXDD, TCX]")),
        29, "responsibilities[VI.2.1].coordinating[2]", "TCX is not a unit or group of this plan",
    ),
    mistake(
        "unit-both-lead-and-coordinating",
        edited(("coordinating: [BXDD, TCD]", "coordinating: [BXDD, UBND Phường]")),
        29, "responsibilities[VI.2.1].coordinating[2]", "UBND already leads this responsibility",
    ),
    mistake(
        "missing-lead",
        edited(("    lead: [TCD]\n", "")),
        30, "responsibilities[VI.4.1].lead", "is required",
    ),
    mistake(
        "empty-lead-list",
        edited(("    lead: [TCD]\n", "    lead: []\n")),
        34, "responsibilities[VI.4.1].lead", "must not be empty",
    ),
    mistake(
        "duplicate-responsibility-ref",
        edited(("  - ref: VI.1.7\n", "  - ref: VI.1.5\n")),
        42, "responsibilities[VI.1.5].ref", "the ref VI.1.5 is used twice",
    ),
    mistake(
        "ref-with-a-space",
        edited(("  - ref: VI.1.7\n", "  - ref: VI 1.7\n")),
        42, "responsibilities[VI 1.7].ref", "(no spaces)",
    ),
    mistake(
        "section-not-listed",
        edited(("    section: VI.4\n", "    section: VI.9\n")),
        31, "responsibilities[VI.4.1].section", "VI.9 is not a section listed under sections",
    ),
    mistake(
        "empty-text",
        edited(("    text: Tổ chức hội nghị báo cáo viên.\n", '    text: ""\n')),
        45, "responsibilities[VI.1.7].text", "must not be empty",
    ),
    mistake(
        "responsibility-report-due-day-32",
        edited(("    lead: [BXDD]\n    cadence: {kind: once", "    lead: [BXDD]\n"
                "    report_due: {day: 32}\n    cadence: {kind: once")),
        47, "responsibilities[VI.1.7].report_due.day", "must be at most 31",
    ),
    # Cadences
    mistake(
        "impossible-date-30-february",
        edited(("due: 2026-02-10", "due: 2026-02-30")),
        47, "responsibilities[VI.1.7].cadence.due", "is not a date (YYYY-MM-DD",
    ),
    mistake(
        "impossible-quarter-Q5",
        edited(("quarters: [2026-Q1]", "quarters: [2026-Q5]")),
        35, "responsibilities[VI.4.1].cadence.quarters[1]", "is not a quarter",
    ),
    mistake(
        "quarter-outside-the-period",
        edited(("quarters: [2026-Q1]", "quarters: [2027-Q1]")),
        35, "responsibilities[VI.4.1].cadence.quarters[1]", "2027-Q1 is outside the plan's period",
    ),
    mistake(
        "once-due-outside-the-period",
        edited(("due: 2026-02-10", "due: 2027-02-10")),
        47, "responsibilities[VI.1.7].cadence.due", "2027-02-10 is outside the plan's period",
    ),
    mistake(
        "range-ends-before-it-starts",
        edited(("start: 2026-04-15, end: 2026-05-20", "start: 2026-05-20, end: 2026-04-15")),
        53, "responsibilities[VI.2.7].cadence.end", "ends before it starts",
    ),
    mistake(
        "unknown-cadence-kind",
        edited(("{kind: once, due: 2026-02-10}", "{kind: monthly, due: 2026-02-10}")),
        47, "responsibilities[VI.1.7].cadence", "monthly is not a known kind",
    ),
    mistake(
        "unknown-cadence-shorthand",
        edited(("    cadence: {kind: once, due: 2026-02-10}", "    cadence: monthly")),
        47, "responsibilities[VI.1.7].cadence", "monthly is not a known kind",
    ),
    mistake(
        "phase-with-both-due-and-quarter",
        edited(("quarter: 2026-Q2}", "quarter: 2026-Q2, due: 2026-06-01}")),
        41, "responsibilities[VI.1.5].cadence.phases[1]",
        "give only one of a due date, a quarter or an end",
    ),
    mistake(
        "phase-with-neither-due-nor-quarter",
        edited(("{name: Sơ kết 6 tháng, quarter: 2026-Q2}", "{name: Sơ kết 6 tháng}")),
        41, "responsibilities[VI.1.5].cadence.phases[1]", "give a due date, a quarter or an end",
    ),
    # Targets
    mistake(
        "figure-without-comparator",
        edited((', comparator: "="', "")),
        55, "targets[I.2.4]", "a figure and a comparator go together",
    ),
    mistake(
        "bad-comparator",
        edited(('comparator: "="', 'comparator: "=>"')),
        55, "targets[I.2.4].comparator", "must be one of",
    ),
    mistake(
        "figure-not-a-number",
        edited(("figure: 100", "figure: một trăm")),
        55, "targets[I.2.4].figure", "must be a number",
    ),
    mistake(
        "reported-in-unknown-responsibility",
        edited(("reported_in: [VI.4.1]", "reported_in: [VI.4.9]")),
        55, "targets[I.2.4].reported_in[1]", "VI.4.9 is not a responsibility of this plan",
    ),
    mistake(
        "milestone-outside-the-plan",
        edited(("reported_in: [VI.4.1]", "milestones: {2027-Q1: 50}, reported_in: [VI.4.1]")),
        55, "targets[I.2.4].milestones.2027-Q1", "2027-Q1 is outside the plan's period",
    ),
    mistake(
        "milestone-not-a-number",
        edited(("reported_in: [VI.4.1]", "milestones: {2026-Q2: nửa}, reported_in: [VI.4.1]")),
        55, "targets[I.2.4].milestones.2026-Q2", "must be a number",
    ),
    mistake(
        "negative-margin",
        edited(("reported_in: [VI.4.1]", "at_risk_within: -1, reported_in: [VI.4.1]")),
        55, "targets[I.2.4].at_risk_within", "must be at least 0",
    ),
    mistake(
        "baseline-without-figure",
        edited((', figure: 100, comparator: "="', ", baseline: 40")),
        55, "targets[I.2.4].baseline", "need a figure",
    ),
]  # fmt: skip


def test_the_test_plan_itself_is_valid():
    """Does every case below start from a plan with no mistakes?"""
    plan = parse_plan(VALID, "plan.yaml")
    assert [r["ref"] for r in plan["responsibilities"]] == [
        "VI.2.1", "VI.4.1", "VI.1.5", "VI.1.7", "VI.2.7"]  # fmt: skip


@pytest.mark.parametrize(("text", "line", "field", "phrase"), MISTAKES)
def test_a_mistake_is_reported_at_its_line_and_field(text, line, field, phrase):
    """Where is the mistake, in which field, and what is wrong with it?"""
    problems = problems_of(text)
    matching = [
        p
        for p in problems
        if p.format().startswith(f"plan.yaml:{line}: {field}: ") and phrase in p.format()
    ]
    assert matching, f"expected plan.yaml:{line}: {field}: ...{phrase}..., got:\n{listed(problems)}"


def test_a_backwards_period_is_one_mistake_not_one_per_date():
    """When the period's end comes before its start, is that the only thing the author is told?

    Every dated cadence is then "outside the plan's period (2026-12-31 to 2026-01-01)", which
    points at lines that are right; the author should be sent to line 8 alone.
    """
    text = edited(("{start: 2026-01-01, end: 2026-12-31}", "{start: 2026-12-31, end: 2026-01-01}"))
    problems = problems_of(text)
    assert [(p.line, p.field) for p in problems] == [(8, "plan.period.end")], listed(problems)


def test_several_shape_mistakes_are_all_reported_in_line_order():
    """Does one run name every mistake of the file's shape, from top to bottom?"""
    text = edited(
        ("due: 2026-02-10", "due: 2026-02-30"),  # line 47
        ("    lead: [TCD]\n", "    lead: []\n"),  # line 34
        ("day: 15,", "day: 32,"),  # line 10
        ("    coordinating: [BXDD, TCD]", "    cordinating: [BXDD, TCD]"),  # line 29
    )
    problems = problems_of(text)
    assert [(p.line, p.field) for p in problems] == [
        (10, "defaults.report_due.day"),
        (29, "responsibilities[VI.2.1].cordinating"),
        (34, "responsibilities[VI.4.1].lead"),
        (47, "responsibilities[VI.1.7].cadence.due"),
    ], listed(problems)


def test_several_cross_reference_mistakes_are_all_reported_in_line_order():
    """Does one run name every unknown unit, section, ref and out-of-period date?"""
    text = edited(
        ("reported_in: [VI.4.1]", "reported_in: [VI.4.9]"),  # line 55
        ("due: 2026-02-10", "due: 2027-02-10"),  # line 47
        ("    lead: [TCD]\n", "    lead: [TCX]\n"),  # line 34
        ("    section: VI.2\n    title: Cung", "    section: VI.9\n    title: Cung"),  # line 25
    )
    problems = problems_of(text)
    assert [(p.line, p.field) for p in problems] == [
        (25, "responsibilities[VI.2.1].section"),
        (34, "responsibilities[VI.4.1].lead[1]"),
        (47, "responsibilities[VI.1.7].cadence.due"),
        (55, "targets[I.2.4].reported_in[1]"),
    ], listed(problems)


def windows_1258(text: str) -> bytes:
    """``text`` as Windows-1258 stores Vietnamese: letters like â, ư, đ whole, tones apart."""
    tones = "\u0300\u0301\u0303\u0309\u0323"
    letters = []
    for letter in unicodedata.normalize("NFC", text):
        marks = unicodedata.normalize("NFD", letter)
        base = unicodedata.normalize("NFC", "".join(m for m in marks if m not in tones))
        letters.append(base + "".join(m for m in marks if m in tones))
    return "".join(letters).encode("cp1258")


def test_a_file_that_is_not_utf8_is_refused_clearly(tmp_path):
    """What does the author of a plan saved in Windows-1258 (not UTF-8) see?"""
    path = tmp_path / "ke-hoach.yaml"
    path.write_bytes(windows_1258(VALID))
    with pytest.raises(PlanInvalid) as raised:
        read_plan(path)
    [problem] = raised.value.problems
    assert problem.format().startswith(f"{path}:")
    assert "not UTF-8" in problem.format()


def test_the_problems_name_the_file_given():
    """Is each problem located in the file that was read, under the name given to it?"""
    problems = problems_of(edited(("day: 15,", "day: 32,")), "definitions/ward.yaml")
    assert [p.format()[: len("definitions/ward.yaml:10: ")] for p in problems] == [
        "definitions/ward.yaml:10: "
    ]


def test_an_unquoted_time_is_a_time_not_a_number():
    """YAML 1.1 reads 17:00 as the number 1020; is a plan's unquoted 17:00 still five o'clock?"""
    plan = parse_plan(edited(('time: "17:00"', "time: 17:00")), "plan.yaml")
    assert plan["defaults"]["report_due"]["time"] == "17:00"


def test_a_plan_at_every_column_limit_validates_and_loads(load, tmp_path):
    """The limits are the columns' own: text exactly as long as each column holds loads, on
    SQLite and on PostgreSQL (which refuses a character more)."""
    text = edited(
        ("name: Đảng bộ phường Thử Nghiệm,", f"name: {'Đ' * 255},"),
        ("place: Thử Nghiệm}", f"place: {'T' * 128}}}"),
        ("  code: TN-2026\n", f"  code: TN-2026\n  number: '{'1' * 32}'\n  symbol: {'K' * 64}\n"),
        ("short_name: UBND Phường,", f"short_name: {'U' * 128},"),
        ("head_title: Trưởng Ban}", f"head_title: {'T' * 128}}}"),
        ("figure: 100, comparator", f"figure: 100, unit: {'x' * 16}, comparator"),
    )
    path = tmp_path / "limits.yaml"
    path.write_text(text, encoding="utf-8")
    organisation = load(path)
    assert organisation.name == "Đ" * 255 and organisation.place == "T" * 128
