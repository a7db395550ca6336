"""``manage.py backup``: the database and the stored files, in one directory."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from qcdc_portal.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Sao lưu cơ sở dữ liệu (pg_dump dạng custom, hoặc bản sao SQLite) và toàn bộ tệp đã "
        "lưu (QCDC_MEDIA_ROOT) vào một thư mục qcdc-backup-<ngày>-<giờ>/ kèm manifest.json "
        "(số dòng từng bảng, SHA-256 từng tệp)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            default=Path(settings.VAR_DIR) / "backups",
            help="Thư mục chứa bản sao lưu (mặc định: QCDC_VAR_DIR/backups).",
        )

    def handle(self, *args, output: Path, **options) -> None:
        try:
            target = backup(output, log=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Đã sao lưu vào {target}"))
        # The last line is the directory alone, for scripts (cron, docker compose exec).
        self.stdout.write(str(target))
