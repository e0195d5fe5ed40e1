"""API of stances and relations between statements: confirmed rows between public statements only (a
suggestion is never served as a fact), with exports."""

import django_filters
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import generics, serializers, viewsets

from archive import exports
from archive.api.filters import SlugFilter
from archive.api.schema import RELATION_DOWNLOAD, STANCE_DOWNLOAD
from archive.api.serializers import ActorRefSerializer, SiteUrlMixin, TopicRefSerializer
from archive.api.views import FORMAT_PARAMETER, DownloadNegotiation, base_url
from archive.models import Actor, ActorRole, Statement, Topic
from archive.positions import exports as position_exports
from archive.positions.models import StatementRelation, StatementStance
from archive.selectors import side_map

# The speakers' dated roles of an export's statements, in one query (exports.speaker_fields reads them).
SPEAKER_ROLES = Prefetch("statement__speaker__roles", queryset=ActorRole.objects.select_related("organisation"))

STATEMENT_JOINS = ["speaker", "article", "article__source"]

# --- Serializers -----------------------------------------------------------------------------------------


class StatementRefSerializer(SiteUrlMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:statement-detail")
    speaker = ActorRefSerializer(allow_null=True)
    speaker_label = serializers.CharField()
    side = serializers.SerializerMethodField(help_text="The speaker's side; null for an anonymous speaker.")
    date = serializers.CharField(source="date_iso", allow_null=True, help_text="As far as it is known.")
    place_url = serializers.SerializerMethodField(help_text="The statement's exact place in its article's page.")

    class Meta:
        model = Statement
        fields = ["id", "text", "speaker", "speaker_label", "side", "date", "url", "site_url", "place_url"]

    @extend_schema_field(ActorRefSerializer(allow_null=True))
    def get_side(self, obj):
        side = self.context.get("sides", {}).get(obj.speaker_id) if obj.speaker_id else None
        return ActorRefSerializer(side, context=self.context).data if side else None

    @extend_schema_field({"type": "string", "format": "uri"})
    def get_place_url(self, obj):
        request = self.context.get("request")
        return request.build_absolute_uri(obj.place_url) if request else obj.place_url


class StanceSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:stance-detail")
    statement = StatementRefSerializer()
    topic = TopicRefSerializer(allow_null=True, help_text="The topic of the stance; null when it is on a provision.")
    provision = serializers.HyperlinkedRelatedField(
        view_name="api:provision-detail", read_only=True, allow_null=True, help_text="Null when on a topic."
    )

    class Meta:
        model = StatementStance
        fields = ["id", "url", "stance", "topic", "provision", "statement"]


class RelationSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:statement-relation-detail")
    from_statement = StatementRefSerializer(help_text="The answering statement.")
    to_statement = StatementRefSerializer(help_text="The statement answered, said on or before the answering one.")

    class Meta:
        model = StatementRelation
        fields = ["id", "url", "kind", "from_statement", "to_statement"]


# --- Filters ---------------------------------------------------------------------------------------------


class StanceFilter(django_filters.FilterSet):
    topic = SlugFilter(field_name="topic", queryset=Topic.objects.all(), help_text="A topic's slug.")
    speaker = SlugFilter(
        field_name="statement__speaker", queryset=Actor.objects.public(), help_text="A speaker's slug."
    )
    stance = django_filters.ChoiceFilter(choices=StatementStance.Stance.choices)

    class Meta:
        model = StatementStance
        fields = ["topic", "speaker", "stance"]


class RelationFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=StatementRelation.Kind.choices)
    speaker = SlugFilter(
        field_name="from_statement__speaker", queryset=Actor.objects.public(), help_text="The answering speaker's slug."
    )

    class Meta:
        model = StatementRelation
        fields = ["kind", "speaker"]


# --- Views -----------------------------------------------------------------------------------------------


def public_stances():
    joins = [f"statement__{name}" for name in STATEMENT_JOINS]
    return StatementStance.objects.public().select_related("statement", *joins, "topic", "provision__agreement")


def public_relations():
    joins = [f"{end}__{name}" for end in ("from_statement", "to_statement") for name in STATEMENT_JOINS]
    return StatementRelation.objects.public().select_related("from_statement", "to_statement", *joins)


@extend_schema_view(
    list=extend_schema(summary="Confirmed stances of public statements on topics and provisions"),
    retrieve=extend_schema(summary="One confirmed stance"),
)
class StanceViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_value_regex = "[0-9]+"
    serializer_class = StanceSerializer
    filterset_class = StanceFilter
    ordering_fields = ["id", "statement__date"]
    ordering = ["statement__date", "id"]

    def get_queryset(self):
        return public_stances()

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "sides": side_map()}


@extend_schema_view(
    list=extend_schema(summary="Confirmed relations between public statements (replies, denials, …)"),
    retrieve=extend_schema(summary="One confirmed relation between two statements"),
)
class RelationViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_value_regex = "[0-9]+"
    serializer_class = RelationSerializer
    filterset_class = RelationFilter
    ordering_fields = ["id", "from_statement__date"]
    ordering = ["from_statement__date", "id"]

    def get_queryset(self):
        return public_relations()

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "sides": side_map()}


class StanceExportView(generics.GenericAPIView):
    """Every confirmed stance of a public statement as a download."""

    content_negotiation_class = DownloadNegotiation
    pagination_class = None
    filter_backends = []
    queryset = StatementStance.objects.none()

    @extend_schema(
        operation_id="stances_export",
        summary="Export the confirmed stances",
        parameters=[FORMAT_PARAMETER],
        responses=STANCE_DOWNLOAD,
    )
    def get(self, request, fmt, **kwargs):
        stances = public_stances().order_by("statement__date", "pk").prefetch_related(SPEAKER_ROLES)
        records = exports.rows(stances, position_exports.stance_row, base_url=base_url(request), sides=side_map())
        return exports.response(records, position_exports.STANCE_FIELDS, fmt, "stances")


class RelationExportView(generics.GenericAPIView):
    """Every confirmed relation between public statements as a download."""

    content_negotiation_class = DownloadNegotiation
    pagination_class = None
    filter_backends = []
    queryset = StatementRelation.objects.none()

    @extend_schema(
        operation_id="statement_relations_export",
        summary="Export the confirmed relations between statements",
        parameters=[FORMAT_PARAMETER],
        responses=RELATION_DOWNLOAD,
    )
    def get(self, request, fmt, **kwargs):
        relations = public_relations().order_by("from_statement__date", "pk")
        records = exports.rows(relations, position_exports.relation_row, base_url=base_url(request), sides=side_map())
        return exports.response(records, position_exports.RELATION_FIELDS, fmt, "statement-relations")
