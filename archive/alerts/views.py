"""The readers' alerts pages: the list, saving a search, following, editing, unsubscribing, leaving."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from archive.agreements.models import Provision
from archive.alerts import selectors, services
from archive.alerts.forms import FOLLOW_KINDS, AlertForm, DeleteAccountForm, SaveSearchForm
from archive.alerts.models import Subscription
from archive.models import Actor, Topic

reader_required = login_required(login_url="account_login")
TARGETS = {
    "actor": lambda pk: get_object_or_404(Actor.objects.public(), pk=pk),
    "topic": lambda pk: get_object_or_404(Topic, pk=pk),
    "provision": lambda pk: get_object_or_404(Provision.objects.select_related("agreement"), pk=pk),
}


def _own(request, pk: int) -> Subscription:
    return get_object_or_404(Subscription, pk=pk, user=request.user)


@reader_required
def alert_list(request):
    return render(request, "alerts/alert_list.html", {"alerts": selectors.reader_alerts(user=request.user)})


@reader_required
@require_POST
def save_search(request):
    form = SaveSearchForm(request.POST)
    if form.is_valid():
        try:
            services.create_subscription(user=request.user, kind=Subscription.Kind.SEARCH, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Saved “{form.cleaned_data['name']}”.")
            return redirect("alerts:alert_list")
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(f"/search/?{request.POST.get('query', '')}")


@reader_required
@require_http_methods(["GET", "POST"])
def follow(request, kind: str, pk: int):
    if kind not in TARGETS:
        raise Http404
    target = TARGETS[kind](pk)
    label = f"{target.agreement.short_title} {target.number}: {target.title}" if kind == "provision" else target.name
    form = AlertForm(request.POST or None, initial={"name": FOLLOW_KINDS[kind].format(label)[:200]})
    if request.method == "POST" and form.is_valid():
        try:
            services.create_subscription(user=request.user, kind=kind, target=target, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Following {label}.")
            return redirect("alerts:alert_list")
    return render(request, "alerts/follow.html", {"form": form, "target": target, "label": label, "kind": kind})


@reader_required
@require_http_methods(["GET", "POST"])
def edit(request, pk: int):
    subscription = _own(request, pk)
    form = AlertForm(request.POST or None, initial={"name": subscription.name, "frequency": subscription.frequency})
    if request.method == "POST" and form.is_valid():
        services.update_subscription(subscription=subscription, **form.cleaned_data)
        messages.success(request, f"Saved “{subscription.name}”.")
        return redirect("alerts:alert_list")
    return render(request, "alerts/edit.html", {"form": form, "alert": subscription})


@reader_required
@require_POST
def pause(request, pk: int):
    subscription = _own(request, pk)
    services.set_paused(subscription=subscription, paused=not subscription.paused)
    messages.success(request, f"{'Paused' if subscription.paused else 'Resumed'} “{subscription.name}”.")
    return redirect("alerts:alert_list")


@reader_required
@require_POST
def delete(request, pk: int):
    subscription = _own(request, pk)
    services.delete_subscription(subscription=subscription)
    messages.success(request, f"Deleted “{subscription.name}”.")
    return redirect("alerts:alert_list")


# The signed token is the authority here, not a session: mail clients post the one-click unsubscribe
# (RFC 8058) without cookies or a CSRF token.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    data = services.read_unsubscribe_token(token)
    if data is None:
        return render(request, "alerts/unsubscribe.html", {"invalid": True}, status=400)
    if request.method == "POST":
        count = services.unsubscribe(token=token)
        return render(request, "alerts/unsubscribe.html", {"done": True, "count": count})
    alerts = Subscription.objects.filter(user_id=data["u"])
    if data.get("s") is not None:
        alerts = alerts.filter(pk=data["s"])
    return render(request, "alerts/unsubscribe.html", {"alerts": alerts, "token": token})


@reader_required
@require_http_methods(["GET", "POST"])
def delete_account(request):
    if request.user.is_staff or request.user.is_superuser:
        messages.error(request, "Editors' accounts are managed in the admin.")
        return redirect("alerts:alert_list")
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        services.delete_reader(user=user)
        messages.success(request, "Your account, your alerts and the record of what they sent are deleted.")
        return redirect("archive:home")
    return render(request, "alerts/delete_account.html", {"form": form})
