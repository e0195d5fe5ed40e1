"""Stances and relations between statements, each with a suggestion queue (keys as in the statement review
queue: j/k move, v confirm, r reject, x select, o open)."""

from django.contrib import admin
from django.contrib.admin.views.main import ERROR_FLAG, PAGE_VAR
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from archive.admin.base import ArchiveAdmin
from archive.admin.display import marked_context
from archive.positions import services
from archive.positions.models import ReviewStatus, StatementRelation, StatementStance

QUEUE_FLAG = "_archive_position_queue"


def in_queue(request) -> bool:
    return getattr(request, QUEUE_FLAG, False)


def in_context(statement, url: str, label: str):
    """A statement's words marked in their sentence, with a link to edit the row."""
    return format_html(
        '<div class="archive-context">{}</div><a class="archive-open" href="{}">{}</a>',
        marked_context(statement.article.body, statement.start, statement.end),
        url,
        label,
    )


class SuggestionQueueAdmin(ArchiveAdmin):
    """A change list plus a queue of the machine's suggestions, confirmed or rejected with the same keys."""

    queue_title = ""
    queue_template = ""
    queue_list_display: list = []
    queue_list_filter: list = []
    queue_ordering: list = []
    noun = ""
    actions = ["verify", "reject"]

    def get_urls(self):
        opts = self.model._meta
        queue = path(
            "suggestions/",
            self.admin_site.admin_view(self.queue_view),
            name=f"{opts.app_label}_{opts.model_name}_suggestions",
        )
        return [queue, *super().get_urls()]

    def queue_view(self, request):
        setattr(request, QUEUE_FLAG, True)
        response = self.changelist_view(request, extra_context={"title": self.queue_title})
        if response.status_code == 302 and PAGE_VAR in request.GET and f"{ERROR_FLAG}=1" in response["Location"]:
            # Reviewing empties pages: past the last one, go back to the first instead of an error.
            params = request.GET.copy()
            del params[PAGE_VAR]
            return HttpResponseRedirect(f"{request.path}?{params.urlencode()}" if params else request.path)
        if isinstance(response, TemplateResponse) and "cl" in (response.context_data or {}):
            response.template_name = self.queue_template
        return response

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset.filter(review_status=ReviewStatus.SUGGESTED) if in_queue(request) else queryset

    def get_ordering(self, request):
        return self.queue_ordering if in_queue(request) else super().get_ordering(request)

    def get_list_display(self, request):
        return self.queue_list_display if in_queue(request) else super().get_list_display(request)

    def get_list_display_links(self, request, list_display):
        return None if in_queue(request) else super().get_list_display_links(request, list_display)

    def get_list_filter(self, request):
        return self.queue_list_filter if in_queue(request) else super().get_list_filter(request)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if in_queue(request):
            actions.pop("delete_selected", None)
        return actions

    # Named as in the statement review queue, so its keys work here too.
    @admin.action(description="Confirm the selected rows", permissions=["change"])
    def verify(self, request, queryset):
        total = queryset.count()
        changed = services.set_review_status(queryset, ReviewStatus.CONFIRMED, user=request.user)
        self.report(request, changed, total, "confirmed", self.noun)

    @admin.action(description="Reject the selected rows", permissions=["change"])
    def reject(self, request, queryset):
        total = queryset.count()
        changed = services.set_review_status(queryset, ReviewStatus.REJECTED, user=request.user)
        self.report(request, changed, total, "rejected", self.noun)


@admin.register(StatementStance)
class StatementStanceAdmin(SuggestionQueueAdmin):
    list_display = ["statement", "stance", "subject_name", "review_status"]
    list_filter = ["review_status", "stance", "topic", "provision__agreement"]
    search_fields = ["statement__text", "statement__speaker__name", "topic__name", "provision__title"]
    autocomplete_fields = ["statement", "topic", "provision"]
    fields = ["statement", "context", ("topic", "provision"), "stance", "review_status", "reason", "note"]
    readonly_fields = ["context", "reason"]
    queue_title = "Review suggested stances"
    queue_template = "admin/archive/statementstance/suggestion_queue.html"
    queue_list_display = ["suggestion_in_context", "speaker", "stance", "subject_name", "reason"]
    queue_list_filter = ["stance", "topic"]
    queue_ordering = ["statement__article_id", "statement__start", "pk"]
    noun = "stance"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("statement", "statement__speaker", "statement__article", "topic", "provision")
        )

    @admin.display(description="On")
    def subject_name(self, obj):
        return obj.topic.name if obj.topic_id else f"{obj.provision.number}: {obj.provision.title}"

    @admin.display(description="Speaker", ordering="statement__speaker__name")
    def speaker(self, obj):
        return obj.statement.speaker_label

    @admin.display(description="The statement in its sentence")
    def suggestion_in_context(self, obj):
        url = reverse("admin:archive_statementstance_change", args=[obj.pk])
        return in_context(obj.statement, url, f"Edit stance #{obj.pk}")

    @admin.display(description="In the article")
    def context(self, obj):
        if obj is None or obj.pk is None:
            return "Choose the statement and save to see it in its sentence."
        return format_html(
            '<div class="archive-context">{}</div>',
            marked_context(obj.statement.article.body, obj.statement.start, obj.statement.end),
        )


@admin.register(StatementRelation)
class StatementRelationAdmin(SuggestionQueueAdmin):
    list_display = ["from_statement", "kind", "to_statement", "review_status"]
    list_filter = ["review_status", "kind"]
    search_fields = ["from_statement__text", "to_statement__text", "from_statement__speaker__name"]
    autocomplete_fields = ["from_statement", "to_statement"]
    fields = ["from_statement", "kind", "to_statement", "both", "review_status", "reason", "note"]
    readonly_fields = ["both", "reason"]
    queue_title = "Review suggested relations"
    queue_template = "admin/archive/statementrelation/suggestion_queue.html"
    queue_list_display = ["answering", "kind", "answered", "reason"]
    queue_list_filter = ["kind"]
    queue_ordering = ["from_statement__date", "from_statement_id", "to_statement_id", "pk"]
    noun = "relation"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related(
                "from_statement",
                "from_statement__speaker",
                "from_statement__article",
                "to_statement",
                "to_statement__speaker",
                "to_statement__article",
            )
        )

    @admin.display(description="Answering statement")
    def answering(self, obj):
        statement = obj.from_statement
        url = reverse("admin:archive_statementrelation_change", args=[obj.pk])
        return in_context(statement, url, f"{statement.speaker_label}, {statement.date_display} · Edit #{obj.pk}")

    @admin.display(description="Answered statement")
    def answered(self, obj):
        statement = obj.to_statement
        url = reverse("admin:archive_statement_change", args=[statement.pk])
        return in_context(statement, url, f"{statement.speaker_label}, {statement.date_display}")

    @admin.display(description="The two statements")
    def both(self, obj):
        if obj is None or obj.pk is None:
            return "Choose both statements and save to see them in their sentences."
        return format_html(
            "{}<p>{}</p>{}",
            self.answering(obj),
            obj.get_kind_display().lower(),
            self.answered(obj),
        )
