"""What changed between two submissions of a report: the figures (old → new, with the
reasons given) and the words (a word diff), so that a reviewer reads a report sent back
to its area only where it moved.

Submissions are ``ReportSubmission`` snapshots; the diff is difflib's, over words and
punctuation marks with the spaces and line breaks between them kept, so the text reads as
it was written ("tập huấn." → "tập huấn cho cán bộ thôn." inserts the words before the full
stop, rather than replacing "huấn." with "huấn cho cán bộ thôn.").
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from .models import AnnualReport, Indicator, ReportSubmission

# The words of a report and what they are called on the page.
NARRATIVE_LABELS = {
    "results": _("Kết quả đạt được"),
    "limitations": _("Hạn chế"),
    "causes_subjective": _("Nguyên nhân chủ quan"),
    "causes_objective": _("Nguyên nhân khách quan"),
    "lessons": _("Bài học kinh nghiệm"),
    "next_tasks": _("Nhiệm vụ năm tới"),
    "proposals": _("Đề xuất, kiến nghị"),
    "number": _("Số văn bản"),
    "signer": _("Người ký"),
    "recipients": _("Nơi nhận"),
}
EQUAL, DELETED, INSERTED = "equal", "deleted", "inserted"
# Spaces, numbers as written ("8.532", "12,5"), words, and each other mark on its own.
_WORDS = re.compile(r"\s+|\d+(?:[.,]\d+)*|\w+|[^\w\s]")


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """``new`` against ``old`` as (kind, text) pieces: equal, deleted or inserted words.
    Changed words with only spaces between them read as one change ("3 lớp" → "5 lớp
    học"), not as a patchwork of single words."""
    a, b = _WORDS.findall(old or ""), _WORDS.findall(new or "")
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    runs: list[list] = []  # [equal?, old words, new words]
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        equal = op == "equal"
        if equal and runs and not "".join(a[i1:i2]).strip() and not runs[-1][0]:
            equal = False  # spaces between two changes belong to the change
        if runs and runs[-1][0] == equal and not equal:
            runs[-1][1] += a[i1:i2]
            runs[-1][2] += b[j1:j2]
        else:
            runs.append([equal, a[i1:i2], b[j1:j2]])
    pieces: list[tuple[str, str]] = []
    for equal, old_words, new_words in runs:
        if equal:
            pieces.append((EQUAL, "".join(old_words)))
            continue
        if old_words:
            pieces.append((DELETED, "".join(old_words)))
        if new_words:
            pieces.append((INSERTED, "".join(new_words)))
    return pieces


@dataclass(frozen=True)
class FigureChange:
    indicator: Indicator | None
    code: str
    old: Decimal | None
    new: Decimal | None
    old_reason: str
    new_reason: str
    text: list[tuple[str, str]] | None = None  # a text indicator's word diff


@dataclass(frozen=True)
class TextChange:
    label: str
    diff: list[tuple[str, str]]


@dataclass(frozen=True)
class NoteChange:
    rule: str
    message: str
    diff: list[tuple[str, str]]


@dataclass(frozen=True)
class Changes:
    previous: ReportSubmission
    current: ReportSubmission
    figures: list[FigureChange]
    texts: list[TextChange]
    notes: list[NoteChange]

    @property
    def any(self) -> bool:
        return bool(self.figures or self.texts or self.notes)


def _number(text: str | None) -> Decimal | None:
    return None if text in (None, "") else Decimal(text)


def submission_changes(
    previous: ReportSubmission, current: ReportSubmission, indicators: dict[str, Indicator]
) -> Changes:
    """``current`` against ``previous``, figures in the catalogue's order."""
    order = {code: (i.order, code) for code, i in indicators.items()}
    codes = sorted(
        previous.figures.keys() | current.figures.keys(), key=lambda c: order.get(c, (9999, c))
    )
    figures = []
    for code in codes:
        old, new = previous.figures.get(code, {}), current.figures.get(code, {})
        before, after = _number(old.get("value")), _number(new.get("value"))
        text = None
        if old.get("text", "") != new.get("text", ""):
            text = word_diff(old.get("text", ""), new.get("text", ""))
        if before != after or text is not None:
            figures.append(
                FigureChange(
                    indicators.get(code),
                    code,
                    before,
                    after,
                    old.get("reason", ""),
                    new.get("reason", ""),
                    text,
                )
            )
    texts = [
        TextChange(str(label), word_diff(previous.narrative.get(name, ""), current.narrative[name]))
        for name, label in NARRATIVE_LABELS.items()
        if previous.narrative.get(name, "") != current.narrative.get(name, "")
        and name in current.narrative
    ]
    notes = []
    for pk in sorted(previous.notes.keys() | current.notes.keys()):
        old, new = previous.notes.get(pk, {}), current.notes.get(pk, {})
        if old.get("note") != new.get("note"):
            rule = new or old
            diff = word_diff(old.get("note", ""), new.get("note", ""))
            notes.append(NoteChange(rule["rule"], rule["message"], diff))
    return Changes(previous, current, figures, texts, notes)


def report_changes(report: AnnualReport) -> Changes | None:
    """The last submission of the report against the one before it; None until it has
    been submitted twice. Two queries."""
    latest = list(
        report.submissions.select_related("event__actor").order_by("-event__at", "-id")[:2]
    )
    if len(latest) < 2:
        return None
    indicators = {i.code: i for i in Indicator.objects.all()}
    return submission_changes(latest[1], latest[0], indicators)
