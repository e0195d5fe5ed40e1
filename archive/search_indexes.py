"""Search indexes: published articles, public statements and actors, with filter and facet fields.

Filter and facet fields hold exact values (slugs, years, type names): they are declared unanalysed
(``indexed=False``), which Elasticsearch maps to keyword fields and the archive's Whoosh engine to
comma-separated keyword fields. Dates go in fields, never in the text.

The document text is assembled in Python (``prepare_text``): names and aliases go in with the
words they belong to, so a search for any alias finds the document. An article's title and lead
paragraph go in twice: words there say more about what the article is about than words of its tail.

``role`` holds the words of a statement's speaker's role on its date (and of the coverage's wording of
it), and of every role an actor held, as ``archive.roles.role_keywords`` files them: the role filter
matches them exactly, word by word, on any engine.

``substance`` is how many words a statement's own text (an article's body) has: engines rank a
two-word fragment below a substantial statement with it. ``said_by`` (statements) and ``mentioned``
(articles) are the facets of who speaks in the matching statements and who is quoted in the matching
articles; ``speaker`` keeps serving the speaker filter, which finds both.
"""

import hashlib
import json
import re

from django.db.models import Prefetch
from haystack import indexes
from haystack.constants import DJANGO_CT, DJANGO_ID, ID

from archive.agreements.models import StatementProvisionLink, provision_key
from archive.models import Actor, ActorRole, Article, Statement
from archive.roles import role_keywords

CONTENT_HASH = "content_hash"


def content_hash(prepared: dict) -> str:
    """A digest of everything a document holds, so a check can tell a stale document from a current one."""
    content = {k: v for k, v in prepared.items() if k not in (ID, DJANGO_CT, DJANGO_ID, CONTENT_HASH)}
    encoded = json.dumps(content, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.blake2b(encoded.encode(), digest_size=16).hexdigest()


class Sides:
    """Every actor's side (the top of its affiliation chain, at any depth, as ``Actor.side`` walks it),
    read in one query per indexing batch instead of following affiliations object by object."""

    def __init__(self):
        self._slugs = None

    def forget(self) -> None:
        self._slugs = None

    def slug(self, actor) -> str | None:
        """The slug of the side an actor belongs to (the actor itself for a side)."""
        if actor is None:
            return None
        slugs = self._slugs
        if slugs is None or actor.pk not in slugs:
            slugs = self._slugs = self._load()
        return slugs.get(actor.pk, actor.slug)

    @staticmethod
    def _load() -> dict:
        rows = {pk: (parent, slug) for pk, parent, slug in Actor.objects.values_list("pk", "affiliation_id", "slug")}
        slugs = {}
        for pk in rows:
            top, seen = pk, {pk}
            while rows[top][0] is not None and rows[top][0] in rows and rows[top][0] not in seen:
                top = rows[top][0]
                seen.add(top)
            slugs[pk] = rows[top][1]
        return slugs


SIDES = Sides()


def side_slug(actor) -> str | None:
    """The slug of the side an actor belongs to (the actor itself for a side)."""
    return SIDES.slug(actor)


class ArchiveIndex(indexes.SearchIndex):
    """Fields every document type shares, named as the search page's filters."""

    text = indexes.CharField(document=True)
    doc_type = indexes.MultiValueField(indexed=False)
    speaker = indexes.MultiValueField(indexed=False)
    affiliation = indexes.MultiValueField(indexed=False)
    source = indexes.MultiValueField(indexed=False)
    topic = indexes.MultiValueField(indexed=False)
    year = indexes.MultiValueField(indexed=False)
    said_by = indexes.MultiValueField(indexed=False)
    mentioned = indexes.MultiValueField(indexed=False)
    provision = indexes.MultiValueField(indexed=False)
    relation = indexes.MultiValueField(indexed=False)
    role = indexes.MultiValueField(indexed=False)
    date = indexes.DateField(null=True)
    review = indexes.MultiValueField(indexed=False)
    substance = indexes.IntegerField(indexed=False, stored=False)
    # Stored, not searched: what `check_index` compares with the database (see full_prepare).
    content_hash = indexes.CharField(indexed=False, stored=True, null=True)

    doc_type_name = ""

    def full_prepare(self, obj):
        prepared = super().full_prepare(obj)
        prepared[CONTENT_HASH] = content_hash(prepared)
        return prepared

    def prepare_content_hash(self, obj):
        return None  # filled in by full_prepare, from every other field

    def prepare_doc_type(self, obj):
        return [self.doc_type_name]

    def prepare_text(self, obj):
        return "\n".join(part for part in self.text_parts(obj) if part)

    def text_parts(self, obj):
        raise NotImplementedError

    def prepare_year(self, obj):
        date = self.prepare_date(obj)
        return [str(date.year)] if date else []

    def prepare_date(self, obj):
        return None

    def prepare_review(self, obj):
        """A statement's review status (the "verified only" filter); other documents have none."""
        return []

    def prepare_said_by(self, obj):
        return []

    def prepare_mentioned(self, obj):
        return []

    def prepare_provision(self, obj):
        """The agreement provisions a statement speaks about (links an editor confirmed); others have none."""
        return []

    def prepare_relation(self, obj):
        """How the statement speaks about those provisions (claims kept, claims broken, ...)."""
        return []

    def prepare_role(self, obj):
        """The words a role filter finds the document by (``archive.roles.role_keywords``)."""
        return []

    def prepare_substance(self, obj):
        return SUBSTANTIAL


def word_count(text: str) -> int:
    return len(re.findall(r"\w+", text or ""))


# Words from which a text counts as fully substantial (an actor's entry always does).
SUBSTANTIAL = 15


class ArticleIndex(ArchiveIndex, indexes.Indexable):
    doc_type_name = "article"

    def get_model(self):
        return Article

    def index_queryset(self, using=None):
        SIDES.forget()  # each batch reads the sides afresh
        public_statements = Statement.objects.public().select_related("speaker")
        return (
            Article.objects.published()
            .defer("raw_text")  # the document reads the cleaned body only
            .select_related("source")
            .prefetch_related(
                "topics",
                "credited_sources",
                Prefetch("statements", queryset=public_statements, to_attr="public_statements"),
            )
        )

    def _speakers(self, obj):
        statements = getattr(obj, "public_statements", None)
        if statements is None:
            statements = Statement.objects.public().filter(article=obj).select_related("speaker")
        return {s.speaker_id: s.speaker for s in statements if s.speaker_id}.values()

    def text_parts(self, obj):
        lead = obj.body.lstrip().split("\n\n", 1)[0][:1500]
        sources = [obj.source.name if obj.source_id else "", *(s.name for s in obj.credited_sources.all())]
        return [obj.title, obj.title, lead, obj.dateline, obj.byline, *sources, obj.body]

    def prepare_mentioned(self, obj):
        return self.prepare_speaker(obj)

    def prepare_substance(self, obj):
        return word_count(obj.body)

    def prepare_speaker(self, obj):
        return sorted({actor.slug for actor in self._speakers(obj)})

    def prepare_affiliation(self, obj):
        return sorted({side_slug(actor) for actor in self._speakers(obj)})

    def prepare_source(self, obj):
        """The publication and the sources it credits (a wire story carried by another site)."""
        own = [obj.source.slug] if obj.source_id else []
        return own + sorted({s.slug for s in obj.credited_sources.all()} - set(own))

    def prepare_topic(self, obj):
        return sorted(topic.slug for topic in obj.topics.all())

    def prepare_date(self, obj):
        return obj.published_date


class StatementIndex(ArchiveIndex, indexes.Indexable):
    doc_type_name = "statement"

    def get_model(self):
        return Statement

    def index_queryset(self, using=None):
        SIDES.forget()  # each batch reads the sides afresh
        return (
            Statement.objects.public()
            .select_related("article__source", "speaker")
            .defer("article__body", "article__raw_text")  # a statement's document needs its article's source only
            .prefetch_related(
                "topics",
                "speaker__aliases",
                "article__credited_sources",
                Prefetch(
                    "provision_links",
                    queryset=StatementProvisionLink.objects.confirmed().select_related("provision__agreement"),
                    to_attr="confirmed_provision_links",
                ),
            )
            .with_speaker_roles()
        )

    def _provision_links(self, obj):
        links = getattr(obj, "confirmed_provision_links", None)
        if links is None:
            links = (
                StatementProvisionLink.objects.confirmed().filter(statement=obj).select_related("provision__agreement")
            )
        return links

    def prepare_provision(self, obj):
        return sorted({provision_key(link.provision) for link in self._provision_links(obj)})

    def prepare_relation(self, obj):
        return sorted({link.relation for link in self._provision_links(obj)})

    def _roles(self, obj, labels: bool) -> list[str]:
        """The role the speaker held on the statement's date (its title, or with `labels` its title with
        the organisation), and the role as the coverage gives it."""
        if not obj.speaker_id:
            return []
        held = [role.label if labels else role.title for role in obj.speaker_role.roles]
        return list(dict.fromkeys(part for part in (*held, obj.speaker.role) if part))

    def text_parts(self, obj):
        if obj.speaker_id:
            speaker = obj.speaker
            names = [speaker.name, *(alias.name for alias in speaker.aliases.all())]
            # Titles only: the organisation's name in every statement would make its words match them all.
            said_by = [*names, *self._roles(obj, labels=False)]
        else:
            said_by = [obj.speaker_description]
        return [obj.text, *said_by, obj.said_to]

    def prepare_role(self, obj):
        return role_keywords(*self._roles(obj, labels=True))

    def prepare_speaker(self, obj):
        return [obj.speaker.slug] if obj.speaker_id else []

    def prepare_said_by(self, obj):
        return self.prepare_speaker(obj)

    def prepare_substance(self, obj):
        return word_count(obj.text)

    def prepare_affiliation(self, obj):
        return [side_slug(obj.speaker)] if obj.speaker_id else []

    def prepare_source(self, obj):
        article = obj.article
        own = [article.source.slug] if article.source_id else []
        return own + sorted({s.slug for s in article.credited_sources.all()} - set(own))

    def prepare_topic(self, obj):
        return sorted(topic.slug for topic in obj.topics.all())

    def prepare_date(self, obj):
        return obj.date

    def prepare_review(self, obj):
        return [obj.review_status]


class ActorIndex(ArchiveIndex, indexes.Indexable):
    doc_type_name = "actor"

    def get_model(self):
        return Actor

    def index_queryset(self, using=None):
        SIDES.forget()  # each batch reads the sides afresh
        return (
            Actor.objects.public()
            .select_related("affiliation")
            .prefetch_related("aliases", Prefetch("roles", queryset=ActorRole.objects.for_pages()))
        )

    def _roles(self, obj, labels: bool) -> list[str]:
        """Every dated role the actor held (titles, or with `labels` with their organisations), and the role
        as the coverage gives it."""
        held = [role.label if labels else role.title for role in obj.roles.all()]
        return list(dict.fromkeys(part for part in (*held, obj.role) if part))

    def text_parts(self, obj):
        affiliation = obj.affiliation.name if obj.affiliation_id else ""
        names = [obj.name, *(alias.name for alias in obj.aliases.all())]
        return [*names, *self._roles(obj, labels=False), obj.description, affiliation]

    def prepare_role(self, obj):
        return role_keywords(*self._roles(obj, labels=True))

    def prepare_speaker(self, obj):
        return [obj.slug]

    def prepare_affiliation(self, obj):
        return [side_slug(obj)]
