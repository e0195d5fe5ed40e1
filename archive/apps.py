from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "archive"
    verbose_name = "Peace talks archive"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_save

        from archive import checks  # noqa: F401  (registers the deployment checks)
        from archive.ingest.finder import sync_bands

        # An article's near-duplicate bands follow its signature, whatever path saved it.
        post_save.connect(sync_bands, sender=self.get_model("Article"), dispatch_uid="archive_article_bands")

        from archive.search import suggestions
        from archive.search.whoosh import patches

        patches.apply()  # fixes to Whoosh 2.7.4 itself (see the module); refuses another version
        suggestions.connect()
