"""Index updates that follow related changes, so edits show up in search without a rebuild.

A document reads more than its own row: a statement's text carries its speaker's names and aliases
and the role they held on its date, an article's facets carry the speakers and sides it quotes, every
document carries its side (found through any depth of affiliations), and a statement is public only
while its article is published.
Saving one object therefore re-indexes the documents that read it, in one index update per save (or
once at the end of a ``deferred_indexing()`` block). Related documents are recorded by primary key:
no related object (nor an article body) is loaded to decide what to re-index.
"""

from django.db.models import Q, signals

from archive.agreements.models import Agreement, Provision, StatementProvisionLink
from archive.indexing import DeferrableSignalProcessor, record_many
from archive.models import Actor, ActorRole, Alias, Article, Source, Statement, Topic, rows_changed

CHUNK = 1000
LINKED = (Agreement, Provision, StatementProvisionLink)
# Fields whose change alters the documents of related objects.
WATCHED = {
    Actor: ("name", "slug", "affiliation_id", "role"),
    ActorRole: ("actor_id",),  # a role moved to another actor: both actors' documents follow
    Source: ("name", "slug"),
    Topic: ("slug",),
    Agreement: ("slug",),
    Provision: ("slug", "agreement_id"),
    # A statement's document carries the provisions it speaks about (confirmed links) and how.
    StatementProvisionLink: ("statement_id", "provision_id", "relation", "review_status"),
}


def _pks(queryset) -> list:
    return list(queryset.values_list("pk", flat=True).distinct())


def with_members(actor_pks) -> set:
    """The actors and everyone affiliated to them, at any depth (as Actor.side walks up any depth)."""
    found, frontier = set(actor_pks), set(actor_pks)
    while frontier:
        frontier = set(Actor.objects.filter(affiliation__in=frontier).values_list("pk", flat=True)) - found
        found |= frontier
    return found


def related_keys(model, pks, changed: bool = True) -> dict:
    """{model: primary keys} of the other indexed rows whose documents read the rows `pks` of `model`."""
    # An imported actor under review is public only while one of their statements is (Actor.public()),
    # so publishing an article or deciding a statement re-indexes the speakers too.
    if model is Article:
        return {
            Statement: _pks(Statement.objects.filter(article__in=pks)),
            Actor: _pks(Actor.objects.filter(statements__article__in=pks)),
        }
    if model is Statement:
        rows = Statement.objects.filter(pk__in=pks)
        return {
            Article: _pks(Article.objects.filter(pk__in=rows.values("article_id"))),
            Actor: _pks(Actor.objects.filter(pk__in=rows.values("speaker_id"))),
        }
    if model is Alias:
        return actor_keys(_pks(Actor.objects.filter(aliases__in=pks)), members=False)
    if model is ActorRole:
        return role_keys(_pks(Actor.objects.filter(roles__in=pks)))
    if model is Actor and changed:
        keys = actor_keys(pks, members=True)
        # A role names its organisation: the documents of those holding a role in it follow a new name.
        holders = role_keys(_pks(Actor.objects.filter(roles__organisation__in=pks)))
        for other, found in holders.items():
            keys[other] = sorted({*keys.get(other, []), *found})
        return keys
    if model is Source and changed:
        # Articles carry their own source and the sources they credit (name and slug), and so do
        # their statements.
        return {
            Article: _pks(Article.objects.filter(Q(source__in=pks) | Q(credited_sources__in=pks))),
            Statement: _pks(
                Statement.objects.filter(Q(article__source__in=pks) | Q(article__credited_sources__in=pks))
            ),
        }
    if model is StatementProvisionLink:
        links = StatementProvisionLink.objects.filter(pk__in=pks)
        return {Statement: _pks(Statement.objects.filter(pk__in=links.values("statement_id")))}
    if model is Provision and changed:
        return {Statement: _pks(Statement.objects.filter(provision_links__provision__in=pks))}
    if model is Agreement and changed:
        return {Statement: _pks(Statement.objects.filter(provision_links__provision__agreement__in=pks))}
    if model is Topic and changed:
        return {
            Article: _pks(Article.objects.filter(topics__in=pks)),
            Statement: _pks(Statement.objects.filter(topics__in=pks)),
        }
    return {}


def actor_keys(actor_pks, members: bool) -> dict:
    """The documents reading actors' names, roles or sides: theirs (and their members', at any depth),
    their statements and the articles quoting them."""
    group = with_members(actor_pks) if members else set(actor_pks)
    return {
        Actor: sorted(group),
        Statement: _pks(Statement.objects.filter(speaker__in=group)),
        Article: _pks(Article.objects.filter(statements__speaker__in=group)),
    }


def role_keys(actor_pks) -> dict:
    """The documents reading actors' dated roles: the actors' own and their statements (each files the
    role held on its date)."""
    actor_pks = sorted({pk for pk in actor_pks if pk is not None})
    if not actor_pks:
        return {}
    return {Actor: actor_pks, Statement: _pks(Statement.objects.filter(speaker__in=actor_pks))}


class RelatedSignalProcessor(DeferrableSignalProcessor):
    """Re-indexes an object and every document that reads it, in one update per save; bulk_create()
    and update() (``rows_changed``) go the same way."""

    def setup(self):
        signals.pre_save.connect(self.handle_pre_save)
        signals.post_save.connect(self.handle_save)
        signals.post_delete.connect(self.handle_delete)
        signals.m2m_changed.connect(self.handle_m2m)
        rows_changed.connect(self.handle_rows_changed)

    def teardown(self):
        signals.pre_save.disconnect(self.handle_pre_save)
        signals.post_save.disconnect(self.handle_save)
        signals.post_delete.disconnect(self.handle_delete)
        signals.m2m_changed.disconnect(self.handle_m2m)
        rows_changed.disconnect(self.handle_rows_changed)

    def handle_pre_save(self, sender, instance, **kwargs):
        fields = WATCHED.get(sender)
        if not fields or kwargs.get("raw") or instance.pk is None:
            return
        before = sender._default_manager.filter(pk=instance.pk).values(*fields).first()
        instance._search_before = before

    def handle_save(self, sender, instance, **kwargs):
        if kwargs.get("raw") or not self._relevant(sender):
            return
        changed = True
        fields = WATCHED.get(sender)
        if fields:
            before = getattr(instance, "_search_before", None)
            changed = before is None or any(before[f] != getattr(instance, f) for f in fields)
        if isinstance(instance, Statement):  # its article and speaker, without a query
            keys = {Article: [instance.article_id], Actor: [instance.speaker_id]}
        elif isinstance(instance, StatementProvisionLink):  # its statement, and the one it left
            moved_from = (getattr(instance, "_search_before", None) or {}).get("statement_id")
            keys = {Statement: sorted({instance.statement_id, moved_from} - {None})} if changed else {}
        elif isinstance(instance, ActorRole):  # its holder, and the one it was moved from
            before = getattr(instance, "_search_before", None) or {}
            keys = role_keys([instance.actor_id, before.get("actor_id")])
        else:
            keys = related_keys(sender, [instance.pk], changed)
        record_many([instance] if self._handled(sender) else [], keys=keys)

    def handle_rows_changed(self, sender, pks, fields, **kwargs):
        if not self._relevant(sender):
            return
        watched = {name.removesuffix("_id") for name in WATCHED.get(sender, ())}
        changed = fields is None or bool(watched & {name.removesuffix("_id") for name in fields})
        keys: dict = {sender: list(pks)} if self._handled(sender) else {}
        for start in range(0, len(pks), CHUNK):  # a database takes only so many parameters at once
            for model, found in related_keys(sender, pks[start : start + CHUNK], changed).items():
                keys.setdefault(model, []).extend(found)
        record_many((), keys=keys)

    def handle_delete(self, sender, instance, **kwargs):
        if not self._relevant(sender):
            return
        deleted = [instance] if self._handled(sender) else []
        keys = {}
        if isinstance(instance, Statement):  # by id: the article may be going too (index_work drops it)
            keys = {Article: [instance.article_id], Actor: [instance.speaker_id]}
        elif isinstance(instance, Alias):
            keys = actor_keys(_pks(Actor.objects.filter(pk=instance.actor_id)), members=False)
        elif isinstance(instance, StatementProvisionLink):
            keys = {Statement: [instance.statement_id]}
        elif isinstance(instance, ActorRole):  # by id: the actor may be going too (index_work drops it)
            keys = role_keys([instance.actor_id])
        record_many((), deleted=deleted, keys=keys)

    def handle_m2m(self, sender, instance, action, **kwargs):
        if action not in ("post_add", "post_remove", "post_clear") or kwargs.get("reverse"):
            return
        if isinstance(instance, Article | Statement) and self._handled(type(instance)):
            if isinstance(instance, Statement):
                keys = {Article: [instance.article_id], Actor: [instance.speaker_id]}
            elif sender is Article.credited_sources.through:
                # A statement's document carries its article's sources.
                keys = {Statement: _pks(Statement.objects.filter(article=instance))}
            else:
                keys = {}
            record_many([instance], keys=keys)

    def _relevant(self, model) -> bool:
        return model in (Alias, ActorRole, Source, Topic, *LINKED) or self._handled(model)
