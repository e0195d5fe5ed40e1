"""Actors (with aliases and dated roles inline, search by any alias, merge duplicates) and aliases."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.template.response import TemplateResponse

from archive import selectors, services
from archive.admin.base import ArchiveAdmin
from archive.admin.forms import TEXT_FORMFIELDS, ActorForm, AliasFormSet, MergeForm
from archive.models import Actor, ActorRole, Alias
from archive.text import normalize_name


class AliasInline(admin.TabularInline):
    formfield_overrides = TEXT_FORMFIELDS
    model = Alias
    formset = AliasFormSet
    extra = 1
    fields = ["name", "normalized", "possible_duplicate"]
    readonly_fields = ["normalized"]


class ActorRoleInline(admin.StackedInline):
    """The positions the actor held, with their dates: statements show the role held on their date."""

    formfield_overrides = TEXT_FORMFIELDS
    model = ActorRole
    fk_name = "actor"
    extra = 0
    fields = ["title", "organisation", ("start_date", "start_precision"), ("end_date", "end_precision"), "source_note"]
    autocomplete_fields = ["organisation"]


class AliasSearchMixin:
    """Search matches names as typed and, through the alias key, any spelling or title of a name."""

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return super().get_search_results(request, queryset, search_term)
        # Match on the plain table (no joins, no annotations), then keep the page's own queryset.
        plain, _ = super().get_search_results(request, self.model._default_manager.all(), search_term)
        condition = Q(pk__in=plain.values("pk"))
        key = normalize_name(search_term)
        if key:
            field = "aliases__normalized" if self.model is Actor else "normalized"
            matching = self.model._default_manager.filter(**{f"{field}__contains": key}).values("pk")
            condition |= Q(pk__in=matching)
        return queryset.filter(condition), False


class PossibleDuplicateFilter(admin.SimpleListFilter):
    title = "spelling variants"
    parameter_name = "variants"

    def lookups(self, request, model_admin):
        return [("yes", "Has a possible duplicate alias to check")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(pk__in=Alias.objects.filter(possible_duplicate=True).values("actor_id"))
        return queryset


@admin.register(Actor)
class ActorAdmin(AliasSearchMixin, ArchiveAdmin):
    list_display = ["name", "kind", "affiliation", "role", "statements", "to_review", "needs_review"]
    list_filter = ["kind", "needs_review", PossibleDuplicateFilter, ("affiliation", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "aliases__name", "role"]
    autocomplete_fields = ["affiliation"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [AliasInline, ActorRoleInline]
    actions = ["merge_duplicates", "mark_checked"]
    form = ActorForm
    fields = [
        "name", "not_a_duplicate", "slug", "kind", "is_group_label", "affiliation", "side_unknown", "role",
        "description", "needs_review", "created_at", "updated_at",
    ]  # fmt: skip

    def get_queryset(self, request):
        # Aggregating drops the model's default order: restore it for stable pages and autocomplete.
        return selectors.actors_for_admin(super().get_queryset(request)).order_by("name", "pk")

    @admin.display(description="Statements", ordering="n_statements")
    def statements(self, obj):
        return obj.n_statements

    @admin.display(description="To review", ordering="n_unreviewed")
    def to_review(self, obj):
        return obj.n_unreviewed

    @admin.action(description="Mark the selected actors as checked", permissions=["change"])
    def mark_checked(self, request, queryset):
        total = queryset.count()
        changed = 0
        sideless = []
        for actor in queryset.filter(needs_review=True):
            if actor.kind == Actor.Kind.PERSON and actor.affiliation_id is None and not actor.side_unknown:
                sideless.append(actor.name)
                continue
            actor.needs_review = False
            actor._history_user = request.user
            actor._change_reason = "Checked by an editor"
            actor.save(update_fields=["needs_review", "updated_at"])
            changed += 1
        self.report(request, changed, total - len(sideless), "marked as checked", "actor")
        if sideless:
            self.message_user(
                request,
                f"Not marked as checked, a person needs a side or “side unknown” first: {', '.join(sideless)}.",
                messages.WARNING,
            )

    @admin.action(description="Merge the selected duplicates…", permissions=["change"])
    def merge_duplicates(self, request, queryset):
        actors = Actor.objects.filter(pk__in=queryset.values("pk")).select_related("affiliation").order_by("name")
        if actors.count() < 2:
            self.message_user(request, "Select at least two actors to merge.", messages.WARNING)
            return None
        if "confirm" in request.POST or "preview" in request.POST:
            form = MergeForm(request.POST, actors=actors)
        else:
            form = MergeForm(actors=actors, initial={"survivor": self._likely_survivor(actors)})
        if form.is_bound and form.is_valid() and "confirm" in request.POST:
            survivor = form.cleaned_data["survivor"]
            losers = [a for a in actors if a.pk != survivor.pk]
            try:
                plan = services.merge_actors(survivor, losers, user=request.user)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
                return None
            self.message_user(
                request,
                f"Merged {', '.join(a.name for a in plan.losers)} into {survivor.name}: "
                f"{len(plan.statements)} statements, {plan.alias_count} aliases and "
                f"{len(plan.members)} members moved.",
                messages.SUCCESS,
            )
            for conflict in plan.conflicts:
                self.message_user(request, conflict, messages.WARNING)
            return None
        survivor = form.cleaned_data["survivor"] if form.is_bound and form.is_valid() else self._likely_survivor(actors)
        plan = services.merge_plan(survivor, [a for a in actors if a.pk != survivor.pk])
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "title": "Merge duplicate actors",
            "opts": opts,
            "app_label": opts.app_label,
            "actors": selectors.actors_for_admin(actors.all()),
            "form": form,
            "plan": plan,
            "survivor": survivor,
            "selected": [str(a.pk) for a in actors],
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "media": self.media,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/archive/actor/merge.html", context)

    @staticmethod
    def _likely_survivor(actors):
        """The duplicate with the most statements (then the oldest) is usually the one to keep."""
        counted = selectors.actors_for_admin(actors.all()).order_by("-n_statements", "created_at", "pk")
        return counted.first()


@admin.register(Alias)
class AliasAdmin(AliasSearchMixin, ArchiveAdmin):
    list_display = ["name", "actor", "normalized", "possible_duplicate"]
    list_filter = ["possible_duplicate"]
    search_fields = ["name", "actor__name"]
    autocomplete_fields = ["actor"]
    readonly_fields = ["normalized", "created_at", "updated_at"]
    fields = ["name", "actor", "normalized", "possible_duplicate", "created_at", "updated_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")
