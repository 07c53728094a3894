# SPDX-License-Identifier: AGPL-3.0-or-later
from django.db import migrations


def load(apps, schema_editor):
    from samverka.agreements.catalogue import load_templates

    load_templates(apps.get_model("agreements", "AgreementTemplate"))


class Migration(migrations.Migration):
    dependencies = [("agreements", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
