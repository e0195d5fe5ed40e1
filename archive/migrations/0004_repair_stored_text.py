"""Text stored before every way in normalised it: CR line endings, NUL, zero-width characters, NFC."""

from django.db import migrations


def repair(apps, schema_editor):
    from archive.repair import repair_texts

    names = ["Source", "Topic", "Article", "Actor", "Alias", "Statement"]
    repair_texts([apps.get_model("archive", name) for name in names])


class Migration(migrations.Migration):
    dependencies = [("archive", "0003_editor_group")]

    operations = [migrations.RunPython(repair, migrations.RunPython.noop)]
