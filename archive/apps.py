from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "archive"
    verbose_name = "Peace talks archive"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from archive import checks  # noqa: F401  (registers the deployment checks)
        from archive.search import suggestions
        from archive.search.whoosh import patches

        patches.apply()  # fixes to Whoosh 2.7.4 itself (see the module); refuses another version
        suggestions.connect()
