"""Statements: the full list, the change form with span help, and the review queue."""

from django.contrib import admin
from django.contrib.admin.views.main import ERROR_FLAG, PAGE_VAR
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from archive import selectors, services
from archive.admin.agreements import link_to_provision, provision_column, suggest_provisions, with_provision_links
from archive.admin.base import ArchiveAdmin
from archive.admin.display import marked_context
from archive.admin.forms import ChangeKindForm, ReassignSpeakerForm, StatementForm
from archive.models import Statement

REVIEW_FLAG = "_archive_review_queue"


def in_review_queue(request) -> bool:
    return getattr(request, REVIEW_FLAG, False)


@admin.register(Statement)
class StatementAdmin(ArchiveAdmin):
    form = StatementForm
    list_display = ["short_text", "speaker_name", "article_link", "kind", "medium", "review_status", "date"]
    list_filter = ["review_status", "kind", "medium", "topics", "article__source"]
    search_fields = ["text", "speaker__name", "speaker__aliases__name", "speaker_description", "article__title"]
    autocomplete_fields = ["speaker", "article", "topics"]
    readonly_fields = ["context", "created_at", "updated_at"]
    actions = ["verify", "reject", "reassign_speaker", "change_kind", link_to_provision, suggest_provisions]
    fieldsets = [
        (None, {"fields": ["article", "context", "text", ("start", "end"), "locate_span"]}),
        ("Speaker", {"fields": ["speaker", "speaker_description", "said_to"]}),
        (
            "About the statement",
            {"fields": ["kind", "medium", ("date_from_article", "date"), "topics", "review_status"]},
        ),
        ("Record", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def view_on_site(self, obj):
        # Only public statements have a page.
        return obj.get_absolute_url() if obj.is_public else None

    review_list_display = ["quote_in_context", "speaker_name", "kind", "article_link", provision_column]

    def get_urls(self):
        review = path("review/", self.admin_site.admin_view(self.review_view), name="archive_statement_review")
        return [review, *super().get_urls()]

    def review_view(self, request):
        """The review queue: statements awaiting review, reviewed by the same admin actions."""
        setattr(request, REVIEW_FLAG, True)
        context = {
            "title": "Review extracted statements",
            "subtitle": None,
            "review_queue": True,
        }
        response = self.changelist_view(request, extra_context=context)
        if response.status_code == 302 and PAGE_VAR in request.GET and f"{ERROR_FLAG}=1" in response["Location"]:
            # Reviewing empties pages: past the last one, go back to the first instead of an error.
            params = request.GET.copy()
            del params[PAGE_VAR]
            return HttpResponseRedirect(f"{request.path}?{params.urlencode()}" if params else request.path)
        return response

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if in_review_queue(request):
            return with_provision_links(selectors.statements_for_review(queryset))
        if request.resolver_match and request.resolver_match.url_name.endswith("_changelist"):
            # A list row shows the article's title, never its texts (an article may be megabytes).
            return queryset.select_related("speaker", "article").defer(
                *(f"article__{name}" for name in selectors.ARTICLE_TEXTS)
            )
        return queryset.select_related("speaker", "article")

    def get_ordering(self, request):
        # Article by article, in import order, each read from top to bottom.
        # (article, start, end) is unique, and statement_review_queue_idx holds exactly this order.
        return ["article_id", "start", "end"] if in_review_queue(request) else super().get_ordering(request)

    def get_list_display(self, request):
        return self.review_list_display if in_review_queue(request) else super().get_list_display(request)

    def get_list_display_links(self, request, list_display):
        return None if in_review_queue(request) else super().get_list_display_links(request, list_display)

    def get_list_filter(self, request):
        return ["kind", "article__source"] if in_review_queue(request) else super().get_list_filter(request)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if in_review_queue(request):
            actions.pop("delete_selected", None)
        return actions

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        if in_review_queue(request):
            changelist.title = "Review extracted statements"
            # Each row shows its quote in its sentence: a window of the body, read for this page only.
            changelist.result_list = list(changelist.result_list)
            windows = selectors.statement_windows(changelist.result_list)
            for statement in changelist.result_list:
                statement.window_start, statement.window = windows.get(statement.pk, (0, ""))
        return changelist

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        if (
            in_review_queue(request)
            and isinstance(response, TemplateResponse)
            and "cl" in (response.context_data or {})
        ):
            response.template_name = "admin/archive/statement/review_queue.html"
        return response

    # --- Columns -----------------------------------------------------------------------------------------

    @admin.display(description="Statement")
    def short_text(self, obj):
        return obj.text if len(obj.text) <= 100 else obj.text[:97] + "…"

    @admin.display(description="Speaker", ordering="speaker__name")
    def speaker_name(self, obj):
        if obj.speaker_id:
            return obj.speaker.name
        return format_html("<em>{}</em>", obj.speaker_description or "unknown")

    @admin.display(description="Article", ordering="article__title")
    def article_link(self, obj):
        url = reverse("admin:archive_article_change", args=[obj.article_id])
        return format_html('<a href="{}">{}</a>', url, obj.article.title)

    @admin.display(description="Quote in its sentence")
    def quote_in_context(self, obj):
        url = reverse("admin:archive_statement_change", args=[obj.pk])
        return format_html(
            '<div class="archive-context">{}</div><a class="archive-open" href="{}">Edit statement #{}</a>',
            marked_context(obj.window, obj.start - obj.window_start, obj.end - obj.window_start),
            url,
            obj.pk,
        )

    @admin.display(description="In the article")
    def context(self, obj):
        if obj is None or obj.pk is None:
            return "Choose the article and save to see the quote in its sentence."
        return format_html(
            '<div class="archive-context">{}</div>', marked_context(obj.article.body, obj.start, obj.end)
        )

    # --- Actions -----------------------------------------------------------------------------------------

    @admin.action(description="Verify the selected statements", permissions=["change"])
    def verify(self, request, queryset):
        total = queryset.count()
        changed = services.verify_statements(queryset, user=request.user)
        self.report(request, changed, total, "verified", "statement")

    @admin.action(description="Reject the selected statements", permissions=["change"])
    def reject(self, request, queryset):
        total = queryset.count()
        changed = services.reject_statements(queryset, user=request.user)
        self.report(request, changed, total, "rejected", "statement")

    @admin.action(description="Reassign the speaker of the selected statements", permissions=["change"])
    def reassign_speaker(self, request, queryset):
        def apply(data):
            speaker = data["speaker"]
            changed = services.reassign_speaker(queryset, speaker, user=request.user)
            return changed, f"now attributed to {speaker.name}"

        return self.choice_action(
            request,
            queryset,
            form_class=ReassignSpeakerForm,
            action="reassign_speaker",
            title="Reassign the speaker",
            intro="Choose who made these statements:",
            submit="Reassign",
            apply=apply,
        )

    @admin.action(description="Change the kind of the selected statements", permissions=["change"])
    def change_kind(self, request, queryset):
        def apply(data):
            kind = data["kind"]
            changed = services.change_kind(queryset, kind, user=request.user)
            return changed, f"marked “{Statement.Kind(kind).label}”"

        return self.choice_action(
            request,
            queryset,
            form_class=ChangeKindForm,
            action="change_kind",
            title="Change the kind",
            intro="Choose what kind of statement these are:",
            submit="Change kind",
            apply=apply,
        )
