"""Reading the plan's document as the office has it: Word, Word's web page, text, PDF; and a
clear refusal, in the user's language, for anything else."""

import io

import docx
import pytest
from pypdf import PdfWriter

from workflow.plans.importer.documents import DocumentUnreadable, read_document
from workflow.plans.importer.outline import outline, paragraphs

WORD_PAGE = """<html><head><meta charset="utf-8"><style>p {margin:0}</style></head><body>
<p class=MsoNormal align=center><b>KẾ HOẠCH</b></p>
<p class=MsoNormal>I. TỔ CHỨC THỰC HIỆN</p>
<p class=MsoNormal>1. Văn phòng Đảng ủy</p>
<p class=MsoListParagraph><span style='mso-list:Ignore'>-<span>&nbsp;&nbsp;&nbsp;</span></span>Tham
mưu tổng hợp báo cáo&nbsp;quý.</p>
<table><tr><td><p>STT</p></td><td><p>Nội dung</p></td><td><p>Đơn vị chủ trì</p></td></tr>
<tr><td><p>1</p></td><td><p>Rà soát văn bản</p></td><td><p>Công chức Tư pháp</p></td></tr></table>
</body></html>"""


def refusal(data: bytes) -> str:
    with pytest.raises(DocumentUnreadable) as refused:
        read_document(data)
    return refused.value.message


def word(*paragraphs_: str, style: str | None = None) -> bytes:
    document = docx.Document()
    for text in paragraphs_:
        document.add_paragraph(text, style=style)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_a_word_document_is_read_paragraph_by_paragraph_with_its_tables_in_order():
    document = docx.Document()
    document.add_paragraph("1. Văn phòng Đảng ủy")
    table = document.add_table(rows=2, cols=3)
    for cell, text in zip(table.rows[0].cells, ("STT", "Nội dung", "Đơn vị chủ trì"), strict=True):
        cell.text = text
    merged = table.rows[1].cells[1].merge(table.rows[1].cells[2])
    table.rows[1].cells[0].text, merged.text = "I", "Cải cách thể chế"
    document.add_paragraph("2. Công an phường")
    buffer = io.BytesIO()
    document.save(buffer)

    read = read_document(buffer.getvalue())

    assert read.kind == "docx"
    assert [(b.text, b.cells) for b in read.blocks] == [
        ("1. Văn phòng Đảng ủy", ()),
        ("STT | Nội dung | Đơn vị chủ trì", ("STT", "Nội dung", "Đơn vị chủ trì")),
        ("I | Cải cách thể chế", ("I", "Cải cách thể chế")),  # a merged cell once
        ("2. Công an phường", ()),
    ]


def test_words_automatic_bullets_are_read_as_the_dashes_they_show():
    """Word draws a "List Bullet" paragraph's dash itself; the text does not hold it."""
    read = read_document(word("Tham mưu tổng hợp", style="List Bullet"))
    assert [b.text for b in read.blocks] == ["- Tham mưu tổng hợp"]


def test_words_web_page_is_read_with_its_list_markers_and_tables():
    read = read_document(WORD_PAGE.encode("utf-8"))
    assert read.kind == "html"
    assert [b.text for b in read.blocks] == [
        "KẾ HOẠCH",
        "I. TỔ CHỨC THỰC HIỆN",
        "1. Văn phòng Đảng ủy",
        "- Tham mưu tổng hợp báo cáo quý.",
        "STT | Nội dung | Đơn vị chủ trì",
        "1 | Rà soát văn bản | Công chức Tư pháp",
    ]


def test_a_text_file_keeps_its_line_numbers_and_is_composed_unicode():
    # "Uỷ" typed with a combining hook above: the same letters as the composed form
    read = read_document("KẾ HOẠCH\n\nUy\u0309 ban nhân dân\n".encode())
    assert [(b.line, b.text, b.wrapped) for b in read.blocks] == [
        (1, "KẾ HOẠCH", True),
        (2, "", True),
        (3, "Uỷ ban nhân dân", True),
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "This is a Word 97-2003 document"),
        ("KẾ HOẠCH".encode("utf-16-le")[:-1] + b"\xff\xfe\x00\xd8", "The text is not in UTF-8"),
        (b"PK\x03\x04 not really a zip", "The .docx file is damaged"),
        (bytes(range(256)) * 8, "not in UTF-8"),
    ],
    ids=["empty", "word-97", "not-utf8", "broken-zip", "binary"],
)
def test_what_is_not_a_readable_document_is_refused_with_what_to_do(data, message):
    assert message in refusal(data)


def test_a_spreadsheet_is_not_taken_for_a_word_document():
    import openpyxl

    buffer = io.BytesIO()
    openpyxl.Workbook().save(buffer)
    assert refusal(buffer.getvalue()).startswith("This file is not a Word document")


def test_a_pdf_without_text_is_a_scan_and_says_so():
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    buffer = io.BytesIO()
    writer.write(buffer)
    assert refusal(buffer.getvalue()).startswith("This PDF holds pictures of pages (a scan)")


def test_a_damaged_pdf_is_refused():
    assert refusal(b"%PDF-1.7\n1 0 obj garbage") == "The PDF is damaged and cannot be read."


# the outline


def lines(text: str):
    return paragraphs(read_document(text.encode()).blocks)


def test_hard_wrapped_lines_join_and_a_wrapped_dash_or_year_does_not_start_a_paragraph():
    """A PDF's text breaks lines mid-sentence: "khoa học\\n- công nghệ" and "năm\\n2026." are
    still one sentence; a dash bullet after a sentence's end is a new one."""
    read = lines(
        "- Ứng dụng khoa học\n- công nghệ trong quản lý năm\n2026. Tiếp tục triển khai.\n"
        "- Tuyên truyền sâu rộng,\n- Phát huy vai trò.\n"
    )
    assert [(p.kind, p.text) for p in read] == [
        ("bullet", "Ứng dụng khoa học - công nghệ trong quản lý năm 2026. Tiếp tục triển khai."),
        ("bullet", "Tuyên truyền sâu rộng,"),
        ("bullet", "Phát huy vai trò."),
    ]


def test_headings_of_every_usual_shape_nest_with_refs_as_offices_cite_them():
    tree = outline(
        lines(
            "I. MỤC TIÊU\n\n1. Mục tiêu chung\n\n1.1. Nội dung\n\n1.2 Không có dấu chấm\n\n"
            "a) Tiểu mục\n\n(1) Ý thứ nhất\n\n+ Gạch đầu dòng cộng\n\n* Gạch sao\n\n"
            "II. TỔ CHỨC THỰC HIỆN\n\n2.1. Mục con\n"
        )
    )
    assert [(n.ref, n.title) for n in tree.walk() if n.heading] == [
        ("I", "MỤC TIÊU"),
        ("I.1", "Mục tiêu chung"),
        ("I.1.1", "Nội dung"),
        ("I.1.2", "Không có dấu chấm"),
        ("I.1.2.a", "Tiểu mục"),
        ("I.1.2.a.1", "Ý thứ nhất"),
        ("II", "TỔ CHỨC THỰC HIỆN"),
        ("II.2.1", "Mục con"),
    ]
    bullets = next(n for n in tree.walk() if n.ref == "I.1.2.a.1").paragraphs
    assert [(p.marker, p.text) for p in bullets] == [
        ("+", "Gạch đầu dòng cộng"),
        ("*", "Gạch sao"),
    ]


def test_a_wrapped_heading_title_is_joined():
    tree = outline(lines("IV. ĐỊNH HƯỚNG CÔNG TÁC THÔNG TIN\nTHEO TỪNG QUÝ\n\n1. Quý I/2026\n"))
    assert [n.title for n in tree.walk() if n.heading] == [
        "ĐỊNH HƯỚNG CÔNG TÁC THÔNG TIN THEO TỪNG QUÝ",
        "Quý I/2026",
    ]
