"""Forms of the readers' alerts pages."""

from urllib.parse import urlencode

from django import forms
from django.http import QueryDict

from archive.alerts.models import Frequency, Subscription
from archive.feeds import search_feed_pairs, search_feed_params
from archive.search.forms import SearchForm, has_filters


class AlertForm(forms.Form):
    name = forms.CharField(max_length=200, strip=True)
    frequency = forms.ChoiceField(choices=Frequency.choices, initial=Frequency.DAILY, label="How often")


class SaveSearchForm(AlertForm):
    """A search to save: its words and filters as in its address; a search with nothing in it, or with a
    parameter the search would drop, is refused."""

    query = forms.CharField(max_length=2000, required=False, widget=forms.HiddenInput)

    def clean_query(self) -> str:
        params = QueryDict(self.cleaned_data["query"])
        form = SearchForm(search_feed_params(params))
        cleaned = form.cleaned
        if form.messages:
            raise forms.ValidationError("This search has a parameter that cannot be saved: " + " ".join(form.messages))
        if not cleaned["q"].strip() and not has_filters(cleaned):
            raise forms.ValidationError("Search for something first: an empty search cannot be saved.")
        return urlencode(search_feed_pairs(params))


class DeleteAccountForm(forms.Form):
    password = forms.CharField(widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password.")
        return password


FOLLOW_KINDS = {
    Subscription.Kind.ACTOR: "Statements by {}",
    Subscription.Kind.TOPIC: "Statements on {}",
    Subscription.Kind.PROVISION: "Statements on {}",
}
