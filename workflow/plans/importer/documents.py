"""Reading a plan's document as the office has it (.docx, Word's web page, plain text, text
PDF) into blocks: one paragraph or one table row each, in the document's order.

What kind of file it is comes from its bytes, not its name, so that a ``.doc`` renamed
``.docx`` or a scanned PDF gets a message that says what to do instead of a traceback."""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass

from workflow.errors import InvalidInput
from workflow.i18n import N_

# Plans are a few dozen pages; a file far larger is not a plan (or is mostly pictures).
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


class DocumentUnreadable(InvalidInput):
    """The file is not a document Giao Việc can read; the message says what to do."""

    code = "document_unreadable"
    message = N_("The document cannot be read.")


@dataclass(frozen=True)
class Block:
    """A paragraph (``cells`` empty) or a table row (``text`` its cells joined).

    ``wrapped`` marks text whose lines are hard-wrapped (plain text, PDF): a line break there is
    not a new paragraph. ``line`` is where the block starts in the source (its line in a text
    file, its number among the paragraphs and table rows of a Word document or web page),
    for pointing a person at it."""

    text: str
    line: int
    cells: tuple[str, ...] = ()
    wrapped: bool = False


@dataclass(frozen=True)
class Document:
    """The blocks of a document and the kind it was read as (docx, html, text, pdf)."""

    kind: str
    blocks: tuple[Block, ...]


def read_document(data: bytes) -> Document:
    """The blocks of a document given as its bytes; ``DocumentUnreadable`` when it is not one."""
    if not data.strip():
        raise DocumentUnreadable(N_("The file is empty."))
    if len(data) > MAX_DOCUMENT_BYTES:
        raise DocumentUnreadable(
            N_("The file is larger than %(limit)s MB: it cannot be a plan's text."),
            limit=MAX_DOCUMENT_BYTES // (1024 * 1024),
        )
    if data.startswith(b"PK"):
        return Document("docx", _docx(data))
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise DocumentUnreadable(
            N_(
                "This is a Word 97-2003 document (.doc). Open it in Word or LibreOffice and save "
                "it as .docx, then import that file."
            )
        )
    if data.lstrip().startswith(b"%PDF"):
        return Document("pdf", _pdf(data))
    text = _decode(data)
    if re.search(r"<(html|body|p|div|table)[\s>]", text[:4000], re.IGNORECASE):
        return Document("html", _html(data))
    if _looks_binary(text):
        raise DocumentUnreadable(_NOT_A_DOCUMENT)
    return Document("text", _lines(text))


_NOT_A_DOCUMENT = N_(
    "This file is not a document Giao Việc can read. Import the plan as .docx, a web page "
    "saved from Word (.htm), plain text (.txt) or a PDF with text."
)


def clean(text: str) -> str:
    """Composed Unicode (Vietnamese typed on different keyboards differs otherwise), no
    non-breaking or zero-width spaces, one space between words."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\u00a0", " ").replace("\u200b", "").replace("\ufeff", "")
    return re.sub(r"[ \t\f\v]+", " ", text).strip()


def _decode(data: bytes) -> str:
    for bom, encoding in (
        (b"\xef\xbb\xbf", "utf-8-sig"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(encoding)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        if data[:4000].count(b"\x00") or not re.search(rb"<(html|p)[\s>]", data[:4000], re.I):
            raise DocumentUnreadable(
                N_(
                    "The text is not in UTF-8. Save it again as UTF-8 text (in Notepad: Save "
                    "as, Encoding: UTF-8), or import the .docx."
                )
            ) from None
        return data.decode("utf-8", errors="replace")


def _looks_binary(text: str) -> bool:
    sample = text[:4000]
    controls = sum(1 for c in sample if unicodedata.category(c) == "Cc" and c not in "\n\r\t\f")
    return controls > len(sample) / 100


def _lines(text: str) -> tuple[Block, ...]:
    return tuple(
        Block(clean(line), number, wrapped=True)
        for number, line in enumerate(text.splitlines(), start=1)
    )


def _pdf(data: bytes) -> tuple[Block, ...]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise DocumentUnreadable(
                N_("The PDF is protected by a password. Import an unprotected copy or the .docx.")
            )
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, OSError):
        raise DocumentUnreadable(N_("The PDF is damaged and cannot be read.")) from None
    letters = sum(1 for page in pages for c in page if c.isalpha())
    if letters < 20 * max(len(pages), 1):
        raise DocumentUnreadable(
            N_(
                "This PDF holds pictures of pages (a scan) and no text. Import the .docx or a "
                "PDF exported from Word; a scan has to be typed or recognised (OCR) first."
            )
        )
    return _lines("\n\n".join(pages))


def _docx(data: bytes) -> tuple[Block, ...]:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        raise DocumentUnreadable(N_("The .docx file is damaged and cannot be read.")) from None
    if "word/document.xml" not in names:
        raise DocumentUnreadable(
            N_(
                "This file is not a Word document (it may be a spreadsheet or an OpenDocument "
                "file). Save the plan as .docx and import that file."
            )
        )
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile):
        raise DocumentUnreadable(N_("The .docx file is damaged and cannot be read.")) from None
    numbers = _ListNumbers(document)
    blocks: list[Block] = []
    for item in document.iter_inner_content():
        if hasattr(item, "rows"):
            rows = [cells for cells in _table_rows(item) if any(cells)]
            blocks += [
                Block(" | ".join(cells), len(blocks) + n, cells)
                for n, cells in enumerate(rows, start=1)
            ]
        elif text := clean(item.text):
            blocks.append(Block(numbers.prefix(item) + text, len(blocks) + 1))
    return tuple(blocks)


def _table_rows(table) -> list[tuple[str, ...]]:
    """Each row's cells, a merged cell once (python-docx repeats it across its span)."""
    rows = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            cells.append(clean("\n".join(p.text for p in cell.paragraphs)))
        rows.append(tuple(cells))
    return rows


class _ListNumbers:
    """The marker Word draws before a paragraph of an automatic list ("-", "1.", "a)"): it is
    not in the paragraph's text, and the outline needs it."""

    def __init__(self, document) -> None:
        self.levels: dict[tuple[str, str], str] = {}
        self.counters: dict[tuple[str, str], int] = {}
        try:
            numbering = document.part.numbering_part.element
        except (NotImplementedError, KeyError):
            return
        ns = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
        w = "{" + ns["w"] + "}"
        abstract = {}
        for item in numbering.findall("w:abstractNum", ns):
            formats = {}
            for level in item.findall("w:lvl", ns):
                fmt = level.find("w:numFmt", ns)
                formats[level.get(w + "ilvl")] = fmt.get(w + "val") if fmt is not None else ""
            abstract[item.get(w + "abstractNumId")] = formats
        for num in numbering.findall("w:num", ns):
            ref = num.find("w:abstractNumId", ns)
            for ilvl, fmt in abstract.get(
                ref.get(w + "val") if ref is not None else "", {}
            ).items():
                self.levels[(num.get(w + "numId"), ilvl)] = fmt

    def prefix(self, paragraph) -> str:
        numbering = _numbering_of(paragraph)
        if numbering is None or numbering.numId is None or not self.levels:
            return ""
        level = numbering.ilvl.val if numbering.ilvl is not None else 0
        key = (str(numbering.numId.val), str(level))
        fmt = self.levels.get(key, "")
        if fmt == "bullet":
            return "- "
        if fmt not in _LIST_FORMATS:
            return ""
        self.counters[key] = self.counters.get(key, 0) + 1
        return _LIST_FORMATS[fmt](self.counters[key]) + " "


_LIST_FORMATS = {
    "decimal": lambda n: f"{n}.",
    "lowerLetter": lambda n: f"{chr(96 + min(n, 26))})",
    "upperRoman": lambda n: _roman(n) + ".",
}


def _numbering_of(paragraph):
    """The list a paragraph belongs to: its own, or its style's ("List Bullet")."""
    properties = paragraph._p.pPr
    if properties is not None and properties.numPr is not None:
        return properties.numPr
    style = paragraph.style
    while style is not None:
        properties = style.element.pPr
        if properties is not None and properties.numPr is not None:
            return properties.numPr
        style = style.base_style
    return None


def _roman(number: int) -> str:
    result = ""
    for value, letters in ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while number >= value:
            result, number = result + letters, number - value
    return result


_HTML_BLOCKS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "div", "tr")


def _html(data: bytes) -> tuple[Block, ...]:
    """Word's "web page" export: paragraphs are ``<p class=MsoNormal>``, list markers are spans
    of their own, tables are tables. A block inside another block is read with it."""
    import lxml.html

    try:
        root = lxml.html.document_fromstring(data)
    except (ValueError, lxml.etree.ParserError):
        raise DocumentUnreadable(_NOT_A_DOCUMENT) from None
    for dropped in root.xpath("//script|//style|//head"):
        dropped.drop_tree()
    blocks: list[Block] = []
    for element in root.iter(*_HTML_BLOCKS):
        number = len(blocks) + 1
        inside = element.xpath(
            "ancestor::p|ancestor::li|ancestor::h1|ancestor::h2|ancestor::h3"
            "|ancestor::h4|ancestor::h5|ancestor::h6|ancestor::td"
        )
        if element.tag == "tr":
            cells = tuple(_html_cell(c) for c in element if c.tag in ("td", "th"))
            if any(cells):
                blocks.append(Block(" | ".join(cells), number, cells))
        elif not inside and not (element.tag == "div" and element.xpath(".//p|.//div|.//table")):
            text = _one_line(element.text_content())
            if text:
                blocks.append(Block(text, number))
    return tuple(blocks)


def _one_line(text: str) -> str:
    """HTML's line breaks inside a paragraph are spaces."""
    return clean(" ".join(text.split()))


def _html_cell(cell) -> str:
    """A table cell's paragraphs, one line each (as a .docx cell is read)."""
    parts = [_one_line(p.text_content()) for p in cell.xpath(".//p")]
    return "\n".join(p for p in parts if p) or _one_line(cell.text_content())
