"""When the database or the broker does not answer: the portal says so (503, in
Vietnamese, JSON under /api/), shows nobody's data, and loses no export asked for."""

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client
from kombu.exceptions import OperationalError as BrokerDown
from rest_framework.authtoken.models import Token

from reports.models import ExportJob, JobStatus
from reports.services import export_request
from reports.tasks import QUEUE_UNAVAILABLE, export_requeue, render_export

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_down(monkeypatch):
    """Every new query fails as it does when PostgreSQL is stopped."""

    def refuse(self, *args, **kwargs):
        raise OperationalError("connection refused: is the server running on 127.0.0.1?")

    def stop():
        monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", refuse)
        monkeypatch.setattr(BaseDatabaseWrapper, "_cursor", refuse)

    return stop


def test_it_answers_503_with_its_own_page_and_no_data_when_the_database_is_down(
    provincial_staff, database_down
):
    client = Client(raise_request_exception=False)
    client.force_login(provincial_staff, backend="django.contrib.auth.backends.ModelBackend")
    database_down()

    response = client.get("/petitions/")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Cổng thông tin tạm thời gián đoạn" in response.text
    assert "dữ liệu đã lưu trước đó không bị ảnh hưởng" in response.text
    assert provincial_staff.username not in response.text


def test_the_api_answers_503_in_json_when_the_database_is_down(provincial_staff, database_down):
    token = Token.objects.create(user=provincial_staff)
    client = Client(raise_request_exception=False)
    database_down()

    response = client.get("/api/v1/petitions/", HTTP_AUTHORIZATION=f"Token {token.key}")

    assert response.status_code == 503
    assert response.json()["code"] == "database_unavailable"
    assert "Cơ sở dữ liệu tạm thời không trả lời" in response.json()["detail"]


def test_another_error_is_still_a_500(provincial_staff, monkeypatch):
    client = Client(raise_request_exception=False)
    client.force_login(provincial_staff, backend="django.contrib.auth.backends.ModelBackend")
    monkeypatch.setattr("committees.views.areas._subtree_counts", lambda area: 1 / 0, raising=True)
    assert client.get("/").status_code == 500


def test_an_export_asked_for_while_the_broker_is_down_waits_and_is_queued_when_it_returns(
    login,
    provincial_staff,
    accepted_period,
    settings,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    settings.QCDC_EXPORT_IN_THREAD = False
    sent = []

    def broker_down(*args, **kwargs):
        raise BrokerDown("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(render_export, "apply_async", broker_down)
    client = login(provincial_staff)
    with django_capture_on_commit_callbacks(execute=True):
        asked = client.post(
            f"/reports/periods/{accepted_period.pk}/summary/export/", {"format": "pdf"}
        )
    job = ExportJob.objects.get()
    assert asked.status_code == 302 and asked.url == job.get_absolute_url()
    assert job.status == JobStatus.QUEUED and job.error.startswith(QUEUE_UNAVAILABLE)
    page = client.get(job.get_absolute_url(), HTTP_HX_REQUEST="true")
    assert "Hàng đợi xử lý tạm thời không hoạt động" in page.text
    assert "không cần yêu cầu lại" in page.text

    monkeypatch.setattr(render_export, "apply_async", lambda args, **kw: sent.append(args))
    page = client.get(job.get_absolute_url(), HTTP_HX_REQUEST="true")

    assert sent == [(job.pk,)]
    assert "Hàng đợi xử lý tạm thời không hoạt động" not in page.text
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and job.error == "" and job.handed_at is not None
    assert export_requeue() == 0  # handed over once: nothing waits any more
    assert sent == [(job.pk,)]


def test_a_job_whose_message_was_lost_is_handed_over_again_after_a_while(
    provincial_staff, accepted_period, settings, monkeypatch
):
    settings.QCDC_EXPORT_IN_THREAD = False
    sent = []
    monkeypatch.setattr(render_export, "apply_async", lambda args, **kw: sent.append(args))
    job = export_request(actor=provincial_staff, format="xlsx", period=accepted_period)
    ExportJob.objects.filter(pk=job.pk).update(handed_at="2020-01-01T00:00:00Z")

    assert export_requeue(older_than=900) == 1
    assert export_requeue(older_than=900) == 0
    assert sent == [(job.pk,)]


def test_a_job_never_handed_over_is_handed_over_after_a_while(
    provincial_staff, accepted_period, settings, monkeypatch
):
    settings.QCDC_EXPORT_IN_THREAD = False
    sent = []
    monkeypatch.setattr(render_export, "apply_async", lambda args, **kw: sent.append(args))
    job = export_request(actor=provincial_staff, format="docx", period=accepted_period)
    assert export_requeue(older_than=900) == 0  # asked for a moment ago: its hand-over is due
    ExportJob.objects.filter(pk=job.pk).update(requested_at="2020-01-01T00:00:00Z")

    assert export_requeue(older_than=900) == 1
    assert sent == [(job.pk,)]
