"""Forms of the editors' workspace: the statement form with span help, and the action pages."""

import re

from django import forms

from archive.models import Actor, Article, Statement, Topic
from archive.services import find_span
from archive.text import content_hash, normalize_name


class ArticleForm(forms.ModelForm):
    """The article form: the same text is never stored twice, so say which article already has it."""

    class Meta:
        model = Article
        fields = [
            "title", "slug", "status", "source", "credited_sources", "url", "topics", "published_date",
            "date_precision", "dateline", "byline", "language", "body", "editor_notes",
        ]  # fmt: skip

    inline_prefix = ""  # the prefix of the statements inline, set by the admin

    def clean_body(self):
        body = self.cleaned_data["body"]
        twin = Article.objects.filter(content_hash=content_hash(body)).exclude(pk=self.instance.pk).first()
        if twin is not None:
            raise forms.ValidationError(f"The archive already holds this text, as “{twin.title}” (id {twin.pk}).")
        if self.instance.pk and "body" in self.changed_data:
            lost = unanchored_statements(self.instance, body, exclude=self.posted_statement_pks())
            if lost:
                quoted = "; ".join(f"“{text[:60]}” (#{pk})" for pk, text in lost[:3])
                raise forms.ValidationError(
                    f"The edited text no longer contains the words of {len(lost)} statement(s) on other pages "
                    f"of the statements below: {quoted}. Edit or delete them first."
                )
        return body

    def posted_statement_pks(self) -> set[int]:
        """The statements posted with this form in the inline (their own forms re-anchor them)."""
        if not self.inline_prefix or not self.is_bound:
            return set()
        pattern = re.compile(rf"^{re.escape(self.inline_prefix)}-\d+-id$")
        return {int(v) for k, v in self.data.items() if pattern.match(k) and str(v).isdigit()}


def unanchored_statements(article, body: str, exclude=()) -> list[tuple[int, str]]:
    """(pk, text) of the article's statements whose words no longer occur in `body`, a chunk at a time."""
    lost = []
    rows = Statement.objects.filter(article=article).exclude(pk__in=exclude).order_by("pk")
    for pk, text, start, end in rows.values_list("pk", "text", "start", "end").iterator(chunk_size=2000):
        if body[start:end] != text and find_span(body, text, near=start) is None:
            lost.append((pk, text))
    return lost


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


class StatementForm(forms.ModelForm):
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
                raise forms.ValidationError({"text": "This text does not occur in the article body."})
            data["start"], data["end"] = found
            self.instance.start, self.instance.end = found
        elif start is not None and end is not None and article.body[start:end] != text:
            found = find_span(article.body, text, near=start)
            if found is not None:
                self.add_error(
                    "start",
                    f"The text stands at {found[0]}–{found[1]} in the article body: set start {found[0]} and "
                    f"end {found[1]}, or tick “Find the span from the text”.",
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
