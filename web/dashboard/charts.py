"""The rates chart, laid out here and drawn as inline SVG by ``dashboard/_chart.html``.

No script and no CDN: the server computes every bar, tick and label, so the chart prints, works
without JavaScript and reads out to a screen reader through its title and description.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import format_percent, gettext

from workflow.accountability.figures import QuarterRates

WIDTH, HEIGHT = 640, 290
LEFT, RIGHT, TOP, BOTTOM = 52, 12, 16, 72
TICKS = (0, 0.25, 0.5, 0.75, 1)
# (attribute of QuarterRates, CSS class, label): the colours follow app.css (green on time).
SERIES = (
    ("reporting_rate", "series-reported", "Reporting rate"),
    ("on_time_rate", "series-on-time", "On-time rate"),
)


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    css_class: str
    label: str  # the value, printed above the bar
    title: str  # what a tooltip or screen reader says


@dataclass
class RateChart:
    """Everything ``_chart.html`` needs to draw: positions in SVG user units, texts translated."""

    title: str
    description: str
    width: int = WIDTH
    height: int = HEIGHT
    plot: tuple[float, float, float, float] = (LEFT, TOP, WIDTH - RIGHT, HEIGHT - BOTTOM)
    ticks: list[tuple[float, str]] = field(default_factory=list)  # (y, label)
    groups: list[tuple[float, str, str]] = field(default_factory=list)  # (x centre, name, note)
    bars: list[Bar] = field(default_factory=list)
    legend: list[tuple[str, str]] = field(default_factory=list)  # (CSS class, label)


def _percent(value: float | None) -> str:
    return "—" if value is None else format_percent(value)


def rate_chart(quarters: list[QuarterRates], title: str) -> RateChart:
    """Grouped bars, one group per quarter: the reporting rate and the on-time rate."""
    left, top, right, bottom = LEFT, TOP, WIDTH - RIGHT, HEIGHT - BOTTOM
    plot_height, group_width = bottom - top, (right - left) / max(len(quarters), 1)
    bar_width = group_width * 0.28
    chart = RateChart(title=title, description="")
    chart.ticks = [(bottom - tick * plot_height, format_percent(tick)) for tick in TICKS]
    chart.legend = [(css, gettext(label)) for _attr, css, label in SERIES]
    sentences = []
    for index, rates in enumerate(quarters):
        centre = left + group_width * (index + 0.5)
        name = gettext("Quarter %(quarter)s", quarter=rates.quarter.roman)
        if not rates.expected:
            note = gettext("No tasks")
        elif rates.due < rates.expected:
            note = gettext("%(due)s of %(count)s tasks due", due=rates.due, count=rates.expected)
        else:
            note = gettext("%(count)s tasks due", count=rates.expected)
        chart.groups.append((centre, name, note))
        values = []
        for position, (attr, css, label) in enumerate(SERIES):
            value = getattr(rates, attr)
            values.append(f"{gettext(label)} {_percent(value)}")
            if value is None:
                continue
            height = value * plot_height
            chart.bars.append(
                Bar(
                    x=centre + (position - 1) * bar_width - 2 + position * 4,
                    y=bottom - height,
                    width=bar_width,
                    height=height,
                    css_class=css,
                    label=_percent(value),
                    title=f"{name}: {gettext(label)} {_percent(value)}",
                )
            )
        sentences.append(f"{name}: {note}; {', '.join(values)}.")
    chart.description = " ".join(sentences)
    return chart
