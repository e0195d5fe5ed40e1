"""Agreements, provisions with their deadlines and assessments, and statement ↔ provision links, with the
suggestion queue (keys as in the statement review queue: v confirm, r reject) and the statement actions
"Link to a provision" and "Suggest provisions"."""

from django import forms
from django.contrib import admin
from django.contrib.admin.views.main import ERROR_FLAG, PAGE_VAR
from django.db.models import Count, Prefetch, Q
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from archive.admin.base import ArchiveAdmin
from archive.admin.display import marked_context
from archive.agreements import services
from archive.agreements.models import (
    Agreement,
    Deadline,
    ImplementationAssessment,
    Provision,
    StatementProvisionLink,
)

ReviewStatus = StatementProvisionLink.ReviewStatus
SUGGESTION_FLAG = "_archive_suggestion_queue"


class ProvisionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.agreement.short_title}, {obj.number}: {obj.title}"


class ProvisionLinkForm(forms.Form):
    provision = ProvisionChoiceField(
        queryset=Provision.objects.select_related("agreement").order_by(
            "agreement__signed_date", "agreement_id", "position"
        ),
        empty_label="— choose a provision —",
        error_messages={"required": "Choose the provision these statements speak about."},
    )
    relation = forms.ChoiceField(
        choices=StatementProvisionLink.Relation.choices,
        widget=forms.RadioSelect,
        help_text="How the statements speak about it.",
        error_messages={"required": "Choose how the statements speak about the provision."},
    )


# --- Actions on statements (added to the statement admin and its review queue) ---------------------------


@admin.action(description="Link the selected statements to a provision", permissions=["change"])
def link_to_provision(modeladmin, request, queryset):
    """Ask for a provision and a relation (the first statement's best suggestion is preselected), then link."""
    first = (
        StatementProvisionLink.objects.suggested().filter(statement__in=queryset).order_by("statement_id", "pk").first()
    )
    initial = {"provision": first.provision_id, "relation": first.relation} if first else {}

    class Form(ProvisionLinkForm):
        def __init__(self, data=None, **kwargs):
            super().__init__(data, initial=initial, **kwargs)

    def apply(data):
        changed = services.link_statements(queryset, data["provision"], data["relation"], user=request.user)
        relation = StatementProvisionLink.Relation(data["relation"]).label.lower()
        return changed, f"linked to {data['provision'].number} ({relation})"

    return modeladmin.choice_action(
        request,
        queryset,
        form_class=Form,
        action="link_to_provision",
        title="Link to a provision",
        intro="Choose the provision these statements speak about, and how:",
        submit="Link",
        apply=apply,
    )


@admin.action(description="Suggest provisions for the selected statements", permissions=["change"])
def suggest_provisions(modeladmin, request, queryset):
    created = services.suggest_links(queryset, user=request.user)
    url = reverse("admin:archive_statementprovisionlink_suggestions")
    modeladmin.message_user(
        request,
        format_html(
            '{} suggestion{} added. <a href="{}">Review the suggestions</a>.', created, "" if created == 1 else "s", url
        ),
    )


@admin.display(description="Provisions")
def provision_column(obj):
    """The statement's links to provisions (suggested ones marked as such), for the review queue."""
    links = list(obj.provision_links.all())
    if not links:
        return "—"
    return (
        format_html_join(
            "",
            '<div class="archive-provision-link archive-link-{}">{}: {} <span class="archive-muted">({})</span></div>',
            (
                (
                    link.review_status,
                    "Suggested" if link.review_status == ReviewStatus.SUGGESTED else link.get_review_status_display(),
                    f"{link.provision.agreement.short_title} {link.provision.number}",
                    link.get_relation_display().lower(),
                )
                for link in links
                if link.review_status != ReviewStatus.REJECTED
            ),
        )
        or "—"
    )


def with_provision_links(queryset):
    """Statements with their links and provisions, for provision_column."""
    return queryset.prefetch_related(
        Prefetch(
            "provision_links",
            queryset=StatementProvisionLink.objects.select_related("provision", "provision__agreement").order_by(
                "review_status", "pk"
            ),
        )
    )


# --- Agreements, provisions, deadlines, assessments ------------------------------------------------------


class ProvisionInline(admin.TabularInline):
    model = Provision
    fields = ["position", "number", "slug", "title", "obligated_party"]
    extra = 0
    show_change_link = True
    autocomplete_fields = ["obligated_party"]


@admin.register(Agreement)
class AgreementAdmin(ArchiveAdmin):
    list_display = ["short_title", "signed_date", "signed_place", "provision_count"]
    search_fields = ["title", "short_title", "summary"]
    autocomplete_fields = ["parties"]
    fields = ["title", "short_title", "slug", "parties", "signed_date", "signed_place", "url", "summary"]
    inlines = [ProvisionInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_provisions=Count("provisions", distinct=True))

    @admin.display(description="Provisions", ordering="n_provisions")
    def provision_count(self, obj):
        return obj.n_provisions


class NotBeforeSigningFormSet(forms.BaseInlineFormSet):
    """Dates of a provision's deadlines or assessments checked against the agreement chosen in the same
    form (the models check a saved provision's agreement; a new provision has none yet)."""

    date_field = "date"

    def clean(self):
        super().clean()
        agreement = getattr(self.instance, "agreement", None) if self.instance.agreement_id else None
        if agreement is None:
            return
        for form in self.forms:
            if not form.has_changed() or self.can_delete and self._should_delete_form(form):
                continue
            date = form.cleaned_data.get(self.date_field)
            if date and date < agreement.signed_date:
                form.add_error(self.date_field, f"The agreement was only signed on {agreement.signed_date:%-d %B %Y}.")


class AssessmentFormSet(NotBeforeSigningFormSet):
    date_field = "as_of"


class DeadlineInline(admin.TabularInline):
    model = Deadline
    formset = NotBeforeSigningFormSet
    fields = ["date", "precision", "description"]
    extra = 0


class AssessmentInline(admin.StackedInline):
    model = ImplementationAssessment
    formset = AssessmentFormSet
    fields = [("as_of", "as_of_precision", "status"), "rationale", "evidence_statements", "evidence_articles"]
    autocomplete_fields = ["evidence_statements", "evidence_articles"]
    extra = 0
    show_change_link = True


@admin.register(Provision)
class ProvisionAdmin(ArchiveAdmin):
    list_display = ["number", "title", "agreement", "obligated_party", "confirmed_links", "suggested_links"]
    list_filter = ["agreement", "obligated_party", "topics"]
    search_fields = ["number", "title", "summary", "agreement__short_title"]
    autocomplete_fields = ["agreement", "obligated_party", "beneficiary", "topics"]
    fields = [
        "agreement",
        ("number", "slug", "position"),
        "title",
        "summary",
        ("obligated_party", "beneficiary"),
        "topics",
        "keywords",
    ]
    inlines = [DeadlineInline, AssessmentInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("agreement", "obligated_party")
            .annotate(
                n_confirmed=Count("statement_links", filter=Q(statement_links__review_status="confirmed")),
                n_suggested=Count("statement_links", filter=Q(statement_links__review_status="suggested")),
            )
        )

    def view_on_site(self, obj):
        return obj.get_absolute_url()

    @admin.display(description="Linked statements", ordering="n_confirmed")
    def confirmed_links(self, obj):
        url = reverse("admin:archive_statementprovisionlink_changelist")
        return format_html(
            '<a href="{}?provision__id__exact={}&review_status__exact=confirmed">{}</a>', url, obj.pk, obj.n_confirmed
        )

    @admin.display(description="Suggestions", ordering="n_suggested")
    def suggested_links(self, obj):
        url = reverse("admin:archive_statementprovisionlink_suggestions")
        return format_html('<a href="{}?provision__id__exact={}">{}</a>', url, obj.pk, obj.n_suggested)


@admin.register(Deadline)
class DeadlineAdmin(ArchiveAdmin):
    list_display = ["date", "precision", "description", "provision"]
    list_filter = ["provision__agreement"]
    search_fields = ["description", "provision__title", "provision__number"]
    autocomplete_fields = ["provision"]
    fields = ["provision", ("date", "precision"), "description"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("provision", "provision__agreement")


@admin.register(ImplementationAssessment)
class ImplementationAssessmentAdmin(ArchiveAdmin):
    list_display = ["provision", "as_of", "as_of_precision", "status"]
    list_filter = ["status", "provision__agreement"]
    search_fields = ["rationale", "provision__title", "provision__number"]
    autocomplete_fields = ["provision", "evidence_statements", "evidence_articles"]
    fields = [
        "provision",
        ("as_of", "as_of_precision", "status"),
        "rationale",
        "evidence_statements",
        "evidence_articles",
    ]
    date_hierarchy = "as_of"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("provision", "provision__agreement")


# --- Links and the suggestion queue ------------------------------------------------------------------------


def in_suggestion_queue(request) -> bool:
    return getattr(request, SUGGESTION_FLAG, False)


@admin.register(StatementProvisionLink)
class StatementProvisionLinkAdmin(ArchiveAdmin):
    list_display = ["statement", "relation", "provision", "review_status"]
    list_filter = ["review_status", "relation", "provision__agreement", "provision"]
    search_fields = ["statement__text", "statement__speaker__name", "provision__title", "provision__number"]
    autocomplete_fields = ["statement", "provision"]
    fields = ["statement", "context", "provision", "relation", "review_status", "reason"]
    readonly_fields = ["context", "reason"]
    actions = ["verify", "reject"]
    suggestion_list_display = ["suggestion_in_context", "speaker", "relation", "provision_title", "reason"]

    def get_urls(self):
        queue = path(
            "suggestions/",
            self.admin_site.admin_view(self.suggestion_view),
            name="archive_statementprovisionlink_suggestions",
        )
        return [queue, *super().get_urls()]

    def suggestion_view(self, request):
        """Suggested links awaiting an editor, confirmed or rejected with the same keys as the review queue."""
        setattr(request, SUGGESTION_FLAG, True)
        response = self.changelist_view(request, extra_context={"title": "Review suggested provision links"})
        if response.status_code == 302 and PAGE_VAR in request.GET and f"{ERROR_FLAG}=1" in response["Location"]:
            params = request.GET.copy()
            del params[PAGE_VAR]
            return HttpResponseRedirect(f"{request.path}?{params.urlencode()}" if params else request.path)
        if isinstance(response, TemplateResponse) and "cl" in (response.context_data or {}):
            response.template_name = "admin/archive/statementprovisionlink/suggestion_queue.html"
        return response

    def get_queryset(self, request):
        queryset = (
            super()
            .get_queryset(request)
            .select_related(
                "statement", "statement__speaker", "statement__article", "provision", "provision__agreement"
            )
        )
        if in_suggestion_queue(request):
            return queryset.filter(review_status=ReviewStatus.SUGGESTED)
        return queryset

    def get_ordering(self, request):
        if in_suggestion_queue(request):
            return ["statement__article_id", "statement__start", "provision__position", "pk"]
        return super().get_ordering(request)

    def get_list_display(self, request):
        return self.suggestion_list_display if in_suggestion_queue(request) else super().get_list_display(request)

    def get_list_display_links(self, request, list_display):
        return None if in_suggestion_queue(request) else super().get_list_display_links(request, list_display)

    def get_list_filter(self, request):
        if in_suggestion_queue(request):
            return ["relation", "provision__agreement", "provision"]
        return super().get_list_filter(request)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if in_suggestion_queue(request):
            actions.pop("delete_selected", None)
        return actions

    def view_on_site(self, obj):
        statement = obj.statement
        public = statement.article.is_public and statement.review_status != statement.ReviewStatus.REJECTED
        return statement.get_absolute_url() if public else None

    # --- Columns -------------------------------------------------------------------------------------------

    @admin.display(description="The statement in its sentence")
    def suggestion_in_context(self, obj):
        statement = obj.statement
        url = reverse("admin:archive_statementprovisionlink_change", args=[obj.pk])
        return format_html(
            '<div class="archive-context">{}</div><a class="archive-open" href="{}">Edit link #{}</a>',
            marked_context(statement.article.body, statement.start, statement.end),
            url,
            obj.pk,
        )

    @admin.display(description="Speaker", ordering="statement__speaker__name")
    def speaker(self, obj):
        return obj.statement.speaker_label

    @admin.display(description="Provision", ordering="provision__position")
    def provision_title(self, obj):
        return f"{obj.provision.agreement.short_title}, {obj.provision.number}: {obj.provision.title}"

    @admin.display(description="In the article")
    def context(self, obj):
        if obj is None or obj.pk is None:
            return "Choose the statement and save to see it in its sentence."
        statement = obj.statement
        return format_html(
            '<div class="archive-context">{}</div>',
            marked_context(statement.article.body, statement.start, statement.end),
        )

    # --- Actions (named as in the statement review queue, so its keys work here too) ------------------------

    @admin.action(description="Confirm the selected links", permissions=["change"])
    def verify(self, request, queryset):
        total = queryset.count()
        changed = services.set_link_status(queryset, ReviewStatus.CONFIRMED, user=request.user)
        self.report(request, changed, total, "confirmed", "link")

    @admin.action(description="Reject the selected links", permissions=["change"])
    def reject(self, request, queryset):
        total = queryset.count()
        changed = services.set_link_status(queryset, ReviewStatus.REJECTED, user=request.user)
        self.report(request, changed, total, "rejected", "link")
