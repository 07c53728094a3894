# SPDX-License-Identifier: AGPL-3.0-or-later
from django.db import migrations, models

# Sentences of the stored templates that spoke of "both parties" where an
# agreement can have more; replaced only where still unchanged by an administrator.
NO_LONGER_BOTH = [
    (
        "Båda parter kan ta initiativ till ett samtal.",
        "Varje part kan ta initiativ till ett samtal.",
    ),
    ("Begge parter kan ta initiativ til en samtale.", "Hver part kan ta initiativ til en samtale."),
    (
        "Begge parter kan tage initiativ til en samtale.",
        "Hver part kan tage initiativ til en samtale.",
    ),
    ("Either party may ask for a meeting.", "Any party may ask for a meeting."),
    ("Båda parter ska medfinansiera,", "Parterna ska medfinansiera,"),
    ("Begge parter skal medfinansiere, i penger", "Partene skal medfinansiere, i penger"),
    ("Begge parter skal medfinansiere, i penge ", "Parterne skal medfinansiere, i penge "),
    ("Both parties must co-finance,", "The parties must co-finance,"),
]


def _replaced(value):
    if isinstance(value, str):
        for old, new in NO_LONGER_BOTH:
            value = value.replace(old, new)
        return value
    if isinstance(value, dict):
        return {key: _replaced(part) for key, part in value.items()}
    if isinstance(value, list):
        return [_replaced(part) for part in value]
    return value


def forward(apps, schema_editor):
    Agreement = apps.get_model("agreements", "Agreement")
    AgreementTemplate = apps.get_model("agreements", "AgreementTemplate")
    AgreementVersion = apps.get_model("agreements", "AgreementVersion")
    LogEntry = apps.get_model("core", "LogEntry")
    for template in AgreementTemplate.objects.all():
        sections, principles = _replaced(template.sections), _replaced(template.principles)
        if (sections, principles) != (template.sections, template.principles):
            template.sections, template.principles = sections, principles
            template.save(update_fields=["sections", "principles"])
    # Versions sent for review: from the first one sent (as the history says;
    # else the newest) on, of every agreement that has left the draft.
    for agreement in Agreement.objects.exclude(status="draft").only("pk", "version"):
        sent = [
            number
            for number in LogEntry.objects.filter(
                action="agreement.submitted", data__agreement=agreement.pk
            ).values_list("data__version", flat=True)
            if isinstance(number, int)
        ]
        first = min(sent, default=agreement.version)
        AgreementVersion.objects.filter(agreement=agreement, number__gte=first).update(
            sent_for_review=True
        )
        AgreementVersion.objects.filter(agreement=agreement, approvals__isnull=False).update(
            sent_for_review=True
        )


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0003_rendered_documents"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="agreementversion",
            name="sent_for_review",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.RunPython(forward, migrations.RunPython.noop),
    ]
