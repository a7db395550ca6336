"""factory-boy factories, one for every model of the portal.

Records are built in district A (Hạ Long) unless told otherwise: the real areas of
Quảng Ninh are in the test database from the start (``tests/conftest.py``), so a factory
looks its area up instead of making one. Users get a password hashed once per process
(``tests.personas.password_hash``): the real hasher, without its second per user.
"""

import datetime
from decimal import Decimal

import factory

from committees.models import (
    AnnualPlan,
    Commendation,
    CommitteeDecision,
    CommitteeRole,
    DemocracyActivity,
    Document,
    Membership,
    MemberUnit,
    PlanTask,
    RoleAssignment,
    SteeringCommittee,
    Training,
    TypicalModel,
    UnitEvent,
    User,
    VillageConvention,
)
from inspections.models import (
    Dialogue,
    IdentityAccess,
    Inspection,
    Petition,
    PetitionDocument,
    PetitionEvent,
    ReceptionSession,
)
from reports.models import (
    AnnualReport,
    ExportJob,
    FilingException,
    Indicator,
    ReminderLog,
    ReportEvent,
    ReportingPeriod,
    ReportValue,
    SummaryReport,
)
from tests.personas import COMMUNE_A, DISTRICT_A, PASSWORD, PROVINCE, area, password_hash

__all__ = ["PASSWORD", "area"]  # re-exported: tests import them from here

DAY = datetime.date(2024, 6, 1)
# The smallest PDF with a page: uploads are opened with pypdf, and must have one.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n"
    b"0000000101 00000 n \ntrailer<</Size 4/Root 1 0 R>>\nstartxref\n164\n%%EOF\n"
)


def district_a():
    return area(DISTRICT_A)


class _Scoped(factory.django.DjangoModelFactory):
    """A record of an area: district A unless given."""

    class Meta:
        abstract = True

    area = factory.LazyFunction(district_a)


# --- committees: people and committees ------------------------------------------------------


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Faker("name", locale="vi_VN")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.test")
    password = factory.LazyFunction(password_hash)


class RoleAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    area = factory.LazyFunction(district_a)


class SteeringCommitteeFactory(_Scoped):
    class Meta:
        model = SteeringCommittee
        skip_postgeneration_save = True

    name = factory.LazyAttribute(lambda c: f"Ban Chỉ đạo thực hiện dân chủ ở cơ sở {c.area.name}")
    standing_body = "Ban Dân vận"
    decision = factory.RelatedFactory(
        "tests.factories.CommitteeDecisionFactory", factory_related_name="committee"
    )


class CommitteeDecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommitteeDecision

    committee = factory.SubFactory(SteeringCommitteeFactory, decision=None)
    kind = "established"
    number = factory.Sequence(lambda n: f"{n + 100}-QĐ/TU")
    signed_on = datetime.date(2023, 3, 15)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    committee = factory.SubFactory(SteeringCommitteeFactory)
    full_name = factory.Faker("name", locale="vi_VN")
    position = "Ủy viên"
    committee_role = CommitteeRole.MEMBER
    term_start = datetime.date(2023, 3, 15)


# --- committees: records ------------------------------------------------------------------


class TrainingFactory(_Scoped):
    class Meta:
        model = Training

    kind = "class"
    title = factory.Sequence(lambda n: f"Lớp tập huấn QCDC số {n}")
    held_on = DAY
    audience = "Cán bộ, đảng viên"
    attendances = 100


class MemberUnitFactory(_Scoped):
    class Meta:
        model = MemberUnit

    kind = "state_agency"
    name = factory.Sequence(lambda n: f"Cơ quan số {n}")
    regulation_issued = True
    regulation_date = datetime.date(2023, 6, 1)


class UnitEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UnitEvent

    unit = factory.SubFactory(MemberUnitFactory)
    kind = "conference"
    held_on = DAY
    participants = 40


class DemocracyActivityFactory(factory.django.DjangoModelFactory):
    """An activity of a commune (they are kept on communes): Hà Khánh unless given."""

    class Meta:
        model = DemocracyActivity

    area = factory.LazyFunction(lambda: area(COMMUNE_A))
    kind = "consultation"
    subject = factory.Sequence(lambda n: f"Lấy ý kiến Nhân dân về nội dung số {n}")
    held_on = DAY
    participants = 120
    counted_as = "people"


class VillageConventionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VillageConvention

    area = factory.LazyFunction(lambda: area(COMMUNE_A))
    village = factory.Sequence(lambda n: f"Tổ dân phố {n + 1}")
    kind = "residential"
    name = factory.LazyAttribute(lambda c: f"Quy ước {c.village}")
    decision_number = factory.Sequence(lambda n: f"{n + 101}/QĐ-UBND")
    recognised_on = DAY
    recognised_by = "Chủ tịch UBND thành phố Hạ Long"


class DocumentFactory(_Scoped):
    class Meta:
        model = Document

    kind = "plan"
    number = factory.Sequence(lambda n: f"{n + 1}-KH/BCĐ")
    issued_on = DAY
    issuer = "Ban Chỉ đạo thành phố"
    summary = factory.Sequence(lambda n: f"Kế hoạch thực hiện dân chủ ở cơ sở số {n}")


class AnnualPlanFactory(_Scoped):
    class Meta:
        model = AnnualPlan

    year = 2024
    number = factory.Sequence(lambda n: f"{n + 1}-KH/BCĐ")
    title = "Kế hoạch thực hiện dân chủ ở cơ sở"
    issued_on = factory.LazyAttribute(lambda p: datetime.date(p.year, 1, 15))


class PlanTaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanTask

    plan = factory.SubFactory(AnnualPlanFactory)
    title = factory.Sequence(lambda n: f"Nhiệm vụ số {n}")
    responsible = "Ban Dân vận"
    deadline = datetime.date(2024, 12, 31)


class TypicalModelFactory(_Scoped):
    class Meta:
        model = TypicalModel
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Dân vận khéo số {n}")
    field = "economy"
    recognised_on = DAY

    @factory.post_generation
    def units(self, create, extracted, **kwargs):
        if create and extracted:
            self.units.add(*extracted)


class CommendationFactory(_Scoped):
    class Meta:
        model = Commendation

    recipient = factory.Sequence(lambda n: f"Tập thể số {n}")
    recipient_kind = "collective"
    award = "certificate"
    decision_number = factory.Sequence(lambda n: f"{n + 2000}-QĐ/UBND")
    awarded_on = DAY
    awarded_by = "Chủ tịch UBND thành phố"


# --- inspections ----------------------------------------------------------------------------


class InspectionFactory(_Scoped):
    class Meta:
        model = Inspection

    kind = "inspection"
    form = "regular"
    held_on = DAY
    conducted_by = "Ủy ban Kiểm tra Thành ủy"
    subject = factory.Sequence(lambda n: f"Thực hiện dân chủ ở cơ sở, đợt {n}")


class ReceptionSessionFactory(_Scoped):
    class Meta:
        model = ReceptionSession

    held_on = DAY
    kind = "regular"
    leader = "Bí thư Thành ủy"
    citizens = 12


class DialogueFactory(_Scoped):
    class Meta:
        model = Dialogue

    held_on = DAY
    kind = "citizens"
    leader = "Chủ tịch UBND thành phố"
    participants = 40
    issues_raised = 5
    issues_resolved = 3


class PetitionFactory(_Scoped):
    class Meta:
        model = Petition

    kind = "complaint"
    channel = "in_person"
    field = "land"
    received_on = datetime.date(2024, 9, 2)
    petitioner_name = "Nguyễn Văn An"
    subject = factory.Sequence(lambda n: f"Khiếu nại về đất đai số {n}")
    handling_body = "UBND thành phố Hạ Long"


class PetitionEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PetitionEvent

    petition = factory.SubFactory(PetitionFactory)
    from_status = "received"
    to_status = "classified"
    on = factory.LazyAttribute(lambda e: e.petition.received_on)
    actor = factory.SubFactory(UserFactory)


class IdentityAccessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IdentityAccess

    petition = factory.SubFactory(PetitionFactory, kind="denunciation")
    user = factory.SubFactory(UserFactory)
    channel = "page"


class PetitionDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PetitionDocument

    petition = factory.SubFactory(PetitionFactory)
    title = "Quyết định giải quyết"
    file = factory.django.FileField(filename="quyet-dinh.pdf", data=PDF)
    original_name = "quyet-dinh.pdf"
    uploaded_by = factory.SubFactory(UserFactory)


# --- reports --------------------------------------------------------------------------------


class ReportingPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportingPeriod

    province = factory.LazyFunction(lambda: area(PROVINCE))
    year = 2024
    opens_on = factory.LazyAttribute(lambda p: datetime.date(p.year, 11, 15))
    due_on = factory.LazyAttribute(lambda p: datetime.date(p.year, 12, 15))


class FilingExceptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FilingException

    period = factory.SubFactory(ReportingPeriodFactory)
    area = factory.LazyFunction(district_a)
    reason = "Thiên tai, mất điện kéo dài."
    until = factory.LazyAttribute(lambda e: e.period.due_on + datetime.timedelta(days=30))
    granted_by = factory.SubFactory(UserFactory)


class IndicatorFactory(factory.django.DjangoModelFactory):
    """A manual indicator beside the default catalogue (which a migration installs)."""

    class Meta:
        model = Indicator

    code = factory.Sequence(lambda n: f"test_indicator_{n}")
    name = factory.Sequence(lambda n: f"Chỉ tiêu thử số {n}")
    name_en = factory.Sequence(lambda n: f"Test indicator {n}")
    unit = "lượt"
    section = "other"
    order = factory.Sequence(lambda n: 10_000 + n)
    source = "manual"
    aggregation = "sum"


class AnnualReportFactory(factory.django.DjangoModelFactory):
    """A draft report row without its figures (``reports.services.report_start`` makes the
    real thing, figures computed)."""

    class Meta:
        model = AnnualReport

    period = factory.SubFactory(ReportingPeriodFactory)
    area = factory.LazyFunction(district_a)


class ReportValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportValue

    report = factory.SubFactory(AnnualReportFactory)
    indicator = factory.LazyFunction(lambda: Indicator.objects.order_by("order").first())
    value = Decimal("3")


class ReportEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportEvent

    report = factory.SubFactory(AnnualReportFactory)
    from_status = "draft"
    to_status = "submitted"
    actor = factory.SubFactory(UserFactory)


class ReminderLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReminderLog

    period = factory.SubFactory(ReportingPeriodFactory)
    area = factory.LazyFunction(district_a)
    sent_on = factory.LazyAttribute(lambda r: r.period.due_on)
    recipients = 1


class SummaryReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SummaryReport

    period = factory.SubFactory(ReportingPeriodFactory)


class ExportJobFactory(factory.django.DjangoModelFactory):
    """A finished export of a district report, its file a one-page PDF."""

    class Meta:
        model = ExportJob

    report = factory.SubFactory(AnnualReportFactory)
    period = factory.LazyAttribute(lambda j: j.report.period)
    format = "pdf"
    version = factory.LazyAttribute(lambda j: j.report.version)
    digest = factory.Sequence(lambda n: f"{n:064x}")
    content = factory.LazyFunction(dict)
    status = "done"
    filename = "bao-cao.pdf"
    file = factory.django.FileField(filename="bao-cao.pdf", data=PDF)
    requested_by = factory.SubFactory(UserFactory)


# The sections a report needs in words before it can be submitted
# (reports.services.REQUIRED_SECTIONS); a draft may leave them empty.
REPORT_SECTIONS = {
    "results": "Tổ chức 72 lớp tập huấn cho 8.532 lượt người.",
    "limitations": "Một số nơi việc lấy ý kiến Nhân dân còn hình thức.",
    "causes_subjective": "Nhận thức của một bộ phận cán bộ chưa đầy đủ.",
    "causes_objective": "Văn bản hướng dẫn ban hành chậm.",
    "lessons": "Người đứng đầu gương mẫu, sâu sát cơ sở.",
    "next_tasks": "Nhân rộng mô hình “Dân vận khéo”.",
}


def written(report):
    """The report with every section a submitted report needs (as a draft holds them)."""
    for name, text in REPORT_SECTIONS.items():
        setattr(report, name, text)
    report.save(update_fields=list(REPORT_SECTIONS))
    return report
