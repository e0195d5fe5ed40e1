"""The public site's pages of every kind, for the standards checks (feeds, JSON-LD, HTML)."""

import re
from html.parser import HTMLParser

from archive.models import Actor, Agreement, Article, Provision, Statement, StatementRelation, StatementStance, Topic

# Statements of each kind, so quotations, partial quotes and reported speech are all checked.
STATEMENTS_PER_KIND = 3


def page_urls() -> dict[str, list[str]]:
    """Addresses of every kind of public page, by kind; the archive must hold the curated corpus."""
    # Statements in a reply thread, and every actor × topic with a confirmed stance (its stance timeline).
    statements = [
        s.get_absolute_url()
        for r in StatementRelation.objects.public().select_related("from_statement", "to_statement").order_by("pk")[:2]
        for s in (r.from_statement, r.to_statement)
    ]
    timelines = sorted(
        {
            f"/actors/{speaker}/stances/{topic}/"
            for speaker, topic in StatementStance.objects.public()
            .filter(topic__isnull=False, statement__speaker__isnull=False)
            .values_list("statement__speaker__slug", "topic__slug")
        }
    )
    for kind in Statement.Kind.values:
        public = Statement.objects.public().filter(kind=kind).order_by("pk")
        statements += [s.get_absolute_url() for s in public[:STATEMENTS_PER_KIND]]
        statements += [s.get_absolute_url() for s in public.filter(speaker__isnull=True)[:1]]
    return {
        "home": ["/"],
        "article_list": ["/articles/", "/articles/?topic=ceasefire"],
        "article": [a.get_absolute_url() for a in Article.objects.published().order_by("pk")],
        "actor_list": ["/actors/"],
        "actor": [a.get_absolute_url() for a in Actor.objects.public().order_by("pk")],
        "topic_list": ["/topics/"],
        "topic": [t.get_absolute_url() for t in Topic.objects.order_by("pk")],
        "statement": sorted(set(statements)),
        "timeline": ["/timeline/"],
        "search": ["/search/?q=ceasefire", "/search/?q=taliban&type=statement", "/search/?role=spokesman", "/search/"],
        "search_help": ["/search/help/"],
        # Readers' account pages (django-allauth, in the site's layout); the signed-in pages are checked in
        # tests/test_alerts_accounts.py.
        "accounts": ["/accounts/signup/", "/accounts/login/", "/accounts/password/reset/"],
        "agreement_list": ["/agreements/"],
        "agreement": [a.get_absolute_url() for a in Agreement.objects.order_by("pk")],
        # Provisions with and without assessments, deadlines and statements.
        "provision": [p.get_absolute_url() for p in Provision.objects.select_related("agreement").order_by("pk")[:8]],
        "stance_timeline": timelines
        + ["/actors/taliban/stances/ceasefire/", "/actors/taliban/stances/intra-afghan-talks/"],
        "shifts": ["/shifts/"],
    }


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.alternates: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "link" and attributes.get("rel") == "alternate" and attributes.get("type", "").endswith("+xml"):
            self.alternates.append((attributes["type"], attributes["href"]))


def feed_links(html: str) -> list[tuple[str, str]]:
    """The (media type, address) of every feed a page advertises with <link rel="alternate">."""
    parser = _Links()
    parser.feed(html)
    return parser.alternates


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)
