"""The main pages in English hold no Vietnamese but the data's.

Each main page of the demo is rendered in English for each kind of persona. Its visible text —
text, labels, titles, placeholders, the messages portal.js shows, the charts' labels — may
keep Vietnamese only where it is data: names and texts stored in the database (areas,
people, records), which stay as they were entered. What is left once the data is taken
out must have no Vietnamese letter, and no piece of it may be a message of the catalogue
left in Vietnamese: either is a string the English catalogue lacks or one never wrapped
for translation, and the failure names the page and the text.

The demo has some sixty logins, most of them the office accounts of today's communes,
which differ only in the names of their areas: a page shows the same strings to two
logins that hold the same roles on the same levels and maps and see the same kinds of
records and the same report statuses. One login of each such kind is enough (about a
dozen): rendering every page for every login took a minute.
"""

import json
import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import reverse

from committees.models import (
    AnnualPlan,
    Commendation,
    Document,
    MemberUnit,
    RoleAssignment,
    SteeringCommittee,
    Training,
    TypicalModel,
    User,
)
from inspections.models import Dialogue, Inspection, Petition, ReceptionSession
from reports.models import AnnualReport, ReportingPeriod, ReportStatus
from tests.test_translations import PO, _entries

pytestmark = [pytest.mark.django_db, pytest.mark.long]

# The letters Vietnamese has and English has not.
VIETNAMESE = re.compile(
    "[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]", re.IGNORECASE
)
# Attributes whose text a user reads or hears; data-* of <template id="portal-messages">
# are the messages portal.js shows, data-label a list's column name on a phone.
READ_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt", "data-label", "label"}
NOT_SHOWN = {"script", "style", "head"}


class _VisibleText(HTMLParser):
    """The pieces of text of a page a user sees or hears, one per text node or attribute."""

    def __init__(self) -> None:
        super().__init__()
        self.pieces: list[str] = []
        self._hidden: list[str] = []
        self._json = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in NOT_SHOWN:
            self._hidden.append(tag)
            self._json = tag == "script" and attributes.get("type") == "application/json"
        for name, value in attrs:
            shown = name in READ_ATTRIBUTES or (
                attributes.get("id") == "portal-messages" and name.startswith("data-")
            )
            if shown and value:
                self.pieces.append(value)

    def handle_endtag(self, tag):
        if self._hidden and self._hidden[-1] == tag:
            self._hidden.pop()
            self._json = False

    def handle_data(self, data):
        if self._json:  # a chart's labels (json_script)
            self.pieces.extend(_strings(json.loads(data)))
        elif not self._hidden and data.strip():
            self.pieces.append(data)


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _data_strings() -> list[str]:
    """Every text stored in the portal's tables, longest first — but the catalogue's
    Vietnamese that has an English field beside it (``name`` of ``name_en``): the
    English pages must show the English."""
    found: set[str] = set()
    for app in ("committees", "inspections", "reports"):
        for model in apps.get_app_config(app).get_models():
            if model.__name__.startswith("Historical"):
                continue
            names = {f.name for f in model._meta.concrete_fields}
            for field in model._meta.concrete_fields:
                text = isinstance(field, models.CharField | models.TextField)
                if not text or field.choices or f"{field.name}_en" in names:
                    continue
                values = model.objects.exclude(**{field.name: ""}).values_list(field.name)
                for (value,) in values.distinct():
                    found.add(" ".join(value.split()))
                    found.update(line.strip() for line in value.splitlines() if line.strip())
    return sorted(found, key=len, reverse=True)


def _catalogue() -> tuple[set[str], set[str]]:
    """The catalogue's messages whose English differs (a piece that reads one of them
    was left Vietnamese), and its English (which may keep a Vietnamese symbol on
    purpose: "For example: 12-KH/BCĐ")."""
    entries = _entries(PO.read_text(encoding="utf-8"))
    return {i for i, s in entries if s and s != i}, {s for _i, s in entries}


class Leftovers:
    """The pieces of a page's visible text left Vietnamese once the data is taken out.
    Pages repeat most of their pieces (the menu, the footer, a list's headers), and
    taking out the data looks for each of a few thousand stored texts: each piece is
    judged once."""

    def __init__(self, data: list[str], messages: set[str], english: set[str]) -> None:
        self.data, self.messages, self.english = data, messages, english
        self._judged: dict[str, bool] = {}

    def __call__(self, html: str) -> list[str]:
        parser = _VisibleText()
        parser.feed(html)
        texts = (" ".join(piece.split()) for piece in parser.pieces)
        return [text for text in texts if self._left(text)]

    def _left(self, text: str) -> bool:
        if text not in self._judged:
            self._judged[text] = self._judge(text)
        return self._judged[text]

    def _judge(self, text: str) -> bool:
        if text in self.messages:
            return True
        if text in self.english:
            return False
        if text.endswith("…") and any(v.startswith(text[:-1].strip()) for v in self.data):
            return False  # a long text cut short (truncatewords)
        rest = text
        for value in self.data:
            if value in rest:
                rest = rest.replace(value, " ")
        return bool(VIETNAMESE.search(rest))


# The records the main pages list or open: which of them a login sees makes its pages.
SHOWN = (
    SteeringCommittee,
    AnnualPlan,
    Document,
    MemberUnit,
    Training,
    TypicalModel,
    Commendation,
    Petition,
    ReceptionSession,
    Dialogue,
    Inspection,
)


def _one_of_each_kind(users) -> list[User]:
    """A login of each kind: its roles (on which level of which map), the kinds of
    records it sees, the reports it sees (year and status) and the step of the petition
    it opens (``_pages``). Of each kind, the login that sees the most records."""
    kinds: dict[tuple, tuple[int, User]] = {}
    for user in users.order_by("username"):
        roles = RoleAssignment.objects.filter(user=user)
        seen = [model.objects.visible_to(user).count() for model in SHOWN]
        reports = AnnualReport.objects.visible_to(user).values_list("period__year", "status")
        petition = Petition.objects.visible_to(user).values_list("kind", "status").first()
        kind = (
            user.is_superuser,
            frozenset(roles.values_list("role", "area__structure", "area__level")),
            tuple(bool(count) for count in seen),
            frozenset(reports),
            petition,
        )
        if kind not in kinds or sum(seen) > kinds[kind][0]:
            kinds[kind] = (sum(seen), user)
    return [user for _count, user in kinds.values()]


def _pages(persona: User) -> list[str]:
    period = ReportingPeriod.objects.filter(year=2024).first()
    report = AnnualReport.objects.filter(period=period).first()
    draft = AnnualReport.objects.filter(status=ReportStatus.DRAFT).first()
    pages = [
        reverse("home"),
        reverse("committees:area_list"),
        reverse("committees:area_detail", args=["22"]),
        reverse("committees:area_detail", args=["193"]),
        reverse("committees:committee_list"),
        SteeringCommittee.objects.first().get_absolute_url(),
        reverse("committees:plan_list"),
        AnnualPlan.objects.first().get_absolute_url(),
        reverse("committees:task_list") + "?overdue=true",
        reverse("committees:document_list"),
        Document.objects.first().get_absolute_url(),
        reverse("committees:memberunit_list"),
        MemberUnit.objects.first().get_absolute_url(),
        reverse("committees:training_list"),
        Training.objects.first().get_absolute_url(),
        reverse("committees:training_create"),
        reverse("committees:typicalmodel_list"),
        TypicalModel.objects.first().get_absolute_url(),
        reverse("committees:commendation_list"),
        Commendation.objects.first().get_absolute_url(),
        reverse("inspections:petition_list"),
        reverse("inspections:petition_dashboard"),
        reverse("inspections:petition_create"),
        reverse("inspections:reception_list"),
        reverse("inspections:dialogue_list"),
        reverse("inspections:inspection_list"),
        reverse("reports:period_list"),
        period.get_absolute_url(),
        report.get_absolute_url(),
        reverse("reports:period_summary", args=[period.pk]),
        reverse("password_change"),
        "/no-such-page/",
    ]
    petition = Petition.objects.visible_to(persona).first()
    if petition:
        pages.append(petition.get_absolute_url())
    if draft:
        pages.append(reverse("reports:report_edit", args=[draft.pk]))
    return pages


def test_the_main_pages_in_english_hold_no_vietnamese_but_the_datas(seeded_demo, settings):
    data = _data_strings()
    messages, english = _catalogue()
    leftovers = Leftovers(data, messages, english)
    anonymous = Client()
    anonymous.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    found = {
        f"{reverse('login')} (anonymous): {text}"
        for text in leftovers(anonymous.get(reverse("login")).text)
    }
    for persona in _one_of_each_kind(User.objects.exclude(username="quantri")):
        client = Client()
        client.force_login(persona, backend="django.contrib.auth.backends.ModelBackend")
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        for url in _pages(persona):
            response = client.get(url)
            assert response.status_code in (200, 403, 404), (url, response.status_code)
            for text in leftovers(response.text):
                found.add(f"{url} ({persona.username}): {text}")
    assert sorted(found) == [], "\n".join(sorted(found))
