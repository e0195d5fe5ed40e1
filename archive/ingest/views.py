"""The admin page where editors upload scraped articles and read the import report."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from archive.ingest import import_uploads, is_supported_name, max_bytes

ALLOWED_TYPES = {"text/plain", "text/html", "application/xhtml+xml", "application/octet-stream", ""}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".txt,.html,.htm,text/plain,text/html"}))
        # An empty file is reported by the import itself, alongside the others.
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        files = [f for f in files if f]
        if not files:
            raise forms.ValidationError("Choose one or more files to import.")
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class ImportForm(forms.Form):
    files = MultipleFileField(
        label="Article files", help_text="Plain text (.txt) or saved web pages (.html, .htm); several at once."
    )

    def clean_files(self):
        files = self.cleaned_data["files"]
        limit = max_bytes()
        problems = []
        for upload in files:
            if not is_supported_name(upload.name) or (upload.content_type or "").split(";")[0] not in ALLOWED_TYPES:
                problems.append(f"{upload.name}: not a text or HTML file (.txt, .html or .htm).")
            elif upload.size > limit:
                problems.append(
                    f"{upload.name}: too large ({upload.size / 1048576:.1f} MB; the limit is {limit / 1048576:.0f} MB)."
                )
        if problems:
            raise forms.ValidationError(problems)
        return files


def import_view(request):
    """Upload one or many files; show the same report as the import_articles command."""
    if not request.user.has_perm("archive.add_article"):
        raise PermissionDenied
    report = None
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            report = import_uploads(form.cleaned_data["files"])
            for result in report.results:
                result.link = _article_link(result.article_id)
                result.duplicate_of_link = _article_link(result.duplicate_of_id)
            form = ImportForm()
    else:
        form = ImportForm()
    context = {
        **admin.site.each_context(request),
        "title": "Import articles",
        "form": form,
        "report": report,
        "max_mb": max_bytes() // 1048576,
    }
    return render(request, "admin/archive/import.html", context)


def _article_link(article_id) -> str:
    """The article's admin change page (or nothing when the admin does not register articles)."""
    if not article_id:
        return ""
    try:
        return reverse("admin:archive_article_change", args=[article_id])
    except NoReverseMatch:
        return ""
