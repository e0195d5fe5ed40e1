"""Loading the curated corpus (fixtures/corpus.json): adds what the archive lacks, never changes what it has."""

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.db import transaction

from archive import indexing
from archive.models import (
    Actor,
    ActorRole,
    Agreement,
    Alias,
    Article,
    Deadline,
    ImplementationAssessment,
    Provision,
    Source,
    Statement,
    StatementProvisionLink,
    StatementRelation,
    StatementStance,
    Topic,
)
from archive.search.signals import role_keys

CORPUS = Path(settings.BASE_DIR) / "fixtures" / "corpus.json"
HISTORY_REASON = "Loaded from the curated corpus"


@dataclass
class LoadReport:
    """What one load created and what it found already present, per model."""

    created: dict = field(default_factory=dict)
    skipped: dict = field(default_factory=dict)
    objects: list = field(default_factory=list)

    def count(self, model, created: bool) -> None:
        tally = self.created if created else self.skipped
        label = model._meta.verbose_name_plural
        tally[label] = tally.get(label, 0) + 1

    @property
    def total_created(self) -> int:
        return sum(self.created.values())


def _present(model, fields: dict, curated_bodies: dict) -> bool:
    """Whether the archive already holds this curated object (or cannot take it)."""
    if model in (Source, Topic, Actor):
        return model.objects.filter(slug=fields["slug"]).exists()
    if model is Article:
        return Article.objects.filter(slug=fields["slug"]).exists() or (
            Article.objects.filter(content_hash=fields["content_hash"]).exists()
        )
    if model is Alias:
        return Alias.objects.filter(normalized=fields["normalized"]).exists()
    if model is ActorRole:
        # A role the actor already has under the same title (an editor may have dated it otherwise since:
        # their version stays).
        (slug,) = fields["actor"]
        actor = Actor.objects.filter(slug=slug).first()
        return actor is None or ActorRole.objects.filter(actor=actor, title=fields["title"]).exists()
    if model is Statement:
        (slug,) = fields["article"]
        article = Article.objects.filter(slug=slug).only("body").first()
        # A span is only valid against the body it was curated on; an edited body keeps its own statements.
        if article is None or article.body != curated_bodies.get(slug):
            return True
        return Statement.objects.filter(article=article, start=fields["start"], end=fields["end"]).exists()
    if model is Agreement:
        return Agreement.objects.filter(slug=fields["slug"]).exists()
    if model is Provision:
        return Provision.objects.filter(agreement__slug=fields["agreement"][0], slug=fields["slug"]).exists()
    if model is Deadline:
        return Deadline.objects.filter(
            provision=_provision(fields), date=fields["date"], description=fields["description"]
        ).exists()
    if model is ImplementationAssessment:
        return ImplementationAssessment.objects.filter(provision=_provision(fields), as_of=fields["as_of"]).exists()
    if model is StatementProvisionLink:
        statement = _statement(fields["statement"])
        # A statement that was not loaded (its article's body was edited) takes no link.
        return (
            statement is None
            or StatementProvisionLink.objects.filter(statement=statement, provision=_provision(fields)).exists()
        )
    if model is StatementStance:
        statement = _statement(fields["statement"])
        return (
            statement is None
            or StatementStance.objects.filter(statement=statement, topic__slug=fields["topic"][0]).exists()
        )
    if model is StatementRelation:
        source, target = _statement(fields["from_statement"]), _statement(fields["to_statement"])
        return (
            source is None
            or target is None
            or StatementRelation.objects.filter(
                from_statement=source, to_statement=target, kind=fields["kind"]
            ).exists()
        )
    raise ValueError(f"The corpus holds no {model.__name__} objects.")


def _provision(fields: dict) -> Provision | None:
    agreement_slug, slug = fields["provision"]
    return Provision.objects.filter(agreement__slug=agreement_slug, slug=slug).first()


def _statement(key) -> Statement | None:
    article_slug, start, end = key
    return Statement.objects.filter(article__slug=article_slug, start=start, end=end).first()


def _resolvable(entry: dict) -> dict:
    """The entry without evidence statements the archive does not hold (their article's body was edited)."""
    if entry["model"] != "archive.implementationassessment":
        return entry
    fields = dict(entry["fields"])
    fields["evidence_statements"] = [key for key in fields["evidence_statements"] if _statement(key) is not None]
    return {**entry, "fields": fields}


def record_initial_history(instance, when) -> None:
    """Give a row loaded raw its first history entry ("+"), with its many-to-many values, as save() would."""
    history_model = getattr(type(instance), instance._meta.simple_history_manager_attribute).model
    row = history_model(
        history_date=when,
        history_type="+",
        history_user=None,
        history_change_reason=HISTORY_REASON,
        **{f.attname: getattr(instance, f.attname) for f in history_model.tracked_fields},
    )
    row.save()
    for m2m_field in history_model._history_m2m_fields:
        m2m_history_model = getattr(history_model, m2m_field.name).model
        through = getattr(instance, m2m_field.name).through
        through_names = [f.name for f in through._meta.fields]
        owner_name = next(f.name for f in through._meta.fields if f.is_relation and f.related_model is type(instance))
        m2m_history_model.objects.bulk_create(
            m2m_history_model(history=row, **{name: getattr(link, name) for name in through_names})
            for link in through.objects.filter(**{owner_name: instance})
        )


def load_corpus(path: Path = CORPUS) -> LoadReport:
    """Create every curated object the archive lacks, give each a first history entry, index them once."""
    entries = json.loads(Path(path).read_text(encoding="utf-8"))
    curated_bodies = {e["fields"]["slug"]: e["fields"]["body"] for e in entries if e["model"] == "archive.article"}
    report = LoadReport()
    with indexing.deferred_indexing(), transaction.atomic():
        for entry in entries:
            model = apps.get_model(entry["model"])
            if _present(model, entry["fields"], curated_bodies):
                report.count(model, created=False)
                continue
            (deserialized,) = serializers.deserialize("json", json.dumps([_resolvable(entry)]))
            instance = deserialized.object
            # The rows keep their curation timestamps (a raw save skips auto_now): loading the corpus is not
            # a change to the records, so feeds, JSON-LD and the sitemap must not call them updated today.
            # Their first history entry is the curated version, dated as curated.
            # The curated version is recorded once below, not as a save plus one change per m2m field.
            instance.skip_history_when_saving = True
            deserialized.save()
            del instance.skip_history_when_saving
            report.objects.append(instance)
            report.count(model, created=True)
        for instance in report.objects:
            record_initial_history(instance, instance.updated_at)
            # Raw saves are not indexed by the signal processor; the deferred block indexes them once.
            indexing.record(instance)
            if isinstance(instance, ActorRole):
                # A role added to an actor the archive already had: their statements now file it.
                indexing.record_keys(role_keys([instance.actor_id]))
    return report
