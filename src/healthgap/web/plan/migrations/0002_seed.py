"""Seed the Marmot principles and the usual population groups (editable afterwards)."""

from django.db import migrations


def seed(apps, schema_editor):
    from healthgap.web.plan.seeds import POPULATION_GROUPS, PRIORITIES

    Priority = apps.get_model("plan", "Priority")
    PopulationGroup = apps.get_model("plan", "PopulationGroup")
    for order, (key, title) in enumerate(PRIORITIES, start=1):
        Priority.objects.update_or_create(
            key=key, defaults={"title": title, "kind": "marmot", "order": order}
        )
    for order, (key, name, description) in enumerate(POPULATION_GROUPS, start=1):
        PopulationGroup.objects.update_or_create(
            key=key, defaults={"name": name, "description": description, "order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("plan", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
