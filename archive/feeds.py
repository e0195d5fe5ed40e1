"""RSS and Atom feeds: the latest articles, and the latest statements per topic and per actor.

Feed dates are full dates, which the archive does not always know. A month- or year-precise date is
given as its first day together with a visible note saying how much of it is known; an undated item
has no publication date at all (its <updated>, which Atom requires, is the record's last change).
Titles are plain text: any markup in a title is removed, and the feed writer escapes the rest once.
"""

import datetime

from django.contrib.syndication.views import Feed
from django.db.models import F
from django.db.models.functions import Length
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape, strip_tags

from archive.models import Actor, Article, Statement, Topic

FEED_LENGTH = 30
SITE = "Peace Talks Archive"


def _as_datetime(date: datetime.date | None) -> datetime.datetime | None:
    """Midnight UTC of a known date; None for an undated item, which then carries no publication date."""
    if date is None:
        return None
    return datetime.datetime(date.year, date.month, date.day, tzinfo=datetime.UTC)


def _plain(text: str) -> str:
    """Title text without markup: feed readers may read a title as HTML."""
    return " ".join(strip_tags(text).split())


def _date_note(date_display: str, precision: str) -> str:
    """A visible note for a date the feed has to give more exactly than the archive knows it."""
    if precision == "unknown":
        return "Date unknown. "
    if precision in ("month", "year"):
        return f"Dated {date_display}: only the {precision} is known, so the feed's date is its first day. "
    return ""


def _excerpt(text: str, words: int = 60) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


class LatestArticlesFeed(Feed):
    """The latest published articles (RSS 2.0)."""

    title = f"{SITE}: latest articles"
    description = "Articles on the US–Taliban and intra-Afghan peace talks, newest first."
    # RFC 4287 requires an author on every entry or on the feed: the archive answers for its feeds.
    author_name = SITE

    def link(self):
        return reverse("archive:article_list")

    def items(self):
        # Undated articles last: their load time says nothing of when they appeared.
        newest = F("published_date").desc(nulls_last=True)
        return Article.objects.published().for_list().order_by(newest, "-created_at")[:FEED_LENGTH]

    def item_title(self, item):
        return _plain(item.title)

    def item_description(self, item):
        # Readers treat descriptions as HTML: the text goes in escaped.
        meta = " · ".join(part for part in (item.source.name if item.source else "", item.date_display) if part)
        note = _date_note(item.date_display, item.date_precision)
        return escape(f"{note}{meta}. {_excerpt(item.body)}")

    def item_pubdate(self, item):
        return _as_datetime(item.published_date)

    def item_updateddate(self, item):
        # Atom requires <updated> on every entry, dated or not.
        return item.updated_at

    def item_author_name(self, item):
        return item.byline or (item.source.name if item.source else None)

    def item_categories(self, item):
        return [topic.name for topic in item.topics.all()]


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = Atom1Feed
    subtitle = LatestArticlesFeed.description


class StatementFeed(Feed):
    """Public statements, newest first, and on one day the most substantial first (a two-word fragment
    quoted the same day does not head the feed); subclasses choose whose."""

    author_name = SITE

    def statements(self, obj):
        raise NotImplementedError

    def items(self, obj):
        return (
            self.statements(obj)
            .select_related("speaker", "article", "article__source")
            .order_by(F("date").desc(nulls_last=True), Length("text").desc(), "-created_at")[:FEED_LENGTH]
        )

    def item_title(self, item):
        # Quotation marks only around the speaker's own words; reported speech says it is reported.
        words = _excerpt(item.text, 16)
        if item.is_quotation:
            return _plain(f"{item.speaker_label}: “{words}”")
        return _plain(f"{item.speaker_label}, reported: {words}")

    def item_description(self, item):
        note = _date_note(item.date_display, item.date_precision)
        said = (
            f"“{item.text}” — {item.speaker_label}"
            if item.is_quotation
            else f"{item.speaker_label}, as reported in the article: {item.text}"
        )
        return escape(f"{note}{said}, {item.date_display}. From: {item.article.title}. {item.review_note}.")

    def item_pubdate(self, item):
        return _as_datetime(item.date)

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.speaker_label


class TopicFeed(StatementFeed):
    """The latest statements on one topic (RSS 2.0)."""

    def get_object(self, request, slug):
        return get_object_or_404(Topic, slug=slug)

    def statements(self, obj):
        return Statement.objects.public().filter(topics=obj)

    def title(self, obj):
        return _plain(f"{SITE}: statements on {obj.name}")

    def link(self, obj):
        return obj.get_absolute_url()

    def description(self, obj):
        return escape(f"The latest statements on {obj.name} in the peace talks, from every side.")


class TopicAtomFeed(TopicFeed):
    feed_type = Atom1Feed

    def subtitle(self, obj):
        return self.description(obj)


class ActorFeed(StatementFeed):
    """The latest statements by one actor (RSS 2.0)."""

    def get_object(self, request, slug):
        return get_object_or_404(Actor.objects.public(), slug=slug)

    def statements(self, obj):
        return Statement.objects.public().by_actor(obj)

    def title(self, obj):
        return _plain(f"{SITE}: statements by {obj.name}")

    def link(self, obj):
        return obj.get_absolute_url()

    def description(self, obj):
        return escape(f"The latest statements by {obj.name} on the peace talks.")


class ActorAtomFeed(ActorFeed):
    feed_type = Atom1Feed

    def subtitle(self, obj):
        return self.description(obj)


# --- a feed for any search --------------------------------------------------------------------------
# The feed keeps the search's words and filters and lists its newest matching public statements; the
# page, the sort order and the result type are the feed's own. A parameter the search page would drop
# with a message (an unknown topic, a malformed date) is refused with a 400: a feed reader subscribed to
# it would otherwise follow a wider search than the one asked for, and never see the message.

FEED_PARAMS_DROPPED = ("page", "sort", "type")


def search_feed_pairs(params) -> list[tuple[str, str]]:
    """The search's parameters that a feed of it keeps, in the search page's order."""
    from archive.search.urls_helpers import _pairs

    return [(name, value) for name, value in _pairs(params) if name not in FEED_PARAMS_DROPPED]


def search_feed_params(params) -> dict[str, list[str]]:
    """The same, as the search read path takes them (name → values)."""
    found: dict[str, list[str]] = {}
    for name, value in search_feed_pairs(params):
        found.setdefault(name, []).append(value)
    return found


class SearchFeed(StatementFeed):
    """The newest public statements matching a search (RSS 2.0)."""

    def get_object(self, request):
        from archive.search.selectors import search

        params = {**search_feed_params(request.GET), "type": ["statement"], "sort": ["newest"]}
        return {"pairs": search_feed_pairs(request.GET), "outcome": search(params, per_page=FEED_LENGTH)}

    def items(self, obj):
        return [hit.object for hit in obj["outcome"].results]

    def title(self, obj):
        shown = obj["outcome"].query.display() or "all statements"
        return _plain(f"{SITE}: statements matching {shown}")

    def link(self, obj):
        from archive.search.urls_helpers import search_url

        return search_url(obj["pairs"])

    def description(self, obj):
        return escape("The newest public statements matching a search of the archive, filters included.")


class SearchAtomFeed(SearchFeed):
    feed_type = Atom1Feed

    def subtitle(self, obj):
        return self.description(obj)
