"""The status-over-time strip of a provision: geometry computed here, drawn by templates/includes/status_strip.html.

One horizontal band from the agreement's signing to the end of the scale, coloured by the implementation
status each assessment records until the next one; before the first assessment the band says "not
assessed". Deadlines are vertical marks. The same figures are given as a table beside it.
"""

import datetime
from dataclasses import dataclass, field

WIDTH, HEIGHT = 600, 44
LEFT, RIGHT = 4, 4
BAND_TOP, BAND_HEIGHT = 6, 18


@dataclass
class Segment:
    x: float
    width: float
    css: str
    label: str


@dataclass
class Period:
    start: datetime.date
    end: datetime.date | None  # None: the latest assessment, still in force
    status: str
    assessment: object = None
    start_display: str = ""
    end_display: str = ""


@dataclass
class Strip:
    title: str
    description: str
    segments: list = field(default_factory=list)
    deadlines: list = field(default_factory=list)  # (x, label)
    xlabels: list = field(default_factory=list)  # (x, text)
    periods: list = field(default_factory=list)
    width: int = WIDTH
    height: int = HEIGHT
    band_top: int = BAND_TOP
    band_height: int = BAND_HEIGHT

    @property
    def band_bottom(self) -> int:
        return self.band_top + self.band_height


def _first_of_next_month(date: datetime.date) -> datetime.date:
    return datetime.date(date.year + date.month // 12, date.month % 12 + 1, 1)


def scale_for(signed: datetime.date, dates) -> tuple[datetime.date, datetime.date]:
    """A common scale for an agreement's strips: from the signing to a month past the latest date shown."""
    last = max([signed + datetime.timedelta(days=365), *dates])
    return signed, _first_of_next_month(_first_of_next_month(last))


def _fmt(date: datetime.date) -> str:
    return f"{date:%-d %B %Y}"


def status_strip(provision, assessments, deadlines, scale: tuple[datetime.date, datetime.date]) -> Strip:
    """The strip of one provision; `assessments` in date order, `scale` = (first day, last day) of the axis."""
    first, last = scale
    span = max((last - first).days, 1)
    plot = WIDTH - LEFT - RIGHT

    def x_of(date: datetime.date) -> float:
        days = min(max((date - first).days, 0), span)
        return round(LEFT + plot * days / span, 2)

    assessments = list(assessments)
    periods = []
    if not assessments or assessments[0].as_of > first:
        following = assessments[0] if assessments else None
        periods.append(
            Period(
                start=first,
                end=following.as_of if following else None,
                status="unassessed",
                start_display=f"{_fmt(first)} (signing)",
                end_display=following.as_of_display if following else "",
            )
        )
    for i, assessment in enumerate(assessments):
        following = assessments[i + 1] if i + 1 < len(assessments) else None
        periods.append(
            Period(
                start=assessment.as_of,
                end=following.as_of if following else None,
                status=assessment.status,
                assessment=assessment,
                start_display=assessment.as_of_display,
                end_display=following.as_of_display if following else "",
            )
        )
    segments = []
    for period in periods:
        label_status = "Not assessed" if period.assessment is None else period.assessment.get_status_display()
        until = f" until {period.end_display}" if period.end else (" (latest assessment)" if period.assessment else "")
        segments.append(
            Segment(
                x=x_of(period.start),
                width=round(max(x_of(period.end or last) - x_of(period.start), 1), 2),
                css=f"status-{period.status}",
                label=f"{label_status} from {period.start_display}{until}",
            )
        )
    marks = [(x_of(d.date), f"Deadline {d.date_display}: {d.description}") for d in deadlines]
    xlabels = [(LEFT, f"{first:%b %Y}")]
    year = first.year + 1
    while datetime.date(year, 1, 1) < last:
        xlabels.append((x_of(datetime.date(year, 1, 1)), str(year)))
        year += 1
    described = "; ".join(segment.label for segment in segments)
    due = "; ".join(label for _, label in marks)
    return Strip(
        title=f"Implementation of {provision.number} over time",
        description=f"{described}." + (f" {due}." if due else "") + " The same figures are in the table that follows.",
        segments=segments,
        deadlines=marks,
        xlabels=xlabels,
        periods=periods,
    )
