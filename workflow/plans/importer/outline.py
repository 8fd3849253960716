"""A document's blocks as an outline: paragraphs (hard-wrapped lines joined), each with its
marker, under the numbered headings of every usual shape (I., 1., 1.1., 1.1, a), (1)).

Bullets (-, +, *, •) are content, not headings: under "1. Ban Xây dựng Đảng" they are that
unit's duties. A numbered heading's ref is absolute within its Roman section, as offices cite
them: "2.2.1." under "II." is II.2.2.1."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from workflow.plans.importer.documents import Block

ROMAN = r"(?=[IVX])(?:X{0,3}(?:IX|IV|V?I{0,3}))"
_UPPER = r"[A-ZĐÀ-Ỹ“\"(]"  # an uppercase letter (or an opening quote) starts a heading's title
_TITLE = rf"\s*(?P<rest>{_UPPER}.*)$"
_HEADINGS = (
    ("roman", re.compile(rf"^(?P<marker>(?P<number>{ROMAN})\.)\s" + _TITLE)),
    ("number", re.compile(r"^(?P<marker>(?P<number>\d{1,2}(?:\.\d{1,2})*)\.)" + _TITLE)),
    ("number", re.compile(r"^(?P<marker>(?P<number>\d{1,2}(?:\.\d{1,2})+))\s" + _TITLE)),
    ("letter", re.compile(r"^(?P<marker>(?P<number>[a-zđ])[).])\s" + _TITLE)),
    ("paren", re.compile(r"^(?P<marker>\((?P<number>\d{1,2})\)|(?P<number2>\d{1,2})\))" + _TITLE)),
)
_BULLET = re.compile(r"^(?P<marker>[-–+*•●○■▪➢✓]|)\s*(?P<rest>\S.*)$")
_RULE = re.compile(r"^[-–—_*=.·]{3,}$")
# A label that opens its own paragraph: "Đơn vị thực hiện:", "Mục tiêu truyền thông:".
_LABEL = re.compile(
    r"^(?:Đơn vị|Cơ quan|Thời gian|Thời hạn|Kết quả|Sản phẩm|Mục tiêu|Nội dung|Hình thức|"
    r"Lãnh đạo|Người|Thành phần|Địa điểm|Nơi nhận|Chủ trì|Phối hợp)\b[^:]{0,40}:"
)
_ENDS_SENTENCE = re.compile(r"[.:;!?…,”\"/)]$")


@dataclass
class Paragraph:
    """One paragraph: ``kind`` is roman, number, letter, paren, bullet, plain, row or rule;
    ``number`` the heading's number as written ("2.2.1", "IV", "a"); ``text`` without the
    marker; ``line`` where it starts."""

    kind: str
    text: str
    line: int
    marker: str = ""
    number: str = ""
    cells: tuple[str, ...] = ()

    @property
    def is_heading(self) -> bool:
        return self.kind in ("roman", "number", "letter", "paren")

    @property
    def source(self) -> str:
        """The paragraph as the document writes it, marker included."""
        return f"{self.marker} {self.text}".strip() if self.marker else self.text


@dataclass
class Node:
    """A heading and what stands under it: its own paragraphs, then its sub-headings."""

    ref: str
    heading: Paragraph | None
    paragraphs: list[Paragraph] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.heading.text if self.heading else ""

    def walk(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            yield from child.walk()


def classify(text: str, line: int) -> Paragraph:
    """What a paragraph is, by its beginning."""
    if _RULE.match(text):
        return Paragraph("rule", text, line)
    for kind, pattern in _HEADINGS:
        match = pattern.match(text)
        if match:
            number = match.group("number") or match.groupdict().get("number2") or ""
            return Paragraph(kind, match.group("rest").strip(), line, match.group("marker"), number)
    match = _BULLET.match(text)
    if match and match.group("marker"):
        return Paragraph("bullet", match.group("rest").strip(), line, match.group("marker"))
    return Paragraph("plain", text, line)


def paragraphs(blocks: Iterable[Block]) -> list[Paragraph]:
    """The document's paragraphs: table rows as rows; hard-wrapped lines joined where a line
    continues the one before (a wrapped "- công nghệ" is not a bullet, a wrapped "2026." is not
    a heading)."""
    result: list[Paragraph] = []
    lines: list[str] = []
    start = 0

    def flush() -> None:
        nonlocal lines
        if lines:
            result.append(classify(_join(lines), start))
            lines = []

    for block in blocks:
        if block.cells:
            flush()
            result.append(Paragraph("row", block.text, block.line, cells=block.cells))
        elif not block.wrapped:
            flush()
            result.append(classify(block.text, block.line))
        elif not block.text:
            flush()
        elif not lines or _starts_paragraph(block.text, lines):
            flush()
            lines, start = [block.text], block.line
        else:
            lines.append(block.text)
    flush()
    return result


def _starts_paragraph(line: str, previous: list[str]) -> bool:
    """Whether a hard-wrapped ``line`` opens a paragraph rather than continue ``previous``."""
    first = classify(line, 0)
    if first.kind == "rule":
        return True
    if first.kind == "plain" and not _LABEL.match(line):
        return False
    joined = _join(previous)
    if _ENDS_SENTENCE.search(joined) or classify(joined, 0).is_heading:
        return True
    # A wrapped line may start with a dash ("khoa học\n- công nghệ"): a bullet's text starts
    # with a capital, a continuation does not.
    return first.kind == "bullet" and first.text[:1].isupper() and len(previous) == 1


def _join(lines: list[str]) -> str:
    text = ""
    for line in lines:
        # A word broken at a hyphen ("20-\nKH/BCĐ57") joins without a space.
        glue = "" if text.endswith("-") and line[:1].isupper() and text[-2:-1].isdigit() else " "
        text = f"{text}{glue}{line}" if text else line
    return text


def outline(items: list[Paragraph]) -> Node:
    """The heading tree of the paragraphs; what precedes the first heading stays at the root."""
    root = Node("", None)
    stack: list[tuple[tuple, Node]] = []  # (rank, node), the open headings from the top
    roman = ""
    for item in items:
        if not item.is_heading:
            (stack[-1][1] if stack else root).paragraphs.append(item)
            continue
        rank = _rank(item)
        while stack and stack[-1][0] >= rank:
            stack.pop()
        parent = stack[-1][1] if stack else root
        if item.kind == "roman":
            roman = item.number
            ref = item.number
        elif item.kind == "number":
            ref = f"{roman}.{item.number}" if roman else item.number
        else:
            ref = f"{parent.ref}.{item.number}" if parent.ref else item.number
        node = Node(ref, item)
        parent.children.append(node)
        stack.append((rank, node))
    return root


def _rank(item: Paragraph) -> tuple:
    """The depth of a heading: Roman, then numbers by their parts, then letters, then (1)."""
    if item.kind == "roman":
        return (0,)
    if item.kind == "number":
        return (1, item.number.count("."))
    if item.kind == "letter":
        return (2,)
    return (3,)
