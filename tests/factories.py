"""factory_boy factories for the archive's models."""

import datetime

import factory

from archive import models


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Source
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Source {n}")


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Topic
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Topic {n}")
    description = "A topic of the talks."


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Article

    title = factory.Sequence(lambda n: f"Talks resume in Doha, round {n}")
    source = factory.SubFactory(SourceFactory)
    published_date = datetime.date(2020, 2, 29)
    date_precision = models.Article.DatePrecision.DAY
    body = factory.Sequence(
        lambda n: (
            f"Report {n}.\n\n“We are ready for the talks,” the spokesman told reporters in Doha.\n\nTalks went on."
        )
    )
    raw_text = factory.LazyAttribute(lambda o: o.body)
    status = models.Article.Status.PUBLISHED


class ActorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Actor

    name = factory.Sequence(lambda n: f"Actor Number{n}")
    kind = models.Actor.Kind.PERSON


class AliasFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Alias

    actor = factory.SubFactory(ActorFactory)
    name = factory.LazyAttribute(lambda o: o.actor.name)


class StatementFactory(factory.django.DjangoModelFactory):
    """A statement whose span is the first quoted passage of its article."""

    class Meta:
        model = models.Statement

    article = factory.SubFactory(ArticleFactory)
    speaker = factory.SubFactory(ActorFactory)
    start = factory.LazyAttribute(lambda o: o.article.body.index("“") + 1)
    end = factory.LazyAttribute(lambda o: o.article.body.index("”", o.start) - 1)
    text = factory.LazyAttribute(lambda o: o.article.body[o.start : o.end])


class ActorRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ActorRole

    actor = factory.SubFactory(ActorFactory)
    title = "Spokesman"
    start_date = datetime.date(2019, 1, 1)
    start_precision = models.DatePrecision.DAY
