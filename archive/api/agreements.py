"""API of the agreements: agreements with their provisions, provisions with deadlines and assessments, the
public statement ↔ provision links, and link exports. Read-only; only editor-confirmed links are shown."""

import django_filters
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import generics, serializers, viewsets
from rest_framework.reverse import reverse

from archive import exports
from archive.agreements import exports as agreement_exports
from archive.agreements import selectors as agreement_selectors
from archive.agreements.models import (
    Agreement,
    Deadline,
    ImplementationAssessment,
    Provision,
    StatementProvisionLink,
)
from archive.api.filters import SlugFilter
from archive.api.schema import PROVISION_LINK_DOWNLOAD
from archive.api.serializers import ActorRefSerializer, SiteUrlMixin, TopicRefSerializer
from archive.api.views import FORMAT_PARAMETER, DownloadNegotiation, base_url
from archive.models import Actor, Article, Statement
from archive.selectors import side_map

# --- Serializers -----------------------------------------------------------------------------------------


class DeadlineSerializer(serializers.ModelSerializer):
    class Meta:
        model = Deadline
        fields = ["date", "precision", "description"]


class AssessmentSerializer(serializers.ModelSerializer):
    evidence_statements = serializers.SerializerMethodField(
        help_text="API addresses of the public statements relied on."
    )
    evidence_articles = serializers.SerializerMethodField(help_text="Slugs of the published articles relied on.")

    class Meta:
        model = ImplementationAssessment
        fields = ["as_of", "as_of_precision", "status", "rationale", "evidence_statements", "evidence_articles"]

    @extend_schema_field({"type": "array", "items": {"type": "string", "format": "uri"}})
    def get_evidence_statements(self, obj):
        request = self.context.get("request")
        return [reverse("api:statement-detail", args=[s.pk], request=request) for s in obj.evidence_statements.all()]

    @extend_schema_field({"type": "array", "items": {"type": "string"}})
    def get_evidence_articles(self, obj):
        return [article.slug for article in obj.evidence_articles.all()]


class CurrentStatusSerializer(serializers.ModelSerializer):
    class Meta:
        model = ImplementationAssessment
        fields = ["as_of", "as_of_precision", "status"]


class ProvisionSerializer(SiteUrlMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:provision-detail")
    agreement = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    # Filled in from the number on save, so never empty in an answer (and no empty default in the schema).
    slug = serializers.SlugField(read_only=True)
    obligated_party = ActorRefSerializer()
    beneficiary = ActorRefSerializer(allow_null=True)
    topics = TopicRefSerializer(many=True)
    deadlines = DeadlineSerializer(many=True)
    current_status = serializers.SerializerMethodField(help_text="The latest assessment dated today or earlier.")

    class Meta:
        model = Provision
        fields = [
            "id",
            "agreement",
            "number",
            "slug",
            "title",
            "summary",
            "obligated_party",
            "beneficiary",
            "topics",
            "deadlines",
            "current_status",
            "url",
            "site_url",
        ]

    @extend_schema_field(CurrentStatusSerializer(allow_null=True))
    def get_current_status(self, obj):
        current = agreement_selectors.current_assessment(list(obj.assessments.all()))
        return CurrentStatusSerializer(current).data if current else None


class ProvisionDetailSerializer(ProvisionSerializer):
    assessments = AssessmentSerializer(many=True)
    links_url = serializers.SerializerMethodField(help_text="The public statements about this provision.")

    class Meta(ProvisionSerializer.Meta):
        fields = [*ProvisionSerializer.Meta.fields, "assessments", "links_url"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_links_url(self, obj):
        return reverse("api:provision-link-list", request=self.context.get("request")) + f"?provision={obj.pk}"


class AgreementSerializer(SiteUrlMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:agreement-detail", lookup_field="slug")
    parties = ActorRefSerializer(many=True)
    original_url = serializers.URLField(source="url")

    class Meta:
        model = Agreement
        fields = [
            "slug",
            "title",
            "short_title",
            "parties",
            "signed_date",
            "signed_place",
            "original_url",
            "summary",
            "url",
            "site_url",
        ]


class AgreementDetailSerializer(AgreementSerializer):
    provisions = ProvisionSerializer(many=True)
    export_urls = serializers.SerializerMethodField(help_text="The agreement's public statement links: {format: URL}.")

    class Meta(AgreementSerializer.Meta):
        fields = [*AgreementSerializer.Meta.fields, "provisions", "export_urls"]

    @extend_schema_field({"type": "object", "additionalProperties": {"type": "string", "format": "uri"}})
    def get_export_urls(self, obj):
        request = self.context.get("request")
        return {
            fmt: reverse("api:agreement-links-export", args=[obj.slug, fmt], request=request)
            for fmt in ("csv", "json", "ndjson")
        }


class LinkedStatementSerializer(SiteUrlMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:statement-detail")
    speaker = ActorRefSerializer(allow_null=True)
    article = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Statement
        fields = ["id", "text", "speaker", "speaker_description", "date", "article", "url", "site_url"]


class ProvisionLinkSerializer(serializers.ModelSerializer):
    statement = LinkedStatementSerializer()
    side = serializers.SerializerMethodField(help_text="The speaker's side; null for an anonymous speaker.")
    provision = serializers.HyperlinkedRelatedField(view_name="api:provision-detail", read_only=True)
    provision_number = serializers.CharField(source="provision.number")
    agreement = serializers.CharField(source="provision.agreement.slug")

    class Meta:
        model = StatementProvisionLink
        fields = ["id", "relation", "statement", "side", "provision", "provision_number", "agreement"]

    @extend_schema_field(ActorRefSerializer(allow_null=True))
    def get_side(self, obj):
        speaker_id = obj.statement.speaker_id
        side = self.context.get("sides", {}).get(speaker_id) if speaker_id else None
        return ActorRefSerializer(side, context=self.context).data if side else None


# --- Filters ---------------------------------------------------------------------------------------------


class ProvisionFilter(django_filters.FilterSet):
    agreement = SlugFilter(field_name="agreement", queryset=Agreement.objects.all(), help_text="An agreement's slug.")
    obligated_party = SlugFilter(
        field_name="obligated_party", queryset=Actor.objects.all(), help_text="The obligated side's slug."
    )

    class Meta:
        model = Provision
        fields = ["agreement", "obligated_party"]


class ProvisionLinkFilter(django_filters.FilterSet):
    agreement = SlugFilter(
        field_name="provision__agreement", queryset=Agreement.objects.all(), help_text="An agreement's slug."
    )
    provision = django_filters.ModelChoiceFilter(queryset=Provision.objects.all(), help_text="A provision's id.")
    relation = django_filters.ChoiceFilter(choices=StatementProvisionLink.Relation.choices)
    speaker = SlugFilter(
        field_name="statement__speaker", queryset=Actor.objects.public(), help_text="A speaker's slug."
    )

    class Meta:
        model = StatementProvisionLink
        fields = ["agreement", "provision", "relation", "speaker"]


# --- Views -----------------------------------------------------------------------------------------------


def provisions_queryset(with_evidence: bool = False):
    """Provisions with what their representation shows; `with_evidence`: each assessment's public evidence too."""
    assessments = ImplementationAssessment.objects.order_by("as_of")
    if with_evidence:
        evidence = Prefetch("evidence_statements", queryset=Statement.objects.public().order_by("date", "pk"))
        published = Prefetch("evidence_articles", queryset=Article.objects.published().order_by("slug"))
        assessments = assessments.prefetch_related(evidence, published)
    return Provision.objects.select_related("agreement", "obligated_party", "beneficiary").prefetch_related(
        "topics",
        Prefetch("deadlines", queryset=Deadline.objects.order_by("date", "pk")),
        Prefetch("assessments", queryset=assessments),
    )


@extend_schema_view(
    list=extend_schema(summary="Agreements of the talks"),
    retrieve=extend_schema(summary="One agreement, with its provisions, deadlines and current statuses"),
)
class AgreementViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_field = "slug"
    ordering_fields = ["signed_date", "title"]
    ordering = ["signed_date", "slug"]

    def get_queryset(self):
        queryset = Agreement.objects.prefetch_related("parties")
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(Prefetch("provisions", queryset=provisions_queryset()))
        return queryset

    def get_serializer_class(self):
        return AgreementDetailSerializer if self.action == "retrieve" else AgreementSerializer


@extend_schema_view(
    list=extend_schema(summary="Provisions of the agreements"),
    retrieve=extend_schema(summary="One provision, with its deadlines and dated assessments"),
)
class ProvisionViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_value_regex = "[0-9]+"
    filterset_class = ProvisionFilter
    ordering_fields = ["id", "position"]
    ordering = ["agreement__signed_date", "agreement_id", "position"]

    def get_queryset(self):
        return provisions_queryset(with_evidence=self.action == "retrieve")

    def get_serializer_class(self):
        return ProvisionDetailSerializer if self.action == "retrieve" else ProvisionSerializer


@extend_schema_view(
    list=extend_schema(summary="Public statements linked to provisions, with how they speak about them"),
    retrieve=extend_schema(summary="One statement ↔ provision link"),
)
class ProvisionLinkViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_value_regex = "[0-9]+"
    serializer_class = ProvisionLinkSerializer
    filterset_class = ProvisionLinkFilter
    ordering_fields = ["id", "statement__date"]
    ordering = ["statement__date", "id"]

    def get_queryset(self):
        return agreement_selectors.public_links()

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "sides": side_map()}


class AgreementLinksExportView(generics.GenericAPIView):
    """An agreement's public statement ↔ provision links as a download."""

    content_negotiation_class = DownloadNegotiation
    pagination_class = None
    filter_backends = []
    queryset = StatementProvisionLink.objects.none()

    def links(self):
        agreement = get_object_or_404(Agreement, slug=self.kwargs["slug"])
        return agreement.slug, agreement_selectors.public_links().filter(provision__agreement=agreement)

    @extend_schema(
        summary="Export an agreement's public statement ↔ provision links",
        operation_id="agreements_links_export",
        parameters=[FORMAT_PARAMETER],
        responses=PROVISION_LINK_DOWNLOAD,
    )
    def get(self, request, fmt, **kwargs):
        name, links = self.links()
        links = links.order_by("provision__position", "statement__date", "pk")
        records = exports.rows(links, agreement_exports.link_row, base_url=base_url(request), sides=side_map())
        return exports.response(records, agreement_exports.LINK_FIELDS, fmt, f"provision-links-{name}")


class ProvisionLinksExportView(AgreementLinksExportView):
    """One provision's public statement links as a download."""

    def links(self):
        provision = get_object_or_404(
            Provision, agreement__slug=self.kwargs["slug"], slug=self.kwargs["provision_slug"]
        )
        name = f"{provision.agreement.slug}-{provision.slug}"
        return name, agreement_selectors.public_links().filter(provision=provision)

    @extend_schema(
        summary="Export one provision's public statement links",
        operation_id="agreements_provision_links_export",
        parameters=[FORMAT_PARAMETER],
        responses=PROVISION_LINK_DOWNLOAD,
    )
    def get(self, request, fmt, **kwargs):
        return super().get(request, fmt, **kwargs)
