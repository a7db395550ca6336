"""``manage.py move_to_successors``: what abolished units still hold for the present —
records dated after they ended, member units, role assignments — moved to the units of
today's map that took them over (``committees.services.reorganisation``)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from committees.management.operator import administrator, area_by_code, ids_text, person
from committees.models import Structure
from committees.services.reorganisation import MovePlan, records_move_to_heirs


class Command(BaseCommand):
    help = gettext_lazy(
        "Chuyển bản ghi ghi ngày sau khi địa bàn không còn, đơn vị thực hiện QCDC và phân "
        "quyền của đơn vị hành chính cũ sang đơn vị kế thừa, có lịch sử thay đổi. Bản ghi "
        "trước 01/07/2025 không chuyển. Xã chia tách và cấp huyện cũ cần --to."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help=gettext_lazy("Chỉ liệt kê, không thay đổi gì.")
        )
        parser.add_argument(
            "--area", help=gettext_lazy("Mã đơn vị cũ (đến 30/06/2025); mặc định: tất cả.")
        )
        parser.add_argument(
            "--to", help=gettext_lazy("Mã đơn vị nhận (từ 01/07/2025), một đơn vị kế thừa.")
        )
        parser.add_argument(
            "--reason", default="", help=gettext_lazy("Lý do, ghi vào lịch sử thay đổi.")
        )
        parser.add_argument(
            "--by", help=gettext_lazy("Tên đăng nhập của quản trị viên thực hiện (bắt buộc).")
        )
        parser.add_argument(
            "--all-ids", action="store_true", help=gettext_lazy("In đủ mọi mã bản ghi.")
        )

    def handle(self, *args, dry_run: bool, area, to, reason: str, by, all_ids: bool, **options):
        self.every = all_ids
        actor = administrator(by, required=not dry_run)
        source = area_by_code(area, Structure.LEGACY) if area else None
        target = area_by_code(to, Structure.Y2025) if to else None
        try:
            plan = records_move_to_heirs(
                area=source, to=target, actor=actor, reason=reason, dry_run=dry_run
            )
        except ValidationError as exc:
            hint = ""
            if source is not None and exc.code == "choice_needed":
                hint = " " + _("Chạy lại với --area %(code)s --to <mã>.") % {"code": source.code}
            raise CommandError(" ".join(exc.messages) + hint) from None
        self._report(plan)

    def _report(self, plan: MovePlan) -> None:
        if not plan.transfers and not plan.waiting:
            self.stdout.write(self.style.SUCCESS(_("Không có gì cần chuyển.")))
            return
        if plan.transfers:
            head = _("Đã chuyển:") if plan.applied else _("Chạy thử, chưa thay đổi gì. Sẽ chuyển:")
            self.stdout.write(self.style.SUCCESS(head) if plan.applied else head)
        for transfer in plan.transfers:
            self.stdout.write(f"{transfer.source.label} → {transfer.target.label}")
            for kind, ids in transfer.kinds():
                self._rows(kind, ids)
            for assignment in transfer.assignments:
                self.stdout.write(
                    "  "
                    + _("thêm phân quyền: %(who)s — %(role)s")
                    % {"who": person(assignment.user), "role": assignment.get_role_display()}
                )
        if plan.transfers:
            self.stdout.write(
                _("Tổng: %(rows)s bản ghi, %(people)s phân quyền thêm mới.")
                % {"rows": plan.moved_rows, "people": plan.added_assignments}
            )
        if plan.waiting:
            self.stdout.write(self.style.WARNING("\n" + _("Chưa chuyển:")))
        for waiting in plan.waiting:
            self._waiting(waiting)

    def _rows(self, kind: str, ids: list[int]) -> None:
        self.stdout.write(f"  {kind}: {len(ids)} — {ids_text(ids, every=self.every)}")

    def _waiting(self, waiting) -> None:
        self.stdout.write(f"{waiting.source.label}")
        for kind, ids in waiting.kinds():
            self._rows(kind, ids)
        for assignment in waiting.assignments:
            self.stdout.write(
                "  "
                + _("phân quyền: %(who)s — %(role)s")
                % {"who": person(assignment.user), "role": assignment.get_role_display()}
            )
        self.stdout.write(f"  {waiting.message}")
        if waiting.suggestion:
            self.stdout.write(
                "  "
                + _("Gợi ý của dữ liệu nguồn: %(heir)s (mã %(code)s) — không tự áp dụng.")
                % {"heir": waiting.suggestion.name, "code": waiting.suggestion.code}
            )
        if waiting.choices:
            self.stdout.write(
                "  "
                + _("Chạy: manage.py move_to_successors --area %(code)s --to <mã>")
                % {"code": waiting.source.code}
            )
