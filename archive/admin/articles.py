"""Articles: list with statement counts, filters, statements inline, raw text beside the body, actions."""

from django.contrib import admin, messages
from django.db.models import Count, Exists, OuterRef
from django.db.models.functions import ExtractYear

from archive import indexing, ingest, selectors, services
from archive.admin.base import ArchiveAdmin
from archive.admin.forms import TEXT_FORMFIELDS, ArticleForm, InlineStatementForm, PublishConfirmForm, TopicChoiceForm
from archive.models import Article, Statement


class YearFilter(admin.SimpleListFilter):
    title = "year"
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = (
            Article.objects.exclude(published_date=None)
            .annotate(y=ExtractYear("published_date"))
            .values_list("y", flat=True)
            .distinct()
            .order_by("-y")
        )
        return [(str(y), str(y)) for y in years] + [("unknown", "Date unknown")]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "unknown":
            return queryset.filter(published_date=None)
        if value and value.isdigit():
            return queryset.filter(published_date__year=int(value))
        return queryset


class UnreviewedFilter(admin.SimpleListFilter):
    title = "statements awaiting review"
    parameter_name = "unreviewed"

    def lookups(self, request, model_admin):
        return [("yes", "Has statements to review"), ("no", "All statements reviewed")]

    def queryset(self, request, queryset):
        pending = Statement.objects.filter(article=OuterRef("pk"), review_status=Statement.ReviewStatus.EXTRACTED)
        if self.value() == "yes":
            return queryset.filter(Exists(pending))
        if self.value() == "no":
            return queryset.exclude(Exists(pending))
        return queryset


class StatementInline(admin.TabularInline):
    formfield_overrides = TEXT_FORMFIELDS
    model = Statement
    form = InlineStatementForm
    extra = 0
    fields = ["text", "start", "end", "speaker", "speaker_description", "kind", "medium", "review_status"]
    autocomplete_fields = ["speaker"]
    show_change_link = True
    classes = ["archive-statements"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("speaker", "article")


@admin.register(Article)
class ArticleAdmin(ArchiveAdmin):
    form = ArticleForm
    list_display = ["title", "source", "date", "status", "to_review", "verified", "rejected"]
    list_display_links = ["title"]
    list_filter = ["status", "source", "topics", YearFilter, UnreviewedFilter]
    search_fields = ["title", "body", "byline", "dateline", "import_reference", "url"]
    date_hierarchy = "published_date"
    autocomplete_fields = ["source", "credited_sources", "topics"]
    readonly_fields = ["raw_text_display", "import_reference", "content_hash", "created_at", "updated_at"]
    inlines = [StatementInline]
    actions = ["publish", "unpublish", "add_topic", "remove_topic", "rerun_extraction"]
    change_list_template = "admin/archive/article/change_list.html"
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "slug",
                    "status",
                    "confirm_unreviewed",
                    "source",
                    "credited_sources",
                    "url",
                    "topics",
                ]
            },  # fmt: skip
        ),
        (
            "Date and place",
            {
                "fields": [
                    ("published_date", "date_precision"),
                    "dateline",
                    "byline",
                    "language",
                    "original_language",
                    "translation_note",
                ]
            },  # fmt: skip
        ),
        (
            "Text",
            {
                "fields": ["body", "raw_text_display"],
                "classes": ["archive-text"],
                "description": "Edit the cleaned body on the left; the imported text on the right is never edited. "
                "Statement spans are offsets in the body, so a body edit must keep them matching.",
            },
        ),
        ("Editorial", {"fields": ["editor_notes", "import_reference", "content_hash", "created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        queryset = selectors.articles_for_admin(super().get_queryset(request))
        return queryset.order_by("-published_date", "-created_at", "-pk")

    def save_model(self, request, obj, form, change):
        # An article typed in by hand: its text as entered is its "imported" text.
        if not change and not obj.raw_text:
            obj.raw_text = obj.body
        super().save_model(request, obj, form, change)

    def view_on_site(self, obj):
        # Drafts have no public page yet.
        return obj.get_absolute_url() if obj.is_public else None

    @admin.display(description="Date", ordering="published_date")
    def date(self, obj):
        return obj.date_display

    @admin.display(description="To review", ordering="n_extracted")
    def to_review(self, obj):
        return obj.n_extracted

    @admin.display(description="Verified", ordering="n_verified")
    def verified(self, obj):
        return obj.n_verified

    @admin.display(description="Rejected", ordering="n_rejected")
    def rejected(self, obj):
        return obj.n_rejected

    @admin.display(description="Imported text")
    def raw_text_display(self, obj):
        # A plain (escaped) string: the template keeps its line breaks with CSS.
        return obj.raw_text if obj and obj.pk else ""

    # --- Actions -----------------------------------------------------------------------------------------

    @admin.action(description="Publish the selected articles", permissions=["change"])
    def publish(self, request, queryset):
        """Publish at once, or first ask when some statements still await review, saying how many."""
        pending = dict(
            Statement.objects.filter(
                article__in=queryset.exclude(status=Article.Status.PUBLISHED),
                review_status=Statement.ReviewStatus.EXTRACTED,
            )
            .order_by()
            .values_list("article_id")
            .annotate(n=Count("pk"))
        )
        if not pending:
            total = queryset.count()
            changed = services.set_article_status(queryset, Article.Status.PUBLISHED, user=request.user)
            self.report(request, changed, total, "published", "article")
            return None
        waiting = sum(pending.values())
        articles = len(pending)

        def apply(data):
            return services.set_article_status(queryset, Article.Status.PUBLISHED, user=request.user), "published"

        response = self.choice_action(
            request,
            queryset,
            form_class=PublishConfirmForm,
            action="publish",
            title="Publish articles with statements awaiting review?",
            intro=f"{waiting} statement{'s' if waiting != 1 else ''} in {articles} of these articles "
            f"{'are' if waiting != 1 else 'is'} still awaiting review. Published now, "
            f"{'they' if waiting != 1 else 'it'} will be shown marked “extracted automatically, not yet "
            "reviewed” until an editor reviews them.",
            submit="Publish anyway",
            apply=apply,
        )
        if response is not None:
            response.context_data["items"] = [
                f"{a.title} — {pending.get(a.pk, 0)} statement(s) awaiting review" for a in queryset
            ]
        return response

    @admin.action(description="Unpublish the selected articles (back to draft)", permissions=["change"])
    def unpublish(self, request, queryset):
        total = queryset.count()
        changed = services.set_article_status(queryset, Article.Status.DRAFT, user=request.user)
        self.report(request, changed, total, "unpublished", "article")

    @admin.action(description="Re-run statement extraction (keeps verified and rejected)", permissions=["change"])
    def rerun_extraction(self, request, queryset):
        totals = {"kept": 0, "removed": 0, "created": 0}
        with indexing.deferred_indexing():
            for article in queryset:
                for key, value in ingest.reextract(article, user=request.user).items():
                    totals[key] += value
        self.message_user(
            request,
            f"Extraction re-run on {queryset.count()} article(s): {totals['created']} statement(s) extracted "
            f"for review, {totals['removed']} earlier unreviewed one(s) replaced, {totals['kept']} verified or "
            "rejected kept.",
            messages.SUCCESS,
        )

    @admin.action(description="Add a topic to the selected articles", permissions=["change"])
    def add_topic(self, request, queryset):
        return self._topic_action(request, queryset, add=True)

    @admin.action(description="Remove a topic from the selected articles", permissions=["change"])
    def remove_topic(self, request, queryset):
        return self._topic_action(request, queryset, add=False)

    def _topic_action(self, request, queryset, add: bool):
        def apply(data):
            topic = data["topic"]
            if add:
                return services.add_topic(queryset, topic, user=request.user), f"tagged “{topic.name}”"
            return services.remove_topic(queryset, topic, user=request.user), f"no longer tagged “{topic.name}”"

        return self.choice_action(
            request,
            queryset,
            form_class=TopicChoiceForm,
            action="add_topic" if add else "remove_topic",
            title="Add a topic" if add else "Remove a topic",
            intro="Choose the topic to add to these articles:"
            if add
            else "Choose the topic to remove from these articles:",
            submit="Add topic" if add else "Remove topic",
            apply=apply,
        )
