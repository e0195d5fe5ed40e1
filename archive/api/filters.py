"""Query filters for the list endpoints and the exports; an unknown slug or value is a 400, not an empty list."""

import django_filters
from django import forms
from django.db.models import Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from archive.api import selectors
from archive.models import Actor, Alias, Article, Source, Statement, Topic


@extend_schema_field(OpenApiTypes.STR)
class SlugFilter(django_filters.ModelChoiceFilter):
    """A filter by an object's slug; an unknown slug answers 400 naming it."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        name = kwargs["queryset"].model._meta.verbose_name
        kwargs.setdefault("error_messages", {"invalid_choice": f"No {name} has the slug “%(value)s”."})
        super().__init__(*args, **kwargs)


class YearFilter(django_filters.NumberFilter):
    """A four-digit year; anything else answers 400."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("lookup_expr", "year")
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 9999)
        super().__init__(*args, **kwargs)


class StrictBooleanField(forms.Field):
    """true/false (or 1/0, yes/no); anything else is an error rather than silently ignored."""

    def to_python(self, value):
        if value in (None, ""):
            return None
        text = str(value).strip().lower()
        if text in {"true", "1", "yes"}:
            return True
        if text in {"false", "0", "no"}:
            return False
        raise forms.ValidationError("Must be true or false.")


class BooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class ArticleFilter(django_filters.FilterSet):
    source = SlugFilter(
        queryset=Source.objects.all(),
        help_text="Source slug: articles published by, or credited to, it.",
        method="filter_source",
    )
    topic = SlugFilter(queryset=Topic.objects.all(), field_name="topics", help_text="Topic slug.")
    actor = SlugFilter(
        queryset=Actor.objects.public(), method="filter_actor", help_text="Actor slug: articles that quote this actor."
    )
    year = YearFilter(field_name="published_date", help_text="Year of publication, e.g. 2020.")
    date_from = django_filters.DateFilter(
        field_name="published_date", lookup_expr="gte", help_text="Published on or after (YYYY-MM-DD)."
    )
    date_to = django_filters.DateFilter(
        field_name="published_date", lookup_expr="lte", help_text="Published on or before (YYYY-MM-DD)."
    )
    date_precision = django_filters.ChoiceFilter(choices=Article.DatePrecision.choices)
    language = django_filters.CharFilter(help_text="Language code, e.g. en.")

    class Meta:
        model = Article
        fields = ["source", "topic", "actor", "year", "date_from", "date_to", "date_precision", "language"]

    def filter_source(self, queryset, name, value):
        return queryset.filter(Q(source=value) | Q(credited_sources=value)).distinct()

    def filter_actor(self, queryset, name, value):
        quoted = Statement.objects.public().filter(speaker=value).values("article_id")
        return queryset.filter(pk__in=quoted)


PUBLIC_REVIEW_STATUSES = [
    (value, label) for value, label in Statement.ReviewStatus.choices if value != Statement.ReviewStatus.REJECTED
]


class StatementFilter(django_filters.FilterSet):
    speaker = SlugFilter(queryset=Actor.objects.public(), help_text="Actor slug of the speaker.")
    side = SlugFilter(
        queryset=Actor.objects.public(),
        method="filter_side",
        help_text="Actor slug of a side (e.g. taliban): statements by it or by anyone affiliated with it.",
    )
    affiliation = SlugFilter(
        queryset=Actor.objects.public(),
        field_name="speaker__affiliation",
        help_text="Actor slug: statements by actors directly affiliated with it.",
    )
    anonymous = BooleanFilter(
        field_name="speaker", lookup_expr="isnull", help_text="true: only anonymous speakers; false: only named."
    )
    topic = SlugFilter(queryset=Topic.objects.all(), field_name="topics", help_text="Topic slug.")
    article = SlugFilter(queryset=Article.objects.published(), help_text="Article slug.")
    source = SlugFilter(queryset=Source.objects.all(), field_name="article__source", help_text="Source slug.")
    kind = django_filters.ChoiceFilter(choices=Statement.Kind.choices)
    medium = django_filters.ChoiceFilter(choices=[c for c in Statement.Medium.choices if c[0]])
    review_status = django_filters.ChoiceFilter(
        choices=PUBLIC_REVIEW_STATUSES, help_text="extracted (awaiting review) or verified."
    )
    year = YearFilter(field_name="date", help_text="Year the words were said.")
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", help_text="Said on or after.")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", help_text="Said on or before.")

    class Meta:
        model = Statement
        fields = [
            "speaker",
            "side",
            "affiliation",
            "anonymous",
            "topic",
            "article",
            "source",
            "kind",
            "medium",
            "review_status",
            "year",
            "date_from",
            "date_to",
        ]

    def filter_side(self, queryset, name, value):
        return queryset.filter(speaker_id__in=selectors.actor_ids_of_side(value))


class ActorFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Actor.Kind.choices)
    affiliation = SlugFilter(queryset=Actor.objects.public(), help_text="Actor slug of the affiliation.")
    side = SlugFilter(
        queryset=Actor.objects.public(), method="filter_side", help_text="Actor slug of a side: it and its members."
    )
    name = django_filters.CharFilter(method="filter_name", help_text="Part of the actor's name or of an alias.")
    quoted = BooleanFilter(
        method="filter_quoted", help_text="true: only actors with public statements; false: only those without."
    )

    class Meta:
        model = Actor
        fields = ["kind", "affiliation", "side", "name", "quoted"]

    def filter_side(self, queryset, name, value):
        return queryset.filter(pk__in=selectors.actor_ids_of_side(value))

    def filter_name(self, queryset, name, value):
        matching = Alias.objects.filter(name__icontains=value).values("actor_id")
        return queryset.filter(Q(name__icontains=value) | Q(pk__in=matching))

    def filter_quoted(self, queryset, name, value):
        return queryset.filter(statement_count__gt=0) if value else queryset.filter(statement_count=0)
