"""Root URLs: the admin, the API, search, readers' accounts and alerts, and the public site."""

from django.contrib import admin
from django.urls import include, path

from archive.ingest.views import import_view

urlpatterns = [
    path("admin/import/", admin.site.admin_view(import_view), name="archive_import"),
    path("admin/", admin.site.urls),
    path("api/", include("archive.api.urls")),
    path("search/", include("archive.search.urls")),
    path("accounts/", include("allauth.urls")),
    path("alerts/", include("archive.alerts.urls")),
    path("", include("archive.site_urls")),
]
