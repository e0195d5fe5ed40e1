"""Index updates that follow related changes, so edits show up in search without a rebuild.

A document reads more than its own row: a statement's text carries its speaker's names and aliases,
an article's facets carry the speakers and sides it quotes, and a statement is public only while its
article is published. Saving one object therefore re-indexes the documents that read it, in one
index update per save (or once at the end of a ``deferred_indexing()`` block).
"""

from django.db.models import signals

from archive.indexing import DeferrableSignalProcessor, record_many
from archive.models import Actor, Alias, Article, Source, Statement

# Fields whose change alters the documents of related objects.
WATCHED = {
    Actor: ("name", "slug", "affiliation_id", "role"),
    Source: ("name", "slug"),
}


def related_documents(instance, changed: bool = True) -> list:
    """The other indexed objects whose documents read `instance`."""
    # An imported actor under review is public only while one of their statements is (Actor.public()),
    # so publishing an article or deciding a statement re-indexes the speakers too.
    if isinstance(instance, Article):
        speakers = Actor.objects.filter(statements__article=instance).distinct()
        return [*Statement.objects.filter(article=instance), *speakers]
    if isinstance(instance, Statement):
        return [instance.article if instance.article_id else None, instance.speaker if instance.speaker_id else None]
    if isinstance(instance, Alias):
        actor = Actor.objects.filter(pk=instance.actor_id).first()
        if actor is None:
            return []
        return [actor, *Statement.objects.filter(speaker=actor)]
    if isinstance(instance, Actor) and changed:
        statements = list(Statement.objects.filter(speaker=instance))
        articles = list(Article.objects.filter(statements__speaker=instance).distinct())
        members = list(Actor.objects.filter(affiliation=instance))
        member_statements = list(Statement.objects.filter(speaker__affiliation=instance))
        member_articles = list(Article.objects.filter(statements__speaker__affiliation=instance).distinct())
        return statements + articles + members + member_statements + member_articles
    if isinstance(instance, Source) and changed:
        return list(Article.objects.filter(source=instance))
    return []


class RelatedSignalProcessor(DeferrableSignalProcessor):
    """Re-indexes an object and every document that reads it, in one update per save."""

    def setup(self):
        signals.pre_save.connect(self.handle_pre_save)
        signals.post_save.connect(self.handle_save)
        signals.post_delete.connect(self.handle_delete)
        signals.m2m_changed.connect(self.handle_m2m)

    def teardown(self):
        signals.pre_save.disconnect(self.handle_pre_save)
        signals.post_save.disconnect(self.handle_save)
        signals.post_delete.disconnect(self.handle_delete)
        signals.m2m_changed.disconnect(self.handle_m2m)

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
        own = [instance] if self._handled(sender) else []
        record_many(own + related_documents(instance, changed))

    def handle_delete(self, sender, instance, **kwargs):
        if not self._relevant(sender):
            return
        deleted = [instance] if self._handled(sender) else []
        related = []
        if isinstance(instance, Statement):
            related = [*Article.objects.filter(pk=instance.article_id), *Actor.objects.filter(pk=instance.speaker_id)]
        elif isinstance(instance, Alias):
            related = related_documents(instance)
        record_many(related, deleted=deleted)

    def handle_m2m(self, sender, instance, action, **kwargs):
        if action not in ("post_add", "post_remove", "post_clear") or kwargs.get("reverse"):
            return
        if isinstance(instance, Article | Statement) and self._handled(type(instance)):
            record_many([instance, *related_documents(instance)] if isinstance(instance, Statement) else [instance])

    def _relevant(self, model) -> bool:
        return model in (Alias, Source) or self._handled(model)
