"""RSS and Atom feeds per agreement: new assessments of its provisions and statements about them.

Dates follow the archive's feeds (archive/feeds.py): a month- or year-precise date is given as its first
day with a visible note, an undated statement has no publication date; titles are plain text.
"""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from archive.agreements import selectors
from archive.agreements.models import Agreement
from archive.feeds import SITE, _as_datetime, _date_note, _excerpt, _plain


class AgreementFeed(Feed):
    """The newest assessments of an agreement's provisions and public statements about them (RSS 2.0)."""

    # RFC 4287 requires an author on every entry or on the feed: the archive answers for its feeds.
    author_name = SITE
    item_guid_is_permalink = False

    def get_object(self, request, slug):
        return get_object_or_404(Agreement, slug=slug)

    def title(self, obj):
        return _plain(f"{SITE}: {obj.short_title}, implementation and claims")

    def description(self, obj):
        return f"Assessments of the {obj.short_title}'s provisions and what each side said about them, newest first."

    def link(self, obj):
        return obj.get_absolute_url()

    def items(self, obj):
        return selectors.agreement_feed_items(obj)

    def item_title(self, item):
        if item.kind == "assessment":
            a = item.item
            return _plain(f"{a.provision.number}: {a.get_status_display()} as of {a.as_of_display}")
        link = item.item
        relation = link.get_relation_display().lower()
        return _plain(f"{link.statement.speaker_label} — {relation}: {link.provision.number}")

    def item_description(self, item):
        # Readers treat descriptions as HTML: the text goes in escaped.
        if item.kind == "assessment":
            a = item.item
            note = _date_note(a.as_of_display, a.as_of_precision)
            return escape(f"{note}{a.provision.title}. {a.rationale}")
        statement = item.item.statement
        note = _date_note(statement.date_display, statement.date_precision)
        return escape(f"{note}{item.item.provision.title}. {statement.date_display}: {_excerpt(statement.text)}")

    def item_link(self, item):
        if item.kind == "assessment":
            return f"{item.item.provision.get_absolute_url()}#assessment-{item.item.pk}"
        return item.item.statement.get_absolute_url()

    def item_guid(self, item):
        # A statement may speak about several provisions: one entry per link, each with its own id.
        kind = "assessment" if item.kind == "assessment" else "provision-link"
        return f"tag:peace-talks-archive,2020:{kind}-{item.item.pk}"

    def item_pubdate(self, item):
        return _as_datetime(item.date)

    def item_updateddate(self, item):
        # Atom requires <updated> on every entry, dated or not.
        return item.item.updated_at

    def item_author_name(self, item):
        return item.item.statement.speaker_label if item.kind == "statement" else SITE


class AgreementAtomFeed(AgreementFeed):
    feed_type = Atom1Feed

    def subtitle(self, obj):
        return self.description(obj)
