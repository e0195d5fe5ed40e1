"""What every archive admin shares: history with readable diffs and a safe revert, editor-safe actions."""

import datetime

from django.contrib import messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from archive import services
from archive.indexing import deferred_indexing

ADMIN_CSS = ["admin_extra/admin.css"]
VERSION_FIELD = "_archive_version"


def version_of(obj) -> str:
    """The version a change form is opened at: the row's last-modified time."""
    return obj.updated_at.isoformat() if obj.updated_at else ""


def _stored(obj, name):
    """A field's stored value on a model or history row (many-to-many fields are not compared)."""
    try:
        field = obj._meta.get_field(name)
    except Exception:  # noqa: BLE001 - a form-only field
        return None
    return getattr(obj, field.attname, None) if not field.many_to_many else None


def _shown(value, field) -> str:
    """A form value as an editor reads it (choices by label, empty as a dash)."""
    if value in (None, "", [], ()):
        return "—"
    if isinstance(value, list | tuple):
        return ", ".join(_shown(v, field) for v in value)
    choices = dict(getattr(field, "choices", None) or [])
    if choices:
        label = choices.get(value) or choices.get(str(value))
        if label is None:
            try:
                label = next((str(c[1]) for c in field.choices if str(c[0]) == str(value)), None)
            except TypeError:
                label = None
        if label is not None:
            return str(label)
    return str(value)


class ArchiveAdmin(SimpleHistoryAdmin):
    """History list with who/when/what, revert through ``services.revert_to_version``, no bulk delete for editors."""

    object_history_template = "admin/archive/object_history.html"
    object_history_form_template = "admin/archive/object_history_form.html"
    object_history_list_template = "admin/archive/object_history_list.html"
    change_form_template = "admin/archive/change_form.html"
    list_per_page = 50
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    class Media:
        css = {"all": ADMIN_CSS}

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # An article saved with its statements inline updates the search index once, after the commit.
        with deferred_indexing():
            return super().changeform_view(request, object_id, form_url, extra_context)

    # --- Optimistic concurrency -----------------------------------------------------------------------
    # A change form carries the version (last-modified time) it was opened at. A save whose version is
    # no longer the stored one would overwrite another editor's save: it gets the conflict page instead.

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk is not None:
            context["archive_version"] = version_of(obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _changeform_view(self, request, object_id, form_url, extra_context):
        # Runs inside the admin's transaction: the row stays locked until this save commits.
        if request.method == "POST" and object_id is not None and "_saveasnew" not in request.POST:
            current = self.model._default_manager.select_for_update().filter(pk=unquote(object_id)).first()
            if current is not None and self.has_change_permission(request, current):
                if request.POST.get(VERSION_FIELD) != version_of(current):
                    return self.conflict_view(request, current)
        return super()._changeform_view(request, object_id, form_url, extra_context)

    def conflict_view(self, request, current):
        """The conflict page (HTTP 409): the saved values beside the posted ones, and a way to save over."""
        form_class = self.get_form(request, current, change=True)
        form = form_class(request.POST, request.FILES, instance=self.model._default_manager.get(pk=current.pk))
        opened_at = self._version_opened(current, request.POST.get(VERSION_FIELD, ""))
        differences = []
        for name in form.changed_data:
            field = form.fields[name]
            theirs_changed = opened_at is None or _stored(opened_at, name) != _stored(current, name)
            differences.append(
                {
                    "label": field.label or name,
                    "current": _shown(form[name].initial, field),
                    "yours": _shown(form[name].data, field),
                    "theirs_changed": theirs_changed,
                }
            )
        last = current.history.order_by("-history_date", "-history_id").select_related("history_user").first()
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "title": f"Your changes to “{current}” were not saved",
            "opts": opts,
            "app_label": opts.app_label,
            "media": self.media,
            "differences": differences,
            "last_editor": getattr(last, "history_user", None) if last else None,
            "last_saved": current.updated_at,
            "reposted": [
                (key, value)
                for key, values in request.POST.lists()
                if key not in ("csrfmiddlewaretoken", VERSION_FIELD)
                for value in values
            ],
            "current_version": version_of(current),
            "change_url": request.get_full_path(),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/archive/conflict.html", context, status=409)

    def _version_opened(self, current, version: str):
        """The history record of the version the form was opened at, when it can be found."""
        try:
            when = datetime.datetime.fromisoformat(version)
        except ValueError:
            return None
        return current.history.filter(updated_at=when).order_by("-history_id").first()

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.is_superuser:
            actions.pop("delete_selected", None)
        return actions

    # --- History -------------------------------------------------------------------------------------

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """Show a past version read-only; POST restores it, or says plainly why it cannot be."""
        object_id = unquote(object_id)
        if request.method == "POST":
            current = self.model._default_manager.filter(pk=object_id).first()
            if not self.has_change_history_permission(request, current) or self.revert_disabled(request, current):
                raise PermissionDenied
            try:
                result = services.revert_to_version(self.model, object_id, version_id, user=request.user)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
                return HttpResponseRedirect(request.path)
            self.message_user(
                request,
                f"“{result.instance}” was restored to its version of {result.version_date:%-d %b %Y %H:%M}.",
                messages.SUCCESS,
            )
            opts = self.model._meta
            return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[object_id]))
        request._archive_history_version = True
        version = self.model.history.filter(**{self.model._meta.pk.attname: object_id}, history_id=version_id).first()
        context = {"version": version, "version_m2m": self._version_m2m(version)}
        context.update(extra_context or {})
        return super().history_form_view(request, object_id, version_id, extra_context=context)

    @staticmethod
    def _version_m2m(version):
        """[(label, [names])] of the m2m fields recorded with a version (the form shows current ones)."""
        if version is None:
            return []
        shown = []
        for field in getattr(version, "_history_m2m_fields", []):
            target = field.related_model
            ids = [getattr(row, f"{target._meta.model_name}_id") for row in getattr(version, field.name).all()]
            names = {obj.pk: str(obj) for obj in target._default_manager.filter(pk__in=ids)}
            shown.append((field.verbose_name, [names.get(pk, f"(deleted, id {pk})") for pk in ids]))
        return shown

    def get_readonly_fields(self, request, obj=None):
        if getattr(request, "_archive_history_version", False):
            form_fields = [f.name for f in self.model._meta.fields if f.editable and not f.auto_created]
            m2m = [f.name for f in self.model._meta.many_to_many]
            return list(dict.fromkeys([*super().get_readonly_fields(request, obj), *form_fields, *m2m]))
        return super().get_readonly_fields(request, obj)

    def get_inlines(self, request, obj):
        if getattr(request, "_archive_history_version", False):
            return []
        return super().get_inlines(request, obj)

    # --- Intermediate action pages ---------------------------------------------------------------------

    def render_action_page(self, request, queryset, *, action, title, form, intro="", items=None, submit="Apply"):
        """An intermediate page for an action: the chosen rows, a form, and the same action posted back."""
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "intro": intro,
            "opts": opts,
            "app_label": opts.app_label,
            "queryset": queryset,
            "items": items if items is not None else [str(obj) for obj in queryset],
            "selected": [str(pk) for pk in queryset.values_list("pk", flat=True)],
            "action": action,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "form": form,
            "media": self.media + form.media,
            "submit": submit,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/archive/action_form.html", context)

    def choice_action(self, request, queryset, *, form_class, action, title, intro, submit, apply):
        """An action that first asks for a choice: its page (the chosen rows and `form_class`) until the
        form is posted back valid, then `apply(cleaned_data)`, which returns (rows changed, what was
        done), reported against the rows chosen."""
        form = form_class(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            total = queryset.count()
            changed, did = apply(form.cleaned_data)
            self.report(request, changed, total, did, self.model._meta.verbose_name)
            return None
        return self.render_action_page(
            request, queryset, action=action, title=title, intro=intro, form=form, submit=submit
        )

    def report(self, request, changed: int, total: int, did: str, noun: str = "item"):
        """One message per action: how many rows changed and how many already were so."""
        plural = noun if changed == 1 else f"{noun}s"
        text = f"{changed} {plural} {did}."
        if total - changed:
            text += f" {total - changed} already were."
        self.message_user(request, text, messages.SUCCESS if changed else messages.INFO)
