"""Public pages: thin views over selectors."""

from django.shortcuts import get_object_or_404, render

from archive import selectors
from archive.models import Actor, Article, Statement, Topic


def home(request):
    return render(
        request,
        "archive/home.html",
        {
            "figures": selectors.home_figures(),
            "latest": Article.objects.published().for_list()[:10],
            "actors": selectors.most_quoted_actors(),
            "topics": Topic.objects.all(),
        },
    )


def article_detail(request, slug):
    article = get_object_or_404(Article.objects.published().select_related("source"), slug=slug)
    statements = Statement.objects.public().filter(article=article).for_list()
    return render(request, "archive/article_detail.html", {"article": article, "statements": statements})


def actor_detail(request, slug):
    actor = get_object_or_404(Actor.objects.select_related("affiliation").prefetch_related("aliases"), slug=slug)
    statements = Statement.objects.public().by_actor(actor).for_list().order_by("date", "article", "start")
    return render(request, "archive/actor_detail.html", {"actor": actor, "statements": statements})


def topic_detail(request, slug):
    topic = get_object_or_404(Topic, slug=slug)
    statements = Statement.objects.public().filter(topics=topic).for_list().order_by("date")
    return render(request, "archive/topic_detail.html", {"topic": topic, "statements": statements})


def statement_detail(request, pk):
    statement = get_object_or_404(Statement.objects.public().for_list(), pk=pk)
    return render(request, "archive/statement_detail.html", {"statement": statement})
