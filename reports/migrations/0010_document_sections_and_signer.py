"""The sections of a year-end report as the conferences write them: the causes of the
limitations split into subjective and objective, and proposals; an area's report dated
by its own issue date; the title of who signs.

The former single "causes" text is renamed into "causes_subjective" (the column, in the
reports and in their history; the key, in the words kept of each submission), so that
nothing typed is lost; where it already marked
its objective causes on a line of their own ("Nguyên nhân khách quan: …"), that line and
those after it move to the new "causes_objective", word for word.
"""

import re

from django.db import migrations, models

# A line that opens the objective causes: "Khách quan:", "- Nguyên nhân khách quan", "b) …".
OBJECTIVE = re.compile(r"^[\s\-–*•+]*(?:[a-zđ0-9]{1,2}[.)]\s*)?(?:nguyên nhân\s+)?khách quan\b", re.I)


def split_causes(text: str) -> tuple[str, str]:
    """The subjective and objective parts of a former "causes" text: every line in one
    of them, in order, so that the two joined give the text back."""
    lines = text.splitlines(keepends=True)
    for at, line in enumerate(lines):
        if OBJECTIVE.match(line):
            return "".join(lines[:at]).rstrip("\r\n"), "".join(lines[at:])
    return text, ""


def forwards(apps, schema_editor):
    # The words of each report as it was submitted, kept under the same names.
    submission = apps.get_model("reports", "ReportSubmission")
    for row in submission.objects.filter(narrative__has_key="causes"):
        subjective, objective = split_causes(row.narrative.pop("causes") or "")
        row.narrative.update(causes_subjective=subjective, causes_objective=objective)
        row.save(update_fields=["narrative"])
    for name in ("AnnualReport", "SummaryReport"):
        model = apps.get_model("reports", name)
        rows = model.objects.exclude(causes_subjective="").filter(causes_objective="")
        for pk, text in rows.values_list("pk", "causes_subjective"):
            subjective, objective = split_causes(text)
            if objective:
                model.objects.filter(pk=pk).update(
                    causes_subjective=subjective, causes_objective=objective
                )


def backwards(apps, schema_editor):
    submission = apps.get_model("reports", "ReportSubmission")
    for row in submission.objects.filter(narrative__has_key="causes_subjective"):
        parts = (row.narrative.pop("causes_subjective"), row.narrative.pop("causes_objective", ""))
        row.narrative["causes"] = "\n".join(t for t in parts if t)
        row.save(update_fields=["narrative"])
    for name in ("AnnualReport", "SummaryReport"):
        model = apps.get_model("reports", name)
        for pk, subjective, objective in model.objects.exclude(causes_objective="").values_list(
            "pk", "causes_subjective", "causes_objective"
        ):
            joined = "\n".join(t for t in (subjective, objective) if t)
            model.objects.filter(pk=pk).update(causes_subjective=joined, causes_objective="")


def text_field(label):
    return models.TextField(blank=True, verbose_name=label)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0009_indicator_english_units_and_sections"),
    ]

    operations = [
        *[
            migrations.RenameField(
                model_name=model, old_name="causes", new_name="causes_subjective"
            )
            for model in (
                "annualreport",
                "historicalannualreport",
                "summaryreport",
                "historicalsummaryreport",
            )
        ],
        *[
            operation
            for model in (
                "annualreport",
                "historicalannualreport",
                "summaryreport",
                "historicalsummaryreport",
            )
            for operation in (
                migrations.AlterField(
                    model_name=model,
                    name="causes_subjective",
                    field=text_field("nguyên nhân chủ quan"),
                ),
                migrations.AddField(
                    model_name=model,
                    name="causes_objective",
                    field=text_field("nguyên nhân khách quan"),
                ),
                migrations.AddField(
                    model_name=model,
                    name="proposals",
                    field=text_field("đề xuất, kiến nghị"),
                ),
                migrations.AddField(
                    model_name=model,
                    name="signer_role",
                    field=models.CharField(
                        blank=True,
                        choices=[
                            ("head", "Trưởng ban"),
                            ("standing_deputy", "Phó Trưởng ban thường trực"),
                            ("deputy", "Phó Trưởng ban"),
                        ],
                        max_length=20,
                        verbose_name="chức danh người ký",
                    ),
                ),
            )
        ],
        *[
            migrations.AddField(
                model_name=model,
                name="issued_on",
                field=models.DateField(blank=True, null=True, verbose_name="ngày ban hành"),
            )
            for model in ("annualreport", "historicalannualreport")
        ],
        migrations.RunPython(forwards, backwards),
    ]
