"""Articles: list with statement counts, filters, statements inline, raw text beside the body, actions."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, F, OuterRef
from django.db.models.functions import ExtractYear
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

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


class ExtractionStoppedFilter(admin.SimpleListFilter):
    title = "statement extraction"
    parameter_name = "extraction"

    def lookups(self, request, model_admin):
        return [("stopped", "Stopped: check the text"), ("complete", "Ran to the end")]

    def queryset(self, request, queryset):
        if self.value() == "stopped":
            return queryset.exclude(extraction_stopped="")
        if self.value() == "complete":
            return queryset.filter(extraction_stopped="")
        return queryset


class PossibleDuplicateFilter(admin.SimpleListFilter):
    title = "possible duplicate"
    parameter_name = "duplicate"

    def lookups(self, request, model_admin):
        return [("yes", "Possible duplicate of a stored article"), ("no", "Not flagged")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(possible_duplicate_of__isnull=False)
        if self.value() == "no":
            return queryset.filter(possible_duplicate_of__isnull=True)
        return queryset


STATEMENTS_PAGE_PARAM = "statements_page"
RAW_TEXT_SHOWN = 100_000


class StatementInline(admin.TabularInline):
    """An article's statements, a page at a time in body order (an article may have thousands)."""

    formfield_overrides = TEXT_FORMFIELDS
    model = Statement
    form = InlineStatementForm
    extra = 0
    fields = ["text", "start", "end", "speaker", "speaker_description", "kind", "medium", "review_status"]
    autocomplete_fields = ["speaker"]
    show_change_link = True
    classes = ["archive-statements"]
    template = "admin/archive/article/statements_inline.html"
    per_page = 25  # a page of rows renders in well under a second
    page_info = None  # set per request (inline instances are made per request)

    def get_queryset(self, request):
        # The formset sets each statement's article to the article of the page: no per-row body is loaded.
        queryset = super().get_queryset(request).select_related("speaker")
        match = request.resolver_match
        object_id = match.kwargs.get("object_id") if match else None
        if object_id is None:
            return queryset
        pks = self.page_pks(request, Statement.objects.filter(article_id=unquote(object_id)))
        request._archive_statement_page = set(pks)
        return queryset.filter(pk__in=pks)

    def page_pks(self, request, statements) -> list[int]:
        """The primary keys of the requested page of statements; sets `page_info` for the template."""
        total = statements.count()
        pages = max(1, -(-total // self.per_page))
        try:
            page = min(max(1, int(request.GET.get(STATEMENTS_PAGE_PARAM, "1"))), pages)
        except ValueError:
            page = 1
        offset = (page - 1) * self.per_page
        pks = list(
            statements.order_by("start", "end", "pk").values_list("pk", flat=True)[offset : offset + self.per_page]
        )
        if pages > 1:
            params = request.GET.copy()

            def url(number):
                params[STATEMENTS_PAGE_PARAM] = str(number)
                return f"?{params.urlencode()}"

            self.page_info = {
                "first": offset + 1,
                "last": offset + len(pks),
                "total": total,
                "per_page": self.per_page,
                "previous_url": url(page - 1) if page > 1 else "",
                "next_url": url(page + 1) if page < pages else "",
            }
        return pks


@admin.register(Article)
class ArticleAdmin(ArchiveAdmin):
    form = ArticleForm
    list_display = ["title", "source", "date", "status", "to_review", "verified", "rejected", "duplicate_of"]
    list_display_links = ["title"]
    list_filter = [
        "status",
        "source",
        "topics",
        YearFilter,
        UnreviewedFilter,
        ExtractionStoppedFilter,
        PossibleDuplicateFilter,
    ]
    search_fields = ["title", "body", "byline", "dateline", "import_reference", "url"]
    date_hierarchy = "published_date"
    autocomplete_fields = ["source", "credited_sources", "topics"]
    readonly_fields = [
        "raw_text_display",
        "extraction_stopped",
        "import_reference",
        "content_hash",
        "created_at",
        "updated_at",
        "duplicate_review",
    ]
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
        (
            "Editorial",
            {
                "fields": [
                    "editor_notes",
                    "extraction_stopped",
                    "import_reference",
                    "content_hash",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
    ]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and obj.possible_duplicate_of_id:
            return [("Possible duplicate", {"fields": ["duplicate_review"]}), *fieldsets]
        return fieldsets

    def get_urls(self):
        view = self.admin_site.admin_view(self.duplicate_view)
        return [path("<int:object_id>/duplicate/", view, name="archive_article_duplicate"), *super().get_urls()]

    @admin.display(description="Possible duplicate of")
    def duplicate_of(self, obj):
        if not obj.possible_duplicate_of_id:
            return ""
        url = reverse("admin:archive_article_change", args=[obj.possible_duplicate_of_id])
        title = getattr(obj, "duplicate_title", None) or f"#{obj.possible_duplicate_of_id}"
        return format_html('<a href="{}">{}</a>', url, title)

    @admin.display(description="Possible duplicate of")
    def duplicate_review(self, obj):
        original = obj.possible_duplicate_of if obj else None
        if original is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a> ({}% similar). <a class="button" href="{}">Keep both, replace or skip…</a>',
            reverse("admin:archive_article_change", args=[original.pk]),
            original.title,
            round(100 * (obj.duplicate_similarity or 0)),
            reverse("admin:archive_article_duplicate", args=[obj.pk]),
        )

    def duplicate_view(self, request, object_id):
        """Show an imported article beside the stored one it repeats, and apply the editor's choice."""
        article = get_object_or_404(Article.objects.select_related("possible_duplicate_of", "source"), pk=object_id)
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        original = article.possible_duplicate_of
        if original is None:
            self.message_user(request, "This article is not flagged as a possible duplicate.", messages.INFO)
            return redirect("admin:archive_article_change", article.pk)
        if request.method == "POST":
            choice = request.POST.get("choice", "")
            try:
                message = services.resolve_possible_duplicate(article, choice, user=request.user)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                self.message_user(request, message, messages.SUCCESS)
                kept = article if choice == "keep" else original
                return redirect("admin:archive_article_change", kept.pk)
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "title": "Possible duplicate",
            "opts": opts,
            "app_label": opts.app_label,
            "article": article,
            "original": original,
            "similarity": round(100 * (article.duplicate_similarity or 0)),
            "choices": services.DUPLICATE_CHOICES,
            "media": self.media,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/archive/article/duplicate.html", context)

    def get_queryset(self, request):
        queryset = selectors.articles_for_admin(super().get_queryset(request))
        # The flagged original's title only: its body never joins the list's query.
        queryset = queryset.annotate(duplicate_title=F("possible_duplicate_of__title"))
        if request.resolver_match and request.resolver_match.url_name.endswith("_changelist"):
            # The list shows no text: never read (nor sort) megabytes of body per row.
            queryset = queryset.defer(*selectors.ARTICLE_TEXTS)
        return queryset.order_by("-published_date", "-created_at", "-pk")

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        # The statements on the page are re-anchored by their inline forms; the form checks the others.
        form.inline_prefix = "statements"
        return form

    def save_model(self, request, obj, form, change):
        # An article typed in by hand: its text as entered is its "imported" text.
        if not change and not obj.raw_text:
            obj.raw_text = obj.body
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if change and "body" in form.changed_data:
            # Statements on other pages of the inline follow their words in the edited body too.
            services.reanchor_statements(form.instance, exclude=set(form.posted_statements()), user=request.user)

    def delete_model(self, request, obj):
        services.delete_article(obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for article in queryset.defer(*selectors.ARTICLE_TEXTS):
            services.delete_article(article, user=request.user)

    def get_deleted_objects(self, objs, request):
        """What a delete removes, counted rather than listed: an article may have thousands of statements."""
        objs = list(objs)
        counts = dict(
            Statement.objects.filter(article__in=objs).order_by().values_list("article_id").annotate(n=Count("pk"))
        )
        listed = [f"Article: {obj} (and its {counts.get(obj.pk, 0):,} statements)" for obj in objs]
        perms_needed = {
            model._meta.verbose_name
            for model in (Article, Statement)
            if not request.user.has_perm(f"{model._meta.app_label}.delete_{model._meta.model_name}")
        }
        model_count = {Article._meta.verbose_name_plural: len(objs)}
        if sum(counts.values()):
            model_count[Statement._meta.verbose_name_plural] = sum(counts.values())
        return listed, model_count, perms_needed, []

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
        # A plain (escaped) string: the template keeps its line breaks with CSS. A very long text shows
        # its beginning only: the page must stay usable (the body beside it is the text editors edit).
        if not (obj and obj.pk):
            return ""
        if len(obj.raw_text) <= RAW_TEXT_SHOWN:
            return obj.raw_text
        return (
            f"{obj.raw_text[:RAW_TEXT_SHOWN]}\n\n[… the first {RAW_TEXT_SHOWN:,} of {len(obj.raw_text):,} characters; "
            "the whole imported text is kept unchanged.]"
        )

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
        stopped = []
        with indexing.deferred_indexing():
            for article in queryset:
                outcome = ingest.reextract(article, user=request.user)
                for key in totals:
                    totals[key] += outcome[key]
                if outcome["stopped"]:
                    stopped.append(f"“{article.title[:80]}”: {outcome['stopped']}")
        self.message_user(
            request,
            f"Extraction re-run on {queryset.count()} article(s): {totals['created']} statement(s) extracted "
            f"for review, {totals['removed']} earlier unreviewed one(s) replaced, {totals['kept']} verified or "
            "rejected kept.",
            messages.SUCCESS,
        )
        for message in stopped:
            self.message_user(request, message, messages.WARNING)

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
