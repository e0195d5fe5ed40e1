"""Public pages of stances and relations: an actor's stance on a topic over time, and the shifts."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from archive.models import Actor, Topic
from archive.positions import charts, selectors
from archive.positions.models import SUGGESTED_LABEL


@require_safe
def stance_timeline(request, slug, topic_slug):
    actor = Actor.objects.public().select_related("affiliation").filter(slug=slug).first()
    if actor is None:
        raise Http404("No such actor.")
    topic = get_object_or_404(Topic, slug=topic_slug)
    stances = selectors.stances_of(actor, topic)
    return render(
        request,
        "archive/stance_timeline.html",
        {
            "actor": actor,
            "topic": topic,
            "stances": stances,
            "statements": [stance.statement for stance in stances],
            "chart": charts.stance_chart(stances, f"{actor.name} on {topic.name.lower()}: stance over time"),
            "title_text": f"{actor.name} on {topic.name.lower()}: stance over time",
            "shifts": selectors.shifts(actor=actor, topic=topic),
            "suggested_label": SUGGESTED_LABEL,
        },
    )


@require_safe
def shift_list(request):
    shifts = selectors.shifts()
    statements = [statement for shift in shifts for statement in (shift.before.statement, shift.after.statement)]
    return render(request, "archive/shift_list.html", {"shifts": shifts, "statements": statements})
