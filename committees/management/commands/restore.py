"""``manage.py restore DIR``: a backup of ``manage.py backup``, loaded and verified."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from qcdc_portal.backup import BackupError, number, read_manifest, restore, verify


class Command(BaseCommand):
    help = (
        "Khôi phục một bản sao lưu của manage.py backup vào cơ sở dữ liệu (DATABASE_URL) và "
        "thư mục tệp (QCDC_MEDIA_ROOT) hiện tại, rồi đối chiếu số dòng từng bảng và SHA-256 "
        "từng tệp với manifest. Dừng cổng thông tin và worker trước khi khôi phục."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", type=Path, help="Thư mục qcdc-backup-… cần khôi phục.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Xóa dữ liệu và tệp đang có rồi thay bằng bản sao lưu (mặc định: từ chối "
            "nếu cơ sở dữ liệu hoặc thư mục tệp không trống).",
        )
        parser.add_argument(
            "--verify-only",
            action="store_true",
            help="Không nạp gì: chỉ đối chiếu dữ liệu hiện tại với manifest của bản sao lưu.",
        )

    def handle(self, *args, source: Path, replace: bool, verify_only: bool, **options) -> None:
        try:
            if verify_only:
                result = verify(read_manifest(source))
            else:
                result = restore(source, replace=replace, log=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        for problem in result.problems:
            self.stderr.write(f"  ✗ {problem}")
        summary = (
            f"{result.tables} bảng, {number(result.rows)} dòng; {result.files} tệp, "
            f"{number(result.bytes)} byte"
        )
        if not result.ok:
            raise CommandError(f"Dữ liệu khôi phục không khớp bản sao lưu ({summary}).")
        self.stdout.write(self.style.SUCCESS(f"Khôi phục đầy đủ và đã đối chiếu: {summary}."))
