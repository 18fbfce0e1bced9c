"""Small "notebook as app" widgets for lessons 01, 04, 05 and 07.

Kept apart so that ``import thinksmall_kit`` never loads ipywidgets; the public
doors are :func:`thinksmall_kit.engagement_explorer`,
:func:`thinksmall_kit.post_checker`, :func:`thinksmall_kit.give_first_what_if`
and :func:`thinksmall_kit.review_what_if`. Every widget keeps its controls and
its last result as attributes, so tests (and curious learners) can drive it
from code: set a control's ``.value`` and read ``.result`` or ``.output.value``.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets
import pandas as pd

from thinksmall_kit._theme import PALETTE, ROLE_COLOURS, STATUS_COLOURS

_INK = "#222222"
_MUTED = "#555555"
#: Room between the columns of the widgets' tables.
_TABLE = "<table style='border-collapse:separate;border-spacing:14px 3px;margin-left:-14px'>"


def _esc(x: Any) -> str:
    return html.escape(str(x))


def _bar(share: float, colour: str, width: int = 240) -> str:
    """A horizontal bar, ``share`` (0..1) of ``width`` pixels, drawn with a div."""
    share = min(max(float(share), 0.0), 1.0)
    return (f"<div style='background:#EEEEEE;width:{width}px;height:12px;"
            f"display:inline-block;vertical-align:middle'>"
            f"<div style='background:{colour};width:{share * width:.0f}px;height:12px'>"
            "</div></div>")


class _Shows:
    """Displays as its ``box`` in a notebook."""

    box: Any

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.box._repr_mimebundle_(**kwargs)


# --------------------------------------------------------------------------- lesson 01


class EngagementExplorer(_Shows):
    """One platform at a time: followers against what comes back; see
    :func:`thinksmall_kit.engagement_explorer`."""

    def __init__(self, result: Any, platform: str | None = None) -> None:
        self.engagement = result
        order = result.table.sort_values("followers", ascending=False).index.tolist()
        self.platform = widgets.Dropdown(options=order, value=platform or order[0],
                                         description="platform")
        self.output = widgets.HTML()
        self.platform.observe(self._render, names="value")
        self.box = widgets.VBox([self.platform, self.output])
        self._render()

    @property
    def row(self) -> pd.Series:
        """The engagement measures of the chosen platform."""
        return self.engagement.table.loc[self.platform.value]

    def _render(self, _change: Any = None) -> None:
        r = self.row
        followers, people = int(r["followers"]), int(r["people"])
        latent = int(r["latent_ties"])
        share_latent = latent / followers if followers else 0.0
        talk_scale = max(followers, people, 1)
        lines = [
            ("followers", f"{followers:,}", _bar(1.0 if followers else 0.0, "#999999")),
            ("people you interacted with", f"{people:,}",
             _bar(people / talk_scale, PALETTE[2])),
            ("two-way partners", f"{int(r['two_way_partners']):,}",
             _bar(r["two_way_partners"] / talk_scale, PALETTE[0])),
            ("tribe members who interacted", f"{int(r['tribe_present']):,}",
             _bar(r["tribe_present"] / talk_scale, PALETTE[1])),
        ]
        rows = "".join(
            f"<tr><td style='text-align:left'>{name}</td>"
            f"<td style='text-align:right'>{value}</td><td>{bar}</td></tr>"
            for name, value, bar in lines)
        posts = int(r["posts"])
        self.output.value = (
            f"<div style='color:{_INK}'>"
            f"<p><b>{_esc(self.platform.value)}</b>: {posts:,} posts brought back "
            f"{int(r['conversations']):,} comments and replies "
            f"(<b>{r['conversation_rate']:.2f} per post</b>), "
            f"{r['amplification_rate']:.2f} shares and {r['applause_rate']:.2f} likes per post.</p>"
            f"{_TABLE}{rows}</table>"
            f"<p style='color:{_MUTED}'>About {latent:,} followers "
            f"({share_latent:.0%}) are latent ties: you never exchanged a word with them. "
            "Bars are to the scale of the follower count.</p></div>")


# --------------------------------------------------------------------------- lesson 04


class PostChecker(_Shows):
    """Type a post, watch the checklist; see :func:`thinksmall_kit.post_checker`."""

    def __init__(self, text: str, check: Any) -> None:
        self._check = check
        self.result: Any = None
        self.text = widgets.Textarea(
            value=text, placeholder="Type a post here, e.g. New mugs today. Which glaze "
            "would you pick?", description="your post", continuous_update=True,
            layout={"width": "95%", "height": "90px"}, style={"description_width": "initial"})
        self.output = widgets.HTML()
        self.text.observe(self._render, names="value")
        self.box = widgets.VBox([self.text, self.output])
        self._render()

    def _render(self, _change: Any = None) -> None:
        if not self.text.value.strip():
            self.result = None
            self.output.value = (f"<p style='color:{_MUTED}'>Type a post above: the six checks "
                                 "update as you write.</p>")
            return
        self.result = check = self._check(self.text.value)
        items = []
        for name, row in check.table.iterrows():  # six checks: a checklist, not data
            if row["ok"]:
                items.append(f"<li><span style='color:{STATUS_COLOURS['keep']}'>&#10004; "
                             f"<b>{_esc(name)}</b></span></li>")
            else:
                items.append(f"<li><span style='color:{STATUS_COLOURS['cut']}'>&#10008; "
                             f"<b>{_esc(name)}</b></span>: {_esc(row['problem'])}. "
                             f"{_esc(row['tip'])}</li>")
        self.output.value = (f"<div style='color:{_INK}'><p><b>{check.passed}/{len(check.table)}"
                             " checks passed</b></p>"
                             f"<ul style='list-style:none;padding-left:0'>{''.join(items)}</ul>"
                             "</div>")


# --------------------------------------------------------------------------- lesson 05


class GiveFirstWhatIf(_Shows):
    """Sliders for the size and reach of the give-first plan; see
    :func:`thinksmall_kit.give_first_what_if`."""

    def __init__(self, make_plan: Any, n: int, max_layer: int, layers: tuple[int, ...]) -> None:
        self._make_plan = make_plan
        self.n_slider = widgets.IntSlider(value=n, min=1, max=max(15, n), step=1,
                                          description="people (n)", continuous_update=False,
                                          style={"description_width": "initial"})
        self.layer_slider = widgets.SelectionSlider(
            options=list(layers), value=max_layer, description="max_layer",
            continuous_update=False, style={"description_width": "initial"})
        self.output = widgets.HTML()
        self.result: Any = None
        self.n_slider.observe(self._render, names="value")
        self.layer_slider.observe(self._render, names="value")
        self.box = widgets.VBox([widgets.HBox([self.n_slider, self.layer_slider]),
                                 self.output])
        self._render()

    def _render(self, _change: Any = None) -> None:
        n, layer = int(self.n_slider.value), int(self.layer_slider.value)
        self.result = plan = self._make_plan(n=n, max_layer=layer)
        t = plan.table
        head = (f"<p style='color:{_INK}'><b>{len(t)} of {n} people</b> from the layers up to "
                f"{layer} (week of {plan.as_of:%d %b %Y}).")
        if len(t) < n:
            head += (" Fewer than asked: everyone else in these layers has not written to you "
                     "or heard from you recently. Try a larger max_layer.")
        rows = []
        for _, row in t.iterrows():  # at most a few dozen people
            colour = ROLE_COLOURS.get(str(row["role"]), _INK)
            rows.append(
                f"<tr><td style='text-align:left'>{_esc(row['display_name'])}</td>"
                f"<td style='text-align:left'><span style='color:{colour}'>&#9632;</span> "
                f"{_esc(row['role'])}</td>"
                f"<td style='text-align:right'>{int(row['layer'])}</td>"
                f"<td style='text-align:right'>{row['days_since']:.0f}</td>"
                f"<td style='text-align:left'>{_esc(row['where'])}</td>"
                f"<td style='text-align:left'>{_esc(row['suggestion'])}</td></tr>")
        table = (f"{_TABLE}<thead><tr><th style='text-align:left'>person</th>"
                 "<th style='text-align:left'>role</th><th>layer</th><th>days since they wrote"
                 "</th><th style='text-align:left'>where</th><th style='text-align:left'>"
                 "suggestion</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>")
        self.output.value = head + "</p>" + (table if rows else "")


# --------------------------------------------------------------------------- lesson 07


class ReviewWhatIf(_Shows):
    """A slider for the review's tolerance; see :func:`thinksmall_kit.review_what_if`."""

    def __init__(self, make_review: Any, tolerance: float, colours: dict[str, str]) -> None:
        self._make_review = make_review
        self._colours = colours
        self.tolerance_slider = widgets.FloatSlider(
            value=tolerance, min=0.0, max=0.5, step=0.05, description="tolerance",
            readout_format=".0%", continuous_update=False)
        self.output = widgets.HTML()
        self.result: Any = None
        self.tolerance_slider.observe(self._render, names="value")
        self.box = widgets.VBox([self.tolerance_slider, self.output])
        self._render()

    def _render(self, _change: Any = None) -> None:
        from thinksmall_kit.review import _fmt

        tol = float(self.tolerance_slider.value)
        self.result = r = self._make_review(tolerance=tol)
        t = r.table[~r.table["verdict"].isin(["not measured"])]
        counts = t["verdict"].value_counts()
        tally = ", ".join(
            f"<span style='color:{self._colours.get(v, _INK)};font-weight:600'>"
            f"{counts[v]} {_esc(v)}</span>"
            for v in ("better", "worse", "no real change", "changed", "after only")
            if counts.get(v, 0))
        rows = "".join(
            f"<tr><td style='text-align:left'>{_esc(name)}</td>"
            f"<td style='text-align:right'>{_fmt(row['before'])}</td>"
            f"<td style='text-align:right'>{_fmt(row['after'])}</td>"
            f"<td style='text-align:left;color:{self._colours.get(row['verdict'], _INK)};"
            f"font-weight:600'>{_esc(row['verdict'])}</td></tr>"
            for name, row in t.iterrows())  # a dozen measures
        self.output.value = (
            f"<p style='color:{_INK}'>Changes smaller than <b>{tol:.0%}</b> of the larger value "
            f"count as no real change: {tally}.</p>"
            f"{_TABLE}<thead><tr><th style='text-align:left'>measure</th><th>before</th>"
            "<th>after</th><th style='text-align:left'>verdict</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>")
