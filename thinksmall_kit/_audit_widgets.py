"""The audit's widgets: the what-if sliders and the hand inventory form.

Kept apart so that ``import thinksmall_kit`` never loads ipywidgets; the
public doors are :func:`thinksmall_kit.audit_what_if` and
:func:`thinksmall_kit.inventory_form`.
"""

from __future__ import annotations

import html
import math
from typing import Any

import ipywidgets as widgets
import pandas as pd

from thinksmall_kit._theme import STATUS_COLOURS
from thinksmall_kit.audit import Audit, _decide, _hours, _saved_platforms, save_platform
from thinksmall_kit.network import DataError, Network

#: Names offered in the form's platform box (any other one-word name works too).
COMMON_PLATFORMS = [
    "instagram", "facebook", "linkedin", "x", "tiktok", "youtube", "pinterest", "threads",
    "bluesky", "mastodon", "reddit", "snapchat", "whatsapp", "newsletter", "blog", "etsy",
    "meetup", "nextdoor", "discord", "telegram",
]


def _box(message: str, good: bool) -> str:
    colour = STATUS_COLOURS["keep"] if good else STATUS_COLOURS["red"]
    text = "<br>".join(html.escape(line) for line in message.splitlines())
    return f'<div style="color:{colour};font-weight:600">{text}</div>'


class _Shows:
    """Displays as its ``box`` in a notebook."""

    box: Any

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.box._repr_mimebundle_(**kwargs)


class WhatIf(_Shows):
    """Sliders for ``keep`` and the weekly budget over one audit; see :func:`audit_what_if`."""

    def __init__(self, net: Network, first: Audit) -> None:
        self.net = net
        self.result = first
        n = len(first.table)
        top = max(600, int(math.ceil(max(first.total_minutes, first.budget_minutes) / 60) * 60))
        self.keep_slider = widgets.IntSlider(
            value=min(first.keep_n, n), min=1, max=max(n, 1), step=1,
            description="keep", continuous_update=False)
        self.budget_slider = widgets.IntSlider(
            value=round(first.budget_minutes), min=0, max=top, step=15,
            description="budget (min/week)", continuous_update=False,
            style={"description_width": "initial"}, layout={"width": "420px"})
        self.output = widgets.HTML()
        self.keep_slider.observe(self._update, names="value")
        self.budget_slider.observe(self._update, names="value")
        self.box = widgets.VBox([widgets.HBox([self.keep_slider, self.budget_slider]),
                                 self.output])
        self._render()

    def _update(self, _change: Any = None) -> None:
        self.result = _decide(self.result, int(self.keep_slider.value),
                              float(self.budget_slider.value))
        self._render()

    def _render(self) -> None:
        r = self.result
        summary = r.summary()
        rows = []
        for name, row in r.table.iterrows():  # one row per platform: a handful
            colour = STATUS_COLOURS[row["verdict"]]
            rows.append(
                f"<tr><td>{html.escape(str(name))}</td>"
                f"<td style='text-align:right'>{row['minutes_per_week']:.0f}</td>"
                f"<td style='text-align:right'>{row['score']:.2f}</td>"
                f"<td style='color:{colour};font-weight:600'>{row['verdict']}</td>"
                f"<td>{html.escape(row['reason'])}</td></tr>")
        warn = r.warning is not None
        lines = "<br>".join(html.escape(s) for s in summary.splitlines())
        colour = STATUS_COLOURS["red"] if warn else "#222222"
        self.output.value = (
            f"<p style='color:{colour}'>{lines}</p>"
            "<table><thead><tr><th>platform</th><th>min/week</th><th>score</th>"
            "<th>verdict</th><th style='text-align:left'>reason</th></tr></thead><tbody>"
            + "".join(rows) + "</tbody></table>")


class InventoryForm(_Shows):
    """A form that writes platforms into a workspace; see :func:`inventory_form`."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        wide = {"description_width": "initial"}
        self.platform = widgets.Combobox(
            options=COMMON_PLATFORMS, placeholder="e.g. instagram", description="platform",
            ensure_option=False, style=wide)
        self.handle = widgets.Text(placeholder="your name there", description="handle",
                                   style=wide)
        self.minutes = widgets.FloatText(value=0.0, description="minutes a week", style=wide)
        self.followers = widgets.IntText(value=0, description="followers", style=wide)
        self.fit = widgets.FloatSlider(
            value=0.5, min=0.0, max=1.0, step=0.05, description="audience fit (0-1)",
            style=wide, readout_format=".2f")
        self.purpose = widgets.Text(placeholder="why you are there", description="purpose",
                                    style=wide, layout={"width": "420px"})
        self.save_button = widgets.Button(description="Save", button_style="primary",
                                          icon="check")
        self.message = widgets.HTML()
        self.saved = widgets.HTML()
        self.save_button.on_click(lambda _button: self.save())
        help_text = widgets.HTML(
            "<small>Audience fit: how many of your customers, fans and partners are there "
            "(0 = none of them, 1 = all of them). Minutes a week: your honest guess, "
            "reading included.</small>")
        self.box = widgets.VBox([self.platform, self.handle, self.minutes, self.followers,
                                 self.fit, help_text, self.purpose, self.save_button,
                                 self.message, self.saved])
        self._show_saved()

    def save(self) -> bool:
        """Save what the fields hold; True if saved. Problems go to ``.message``."""
        try:
            outcome = save_platform(
                self.ws, self.platform.value, handle=self.handle.value,
                minutes_per_week=self.minutes.value, followers=self.followers.value,
                audience_fit=self.fit.value, purpose=self.purpose.value)
        except (DataError, TypeError) as exc:
            self.message.value = _box(f"Not saved. {exc}", good=False)
            return False
        except OSError as exc:  # WorkspaceError: the file is locked, closed, unwritable
            self.message.value = _box(f"Not saved: the workspace could not be written.\n{exc}",
                                      good=False)
            return False
        name = self.platform.value.strip().lower()
        self.message.value = _box(f"{outcome.capitalize()} {name} "
                                  f"({_hours(float(self.minutes.value))}).", good=True)
        self.platform.value = ""
        self._show_saved()
        return True

    def _show_saved(self) -> None:
        try:
            table = _saved_platforms(self.ws)
        except OSError as exc:
            self.saved.value = _box(f"Cannot read the workspace: {exc}", good=False)
            return
        if table.empty:
            self.saved.value = "<p><i>No platforms saved yet.</i></p>"
            return
        shown = table[["platform", "handle", "minutes_per_week", "followers", "audience_fit",
                       "purpose"]].astype({"audience_fit": "float64"})
        total = float(pd.to_numeric(shown["minutes_per_week"]).sum())
        self.saved.value = (f"<p>Saved so far: {len(shown)} platforms, "
                            f"{html.escape(_hours(total))} in all.</p>"
                            + shown.to_html(index=False, na_rep="", float_format="{:g}".format))
