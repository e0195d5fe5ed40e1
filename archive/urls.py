"""Root URLs: the admin, the API, search and the public site."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("archive.api.urls")),
    path("search/", include("archive.search.urls")),
    path("", include("archive.site_urls")),
]
