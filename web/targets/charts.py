"""A target's chart across quarters: what was expected and what the ward reached, drawn by
``dashboard/_chart.html`` as the rates chart is (inline SVG, no script)."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext

from web.dashboard.charts import HEIGHT, LEFT, RIGHT, TOP, WIDTH, Bar, RateChart
from web.pages import amount
from workflow.targets.progress import TargetProgress

BOTTOM = 56
STATUS_CLASS = {"green": "series-on-time", "amber": "series-at-risk", "red": "series-missed"}


def target_chart(progress: TargetProgress) -> RateChart:
    """Two bars a quarter: the expected figure (grey) and the ward's, coloured by status."""
    goal, unit = progress.goal, progress.target.unit_of_measure
    left, top, right, bottom = LEFT, TOP, WIDTH - RIGHT, HEIGHT - BOTTOM
    values = [goal.figure] + [q.assessment.expected for q in progress.quarters]
    values += [q.value for q in progress.quarters if q.value is not None]
    top_value = max(max(values), Decimal(100) if goal.is_rate else Decimal(1))
    scale = (bottom - top) / float(top_value)
    group_width = (right - left) / max(len(progress.quarters), 1)
    bar_width = group_width * 0.3
    title = gettext("%(ref)s by quarter: expected and reached", ref=progress.target.ref)
    chart = RateChart(title=title, description="", height=HEIGHT)
    chart.plot = (left, top, right, bottom)
    chart.ticks = [
        (bottom - float(top_value) * share * scale, amount(top_value * Decimal(share), unit))
        for share in (0, 0.25, 0.5, 0.75, 1)
    ]
    chart.legend = [
        ("series-expected", gettext("Expected")),
        ("series-on-time", gettext("Reached (colour: on track, at risk, missed)")),
    ]
    sentences = []
    for index, standing in enumerate(progress.quarters):
        centre = left + group_width * (index + 0.5)
        name = gettext("Quarter %(quarter)s", quarter=standing.quarter.roman)
        status = standing.assessment.status
        chart.groups.append((centre, name, gettext(status.label)))
        bars = [("series-expected", standing.assessment.expected, gettext("Expected"))]
        if standing.value is not None:
            bars.append((STATUS_CLASS.get(status.colour, ""), standing.value, gettext("Reached")))
        for position, (css, value, label) in enumerate(bars):
            height = float(value) * scale
            chart.bars.append(
                Bar(
                    x=centre - bar_width - 2 + position * (bar_width + 4),
                    y=bottom - height,
                    width=bar_width,
                    height=height,
                    css_class=css,
                    label=amount(value, unit),
                    title=f"{name}: {label} {amount(value, unit)}",
                )
            )
        reached = amount(standing.value, unit) if standing.value is not None else "—"
        sentences.append(
            f"{name}: {gettext('Expected')} {amount(standing.assessment.expected, unit)}, "
            f"{gettext('Reached')} {reached} ({gettext(status.label)})."
        )
    chart.description = " ".join(sentences)
    return chart
