"""Rows of the stance and relation exports (CSV, JSON, NDJSON, XLSX through archive.exports): confirmed rows
between public statements only."""

from archive.exports import speaker_fields

STANCE_FIELDS = [
    "id",
    "stance",
    "topic",
    "agreement",
    "provision_number",
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
    "article_slug",
    "statement_site_url",
    "statement_place_url",
]

RELATION_FIELDS = [
    "id",
    "kind",
    "from_statement_id",
    "from_speaker",
    "from_side",
    "from_date",
    "from_text",
    "to_statement_id",
    "to_speaker",
    "to_side",
    "to_date",
    "to_text",
    "from_site_url",
    "to_site_url",
]


def stance_row(stance, base_url: str = "", sides: dict | None = None) -> dict:
    """One confirmed stance as a flat dict of the export's fields."""
    statement, provision = stance.statement, stance.provision
    return {
        "id": stance.pk,
        "stance": stance.stance,
        "topic": stance.topic.slug if stance.topic_id else None,
        "agreement": provision.agreement.slug if provision else None,
        "provision_number": provision.number if provision else None,
        "statement_id": statement.pk,
        "text": statement.text,
        **speaker_fields(statement, sides),
        "date": statement.date_iso,
        "date_precision": statement.date_precision,
        "article_slug": statement.article.slug,
        "statement_site_url": base_url + statement.get_absolute_url(),
        "statement_place_url": base_url + statement.place_url,
    }


def relation_row(relation, base_url: str = "", sides: dict | None = None) -> dict:
    """One confirmed relation as a flat dict: the answering statement (from) and the answered one (to)."""
    row = {"id": relation.pk, "kind": relation.kind}
    for end, statement in (("from", relation.from_statement), ("to", relation.to_statement)):
        speaker = speaker_fields(statement, sides)
        row |= {
            f"{end}_statement_id": statement.pk,
            f"{end}_speaker": speaker["speaker"] or speaker["speaker_description"],
            f"{end}_side": speaker["side"],
            f"{end}_date": statement.date_iso,
            f"{end}_text": statement.text,
            f"{end}_site_url": base_url + statement.get_absolute_url(),
        }
    return {name: row[name] for name in RELATION_FIELDS}
