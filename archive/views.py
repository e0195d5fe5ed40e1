"""Public pages: thin views over selectors."""

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from archive import charts, citations, selectors
from archive.models import Actor, ActorRole, Alias, Topic
from archive.positions import selectors as positions
from archive.site_forms import ArticleFilterForm, TimelineFilterForm
from archive.text import normalize_name

ARTICLES_PER_PAGE = 20


@require_safe
def home(request):
    timeline = selectors.timeline()
    return render(
        request,
        "archive/home.html",
        {
            "figures": selectors.home_figures(),
            "latest": selectors.latest_articles(),
            "actors": selectors.most_quoted_actors(),
            "topics": selectors.topics_with_counts(),
            "timeline": timeline,
            "chart": charts.timeline_chart(timeline),
        },
    )


@require_safe
def article_list(request):
    form = ArticleFilterForm(request.GET or None)
    filters = form.filters() if form.is_bound else {}
    page = Paginator(selectors.article_list(**filters), ARTICLES_PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = selectors.attach_statement_counts(page.object_list)
    active = [
        (form.fields[name].label, value, _without(request, name))
        for name, value in filters.items()
        if value is not None
    ]
    return render(request, "archive/article_list.html", {"form": form, "page": page, "active": active})


def _without(request, name: str) -> str:
    """The current address without one filter (and back on the first page)."""
    query = request.GET.copy()
    for key in (name, "page"):
        query.pop(key, None)
    return f"?{query.urlencode()}" if query else request.path


@require_safe
def article_detail(request, slug):
    article = get_object_or_404(selectors.public_articles(), slug=slug)
    statements = selectors.article_statements(article)
    corrections, added = selectors.article_corrections(article)
    return render(
        request,
        "archive/article_detail.html",
        {
            "article": article,
            "statements": statements,
            "unreviewed": sum(1 for s in statements if not s.is_verified),
            "speakers": selectors.article_actors(statements),
            "corrections": corrections,
            "added": added,
            "permalink": request.build_absolute_uri(article.get_absolute_url()),
        },
    )


CITATION_FORMATS = {
    "bib": ("application/x-bibtex; charset=utf-8", citations.bibtex),
    "ris": ("application/x-research-info-systems; charset=utf-8", citations.ris),
}


@require_safe
def article_citation(request, slug, fmt):
    """The article's citation as a BibTeX or RIS file, for reference managers."""
    article = get_object_or_404(selectors.public_articles(), slug=slug)
    content_type, write = CITATION_FORMATS[fmt]
    response = HttpResponse(
        write(article, request.build_absolute_uri(article.get_absolute_url())), content_type=content_type
    )
    response["Content-Disposition"] = f'attachment; filename="{article.slug[:80]}.{fmt}"'
    return response


@require_safe
def about(request):
    """Where the articles come from, how statements are extracted and reviewed, corrections, citing, licence."""
    return render(request, "archive/about.html", {"figures": selectors.home_figures()})


@require_safe
def actor_list(request):
    return render(request, "archive/actor_list.html", {"groups": selectors.actors_by_side()})


@require_safe
def actor_detail(request, slug):
    actor = (
        Actor.objects.public()
        .select_related("affiliation")
        .prefetch_related("aliases", Prefetch("roles", queryset=ActorRole.objects.for_pages()))
        .filter(slug=slug)
        .first()
    )
    if actor is None:
        survivor = _merged_into(slug)
        if survivor is None:
            raise Http404("No such actor.")
        return redirect(survivor, permanent=True)
    statements = list(selectors.actor_statements(actor))
    return render(
        request,
        "archive/actor_detail.html",
        {
            "actor": actor,
            "side": actor.side,
            "statements": statements,
            "roles": selectors.actor_roles(actor),
            "chart": charts.statements_chart(statements, actor.name, selectors.statement_month_span()),
            "co_actors": selectors.co_occurring_actors(actor),
            "top_topics": selectors.top_topics(actor),
            "members": Actor.objects.public().filter(affiliation=actor).order_by("name"),
            "stance_topics": positions.actor_stance_topics(actor),
        },
    )


def _merged_into(slug: str) -> Actor | None:
    """The public actor that now carries, as an alias, the name an old actor address was made from."""
    if Actor.objects.filter(slug=slug).exists():
        return None  # the actor exists but is not public: no redirect reveals where it went
    alias = Alias.objects.select_related("actor").filter(normalized=normalize_name(slug.replace("-", " "))).first()
    if alias is None or not Actor.objects.public().filter(pk=alias.actor_id).exists():
        return None
    return alias.actor


@require_safe
def topic_list(request):
    return render(request, "archive/topic_list.html", {"topics": selectors.topics_with_counts()})


@require_safe
def topic_detail(request, slug):
    topic = get_object_or_404(Topic, slug=slug)
    columns = selectors.who_said_what(topic)
    return render(
        request,
        "archive/topic_detail.html",
        {
            "topic": topic,
            "columns": columns,
            "count": sum(len(c.statements) for c in columns),
            "side_stances": positions.stances_by_side(topic),
            "stance_actors": positions.topic_stance_actors(topic),
        },
    )


@require_safe
def statement_detail(request, pk):
    statement = get_object_or_404(selectors.public_statements(), pk=pk)
    return render(
        request,
        "archive/statement_detail.html",
        {
            "statement": statement,
            "permalink": request.build_absolute_uri(statement.get_absolute_url()),
            "stances": positions.statement_stances(statement),
            "thread": positions.thread(statement),
        },
    )


@require_safe
def timeline(request):
    form = TimelineFilterForm(request.GET or None)
    filters = form.filters() if form.is_bound else {}
    data = selectors.timeline(**filters)
    subject = " · ".join(str(value) for value in filters.values() if value is not None)
    title = f"Coverage per month: {subject}" if subject else "Coverage per month"
    return render(
        request,
        "archive/timeline.html",
        {"form": form, "timeline": data, "chart": charts.timeline_chart(data, title=title), "subject": subject},
    )


@require_safe
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("archive:sitemap"))
    lines = ["User-agent: *", "Disallow: /admin/", "", f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_safe
@cache_control(max_age=86400, public=True)
def favicon(request):
    """Browsers that ask for /favicon.ico get the site's SVG icon."""
    return redirect(static("archive/favicon.svg"), permanent=True)
