"""Writes the test plans as Word documents, the way a ward office lays them out: the header as a
two-column table, headings typed with their numbers, duties as typed dashes or Word bullets, a
task table, and "Nơi nhận" beside the signature in a table.

The .docx files are committed; run ``python tests/plans/documents/build.py`` after changing
the text here, and update the expected plan files beside them."""

from __future__ import annotations

from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

HERE = Path(__file__).parent

STATE_MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"


def _document() -> docx.Document:
    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    return document


def _header(document, left: list[str], right: list[str]) -> None:
    table = document.add_table(rows=1, cols=2)
    for cell, lines in zip(table.rows[0].cells, (left, right), strict=True):
        cell.paragraphs[0].text = lines[0]
        for line in lines[1:]:
            cell.add_paragraph(line)
        for paragraph in cell.paragraphs:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _title(document, title: str) -> None:
    for line in ("KẾ HOẠCH", title):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run(line).bold = True


def _heading(document, text: str) -> None:
    document.add_paragraph().add_run(text).bold = True


def _paragraphs(document, *texts: str, style: str | None = None) -> None:
    for text in texts:
        document.add_paragraph(text, style=style)


def _closing(document, recipients: list[str], signature: list[str]) -> None:
    table = document.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    left.paragraphs[0].add_run("Nơi nhận:").bold = True
    for recipient in recipients:
        left.add_paragraph(f"- {recipient}")
    right.paragraphs[0].text = signature[0]
    for line in signature[1:]:
        right.add_paragraph(line)


def administrative_reform() -> docx.Document:
    """A People's Committee plan whose tasks are a table (state layout, "Số: 45/KH-UBND")."""
    document = _document()
    _header(
        document,
        ["ỦY BAN NHÂN DÂN", "PHƯỜNG TÂN LẬP", "", "Số: 45/KH-UBND"],
        [STATE_MOTTO, "", "Tân Lập, ngày 12 tháng 01 năm 2026"],
    )
    _title(document, "Cải cách hành chính năm 2026 trên địa bàn phường Tân Lập")
    _paragraphs(
        document,
        "Căn cứ Kế hoạch số 310/KH-UBND ngày 20/12/2025 của UBND Thành phố về cải cách hành "
        "chính năm 2026;",
        "Căn cứ tình hình thực tế của địa phương, Ủy ban nhân dân phường Tân Lập ban hành Kế "
        "hoạch cải cách hành chính năm 2026 như sau:",
    )
    _heading(document, "I. MỤC ĐÍCH, YÊU CẦU")
    _heading(document, "1. Mục đích")
    _paragraphs(
        document,
        "- Nâng cao chất lượng giải quyết thủ tục hành chính, lấy sự hài lòng của người dân, "
        "doanh nghiệp làm thước đo.",
    )
    _heading(document, "2. Mục tiêu cụ thể")
    _paragraphs(
        document,
        "- 100% thủ tục hành chính thuộc thẩm quyền của phường được công khai đầy đủ, đúng quy "
        "định.",
        "- Tỷ lệ hồ sơ giải quyết đúng hạn đạt trên 98%.",
        "- Không dưới 80% hồ sơ được tiếp nhận, giải quyết trực tuyến toàn trình.",
    )
    _heading(document, "II. NHIỆM VỤ, GIẢI PHÁP")
    _paragraphs(document, "Các nhiệm vụ cụ thể được phân công theo bảng sau:")
    rows = [
        (
            "STT",
            "Nội dung nhiệm vụ",
            "Đơn vị chủ trì",
            "Đơn vị phối hợp",
            "Thời gian hoàn thành",
            "Sản phẩm",
        ),
        (
            "I",
            "Cải cách thể chế",
            "",
            "",
            "",
            "",
        ),
        (
            "1",
            "Rà soát các văn bản quy phạm pháp luật do HĐND, UBND phường ban hành; kiến nghị "
            "sửa đổi, bãi bỏ văn bản không còn phù hợp",
            "Công chức Tư pháp - Hộ tịch",
            "Văn phòng HĐND - UBND phường",
            "Quý II/2026",
            "Báo cáo kết quả rà soát",
        ),
        (
            "2",
            "Tổ chức phổ biến các văn bản pháp luật mới về thủ tục hành chính cho cán bộ, "
            "công chức",
            "Công chức Tư pháp – Hộ tịch",
            "",
            "Trước ngày 30/6/2026",
            "Hội nghị phổ biến",
        ),
        (
            "II",
            "Cải cách thủ tục hành chính",
            "",
            "",
            "",
            "",
        ),
        (
            "3",
            "Niêm yết công khai thủ tục hành chính tại Bộ phận Một cửa và trên Cổng thông tin"
            " điện tử phường",
            "Bộ phận Một cửa",
            "Văn phòng HĐND - UBND phường",
            "Thường xuyên",
            "Danh mục thủ tục được niêm yết",
        ),
        (
            "4",
            "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính còn hiệu lực",
            "Bộ phận Một cửa",
            "Công an phường",
            "Từ tháng 3/2026 đến tháng 9/2026",
            "Hồ sơ được số hóa",
        ),
        (
            "5",
            "Tổ chức đối thoại với Nhân dân, doanh nghiệp về giải quyết thủ tục hành chính",
            "Chủ tịch UBND phường",
            "Uỷ ban MTTQ Việt Nam phường; các tổ chức chính trị - xã hội phường",
            "17 giờ 00, ngày 15/10/2026",
            "Biên bản hội nghị đối thoại",
        ),
        (
            "III",
            "Chuyển đổi số trong hoạt động của chính quyền",
            "",
            "",
            "",
            "",
        ),
        (
            "6",
            "Hướng dẫn người dân sử dụng dịch vụ công trực tuyến, thanh toán không dùng tiền mặt",
            "Tổ công nghệ số cộng đồng",
            "Đoàn Thanh niên phường",
            "Quý I, II/2026",
            "Báo cáo kết quả hướng dẫn",
        ),
        (
            "7",
            "Khảo sát mức độ hài lòng của người dân đối với sự phục vụ của cơ quan hành chính",
            "Văn phòng HĐND-UBND phường",
            "Bộ phận Một cửa",
            "Dự kiến tháng 11/2026",
            "Báo cáo kết quả khảo sát",
        ),
    ]
    table = document.add_table(rows=len(rows), cols=6)
    table.style = "Table Grid"
    for row, values in zip(table.rows, rows, strict=True):
        if values[1] and not any(values[2:]):
            merged = row.cells[1].merge(row.cells[5])
            row.cells[0].text = values[0]
            merged.text = values[1]
            continue
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    _heading(document, "III. TỔ CHỨC THỰC HIỆN")
    _heading(document, "1. Văn phòng HĐND - UBND phường")
    _paragraphs(
        document,
        "Tham mưu UBND phường theo dõi, đôn đốc việc thực hiện Kế hoạch; tổng hợp, báo cáo kết "
        "quả cải cách hành chính hằng quý.",
        style="List Bullet",
    )
    _heading(
        document, "2. Đề nghị Ủy ban MTTQ Việt Nam phường và các tổ chức chính trị - xã hội phường"
    )
    _paragraphs(
        document,
        "- Tuyên truyền, vận động đoàn viên, hội viên và Nhân dân sử dụng dịch vụ công trực "
        "tuyến; giám sát việc giải quyết thủ tục hành chính tại phường.",
    )
    _paragraphs(
        document,
        "Trên đây là Kế hoạch cải cách hành chính năm 2026 của UBND phường Tân Lập; đề nghị các "
        "đơn vị nghiêm túc triển khai thực hiện./.",
    )
    _closing(
        document,
        [
            "UBND Thành phố;",
            "Thường trực Đảng ủy phường;",
            "Các đơn vị thuộc UBND phường;",
            "Lưu: VT.",
        ],
        ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "", "", "Trần Văn Hùng"],
    )
    return document


def election() -> docx.Document:
    """An election committee's communication plan: an election day, đợt with their dates,
    duties of positions with their holders, deadlines counted from the election day, a
    group named later, and slogans."""
    document = _document()
    _header(
        document,
        ["ỦY BAN BẦU CỬ", "PHƯỜNG TÂN LẬP", "", "Số: 03/KH-UBBC"],
        [STATE_MOTTO, "", "Tân Lập, ngày 05 tháng 01 năm 2026"],
    )
    _title(
        document,
        "Tuyên truyền cuộc bầu cử đại biểu Quốc hội khóa XVI và đại biểu Hội đồng nhân dân các "
        "cấp nhiệm kỳ 2026 - 2031 trên địa bàn phường Tân Lập",
    )
    _paragraphs(
        document,
        "Thực hiện Kế hoạch số 12/KH-UBBC ngày 28/12/2025 của Ủy ban bầu cử Thành phố về công "
        "tác thông tin, tuyên truyền cuộc bầu cử,",
        "Ủy ban bầu cử phường Tân Lập ban hành Kế hoạch tuyên truyền như sau:",
    )
    _heading(document, "I. MỤC ĐÍCH, YÊU CẦU")
    _paragraphs(
        document,
        "Tuyên truyền sâu rộng để cử tri hiểu rõ quyền và nghĩa vụ của mình; bảo đảm cuộc bầu "
        "cử diễn ra dân chủ, đúng pháp luật, an toàn, tiết kiệm.",
        "Ngày bầu cử: Chủ nhật, ngày 15 tháng 3 năm 2026.",
    )
    _heading(document, "II. NỘI DUNG, HÌNH THỨC TUYÊN TRUYỀN")
    _heading(document, "1. Tuyên truyền trên hệ thống truyền thanh")
    _paragraphs(
        document,
        "- Phát các tin, bài về ý nghĩa, tầm quan trọng của cuộc bầu cử; quyền và nghĩa vụ của "
        "cử tri; tiểu sử tóm tắt của những người ứng cử.",
        "Đơn vị thực hiện: Đài Truyền thanh phường.",
        "Chỉ đạo: Đồng chí Nguyễn Văn An, Phó Chủ tịch UBND phường - Trưởng Tiểu ban Tuyên truyền.",
        "Tham gia: Đoàn Thanh niên phường.",
        "Thời gian thực hiện: từ ngày 05/01/2026 đến 17 giờ 00, ngày 14/3/2026.",
    )
    _heading(document, "2. Tuyên truyền trực quan")
    _paragraphs(
        document,
        "- Treo băng rôn, khẩu hiệu, pa nô, áp phích tại trụ sở, các tuyến phố chính và khu "
        "vực bỏ phiếu.",
        "Đơn vị thực hiện: Công chức Văn hóa - Xã hội.",
        "Đơn vị phối hợp: Các tổ dân phố.",
        "Thời gian hoàn thành: chậm nhất trước ngày bầu cử 20 ngày.",
    )
    _heading(document, "III. CÁC ĐỢT TUYÊN TRUYỀN")
    _heading(document, "1. Đợt 1: từ ngày 05/01/2026 đến ngày 04/02/2026")
    _paragraphs(
        document,
        "Tuyên truyền về ý nghĩa của cuộc bầu cử, các văn bản pháp luật về bầu cử, quy trình "
        "hiệp thương, giới thiệu người ứng cử.",
    )
    _heading(document, "2. Đợt 2: từ ngày 05/02/2026 đến ngày 14/3/2026")
    _paragraphs(
        document,
        "Tuyên truyền danh sách chính thức những người ứng cử; hướng dẫn cử tri thể thức bỏ "
        "phiếu; vận động cử tri đi bỏ phiếu đầy đủ.",
    )
    _heading(document, "IV. TỔ CHỨC THỰC HIỆN")
    _heading(
        document,
        "1. Đồng chí Nguyễn Văn An, Phó Chủ tịch UBND phường - Trưởng Tiểu ban Tuyên truyền",
    )
    _paragraphs(
        document,
        "- Chỉ đạo chung công tác tuyên truyền bầu cử trên địa bàn phường; chỉ đạo thực hiện "
        "tuyên truyền theo từng đợt.",
        "- Phân công nhiệm vụ cho các thành viên Tiểu ban, hoàn thành trước ngày 10/01/2026.",
    )
    _heading(document, "2. Công chức Văn hóa - Xã hội")
    _paragraphs(
        document,
        "- Tham mưu biên soạn đề cương, tài liệu tuyên truyền cung cấp cho các tổ dân phố, hoàn "
        "thành trong tháng 01/2026.",
        "- Tổng hợp, báo cáo kết quả công tác tuyên truyền gửi Ủy ban bầu cử phường chậm nhất "
        "sau ngày bầu cử 5 ngày.",
    )
    _heading(document, "3. Các đồng chí Phó Chủ tịch UBND phường")
    _paragraphs(
        document,
        "- Theo dõi, đôn đốc công tác tuyên truyền tại các tổ dân phố được phân công phụ trách; "
        "báo cáo Trưởng Tiểu ban dự kiến tháng 02/2026.",
    )
    _heading(document, "4. Đề nghị Ủy ban MTTQ Việt Nam phường")
    _paragraphs(
        document,
        "- Phối hợp với Công chức Văn hóa - Xã hội tổ chức hội nghị cử tri, tuyên truyền vận "
        "động Nhân dân tham gia bầu cử, hoàn thành trước ngày 01/3/2026.",
    )
    _heading(document, "V. KHẨU HIỆU TUYÊN TRUYỀN")
    _paragraphs(
        document,
        "Bầu cử đại biểu Quốc hội và đại biểu Hội đồng nhân dân là quyền và nghĩa vụ của công dân!",
        "Toàn dân tích cực tham gia bầu cử!",
        style="List Bullet",
    )
    _closing(
        document,
        [
            "Ủy ban bầu cử Thành phố;",
            "Thường trực Đảng ủy phường;",
            "Thành viên Tiểu ban;",
            "Lưu: VT.",
        ],
        ["TM. ỦY BAN BẦU CỬ", "CHỦ TỊCH", "", "", "Lê Văn Bình"],
    )
    return document


DOCUMENTS = {
    "tan-lap-cchc-2026.docx": administrative_reform,
    "tan-lap-bau-cu-2026.docx": election,
}


def main() -> None:
    for name, build in DOCUMENTS.items():
        document = build()
        document.core_properties.title = name
        document.save(HERE / name)
        print(HERE / name)


if __name__ == "__main__":
    main()
