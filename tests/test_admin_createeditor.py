"""The createeditor command: a staff account in the Editor group."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db
User = get_user_model()


def test_createeditor_makes_a_staff_editor_who_can_log_in(capsys):
    call_command("createeditor", "amina", email="amina@example.org", password="peace-talks-2020-doha")
    user = User.objects.get(username="amina")
    assert user.is_staff and not user.is_superuser and user.is_active
    assert list(user.groups.values_list("name", flat=True)) == ["Editor"]
    assert user.check_password("peace-talks-2020-doha")
    assert "Created editor “amina”" in capsys.readouterr().out
    client = Client()
    client.force_login(user)
    assert client.get(reverse("admin:archive_article_changelist")).status_code == 200
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403


def test_createeditor_reads_the_password_from_the_environment(monkeypatch):
    monkeypatch.setenv("DJANGO_EDITOR_PASSWORD", "from-the-environment-42")
    call_command("createeditor", "omar", no_input=True)
    assert User.objects.get(username="omar").check_password("from-the-environment-42")


def test_createeditor_prompts_for_the_password(monkeypatch):
    monkeypatch.delenv("DJANGO_EDITOR_PASSWORD", raising=False)
    answers = iter(["typed-at-the-prompt-7", "typed-at-the-prompt-7"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    call_command("createeditor", "lina")
    assert User.objects.get(username="lina").check_password("typed-at-the-prompt-7")


def test_createeditor_refuses_a_weak_password_and_writes_nothing():
    with pytest.raises(CommandError, match="not accepted"):
        call_command("createeditor", "weak", password="123")
    assert not User.objects.filter(username="weak").exists()


def test_createeditor_without_password_and_no_input_fails(monkeypatch):
    monkeypatch.delenv("DJANGO_EDITOR_PASSWORD", raising=False)
    with pytest.raises(CommandError, match="Give a password"):
        call_command("createeditor", "nopass", no_input=True)


def test_createeditor_refuses_a_bad_email():
    with pytest.raises(CommandError, match="not a valid e-mail"):
        call_command("createeditor", "mail", email="not-an-address", password="peace-talks-2020-doha")


def test_createeditor_promotes_an_existing_account_keeping_its_password(monkeypatch):
    monkeypatch.delenv("DJANGO_EDITOR_PASSWORD", raising=False)
    User.objects.create_user("reader", password="the-readers-own-pass")
    call_command("createeditor", "reader", no_input=True)
    user = User.objects.get(username="reader")
    assert user.is_staff and user.groups.filter(name="Editor").exists()
    assert user.check_password("the-readers-own-pass")


def test_createeditor_needs_the_group():
    Group.objects.filter(name="Editor").delete()
    with pytest.raises(CommandError, match="migrate"):
        call_command("createeditor", "early", password="peace-talks-2020-doha")
