"""Whole-archive dumps: every archive table, history included, as one JSON document (optionally gzipped).

Layout: {"format": FORMAT, "version": 1, "created_at": ..., "counts": {model: rows}, "users": [...],
"objects": [Django serializer objects]}. Rows keep their primary keys, so history rows still point at
the objects they record; references between current rows use natural keys (slugs) where the model has
one. Users are not dumped, only the user names that history rows credit (no passwords): a restore
creates each missing one as an inactive account without a usable password.
"""

import datetime
import decimal
import gzip
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from archive import indexing

FORMAT = "peace-talks-archive-dump"
VERSION = 1
CHUNK_SIZE = 2000


class DumpError(Exception):
    """A dump cannot be read or restored; the message says why."""


# Operational state, not the archive's content: pending search index updates belong to this server.
NOT_DUMPED = {"archive.indexoutbox"}


def is_history_model(model) -> bool:
    return hasattr(model, "instance_type")


def current_models() -> list:
    """The archive's own (non-history) models, each after the models it refers to."""
    own = [
        m
        for m in apps.get_app_config("archive").get_models()
        if not is_history_model(m) and m._meta.label_lower not in NOT_DUMPED
    ]
    ordered, placed = [], set()
    pending = list(own)
    while pending:
        for model in pending:
            deps = {
                f.related_model
                for f in model._meta.get_fields()
                if f.is_relation and f.concrete and f.related_model in own and f.related_model is not model
            }
            if deps <= placed:
                ordered.append(model)
                placed.add(model)
                pending.remove(model)
                break
        else:  # a cycle between models: keep the remaining order, forward references resolve it
            ordered.extend(pending)
            break
    return ordered


def history_models() -> list:
    """History tables: each object's versions first, then the versions' many-to-many rows."""
    history = [m for m in apps.get_app_config("archive").get_models() if is_history_model(m)]
    return sorted(history, key=lambda m: (any(f.name == "history" for f in m._meta.concrete_fields), m.__name__))


def all_models() -> list:
    return current_models() + history_models()


def label(model) -> str:
    return model._meta.label_lower


def user_fields(model) -> list[str]:
    user_model = get_user_model()
    return [f.name for f in model._meta.concrete_fields if f.is_relation and f.related_model is user_model]


class Encoder(json.JSONEncoder):
    """Dates and times in full ISO form (Django's encoder would cut microseconds)."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.date | datetime.time):
            return o.isoformat()
        if isinstance(o, decimal.Decimal | uuid.UUID):
            return str(o)
        return super().default(o)


def _open(path: Path, mode: str, gzipped: bool):
    if gzipped:
        return gzip.open(path, mode + "t", encoding="utf-8")
    return open(path, mode, encoding="utf-8")


def _serialized(model, usernames: dict) -> Iterator[dict]:
    natural = not is_history_model(model)
    queryset = model._base_manager.order_by("pk")
    for start in range(0, queryset.count(), CHUNK_SIZE):
        # Chunks by position keep memory flat; the order by primary key keeps the dump reproducible.
        objects = list(queryset[start : start + CHUNK_SIZE])
        rows = serializers.serialize("python", objects, use_natural_foreign_keys=natural)
        for row in rows:
            for name in user_fields(model):
                value = row["fields"].get(name)
                if isinstance(value, int):
                    row["fields"][name] = [usernames[value]]
            yield row


def dump(path: Path) -> dict:
    """Write the whole archive to path (gzipped when it ends in .gz); returns the rows per model."""
    path = Path(path)
    user_model = get_user_model()
    usernames = dict(user_model._base_manager.values_list("pk", user_model.USERNAME_FIELD))
    models = all_models()
    with transaction.atomic():  # one consistent snapshot on PostgreSQL
        counts = {label(m): m._base_manager.count() for m in models}
        credited = set()
        for model in models:
            for name in user_fields(model):
                credited.update(
                    model._base_manager.exclude(**{f"{name}__isnull": True}).values_list(f"{name}_id", flat=True)
                )
        users = [
            {"username": u.get_username(), "first_name": u.first_name, "last_name": u.last_name, "email": u.email}
            for u in user_model._base_manager.filter(pk__in=credited).order_by("pk")
        ]
        header = {
            "format": FORMAT,
            "version": VERSION,
            "created_at": timezone.now().isoformat(),
            "counts": counts,
            "users": users,
        }
        tmp = path.with_name(path.name + ".partial")
        with _open(tmp, "w", gzipped=path.name.endswith(".gz")) as out:
            out.write(json.dumps(header, ensure_ascii=False, indent=1)[:-2] + ',\n "objects": [')
            first = True
            for model in models:
                for row in _serialized(model, usernames):
                    out.write(("\n" if first else ",\n") + json.dumps(row, cls=Encoder, ensure_ascii=False))
                    first = False
            out.write("\n ]\n}\n")
        tmp.replace(path)  # never leave a half-written dump under the requested name
    return counts


def read(path: Path) -> dict:
    """The dump at path, checked to be one; gzip is recognised by its content."""
    path = Path(path)
    if not path.is_file():
        raise DumpError(f"No dump file at {path}.")
    with open(path, "rb") as raw:
        gzipped = raw.read(2) == b"\x1f\x8b"
    try:
        opener = gzip.open(path, "rt", encoding="utf-8") if gzipped else open(path, encoding="utf-8")
        with opener as handle:
            data = json.load(handle)
    except (OSError, EOFError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise DumpError(f"{path} is not a readable JSON dump: {error}") from error
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise DumpError(f"{path} is not an archive dump (made by `manage.py dump_archive`).")
    if data.get("version") != VERSION:
        raise DumpError(f"{path} is a version {data.get('version')} dump; this archive reads version {VERSION}.")
    if not isinstance(data.get("objects"), list) or not isinstance(data.get("users", []), list):
        raise DumpError(f"{path} is damaged: it has no list of objects.")
    return data


def archive_row_counts() -> dict:
    return {label(m): m._base_manager.count() for m in all_models()}


def seeded_models() -> list:
    """Models a fresh database already has rows of (the migrations create the topic vocabulary and the
    first search synonyms)."""
    return [apps.get_model("archive", "Topic"), apps.get_model("archive", "SearchSynonym")]


def is_empty() -> bool:
    """Whether the archive holds nothing but what migrations create."""
    seeded = seeded_models()
    return not any(m._base_manager.exists() for m in all_models() if m not in seeded)


@dataclass
class RestoreReport:
    counts: dict = field(default_factory=dict)
    users_created: list = field(default_factory=list)


def _clear() -> None:
    """Delete every archive row (history last, so the deletions' own history rows go too)."""
    for model in reversed(current_models()):
        model._base_manager.all().delete()
    for model in reversed(history_models()):
        model._base_manager.all().delete()


def restore(data: dict, replace: bool = False) -> RestoreReport:
    """Load a dump read by read() in one transaction; refuses a non-empty archive unless replace is true."""
    report = RestoreReport()
    with indexing.deferred_indexing(), transaction.atomic():
        if not is_empty():
            if not replace:
                raise DumpError(
                    "The archive is not empty. Restore into an empty database (`manage.py flush`), "
                    "or pass --force to replace everything it holds with the dump."
                )
            _clear()
        seeded = seeded_models()
        for model in seeded:
            # The dump carries the vocabulary as editors left it; nothing refers to the fresh one yet.
            model._base_manager.all().delete()
        for model in history_models():
            if model.instance_type in seeded:  # the deletions just recorded are no part of the dump
                model._base_manager.all().delete()
        user_model = get_user_model()
        for entry in data.get("users", []):
            username = entry.get("username")
            if not username:
                raise DumpError("The dump credits a user without a user name.")
            if not user_model._base_manager.filter(**{user_model.USERNAME_FIELD: username}).exists():
                user = user_model(
                    **{user_model.USERNAME_FIELD: username},
                    first_name=entry.get("first_name", ""),
                    last_name=entry.get("last_name", ""),
                    email=entry.get("email", ""),
                    is_active=False,
                )
                user.set_unusable_password()
                user.save()
                report.users_created.append(username)
        known = {label(m) for m in all_models()}
        for row in data["objects"]:
            if not isinstance(row, dict) or row.get("model") not in known:
                raise DumpError(f"The dump holds an object this archive has no table for: {str(row)[:200]}")
        deferred = []
        try:
            for obj in serializers.deserialize("python", data["objects"], handle_forward_references=True):
                # Setting many-to-many values would otherwise add a version the dump does not have.
                obj.object.skip_history_when_saving = True
                obj.save()
                if obj.deferred_fields:
                    deferred.append(obj)
            for obj in deferred:
                obj.save_deferred_fields()
        except serializers.base.DeserializationError as error:
            raise DumpError(f"The dump could not be loaded: {error}") from error
        _reset_sequences()
        _check(data)
        report.counts = archive_row_counts()
    return report


def _reset_sequences() -> None:
    """Point PostgreSQL's id sequences past the restored ids, so new rows get fresh ones."""
    statements = connection.ops.sequence_reset_sql(no_style(), all_models())
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def _check(data: dict) -> None:
    """Refuse (and roll back) a restore whose rows differ from the dump's counts or whose spans do not match."""
    expected = data.get("counts") or {}
    actual = archive_row_counts()
    wrong = {name: (n, actual.get(name)) for name, n in expected.items() if actual.get(name) != n}
    if wrong:
        details = ", ".join(f"{name}: {got} rows, the dump says {n}" for name, (n, got) in wrong.items())
        raise DumpError(f"The restore does not match the dump ({details}); nothing was restored.")
    statement = apps.get_model("archive", "Statement")
    for item in statement._base_manager.select_related("article").iterator(chunk_size=CHUNK_SIZE):
        errors = item.span_errors()
        if errors:
            problem = " ".join(str(message) for message in errors.values())
            raise DumpError(f"Statement {item.pk} does not match its article ({problem}); nothing was restored.")
