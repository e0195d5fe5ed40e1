"""The archive's first search synonyms, and the Editor group's permissions to manage them."""

from django.db import migrations

SYNONYMS = [("truce", "ceasefire"), ("pull out", "withdrawal"), ("detainees", "prisoners")]
CODENAMES = ["add_searchsynonym", "change_searchsynonym", "delete_searchsynonym", "view_searchsynonym"]


def seed(apps, schema_editor):
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes

    SearchSynonym = apps.get_model("archive", "SearchSynonym")
    for term, synonym in SYNONYMS:
        SearchSynonym.objects.get_or_create(term=term, synonym=synonym)
    archive = global_apps.get_app_config("archive")
    create_contenttypes(archive, verbosity=0, apps=apps)
    create_permissions(archive, verbosity=0, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Editor")
    # Synonyms are a search setting, not archive content: editors may also delete one.
    group.permissions.add(*Permission.objects.filter(content_type__app_label="archive", codename__in=CODENAMES))


def unseed(apps, schema_editor):
    SearchSynonym = apps.get_model("archive", "SearchSynonym")
    for term, synonym in SYNONYMS:
        SearchSynonym.objects.filter(term=term, synonym=synonym).delete()


class Migration(migrations.Migration):
    dependencies = [("archive", "0004_search_synonyms")]

    operations = [migrations.RunPython(seed, unseed)]
