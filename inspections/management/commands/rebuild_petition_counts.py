"""``manage.py rebuild_petition_counts``: the dashboard's counts, recounted from the
petitions — after petitions were written around the portal (a COPY, raw SQL, a restore)."""

import time

from django.core.management.base import BaseCommand

from inspections.counts import rebuild


class Command(BaseCommand):
    help = (
        "Đếm lại số liệu tổng hợp đơn thư (trang Tình hình đơn thư) từ toàn bộ đơn thư. "
        "Chạy sau khi nạp đơn thư không qua cổng thông tin (COPY, SQL, khôi phục dữ liệu)."
    )

    def handle(self, *args, **options) -> None:
        start = time.perf_counter()
        written = rebuild()
        self.stdout.write(
            f"Đã đếm lại: {written['month_rows']} dòng theo tháng nhận, "
            f"{written['due_rows']} dòng theo hạn xử lý ({time.perf_counter() - start:.1f} s)."
        )
