"""Rows of the statement ↔ provision link exports (CSV, JSON, NDJSON through archive.exports)."""

from django.urls import reverse

from archive.exports import speaker_fields

LINK_FIELDS = [
    "agreement",
    "provision_number",
    "provision_slug",
    "provision_title",
    "relation",
    "statement_id",
    "text",
    "speaker",
    "speaker_slug",
    "speaker_description",
    "speaker_role",
    "speaker_role_dated",
    "side",
    "side_slug",
    "date",
    "date_precision",
    "article_title",
    "article_slug",
    "source",
    "statement_api_url",
    "statement_site_url",
    "provision_site_url",
]


def link_row(link, base_url: str = "", sides: dict | None = None) -> dict:
    """One public link as a flat dict of the export's fields."""
    statement, provision = link.statement, link.provision
    article = statement.article
    return {
        "agreement": provision.agreement.slug,
        "provision_number": provision.number,
        "provision_slug": provision.slug,
        "provision_title": provision.title,
        "relation": link.relation,
        "statement_id": statement.pk,
        "text": statement.text,
        **speaker_fields(statement, sides),
        # As far as it is known ("2021", "2021-08"), with its precision beside it, like every export's dates.
        "date": statement.date_iso,
        "date_precision": statement.date_precision,
        "article_title": article.title,
        "article_slug": article.slug,
        "source": article.source.name if article.source_id else None,
        "statement_api_url": base_url + reverse("api:statement-detail", args=[statement.pk]),
        "statement_site_url": base_url + statement.get_absolute_url(),
        "provision_site_url": base_url + provision.get_absolute_url(),
    }
