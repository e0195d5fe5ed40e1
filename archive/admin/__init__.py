"""The editors' workspace: articles, the review queue, actors, sources and topics in the Django admin."""

from django.conf import settings
from django.contrib import admin

from archive.admin import actors, agreements, articles, positions, statements, vocabulary  # noqa: F401

admin.site.site_header = f"{settings.SITE_NAME}: editors"
admin.site.site_title = settings.SITE_NAME
admin.site.index_title = "Editors’ workspace"
