"""The "Editor" group: add, change and view articles, statements, actors, aliases, sources and topics.

No delete permissions and nothing on users or groups: editors reject a statement rather than delete
it, and only a superuser deletes or manages accounts.
"""

from django.db import migrations

GROUP = "Editor"
MODELS = ["article", "statement", "actor", "alias", "source", "topic"]
ACTIONS = ["add", "change", "view"]


def create_editor_group(apps, schema_editor):
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes

    # Permissions are normally created after all migrations; make sure they exist now.
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
    group.permissions.set(permissions)


def remove_editor_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0002_topic_vocabulary"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_editor_group, remove_editor_group)]
