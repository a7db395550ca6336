"""The document a committee signs (Hướng dẫn 36-HD/VPTW), read as its signer reads it:
the PDF by its text (pdftotext), the DOCX by its paragraphs, the XLSX by its headers.

Who signs is a member of the committee in office on the issue date, a deputy "K/T" the
head; no note of the software is printed; an area's report carries its own issue date;
the sections are those of the year-end reports (results, limitations with subjective and
objective causes, lessons, tasks, proposals), and a report is not sent without them."""

import datetime
import importlib
import io
import shutil
import subprocess

import pytest
from django.utils import timezone
from docx import Document as WordDocument
from openpyxl import load_workbook
from pypdf import PdfReader

from committees.models import CommitteeRole
from committees.platform.history import untracked_writes
from reports.charts import bar_chart_svg
from reports.documents import report_content, summary_content
from reports.models import AnnualReport, ReportingPeriod, ReportStatus, SummaryReport
from reports.office import render_docx, render_xlsx
from reports.pdf import render_report_pdf
from reports.services import report_start
from reports.signing import signature
from tests.conftest import DISTRICT_A, PROVINCE
from tests.factories import (
    REPORT_SECTIONS,
    MembershipFactory,
    SteeringCommitteeFactory,
    area,
    written,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def accepted_period(accepted_period_of_the_module, db):
    """The accepted year, made once for the module (tests/conftest.py)."""
    accepted_period_of_the_module.refresh_from_db()  # as the last test's rollback left it
    return accepted_period_of_the_module


SIGNED_ON = datetime.date(2024, 12, 19)


def pdftotext(pdf: bytes) -> str:
    """The PDF's text as poppler reads it (in reading order: the signature's column after
    "Nơi nhận"), whitespace folded."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    return " ".join(text.split())


def _committee(code=PROVINCE, structure="legacy", **fields):
    committee = SteeringCommitteeFactory(area=area(code, structure), **fields)
    seats = {}
    for name, role in (
        ("Đặng Xuân Phương", CommitteeRole.HEAD),
        ("Hoàng Văn Bình", CommitteeRole.STANDING_DEPUTY),
        ("Ngô Thị Mai", CommitteeRole.DEPUTY),
        ("Bùi Thanh Sơn", CommitteeRole.MEMBER),
    ):
        seats[role] = MembershipFactory(committee=committee, full_name=name, committee_role=role)
    return committee, seats


def _summary(period, **fields):
    return SummaryReport.objects.create(
        period=period, number="125-BC/BCĐ", issued_on=SIGNED_ON, **REPORT_SECTIONS, **fields
    )


def _form(text, **changes):
    data = {
        "version": text.version if text else 1,
        "number": "125-BC/BCĐ",
        "issued_on": SIGNED_ON.isoformat(),
        **REPORT_SECTIONS,
        "proposals": "Đề nghị Trung ương hướng dẫn mô hình hai cấp.",
        "recipients": "Ban Chỉ đạo Trung ương (để báo cáo)",
    }
    return data | changes


def test_a_standing_deputy_chosen_on_the_form_signs_k_t_the_head(
    login, provincial_staff, accepted_period
):
    _unused, seats = _committee()
    client = login(provincial_staff)
    url = f"/reports/periods/{accepted_period.pk}/summary/edit/"
    page = client.get(url).text
    for name in ("Đặng Xuân Phương — Trưởng ban", "Hoàng Văn Bình — Phó Trưởng ban thường trực"):
        assert name in page
    assert "Bùi Thanh Sơn" not in page  # a member does not sign for the committee
    deputy = seats[CommitteeRole.STANDING_DEPUTY]
    assert client.post(url, _form(None, signatory=deputy.pk)).status_code == 302
    text = SummaryReport.objects.get()
    assert (text.signer, text.signer_role) == ("Hoàng Văn Bình", "standing_deputy")
    pdf, _pages = render_report_pdf(summary_content(accepted_period))
    printed = pdftotext(pdf)
    assert "T/M BAN CHỈ ĐẠO K/T TRƯỞNG BAN PHÓ TRƯỞNG BAN THƯỜNG TRỰC" in printed
    assert "Hoàng Văn Bình" in printed and "Đặng Xuân Phương" not in printed
    # A deputy signs "K/T TRƯỞNG BAN / PHÓ TRƯỞNG BAN".
    client.post(url, _form(text, signatory=seats[CommitteeRole.DEPUTY].pk))
    printed = pdftotext(render_report_pdf(summary_content(accepted_period))[0])
    assert "K/T TRƯỞNG BAN PHÓ TRƯỞNG BAN Ngô Thị Mai" in printed
    assert "THƯỜNG TRỰC" not in printed


def test_without_a_choice_the_head_in_office_on_the_issue_date_signs(accepted_period):
    _committee()
    _summary(accepted_period)
    printed = pdftotext(render_report_pdf(summary_content(accepted_period))[0])
    assert "T/M BAN CHỈ ĐẠO TRƯỞNG BAN Đặng Xuân Phương" in printed
    assert "K/T" not in printed


def test_a_typed_name_never_prints_under_a_title_not_theirs(
    login, provincial_staff, accepted_period
):
    _unused, seats = _committee()
    seats[CommitteeRole.DEPUTY].term_end = datetime.date(2024, 10, 31)
    seats[CommitteeRole.DEPUTY].save()
    client = login(provincial_staff)
    url = f"/reports/periods/{accepted_period.pk}/summary/edit/"
    head_as_deputy = client.post(
        url, _form(None, signatory="typed", signer="Đặng Xuân Phương", signer_role="deputy")
    )
    assert head_as_deputy.status_code == 200
    assert "Đặng Xuân Phương là Trưởng ban của Ban Chỉ đạo" in head_as_deputy.text
    stranger = client.post(
        url, _form(None, signatory="typed", signer="Trần Văn Lạ", signer_role="head")
    )
    assert "Trần Văn Lạ không phải Trưởng ban hoặc Phó Trưởng ban" in stranger.text
    # Her seat ended on 31/10/2024: she does not sign on 19/12/2024.
    gone = client.post(url, _form(None, signatory=seats[CommitteeRole.DEPUTY].pk))
    assert "không giữ chức danh Trưởng ban hoặc Phó Trưởng ban vào ngày 19/12/2024" in gone.text
    assert not SummaryReport.objects.exists()
    # A name saved before the committee was recorded is not printed under another's title.
    _summary(accepted_period, signer="Trần Văn Lạ", signer_role="head")
    printed = pdftotext(render_report_pdf(summary_content(accepted_period))[0])
    assert "Trần Văn Lạ" not in printed and "TRƯỞNG BAN Đặng Xuân Phương" in printed


def test_the_signer_is_the_member_in_office_on_the_date_across_the_reorganisation(
    accepted_period,
):
    """The province's committee of the legacy map ended on 30/06/2025; today's province
    has its own from 01/07/2025. Each document is signed by whoever held the seat on its
    date, the legacy committee's head for 2024 though that committee is no longer active."""
    old, old_seats = _committee(is_active=False)
    for seat in old_seats.values():
        seat.term_end = datetime.date(2025, 6, 30)
        seat.save()
    new = SteeringCommitteeFactory(area=area(PROVINCE, "2025"), carried_from=old)
    MembershipFactory(
        committee=new,
        full_name="Vũ Đại Thắng",
        committee_role=CommitteeRole.HEAD,
        term_start=datetime.date(2025, 7, 1),
    )
    _summary(accepted_period)
    printed = pdftotext(render_report_pdf(summary_content(accepted_period))[0])
    assert "TRƯỞNG BAN Đặng Xuân Phương" in printed and "Vũ Đại Thắng" not in printed
    period_2025 = ReportingPeriod.objects.create(
        province=area(PROVINCE, "2025"),
        year=2025,
        opens_on=datetime.date(2025, 11, 15),
        due_on=datetime.date(2025, 12, 15),
    )
    SummaryReport.objects.create(period=period_2025, issued_on=datetime.date(2025, 12, 19))
    assert summary_content(period_2025)["signer"] == "Vũ Đại Thắng"
    # Before the reform, the committee it continues answers for today's province.
    before = signature(area(PROVINCE, "2025"), datetime.date(2025, 6, 15), "", "")
    assert before["name"] == "Đặng Xuân Phương"


def test_no_software_note_is_printed_and_the_version_is_in_the_properties(
    accepted_period, provincial_staff
):
    _summary(accepted_period)
    report = AnnualReport.objects.get(area=area(DISTRICT_A))
    with untracked_writes():
        AnnualReport.objects.filter(pk=report.pk).update(
            on_behalf=True, submitted_by=provincial_staff
        )
    report.refresh_from_db()
    for content in (summary_content(accepted_period), report_content(report)):
        pdf, _pages = render_report_pdf(content)
        printed = pdftotext(pdf)
        for note in ("tử số", "mẫu số", "phiên bản", "trạng thái", "Lập thay", "Đã tiếp nhận"):
            assert note not in printed, note
        metadata = PdfReader(io.BytesIO(pdf)).metadata
        assert metadata["/Keywords"] == f"phiên bản dữ liệu {content['version']}"
        document = WordDocument(io.BytesIO(render_docx(content)))
        words = " ".join(p.text for p in document.paragraphs)
        words += " ".join(c.text for t in document.tables for r in t.rows for c in r.cells)
        assert "phiên bản" not in words and "Lập thay" not in words
        assert document.core_properties.keywords == metadata["/Keywords"]


def test_the_export_page_shows_the_version(login, provincial_staff, accepted_period):
    _summary(accepted_period)
    client = login(provincial_staff)
    response = client.post(
        f"/reports/periods/{accepted_period.pk}/summary/export/", {"format": "pdf"}, follow=True
    )
    assert "phiên bản 1" in response.text


def test_the_sections_of_a_year_end_report_in_the_pdf_and_the_docx(accepted_period):
    _committee()
    _summary(
        accepted_period,
        proposals="Đề nghị Trung ương hướng dẫn mô hình hai cấp.",
        recipients="- Ban Chỉ đạo Trung ương (để báo cáo);\nCác thành viên Ban Chỉ đạo.",
    )
    content = summary_content(accepted_period)
    printed = pdftotext(render_report_pdf(content)[0])
    headings = [
        "I. KẾT QUẢ THỰC HIỆN DÂN CHỦ Ở CƠ SỞ NĂM 2024",
        "1. Kết quả đạt được",
        "2. Hạn chế, nguyên nhân",
        "a) Nguyên nhân chủ quan",
        "b) Nguyên nhân khách quan",
        "3. Bài học kinh nghiệm",
        "II. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2025",
        "III. ĐỀ XUẤT, KIẾN NGHỊ",
    ]
    at = [printed.index(h) for h in headings]
    assert at == sorted(at)  # in the order of the document
    for text in REPORT_SECTIONS.values():
        assert text in printed
    # "Nơi nhận" as Hướng dẫn 36 writes it: a comma after each, the copy kept last.
    assert content["recipients"] == [
        "Ban Chỉ đạo Trung ương (để báo cáo),",
        "Các thành viên Ban Chỉ đạo,",
        "Lưu Văn phòng Tỉnh ủy Quảng Ninh, Ban Dân vận.",
    ]
    assert "- Lưu Văn phòng Tỉnh ủy Quảng Ninh, Ban Dân vận." in printed
    document = WordDocument(io.BytesIO(render_docx(content)))
    paragraphs = [p.text for p in document.paragraphs]
    assert [p for p in paragraphs if p in headings] == headings
    # The header's sizes are the PDF's; pages are numbered from the second, as in the PDF.
    issuer, party = document.tables[0].rows[0].cells
    assert issuer.paragraphs[1].runs[0].font.size.pt == 14
    assert party.paragraphs[0].runs[0].font.size.pt == 15
    section = document.sections[0]
    assert section.different_first_page_header_footer
    assert "PAGE" in section.header._element.xml


def test_an_area_report_is_dated_by_its_own_issue_date(login, secretariat_a, accepted_period):
    report = AnnualReport.objects.get(area=area(DISTRICT_A))
    # Submitted without an issue date: dated the day it was sent.
    assert report.issued_on == timezone.localdate(report.submitted_at)
    with untracked_writes():
        AnnualReport.objects.filter(pk=report.pk).update(status=ReportStatus.RETURNED)
    client = login(secretariat_a)
    form = client.get(f"/reports/{report.pk}/edit/")
    assert 'name="issued_on"' in form.text and 'name="signatory"' in form.text
    data = {
        "version": report.version,
        **REPORT_SECTIONS,
        "issued_on": "2024-12-05",
        "signatory": "typed",
        "signer": "Phan Đức Thắng",
        "signer_role": "standing_deputy",
    }
    for value in report.values.select_related("indicator"):
        code = value.indicator.code
        number = "" if value.value is None else value.value
        data[f"v_{code}"] = value.text if value.indicator.aggregation == "text" else number
        data[f"r_{code}"] = value.correction_reason
    assert client.post(f"/reports/{report.pk}/edit/", data).status_code == 302
    report.refresh_from_db()
    assert report.issued_on == datetime.date(2024, 12, 5)
    printed = pdftotext(render_report_pdf(report_content(report))[0])
    assert "Hạ Long, ngày 05 tháng 12 năm 2024" in printed
    # No committee recorded for Hạ Long: the typed name signs under the title typed.
    assert "K/T TRƯỞNG BAN PHÓ TRƯỞNG BAN THƯỜNG TRỰC Phan Đức Thắng" in printed


def test_the_xlsx_has_vietnamese_headers_and_the_code_last_hidden(accepted_period):
    book = load_workbook(io.BytesIO(render_xlsx(summary_content(accepted_period))))
    figures = book.worksheets[0]
    rows = list(figures.iter_rows(values_only=True))
    # The catalogue's code is for a re-import, not for a reader: its column (F) is hidden,
    # and only it.
    hidden = [column for column, d in figures.column_dimensions.items() if d.hidden]
    assert hidden == ["F"]
    assert rows[0] == (
        "STT",
        "Chỉ tiêu",
        "Đơn vị tính",
        "Năm 2024",
        "Nhóm chỉ tiêu",
        "Mã chỉ tiêu",
    )
    assert [row[0] for row in rows[1:]] == list(range(1, len(rows)))
    by_code = {row[-1]: row for row in rows[1:]}
    assert by_code["training_attendances"][1:4] == (
        "Lượt người tham dự tập huấn, tuyên truyền",
        "lượt người",
        8532,
    )


def test_charts_compare_like_with_like_and_cut_no_label(accepted_period):
    content = summary_content(accepted_period)
    units = {r["label"]: r["unit"] for s in content["sections"] for r in s["rows"]}
    names = {r["name"] for r in content["annex"]["rows"]}
    assert content["charts"]
    for chart in content["charts"]:
        labels = chart["labels"]
        if set(labels) <= names:
            continue  # areas, one figure
        assert len({units[label] for label in labels}) == 1, chart["title"]
    long = "Tổ chức đảng, cơ quan, đơn vị được kiểm tra việc thực hiện quy chế dân chủ"
    svg = bar_chart_svg(
        {"title": "x", "labels": [long], "series": [{"label": "2024", "values": ["3"]}]}
    )
    assert "…" not in svg and "quy chế dân chủ" in svg


def test_a_report_is_not_submitted_without_its_sections(login, secretariat_a, accepted_period):
    accepted_period.reports.all().delete()
    report = report_start(period=accepted_period, area=area(DISTRICT_A), actor=secretariat_a)
    client = login(secretariat_a)
    data = {"version": report.version, "results": "Kết quả tốt", "submit": ""}
    for value in report.values.select_related("indicator"):
        code = value.indicator.code
        number = "" if value.value is None else value.value
        data[f"v_{code}"] = value.text if value.indicator.aggregation == "text" else number
        data[f"r_{code}"] = value.correction_reason
    page = client.post(f"/reports/{report.pk}/edit/", data)
    assert page.status_code == 200
    top = page.text.index('data-testid="incomplete"')
    for section in ("Hạn chế", "Nguyên nhân", "Bài học kinh nghiệm", "Nhiệm vụ năm tới"):
        message = f"Mục “{section}” cần có nội dung trước khi nộp."
        assert page.text.count(message) == 2, section  # at the top and beside the field
        assert page.text.index(message) > top
    assert 'id="id_lessons"' in page.text and "is-invalid" in page.text
    report.refresh_from_db()
    # The draft is saved as typed (it may stay incomplete) and is not sent.
    assert (report.status, report.results, report.version) == ("draft", "Kết quả tốt", 2)
    # The API says which fields, and changes nothing.
    api = client.post(
        f"/api/v1/reports/{report.pk}/step/", {"to": "submitted"}, content_type="application/json"
    )
    assert api.status_code == 400
    assert set(api.json()) == {"limitations", "causes_subjective", "lessons", "next_tasks"}
    report.refresh_from_db()
    assert report.status == "draft"
    # An objective cause alone is a cause.
    written(report)
    with untracked_writes():
        AnnualReport.objects.filter(pk=report.pk).update(causes_subjective="")
    api = client.post(
        f"/api/v1/reports/{report.pk}/step/", {"to": "submitted"}, content_type="application/json"
    )
    assert api.status_code == 200 and api.json()["status"] == "submitted"


def test_the_former_causes_text_is_split_without_losing_a_word():
    migration = importlib.import_module("reports.migrations.0010_document_sections_and_signer")
    split = migration.split_causes
    only = "Nhận thức chưa đầy đủ; kiêm nhiệm nhiều việc."
    assert split(only) == (only, "")
    marked = (
        "Nguyên nhân chủ quan: cấp ủy chưa quan tâm.\n"
        "Cán bộ kiêm nhiệm.\n"
        "- Nguyên nhân khách quan: văn bản hướng dẫn chậm.\n"
        "Địa bàn rộng."
    )
    subjective, objective = split(marked)
    assert subjective == "Nguyên nhân chủ quan: cấp ủy chưa quan tâm.\nCán bộ kiêm nhiệm."
    assert objective.startswith("- Nguyên nhân khách quan") and objective.endswith("Địa bàn rộng.")
    assert (subjective + "\n" + objective).split() == marked.split()
    assert split("b) Khách quan: thiên tai.")[1] == "b) Khách quan: thiên tai."
