"""The choices the area tree is made of, with no model of their own: the levels, the two
maps, and the day one replaced the other. Every models module may import them."""

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    PROVINCE = "province", _("Cấp tỉnh")
    DISTRICT = "district", _("Cấp huyện")
    COMMUNE = "commune", _("Cấp xã")


class Structure(models.TextChoices):
    """The two administrative structures: before and after the 2025 reorganisation."""

    LEGACY = "legacy", _("63 tỉnh, 3 cấp (đến 30/06/2025)")
    Y2025 = "2025", _("34 tỉnh, 2 cấp (từ 01/07/2025)")


# The day the two-level structure (Nghị quyết 202/2025/QH15) took effect.
REORGANISATION_DATE = datetime.date(2025, 7, 1)
