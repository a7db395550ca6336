"""``load_areas`` loads the real tree from vietnamadminunits, and re-running changes nothing."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from committees.models import Area

# The test database holds Quảng Ninh from the start (tests/conftest.py): the loader is
# tested from an empty area table.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_areas")]


def _load(*args: str) -> str:
    out = StringIO()
    call_command("load_areas", *args, stdout=out)
    return out.getvalue()


def test_it_loads_quang_ninh_legacy_with_its_real_counts():
    output = _load("--structure", "legacy", "--province", "Quảng Ninh")
    legacy = Area.objects.filter(structure="legacy")
    assert legacy.filter(level="province").count() == 1
    assert legacy.filter(level="district").count() == 13
    assert legacy.filter(level="commune").count() == 171
    assert "Cấp huyện: 13" in output and "Cấp xã: 171" in output
    halong = legacy.get(code="193")
    assert halong.name == "Thành phố Hạ Long"
    assert halong.parent.code == "22"
    assert halong.path == "legacy/22/193/"


def test_it_changes_nothing_when_run_again():
    _load("--province", "22")
    before = list(Area.objects.order_by("pk").values())
    history_before = Area.history.count()
    output = _load("--province", "22")
    assert list(Area.objects.order_by("pk").values()) == before
    assert Area.history.count() == history_before
    assert "(0 mới, 0 cập nhật)" in output
    assert "Liên kết kế thừa mới: 0" in output


def test_it_links_old_communes_to_their_successors():
    _load("--province", "22")
    new = Area.objects.filter(structure="2025")
    assert new.filter(level="province").count() == 1
    assert new.filter(level="commune").count() == 54
    assert not new.filter(level="district").exists()
    ha_khanh = Area.objects.get(structure="legacy", code="06649")
    assert [a.name for a in ha_khanh.successors.all()] == ["Phường Cao Xanh"]
    assert ha_khanh.valid_to.isoformat() == "2025-06-30"
    province = Area.objects.get(structure="legacy", code="22")
    assert list(province.successors.values_list("structure", "code")) == [("2025", "22")]


def test_it_updates_a_name_changed_by_hand_back_to_the_source():
    _load("--structure", "legacy", "--province", "22")
    changed = Area.objects.get(structure="legacy", code="193")
    changed.name = "Sai tên"
    changed.save()
    output = _load("--structure", "legacy", "--province", "22")
    assert Area.objects.get(structure="legacy", code="193").name == "Thành phố Hạ Long"
    assert "1 cập nhật" in output


def test_it_refuses_an_unknown_province():
    with pytest.raises(CommandError, match="Không tìm thấy tỉnh"):
        _load("--province", "Atlantis")
    assert not Area.objects.exists()


def test_it_records_history_for_the_areas_it_creates():
    _load("--structure", "legacy", "--province", "22")
    assert Area.history.filter(history_type="+").count() == 185
