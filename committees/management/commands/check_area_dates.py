"""``manage.py check_area_dates``: records dated outside their area's validity, and role
assignments left on abolished units (DESIGN.md, "Two maps, one present")."""

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from committees.management.operator import ids_text, person
from committees.services.reorganisation import (
    assignments_left_behind,
    records_outside_area_validity,
)


class Command(BaseCommand):
    help = gettext_lazy(
        "Liệt kê bản ghi có ngày nằm ngoài thời gian hiệu lực của địa bàn (theo loại và địa "
        "bàn, kèm số lượng và mã) và phân quyền còn trên địa bàn không còn. Không thay đổi gì."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--fail",
            action="store_true",
            help=gettext_lazy(
                "Trả mã lỗi khác 0 khi có bất kỳ bản ghi nào (cho kịch bản vận hành)."
            ),
        )
        parser.add_argument(
            "--all-ids",
            action="store_true",
            help=gettext_lazy("In đủ mọi mã bản ghi, không rút gọn."),
        )

    def handle(self, *args, fail: bool, all_ids: bool, **options) -> None:
        misfiled = records_outside_area_validity()
        left = list(assignments_left_behind())
        self._records(misfiled, every=all_ids)
        self._assignments(left)
        if misfiled or left:
            self.stdout.write(
                _("Chuyển sang đơn vị kế thừa: manage.py move_to_successors --dry-run")
            )
        if fail and (misfiled or left):
            raise CommandError(
                _("%(records)s bản ghi, %(people)s phân quyền cần xử lý.")
                % {"records": sum(m.count for m in misfiled), "people": len(left)},
                returncode=1,
            )

    def _records(self, misfiled, *, every: bool) -> None:
        if not misfiled:
            self.stdout.write(
                self.style.SUCCESS(
                    _("Không có bản ghi nào có ngày nằm ngoài thời gian hiệu lực của địa bàn.")
                )
            )
            return
        total = sum(m.count for m in misfiled)
        self.stdout.write(
            self.style.WARNING(
                _("Bản ghi có ngày nằm ngoài thời gian hiệu lực của địa bàn: %(n)s") % {"n": total}
            )
        )
        kind = None
        for entry in misfiled:
            if entry.kind != kind:
                kind = entry.kind
                count = sum(m.count for m in misfiled if m.kind == kind)
                self.stdout.write(f"\n{capfirst(kind)} ({count})")
            for ids, what in (
                (entry.after, _("ghi ngày sau khi địa bàn không còn")),
                (entry.before, _("ghi ngày trước khi địa bàn có")),
            ):
                if ids:
                    self.stdout.write(
                        f"  {entry.area.label}, "
                        + _("mã %(code)s: %(n)s %(what)s — %(ids)s")
                        % {
                            "code": entry.area.code,
                            "n": len(ids),
                            "what": what,
                            "ids": ids_text(ids, every=every),
                        }
                    )

    def _assignments(self, left) -> None:
        self.stdout.write("")
        if not left:
            self.stdout.write(
                self.style.SUCCESS(_("Không có phân quyền nào còn trên địa bàn không còn."))
            )
            return
        self.stdout.write(
            self.style.WARNING(
                _("Phân quyền trên địa bàn không còn, chưa có trên đơn vị kế thừa: %(n)s")
                % {"n": len(left)}
            )
        )
        area = None
        for assignment in left:
            if assignment.area != area:
                area = assignment.area
                self.stdout.write(f"  {area.label}, " + _("mã %(code)s:") % {"code": area.code})
            self.stdout.write(f"    {person(assignment.user)} — {assignment.get_role_display()}")
