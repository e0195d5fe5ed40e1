"""The "Editor" group may add, change and view statement stances and relations between statements.

As for the other models, no delete permissions: editors reject a suggestion rather than delete it.
"""

from django.db import migrations

GROUP = "Editor"
MODELS = ["statementstance", "statementrelation"]
ACTIONS = ["add", "change", "view"]


def grant(apps, schema_editor):
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes

    archive = global_apps.get_app_config("archive")
    create_contenttypes(archive, verbosity=0, apps=apps)
    create_permissions(archive, verbosity=0, apps=apps)

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    codenames = [f"{action}_{model}" for model in MODELS for action in ACTIONS]
    permissions = list(Permission.objects.filter(content_type__app_label="archive", codename__in=codenames))
    missing = set(codenames) - {p.codename for p in permissions}
    if missing:
        raise RuntimeError(f"Permissions missing for the Editor group: {sorted(missing)}")
    group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    codenames = [f"{action}_{model}" for model in MODELS for action in ACTIONS]
    for group in Group.objects.filter(name=GROUP):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="archive", codename__in=codenames))


class Migration(migrations.Migration):
    dependencies = [("archive", "0013_statement_stances_and_relations")]

    operations = [migrations.RunPython(grant, revoke)]
