"""The OpenAPI description of the API: error bodies, throttling, anonymous access and the downloads' bodies.

drf-spectacular documents what a view returns on success; this module adds what every operation really
answers besides (400 for a bad parameter, 404, 429 with Retry-After), marks every operation as open to
anonymous clients (`security: []`), and describes each export format with its real media type and body.
"""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import OpenApiResponse

from archive import exports
from archive.agreements.exports import LINK_FIELDS
from archive.positions.exports import RELATION_FIELDS, STANCE_FIELDS

DETAIL_ERROR = {
    "type": "object",
    "properties": {"detail": {"type": "string", "description": "What went wrong, in a sentence."}},
    "required": ["detail"],
}
PARAMETER_ERROR = {
    "type": "object",
    "description": "Each parameter at fault, with what is wrong with it.",
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
    "minProperties": 1,
}
RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before the next request.",
        "schema": {"type": "integer", "minimum": 1},
        "required": True,
    }
}


def ref(name: str) -> dict:
    """A reference to one of the shared bodies (COMPONENTS, registered with every operation)."""
    return {"$ref": f"#/components/schemas/{name}"}


ERRORS = {
    "400": {
        "description": "A parameter that is not valid (an unknown slug or value, a malformed date, a page "
        "or page size that is not a whole number in range), named with the reason.",
        "content": {"application/json": {"schema": ref("ParameterError")}},
    },
    "404": {
        "description": "No such object, a page past the last, or an unknown format.",
        "content": {"application/json": {"schema": ref("Error")}},
    },
    "429": {
        "description": "Too many requests from this address: wait Retry-After seconds, then go on. "
        "For the whole archive, use the exports or a dump instead of crawling.",
        "headers": RETRY_AFTER,
        "content": {"application/json": {"schema": ref("Error")}},
    },
}

_NULLABLE_STRING = {"type": ["string", "null"]}
_STRING_LIST = {"type": "array", "items": {"type": "string"}}
PARTIAL_DATE = {
    "type": ["string", "null"],
    "pattern": r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$",
    "description": "ISO 8601 as precisely as known: 2019, 2021-08 or 2021-08-14; null when unknown.",
}
# The choice sets the serializers name (ENUM_NAME_OVERRIDES), referred to rather than repeated.
PRECISION = {"$ref": "#/components/schemas/DatePrecisionEnum"}
# For serializer fields with allow_null, to which drf-spectacular adds the null itself.
PARTIAL_DATE_FIELD = {**PARTIAL_DATE, "type": "string"}

# The speaker's role on the statement's date, as every statement row gives it (exports.speaker_fields).
SPEAKER_ROLE = {
    "speaker_role": {
        "type": ["string", "null"],
        "description": "The role the speaker held on the statement's date (with its organisation), or the "
        "role as the coverage gives it; null when none is known.",
    },
    "speaker_role_dated": {
        "type": "boolean",
        "description": "True when speaker_role comes from the speaker's dated roles, false for the "
        "coverage's wording (or no role).",
    },
}

STATEMENT_ROW = {
    "type": "object",
    "description": "One statement of an export.",
    "properties": {
        "id": {"type": "integer"},
        "text": {"type": "string"},
        "speaker": _NULLABLE_STRING,
        "speaker_slug": _NULLABLE_STRING,
        "speaker_description": {"type": "string"},
        **SPEAKER_ROLE,
        "side": _NULLABLE_STRING,
        "side_slug": _NULLABLE_STRING,
        "kind": {"$ref": "#/components/schemas/StatementKindEnum"},
        "medium": {"type": "string"},
        "said_to": {"type": "string"},
        "date": PARTIAL_DATE,
        "date_precision": PRECISION,
        "review_status": {"$ref": "#/components/schemas/ReviewStatusEnum"},
        "review": {
            "type": "string",
            "description": "The review status in words: “Verified by an editor” or “Extracted automatically, "
            "not yet reviewed”.",
        },
        "display_text": {
            "type": "string",
            "description": "The text as the site shows it: in quotation marks for direct and partial quotes only.",
        },
        "topics": _STRING_LIST,
        "article_title": {"type": "string"},
        "article_slug": {"type": "string"},
        "article_date": PARTIAL_DATE,
        "article_date_precision": PRECISION,
        "source": _NULLABLE_STRING,
        "start": {"type": "integer", "minimum": 0},
        "end": {"type": "integer", "minimum": 1},
        "api_url": {"type": "string", "format": "uri"},
        "site_url": {"type": "string", "format": "uri"},
    },
    "required": exports.STATEMENT_FIELDS,
    "additionalProperties": False,
}
ARTICLE_ROW = {
    "type": "object",
    "description": "One article of an export (without its body).",
    "properties": {
        "slug": {"type": "string"},
        "title": {"type": "string"},
        "source": _NULLABLE_STRING,
        "source_slug": _NULLABLE_STRING,
        "credited_sources": _STRING_LIST,
        "original_url": {"type": "string"},
        "published_date": PARTIAL_DATE,
        "date_precision": PRECISION,
        "dateline": {"type": "string"},
        "byline": {"type": "string"},
        "language": {"type": "string"},
        "original_language": {"type": "string", "description": "The language translated from; empty if none."},
        "translation_note": {"type": "string"},
        "topics": _STRING_LIST,
        "statement_count": {"type": ["integer", "null"]},
        "api_url": {"type": "string", "format": "uri"},
        "site_url": {"type": "string", "format": "uri"},
    },
    "required": exports.ARTICLE_FIELDS,
    "additionalProperties": False,
}
PROVISION_LINK_ROW = {
    "type": "object",
    "description": "One public statement ↔ provision link of an export.",
    "properties": {
        "agreement": {"type": "string"},
        "provision_number": {"type": "string"},
        "provision_slug": {"type": "string"},
        "provision_title": {"type": "string"},
        "relation": {"$ref": "#/components/schemas/RelationEnum"},
        "statement_id": {"type": "integer"},
        "text": {"type": "string"},
        "speaker": _NULLABLE_STRING,
        "speaker_slug": _NULLABLE_STRING,
        "speaker_description": {"type": "string"},
        **SPEAKER_ROLE,
        "side": _NULLABLE_STRING,
        "side_slug": _NULLABLE_STRING,
        "date": PARTIAL_DATE,
        "date_precision": PRECISION,
        "article_title": {"type": "string"},
        "article_slug": {"type": "string"},
        "source": _NULLABLE_STRING,
        "statement_api_url": {"type": "string", "format": "uri"},
        "statement_site_url": {"type": "string", "format": "uri"},
        "provision_site_url": {"type": "string", "format": "uri"},
    },
    "required": LINK_FIELDS,
    "additionalProperties": False,
}
STANCE_ROW = {
    "type": "object",
    "description": "One confirmed stance of a public statement, on a topic or on an agreement provision.",
    "properties": {
        "id": {"type": "integer"},
        "stance": {"$ref": "#/components/schemas/StanceEnum"},
        "topic": {**_NULLABLE_STRING, "description": "The topic's slug; null for a stance on a provision."},
        "agreement": {**_NULLABLE_STRING, "description": "The provision's agreement; null for a topic."},
        "provision_number": _NULLABLE_STRING,
        "statement_id": {"type": "integer"},
        "text": {"type": "string"},
        "speaker": _NULLABLE_STRING,
        "speaker_slug": _NULLABLE_STRING,
        "speaker_description": {"type": "string"},
        **SPEAKER_ROLE,
        "side": _NULLABLE_STRING,
        "side_slug": _NULLABLE_STRING,
        "date": PARTIAL_DATE,
        "date_precision": PRECISION,
        "article_slug": {"type": "string"},
        "statement_site_url": {"type": "string", "format": "uri"},
        "statement_place_url": {"type": "string", "format": "uri"},
    },
    "required": STANCE_FIELDS,
    "additionalProperties": False,
}
RELATION_ROW = {
    "type": "object",
    "description": "One confirmed relation: the answering statement (from) and the one it answers (to).",
    "properties": {
        "id": {"type": "integer"},
        "kind": {"$ref": "#/components/schemas/StatementRelationKindEnum"},
        **{
            f"{end}_{name}": schema
            for end in ("from", "to")
            for name, schema in (
                ("statement_id", {"type": "integer"}),
                ("speaker", {"type": "string"}),
                ("side", _NULLABLE_STRING),
                ("date", PARTIAL_DATE),
                ("text", {"type": "string"}),
                ("site_url", {"type": "string", "format": "uri"}),
            )
        },
    },
    "required": RELATION_FIELDS,
    "additionalProperties": False,
}
# Shared bodies are components, so a generated client has one model for each.
COMPONENTS = {
    "Error": DETAIL_ERROR,
    "ParameterError": PARAMETER_ERROR,
    "StatementRow": STATEMENT_ROW,
    "ArticleRow": ARTICLE_ROW,
    "ProvisionLinkRow": PROVISION_LINK_ROW,
    "StanceRow": STANCE_ROW,
    "StatementRelationRow": RELATION_ROW,
}
assert set(STATEMENT_ROW["properties"]) == set(exports.STATEMENT_FIELDS)
assert set(ARTICLE_ROW["properties"]) == set(exports.ARTICLE_FIELDS)
assert set(PROVISION_LINK_ROW["properties"]) == set(LINK_FIELDS)
assert set(STANCE_ROW["properties"]) == set(STANCE_FIELDS)
assert set(RELATION_ROW["properties"]) == set(RELATION_FIELDS)

_TEXT = {"type": "string"}


_XLSX = {"type": "string", "format": "binary"}


def download_responses(name: str, what: str) -> dict:
    """The 200 answers of a download: CSV and NDJSON as text, JSON as an array of rows, XLSX as a workbook."""
    columns = ", ".join(COMPONENTS[name]["required"])
    return {
        (200, "text/csv"): OpenApiResponse(_TEXT, description=f"CSV: a header row ({columns}), then one {what} a row."),
        (200, "application/json"): OpenApiResponse(
            {"type": "array", "items": ref(name)}, description=f"JSON: one array of {what} objects ({name})."
        ),
        (200, "application/x-ndjson"): OpenApiResponse(
            _TEXT, description=f"NDJSON: one {what} object ({name}) a line."
        ),
        (200, exports.FORMATS["xlsx"]): OpenApiResponse(
            _XLSX, description=f"XLSX: an Excel workbook, the CSV's columns, one {what} a row, text kept as text."
        ),
    }


STATEMENT_DOWNLOAD = download_responses("StatementRow", "statement")
ARTICLE_DOWNLOAD = download_responses("ArticleRow", "article")
PROVISION_LINK_DOWNLOAD = download_responses("ProvisionLinkRow", "link")
STANCE_DOWNLOAD = download_responses("StanceRow", "stance")
RELATION_DOWNLOAD = download_responses("StatementRelationRow", "relation")
SEARCH_DOWNLOAD = {
    (200, "text/csv"): OpenApiResponse(_TEXT, description="CSV: a header row, then one match a row."),
    (200, "application/json"): OpenApiResponse(
        {"type": "array", "items": {"oneOf": [ref("StatementRow"), ref("ArticleRow")]}},
        description="JSON: one array of statement rows (type=statement) or article rows (type=article).",
    ),
    (200, "application/x-ndjson"): OpenApiResponse(_TEXT, description="NDJSON: one row object a line."),
    (200, exports.FORMATS["xlsx"]): OpenApiResponse(
        _XLSX, description="XLSX: an Excel workbook, the CSV's columns, one match a row."
    ),
}


class ArchiveAutoSchema(AutoSchema):
    """drf-spectacular's AutoSchema, plus anonymous access, the error answers and the downloads' filters."""

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        for name, schema in COMPONENTS.items():
            self.registry.register_on_missing(
                ResolvedComponent(name=name, type=ResolvedComponent.SCHEMA, object=name, schema=schema)
            )
        # No account is ever needed: an empty requirement list, not [{}] ("optional authentication").
        operation["security"] = []
        responses = operation["responses"]
        parameters = operation.get("parameters", [])
        takes_query = any(p["in"] == "query" for p in parameters)
        for status, answer in ERRORS.items():
            # A bad parameter needs a parameter; nothing is missing from an address that takes none.
            if (status == "400" and not takes_query) or (status == "404" and not parameters):
                continue
            responses.setdefault(status, answer)
        return operation

    def get_filter_backends(self):
        # A download takes the filters of its list, though it is not a list view.
        if getattr(self.view, "download", False):
            return getattr(self.view, "filter_backends", [])
        return super().get_filter_backends()

    def get_auth(self):
        return []
