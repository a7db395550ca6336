"""Every string is translatable and the English translation is complete and compiled."""

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import django
import pytest
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
# The portal's English, and the libraries' messages in the portal's words (Vietnamese,
# and English where the portal words them its own way).
CATALOGUES = [
    PO,
    ROOT / "locale" / "libraries" / "vi" / "LC_MESSAGES" / "django.po",
    ROOT / "locale" / "libraries" / "en" / "LC_MESSAGES" / "django.po",
]


def _entries(po_text: str) -> list[tuple[str, str]]:
    """(msgid, msgstr) pairs of a .po file, without the header and obsolete entries."""
    entries: list[dict[str, str]] = []
    field = None
    for raw in po_text.splitlines():
        line = raw.strip()
        if line.startswith("msgid "):
            entries.append({"id": "", "str": ""})
            field, value = "id", line[len("msgid ") :]
        elif line.startswith("msgid_plural "):
            field, value = None, ""
        elif line.startswith("msgstr"):
            field, value = "str", line.split(" ", 1)[1]
        elif line.startswith('"') and field:
            value = line
        else:
            field = None
            continue
        if field:
            entries[-1][field] += value.strip('"')
    return [(e["id"], e["str"]) for e in entries if e["id"]]


def test_the_english_translation_is_complete():
    entries = _entries(PO.read_text(encoding="utf-8"))
    assert len(entries) > 100
    missing = [i for i, s in entries if not s]
    assert missing == []
    assert "#, fuzzy" not in PO.read_text(encoding="utf-8").split("msgid", 2)[2]


def test_the_catalogue_holds_every_string_of_the_code(tmp_path):
    """makemessages, run on a copy of the code, finds no string the catalogue lacks."""
    copy = tmp_path / "src"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(".venv", "var", ".git", "node_modules", "tests", "*.pyc"),
    )
    env = {**os.environ, "DJANGO_DEBUG": "true"}
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "--no-obsolete"],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    fresh = _entries((copy / PO.relative_to(ROOT)).read_text(encoding="utf-8"))
    assert [msgid for msgid, msgstr in fresh if not msgstr] == []


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda po: str(po.relative_to(ROOT)))
def test_the_compiled_catalogue_matches_the_translation(tmp_path, po):
    mo = po.with_suffix(".mo")
    assert mo.exists(), "run: make messages"
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", str(fresh), str(po)], check=True)
    assert fresh.read_bytes() == mo.read_bytes(), "run: make messages"


# The messages of the libraries that users meet: Django's forms, validators, model fields
# and password checks; DRF (the API's errors); django-filter. Each must read Vietnamese in
# the Vietnamese portal, from the library's own catalogue or from locale/libraries/vi.
SITE = Path(django.__file__).resolve().parent.parent
LIBRARY_SOURCES = [
    "django/forms/*.py",
    "django/core/validators.py",
    "django/db/models/fields/*.py",
    "django/db/models/base.py",
    "django/contrib/auth/forms.py",
    "django/contrib/auth/password_validation.py",
    "rest_framework/**/*.py",
    "django_filters/**/*.py",
]
# Punctuation Django translates for languages that write it otherwise; names.
SAME_IN_VIETNAMESE = {":", ":?.!", "IPv4", "IPv6"}


def _library_messages(tmp_path) -> list[tuple[str | None, str, str | None]]:
    files = sorted(
        str(path)
        for pattern in LIBRARY_SOURCES
        for path in SITE.glob(pattern)
        if "/tests/" not in str(path)
    )
    pot = tmp_path / "libraries.pot"
    keywords = ["_", "gettext", "gettext_lazy", "ngettext:1,2", "ngettext_lazy:1,2"]
    keywords += ["pgettext:1c,2", "pgettext_lazy:1c,2"]
    subprocess.run(
        ["xgettext", "-L", "Python", "--from-code=UTF-8", "-o", str(pot)]
        + [f"--keyword={k}" for k in keywords]
        + files,
        check=True,
        capture_output=True,
    )
    messages = []
    for block in pot.read_text(encoding="utf-8").split("\n\n"):
        fields: dict[str, str] = {}
        key = None
        for line in block.splitlines():
            if line.startswith(("msgctxt ", "msgid ", "msgid_plural ")):
                key, value = line.split(" ", 1)
                fields[key] = ast.literal_eval(value)
            elif line.startswith('"') and key:
                fields[key] += ast.literal_eval(line)
            elif line.startswith("msgstr"):
                key = None
        if fields.get("msgid"):
            messages.append((fields.get("msgctxt"), fields["msgid"], fields.get("msgid_plural")))
    return messages


def test_the_libraries_messages_read_vietnamese(tmp_path):
    messages = _library_messages(tmp_path)
    assert len(messages) > 250
    english = []
    with translation.override("vi"):
        for context, msgid, plural in messages:
            if plural:
                text = translation.ngettext(msgid, plural, 1)
            elif context:
                text = translation.pgettext(context, msgid)
            else:
                text = translation.gettext(msgid)
            if text == msgid and msgid not in SAME_IN_VIETNAMESE:
                english.append(msgid)
    assert english == [], "translate them in locale/libraries/vi/LC_MESSAGES/django.po"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "message"),
    [
        # A reference is looked up among the records the caller sees (VisibleRelatedField):
        # one answer for an id out of scope and one that does not exist.
        ("vi", "Không tìm thấy bản ghi này."),
        ("en", "This record was not found."),
    ],
)
def test_the_api_answers_in_the_users_language(login, secretariat_a, settings, language, message):
    client = login(secretariat_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.post(
        "/api/v1/trainings/",
        {"area": 999999999, "kind": "class", "title": "x", "held_on": "2024-05-14"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["area"] == [message]
