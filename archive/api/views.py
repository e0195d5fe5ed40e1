"""The read-only API: thin viewsets over archive.api.selectors, plus streamed exports."""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework import generics, viewsets
from rest_framework.negotiation import BaseContentNegotiation

from archive import exports
from archive.api import filters, selectors, serializers
from archive.api.schema import ARTICLE_DOWNLOAD, STATEMENT_DOWNLOAD
from archive.models import Actor, Article, Statement, Topic


class DownloadNegotiation(BaseContentNegotiation):
    """Downloads ignore the Accept header; errors on the way are still JSON."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return (renderers[0], renderers[0].media_type)


FORMAT_PARAMETER = OpenApiParameter(
    "fmt",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    enum=list(exports.FORMATS),
    description="csv (header row, UTF-8), json (one array) or ndjson (one object per line).",
)


def base_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@extend_schema_view(
    list=extend_schema(summary="Published articles"),
    retrieve=extend_schema(summary="One published article, with its body"),
)
class ArticleViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_field = "slug"
    filterset_class = filters.ArticleFilter
    ordering_fields = ["published_date", "title", "created_at", "updated_at", "statement_count"]
    ordering = ["-published_date", "slug"]

    def get_queryset(self):
        return selectors.articles()

    def get_serializer_class(self):
        return serializers.ArticleDetailSerializer if self.action == "retrieve" else serializers.ArticleSerializer


@extend_schema_view(
    list=extend_schema(summary="Actors: people, organisations, governments and countries"),
    retrieve=extend_schema(summary="One actor, with aliases"),
)
class ActorViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_field = "slug"
    filterset_class = filters.ActorFilter
    ordering_fields = ["name", "statement_count", "kind"]
    ordering = ["name", "slug"]

    def get_queryset(self):
        return selectors.actors()

    def get_serializer_class(self):
        return serializers.ActorDetailSerializer if self.action == "retrieve" else serializers.ActorSerializer

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "sides": selectors.side_map()}


@extend_schema_view(
    list=extend_schema(summary="Topics of the negotiation"),
    retrieve=extend_schema(summary="One topic"),
)
class TopicViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_field = "slug"
    filterset_class = None
    ordering_fields = ["name", "statement_count", "article_count"]
    ordering = ["name", "slug"]
    serializer_class = serializers.TopicSerializer

    def get_queryset(self):
        return selectors.topics()


@extend_schema_view(
    list=extend_schema(summary="Publications and agencies"),
    retrieve=extend_schema(summary="One source"),
)
class SourceViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_field = "slug"
    ordering_fields = ["name", "article_count"]
    ordering = ["name", "slug"]
    serializer_class = serializers.SourceSerializer

    def get_queryset(self):
        return selectors.sources()


@extend_schema_view(
    list=extend_schema(summary="Public statements (not rejected, in published articles)"),
    retrieve=extend_schema(summary="One public statement, with its paragraph"),
)
class StatementViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_value_regex = "[0-9]+"
    filterset_class = filters.StatementFilter
    ordering_fields = ["date", "id", "created_at", "updated_at", "kind", "medium"]
    ordering = ["date", "id"]

    def get_queryset(self):
        # The detail shows the statement's paragraph, which needs the article's body.
        return selectors.statements(with_article_body=self.action == "retrieve")

    def get_serializer_class(self):
        return serializers.StatementDetailSerializer if self.action == "retrieve" else serializers.StatementSerializer

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "sides": selectors.side_map()}


class StatementExportView(generics.GenericAPIView):
    """Public statements as a download; the statement list's filters and ordering apply."""

    content_negotiation_class = DownloadNegotiation
    download = True
    filterset_class = filters.StatementFilter
    ordering_fields = StatementViewSet.ordering_fields
    ordering = ["date", "id"]
    pagination_class = None
    queryset = Statement.objects.none()
    filename = "statements"

    def get_queryset(self):
        return selectors.statements()

    @extend_schema(
        summary="Export public statements (the list's filters apply)",
        parameters=[FORMAT_PARAMETER],
        responses=STATEMENT_DOWNLOAD,
    )
    def get(self, request, fmt, **kwargs):
        statements = self.filter_queryset(self.get_queryset())
        return exports.statements_response(statements, fmt, self.filename, base_url(request), selectors.side_map())


class ActorStatementExportView(StatementExportView):
    """An actor's public statements as a download."""

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Statement.objects.none()
        actor = get_object_or_404(Actor.objects.public(), slug=self.kwargs["slug"])
        self.filename = f"statements-{actor.slug}"
        return selectors.statements().filter(speaker=actor)

    @extend_schema(
        summary="Export an actor's public statements (the statement filters apply)",
        parameters=[FORMAT_PARAMETER],
        responses=STATEMENT_DOWNLOAD,
    )
    def get(self, request, fmt, **kwargs):
        return super().get(request, fmt, **kwargs)


class TopicStatementExportView(StatementExportView):
    """A topic's public statements as a download."""

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Statement.objects.none()
        topic = get_object_or_404(Topic, slug=self.kwargs["slug"])
        self.filename = f"statements-{topic.slug}"
        return selectors.statements().filter(topics=topic)

    @extend_schema(
        summary="Export a topic's public statements (the statement filters apply)",
        parameters=[FORMAT_PARAMETER],
        responses=STATEMENT_DOWNLOAD,
    )
    def get(self, request, fmt, **kwargs):
        return super().get(request, fmt, **kwargs)


class ArticleExportView(generics.GenericAPIView):
    """Published articles (their public fields, without bodies) as a download; the list's filters apply."""

    content_negotiation_class = DownloadNegotiation
    download = True
    filterset_class = filters.ArticleFilter
    ordering_fields = ArticleViewSet.ordering_fields
    ordering = ArticleViewSet.ordering
    pagination_class = None
    queryset = Article.objects.none()

    def get_queryset(self):
        return selectors.articles()

    @extend_schema(
        summary="Export published articles (the list's filters apply)",
        parameters=[FORMAT_PARAMETER],
        responses=ARTICLE_DOWNLOAD,
    )
    def get(self, request, fmt):
        articles = self.filter_queryset(self.get_queryset())
        return exports.articles_response(articles, fmt, "articles", base_url(request))


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI served from local static files, its start-up script from this same address (strict CSP)."""

    template_name = "api/swagger_ui.html"
    url_name = "api:schema"
    title = "Peace Talks Archive API"
