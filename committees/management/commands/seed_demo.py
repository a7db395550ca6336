"""``manage.py seed_demo``: the demo provinces (Quảng Ninh on both maps, today's Phú Thọ)
and a login per role."""

from django.core.management.base import BaseCommand

from committees.demo import DEMO_PASSWORD, seed_demo
from committees.models import Role


class Command(BaseCommand):
    help = (
        "Tạo dữ liệu demo tỉnh Quảng Ninh (cả hai bản đồ hành chính) và tỉnh Phú Thọ mới, "
        "một tài khoản cho mỗi vai trò (chạy lại an toàn)."
    )

    def handle(self, *args, **options) -> None:
        users = seed_demo(progress=self.stdout.write)
        self.stdout.write(
            self.style.SUCCESS(f"Tài khoản demo (mật khẩu ban đầu: {DEMO_PASSWORD}):")
        )
        for spec, created in users:
            role = Role(spec.role).label if spec.role else "Quản trị viên (toàn quyền)"
            note = "" if created else " (đã có, giữ nguyên mật khẩu)"
            self.stdout.write(f"  {spec.username:<18} {role:<30} {spec.scope}{note}")
