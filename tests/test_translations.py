"""Every string is translatable and the English translation is complete and compiled."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"


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


def test_the_compiled_catalogue_matches_the_translation(tmp_path):
    mo = PO.with_suffix(".mo")
    assert mo.exists(), "run: python manage.py compilemessages"
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", str(fresh), str(PO)], check=True)
    assert fresh.read_bytes() == mo.read_bytes(), "run: python manage.py compilemessages"
