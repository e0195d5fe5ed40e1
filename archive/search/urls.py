"""Search URLs."""

from django.urls import path

from archive.search import views

app_name = "search"

urlpatterns = [
    path("", views.search, name="search"),
    path("help/", views.search_help, name="help"),
]
