"""Server-rendered bar charts: geometry computed here, drawn as SVG by templates/includes/chart.html."""

import datetime
import math
from dataclasses import dataclass, field

WIDTH, HEIGHT = 960, 250
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 14, 34


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: int
    label: str
    series: str
    css: str


@dataclass
class Chart:
    title: str
    description: str
    bars: list = field(default_factory=list)
    gridlines: list = field(default_factory=list)  # (y, value)
    xlabels: list = field(default_factory=list)  # (x, text)
    series: list = field(default_factory=list)  # (name, css)
    note: str = ""
    width: int = WIDTH
    height: int = HEIGHT
    baseline: float = HEIGHT - BOTTOM
    left: int = LEFT
    right: int = WIDTH - RIGHT

    @property
    def empty(self) -> bool:
        return not any(bar.value for bar in self.bars)


def _nice_max(value: int) -> tuple[int, int]:
    """A round axis maximum at or above value and the step between gridlines."""
    if value <= 4:
        return max(value, 1), 1
    magnitude = 10 ** int(math.log10(value))
    for step in (magnitude / 5, magnitude / 2, magnitude, magnitude * 2):
        step = max(int(step), 1)
        top = math.ceil(value / step) * step
        if top / step <= 5:
            return top, step
    step = magnitude * 5
    return math.ceil(value / step) * step, step


def month_chart(months: list[datetime.date], series: list[tuple[str, str, list[int]]], title: str, description: str):
    """Grouped bars, one group per month; series are (name, css class, values per month)."""
    chart = Chart(title=title, description=description, series=[(name, css) for name, css, _ in series])
    if not months:
        return chart
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    peak = max((max(values) for _, _, values in series if values), default=0)
    top, step = _nice_max(peak)
    for value in range(0, top + 1, step):
        chart.gridlines.append((HEIGHT - BOTTOM - plot_height * value / top, value))
    slot = plot_width / len(months)
    # Bars keep a sensible width when there are only a few months to show.
    bar_width = min(slot * 0.8 / len(series), 40)
    for i, month in enumerate(months):
        x0 = LEFT + i * slot + (slot - bar_width * len(series)) / 2
        for j, (name, css, values) in enumerate(series):
            value = values[i]
            height = plot_height * value / top
            chart.bars.append(
                Bar(
                    x=round(x0 + j * bar_width, 2),
                    y=round(HEIGHT - BOTTOM - height, 2),
                    width=round(max(bar_width - 1, 1), 2),
                    height=round(height, 2),
                    value=value,
                    label=f"{month:%B %Y}: {value} {name.lower() if value != 1 else name.lower().rstrip('s')}",
                    series=name,
                    css=css,
                )
            )
    # Label years at their first month shown; with few months, label every month.
    for i, month in enumerate(months):
        x = LEFT + i * slot + slot / 2
        if len(months) <= 12:
            chart.xlabels.append((round(x, 2), f"{month:%b %Y}" if i == 0 or month.month == 1 else f"{month:%b}"))
        elif month.month == 1 or (i == 0 and month.month <= 9):
            # The first month gets its year unless a January label follows too closely.
            chart.xlabels.append((round(x, 2), f"{month:%Y}"))
    return chart


def timeline_chart(timeline, title: str = "Coverage per month") -> Chart:
    months = [m.month for m in timeline.months]
    return month_chart(
        months,
        [
            ("Articles", "bar-articles", [m.articles for m in timeline.months]),
            ("Statements", "bar-statements", [m.statements for m in timeline.months]),
        ],
        title=title,
        description=(
            f"Bar chart of {timeline.total_articles} articles and {timeline.total_statements} statements per month"
            + (f", {months[0]:%B %Y} to {months[-1]:%B %Y}." if months else ".")
            + " The same figures are in the table that follows."
        ),
    )


def month_span(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """The first day of every month from first's month to last's month."""
    months, current = [], first.replace(day=1)
    while current <= last:
        months.append(current)
        current = datetime.date(current.year + current.month // 12, current.month % 12 + 1, 1)
    return months


def statements_chart(statements, name: str, span: tuple | None = None) -> Chart:
    """One actor's statements per month, over `span` (the archive's coverage) when given.

    Statements dated only to the year (through their article) cannot be placed and are counted apart.
    """
    counts: dict[datetime.date, int] = {}
    unplaced = 0
    for statement in statements:
        if statement.date is None or statement.date_precision == "year":
            unplaced += 1
            continue
        month = statement.date.replace(day=1)
        counts[month] = counts.get(month, 0) + 1
    title = f"Statements by {name} per month"
    apart = (
        f" {unplaced} statement{'s' if unplaced != 1 else ''} dated only to the year or undated not shown."
        if unplaced
        else ""
    )
    if not counts:
        return Chart(title=title, description="No statement is dated to the month." + apart)
    first, last = min(counts), max(counts)
    if span and span[0] and span[1]:
        first, last = min(first, span[0]), max(last, span[1])
    months = month_span(first, last)
    total = sum(counts.values())
    chart = month_chart(
        months,
        [("Statements", "bar-statements", [counts.get(m, 0) for m in months])],
        title=title,
        description=f"Bar chart of {total} statement{'s' if total != 1 else ''} per month, "
        f"{months[0]:%B %Y} to {months[-1]:%B %Y}.{apart}",
    )
    chart.note = apart.strip()
    return chart
