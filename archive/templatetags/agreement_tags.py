"""Template tags of the agreement pages: JSON-LD, and what a statement page says of the provisions it speaks about."""

from django import template

from archive.agreements import selectors
from archive.templatetags.archive_tags import _absolute, _agent_ld, _compact, json_ld

register = template.Library()


def _provision_ld(provision, request) -> dict:
    return _compact(
        {
            "@type": "Legislation",
            "name": f"{provision.number}: {provision.title}",
            "legislationIdentifier": provision.number,
            "abstract": provision.summary,
            "url": _absolute(request, provision.get_absolute_url()),
        }
    )


@register.simple_tag
def json_ld_agreement(agreement, provisions, request):
    """An agreement as schema.org Legislation (an international agreement), its provisions as parts."""
    data = {
        "@context": "https://schema.org",
        "@type": "Legislation",
        "name": agreement.title,
        "alternateName": agreement.short_title,
        "legislationType": "International agreement",
        "legislationDate": agreement.signed_date.isoformat(),
        # The parties as the agents that signed (a country signs through its government).
        "legislationPassedBy": [a for a in (_agent_ld(p, request) for p in agreement.parties.all()) if a],
        "locationCreated": {"@type": "Place", "name": agreement.signed_place} if agreement.signed_place else None,
        "abstract": agreement.summary,
        "url": _absolute(request, agreement.get_absolute_url()),
        "sameAs": agreement.url or None,
        "hasPart": [_provision_ld(provision, request) for provision in provisions],
    }
    return json_ld(_compact(data))


@register.simple_tag
def json_ld_provision(provision, request):
    data = {
        "@context": "https://schema.org",
        **_provision_ld(provision, request),
        "legislationResponsible": _agent_ld(provision.obligated_party, request),
        "about": [{"@type": "Thing", "name": topic.name} for topic in provision.topics.all()],
        "isPartOf": {
            "@type": "Legislation",
            "name": provision.agreement.title,
            "legislationDate": provision.agreement.signed_date.isoformat(),
            "url": _absolute(request, provision.agreement.get_absolute_url()),
        },
    }
    return json_ld(_compact(data))


@register.inclusion_tag("includes/provision_links.html")
def provision_links(statement):
    """The provisions a statement speaks about, and how (editor-confirmed links only)."""
    return {"links": selectors.statement_provision_links(statement)}
