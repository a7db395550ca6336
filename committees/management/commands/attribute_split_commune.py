"""``manage.py attribute_split_commune``: the successor that the records of a commune
split between several count for — all of them (``--area``) or one (``--record``)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from committees.management.operator import administrator, area_by_code
from committees.models import Structure
from committees.services.reorganisation import (
    attributable_models,
    record_attribute,
    split_commune_attribute,
)


class Command(BaseCommand):
    help = gettext_lazy(
        "Chọn đơn vị kế thừa mà số liệu trước 01/07/2025 của một xã chia tách được tính "
        "cho: cả xã (--area) hoặc từng bản ghi (--record LOẠI:MÃ)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--area", help=gettext_lazy("Mã xã cũ (đến 30/06/2025)."))
        which.add_argument(
            "--record", help=gettext_lazy("Một bản ghi: LOẠI:MÃ, ví dụ training:12.")
        )
        parser.add_argument(
            "--to", required=True, help=gettext_lazy("Mã đơn vị kế thừa (từ 01/07/2025).")
        )
        parser.add_argument(
            "--reason", default="", help=gettext_lazy("Lý do, ghi vào lịch sử thay đổi.")
        )
        parser.add_argument(
            "--by", help=gettext_lazy("Tên đăng nhập của quản trị viên thực hiện (bắt buộc).")
        )

    def handle(self, *args, area, record, to, reason: str, by, **options) -> None:
        actor = administrator(by, required=True)
        target = area_by_code(to, Structure.Y2025)
        try:
            if area:
                commune = area_by_code(area, Structure.LEGACY)
                split_commune_attribute(area=commune, to=target, actor=actor, reason=reason)
                message = _("Số liệu của %(area)s tính cho %(to)s.")
                values = {"area": commune.label, "to": target.label}
            else:
                row = self._record(record)
                record_attribute(record=row, to=target, actor=actor, reason=reason)
                message = _("Số liệu của %(record)s (#%(id)s) tính cho %(to)s.")
                values = {"record": row, "id": row.pk, "to": target.label}
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(self.style.SUCCESS(message % values))

    def _record(self, text: str):
        kinds = {m._meta.model_name: m for m in attributable_models()}
        kind, _sep, pk = text.partition(":")
        model = kinds.get(kind.strip().lower())
        if model is None or not pk.strip().isdigit():
            raise CommandError(
                _("Bản ghi ghi dạng LOẠI:MÃ, LOẠI là một trong: %(kinds)s (ví dụ training:12).")
                % {"kinds": ", ".join(sorted(kinds))}
            )
        row = model._default_manager.select_related("area").filter(pk=int(pk)).first()
        if row is None:
            raise CommandError(
                _("Không có %(kind)s mã %(id)s.")
                % {"kind": model._meta.verbose_name, "id": pk.strip()}
            )
        return row
