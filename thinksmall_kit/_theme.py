"""One look for every chart in the kit: a plotly template and colour-blind-safe colours.

Every figure the kit draws goes through :func:`style`, so all lessons share one
theme: titles on, axes labelled, text legible at laptop size, and the Okabe-Ito
palette (distinguishable with the common colour-vision deficiencies; Okabe &
Ito 2008, "Color Universal Design"). plotly is imported only when a figure is
made.
"""

from __future__ import annotations

from typing import Any

#: Okabe-Ito, without the yellow that vanishes on white.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000",
           "#999999"]
#: The same colour for a role in every lesson.
ROLE_COLOURS = {
    "customer": "#0072B2", "buyer": "#56B4E9", "fan": "#E69F00", "supporter": "#F0A860",
    "partner": "#009E73", "associate": "#66C2A5", "vendor": "#CC79A7", "friend": "#D55E00",
    "peer": "#7F7F7F", "unknown": "#C8C8C8",
}
#: Keep / cut, good / bad, and the traffic lights of cadence.
STATUS_COLOURS = {
    "keep": "#009E73", "cut": "#D55E00", "green": "#009E73", "yellow": "#E69F00",
    "red": "#D55E00", "in": "#0072B2", "out": "#E69F00",
}
FONT = "Inter, 'Segoe UI', Helvetica, Arial, sans-serif"
TEMPLATE_NAME = "thinksmall"


def template() -> Any:
    """The kit's plotly template (registered once as ``"thinksmall"``)."""
    import plotly.graph_objects as go
    import plotly.io as pio

    if TEMPLATE_NAME not in pio.templates:
        theme = go.layout.Template(pio.templates["plotly_white"])
        theme.layout.update(
            font={"family": FONT, "size": 14, "color": "#222222"},
            title={"font": {"size": 18}, "x": 0.02, "xanchor": "left"},
            colorway=PALETTE,
            margin={"l": 70, "r": 30, "t": 70, "b": 60},
            legend={"title": {"font": {"size": 13}}},
            hoverlabel={"font": {"size": 13}},
        )
        pio.templates[TEMPLATE_NAME] = theme
    return pio.templates[TEMPLATE_NAME]


def style(fig: Any, title: str, x: str | None = None, y: str | None = None,
          height: int | None = 460) -> Any:
    """Apply the kit's theme, a title and axis labels to a plotly figure; return it.

    Every chart in the kit needs a title and, where it has axes, labelled axes.
    The figure comes back as a :class:`thinksmall_kit._figure.Figure`, which
    shows itself in a kernel without loading plotly's renderer registry.
    """
    from ._figure import kit_figure

    if not title:
        raise ValueError("every chart in the kit needs a title")
    fig = kit_figure(fig)
    fig.update_layout(template=template(), title={"text": title})
    if height:
        fig.update_layout(height=height)
    if x is not None:
        fig.update_xaxes(title_text=x)
    if y is not None:
        fig.update_yaxes(title_text=y)
    return fig
