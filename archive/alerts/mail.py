"""The alert mail: plain text and HTML, grouped by alert, with one-click unsubscribe links (RFC 8058)."""

from itertools import groupby

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse


def absolute(path: str) -> str:
    """An address on the site, from SITE_URL (mail has no request to take the host from)."""
    return settings.SITE_URL + path


def unsubscribe_url(*, user_id: int, subscription_id: int | None = None) -> str:
    from archive.alerts.services import unsubscribe_token

    token = unsubscribe_token(user_id=user_id, subscription_id=subscription_id)
    return absolute(reverse("alerts:unsubscribe", args=[token]))


def alert_message(*, user, address: str, deliveries, connection=None) -> EmailMultiAlternatives:
    groups = []
    for subscription, rows in groupby(deliveries, key=lambda d: d.subscription):
        statements = [
            {
                "statement": row.statement,
                "sentence_url": absolute(row.statement.place_url),
                "page_url": absolute(row.statement.get_absolute_url()),
            }
            for row in rows
        ]
        groups.append(
            {
                "subscription": subscription,
                "statements": statements,
                "follows_url": absolute(subscription.get_absolute_url()),
                "unsubscribe_url": unsubscribe_url(user_id=user.pk, subscription_id=subscription.pk),
            }
        )
    count = sum(len(group["statements"]) for group in groups)
    unsubscribe_all = unsubscribe_url(user_id=user.pk)
    context = {
        "groups": groups,
        "count": count,
        "site_name": settings.SITE_NAME,
        "alerts_url": absolute(reverse("alerts:alert_list")),
        "unsubscribe_all_url": unsubscribe_all,
    }
    subject = f"{settings.SITE_NAME}: {count} new statement{'s' if count != 1 else ''} for your alerts"
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("alerts/email/alert.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[address],
        connection=connection,
        headers={
            "List-Unsubscribe": f"<{unsubscribe_all}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(render_to_string("alerts/email/alert.html", context), "text/html")
    return message
