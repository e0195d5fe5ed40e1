"""GET filter forms of the public site: invalid values give a message, never an error page."""

from django import forms

from archive import selectors
from archive.models import Source, Topic


class SlugChoiceField(forms.ModelChoiceField):
    """A choice of a row by its slug, optional; an unknown slug gets a message naming what is missing."""

    def __init__(self, *args, label_noun: str, **kwargs):
        super().__init__(*args, to_field_name="slug", required=False, **kwargs)
        self.error_messages = {
            **self.error_messages,
            "invalid_choice": f"There is no such {label_noun} in the archive; the filter was left out.",
        }


class ArticleFilterForm(forms.Form):
    source = SlugChoiceField(
        Source.objects.order_by("name"), label="Source", empty_label="Any source", label_noun="source"
    )
    topic = SlugChoiceField(Topic.objects.order_by("name"), label="Topic", empty_label="Any topic", label_noun="topic")
    year = forms.TypedChoiceField(label="Year", required=False, coerce=int, empty_value=None)
    actor = SlugChoiceField(
        selectors.speaking_actors(), label="Quoted actor", empty_label="Any actor", label_noun="quoted actor"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", "Any year")] + [(y, str(y)) for y in selectors.article_years()]
        self.fields["year"].error_messages["invalid_choice"] = (
            "No article is dated to that year; the filter was left out."
        )

    def filters(self) -> dict:
        """The valid filters; an invalid one is dropped (its error is shown) rather than failing the page."""
        self.is_valid()
        return {name: self.cleaned_data.get(name) for name in self.fields if name not in self.errors}


class TimelineFilterForm(forms.Form):
    actor = SlugChoiceField(
        selectors.speaking_actors(), label="Actor", empty_label="All actors", label_noun="quoted actor"
    )
    topic = SlugChoiceField(Topic.objects.order_by("name"), label="Topic", empty_label="All topics", label_noun="topic")

    def filters(self) -> dict:
        self.is_valid()
        return {name: self.cleaned_data.get(name) for name in self.fields if name not in self.errors}
