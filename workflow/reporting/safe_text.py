"""Stored text made safe for the files the program writes, whatever a person typed.

Every writer (the .docx report, the spreadsheets, the CSV, the calendar feed, the email headers)
passes text through here, so one unit head's stray control character cannot break the quarterly
report for everyone, a line break in a name cannot stop an email, and no cell of a spreadsheet
can run as a formula in the office's Excel.
"""

from __future__ import annotations

import re

# What XML 1.0 cannot hold (.docx and .xlsx are XML): C0 controls but tab, line feed and
# carriage return; lone surrogates; U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# A cell starting with one of these is read as a formula by Excel or LibreOffice (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def xml_safe(text: str) -> str:
    """``text`` without the characters XML cannot hold (dropped: they carry no meaning)."""
    return _NOT_XML.sub("", text)


def one_line(text: str) -> str:
    """``text`` for an email header: XML-safe, and every line break (``\\n``, ``\\r``, and the
    vertical tab Word's line breaks paste as, which Python's email counts as line ends too)
    a space."""
    return xml_safe(" ".join(text.splitlines()))


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def csv_safe(text: str) -> str:
    """``text`` for a CSV cell: a leading ``'`` where Excel would otherwise run a formula."""
    text = xml_safe(text)
    return f"'{text}" if looks_like_formula(text) else text
