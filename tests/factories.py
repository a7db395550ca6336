"""factory-boy factories for the portal's models."""

import datetime

import factory

from committees.models import (
    Area,
    CommitteeDecision,
    CommitteeRole,
    Membership,
    MemberUnit,
    RoleAssignment,
    SteeringCommittee,
    Training,
    User,
)

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Faker("name", locale="vi_VN")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.test")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(self, create, extracted, **kwargs):
        if create:
            self.save()


class RoleAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)


class SteeringCommitteeFactory(factory.django.DjangoModelFactory):
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


def area(code: str, structure: str = "legacy") -> Area:
    return Area.objects.get(structure=structure, code=code)


class TrainingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Training

    kind = "class"
    title = factory.Sequence(lambda n: f"Lớp tập huấn QCDC số {n}")
    held_on = datetime.date(2024, 6, 1)
    audience = "Cán bộ, đảng viên"
    attendances = 100


class MemberUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MemberUnit

    kind = "state_agency"
    name = factory.Sequence(lambda n: f"Cơ quan số {n}")
    regulation_issued = True
    regulation_date = datetime.date(2023, 6, 1)
