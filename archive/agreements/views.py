"""Public agreement pages: thin views over archive.agreements.selectors."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from archive.agreements import charts, selectors
from archive.agreements.models import Agreement


@require_safe
def agreement_list(request):
    return render(request, "archive/agreement_list.html", {"agreements": selectors.agreements_with_counts()})


@require_safe
def agreement_detail(request, slug):
    agreement = get_object_or_404(Agreement.objects.prefetch_related("parties"), slug=slug)
    provisions = selectors.agreement_provisions(agreement)
    dates = [d.date for p in provisions for d in p.deadlines.all()]
    dates += [a.as_of for p in provisions for a in p.assessments.all()]
    scale = charts.scale_for(agreement.signed_date, dates)
    for provision in provisions:
        provision.strip = charts.status_strip(provision, provision.assessments.all(), provision.deadlines.all(), scale)
    return render(
        request,
        "archive/agreement_detail.html",
        {
            "agreement": agreement,
            "provisions": provisions,
            "assessed": sum(1 for p in provisions if p.current),
            "permalink": request.build_absolute_uri(agreement.get_absolute_url()),
        },
    )


@require_safe
def provision_detail(request, agreement_slug, slug):
    provision = selectors.provision_for_page(agreement_slug, slug)
    if provision is None:
        raise Http404("No such provision.")
    page = selectors.provision_page(provision)
    dates = [d.date for d in page.deadlines] + [a.as_of for a in page.assessments]
    scale = charts.scale_for(provision.agreement.signed_date, dates)
    return render(
        request,
        "archive/provision_detail.html",
        {
            "provision": provision,
            "agreement": provision.agreement,
            "page": page,
            "strip": charts.status_strip(provision, page.assessments, page.deadlines, scale),
            "permalink": request.build_absolute_uri(provision.get_absolute_url()),
        },
    )
