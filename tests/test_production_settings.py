"""Production profile: check --deploy is clean, secrets are required, static files are compressed."""

import io
import json
import logging
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import RequestFactory

from archive.logformat import JsonFormatter

BASE = str(settings.BASE_DIR)
SECRET = "kP3v9-s0mE-rAnd0m-pr0duction-key-wHich-is-long-and-varied-7Qx2Lm8Zt"


def manage(*args, **env):
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    environment.update({"DJANGO_SETTINGS_MODULE": "archive.settings", **env})
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE, env=environment, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_with_https():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_HTTPS="1",
        DJANGO_SECRET_KEY=SECRET,
        DJANGO_ALLOWED_HOSTS="archive.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_is_clean_with_the_production_profile(tmp_path):
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_PRODUCTION="1",
        DJANGO_SECRET_KEY=SECRET,
        DJANGO_ALLOWED_HOSTS="archive.example.org",
        DJANGO_STATIC_ROOT=str(tmp_path),
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_warns_about_the_local_defaults():
    result = manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    for check_id in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert check_id in result.stderr


def test_check_deploy_flags_the_published_development_key():
    result = manage("check", "--deploy", "--fail-level", "WARNING", DJANGO_HTTPS="1")
    assert result.returncode != 0
    assert "archive.W001" in result.stderr


def test_production_profile_refuses_to_start_without_a_secret_key():
    result = manage("check", DJANGO_PRODUCTION="1")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_debug_is_off_by_default():
    result = manage("shell", "-c", "from django.conf import settings; print(settings.DEBUG)")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "False"


def test_collectstatic_writes_hashed_compressed_files(tmp_path):
    result = manage(
        "collectstatic", "--noinput", "--verbosity", "0", DJANGO_MANIFEST_STATIC="1", DJANGO_STATIC_ROOT=str(tmp_path)
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "staticfiles.json").exists()
    hashed = [p for p in (tmp_path / "archive").glob("site.*.css")]
    assert hashed, "no hashed copy of site.css"
    assert (tmp_path / "archive" / f"{hashed[0].name}.gz").exists() or any(
        p.suffix == ".gz" for p in (tmp_path / "archive").iterdir()
    )


def test_upload_limits_are_set():
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 5 * 1024 * 1024
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 5 * 1024 * 1024
    assert settings.ARCHIVE_MAX_REQUEST_BYTES >= settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def test_oversized_request_gets_413_before_it_is_read(client, db, settings):
    settings.ARCHIVE_MAX_REQUEST_BYTES = 1024
    response = client.post("/admin/login/", data=b"x" * 2048, content_type="application/octet-stream")
    assert response.status_code == 413
    assert "Upload too large" in response.content.decode()
    assert "Nothing was saved" in response.content.decode()


@pytest.mark.urls("tests.fault_urls")
def test_server_error_is_logged_to_stdout_with_traceback(client, db):
    stream = io.StringIO()
    handler = logging.getLogger("django.request").handlers[0]
    old = handler.setStream(stream)
    try:
        client.raise_request_exception = False
        response = client.get("/prod-faults/bug/")
    finally:
        handler.setStream(old)
    assert response.status_code == 500
    log = stream.getvalue()
    assert "Internal Server Error: /prod-faults/bug/" in log
    assert "Traceback (most recent call last)" in log
    assert "RuntimeError: an ordinary bug" in log


def test_json_log_format_carries_the_traceback():
    formatter = JsonFormatter()
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "failed", None, sys.exc_info())
    record.request = RequestFactory().get("/articles/x/")
    record.status_code = 500
    entry = json.loads(formatter.format(record))
    assert entry["level"] == "ERROR"
    assert entry["path"] == "/articles/x/"
    assert entry["status"] == 500
    assert "ValueError: boom" in entry["traceback"]


def test_production_profile_refuses_to_start_with_debug_on():
    result = manage("check", DJANGO_PRODUCTION="1", DJANGO_DEBUG="1", DJANGO_SECRET_KEY=SECRET)
    assert result.returncode != 0
    assert "DJANGO_DEBUG" in result.stderr


@pytest.mark.parametrize(
    "key",
    ["short", "x" * 80, "django-insecure-" + SECRET],
    ids=["five characters", "long but one character", "generated by startproject"],
)
def test_production_profile_refuses_a_weak_secret_key(key):
    result = manage("check", DJANGO_PRODUCTION="1", DJANGO_SECRET_KEY=key)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is too weak" in result.stderr


def test_production_profile_starts_with_a_strong_key():
    result = manage("check", DJANGO_PRODUCTION="1", DJANGO_SECRET_KEY=SECRET)
    assert result.returncode == 0, result.stderr


def test_behind_a_proxy_the_client_is_the_address_the_proxy_saw():
    code = "from django.conf import settings; print(settings.TRUSTED_PROXY_COUNT)"
    assert manage("shell", "-c", code).stdout.split()[-1] == "0"
    assert manage("shell", "-c", code, DJANGO_BEHIND_PROXY="1").stdout.split()[-1] == "1"
    assert (
        manage("shell", "-c", code, DJANGO_BEHIND_PROXY="1", DJANGO_TRUSTED_PROXY_COUNT="2").stdout.split()[-1] == "2"
    )
