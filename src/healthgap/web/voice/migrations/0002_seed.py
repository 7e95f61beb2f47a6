"""Seed the themes (barriers) people most often raise (editable afterwards)."""

from django.db import migrations


def seed(apps, schema_editor):
    from healthgap.web.plan.seeds import THEMES

    Theme = apps.get_model("voice", "Theme")
    for key, name in THEMES:
        Theme.objects.update_or_create(key=key, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("voice", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
