"""Forms of the editors' workspace: the statement form with span help, and the action pages."""

import re

from django import forms
from django.db import models

from archive.models import Actor, Article, Statement, Topic
from archive.services import find_span
from archive.text import clean_text, content_hash, normalize_name


class CleanCharField(forms.CharField):
    """Text as stored: the browser's CRLF line endings, NUL, zero-width characters and decomposed
    accents are normalised before any validation compares it with stored text."""

    def to_python(self, value):
        value = super().to_python(value)
        return clean_text(value) if isinstance(value, str) else value


# formfield_overrides of every admin and inline: text fields through CleanCharField (slugs and
# addresses keep their own form fields).
TEXT_FORMFIELDS = {
    models.SlugField: {},
    models.URLField: {"assume_scheme": "https"},
    models.TextField: {"form_class": CleanCharField},
    models.CharField: {"form_class": CleanCharField},
}


class ArchiveModelForm(forms.ModelForm):
    """Every change form of the workspace asks, optionally, why the change is made (kept in the history)."""

    change_reason = CleanCharField(
        required=False,
        max_length=500,
        label="Reason for this change",
        help_text="Optional. Kept in the history; for a published article, shown in its public record of "
        "corrections (e.g. “Misspelt name corrected”).",
        widget=forms.TextInput(attrs={"size": 80}),
    )


class ArticleForm(ArchiveModelForm):
    """The article form: the same text is never stored twice, so say which article already has it."""

    class Meta:
        model = Article
        fields = [
            "title", "slug", "status", "source", "credited_sources", "url", "topics", "published_date",
            "date_precision", "dateline", "byline", "language", "original_language", "translation_note", "body",
            "editor_notes",
        ]  # fmt: skip

    inline_prefix = ""  # the prefix of the statements inline, set by the admin
    confirm_unreviewed = forms.BooleanField(
        required=False,
        label="Publish with statements awaiting review",
        help_text="Needed to publish an article whose statements are not all reviewed yet.",
    )

    def clean(self):
        data = super().clean()
        if data.get("status") == Article.Status.PUBLISHED and not self.instance.is_public and self.instance.pk:
            pending = self.instance.statements.filter(review_status=Statement.ReviewStatus.EXTRACTED).count()
            if pending and not data.get("confirm_unreviewed"):
                self.add_error(
                    "confirm_unreviewed",
                    f"{pending} statement{'s' if pending != 1 else ''} of this article "
                    f"{'are' if pending != 1 else 'is'} still awaiting review. Review "
                    f"{'them' if pending != 1 else 'it'} first, or tick this box to publish anyway: readers "
                    "will see them marked “extracted automatically, not yet reviewed”.",
                )
        return data

    def clean_body(self):
        body = self.cleaned_data["body"]
        twin = Article.objects.filter(content_hash=content_hash(body)).exclude(pk=self.instance.pk).first()
        if twin is not None:
            raise forms.ValidationError(f"The archive already holds this text, as “{twin.title}” (id {twin.pk}).")
        if self.instance.pk and "body" in self.changed_data:
            posted = self.posted_statements()
            lost = unanchored_statements(self.instance, body, exclude=posted)
            # A statement posted with this form counts with its posted words (or not at all when deleted).
            lost += [(pk, text) for pk, text in posted.items() if text and text not in body]
            if lost:
                speakers = {
                    s.pk: s.speaker_label
                    for s in Statement.objects.filter(pk__in=[pk for pk, _text in lost[:5]]).select_related("speaker")
                }
                listed = "; ".join(
                    f"“{text[:100]}{'…' if len(text) > 100 else ''}” ({speakers.get(pk, '')})" for pk, text in lost[:5]
                )
                more = f" and {len(lost) - 5} more" if len(lost) > 5 else ""
                raise forms.ValidationError(
                    f"This edit removes words that {len(lost)} statement{'s' if len(lost) != 1 else ''} quote"
                    f"{'' if len(lost) != 1 else 's'}: {listed}{more}. Keep those words, or correct or reject "
                    f"{'those statements' if len(lost) != 1 else 'that statement'} first."
                )
        return body

    def posted_statements(self) -> dict[int, str]:
        """The statements posted with this form in the inline: pk → their posted words ("" when deleted)."""
        if not self.inline_prefix or not self.is_bound:
            return {}
        pattern = re.compile(rf"^({re.escape(self.inline_prefix)}-\d+)-id$")
        posted = {}
        for key, value in self.data.items():
            match = pattern.match(key)
            if match and str(value).isdigit():
                row = match.group(1)
                deleted = self.data.get(f"{row}-DELETE")
                posted[int(value)] = "" if deleted else clean_text(self.data.get(f"{row}-text", ""))
        return posted


def unanchored_statements(article, body: str, exclude=()) -> list[tuple[int, str]]:
    """(pk, text) of the article's statements whose words no longer occur in `body`, a chunk at a time."""
    lost = []
    rows = Statement.objects.filter(article=article).exclude(pk__in=exclude).order_by("pk")
    for pk, text, start, end in rows.values_list("pk", "text", "start", "end").iterator(chunk_size=2000):
        if body[start:end] != text and find_span(body, text, near=start) is None:
            lost.append((pk, text))
    return lost


class ActorForm(ArchiveModelForm):
    """Adding or renaming an actor warns of likely duplicates (by alias and by close spelling) first."""

    not_a_duplicate = forms.BooleanField(
        required=False,
        label="Not a duplicate",
        help_text="Tick to save although the name resembles another actor's (shown above when it does).",
    )

    class Meta:
        model = Actor
        fields = ["name", "slug", "kind", "affiliation", "side_unknown", "role", "description", "needs_review"]

    def clean(self):
        from archive import selectors

        data = super().clean()
        name = data.get("name")
        renamed = self.instance.pk is None or (name and name != self.instance.name)
        if name and renamed and not data.get("not_a_duplicate"):
            matches = selectors.likely_duplicates(name, exclude_pk=self.instance.pk)
            if matches:
                listed = "; ".join(
                    f"{m.actor.name}"
                    + (f" (as “{m.name}”)" if m.name != m.actor.name else "")
                    + (f", {m.actor.affiliation.name}" if m.actor.affiliation_id else "")
                    for m in matches
                )
                self.add_error(
                    "name",
                    f"“{name}” may be an actor the archive already has: {listed}. Open that actor and add "
                    "this spelling as an alias, or tick “Not a duplicate” below to save it as a new actor.",
                )
                self.duplicates = matches
        return data


class AliasFormSet(forms.BaseInlineFormSet):
    """Two aliases of one actor that fold to the same name would clash in the database: say so instead."""

    def clean(self):
        super().clean()
        seen = {}
        for form in self.forms:
            if not form.has_changed() and not form.instance.pk:
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            name = form.cleaned_data.get("name")
            if not name:
                continue
            key = normalize_name(name)
            if key in seen:
                form.add_error("name", f"“{name}” is the same name as “{seen[key]}” once folded.")
            seen[key] = name


class StatementForm(ArchiveModelForm):
    """The statement form: a mismatched span says where the text really is, and can be fixed in one click."""

    locate_span = forms.BooleanField(
        required=False,
        label="Find the span from the text",
        help_text="Tick to set start and end from where the text occurs in the article body "
        "(the occurrence nearest the current start).",
    )

    class Meta:
        model = Statement
        fields = [
            "article",
            "text",
            "start",
            "end",
            "speaker",
            "speaker_description",
            "said_to",
            "kind",
            "medium",
            "date_from_article",
            "date",
            "topics",
            "review_status",
        ]
        widgets = {"text": forms.Textarea(attrs={"rows": 3, "cols": 80})}

    def clean(self):
        data = super().clean()
        article, text = data.get("article"), data.get("text")
        if (
            article is not None
            and data.get("date_from_article")
            and "date" in self.changed_data
            and "date_from_article" not in self.changed_data
            and data.get("date") != article.published_date
        ):
            # A date typed in is the statement's own: it no longer follows the article's.
            data["date_from_article"] = False
        if article is None or not text:
            return data
        start, end = data.get("start"), data.get("end")
        if self.cleaned_data.get("locate_span"):
            found = find_span(article.body, text, near=start)
            if found is None:
                raise forms.ValidationError(
                    {"text": f"“{text[:100]}{'…' if len(text) > 100 else ''}” does not occur in the article’s text."}
                )
            data["start"], data["end"] = found
            self.instance.start, self.instance.end = found
        elif start is not None and end is not None and article.body[start:end] != text:
            found = find_span(article.body, text, near=start)
            if found is not None:
                self.add_error(
                    "start",
                    f"“{text[:100]}{'…' if len(text) > 100 else ''}” stands elsewhere in the article’s text: "
                    f"tick “Find the span from the text” (or set start {found[0]} and end {found[1]}).",
                )
        return data


class InlineStatementForm(forms.ModelForm):
    """A statement inline on its article: when the body was edited around it, its span follows its words."""

    class Meta:
        model = Statement
        fields = ["text", "start", "end", "speaker", "speaker_description", "kind", "medium", "review_status"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3, "cols": 36})}

    relocated = False

    def clean(self):
        data = super().clean()
        text, start, end = data.get("text"), data.get("start"), data.get("end")
        # The inline's article field holds the parent article with the body as edited in this same post.
        body = getattr(data.get("article") or getattr(self.instance, "article", None), "body", None)
        if body and text and start is not None and end is not None and body[start:end] != text:
            # Find the same words in the edited body, nearest to where they stood, so that an editor's
            # correction elsewhere in the body does not break the span.
            span = find_span(body, text, near=start)
            if span is not None:
                data["start"], data["end"] = span
                self.relocated = True
        return data

    def has_changed(self):
        # A moved span must be saved even though the editor did not touch this statement's fields.
        return self.relocated or super().has_changed()


def actor_label(actor: Actor) -> str:
    side = f" ({actor.affiliation.name})" if actor.affiliation_id else ""
    return f"{actor.name}{side}"


class ActorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return actor_label(obj)


class ReassignSpeakerForm(forms.Form):
    speaker = ActorChoiceField(
        queryset=Actor.objects.select_related("affiliation").order_by("name"),
        label="New speaker",
        empty_label="— choose an actor —",
        error_messages={"required": "Choose the actor who made these statements."},
    )


class ChangeKindForm(forms.Form):
    kind = forms.ChoiceField(
        choices=Statement.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a kind."},
    )


class PublishConfirmForm(forms.Form):
    confirm = forms.BooleanField(
        label="Publish with statements awaiting review",
        help_text="Readers will see them marked “extracted automatically, not yet reviewed”.",
        error_messages={"required": "Tick the box to publish these articles before their statements are reviewed."},
    )


class TopicChoiceForm(forms.Form):
    topic = forms.ModelChoiceField(
        queryset=Topic.objects.order_by("name"),
        empty_label="— choose a topic —",
        error_messages={"required": "Choose a topic."},
    )


class MergeForm(forms.Form):
    survivor = forms.ModelChoiceField(
        queryset=Actor.objects.none(),
        widget=forms.RadioSelect,
        label="Keep this actor",
        error_messages={"required": "Choose the actor to keep."},
    )

    def __init__(self, *args, actors=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["survivor"].queryset = actors
