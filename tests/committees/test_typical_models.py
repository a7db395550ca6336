"""Typical models with the units that apply them, and commendations: validation, scope,
history of the units, API, constant queries, and the area page's counts."""

import datetime

import pytest

from committees.models import Commendation, TypicalModel
from tests.conftest import COMMUNE_A, DISTRICT_A, DISTRICT_B
from tests.factories import (
    CommendationFactory,
    MemberUnitFactory,
    TypicalModelFactory,
    area,
)
from tests.helpers import query_counts

pytestmark = pytest.mark.django_db


def _model(code=DISTRICT_A, name="Dân vận khéo", **extra) -> TypicalModel:
    return TypicalModelFactory(
        area=area(code),
        name=name,
        recognised_on=extra.pop("recognised_on", datetime.date(2024, 11, 5)),
        **extra,
    )


def _commendation(model=None, code=DISTRICT_A, **extra) -> Commendation:
    return CommendationFactory(
        area=area(code),
        recipient=extra.pop("recipient", "Ban Chỉ đạo thành phố Hạ Long"),
        award="certificate_of_merit",
        decision_number=extra.pop("decision_number", "2150-QĐ/TU"),
        awarded_on=datetime.date(2024, 12, 19),
        awarded_by="Ban Thường vụ Tỉnh ủy",
        typical_model=model,
        **extra,
    )


def test_a_secretariat_records_a_model_with_its_units_and_the_history_names_them(
    login, secretariat_a
):
    inside = MemberUnitFactory(area=area(COMMUNE_A), name="Phường Hà Khánh")
    client = login(secretariat_a)
    data = {
        "area": area(DISTRICT_A).pk,
        "name": "Dân vận khéo trong giải phóng mặt bằng",
        "field": "administration",
        "recognised_on": "2024-11-05",
        "units": [inside.pk],
    }
    response = client.post("/typical-models/new/", data)
    assert response.status_code == 302
    model = TypicalModel.objects.get()
    assert list(model.units.all()) == [inside]
    page = client.get(model.get_absolute_url()).text
    assert "Phường Hà Khánh" in page
    assert "'memberunit'" not in page  # the history names units, not rows of ids


def test_a_unit_outside_the_models_area_or_scope_is_refused(login, secretariat_a):
    elsewhere = MemberUnitFactory(area=area(DISTRICT_B), name="Phường Cẩm Tây")
    sibling = MemberUnitFactory(area=area(DISTRICT_A), name="Cơ quan thành phố")
    client = login(secretariat_a)
    data = {
        "area": area(COMMUNE_A).pk,
        "name": "Mô hình xã",
        "field": "economy",
        "recognised_on": "2024-11-05",
    }
    response = client.post("/typical-models/new/", {**data, "units": [elsewhere.pk]})
    assert "Hãy chọn một lựa chọn hợp lệ" in response.text
    response = client.post("/typical-models/new/", {**data, "units": [sibling.pk]})
    assert "không thuộc địa bàn Phường Hà Khánh" in response.text
    api = client.post(
        "/api/v1/typical-models/",
        {**data, "units": [elsewhere.pk]},
        content_type="application/json",
    )
    assert api.status_code == 400 and "units" in api.json()
    assert not TypicalModel.objects.exists()


def test_duplicate_names_and_commendations_are_refused(login, secretariat_a):
    model = _model()
    _commendation(model)
    client = login(secretariat_a)
    response = client.post(
        "/typical-models/new/",
        {
            "area": area(DISTRICT_A).pk,
            "name": "Dân vận khéo",
            "field": "economy",
            "recognised_on": "2024-11-05",
        },
    )
    assert "Địa bàn này đã có một mô hình cùng tên." in response.text
    response = client.post(
        "/commendations/new/",
        {
            "area": area(DISTRICT_A).pk,
            "recipient": "Ban Chỉ đạo thành phố Hạ Long",
            "recipient_kind": "collective",
            "award": "certificate_of_merit",
            "decision_number": "2150-QĐ/TU",
            "awarded_on": "2024-12-19",
            "awarded_by": "Ban Thường vụ Tỉnh ủy",
        },
    )
    assert "Quyết định này đã ghi nhận hình thức khen thưởng đó" in response.text
    assert (TypicalModel.objects.count(), Commendation.objects.count()) == (1, 1)


def test_scope_in_pages_and_api(login, secretariat_b, viewer):
    model = _model()
    commendation = _commendation(model)
    outsider = login(secretariat_b)
    for url in [
        f"/typical-models/{model.pk}/",
        f"/commendations/{commendation.pk}/",
        f"/api/v1/typical-models/{model.pk}/",
        f"/api/v1/commendations/{commendation.pk}/",
    ]:
        assert outsider.get(url).status_code == 404, url
    linked = outsider.post(
        "/api/v1/commendations/",
        {
            "area": area(DISTRICT_B).pk,
            "recipient": "Phường Cẩm Tây",
            "recipient_kind": "collective",
            "award": "certificate",
            "decision_number": "1-QĐ",
            "awarded_on": "2024-12-01",
            "awarded_by": "UBND thành phố",
            "typical_model": model.pk,
        },
        content_type="application/json",
    )
    assert linked.status_code == 400 and "typical_model" in linked.json()
    reader = login(viewer)
    assert reader.get(f"/typical-models/{model.pk}/").status_code == 200
    assert reader.get(f"/typical-models/{model.pk}/edit/").status_code == 403
    assert reader.delete(f"/api/v1/commendations/{commendation.pk}/").status_code == 403


def test_the_api_sets_the_units_of_a_model(login, secretariat_a):
    model = _model()
    units = MemberUnitFactory.create_batch(2, area=area(COMMUNE_A))
    client = login(secretariat_a)
    response = client.patch(
        f"/api/v1/typical-models/{model.pk}/",
        {"units": [u.pk for u in units]},
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    assert sorted(response.json()["units"]) == sorted(u.pk for u in units)
    assert model.units.count() == 2


def test_the_area_page_counts_the_years_models_and_commendations(login, provincial_staff):
    model = _model()
    _commendation(model)
    _commendation(code=COMMUNE_A, recipient="Đồng chí Nguyễn Văn An", decision_number="9-QĐ")
    _model(name="Mô hình cũ", recognised_on=datetime.date(2023, 5, 1))
    page = login(provincial_staff).get(f"/areas/{DISTRICT_A}/", {"year": 2024}).text
    assert 'data-testid="typical-models">1<' in page
    assert 'data-testid="commendations">2<' in page


def test_lists_and_api_run_constant_queries(login, provincial_staff):
    client = login(provincial_staff)
    model = _model()
    model.units.set([MemberUnitFactory(area=area(COMMUNE_A))])
    _commendation(model)
    urls = [
        "/typical-models/",
        "/commendations/",
        "/api/v1/typical-models/",
        "/api/v1/commendations/",
        f"/typical-models/{model.pk}/",
    ]
    few = query_counts(client, urls)
    for n in range(5):
        more = _model(DISTRICT_B if n % 2 else DISTRICT_A, name=f"Mô hình {n}")
        more.units.set(MemberUnitFactory.create_batch(2, area=area(COMMUNE_A)))
        _commendation(more, recipient=f"Tập thể {n}")
    many = query_counts(client, urls)
    assert few == many == dict(zip(urls, [7, 7, 7, 6, 12], strict=True))
