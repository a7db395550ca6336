"""Exports of the year-end summary and of an area's report: the PDF reads like the
document the committee signs, renders nothing it was not given, and keeps its page
numbers across parts; the XLSX holds numbers and no formula; the DOCX is the same report;
jobs are idempotent, polled, and downloadable only in scope."""

import datetime
import hashlib
import io
import json

import pytest
from django.utils import timezone
from docx import Document as WordDocument
from openpyxl import load_workbook
from pypdf import PdfReader
from weasyprint import HTML

from committees.models import Area
from committees.platform.history import untracked_writes
from reports.documents import report_content, summary_content
from reports.exports import export_run
from reports.models import AnnualReport, ExportJob, Indicator, JobStatus, SummaryReport
from reports.office import render_docx, render_xlsx
from reports.pdf import STATIC_BASE, StaticFilesOnly, render_report_pdf
from reports.services import export_request
from tests.conftest import DISTRICT_A
from tests.factories import ExportJobFactory, PetitionFactory, SummaryReportFactory, area
from tests.helpers import query_count

pytestmark = pytest.mark.django_db


@pytest.fixture
def accepted_period(accepted_period_of_the_module, db):
    """The accepted year, made once for the module (tests/conftest.py)."""
    accepted_period_of_the_module.refresh_from_db()  # as the last test's rollback left it
    return accepted_period_of_the_module


def _text(pdf: bytes) -> list[str]:
    """Each page's text, whitespace folded (table cells and wrapped lines break lines)."""
    return [
        " ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(pdf)).pages
    ]


def _numbered(page: str, number: int) -> bool:
    """The page number (a margin box: extracted first or last)."""
    words = page.split()
    return str(number) in (words[0], words[-1])


def _signed(period, **fields):
    return SummaryReportFactory(
        period=period,
        number="125-BC/BCĐ",
        issued_on=datetime.date(2024, 12, 19),
        results="Tổ chức 72 lớp tập huấn.\nKiểm tra 1.688 tổ chức đảng.",
        next_tasks="Nhân rộng mô hình “Dân vận khéo”.",
        **fields,
    )


def test_the_summary_pdf_reads_like_the_document_the_committee_signs(accepted_period):
    _signed(accepted_period)
    pdf, pages = render_report_pdf(summary_content(accepted_period))
    text = _text(pdf)
    assert pages == len(text) >= 3
    first, everything = text[0], " ".join(text)
    for line in (
        "TỈNH ỦY QUẢNG NINH",
        "BAN CHỈ ĐẠO THỰC HIỆN DÂN CHỦ Ở CƠ SỞ",
        "Số 125-BC/BCĐ",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Quảng Ninh, ngày 19 tháng 12 năm 2024",
        "BÁO CÁO",
        "Tổng kết năm 2024 thực hiện dân chủ ở cơ sở",
    ):
        assert line in first, line
    for line in (
        "I. KẾT QUẢ THỰC HIỆN DÂN CHỦ Ở CƠ SỞ NĂM 2024",
        "II. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2025",
        "Nhân rộng mô hình “Dân vận khéo”.",
        "Nơi nhận:",
        "T/M BAN CHỈ ĐẠO",
        "TRƯỞNG BAN",
        "PHỤ LỤC",
    ):
        assert line in everything, line
    # Vietnamese number format, from the records of the subtree.
    assert "8.532" in everything and "1.688" in everything and "7.113" in everything
    annex = " ".join(t for t in text if "PHỤ LỤC" in t or "Tổng cộng" in t)
    for district in Area.objects.get(pk=accepted_period.province_id).children.all():
        assert district.name in annex, district.name
    # Page numbers from the second page on, centred above the text.
    assert not _numbered(first, 1)
    for number, page in enumerate(text[1:], start=2):
        assert _numbered(page, number), (number, page[:40], page[-40:])


def test_a_long_annex_is_rendered_in_parts_and_its_pages_are_numbered_on(accepted_period):
    content = summary_content(accepted_period)
    rows = content["annex"]["rows"]
    content["annex"]["rows"] = [
        {**rows[n % len(rows)], "name": f"Địa bàn số {n + 1}"} for n in range(150)
    ]
    steps = []
    pdf, _pages = render_report_pdf(content, part_rows=40, progress=lambda *s: steps.append(s))
    assert steps == [(1, 5), (2, 5), (3, 5), (4, 5), (5, 5)]
    text = _text(pdf)
    for number, page in enumerate(text[1:], start=2):
        assert _numbered(page, number), (number, page[:40], page[-40:])
    everything = " ".join(text)
    for n in (1, 40, 41, 150):
        assert f"Địa bàn số {n} " in everything
    # The header row is repeated on every annex page.
    annex_pages = [t for t in text if "Địa bàn số" in t]
    assert len(annex_pages) >= 5
    assert all("Lớp tập huấn, bồi dưỡng" in t for t in annex_pages)


def test_hostile_report_text_is_printed_and_fetches_nothing(accepted_period):
    hostile = (
        '<img src="file:///etc/passwd"><link rel="stylesheet" href="https://evil.example/x.css">'
        '<img src="http://127.0.0.1:9/track.png">'
    )
    _signed(accepted_period, limitations=hostile)
    fetcher = StaticFilesOnly()
    pdf, _pages = render_report_pdf(summary_content(accepted_period), fetcher=fetcher)
    assert fetcher.refused == []
    assert 'src="file:///etc/passwd"' in " ".join(_text(pdf))


def test_control_characters_typed_into_a_report_do_not_stop_any_format(accepted_period):
    _signed(accepted_period, limitations="Hạn chế\x01 một\x0b\x1f phần", signer="Nguyễn\x02 A")
    content = summary_content(accepted_period)
    assert render_report_pdf(content)[0].startswith(b"%PDF")
    document = WordDocument(io.BytesIO(render_docx(content)))
    assert "Hạn chế một phần" in " ".join(p.text for p in document.paragraphs)
    assert load_workbook(io.BytesIO(render_xlsx(content))).worksheets


def test_the_fetcher_serves_static_files_only():
    fetcher = StaticFilesOnly()
    html = (
        '<link rel="stylesheet" href="css/document.css">'
        '<img src="file:///etc/passwd"><img src="https://evil.example/x.png">'
        '<img src="../../../../etc/passwd"><img src="data:image/png;base64,AAAA">'
        "<p>x</p>"
    )
    pdf = HTML(string=html, base_url=STATIC_BASE, url_fetcher=fetcher).write_pdf()
    assert pdf.startswith(b"%PDF")
    assert "file:///etc/passwd" in fetcher.refused
    assert "https://evil.example/x.png" in fetcher.refused
    assert any(url.startswith("data:") for url in fetcher.refused)
    assert all("document.css" not in url for url in fetcher.refused)
    assert b"root:" not in pdf


def test_the_xlsx_holds_numbers_and_never_a_formula(accepted_period):
    with untracked_writes():
        Indicator.objects.filter(code="documents").update(name='=HYPERLINK("http://x","y")')
        Indicator.objects.filter(code="dialogues").update(name="@SUM(1+1)")
    book = load_workbook(io.BytesIO(render_xlsx(summary_content(accepted_period))))
    figures, annex, notes = book.worksheets
    assert figures.freeze_panes == "C2" and annex.freeze_panes == "C2"
    assert notes.title == "Ghi chú"
    assert notes["A2"].value == "Số liệu tính từ ngày 15/12/2023 đến ngày 14/12/2024."
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert '\'=HYPERLINK("http://x","y")' in texts and "'@SUM(1+1)" in texts
    assert not any(t.startswith(("=", "+", "-", "@", "\t", "\r")) for t in texts)
    rows = {row[-1]: row for row in figures.iter_rows(values_only=True)}  # the code, last
    assert rows["training_attendances"][3] == 8532
    assert rows["units_regulation_share"][3] is None or isinstance(
        rows["units_regulation_share"][3], int | float
    )
    names = [row[1] for row in annex.iter_rows(min_row=2, values_only=True)]
    assert "Thành phố Hạ Long" in names and names[-1] == "Tổng cộng"


def test_the_docx_is_the_same_report_to_edit(accepted_period):
    _signed(accepted_period)
    document = WordDocument(io.BytesIO(render_docx(summary_content(accepted_period))))
    paragraphs = " ".join(p.text for p in document.paragraphs)
    cells = " ".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert "BÁO CÁO" in paragraphs and "Dân vận khéo" in paragraphs and "PHỤ LỤC" in paragraphs
    for line in (
        "TỈNH ỦY QUẢNG NINH",
        "Số 125-BC/BCĐ",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "T/M BAN CHỈ ĐẠO",
    ):
        assert line in cells, line
    assert "Quảng Ninh, ngày 19 tháng 12 năm 2024" in cells
    assert "8.532" in cells and "Thành phố Hạ Long" in cells


def test_a_district_report_uses_the_same_layout(accepted_period):
    report = AnnualReport.objects.get(area=area(DISTRICT_A))
    pdf, _pages = render_report_pdf(report_content(report))
    first = _text(pdf)[0]
    assert "THÀNH ỦY HẠ LONG" in first and "ĐẢNG CỘNG SẢN VIỆT NAM" in first
    assert "Hạ Long, ngày" in first and "8.000" in " ".join(_text(pdf))


def test_an_export_is_a_job_rendered_once_per_content_and_format(
    login, provincial_staff, accepted_period, eager_celery, django_capture_on_commit_callbacks
):
    client = login(provincial_staff)
    url = f"/reports/periods/{accepted_period.pk}/summary/export/"
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(url, {"format": "pdf"})
    job = ExportJob.objects.get()
    assert response.url == f"/reports/exports/{job.pk}/"
    assert (job.status, len(queued)) == (JobStatus.QUEUED, 1)  # queued only on commit
    polled = client.get(response.url, headers={"HX-Request": "true"}).text
    assert 'hx-trigger="every 1s"' in polled and "<progress" in polled
    queued[0]()
    job.refresh_from_db()
    assert (job.status, job.attempts, job.progress) == (JobStatus.DONE, 1, 100)
    assert job.checksum == hashlib.sha256(job.file.read()).hexdigest()
    done = client.get(response.url, headers={"HX-Request": "true"}).text
    assert "hx-trigger" not in done and f"/reports/exports/{job.pk}/download/" in done
    download = client.get(f"/reports/exports/{job.pk}/download/")
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert 'filename="bao-cao-2024-tinh-quang-ninh.pdf"' in download["Content-Disposition"]
    # The same content again: the same job, nothing queued.
    with django_capture_on_commit_callbacks(execute=True) as again:
        client.post(url, {"format": "pdf"})
    assert ExportJob.objects.count() == 1 and again == []
    # New words, a new document; another format, another file.
    _signed(accepted_period)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"format": "pdf"})
        client.post(url, {"format": "xlsx"})
        client.post(url, {"format": "docx"})
    assert ExportJob.objects.filter(status=JobStatus.DONE).count() == 4
    refused = client.post(url, {"format": "exe"}, follow=True)
    assert "Định dạng tệp không hợp lệ." in refused.text and ExportJob.objects.count() == 4


def test_a_job_runs_again_only_if_it_did_not_finish(provincial_staff, accepted_period):
    job = export_request(actor=provincial_staff, format="xlsx", period=accepted_period)
    # A worker died while rendering: the row says running, nothing was stored.
    ExportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, attempts=1)
    job = export_run(job.pk)
    assert (job.status, job.attempts) == (JobStatus.DONE, 2)
    finished_at = job.finished_at
    # The message delivered once more after it finished: nothing happens.
    job = export_run(job.pk)
    assert (job.attempts, job.finished_at) == (2, finished_at)


def test_a_failed_render_says_why_and_can_be_asked_again(
    provincial_staff, accepted_period, monkeypatch
):
    from reports import exports

    def broken(content, progress):
        raise ValueError("boom")

    monkeypatch.setitem(exports.RENDERERS, "pdf", broken)
    job = export_run(
        export_request(actor=provincial_staff, format="pdf", period=accepted_period).pk
    )
    assert job.status == JobStatus.FAILED and "ValueError" in job.error and not job.file
    again = export_request(actor=provincial_staff, format="pdf", period=accepted_period)
    assert again.pk != job.pk and again.status == JobStatus.QUEUED


def test_exports_are_read_only_in_scope(
    login, client, provincial_staff, secretariat_a, secretariat_b, viewer, accepted_period
):
    summary_job = export_run(
        export_request(actor=provincial_staff, format="xlsx", period=accepted_period).pk
    )
    report = AnnualReport.objects.get(area=area(DISTRICT_A))
    report_job = export_run(
        export_request(actor=secretariat_a, format="xlsx", period=accepted_period, report=report).pk
    )
    for job in (summary_job, report_job):
        for url in (f"/reports/exports/{job.pk}/", f"/reports/exports/{job.pk}/download/"):
            assert login(viewer).get(url).status_code == 200
            assert client.get(url).status_code == 302  # to the login page
            assert login(secretariat_b).get(url).status_code == 404
    assert login(secretariat_a).get(f"/reports/exports/{summary_job.pk}/").status_code == 404
    assert login(secretariat_a).get(f"/reports/exports/{report_job.pk}/").status_code == 200
    assert (
        login(secretariat_b).post(f"/reports/{report.pk}/export/", {"format": "pdf"}).status_code
        == 404
    )
    summary_url = f"/reports/periods/{accepted_period.pk}/summary/export/"
    assert login(secretariat_a).post(summary_url, {"format": "pdf"}).status_code == 403
    assert ExportJob.objects.count() == 2


def test_exports_never_hold_a_denouncer_identity(accepted_period):
    PetitionFactory(
        area=area(DISTRICT_A),
        kind="denunciation",
        channel="post",
        received_on=datetime.date(2024, 3, 4),
        petitioner_name="Nguyễn Văn Tố Cáo",
        petitioner_address="Số 1 đường Bạch Đằng",
        petitioner_contact="0912 345 678",
        subject="Tố cáo cán bộ địa chính",
        handling_body="UBND thành phố",
    )
    report = AnnualReport.objects.get(area=area(DISTRICT_A))
    for content in (summary_content(accepted_period), report_content(report)):
        flat = json.dumps(content, ensure_ascii=False)
        assert "Tố Cáo" not in flat and "Bạch Đằng" not in flat and "0912" not in flat


def test_the_summary_text_is_saved_with_its_version(
    login, provincial_staff, viewer, accepted_period
):
    client = login(provincial_staff)
    url = f"/reports/periods/{accepted_period.pk}/summary/edit/"
    assert login(viewer).get(url).status_code == 403
    form = {"version": 1, "number": "125-BC/BCĐ", "issued_on": "2024-12-19", "results": "Tốt"}
    assert client.post(url, form).status_code == 302
    text = SummaryReport.objects.get()
    assert (text.version, text.number, text.results) == (2, "125-BC/BCĐ", "Tốt")
    stale = client.post(url, {**form, "results": "Của tôi"})
    assert "Người khác vừa lưu báo cáo này" in stale.text and "Của tôi" in stale.text
    assert SummaryReport.objects.get().results == "Tốt"
    bad = client.post(url, {**form, "version": 2, "issued_on": "19/19/2024"})
    assert bad.status_code == 200 and SummaryReport.objects.get().version == 2
    page = client.get(f"/reports/periods/{accepted_period.pk}/summary/").text
    assert "125-BC/BCĐ" in page and 'data-testid="export-pdf"' in page


def test_the_summary_page_runs_constant_queries(login, provincial_staff, accepted_period):
    client = login(provincial_staff)
    url = f"/reports/periods/{accepted_period.pk}/summary/"
    for fmt in ("xlsx", "docx"):
        export_request(actor=provincial_staff, format=fmt, period=accepted_period)
    few = query_count(client, url)
    ExportJobFactory.create_batch(
        5,
        report=None,
        period=accepted_period,
        version=1,
        status=JobStatus.QUEUED,
        file=None,
        requested_by=provincial_staff,
    )
    # 26: the province's own records, one query per kind (democracy activities and
    # village conventions are two of them); 25: whether the user reviews the province is
    # read from their assignments (``User.keeps``).
    assert query_count(client, url) == few == 25


def test_a_job_left_by_a_stopped_server_is_rendered_again_when_asked_for(
    provincial_staff, accepted_period, settings, monkeypatch, django_capture_on_commit_callbacks
):
    """make run renders in a thread of the web server: Ctrl+C in the middle leaves the job
    running for ever. Asked for again, it is rendered again; a job under way is not."""
    from reports import services

    settings.QCDC_EXPORT_IN_THREAD = True
    rendered = []
    monkeypatch.setattr(services, "enqueue", rendered.append)
    with django_capture_on_commit_callbacks(execute=True):
        job = export_request(actor=provincial_staff, format="xlsx", period=accepted_period)
    assert rendered == [job.pk]
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    ExportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, started_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        assert export_request(actor=provincial_staff, format="xlsx", period=accepted_period) == job
    assert rendered == [job.pk]  # under way: left alone
    ExportJob.objects.filter(pk=job.pk).update(started_at=long_ago)
    with django_capture_on_commit_callbacks(execute=True):
        export_request(actor=provincial_staff, format="xlsx", period=accepted_period)
        export_request(actor=provincial_staff, format="xlsx", period=accepted_period)
    assert rendered == [job.pk, job.pk]  # started once more, not twice
    ExportJob.objects.filter(pk=job.pk).update(status=JobStatus.QUEUED, started_at=None)
    ExportJob.objects.filter(pk=job.pk).update(requested_at=long_ago)
    with django_capture_on_commit_callbacks(execute=True):
        export_request(actor=provincial_staff, format="xlsx", period=accepted_period)
    assert rendered == [job.pk, job.pk, job.pk]  # queued, its thread never started
