"""The area picker: one search endpoint, scoped to the user (or to what a form offers);
filters by a picked area; a form saved with a picked area."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from committees.models import Area, Training
from committees.models.areas import name_keys, search_key
from tests.conftest import COMMUNE_A, COMMUNE_A_TODAY, DISTRICT_A
from tests.factories import TrainingFactory, area

pytestmark = pytest.mark.django_db

PICK = "/areas/pick/"


def _options(response) -> list[str]:
    """The labels of the options offered, in order."""
    assert response.status_code == 200
    option = r'role="option" aria-selected="false"[^>]*data-label="([^"]*)"'
    return re.findall(option, response.text)


def _pick(client, q: str, **params) -> list[str]:
    return _options(client.get(PICK, {"q": q, **params}))


def test_search_keys_drop_accents_case_and_the_kind():
    assert search_key("  Phường  Cao Xanh ") == "phuong cao xanh"
    assert search_key("Đầm Hà") == "dam ha"
    assert name_keys("Phường cao xanh") == ["phuong cao xanh", "cao xanh"]
    assert name_keys("Xã") == ["xa"]


def test_every_loaded_area_has_its_search_key(quang_ninh):
    assert not Area.objects.filter(search_name="").exists()
    assert area(DISTRICT_A).search_name == "ha long"


@pytest.mark.parametrize("typed", ["cao xanh", "Cao Xanh", "CAO XANH", "cao xa", "Phường Cao Xanh"])
def test_it_finds_a_commune_typed_with_or_without_accents(login, commune_official_today, typed):
    # The ward of today's map sees the legacy ward it took over: the map tells them apart.
    assert _pick(login(commune_official_today), typed) == [
        "Phường Cao Xanh (từ 01/07/2025)",
        "Phường Cao Xanh (đến 30/06/2025)",
    ]


def test_it_labels_each_area_with_its_map_level_and_parent(login, provincial_staff):
    response = login(provincial_staff).get(PICK, {"q": "ha long"})
    labels = _options(response)
    # Same name on both maps and twice on the old one: the map, the level and the parent
    # tell them apart; today's map comes first.
    assert labels == [
        "Phường Hạ Long (từ 01/07/2025)",
        "Thành phố Hạ Long (đến 30/06/2025)",
        "Xã Hạ Long (đến 30/06/2025)",
    ]
    assert "Cấp xã · Huyện Vân Đồn · mã" in response.text
    assert "Cấp huyện · Tỉnh Quảng Ninh (đến 30/06/2025)" not in response.text  # parent by name
    assert "Cấp huyện · Tỉnh Quảng Ninh · mã 193" in response.text
    assert "Cấp xã · Tỉnh Quảng Ninh" in response.text


def test_an_area_outside_ones_scope_never_appears(login, secretariat_b, secretariat_a):
    assert _pick(login(secretariat_b), "ha khanh") == []
    assert _pick(login(secretariat_b), COMMUNE_A) == []
    assert (
        "Không có địa bàn nào trong phạm vi của bạn khớp"
        in login(secretariat_b).get(PICK, {"q": "ha khanh"}).text
    )
    assert _pick(login(secretariat_a), "ha khanh") == ["Phường Hà Khánh (đến 30/06/2025)"]


def test_it_finds_an_area_by_its_code(login, secretariat_a):
    assert _pick(login(secretariat_a), COMMUNE_A) == ["Phường Hà Khánh (đến 30/06/2025)"]


def test_it_needs_a_login(client, quang_ninh):
    response = client.get(PICK, {"q": "ha long"})
    assert response.status_code == 302
    assert "Hạ Long" not in response.text


def test_it_shows_at_most_twenty_and_says_there_are_more(login, provincial_staff):
    response = login(provincial_staff).get(PICK, {"q": "h"})
    assert len(_options(response)) == 20
    assert "Còn nữa: gõ thêm để thu hẹp." in response.text


def test_it_reads_the_same_number_of_queries_for_one_match_or_twenty(login, provincial_staff):
    client = login(provincial_staff)
    counts = []
    for q in ("cao xanh", "h"):
        with CaptureQueriesContext(connection) as ctx:
            client.get(PICK, {"q": q})
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1] <= 5


def test_a_form_is_offered_the_areas_in_force_on_its_date(login, provincial_staff):
    client = login(provincial_staff)
    form = {"scope": "editable", "model": "committees.training"}
    before = _pick(client, "ha long", on="15/03/2024", **form)  # as typed, dd/mm/yyyy
    after = _pick(client, "ha long", on="2026-03-15", **form)
    assert before == ["Thành phố Hạ Long (đến 30/06/2025)", "Xã Hạ Long (đến 30/06/2025)"]
    assert after == ["Phường Hạ Long (từ 01/07/2025)"]


def test_a_read_only_user_is_offered_nothing_to_record_on(login, viewer):
    assert _pick(login(viewer), "ha long", scope="editable", model="committees.training") == []
    assert _pick(login(viewer), "ha long")  # but finds it in a filter


def test_it_refuses_a_model_that_is_not_a_kind_of_record(login, secretariat_a):
    client = login(secretariat_a)
    for model in ("auth.group", "nothing.here", "committees"):
        assert client.get(PICK, {"q": "ha", "scope": "editable", "model": model}).status_code == 404


def test_a_list_filtered_by_a_picked_area_holds_its_subtree_of_that_map(login, provincial_staff):
    mine = TrainingFactory(area=area(COMMUNE_A), title="Lớp ở Hà Khánh")
    TrainingFactory(area=area("195"), title="Lớp ở Cẩm Phả")
    client = login(provincial_staff)
    picked = client.get("/trainings/", {"area": f"legacy:{DISTRICT_A}"})
    assert "Lớp ở Hà Khánh" in picked.text
    assert "Lớp ở Cẩm Phả" not in picked.text
    # The field shows the picked area by name (the script reads it from data-label).
    assert 'data-label="Thành phố Hạ Long (đến 30/06/2025)"' in picked.text
    # Another map's unit of the same code holds none of it.
    assert "Lớp ở Hà Khánh" not in client.get("/trainings/", {"area": "2025:193"}).text
    # A typed code, as in old links, still filters.
    assert "Lớp ở Hà Khánh" in client.get("/trainings/", {"area": DISTRICT_A}).text
    assert mine.pk


def test_the_api_filters_by_a_picked_area_too(login, provincial_staff):
    TrainingFactory(area=area(COMMUNE_A))
    client = login(provincial_staff)
    assert client.get("/api/v1/trainings/", {"area": f"legacy:{COMMUNE_A}"}).json()["count"] == 1
    assert client.get("/api/v1/trainings/", {"area": "legacy:99999"}).json()["count"] == 0


def test_a_form_is_saved_with_the_area_picked_by_name(login, commune_official_today):
    client = login(commune_official_today)
    form = client.get("/trainings/new/")
    assert 'data-area-picker="form"' in form.text
    assert "model=committees.training" in form.text
    picked = client.get(
        PICK, {"q": "cao xanh", "scope": "editable", "model": "committees.training"}
    )
    pk = re.search(r'data-pk="(\d+)"', picked.text).group(1)
    response = client.post(
        "/trainings/new/",
        {
            "area": pk,
            "kind": "class",
            "title": "Tập huấn ở Cao Xanh",
            "held_on": "2026-03-10",
            "audience": "Cán bộ",
            "attendances": "40",
            "papers": "1",
        },
    )
    assert response.status_code == 302
    assert Training.objects.get().area == area(COMMUNE_A_TODAY, "2025")


def test_the_petitions_dashboard_takes_a_picked_area(login, provincial_staff):
    response = login(provincial_staff).get("/petitions/dashboard/", {"area": "2025:22"})
    assert response.status_code == 200
    assert 'data-label="Tỉnh Quảng Ninh (từ 01/07/2025)"' in response.text


def test_a_filter_never_names_an_area_outside_ones_scope(login, secretariat_b):
    response = login(secretariat_b).get("/trainings/", {"area": f"legacy:{COMMUNE_A}"})
    assert response.status_code == 200
    assert "Hà Khánh" not in response.text


def test_the_area_browser_finds_a_name_typed_without_accents(login, secretariat_a):
    client = login(secretariat_a)
    assert "Phường Hà Khánh" in client.get("/areas/", {"q": "ha khanh"}).text
    assert "Phường Hà Khánh" in client.get("/areas/", {"q": COMMUNE_A}).text
