"""Sources and topics (small controlled lists with autocomplete for the article form) and search synonyms."""

from django.contrib import admin
from django.db.models import Count

from archive.admin.base import ArchiveAdmin
from archive.models import SearchSynonym, Source, Topic


@admin.register(Source)
class SourceAdmin(ArchiveAdmin):
    list_display = ["name", "homepage_url", "articles"]
    search_fields = ["name"]
    fields = ["name", "slug", "homepage_url"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_articles=Count("articles", distinct=True)).order_by("name")

    @admin.display(description="Articles", ordering="n_articles")
    def articles(self, obj):
        return obj.n_articles


@admin.register(Topic)
class TopicAdmin(ArchiveAdmin):
    list_display = ["name", "slug", "articles", "statements"]
    search_fields = ["name", "keywords", "description"]
    fields = ["name", "slug", "description", "keywords"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(n_articles=Count("articles", distinct=True), n_statements=Count("statements", distinct=True))
            .order_by("name")
        )

    @admin.display(description="Articles", ordering="n_articles")
    def articles(self, obj):
        return obj.n_articles

    @admin.display(description="Statements", ordering="n_statements")
    def statements(self, obj):
        return obj.n_statements


@admin.register(SearchSynonym)
class SearchSynonymAdmin(ArchiveAdmin):
    """Domain synonyms the search expands (truce ⇄ ceasefire); a change applies to the next search."""

    list_display = ["term", "synonym", "updated_at"]
    search_fields = ["term", "synonym"]
    fields = ["term", "synonym"]
