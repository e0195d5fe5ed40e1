"""/api/search/ and /api/search/export.<fmt>: the search page's parameters, answered as JSON or a download.

Filter values are read as the search page reads them: an unknown speaker, topic or year is ignored with
a message, so any query answers 200. Paging is the API's: `page` and `page_size` are checked strictly
(400), and a page past the last answers 404.
"""

import html
import re

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import APIView

from archive import exports
from archive.api import selectors
from archive.api.pagination import PageNumberPagination, is_whole_number
from archive.api.schema import SEARCH_DOWNLOAD, ref
from archive.api.serializers import (
    ActorRefSerializer,
    ArticleRefSerializer,
    PartialDateField,
    SourceRefSerializer,
    StatementsLinkField,
)
from archive.api.views import DownloadNegotiation
from archive.search import selectors as search_selectors
from archive.search.facets import FILTER_PARAMS, TYPE_WORDS, TYPES
from archive.search.forms import MAX_PAGE

EXPORT_TYPES = ("statement", "article")
_MARK = re.compile(r"<mark>(.*?)</mark>", re.S)


# --- documentation of the parameters and the answer ----------------------------------------------------


def _list_parameter(name: str, description: str) -> OpenApiParameter:
    return OpenApiParameter(name, OpenApiTypes.STR, many=True, explode=True, description=description)


SEARCH_PARAMETERS = [
    OpenApiParameter(
        "q",
        OpenApiTypes.STR,
        description=(
            'Search words, as in the search box: words (stemmed), "exact phrases", -exclusion, OR, and '
            "field filters speaker:, affiliation:, source:, topic:, year:, type:, role:. Names are matched in any "
            "of their spellings. Only the first 500 characters are read."
        ),
    ),
    # type and sort are documented without an enum: like the search page, the endpoint reads any value,
    # answering an unknown one with a message rather than an error.
    OpenApiParameter(
        "type",
        OpenApiTypes.STR,
        description=(
            "Only results of this type: statement, article or actor (plurals too). Counts per type ignore "
            "it. Another value is ignored with a message."
        ),
    ),
    _list_parameter("speaker", "Actor slug of the speaker (or the actor); repeat to require several."),
    _list_parameter("mentioned", "Actor slug of an actor quoted in the article; repeat to require several."),
    _list_parameter("affiliation", "Actor slug of a side: results by it or by those affiliated with it."),
    _list_parameter("source", "Source slug."),
    _list_parameter("topic", "Topic slug."),
    _list_parameter("year", "A year, e.g. 2020."),
    _list_parameter(
        "provision",
        "An agreement provision, as agreement-slug/provision-slug: the statements an editor linked to it.",
    ),
    _list_parameter(
        "relation",
        "How a statement speaks about a provision: claims_kept, claims_broken, demands, promises, interprets "
        "or denies. Another value is ignored with a message.",
    ),
    _list_parameter(
        "role",
        "Words of the speaker's role on the statement's date (or of a role an actor held), e.g. spokesman or "
        '"special envoy": every word must match; spokesman, spokeswoman and spokesperson alike. Repeat to '
        "require several.",
    ),
    OpenApiParameter("date_from", OpenApiTypes.STR, description="On or after: YYYY-MM-DD, YYYY-MM or YYYY."),
    OpenApiParameter("date_to", OpenApiTypes.STR, description="On or before: YYYY-MM-DD, YYYY-MM or YYYY."),
    OpenApiParameter(
        "verified",
        OpenApiTypes.STR,
        description=(
            "1 or true: only statements verified by an editor (statements awaiting review are left out); "
            "like the search page's checkbox, any other value leaves them in."
        ),
    ),
    OpenApiParameter(
        "sort",
        OpenApiTypes.STR,
        description=(
            "relevance (the default with search words), newest (the default without) or oldest. "
            "Another value is ignored with a message."
        ),
    ),
]


class FacetValueSerializer(serializers.Serializer):
    value = serializers.CharField(help_text="The parameter value that selects it (a slug, a year, a type).")
    label = serializers.CharField(help_text="How to show it.")
    count = serializers.IntegerField(help_text="Matching results with this value.")
    selected = serializers.BooleanField(help_text="Whether the request filters by it.")


class SearchQueryEchoSerializer(serializers.Serializer):
    q = serializers.CharField(help_text="The search words as received (control characters removed).")
    parsed = serializers.CharField(help_text="How the words were read: terms, phrases, filters and names.")
    type = serializers.CharField(allow_null=True)
    speaker = serializers.ListField(child=serializers.CharField())
    mentioned = serializers.ListField(child=serializers.CharField())
    affiliation = serializers.ListField(child=serializers.CharField())
    source = serializers.ListField(child=serializers.CharField())
    topic = serializers.ListField(child=serializers.CharField())
    year = serializers.ListField(child=serializers.CharField())
    provision = serializers.ListField(child=serializers.CharField())
    relation = serializers.ListField(child=serializers.CharField())
    role = serializers.ListField(child=serializers.CharField())
    date_from = serializers.DateField(allow_null=True)
    date_to = serializers.DateField(allow_null=True)
    verified = serializers.BooleanField(help_text="Whether only verified statements are included.")
    sort = serializers.CharField(allow_null=True, help_text="The order applied.")


class MatchedActorSerializer(ActorRefSerializer):
    role = serializers.CharField()
    statements_url = StatementsLinkField("speaker", help_text="The actor's public statements in the API.")

    class Meta(ActorRefSerializer.Meta):
        fields = [*ActorRefSerializer.Meta.fields, "role", "statements_url"]


class SearchHitSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=list(TYPES))
    id = serializers.IntegerField(allow_null=True, help_text="A statement's id (null for other types).")
    slug = serializers.CharField(allow_null=True, help_text="An article's or actor's slug (null for statements).")
    title = serializers.CharField(help_text="Article title, speaker label or actor name.")
    url = serializers.URLField(help_text="The result in the API.")
    site_url = serializers.URLField(help_text="The result on the public site.")
    date = PartialDateField(help_text="As far as it is known: 2019, 2021-08 or 2021-08-14.")
    date_display = serializers.CharField()
    snippet = serializers.CharField(help_text="The best-matching passage, plain text.")
    highlights = serializers.ListField(
        child=serializers.ListField(child=serializers.IntegerField(), min_length=2, max_length=2),
        help_text="[start, end) character offsets of the matched words in `snippet`.",
    )
    snippet_html = serializers.CharField(
        help_text="The same passage as HTML: the text escaped, matched words in <mark>…</mark>."
    )
    score = serializers.FloatField()
    speaker = ActorRefSerializer(allow_null=True, required=False, help_text="Statements: null when anonymous.")
    speaker_label = serializers.CharField(required=False, help_text="Statements: the name or description.")
    speaker_role = serializers.CharField(
        required=False,
        allow_null=True,
        help_text="Statements: the role the speaker held on the statement's date (or, the date unknown, the "
        "coverage's wording of it); null when none is known.",
    )
    article = ArticleRefSerializer(required=False, help_text="Statements: the article it was taken from.")
    source = SourceRefSerializer(required=False, allow_null=True, help_text="Articles: their source.")
    kind = serializers.CharField(required=False, help_text="Actors: person, organisation, government or country.")


class AlsoSearchedSerializer(serializers.Serializer):
    typed = serializers.CharField(help_text="A word or phrase of the query.")
    synonyms = serializers.ListField(child=serializers.CharField(), help_text="Searched with it.")


class SearchResponseSerializer(serializers.Serializer):
    query = SearchQueryEchoSerializer()
    messages = serializers.ListField(child=serializers.CharField(), help_text="How the request was read.")
    count = serializers.IntegerField(help_text="Matching results (of the chosen type, if any).")
    counts = serializers.DictField(child=serializers.IntegerField(), help_text="Matches per type.")
    facets = serializers.DictField(child=FacetValueSerializer(many=True))
    suggestion = serializers.CharField(allow_null=True, help_text="A corrected query, when words are unknown.")
    suggestion_url = serializers.URLField(allow_null=True)
    also_searched = AlsoSearchedSerializer(
        many=True, help_text="Synonyms (managed by editors) searched with a typed word or phrase."
    )
    actor = MatchedActorSerializer(allow_null=True, help_text="The actor the words name, if any.")
    actors = MatchedActorSerializer(many=True, help_text="Every actor the words name.")
    export_urls = serializers.DictField(
        child=serializers.DictField(child=serializers.URLField()),
        help_text="Downloads of all matches, per exportable type and format.",
    )
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    page_size = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = SearchHitSerializer(many=True)


# --- reading the request ------------------------------------------------------------------------------


def page_request(request) -> tuple[str, int]:
    """The requested page ("last" or a number from 1) and page size, or a 400 naming the parameter."""
    page_size = PageNumberPagination().get_page_size(request)
    raw = request.query_params.get("page", "1") or "1"
    if raw != "last" and (not is_whole_number(raw) or int(raw) < 1):
        raise ValidationError({"page": ['Must be a whole number from 1, or "last".']})
    return raw, page_size


def run_search(request, per_page: int):
    """The search outcome for the request's parameters; unknown parameters are ignored."""
    return search_selectors.search(request.query_params, per_page=per_page)


# --- the answer ---------------------------------------------------------------------------------------


def plain_snippet(snippet_html: str) -> tuple[str, list[list[int]]]:
    """The highlighter's HTML as plain text, and the [start, end) offsets of its <mark>ed words."""
    text, highlights, cursor = [], [], 0
    for match in _MARK.finditer(snippet_html):
        before = html.unescape(snippet_html[cursor : match.start()])
        text.append(before)
        start = sum(len(part) for part in text)
        marked = html.unescape(match.group(1))
        text.append(marked)
        highlights.append([start, start + len(marked)])
        cursor = match.end()
    text.append(html.unescape(snippet_html[cursor:]))
    return "".join(text), highlights


def hit_data(hit, request) -> dict:
    context = {"request": request}
    snippet, highlights = plain_snippet(str(hit.snippet))
    obj = hit.object
    data = {
        "type": hit.type,
        "id": hit.pk if hit.type == "statement" else None,
        "slug": None if hit.type == "statement" else obj.slug,
        "title": hit.title,
        "url": None,
        "site_url": request.build_absolute_uri(hit.url),
        "date": getattr(obj, "date_iso", None),
        "date_display": hit.date_display,
        "snippet": snippet,
        "highlights": highlights,
        "snippet_html": str(hit.snippet),
        "score": float(hit.score or 0.0),
    }
    if hit.type == "statement":
        data["url"] = reverse("api:statement-detail", args=[obj.pk], request=request)
        data["speaker"] = ActorRefSerializer(obj.speaker, context=context).data if obj.speaker_id else None
        data["speaker_label"] = obj.speaker_label
        data["speaker_role"] = obj.speaker_role.label or None
        data["article"] = ArticleRefSerializer(obj.article, context=context).data
    elif hit.type == "article":
        data["url"] = reverse("api:article-detail", args=[obj.slug], request=request)
        data["source"] = SourceRefSerializer(obj.source, context=context).data if obj.source_id else None
    else:
        data["url"] = reverse("api:actor-detail", args=[obj.slug], request=request)
        data["kind"] = obj.kind
    return data


def search_export_urls(request, outcome) -> dict:
    """Download addresses of every match, for each exportable type that has matches."""
    if not outcome.searched:
        return {}
    base = reverse("api:search-export", args=["csv"], request=request)
    query = remove_query_param(remove_query_param(request.build_absolute_uri(), "page"), "page_size")
    query = query.split("?", 1)[1] if "?" in query else ""
    links = {}
    for kind in EXPORT_TYPES:
        if outcome.type_counts.get(kind) and outcome.params["type"] in ("", kind):
            for_type = replace_query_param(f"{base}?{query}", "type", kind)
            links[kind] = {fmt: for_type.replace("/export.csv?", f"/export.{fmt}?", 1) for fmt in exports.FORMATS}
    return links


def search_payload(request, outcome, page_size: int) -> dict:
    params = outcome.params
    pages = max(1, outcome.num_pages)
    url = request.build_absolute_uri()
    context = {"request": request}
    actors = MatchedActorSerializer(outcome.actors, many=True, context=context).data
    suggestion_url = None
    if outcome.suggestion:
        suggestion_url = replace_query_param(remove_query_param(url, "page"), "q", outcome.suggestion)
    return {
        "query": {
            "q": params["q"],
            "parsed": outcome.query.display(),
            "type": params["type"] or None,
            **{name: list(params[name]) for name in FILTER_PARAMS},
            "role": list(params["role"]),
            "date_from": params["date_from"].isoformat() if params["date_from"] else None,
            "date_to": params["date_to"].isoformat() if params["date_to"] else None,
            "verified": bool(params.get("verified")),
            "sort": params["sort"] or None,
        },
        "messages": list(outcome.messages),
        "count": outcome.total,
        "counts": {kind: outcome.type_counts.get(kind, 0) for kind in TYPES},
        "facets": {
            name: [{"value": v.value, "label": v.label, "count": v.count, "selected": v.selected} for v in values]
            for name, values in outcome.facets.items()
        },
        "suggestion": outcome.suggestion,
        "suggestion_url": suggestion_url,
        "also_searched": [{"typed": typed, "synonyms": synonyms} for typed, synonyms in outcome.also_searched],
        "actor": actors[0] if actors else None,
        "actors": actors,
        "export_urls": search_export_urls(request, outcome),
        "page": outcome.page,
        "pages": pages,
        "page_size": page_size,
        "next": replace_query_param(url, "page", outcome.page + 1) if outcome.page < outcome.num_pages else None,
        "previous": (
            None
            if outcome.page <= 1
            else remove_query_param(url, "page")
            if outcome.page == 2
            else replace_query_param(url, "page", outcome.page - 1)
        ),
        "results": [hit_data(hit, request) for hit in outcome.results],
    }


# --- the views ----------------------------------------------------------------------------------------


class SearchView(APIView):
    """Search the archive as the /search/ page does: words, filters, facets, a page of results."""

    @extend_schema(
        summary="Search articles, statements and actors (the search page's parameters and facets)",
        parameters=[
            *SEARCH_PARAMETERS,
            OpenApiParameter(
                "page",
                OpenApiTypes.STR,
                pattern=r"^([1-9][0-9]*|last)?$",
                description='Page number, from 1 (or "last"; empty for the first). A page past the last answers 404.',
            ),
            OpenApiParameter(
                "page_size",
                {"type": "integer", "minimum": 1, "maximum": settings.API_MAX_PAGE_SIZE},
                description=f"Results per page, 1 to {settings.API_MAX_PAGE_SIZE} (default {settings.API_PAGE_SIZE}).",
            ),
        ],
        responses={
            200: SearchResponseSerializer,
            400: OpenApiResponse(
                ref("ParameterError"), description="A page or page size that is not a whole number in range."
            ),
            404: OpenApiResponse(ref("Error"), description="A page past the last."),
        },
    )
    def get(self, request):
        raw_page, page_size = page_request(request)
        outcome = run_search(request, page_size)
        pages = max(1, outcome.num_pages)
        if raw_page != "last":
            number = int(raw_page)
            if number > pages:
                raise NotFound(f"Page {number} does not exist: there are {pages} pages of {page_size}.")
            if number != outcome.page:
                raise NotFound(
                    f"Page {number} is beyond the {MAX_PAGE:,} pages served; "
                    "narrow the search, or download every match from export_urls."
                )
        return Response(search_payload(request, outcome, page_size))


class SearchExportView(APIView):
    """Every match of a search, of one type, as a streamed download."""

    content_negotiation_class = DownloadNegotiation
    download = True

    @extend_schema(
        summary="Export every match of a search (type=statement or type=article)",
        parameters=[
            OpenApiParameter(
                "fmt",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                enum=list(exports.FORMATS),
                description="csv (header row, UTF-8), xlsx (an Excel workbook, the same columns), json (one "
                "array) or ndjson (one object per line).",
            ),
            OpenApiParameter(
                "type",
                OpenApiTypes.STR,
                required=True,
                enum=list(EXPORT_TYPES),
                description="statement (statement columns) or article (article columns); required.",
            ),
            *[p for p in SEARCH_PARAMETERS if p.name != "type"],
        ],
        responses={
            **SEARCH_DOWNLOAD,
            400: OpenApiResponse(ref("ParameterError"), description="type is missing or is not statement or article."),
            404: OpenApiResponse(ref("Error"), description="A format other than csv, xlsx, json or ndjson."),
        },
    )
    def get(self, request, fmt):
        kind = TYPE_WORDS.get(request.query_params.get("type", "").strip().lower())
        if kind not in EXPORT_TYPES:
            raise ValidationError(
                {
                    "type": [
                        "Choose type=statement or type=article: an export holds one kind of result, "
                        "each with its own columns."
                    ]
                }
            )
        outcome = run_search(request, per_page=1)
        objects = selectors.search_export_objects(outcome)
        base = request.build_absolute_uri("/").rstrip("/")
        if kind == "statement":
            return exports.statements_response(objects, fmt, "search-statements", base, selectors.side_map())
        return exports.articles_response(objects, fmt, "search-articles", base)
