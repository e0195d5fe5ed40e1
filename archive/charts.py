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


def month_chart(
    months: list[datetime.date],
    series: list[tuple[str, str, list[int]]],
    title: str,
    description: str,
    extra: list[tuple[str, str, list[int]]] = (),
):
    """Grouped bars, one group per month; series are (name, css class, values per month). `extra` adds
    groups after the months, apart from them, for what no month can hold: (label, short label, one value
    per series), e.g. items dated only to 2019, or undated ones."""
    chart = Chart(title=title, description=description, series=[(name, css) for name, css, _ in series])
    if not months and not extra:
        return chart
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    values = [v for _, _, vs in series for v in vs] + [v for _, _, vs in extra for v in vs]
    top, step = _nice_max(max(values, default=0))
    for value in range(0, top + 1, step):
        chart.gridlines.append((HEIGHT - BOTTOM - plot_height * value / top, value))
    # The extra groups stand apart: one empty slot between the months and them.
    gap = 1 if months and extra else 0
    slots = len(months) + gap + len(extra)
    # Extra groups get at least a readable width, whatever the number of months.
    extra_slot = max(plot_width / slots, 92) if extra else 0
    slot = (plot_width - extra_slot * len(extra)) / (len(months) + gap) if months else 0
    bar_width = min((slot or extra_slot) * 0.8 / len(series), 40)

    def group(x_start, width, label, group_values):
        x0 = x_start + (width - bar_width * len(series)) / 2
        for j, (name, css, _) in enumerate(series):
            value = group_values[j]
            height = plot_height * value / top
            noun = name.lower() if value != 1 else name.lower().rstrip("s")
            chart.bars.append(
                Bar(
                    x=round(x0 + j * bar_width, 2),
                    y=round(HEIGHT - BOTTOM - height, 2),
                    width=round(max(bar_width - 1, 1), 2),
                    height=round(height, 2),
                    value=value,
                    label=f"{label}: {value} {noun}",
                    series=name,
                    css=css,
                )
            )

    for i, month in enumerate(months):
        group(LEFT + i * slot, slot, f"{month:%B %Y}", [vs[i] for _, _, vs in series])
    # Label years at their first month shown; with few months, label every month.
    for i, month in enumerate(months):
        x = LEFT + i * slot + slot / 2
        if len(months) <= 12:
            chart.xlabels.append((round(x, 2), f"{month:%b %Y}" if i == 0 or month.month == 1 else f"{month:%b}"))
        elif month.month == 1 or (i == 0 and month.month <= 9):
            # The first month gets its year unless a January label follows too closely.
            chart.xlabels.append((round(x, 2), f"{month:%Y}"))
    start = LEFT + (len(months) + gap) * slot
    for k, (label, short, group_values) in enumerate(extra):
        x_start = start + k * extra_slot
        group(x_start, extra_slot, label, group_values)
        chart.xlabels.append((round(x_start + extra_slot / 2, 2), short))
    return chart


def _extra_bins(timeline) -> list[tuple[str, str, list[int]]]:
    """Bins for a timeline's items dated only to a year, then for its undated ones."""
    bins = [(f"Dated only to {y.year}", f"{y.year} (year)", [y.articles, y.statements]) for y in timeline.years]
    if timeline.undated_articles or timeline.undated_statements:
        bins.append(("Undated", "Undated", [timeline.undated_articles, timeline.undated_statements]))
    return bins


def timeline_chart(timeline, title: str = "Coverage per month") -> Chart:
    months = [m.month for m in timeline.months]
    extra = _extra_bins(timeline)
    apart = ""
    if extra:
        apart = (
            " Items dated only to a year, and undated ones, are counted in bars of their own after the months: "
            + "; ".join(
                f"{label.lower()}: {a} article{'s' if a != 1 else ''}, {s} statement{'s' if s != 1 else ''}"
                for label, _, (a, s) in extra
            )
            + "."
        )
    chart = month_chart(
        months,
        [
            ("Articles", "bar-articles", [m.articles for m in timeline.months]),
            ("Statements", "bar-statements", [m.statements for m in timeline.months]),
        ],
        title=title,
        description=(
            f"Bar chart of all {timeline.total_articles} articles and {timeline.total_statements} statements: "
            f"{timeline.monthly_articles} articles and {timeline.monthly_statements} statements per month"
            + (f", {months[0]:%B %Y} to {months[-1]:%B %Y}." if months else ".")
            + apart
            + " The same figures are in the table that follows."
        ),
        extra=extra,
    )
    chart.note = apart.strip()
    return chart


def month_span(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """The first day of every month from first's month to last's month."""
    months, current = [], first.replace(day=1)
    while current <= last:
        months.append(current)
        current = datetime.date(current.year + current.month // 12, current.month % 12 + 1, 1)
    return months


def statements_chart(statements, name: str, span: tuple | None = None) -> Chart:
    """One actor's statements per month, over `span` (the archive's coverage) when given.

    Statements dated only to the year (through their article) get a bar per year, undated ones a bar of
    their own, after the months.
    """
    counts: dict[datetime.date, int] = {}
    years: dict[int, int] = {}
    undated = 0
    for statement in statements:
        if statement.date is None:
            undated += 1
        elif statement.date_precision == "year":
            years[statement.date.year] = years.get(statement.date.year, 0) + 1
        else:
            month = statement.date.replace(day=1)
            counts[month] = counts.get(month, 0) + 1
    title = f"Statements by {name} per month"
    extra = [(f"Dated only to {y}", f"{y} (year)", [n]) for y, n in sorted(years.items())]
    if undated:
        extra.append(("Undated", "Undated", [undated]))
    apart_count = sum(years.values()) + undated
    apart = (
        f" {apart_count} statement{'s' if apart_count != 1 else ''} dated only to the year or undated, "
        "in bars of their own after the months."
        if apart_count
        else ""
    )
    months = []
    if counts:
        first, last = min(counts), max(counts)
        if span and span[0] and span[1]:
            first, last = min(first, span[0]), max(last, span[1])
        months = month_span(first, last)
    total = sum(counts.values())
    if not months and not extra:
        return Chart(title=title, description="No statement is recorded.")
    chart = month_chart(
        months,
        [("Statements", "bar-statements", [counts.get(m, 0) for m in months])],
        title=title,
        description=f"Bar chart of {total + apart_count} statement{'s' if total + apart_count != 1 else ''}: "
        f"{total} per month" + (f", {months[0]:%B %Y} to {months[-1]:%B %Y}." if months else ".") + apart,
        extra=extra,
    )
    chart.note = apart.strip()
    return chart
