"""Template helpers of the public site: statement highlighting, JSON-LD, citations."""

import json
import re

from django import template
from django.urls import reverse
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe

from archive.positions.models import StatementRelation, StatementStance

register = template.Library()

# Characters that could end a <script> block or open a comment, as JSON escapes (as json_script does).
_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026", ord("'"): "\\u0027"}
_PARAGRAPH_BREAK = re.compile(r"\n{2,}")


@register.simple_tag
def json_ld(data):
    """A schema.org JSON-LD block; the JSON is escaped so no text in it can close the script."""
    payload = json.dumps(data, ensure_ascii=False, default=str).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))


def _text(value: str):
    """Escaped text with single line breaks kept."""
    return format_html_join(mark_safe("<br>"), "{}", ((line,) for line in value.split("\n")))


# Closing quotation marks and punctuation that end a quote: a speaker's label goes after them, never
# inside the quoted words.
_QUOTE_TAIL = re.compile(r"[”’\"'»›)\]]*[,.;:!?…]?[”’\"'»›)\]]*")


def _speaker_tag(statement):
    """The speaker after a quote: outside the quoted words, left out when copying (CSS), read as "said by"."""
    if statement.speaker_id:
        name = format_html('<a href="{}">{}</a>', statement.speaker.get_absolute_url(), statement.speaker.name)
    else:
        name = format_html("{}", statement.speaker_description)
    flag = (
        format_html(' <span class="review-flag">{}</span>', "unreviewed")
        if statement.review_status == statement.ReviewStatus.EXTRACTED
        else ""
    )
    css = "quote-speaker" if statement.speaker_id else "quote-speaker quote-speaker-anon"
    return format_html(
        '<span class="{}" data-for="{}"><span class="visually-hidden"> (said by </span>{}{}'
        '<span class="visually-hidden">)</span></span>',
        css,
        statement.anchor,
        name,
        flag,
    )


def _mark(statement, html, first_piece: bool, last_piece: bool, anchors: bool):
    classes = ["quote", f"quote-{statement.review_status}", f"quote-{statement.kind}"]
    if first_piece:
        classes.append("quote-start")
    if last_piece:
        classes.append("quote-end")
    attrs = format_html(' id="{}"', statement.anchor) if anchors and first_piece else ""
    title = f"{statement.speaker_label}: {statement.review_note.lower()}"
    return format_html('<mark class="{}"{} title="{}">{}</mark>', " ".join(classes), attrs, title, html)


def _paragraph_html(body: str, start: int, end: int, statements, link_speakers: bool, anchors: bool):
    """One paragraph [start, end) of body with each statement span inside it wrapped in <mark>; each
    speaker's label follows the closing quotation mark, outside the quoted words."""
    parts, cursor = [], start
    pending = []  # (insert at, label) waiting for the text after a quote's closing marks
    starts = sorted(s.start for s in statements if start <= s.start < end)

    def flush(upto):
        nonlocal cursor
        while pending and pending[0][0] <= upto:
            at, label = pending.pop(0)
            if at > cursor:
                parts.append(_text(body[cursor:at]))
                cursor = at
            parts.append(label)

    for statement in statements:
        s_start, s_end = max(statement.start, start), min(statement.end, end)
        if s_start >= s_end:
            continue
        flush(s_start)
        if s_start < cursor:
            # Overlaps a span already marked: keep its anchor so links to it still land here.
            if anchors and statement.start >= start:
                parts.append(format_html('<span class="quote-anchor" id="{}"></span>', statement.anchor))
            continue
        parts.append(_text(body[cursor:s_start]))
        first_piece, last_piece = statement.start >= start, statement.end <= end
        parts.append(_mark(statement, _text(body[s_start:s_end]), first_piece, last_piece, anchors))
        cursor = s_end
        if link_speakers and last_piece:
            tail = _QUOTE_TAIL.match(body, s_end, end).end()
            following = next((at for at in starts if at >= s_end), end)
            pending.append((min(tail, following), _speaker_tag(statement)))
    flush(end)
    parts.append(_text(body[cursor:end]))
    return format_html("<p>{}</p>", mark_safe("".join(conditional_escape(p) for p in parts)))


def _paragraphs(body: str):
    start = 0
    for match in _PARAGRAPH_BREAK.finditer(body):
        yield start, match.start()
        start = match.end()
    yield start, len(body)


@register.simple_tag
def highlighted_body(article, statements):
    """The article body as paragraphs, every statement marked in place with an anchor and its speaker."""
    ordered = sorted(statements, key=lambda s: (s.start, -s.end))
    body = article.body
    return mark_safe(
        "".join(
            _paragraph_html(body, start, end, [s for s in ordered if s.start < end and s.end > start], True, True)
            for start, end in _paragraphs(body)
            if body[start:end].strip()
        )
    )


@register.simple_tag
def marked_paragraph(statement):
    """The paragraph a statement stands in, with the statement marked."""
    from archive.text import paragraph_bounds

    body = statement.article.body
    start, end = paragraph_bounds(body, statement.start, statement.end)
    return _paragraph_html(body, start, end, [statement], False, False)


@register.filter
def byline_name(byline: str) -> str:
    """A byline without its leading "By"."""
    return re.sub(r"^\s*by\s+", "", byline or "", flags=re.I).strip()


# --- schema.org -------------------------------------------------------------------------------------
# JSON-LD says only what the archive knows: dates as far as they are known (partial ISO 8601), a
# grouping label ("Analysts and experts") never as an Organization, a country as a Country (a place,
# so never anyone's employer or parent organisation), a government as a GovernmentOrganization.

SITE_NAME = "Peace Talks Archive"
ORGANISATION_TYPES = {"organisation": "Organization", "government": "GovernmentOrganization"}


def _absolute(request, path: str) -> str:
    return request.build_absolute_uri(path)


def _actor_ld(actor, request) -> dict | None:
    """A named actor as a Person, Organization, GovernmentOrganization or Country; None for a group label."""
    if actor.is_group_label:
        return None
    kind = "Person" if actor.kind == "person" else "Country" if actor.kind == "country" else None
    kind = kind or ORGANISATION_TYPES.get(actor.kind, "Organization")
    return {"@type": kind, "name": actor.name, "url": _absolute(request, actor.get_absolute_url())}


def _agent_ld(actor, request) -> dict | None:
    """An actor as the author of words (a Person or an Organization), or None when it cannot be one.

    A country speaks through its government: words credited to "Pakistan" are the government's.
    """
    data = _actor_ld(actor, request)
    if data is not None and data["@type"] == "Country":
        data["@type"] = "GovernmentOrganization"
    return data


def _organisation_of(actor, request) -> dict | None:
    """The actor's affiliation as an organisation it belongs to, if it is a real organisation."""
    if not actor.affiliation_id:
        return None
    parent = _actor_ld(actor.affiliation, request)
    return parent if parent is not None and parent["@type"] in ("Organization", "GovernmentOrganization") else None


def _role_ld(role, request) -> dict:
    """A dated role as schema.org's Role around the Occupation (the Role carries the dates, as far as they
    are known); the organisation, which an Occupation cannot name, goes in its description."""
    occupation = {"@type": "Occupation", "name": role.title}
    if role.label != role.title:
        occupation["description"] = role.label
    return _compact(
        {
            "@type": "Role",
            "roleName": role.title,
            "startDate": role.start_iso,
            "endDate": role.end_iso,
            "hasOccupation": occupation,
        }
    )


def _compact(data: dict) -> dict:
    return {key: value for key, value in data.items() if value not in (None, "", [])}


def _article_ref(article, request) -> dict:
    return _compact(
        {
            "@type": "NewsArticle",
            "headline": article.title[:110],
            "url": _absolute(request, article.get_absolute_url()),
            "datePublished": article.date_iso,
        }
    )


def _item_list(items, request) -> dict:
    """An ItemList of pages (objects with get_absolute_url, or search hits with url and title), in order."""
    elements = []
    for position, item in enumerate(items, 1):
        url = getattr(item, "url", None) if not hasattr(item, "get_absolute_url") else item.get_absolute_url()
        name = getattr(item, "title", None) or str(item)
        element = {"@type": "ListItem", "position": position, "name": name}
        if url:
            element["url"] = _absolute(request, url)
        elements.append(element)
    return {"@type": "ItemList", "numberOfItems": len(elements), "itemListElement": elements}


@register.simple_tag
def json_ld_website(request):
    home = _absolute(request, "/")
    return json_ld(
        {
            "@context": "https://schema.org",
            "@type": "WebSite",
            "name": SITE_NAME,
            "url": home,
            "potentialAction": {
                "@type": "SearchAction",
                "target": home + "search/?q={query}",
                "query-input": "required name=query",
            },
        }
    )


@register.simple_tag
def json_ld_article(article, speakers, request):
    source = {"@type": "Organization", "name": article.source.name} if article.source else None
    byline = byline_name(article.byline)
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title[:110],
        "name": article.title,
        "url": _absolute(request, article.get_absolute_url()),
        "datePublished": article.date_iso,
        "dateModified": article.updated_at.isoformat(),
        "dateline": article.dateline,
        # The byline when there is one; otherwise the outlet answers for the text. Neither known: no author.
        "author": {"@type": "Person", "name": byline} if byline else source,
        "publisher": source,
        "sourceOrganization": [{"@type": "Organization", "name": s.name} for s in article.credited_sources.all()],
        "sameAs": article.url if article.url.startswith(("http://", "https://")) else None,
        "about": [{"@type": "Thing", "name": topic.name} for topic in article.topics.all()],
        "mentions": [ld for ld in (_actor_ld(actor, request) for actor, _ in speakers) if ld],
        "inLanguage": article.language,
        "isAccessibleForFree": True,
    }
    return json_ld(_compact(data))


@register.simple_tag
def json_ld_actor(actor, request):
    if actor.is_group_label:
        # A label for independent voices is a collection of people and organisations, not an organisation.
        members = [member for member in actor.members.all() if not member.is_group_label]
        data = {
            "@context": "https://schema.org",
            "@type": "CollectionPage",
            "name": actor.name,
            "description": actor.description,
            "url": _absolute(request, actor.get_absolute_url()),
            "mainEntity": _item_list(members, request),
        }
        return json_ld(_compact(data))
    data = {
        "@context": "https://schema.org",
        **_actor_ld(actor, request),
        "alternateName": [alias.name for alias in actor.aliases.all() if alias.name != actor.name],
        "description": actor.description or actor.role,
    }
    organisation = _organisation_of(actor, request)
    if actor.kind == "person":
        data["jobTitle"] = actor.role
        data["affiliation"] = organisation
        data["hasOccupation"] = [_role_ld(role, request) for role in actor.roles.all()]
    elif actor.kind != "country":
        data["parentOrganization"] = organisation
        if actor.affiliation_id and actor.affiliation.kind == "country":
            # A ministry belongs to its country's government: the country is where it serves.
            data["areaServed"] = _actor_ld(actor.affiliation, request)
    return json_ld(_compact(data))


def _topics_with_stances(statement) -> list[dict]:
    """The statement's topics; with the stance an editor confirmed it takes on each, where there is one."""
    stances = {
        s.topic_id: s.get_stance_display().lower()
        for s in StatementStance.objects.confirmed().filter(statement=statement, topic__isnull=False)
    }
    return [
        _compact(
            {
                "@type": "Thing",
                "name": topic.name,
                "description": f"Stance: {stances[topic.pk]} (confirmed by an editor)" if topic.pk in stances else None,
            }
        )
        for topic in statement.topics.all()
    ]


def _answered_ld(statement, request) -> list[dict]:
    relations = StatementRelation.objects.public().filter(from_statement=statement)
    answered = []
    for r in relations.select_related("to_statement", "to_statement__article"):
        other = r.to_statement
        reported = other.kind == other.Kind.INDIRECT
        answered.append(
            {
                "@type": "Claim" if reported else "Quotation",
                "text": other.text,
                "url": _absolute(request, other.get_absolute_url()),
                "description": f"{r.get_kind_display()} (this statement, confirmed by an editor)",
                ("appearance" if reported else "isPartOf"): _article_ref(other.article, request),
            }
        )
    return answered


@register.simple_tag
def json_ld_statement(statement, request):
    article = statement.article
    speaker = _agent_ld(statement.speaker, request) if statement.speaker_id else None
    role = statement.speaker_role
    if speaker is not None and speaker["@type"] == "Person" and role:
        # The title the speaker held when the words were said (or the coverage's, the date unknown).
        speaker["jobTitle"] = role.title
    common = {
        "@context": "https://schema.org",
        "text": statement.text,
        "url": _absolute(request, statement.get_absolute_url()),
        "dateCreated": statement.date_iso,
        "about": _topics_with_stances(statement),
        # Confirmed relations to earlier public statements: what this statement replies to, denies, confirms…
        "mentions": _answered_ld(statement, request) or None,
        # An anonymous source, or a group label, is credited as the text describes it, never as a made-up agent.
        "creditText": None if speaker else statement.speaker_label,
    }
    if statement.kind == statement.Kind.INDIRECT:
        # Reported speech is the reporter's account of what someone said, not their words: schema.org's
        # Quotation would claim it verbatim. Fact-checkers describe such an attributed statement as a
        # Claim (the itemReviewed of a ClaimReview), with its author and the article it appeared in.
        data = {**common, "@type": "Claim", "author": speaker, "appearance": _article_ref(article, request)}
    else:
        # Direct and partial quotes are the speaker's own words: a partial quote's span holds only the
        # fragment inside the quotation marks, verbatim, so it is a Quotation too (of those words alone).
        data = {
            **common,
            "@type": "Quotation",
            "creator": speaker,
            "isPartOf": _article_ref(article, request),
            "citation": _absolute(request, statement.place_url),
        }
    return json_ld(_compact(data))


@register.simple_tag
def json_ld_topic(topic, request):
    topics_url = _absolute(request, reverse("archive:topic_list"))
    data = {
        "@context": "https://schema.org",
        "@type": "DefinedTerm",
        "name": topic.name,
        "description": topic.description,
        "url": _absolute(request, topic.get_absolute_url()),
        "termCode": topic.slug,
        "inDefinedTermSet": {"@type": "DefinedTermSet", "name": "Topics of the peace talks", "url": topics_url},
    }
    return json_ld(_compact(data))


@register.simple_tag
def json_ld_collection(request, name, items, description=""):
    """A CollectionPage whose main entity is the ItemList of what the page lists (in the page's order)."""
    data = {
        "@context": "https://schema.org",
        "@type": "CollectionPage",
        "name": name,
        "description": description,
        "url": request.build_absolute_uri(),
        "isPartOf": {"@type": "WebSite", "name": SITE_NAME, "url": _absolute(request, "/")},
        "mainEntity": _item_list(items, request),
    }
    return json_ld(_compact(data))


@register.simple_tag
def json_ld_actor_groups(request, groups):
    """The actors page: every side, then its members, as the page lists them."""
    actors = [actor for group in groups for actor in (group.side, *group.members)]
    return json_ld_collection(request, "Actors by side", actors, "The actors of the peace talks, grouped by side.")


class _Month:
    """A month of the timeline as an ItemList entry (it has no page of its own)."""

    def __init__(self, count):
        self.title = f"{count.month:%B %Y}: {count.articles} articles, {count.statements} statements"
        self.url = None


@register.simple_tag
def json_ld_timeline(request, timeline):
    months = [_Month(month) for month in timeline.months if month.articles or month.statements]
    return json_ld_collection(request, "Timeline", months, "Articles and statements per month.")


@register.simple_tag
def citation(article, permalink):
    """A Chicago-style citation of the article, as plain text."""
    from archive import citations

    return citations.plain(article, permalink)


@register.filter
def is_web_url(value: str) -> bool:
    """Whether a stored address is an http(s) link (anything else is never put in an href)."""
    return isinstance(value, str) and value.lower().startswith(("http://", "https://"))


@register.filter
def other_names(actor) -> list[str]:
    """The actor's aliases other than its own name."""
    return [alias.name for alias in actor.aliases.all() if alias.name != actor.name]
