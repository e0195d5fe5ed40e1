"""API URLs: /api/ (the endpoint list), the endpoints, the OpenAPI schema and its documentation page."""

from django.urls import path, re_path
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework import routers

from archive import exports
from archive.api import agreements, errors, positions, search, views
from archive.api.schema import ArchiveAutoSchema

app_name = "api"
FORMATS = "|".join(exports.FORMATS)


class EndpointListView(routers.APIRootView):
    """The endpoint list: each endpoint's name and address."""

    schema = ArchiveAutoSchema()

    @extend_schema(
        summary="The endpoint list",
        responses={
            200: {
                "type": "object",
                "title": "EndpointList",
                "additionalProperties": {"type": "string", "format": "uri"},
            }
        },
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class Router(routers.DefaultRouter):
    """The default router, with the search endpoint in the /api/ endpoint list."""

    APIRootView = EndpointListView
    # Formats are chosen with ?format=json alone; no undocumented ".json" twin of every address.
    include_format_suffixes = False

    def get_api_root_view(self, api_urls=None):
        view = super().get_api_root_view(api_urls)
        view.view_initkwargs["api_root_dict"] = {**view.view_initkwargs["api_root_dict"], "search": "search"}
        return view


router = Router()
router.register("articles", views.ArticleViewSet, basename="article")
router.register("actors", views.ActorViewSet, basename="actor")
router.register("statements", views.StatementViewSet, basename="statement")
router.register("topics", views.TopicViewSet, basename="topic")
router.register("sources", views.SourceViewSet, basename="source")
router.register("agreements", agreements.AgreementViewSet, basename="agreement")
router.register("provisions", agreements.ProvisionViewSet, basename="provision")
router.register("provision-links", agreements.ProvisionLinkViewSet, basename="provision-link")
router.register("stances", positions.StanceViewSet, basename="stance")
router.register("statement-relations", positions.RelationViewSet, basename="statement-relation")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", views.DocsView.as_view(), name="docs"),
    path("search/", search.SearchView.as_view(), name="search"),
    re_path(rf"^search/export\.(?P<fmt>{FORMATS})$", search.SearchExportView.as_view(), name="search-export"),
    re_path(rf"^stances/export\.(?P<fmt>{FORMATS})$", positions.StanceExportView.as_view(), name="stance-export"),
    re_path(
        rf"^statement-relations/export\.(?P<fmt>{FORMATS})$",
        positions.RelationExportView.as_view(),
        name="statement-relation-export",
    ),
    re_path(rf"^articles/export\.(?P<fmt>{FORMATS})$", views.ArticleExportView.as_view(), name="article-export"),
    re_path(rf"^statements/export\.(?P<fmt>{FORMATS})$", views.StatementExportView.as_view(), name="statement-export"),
    re_path(
        rf"^actors/(?P<slug>[-a-zA-Z0-9_]+)/statements\.(?P<fmt>{FORMATS})$",
        views.ActorStatementExportView.as_view(),
        name="actor-statements-export",
    ),
    re_path(
        rf"^topics/(?P<slug>[-a-zA-Z0-9_]+)/statements\.(?P<fmt>{FORMATS})$",
        views.TopicStatementExportView.as_view(),
        name="topic-statements-export",
    ),
    re_path(
        rf"^agreements/(?P<slug>[-a-zA-Z0-9_]+)/links\.(?P<fmt>{FORMATS})$",
        agreements.AgreementLinksExportView.as_view(),
        name="agreement-links-export",
    ),
    re_path(
        rf"^agreements/(?P<slug>[-a-zA-Z0-9_]+)/(?P<provision_slug>[-a-zA-Z0-9_]+)/links\.(?P<fmt>{FORMATS})$",
        agreements.ProvisionLinksExportView.as_view(),
        name="provision-links-export",
    ),
    *router.urls,
    re_path(r"^[\s\S]*$", errors.not_found, name="not_found"),
]
