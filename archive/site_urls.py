"""Public pages, feeds, sitemap and robots.txt."""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path, re_path

from archive import feeds, views
from archive.agreements import feeds as agreement_feeds
from archive.agreements import views as agreement_views
from archive.positions import feeds as position_feeds
from archive.positions import views as position_views
from archive.sitemaps import SITEMAPS

app_name = "archive"

urlpatterns = [
    path("", views.home, name="home"),
    path("articles/", views.article_list, name="article_list"),
    path("articles/<slug:slug>/", views.article_detail, name="article_detail"),
    re_path(
        r"^articles/(?P<slug>[-a-zA-Z0-9_]+)/cite\.(?P<fmt>bib|ris)$", views.article_citation, name="article_citation"
    ),
    path("about/", views.about, name="about"),
    path("actors/", views.actor_list, name="actor_list"),
    path("actors/<slug:slug>/", views.actor_detail, name="actor_detail"),
    path("actors/<slug:slug>/stances/<slug:topic_slug>/", position_views.stance_timeline, name="stance_timeline"),
    path("shifts/", position_views.shift_list, name="shift_list"),
    path("topics/", views.topic_list, name="topic_list"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic_detail"),
    path("statements/<int:pk>/", views.statement_detail, name="statement_detail"),
    path("timeline/", views.timeline, name="timeline"),
    path("agreements/", agreement_views.agreement_list, name="agreement_list"),
    path("agreements/<slug:slug>/", agreement_views.agreement_detail, name="agreement_detail"),
    path("agreements/<slug:agreement_slug>/<slug:slug>/", agreement_views.provision_detail, name="provision_detail"),
    path("feeds/articles/rss/", feeds.LatestArticlesFeed(), name="feed_latest"),
    path("feeds/articles/atom/", feeds.LatestArticlesAtomFeed(), name="feed_latest_atom"),
    path("feeds/topics/<slug:slug>/rss/", feeds.TopicFeed(), name="topic_feed"),
    path("feeds/topics/<slug:slug>/atom/", feeds.TopicAtomFeed(), name="topic_atom"),
    path("feeds/actors/<slug:slug>/rss/", feeds.ActorFeed(), name="actor_feed"),
    path("feeds/actors/<slug:slug>/atom/", feeds.ActorAtomFeed(), name="actor_atom"),
    path("feeds/agreements/<slug:slug>/rss/", agreement_feeds.AgreementFeed(), name="agreement_feed"),
    path("feeds/agreements/<slug:slug>/atom/", agreement_feeds.AgreementAtomFeed(), name="agreement_atom"),
    path("feeds/statements/<int:pk>/thread/atom/", position_feeds.ThreadAtomFeed(), name="thread_atom"),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "archive:sitemap_section"},
        name="sitemap",
    ),
    path("sitemap-<section>.xml", sitemap_views.sitemap, {"sitemaps": SITEMAPS}, name="sitemap_section"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("favicon.ico", views.favicon, name="favicon"),
]
