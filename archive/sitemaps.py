"""sitemap.xml: every public page."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from archive.models import Actor, Agreement, Article, Provision, Statement, StatementStance, Topic


class PageSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.8

    def items(self):
        return [
            "archive:home",
            "archive:article_list",
            "archive:actor_list",
            "archive:topic_list",
            "archive:timeline",
            "archive:agreement_list",
            "archive:shift_list",
        ]

    def location(self, item):
        return reverse(item)


class ArticleSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.7

    def items(self):
        return Article.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, item):
        return item.updated_at


class ActorSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return Actor.objects.public().only("slug", "updated_at").order_by("pk")

    def lastmod(self, item):
        return item.updated_at


class TopicSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return Topic.objects.only("slug", "updated_at").order_by("pk")

    def lastmod(self, item):
        return item.updated_at


class StatementSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.4
    limit = 10000

    def items(self):
        return Statement.objects.public().only("pk", "updated_at").order_by("pk")

    def lastmod(self, item):
        return item.updated_at


class AgreementSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.7

    def items(self):
        return Agreement.objects.only("slug", "updated_at").order_by("pk")

    def lastmod(self, item):
        return item.updated_at


class ProvisionSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.5

    def items(self):
        return (
            Provision.objects.select_related("agreement").only("slug", "updated_at", "agreement__slug").order_by("pk")
        )

    def lastmod(self, item):
        return item.updated_at


class StanceTimelineSitemap(Sitemap):
    """Each actor × topic with a confirmed stance of a public statement: its stance-over-time page."""

    changefreq = "weekly"
    priority = 0.4

    def items(self):
        return list(
            StatementStance.objects.public()
            .filter(topic__isnull=False, statement__speaker__in=Actor.objects.public())
            .values_list("statement__speaker__slug", "topic__slug")
            .order_by("statement__speaker__slug", "topic__slug")
            .distinct()
        )

    def location(self, item):
        return reverse("archive:stance_timeline", args=item)


SITEMAPS = {
    "pages": PageSitemap,
    "articles": ArticleSitemap,
    "actors": ActorSitemap,
    "topics": TopicSitemap,
    "statements": StatementSitemap,
    "agreements": AgreementSitemap,
    "provisions": ProvisionSitemap,
    "stances": StanceTimelineSitemap,
}
