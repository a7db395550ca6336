"""``manage.py load_areas``: the real administrative units, from ``vietnamadminunits``."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from committees.models import Area, Level, Structure
from committees.services import gso
from committees.services.areas import areas_load


class Command(BaseCommand):
    help = (
        "Nạp các đơn vị hành chính thật (mã GSO) từ gói vietnamadminunits. "
        "Chạy lại không thay đổi gì."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--structure",
            choices=[*Structure.values, "all"],
            default="all",
            help="legacy: 63 tỉnh (đến 30/06/2025); 2025: 34 tỉnh; all: cả hai (mặc định).",
        )
        parser.add_argument("--province", help="Chỉ nạp một tỉnh: mã (22) hoặc tên (Quảng Ninh).")
        parser.add_argument(
            "--if-incomplete",
            action="store_true",
            help="Bỏ qua một cơ cấu đã có đủ số đơn vị của nguồn (khởi động nhanh).",
        )

    def handle(
        self, *args, structure: str, province: str | None, if_incomplete: bool, **options
    ) -> None:
        structures = Structure.values if structure == "all" else [structure]
        if if_incomplete and not province:
            structures = [s for s in structures if not self._complete(s)]
            if not structures:
                return
        try:
            result = areas_load(
                structures=structures, province=province, progress=self.stdout.write
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        for s in structures:
            counts = ", ".join(
                f"{Level(level).label}: {result.total[(s, level)]}"
                for level in Level.values
                if result.total[(s, level)]
            )
            created = sum(v for (st, _), v in result.created.items() if st == s)
            updated = sum(v for (st, _), v in result.updated.items() if st == s)
            self.stdout.write(
                self.style.SUCCESS(
                    f"{Structure(s).label} — {counts} ({created} mới, {updated} cập nhật)"
                )
            )
        self.stdout.write(f"Liên kết kế thừa mới: {result.links_created}")

    def _complete(self, structure: str) -> bool:
        present = Area.objects.filter(structure=structure).count()
        if present >= gso.source_count(structure):
            self.stdout.write(f"{Structure(structure).label}: đã đủ {present} đơn vị, bỏ qua.")
            return True
        return False
