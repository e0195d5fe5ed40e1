"""The readers' account adapter: readers land on their alerts and are never staff."""

from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse


class ReaderAccountAdapter(DefaultAccountAdapter):
    # The site's LOGIN_REDIRECT_URL is the admin's (editors); readers go to their alerts.
    def get_login_redirect_url(self, request):
        return reverse("alerts:alert_list")

    def get_signup_redirect_url(self, request):
        return reverse("alerts:alert_list")

    def save_user(self, request, user, form, commit=True):
        # A sign-up makes a reader: whatever the form carried, no staff or superuser rights.
        user = super().save_user(request, user, form, commit=False)
        user.is_staff = False
        user.is_superuser = False
        if commit:
            user.save()
        return user
