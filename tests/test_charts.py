"""Server-rendered chart geometry."""

import datetime

from archive.charts import HEIGHT, month_chart, month_span


def test_month_span_crosses_years():
    months = month_span(datetime.date(2019, 11, 20), datetime.date(2020, 2, 3))
    assert months == [
        datetime.date(2019, 11, 1),
        datetime.date(2019, 12, 1),
        datetime.date(2020, 1, 1),
        datetime.date(2020, 2, 1),
    ]


def test_month_chart_scales_bars_to_the_axis():
    months = month_span(datetime.date(2020, 1, 1), datetime.date(2020, 3, 1))
    chart = month_chart(months, [("Statements", "bar-statements", [0, 5, 10])], "t", "d")
    heights = [bar.height for bar in chart.bars]
    assert heights[0] == 0 and abs(heights[2] - 2 * heights[1]) < 0.02
    assert chart.bars[2].y + chart.bars[2].height == chart.baseline
    assert chart.gridlines[-1][1] >= 10 and all(0 <= y <= HEIGHT for y, _ in chart.gridlines)
    assert chart.bars[1].label == "February 2020: 5 statements"
    assert [text for _, text in chart.xlabels] == ["Jan 2020", "Feb", "Mar"]


def test_month_chart_labels_years_on_long_spans():
    months = month_span(datetime.date(2019, 3, 1), datetime.date(2021, 6, 1))
    chart = month_chart(
        months, [("Articles", "a", [1] * len(months)), ("Statements", "s", [2] * len(months))], "t", "d"
    )
    assert [text for _, text in chart.xlabels] == ["2019", "2020", "2021"]
    assert len(chart.bars) == 2 * len(months)
    assert not chart.empty


def test_empty_chart():
    assert month_chart([], [("Statements", "s", [])], "t", "d").empty
