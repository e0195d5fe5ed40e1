"""Security headers and the Content-Security-Policy on public and admin pages."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import ArticleFactory


def csp_directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    directives = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


@pytest.mark.parametrize(
    "url_name", ["archive:home", "admin:login", "account_signup", "account_login", "account_reset_password"]
)
def test_csp_is_strict_on(client, db, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    csp = csp_directives(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert sorted(csp["img-src"]) == sorted(["'self'", "data:"])
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["form-action"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


def test_article_page_sends_security_headers(client, db):
    article = ArticleFactory()
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


def test_default_settings_serve_plain_http_locally(client, db):
    response = client.get(reverse("archive:home"))
    assert response.status_code == 200
    assert "Strict-Transport-Security" not in response
    assert settings.SESSION_COOKIE_SECURE is False
    assert settings.CSRF_COOKIE_SECURE is False


def test_https_setting_redirects_and_sends_hsts(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    assert client.get("/").status_code == 301
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


TEMPLATE_DIRS = [Path(settings.BASE_DIR) / "templates", Path(settings.BASE_DIR) / "archive" / "templates"]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/ld\+json)[^>]*>", re.I)
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=|\son[a-z]+\s*=\s*[\"']", re.I)


def test_templates_have_no_inline_script_or_style():
    """The CSP forbids inline code: a template with any would break in the browser."""
    offenders = []
    for folder in TEMPLATE_DIRS:
        for path in folder.rglob("*.html"):
            text = path.read_text(encoding="utf-8")
            for pattern in (INLINE_SCRIPT, INLINE_STYLE):
                for match in pattern.finditer(text):
                    offenders.append(f"{path.relative_to(settings.BASE_DIR)}: {match.group(0).strip()}")
    assert offenders == []
