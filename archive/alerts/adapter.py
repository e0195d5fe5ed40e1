"""The readers' account adapter: readers land on their alerts and are never staff."""

from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse


class ReaderAccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request):
        return reverse("alerts:alert_list")

    def save_user(self, request, user, form, commit=True):
        # A sign-up makes a reader: whatever the form carried, no staff or superuser rights.
        user = super().save_user(request, user, form, commit=False)
        user.is_staff = False
        user.is_superuser = False
        if commit:
            user.save()
        return user
