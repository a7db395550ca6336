"""Days are typed and read as dd/mm/yyyy in both languages; the API keeps ISO dates."""

import datetime

import pytest

from committees.models import Training
from tests.conftest import DISTRICT_A
from tests.factories import SteeringCommitteeFactory, TrainingFactory, area

pytestmark = pytest.mark.django_db

TRAINING = {
    "kind": "class",
    "title": "Tập huấn Luật Thực hiện dân chủ ở cơ sở 2022",
    "audience": "Cán bộ chủ chốt cấp xã",
    "attendances": "120",
    "papers": "3",
}


def _client(login, user, settings, language: str):
    client = login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.mark.parametrize("language", ["vi", "en"])
def test_it_reads_a_typed_day_as_day_month_year_in_both_languages(
    login, secretariat_a, settings, language
):
    client = _client(login, secretariat_a, settings, language)
    data = {**TRAINING, "area": area(DISTRICT_A).pk, "held_on": "01/12/2024"}
    assert client.post("/trainings/new/", data).status_code == 302
    assert Training.objects.get().held_on == datetime.date(2024, 12, 1)


@pytest.mark.parametrize("typed", ["1/12/2024", "01-12-2024", "01.12.2024", "2024-12-01"])
def test_it_reads_other_separators_and_iso(login, secretariat_a, typed):
    data = {**TRAINING, "area": area(DISTRICT_A).pk, "held_on": typed}
    assert login(secretariat_a).post("/trainings/new/", data).status_code == 302
    assert Training.objects.get().held_on == datetime.date(2024, 12, 1)


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("vi", "Nhập một ngày có thật theo dạng ngày/tháng/năm, ví dụ 19/12/2024."),
        ("en", "Enter a real day as dd/mm/yyyy, for example 19/12/2024."),
    ],
)
@pytest.mark.parametrize("typed", ["31/02/2026", "12/31/2026", "19/12/24", "hôm qua"])
def test_it_explains_a_day_that_does_not_exist_and_saves_nothing(
    login, secretariat_a, settings, language, message, typed
):
    client = _client(login, secretariat_a, settings, language)
    data = {**TRAINING, "area": area(DISTRICT_A).pk, "held_on": typed}
    response = client.post("/trainings/new/", data)
    assert response.status_code == 200
    assert message in response.text
    assert Training.objects.count() == 0


@pytest.mark.parametrize("language", ["vi", "en"])
def test_forms_write_a_day_back_as_day_month_year_in_a_text_field(
    login, secretariat_a, settings, language
):
    training = TrainingFactory(area=area(DISTRICT_A), held_on=datetime.date(2024, 12, 1))
    client = _client(login, secretariat_a, settings, language)
    page = client.get(f"/trainings/{training.pk}/edit/").text
    assert 'type="text" name="held_on" value="01/12/2024"' in page
    assert 'placeholder="dd/mm/yyyy"' in page
    assert 'type="date"' not in page


@pytest.mark.parametrize("language", ["vi", "en"])
def test_lists_and_pages_show_day_month_year_in_both_languages(
    login, secretariat_a, settings, language
):
    training = TrainingFactory(area=area(DISTRICT_A), held_on=datetime.date(2024, 12, 1))
    client = _client(login, secretariat_a, settings, language)
    assert "01/12/2024" in client.get("/trainings/?year=2024").text
    detail = client.get(f"/trainings/{training.pk}/").text
    assert "01/12/2024" in detail
    assert "12/01/2024" not in detail
    assert "Dec. 1, 2024" not in detail


def test_the_api_keeps_iso_dates(login, secretariat_a):
    training = TrainingFactory(area=area(DISTRICT_A), held_on=datetime.date(2024, 12, 1))
    client = login(secretariat_a)
    assert client.get(f"/api/v1/trainings/{training.pk}/").json()["held_on"] == "2024-12-01"
    typed = client.patch(
        f"/api/v1/trainings/{training.pk}/",
        {"held_on": "02/12/2024"},
        content_type="application/json",
    )
    assert typed.status_code == 400
    assert "YYYY-MM-DD" in typed.json()["held_on"][0]


def test_a_committee_page_reads_its_day_typed_or_from_a_link(login, secretariat_a):
    client = login(secretariat_a)
    committee = SteeringCommitteeFactory(area=area(DISTRICT_A))
    for on in ("19/12/2024", "2024-12-19"):
        page = client.get(f"/committees/{committee.pk}/", {"on": on}).text
        assert 'value="19/12/2024"' in page


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_areas_offered_follow_a_typed_day_in_both_languages(
    login, commune_official_today, settings, language
):
    client = _client(login, commune_official_today, settings, language)
    page = client.get("/trainings/new/").content.decode()
    # The typed day asks for its areas once whole and real (portal.js), not at every key.
    assert 'hx-trigger="day-entered"' in page
    earlier = client.get("/trainings/new/?held_on=15/03/2024", HTTP_HX_REQUEST="true")
    assert "Phường Hà Khánh" in earlier.content.decode()
    later = client.get("/trainings/new/?held_on=10/03/2026", HTTP_HX_REQUEST="true")
    assert "Phường Hà Khánh" not in later.content.decode()
