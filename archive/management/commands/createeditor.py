"""Create an editor account: a staff user in the "Editor" group."""

import getpass
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

GROUP = "Editor"
PASSWORD_ENV = "DJANGO_EDITOR_PASSWORD"


class Command(BaseCommand):
    help = (
        "Create an editor: a staff account in the Editor group (add, change and view archive content; "
        f"no deletes, no user management). The password comes from --password, ${PASSWORD_ENV}, or a prompt. "
        "An existing account is made an editor (its password is changed only when one is given)."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="", help="The editor's e-mail address.")
        parser.add_argument("--password", help=f"The password (or set ${PASSWORD_ENV}; otherwise prompted).")
        parser.add_argument("--no-input", action="store_true", help="Never prompt; fail when no password is given.")

    def handle(self, *args, username, email, password, no_input, **options):
        User = get_user_model()
        username = username.strip()
        if not username:
            raise CommandError("The username cannot be blank.")
        if email:
            try:
                validate_email(email)
            except ValidationError as error:
                raise CommandError(f"“{email}” is not a valid e-mail address.") from error
        try:
            group = Group.objects.get(name=GROUP)
        except Group.DoesNotExist as error:
            raise CommandError(f"The {GROUP} group does not exist: run “manage.py migrate” first.") from error

        user = User.objects.filter(username=username).first()
        password = password or os.environ.get(PASSWORD_ENV) or None
        if password is None and user is None:
            if no_input:
                raise CommandError(f"Give a password with --password or ${PASSWORD_ENV}.")
            password = self._prompt()
        candidate = user or User(username=username, email=email)
        if password is not None:
            try:
                validate_password(password, candidate)
            except ValidationError as error:
                raise CommandError("The password is not accepted: " + " ".join(error.messages)) from error

        with transaction.atomic():
            created = user is None
            user = candidate
            if email:
                user.email = email
            user.is_staff = True
            user.is_active = True
            if password is not None:
                user.set_password(password)
            user.save()
            user.groups.add(group)
        verb = "Created" if created else "Updated"
        self.stdout.write(self.style.SUCCESS(f"{verb} editor “{username}”: staff, in the {GROUP} group."))

    def _prompt(self) -> str:
        for _ in range(3):
            first = getpass.getpass("Password: ")
            second = getpass.getpass("Password (again): ")
            if not first:
                self.stderr.write("The password cannot be blank.")
            elif first != second:
                self.stderr.write("The passwords do not match.")
            else:
                return first
        raise CommandError("No password given.")
