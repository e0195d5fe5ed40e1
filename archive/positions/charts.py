"""An actor's stance on a topic over time: points on four bands (supports … opposes), geometry computed here,
drawn by templates/includes/stance_chart.html; the same stances are listed in a table beside it."""

import datetime
from dataclasses import dataclass, field

WIDTH, HEIGHT = 960, 230
LEFT, RIGHT, TOP, BOTTOM = 190, 24, 20, 34
NUDGE = 18  # horizontal distance between stances of the same day and band
BANDS = [("supports", "Supports"), ("conditional", "On conditions"), ("unclear", "Unclear"), ("opposes", "Opposes")]


@dataclass
class Point:
    x: float
    y: float
    css: str
    label: str
    url: str
    suggested: bool


@dataclass
class StanceChart:
    title: str
    description: str
    points: list = field(default_factory=list)
    bands: list = field(default_factory=list)  # (y, label)
    xlabels: list = field(default_factory=list)  # (x, text)
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    baseline: float = HEIGHT - BOTTOM

    @property
    def empty(self) -> bool:
        return not self.points


def _ticks(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """First days of months between the dates, thinned to at most seven."""
    months, current = [], first.replace(day=1)
    while current <= last:
        months.append(current)
        current = (current + datetime.timedelta(days=32)).replace(day=1)
    step = max(1, -(-len(months) // 7))
    return months[::step]


def stance_chart(stances, title: str) -> StanceChart:
    """Points for the dated stances (StatementStance rows with their statements), by date and stance."""
    dated = [s for s in stances if s.statement.date is not None]
    undated = len(stances) - len(dated)
    description = (
        f"{len(dated)} stance{'s' if len(dated) != 1 else ''} in date order, from supports (top) to opposes "
        "(bottom); hollow points are suggestions, not reviewed. The table below lists the same stances."
    )
    if undated:
        description += f" {undated} undated stance{'s are' if undated != 1 else ' is'} only in the table."
    chart = StanceChart(title=title, description=description if dated else "No dated stance to draw.")
    plot_height = HEIGHT - TOP - BOTTOM
    band_y = {value: TOP + plot_height * (i + 0.5) / len(BANDS) for i, (value, _) in enumerate(BANDS)}
    chart.bands = [(round(band_y[value], 2), label) for value, label in BANDS]
    if not dated:
        return chart
    first, last = dated[0].statement.date, dated[-1].statement.date
    pad = max((last - first).days * 0.04, 10)
    start = first - datetime.timedelta(days=pad)
    span = (last - first).days + 2 * pad
    plot_width = WIDTH - LEFT - RIGHT

    def x_of(day: datetime.date) -> float:
        return round(LEFT + plot_width * (day - start).days / span, 2)

    taken: dict[tuple, int] = {}
    for stance in dated:
        statement = stance.statement
        note = ", suggested, not reviewed" if stance.is_suggestion else ""
        # Stances of one day and one band sit side by side, not on top of each other.
        place = (statement.date, stance.stance)
        nudge = taken.get(place, 0)
        taken[place] = nudge + 1
        chart.points.append(
            Point(
                x=round(x_of(statement.date) + NUDGE * nudge, 2),
                y=round(band_y[stance.stance], 2),
                css=f"stance-{stance.stance}" + (" stance-suggested" if stance.is_suggestion else ""),
                label=f"{statement.date_display}: {stance.get_stance_display().lower()}{note}. {statement.speaker_label}: "
                f"{statement.text[:120]}",
                url=statement.get_absolute_url(),
                suggested=stance.is_suggestion,
            )
        )
    end = start + datetime.timedelta(days=span)
    chart.xlabels = [(x_of(tick), f"{tick:%b %Y}") for tick in _ticks(first, last) if start <= tick <= end]
    return chart
