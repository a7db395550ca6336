"""What was kept before the map of today, put on it (issue 14): records dated outside
their area's validity are listed (``check_area_dates``) and moved to the units that took
their area over (``move_to_successors``, the Area admin), and the records of a commune
split between several successors are attributed to one (``attribute_split_commune``,
its admin page). On the real areas of Quảng Ninh, both maps."""

import datetime
import io
import re

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from committees.models import (
    Area,
    MemberUnit,
    Role,
    RoleAssignment,
    Structure,
    Training,
    TypicalModel,
)
from committees.services.reorganisation import dated_models
from inspections.models import Inspection, Petition
from reports.catalogue import computed_figures
from tests.factories import MemberUnitFactory, RoleAssignmentFactory, TrainingFactory, UserFactory

pytestmark = pytest.mark.django_db

HA_KHANH = "06649"  # Phường Hà Khánh (Hạ Long) → Phường Cao Xanh
CAO_XANH = "06658"
HA_KHAU = "06655"  # Phường Hà Khẩu, split between Tuần Châu and Việt Hưng
HA_LONG = "193"  # Thành phố Hạ Long, a district: no district on today's map
REASON = "Rà soát sau sắp xếp đơn vị hành chính"


def legacy(code: str) -> Area:
    return Area.objects.get(structure=Structure.LEGACY, code=code)


def today_map(code: str) -> Area:
    return Area.objects.get(structure=Structure.Y2025, code=code)


def heir(name: str) -> Area:
    return Area.objects.get(structure=Structure.Y2025, name=name)


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def _petition(area: Area, received_on: str) -> Petition:
    return Petition.objects.create(
        area=area,
        kind="petition",
        channel="post",
        field="land",
        received_on=day(received_on),
        petitioner_name="Trần Văn Bình",
        subject="Kiến nghị về đường dân sinh",
        handling_body="UBND phường",
    )


@pytest.fixture
def operator(administrator):
    """The administrator (``quantri``), who runs the moves."""
    return administrator


@pytest.fixture
def kept(quang_ninh):
    """Records of 2025 and 2026 kept on abolished units (as factories and imports may
    have left them), records of before the reform, units and people of abolished units."""
    ha_khanh, ha_long, ha_khau = legacy(HA_KHANH), legacy(HA_LONG), legacy(HA_KHAU)
    rows = {
        "late_commune": TrainingFactory(area=ha_khanh, attendances=40, held_on=day("2026-03-10")),
        "early_commune": TrainingFactory(area=ha_khanh, attendances=7, held_on=day("2025-03-12")),
        "late_petition": _petition(ha_khanh, "2025-09-01"),
        "late_district": TrainingFactory(area=ha_long, attendances=60, held_on=day("2026-02-01")),
        "early_district": TrainingFactory(area=ha_long, attendances=5, held_on=day("2025-01-15")),
        "late_split": TrainingFactory(area=ha_khau, attendances=30, held_on=day("2026-04-01")),
        "early_split": TrainingFactory(area=ha_khau, attendances=3, held_on=day("2025-02-01")),
        "unit_commune": MemberUnitFactory(area=ha_khanh, name="UBND phường Hà Khánh"),
        "unit_district": MemberUnitFactory(area=ha_long, name="Trung tâm Chính trị thành phố"),
    }
    rows["district_inspection"] = Inspection.objects.create(
        area=ha_long,
        kind="inspection",
        form="regular",
        held_on=day("2025-10-10"),
        conducted_by="Ban Thường vụ Thành ủy Hạ Long",
        subject="Thực hiện dân chủ ở cơ sở",
        party_organisations=4,
        party_members=20,
    )
    people = {
        "commune": (HA_KHANH, Role.COMMUNE_OFFICIAL),
        "district": (HA_LONG, Role.DISTRICT_SECRETARIAT),
        "split": (HA_KHAU, Role.COMMUNE_OFFICIAL),
        "province": ("22", Role.PROVINCIAL_STAFF),
    }
    for name, (code, role) in people.items():
        user = UserFactory(username=f"cu.{name}", full_name="")
        rows[f"user_{name}"] = user
        RoleAssignmentFactory(user=user, role=role, area=legacy(code))
    return rows


def listed(output: str, kind: str, row) -> bool:
    """Whether a line of ``kind`` lists ``row`` by its id."""
    lines = [line for line in output.splitlines() if kind in line]
    return any(re.search(rf"#{row.pk}\b", line) for line in lines)


def _area_of(row) -> Area:
    return type(row).objects.select_related("area").get(pk=row.pk).area


# --- check_area_dates ---------------------------------------------------------------------


def test_check_area_dates_lists_records_by_kind_and_area_with_ids(kept):
    TrainingFactory(area=today_map(CAO_XANH), held_on=day("2025-03-01"))  # before it began
    output = run("check_area_dates")
    assert "Bản ghi có ngày nằm ngoài thời gian hiệu lực của địa bàn: 6" in output
    assert "Tập huấn, tuyên truyền (4)" in output
    ha_khanh = f"Phường Hà Khánh (đến 30/06/2025), mã {HA_KHANH}: 1 ghi ngày sau khi"
    assert f"{ha_khanh} địa bàn không còn — #{kept['late_commune'].pk}" in output
    assert "Phường Cao Xanh (từ 01/07/2025), mã 06658: 1 ghi ngày trước khi địa bàn có" in output
    assert f"Đơn thư (1)\n  Phường Hà Khánh (đến 30/06/2025), mã {HA_KHANH}: 1" in output
    assert "Cuộc kiểm tra, giám sát (1)" in output
    section = output.split("Tập huấn, tuyên truyền (4)")[1].split("\n\n")[0]
    assert not listed(section, "Phường", kept["early_commune"])  # before the reform: in place
    assert "Phân quyền trên địa bàn không còn, chưa có trên đơn vị kế thừa: 4" in output
    assert "cu.district — Tổ giúp việc BCĐ cấp huyện" in output


def test_check_area_dates_fails_for_scripts_only_when_asked(kept):
    with pytest.raises(CommandError) as refused:
        run("check_area_dates", "--fail")
    assert refused.value.returncode == 1
    assert "5 bản ghi, 4 phân quyền cần xử lý" in str(refused.value)


def test_check_area_dates_says_so_when_all_is_in_place(quang_ninh):
    output = run("check_area_dates", "--fail")
    assert "Không có bản ghi nào có ngày nằm ngoài thời gian hiệu lực của địa bàn." in output
    assert "Không có phân quyền nào còn trên địa bàn không còn." in output


def test_check_area_dates_reads_each_kind_once(kept, django_assert_num_queries):
    for n in range(20):
        TrainingFactory(area=legacy(HA_KHANH), held_on=day("2026-01-01") + datetime.timedelta(n))
    with django_assert_num_queries(len(dated_models()) + 2):  # and the areas, the people
        run("check_area_dates")


# --- move_to_successors -------------------------------------------------------------------


def test_the_dry_run_lists_what_would_move_and_changes_nothing(kept):
    history = Training.history.count()
    output = run("move_to_successors", "--dry-run")
    assert "Chạy thử, chưa thay đổi gì. Sẽ chuyển:" in output
    assert "Phường Hà Khánh (đến 30/06/2025) → Phường Cao Xanh (từ 01/07/2025)" in output
    assert f"tập huấn, tuyên truyền: 1 — #{kept['late_commune'].pk}\n" in output
    assert "thêm phân quyền: cu.commune — Cán bộ cấp xã" in output
    assert "Thành phố Hạ Long (đến 30/06/2025) → Tỉnh Quảng Ninh (từ 01/07/2025)" in output
    assert "Tỉnh Quảng Ninh (đến 30/06/2025) → Tỉnh Quảng Ninh (từ 01/07/2025)" in output
    assert "Chưa chuyển:" in output and "Phường Tuần Châu (mã" in output
    assert _area_of(kept["late_commune"]) == legacy(HA_KHANH)
    assert Training.history.count() == history
    assert not RoleAssignment.objects.filter(area__structure=Structure.Y2025).exists()


def test_the_dry_run_lists_exactly_what_the_real_run_does(kept, operator):
    planned = run("move_to_successors", "--dry-run").split("\n", 1)[1]
    done = run("move_to_successors", "--by", "quantri").split("\n", 1)[1]
    assert planned == done
    assert run("move_to_successors", "--dry-run").count("→") == 0  # nothing left to move


def test_the_real_run_moves_misfiled_records_with_history_naming_who_and_why(kept, operator):
    output = run("move_to_successors", "--by", "quantri", "--reason", REASON)
    assert output.startswith("Đã chuyển:")
    moved = Training.objects.get(pk=kept["late_commune"].pk)
    assert moved.area == today_map(CAO_XANH)
    latest = moved.history.latest()
    assert latest.history_type == "~"
    assert (latest.history_user, latest.history_change_reason) == (operator, REASON)
    assert latest.prev_record.area == legacy(HA_KHANH)  # nothing deleted, the old place kept
    petition = Petition.objects.get(pk=kept["late_petition"].pk)
    assert petition.area == today_map(CAO_XANH)
    assert petition.history.latest().history_change_reason == REASON
    assert MemberUnit.objects.get(pk=kept["unit_commune"].pk).area == today_map(CAO_XANH)


def test_records_dated_before_the_reform_never_move(kept, operator):
    run("move_to_successors", "--by", "quantri")
    viet_hung = heir("Phường Việt Hưng").code
    run("move_to_successors", "--by", "quantri", "--area", HA_KHAU, "--to", viet_hung)
    for name in ("early_commune", "early_district", "early_split"):
        row = kept[name]
        assert _area_of(row) == row.area, name
        assert row.history.count() == 1, name


def test_district_level_records_after_the_reform_go_to_the_new_province(kept, operator):
    run("move_to_successors", "--by", "quantri")
    province = today_map("22")
    assert _area_of(kept["late_district"]) == province
    assert _area_of(kept["district_inspection"]) == province
    # A district's units and people wait for an explicit choice.
    assert _area_of(kept["unit_district"]) == legacy(HA_LONG)
    assert not kept["user_district"].assignments.filter(area__structure=Structure.Y2025).exists()


def test_a_split_commune_is_refused_without_a_target_naming_its_successors(kept, operator):
    with pytest.raises(CommandError) as refused:
        run("move_to_successors", "--by", "quantri", "--area", HA_KHAU)
    message = str(refused.value)
    assert "Phường Hà Khẩu được chia cho nhiều đơn vị" in message
    assert "Phường Tuần Châu (mã" in message and "Phường Việt Hưng (mã" in message
    assert "gợi ý" in message and "--to" in message
    assert _area_of(kept["late_split"]) == legacy(HA_KHAU)

    viet_hung = heir("Phường Việt Hưng")
    run("move_to_successors", "--by", "quantri", "--area", HA_KHAU, "--to", viet_hung.code)
    assert _area_of(kept["late_split"]) == viet_hung
    assert kept["user_split"].assignments.filter(area=viet_hung, role=Role.COMMUNE_OFFICIAL)


def test_a_target_that_did_not_take_the_area_over_is_refused(kept, operator):
    with pytest.raises(CommandError) as refused:
        run("move_to_successors", "--by", "quantri", "--area", HA_KHAU, "--to", CAO_XANH)
    assert "Phường Cao Xanh (từ 01/07/2025) không kế thừa Phường Hà Khẩu" in str(refused.value)
    assert _area_of(kept["late_split"]) == legacy(HA_KHAU)


def test_the_real_run_needs_to_know_who_acts(kept):
    with pytest.raises(CommandError, match="--by"):
        run("move_to_successors")
    assert _area_of(kept["late_commune"]) == legacy(HA_KHANH)


def test_role_assignments_are_added_on_successors_and_the_old_ones_kept(kept, operator):
    run("move_to_successors", "--by", "quantri", "--reason", REASON)
    commune = kept["user_commune"].assignments
    assert set(commune.values_list("area__structure", "area__code")) == {
        (Structure.LEGACY, HA_KHANH),
        (Structure.Y2025, CAO_XANH),
    }
    added = commune.get(area__structure=Structure.Y2025)
    first = added.history.get()
    assert (first.history_type, first.history_user, first.history_change_reason) == (
        "+",
        operator,
        REASON,
    )
    province = kept["user_province"].assignments
    assert province.filter(area=today_map("22"), role=Role.PROVINCIAL_STAFF).exists()
    # A district secretariat does not silently get a whole province, nor a split commune.
    assert kept["user_district"].assignments.count() == 1
    assert kept["user_split"].assignments.count() == 1

    ward = today_map(CAO_XANH)
    run("move_to_successors", "--by", "quantri", "--area", HA_LONG, "--to", ward.code)
    assert kept["user_district"].assignments.filter(area=ward, role=Role.DISTRICT_SECRETARIAT)
    assert _area_of(kept["unit_district"]) == ward


def test_after_a_move_the_figures_count_each_record_once(kept, operator):
    cao_xanh, province = today_map(CAO_XANH), today_map("22")
    viet_hung = heir("Phường Việt Hưng")

    def attendances(area, year):
        return computed_figures(area, year)["training_attendances"]

    before = {
        (cao_xanh, 2026): attendances(cao_xanh, 2026),
        (province, 2026): attendances(province, 2026),
        (cao_xanh, 2025): attendances(cao_xanh, 2025),
    }
    assert before == {(cao_xanh, 2026): 40, (province, 2026): 130, (cao_xanh, 2025): 7}
    run("move_to_successors", "--by", "quantri")
    run("move_to_successors", "--by", "quantri", "--area", HA_KHAU, "--to", viet_hung.code)
    assert {key: attendances(*key) for key in before} == before
    assert attendances(viet_hung, 2026) == 30
    assert computed_figures(province, 2026)["petitions_received"] == 0  # of 2025
    assert computed_figures(cao_xanh, 2025)["petitions_received"] == 1
    assert computed_figures(province, 2025)["inspection_organisations"] == 4
    units = computed_figures(province, 2026)["units"]
    assert units == 2 == MemberUnit.objects.count()


def test_check_area_dates_lists_before_the_move_and_nothing_after(kept, operator):
    assert "Bản ghi có ngày nằm ngoài" in run("check_area_dates")
    run("move_to_successors", "--by", "quantri")
    for code, to in ((HA_KHAU, heir("Phường Tuần Châu")), (HA_LONG, today_map("22"))):
        run("move_to_successors", "--by", "quantri", "--area", code, "--to", to.code)
    output = run("check_area_dates", "--fail")
    assert "Không có bản ghi nào có ngày nằm ngoài thời gian hiệu lực" in output
    assert "Không có phân quyền nào còn trên địa bàn không còn." in output


def test_a_unit_that_would_collide_with_one_of_the_same_name_stays_and_says_why(kept, operator):
    MemberUnitFactory(area=today_map(CAO_XANH), name="UBND phường Hà Khánh")
    output = run("move_to_successors", "--by", "quantri")
    assert "Phường Cao Xanh (từ 01/07/2025) đã có đơn vị thực hiện QCDC “UBND phường Hà Khánh”" in (
        output
    )
    assert _area_of(kept["unit_commune"]) == legacy(HA_KHANH)
    assert _area_of(kept["late_commune"]) == today_map(CAO_XANH)


def test_a_communes_own_unit_ends_with_the_commune_and_does_not_move(kept, operator):
    own = MemberUnitFactory(area=legacy(HA_KHANH), kind="commune", name="Phường Hà Khánh")
    late = MemberUnitFactory(
        area=legacy(HA_KHANH),
        kind="commune",
        name="Phường Hà Khánh (cũ)",
        established_on=day("2026-01-10"),
    )
    output = run("move_to_successors", "--by", "quantri")
    assert _area_of(own) == legacy(HA_KHANH)
    assert not listed(output, "đơn vị thực hiện QCDC", own)
    assert _area_of(late) == legacy(HA_KHANH)
    assert "Đơn vị thực hiện QCDC này là chính Phường Hà Khánh, không còn từ 01/07/2025" in output


def test_a_typical_model_moves_with_the_units_it_names_kept_in_its_history(kept, operator):
    model = TypicalModel.objects.create(
        area=legacy(HA_KHANH), name="Dân vận khéo", field="economy", recognised_on=day("2025-11-20")
    )
    model.units.set([kept["unit_commune"]])
    model.save()
    run("move_to_successors", "--by", "quantri", "--reason", REASON)
    latest = model.history.latest()
    assert latest.history_change_reason == REASON
    assert latest.diff_against(latest.prev_record).changed_fields == ["area"]
    assert list(TypicalModel.objects.get(pk=model.pk).units.all()) == [kept["unit_commune"]]


# --- attribute_split_commune --------------------------------------------------------------


def test_a_split_communes_records_are_attributed_all_to_one(kept, operator):
    tuan_chau = heir("Phường Tuần Châu")
    output = run(
        "attribute_split_commune", "--area", HA_KHAU, "--to", tuan_chau.code, "--by", "quantri"
    )
    assert "Số liệu của Phường Hà Khẩu (đến 30/06/2025) tính cho Phường Tuần Châu" in output
    split = legacy(HA_KHAU)
    assert split.attributed_to == tuan_chau
    assert split.history.latest().history_user == operator
    assert computed_figures(tuan_chau, 2025)["training_attendances"] == 3


def test_one_record_is_attributed_to_a_successor(kept, operator):
    viet_hung = heir("Phường Việt Hưng")
    record = f"training:{kept['early_split'].pk}"
    run("attribute_split_commune", "--record", record, "--to", viet_hung.code, "--by", "quantri")
    row = Training.objects.get(pk=kept["early_split"].pk)
    assert row.attributed_to == viet_hung
    assert row.history.latest().history_user == operator
    assert computed_figures(viet_hung, 2025)["training_attendances"] == 3


@pytest.mark.parametrize(
    ("record", "to", "message"),
    [
        ("early_split", CAO_XANH, "Phường Cao Xanh (từ 01/07/2025) không kế thừa Phường Hà Khẩu"),
        ("early_commune", CAO_XANH, "chỉ có một đơn vị kế thừa là Phường Cao Xanh (mã 06658)"),
        ("early_district", "22", "Thành phố Hạ Long (đến 30/06/2025) không phải xã"),
        ("late_split", "Phường Việt Hưng", "sau khi Phường Hà Khẩu không còn"),
    ],
)
def test_a_wrong_attribution_is_refused_with_a_clear_message(kept, operator, record, to, message):
    code = heir(to).code if to.startswith("Phường") else to
    with pytest.raises(CommandError) as refused:
        run(
            "attribute_split_commune",
            "--record",
            f"training:{kept[record].pk}",
            "--to",
            code,
            "--by",
            "quantri",
        )
    assert message in str(refused.value)
    assert Training.objects.get(pk=kept[record].pk).attributed_to is None


def test_a_record_kind_that_does_not_exist_is_explained(kept, operator):
    with pytest.raises(CommandError, match=r"LOẠI là một trong: .*training"):
        run("attribute_split_commune", "--record", "bogus:1", "--to", "22", "--by", "quantri")


# --- the Area admin -----------------------------------------------------------------------

CHANGELIST = "/admin/committees/area/"


def _action(client, areas, **data):
    selected = {"action": "move_to_successors", "_selected_action": [a.pk for a in areas]}
    return client.post(CHANGELIST, {**selected, **data})


def _listing(page) -> dict[str, str]:
    """The hidden fields of a listing page: the targets and the rows it showed."""
    return {"previewed": page.context["signature"], "listed": page.context["plan"].digest()}


@pytest.fixture
def staff(quang_ninh):
    """Staff of the admin who may change areas, but not an administrator."""
    user = UserFactory(username="nhanvien", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="committees", content_type__model="area")
    )
    return user


def test_an_administrator_moves_from_the_area_admin_after_a_confirmation(kept, operator, login):
    client = login(operator)
    commune, split = legacy(HA_KHANH), legacy(HA_KHAU)
    page = _action(client, [commune, split])
    text = page.content.decode()
    assert "Phường Hà Khánh (đến 30/06/2025) → Phường Cao Xanh (từ 01/07/2025)" in text
    assert "Gợi ý của dữ liệu nguồn: Phường Việt Hưng — không tự áp dụng." in text
    assert _area_of(kept["late_commune"]) == commune  # listed, not moved

    viet_hung = heir("Phường Việt Hưng")
    chosen = {"reason": REASON, f"to_{split.pk}": viet_hung.pk}
    # A target chosen after the listing is listed again before anything moves.
    again = _action(client, [commune, split], step="confirm", **_listing(page), **chosen)
    text = again.content.decode()
    assert "Đơn vị nhận đã đổi" in text
    assert "Phường Hà Khẩu (đến 30/06/2025) → Phường Việt Hưng (từ 01/07/2025)" in text
    assert _area_of(kept["late_split"]) == split

    done = _action(client, [commune, split], step="confirm", **_listing(again), **chosen)
    assert done.status_code == 302
    assert _area_of(kept["late_split"]) == viet_hung
    assert _area_of(kept["late_commune"]) == today_map(CAO_XANH)
    moved = Training.objects.get(pk=kept["late_split"].pk).history.latest()
    assert (moved.history_user, moved.history_change_reason) == (operator, REASON)
    assert kept["user_split"].assignments.filter(area=viet_hung).exists()
    assert _area_of(kept["late_district"]) == legacy(HA_LONG)  # not selected

    detail = client.get(f"/trainings/{kept['late_split'].pk}/").content.decode()
    assert f"Lý do: {REASON}" in detail
    assert "Phường Hà Khẩu (đến 30/06/2025)" in detail  # where it was, by name


def test_a_wrong_reason_changes_nothing_and_says_why(kept, operator, login):
    client = login(operator)
    commune = legacy(HA_KHANH)
    page = _action(client, [commune])
    response = _action(client, [commune], step="confirm", **_listing(page), reason="x" * 101)
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    assert _area_of(kept["late_commune"]) == commune


def test_what_was_added_after_the_listing_is_listed_again_before_anything_moves(
    kept, operator, login
):
    client = login(operator)
    commune = legacy(HA_KHANH)
    page = _action(client, [commune])
    newer = TrainingFactory(area=commune, held_on=day("2026-05-20"))  # by someone else, meanwhile
    again = _action(client, [commune], step="confirm", reason=REASON, **_listing(page))
    assert again.status_code == 200
    assert "Danh sách đã thay đổi từ lúc bạn xem" in again.content.decode()
    assert _area_of(kept["late_commune"]) == commune and _area_of(newer) == commune
    assert f"#{newer.pk}" in again.content.decode()

    # Without a listing, nothing moves either.
    unseen = _action(client, [commune], step="confirm", reason=REASON, previewed=f"{commune.pk}:")
    assert unseen.status_code == 200 and _area_of(newer) == commune

    done = _action(client, [commune], step="confirm", reason=REASON, **_listing(again))
    assert done.status_code == 302
    assert _area_of(newer) == today_map(CAO_XANH)
    assert _area_of(kept["late_commune"]) == today_map(CAO_XANH)
    assert _area_of(kept["early_commune"]) == commune  # before the reform: never moves


def test_an_administrator_attributes_a_split_communes_records_on_its_page(kept, operator, login):
    client = login(operator)
    split = legacy(HA_KHAU)
    waiting = client.get(CHANGELIST, {"split": "unattributed"}).content.decode()
    assert "Phường Hà Khẩu" in waiting and "Phường Hà Khánh" not in waiting
    url = f"/admin/committees/area/{split.pk}/attribution/"
    assert "phân bổ số liệu" in waiting and url in waiting
    text = client.get(url).content.decode()
    assert "Phường Hà Khẩu (đến 30/06/2025) được chia cho:" in text
    assert "Dữ liệu nguồn ghi Phường Việt Hưng là nơi nhận chính" in text
    assert f"#{kept['early_split'].pk} " in text and f"#{kept['late_split'].pk} " not in text

    tuan_chau, viet_hung = heir("Phường Tuần Châu"), heir("Phường Việt Hưng")
    one = f"training_{kept['early_split'].pk}"
    response = client.post(url, {"to": tuan_chau.pk, "reason": REASON, one: viet_hung.pk})
    assert response.status_code == 302
    split.refresh_from_db()
    assert split.attributed_to == tuan_chau
    assert split.history.latest().history_user == operator
    row = Training.objects.get(pk=kept["early_split"].pk).history.latest()
    assert (row.attributed_to, row.history_user, row.history_change_reason) == (
        viet_hung,
        operator,
        REASON,
    )
    assert computed_figures(viet_hung, 2025)["training_attendances"] == 3
    assert "Phường Hà Khẩu" not in client.get(CHANGELIST, {"split": "unattributed"}).text

    district = client.get(f"/admin/committees/area/{legacy(HA_LONG).pk}/attribution/")
    assert "Thành phố Hạ Long (đến 30/06/2025) không phải xã" in district.content.decode()


def test_staff_who_are_not_administrators_neither_move_nor_attribute(kept, staff, login):
    client = login(staff)
    commune, split = legacy(HA_KHANH), legacy(HA_KHAU)
    assert "move_to_successors" not in client.get(CHANGELIST).content.decode()
    _action(client, [commune], step="confirm", reason=REASON, previewed=f"{commune.pk}:")
    assert _area_of(kept["late_commune"]) == commune
    url = f"/admin/committees/area/{split.pk}/attribution/"
    assert client.get(url).status_code == 403
    tuan_chau = heir("Phường Tuần Châu")
    assert client.post(url, {"to": tuan_chau.pk, "reason": REASON}).status_code == 403
    split.refresh_from_db()
    assert split.attributed_to is None


def test_the_admin_pages_read_the_same_queries_whatever_they_list(kept, operator, login):
    client = login(operator)
    split, commune = legacy(HA_KHAU), legacy(HA_KHANH)
    url = f"/admin/committees/area/{split.pk}/attribution/"

    def queries(request) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert request().status_code == 200
        return len(captured)

    def pages() -> tuple[int, int]:
        return queries(lambda: client.get(url)), queries(lambda: _action(client, [commune]))

    before = pages()
    for n in range(15):
        TrainingFactory(area=split, held_on=day("2024-01-01") + datetime.timedelta(n))
        TrainingFactory(area=commune, held_on=day("2026-01-01") + datetime.timedelta(n))
        _petition(commune, "2025-08-01")
        user = UserFactory(username=f"xa.{n}")
        RoleAssignmentFactory(user=user, role=Role.COMMUNE_OFFICIAL, area=commune)
    assert pages() == before
