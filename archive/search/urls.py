"""Search URLs."""

from django.urls import path

from archive.search import views

app_name = "search"

urlpatterns = [
    path("", views.search, name="search"),
    path("help/", views.search_help, name="help"),
    path("feed/atom/", views.search_feed, {"fmt": "atom"}, name="feed_atom"),
    path("feed/rss/", views.search_feed, {"fmt": "rss"}, name="feed_rss"),
]
