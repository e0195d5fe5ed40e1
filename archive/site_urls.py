"""Public pages."""

from django.urls import path

from archive import views

app_name = "archive"

urlpatterns = [
    path("", views.home, name="home"),
    path("articles/<slug:slug>/", views.article_detail, name="article_detail"),
    path("actors/<slug:slug>/", views.actor_detail, name="actor_detail"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic_detail"),
    path("statements/<int:pk>/", views.statement_detail, name="statement_detail"),
]
