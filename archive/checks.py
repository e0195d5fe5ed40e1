"""Deployment checks of our own, run by `manage.py check --deploy`."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def check_secret_key_is_not_the_development_key(app_configs, **kwargs):
    """The development fallback key is long enough to pass Django's own check, but it is public."""
    if settings.SECRET_KEY == settings.DEVELOPMENT_SECRET_KEY:
        return [
            Warning(
                "SECRET_KEY is the development key published in the source.",
                hint="Set DJANGO_SECRET_KEY to 50+ random characters in production.",
                id="archive.W001",
            )
        ]
    return []
