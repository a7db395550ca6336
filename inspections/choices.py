"""The choices of the inspections app's records, and the groups of a petition's states:
no model of their own, so the law's deadlines (``deadlines``) and the models may both
import them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class InspectionKind(models.TextChoices):
    INSPECTION = "inspection", _("Kiểm tra")
    SUPERVISION = "supervision", _("Giám sát")


class InspectionForm(models.TextChoices):
    REGULAR = "regular", _("Thường xuyên")
    THEMATIC = "thematic", _("Chuyên đề")


class FollowUp(models.TextChoices):
    NONE = "none", _("Không có kiến nghị")
    PENDING = "pending", _("Chưa thực hiện")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    DONE = "done", _("Đã thực hiện xong")


class SessionKind(models.TextChoices):
    REGULAR = "regular", _("Định kỳ")
    AD_HOC = "ad_hoc", _("Đột xuất")


class DialogueKind(models.TextChoices):
    CITIZENS = "citizens", _("Với Nhân dân")
    WORKERS = "workers", _("Với người lao động")


class PetitionKind(models.TextChoices):
    COMPLAINT = "complaint", _("Khiếu nại")
    DENUNCIATION = "denunciation", _("Tố cáo")
    PETITION = "petition", _("Kiến nghị, phản ánh")


class Round(models.TextChoices):
    """A complaint's round (Luật Khiếu nại 2011): the first to the body whose decision is
    complained of (Điều 27, 28), the second to its superior (Điều 36, 37)."""

    FIRST = "first", _("Lần đầu")
    SECOND = "second", _("Lần hai")


class Channel(models.TextChoices):
    IN_PERSON = "in_person", _("Trực tiếp")
    POST = "post", _("Qua bưu chính")
    ONLINE = "online", _("Trực tuyến")
    FORWARDED = "forwarded", _("Do cơ quan khác chuyển đến")
    RECEPTION = "reception", _("Tại buổi tiếp công dân")


class PetitionField(models.TextChoices):
    LAND = "land", _("Đất đai")
    COMPENSATION = "compensation", _("Bồi thường, giải phóng mặt bằng, tái định cư")
    POLICY = "policy", _("Chế độ, chính sách")
    ADMINISTRATION = "administration", _("Hành chính")
    CORRUPTION = "corruption", _("Tham nhũng, tiêu cực")
    OTHER = "other", _("Lĩnh vực khác")


class Complexity(models.TextChoices):
    NORMAL = "normal", _("Thông thường")
    COMPLEX = "complex", _("Phức tạp")
    VERY_COMPLEX = "very_complex", _("Đặc biệt phức tạp")


class Status(models.TextChoices):
    RECEIVED = "received", _("Đã tiếp nhận")
    CLASSIFIED = "classified", _("Đã phân loại")
    ACCEPTED = "accepted", _("Đã thụ lý")
    NOT_ACCEPTED = "not_accepted", _("Không thụ lý")
    FORWARDED = "forwarded", _("Đã chuyển đơn")
    BEING_RESOLVED = "being_resolved", _("Đang giải quyết")
    RESOLVED = "resolved", _("Đã giải quyết")
    CLOSED = "closed", _("Đã kết thúc")
    WITHDRAWN = "withdrawn", _("Rút đơn")


class Outcome(models.TextChoices):
    RIGHT = "right", _("Đúng")
    WRONG = "wrong", _("Sai")
    PARTLY = "partly", _("Đúng một phần")


# Before acceptance the first deadline runs; after it, the resolution deadline.
BEFORE_ACCEPTANCE = (Status.RECEIVED, Status.CLASSIFIED)
BEING_HANDLED = (Status.ACCEPTED, Status.BEING_RESOLVED)
OPEN = (*BEFORE_ACCEPTANCE, *BEING_HANDLED)
RESOLVED = (Status.RESOLVED, Status.CLOSED)
# The states a petition's handling ends in: the day it reached one is its ``settled_on``.
SETTLED = (Status.NOT_ACCEPTED, Status.FORWARDED, Status.RESOLVED, Status.WITHDRAWN)
