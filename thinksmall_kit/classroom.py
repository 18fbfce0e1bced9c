"""The class dashboard: pseudonymised summaries from learners, one page for the instructor.

A learner runs :func:`class_summary` and hands in the JSON file it writes. It
holds counts, rates, layer sizes, generic platform names and habit completion
per week, under a random learner id: no names, handles, contact ids, message
text or exact times. The instructor puts the files in one folder and runs
:func:`class_report` (``thinksmall class-report FOLDER --out class.html``): an
offline HTML page with the platforms kept, tribe sizes by layer, conversation
rates and habit completion across the four weeks.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
import os
import re
import secrets
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from thinksmall_kit._files import kit_page, kit_summary, output_file
from thinksmall_kit.audit import TRIBE_ROLES
from thinksmall_kit.network import DataError, Network

#: What a summary file says it is, and the newest layout this kit reads.
SUMMARY_FORMAT = "thinksmall-class-summary"
SUMMARY_VERSION = 1
#: The Dunbar layers reported (as in lesson 03).
LAYERS = (5, 15, 50, 150)
#: Conversation measures reported, each a share from 0 to 1 (lessons 01, 04, 05).
RATES = ("reply_ratio", "two_way_rate", "broadcast_share", "give_share")
#: The roles the course calls your tribe (lesson 03).
_PLATFORM_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,29}$")


def _number(value: Any, digits: int = 3) -> float | None:
    """A plain float rounded for the file, or None for NaN / missing."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(v) or math.isinf(v) else round(v, digits)


def _generic_platforms(names: list[str], private: set[str]) -> list[str]:
    """Platform keys that are safe to share: lower-case words, never a handle or a name."""
    out = []
    for name in names:
        key = str(name).strip().lower()
        ok = _PLATFORM_NAME.match(key) and key not in private
        out.append(key if ok else "other")
    return out


def _habit_weeks(progress: Any, weeks: int) -> list[dict[str, Any]]:
    """Weeks 1..n of a HabitProgress: days done, missed, rested, completion."""
    if progress is None:
        return []
    w = progress.weekly.head(weeks).reset_index(drop=True)
    done = w["days_done"].astype(float)
    missed = w["days_missed"].astype(float)
    completion = done / (done + missed)
    return [{"week": i + 1, "days_done": int(w.loc[i, "days_done"]),
             "days_missed": int(w.loc[i, "days_missed"]),
             "days_skipped": int(w.loc[i, "days_skipped"]),
             "actions_done": int(w.loc[i, "actions_done"]),
             "completion": _number(completion.iloc[i])} for i in range(len(w))]


def _checked_id(learner_id: object) -> str:
    """A learner id as the dashboard keys and names files by: letters, digits, - and _."""
    if not isinstance(learner_id, str):
        raise TypeError(f"class_summary: learner_id must be text, got {type(learner_id).__name__}")
    if not re.fullmatch(r"[0-9a-zA-Z_-]{1,40}", learner_id):
        raise DataError(f"class_summary: learner_id={learner_id!r} may hold only letters, "
                        "digits, '-' and '_' (at most 40); leave it out for a random one")
    return learner_id


def _earlier_id(path: Path) -> str | None:
    """The learner id of an earlier summary at ``path``, so handing in again replaces it."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    ok = isinstance(data, dict) and data.get("format") == SUMMARY_FORMAT
    lid = data.get("learner_id") if ok else None
    return lid if isinstance(lid, str) and re.fullmatch(r"[0-9a-zA-Z_-]{1,40}", lid) else None


def class_summary(source: Network | Any, out: str | os.PathLike[str] | None = None, *,
                  keep: int = 5, progress: Any = None, weeks: int = 4,
                  learner_id: str | None = None) -> dict[str, Any]:
    """A pseudonymised summary of your results, to hand in for the class dashboard.

    What it holds, and nothing else:

    * ``platforms``: how many you hold and their weekly minutes; the ones the
      audit keeps (``tsk.audit(net, keep=keep)``) by generic name
      ("instagram"; anything that is not a plain lower-case word becomes "other");
    * ``tribe``: contacts, people in each Dunbar layer 5/15/50/150 (``layers``) and
      how many of them are tribe (customers, fans, supporters, buyers, partners,
      associates, vendors: ``tribe_by_layer``), green/yellow/red counts and the
      roles in your inner 150 (``tsk.tribe(net)``);
    * ``conversation``: reply ratio, two-way rate, broadcast share, give share
      (``tsk.conversation(net)``) and comments and replies per post
      (``tsk.engagement(net)``);
    * ``habits``: for each of the first ``weeks`` weeks of check-ins, days done,
      missed and rested, actions done and completion = done / (done + missed);
    * a random ``learner_id`` (new on every call unless you pass one), the kit's
      version and the date (no time).

    No names, handles, contact ids, message text or times are written.

    Parameters
    ----------
    source : Network or Workspace
        Your workspace (its network and check-ins) or a network.
    out : str or path-like, optional
        Where to write the JSON file (e.g. ``"class-summary.json"``); None writes nothing.
    keep : int, default 5
        Platforms to keep in the audit.
    progress : HabitProgress, optional
        Your habit progress; default, a workspace's check-ins
        (``tsk.habit_progress(ws)``) when it has any.
    weeks : int, default 4
        Weeks of habit completion to report.
    learner_id : str, optional
        The id to write; default the id of the summary already at ``out`` (so a
        summary handed in again replaces the earlier one), else a random one.

    Returns
    -------
    dict
        What was (or would be) written.

    Examples
    --------
    >>> from thinksmall_kit import load_persona, class_summary
    >>> summary = class_summary(load_persona("organiser"))
    >>> summary["format"], summary["version"], summary["tribe"]["layers"]["5"]
    ('thinksmall-class-summary', 1, 5)
    >>> "Jonah" in str(summary)
    False

    Introduced in lesson 07 (lessons/07-review-and-grow.ipynb).
    """
    from thinksmall_kit import __version__
    from thinksmall_kit.audit import audit, engagement
    from thinksmall_kit.conversation import conversation
    from thinksmall_kit.habits import HabitProgress, checkins, habit_progress
    from thinksmall_kit.report import _source
    from thinksmall_kit.tribe import tribe
    from thinksmall_kit.workspace import Workspace

    if learner_id is not None:
        _checked_id(learner_id)
    if isinstance(weeks, bool) or not isinstance(weeks, int | np.integer) or not (
            1 <= weeks <= 52):
        raise DataError(f"class_summary: weeks must be a whole number from 1 to 52, "
                        f"got {weeks!r}")
    if progress is not None and not isinstance(progress, HabitProgress):
        raise TypeError(f"class_summary: progress must be what tsk.habit_progress(ws) returns, "
                        f"got {type(progress).__name__}")
    path = None
    if out is not None:  # checked before any work is done, and before anything is written
        folder = (Path(os.path.expanduser(os.fspath(out))) if isinstance(out, str | os.PathLike)
                  and not isinstance(out, bytes) else None)
        if folder is not None and folder.is_dir():
            if learner_id is None:
                learner_id = secrets.token_hex(6)
            out = folder / f"class-summary-{learner_id}.json"
        path = output_file(out, "class_summary", (".json",), "a class summary", kit_summary)
        if learner_id is None:
            learner_id = _earlier_id(path)

    net, _, live = _source(source, "class_summary")
    if net.platforms.empty:
        raise DataError("class_summary: the network has no platforms; list yours first "
                        "(lesson 02's inventory form) or import an export (lesson 00)")
    if progress is None and isinstance(source, Workspace) and len(checkins(source)):
        progress = habit_progress(source, rest_days=("sun",))
    private = {str(v).strip().lower() for v in net.platforms["handle"].dropna()}
    private |= {str(v).strip().lower() for v in net.contacts["contact_id"].dropna()}
    private |= {str(v).strip().lower() for v in net.contacts["display_name"].dropna()}

    result = audit(net, keep=keep)
    platforms = {
        "held": len(net.platforms),
        "minutes_per_week": _number(net.platforms["minutes_per_week"].sum(), 1),
        "kept": _generic_platforms(result.keep, private),
        "kept_minutes_per_week": _number(result.kept_minutes, 1),
    }
    tribe_part: dict[str, Any] = {"contacts": len(net.contacts), "in_layers": 0,
                                  "layers": {str(n): 0 for n in LAYERS},
                                  "tribe_by_layer": {str(n): 0 for n in LAYERS},
                                  "status": {"green": 0, "yellow": 0, "red": 0}, "roles": {}}
    rates: dict[str, Any] = {name: None for name in (*RATES, "conversation_rate")}
    if not net.interactions.empty:
        tr = tribe(net, as_of=pd.Timestamp.now(tz="UTC") if live else None)
        layer = tr.table["layer"].astype("Int64")
        sizes = layer.value_counts()
        tribal = layer[tr.table["role"].astype(str).isin(TRIBE_ROLES)].value_counts()
        inner = tr.table[(layer <= max(LAYERS)).fillna(False).astype(bool)]
        status = inner["status"].astype(str).value_counts()
        tribe_part.update(
            in_layers=int(layer.notna().sum()),
            layers={str(n): int(sizes.get(n, 0)) for n in LAYERS},
            tribe_by_layer={str(n): int(tribal.get(n, 0)) for n in LAYERS},
            status={s: int(status.get(s, 0)) for s in ("green", "yellow", "red")},
            roles={str(k): int(v) for k, v in
                   inner["role"].astype(str).value_counts().sort_index().items()})
        overall = conversation(net).table.loc["all"]
        rates.update({name: _number(overall[name]) for name in RATES})
        e = engagement(net).table
        posts = float(e["posts"].sum())
        rates["conversation_rate"] = _number(e["conversations"].sum() / posts) if posts else None
    summary = {
        "format": SUMMARY_FORMAT,
        "version": SUMMARY_VERSION,
        "kit_version": __version__,
        "learner_id": learner_id or secrets.token_hex(6),
        "made_on": dt.date.today().isoformat(),
        "platforms": platforms,
        "tribe": tribe_part,
        "conversation": rates,
        "habits": {"weeks": _habit_weeks(progress, weeks)},
    }
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(summary, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return summary


def _read_summaries(folder: Path) -> list[dict[str, Any]]:
    if not folder.is_dir():
        raise DataError(f"class_report: {folder} is not a folder; put the learners' "
                        "class-summary .json files in one folder and pass that")
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() == ".json")
    if not files:
        others = sorted(p.name for p in folder.iterdir())[:5]
        seen = f" (found only: {', '.join(others)})" if others else " (it is empty)"
        raise DataError(f"class_report: no summaries (*.json) in {folder}{seen}; each learner "
                        "makes one with tsk.class_summary(tsk.open_workspace(), "
                        "out='class-summary.json')")
    summaries: dict[str, dict[str, Any]] = {}
    for path in files:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as err:
            raise DataError(f"class_report: {path.name} is not a JSON file ({err}); expected "
                            "a summary written by tsk.class_summary: remove it or ask the "
                            "learner for a new one") from None
        if not isinstance(data, dict) or data.get("format") != SUMMARY_FORMAT:
            raise DataError(f"class_report: {path.name} is JSON but not a class summary (no "
                            f"\"format\": \"{SUMMARY_FORMAT}\"); remove it from the folder")
        version = data.get("version")
        if not isinstance(version, int) or version < 1:
            raise DataError(f"class_report: {path.name} has no valid version number "
                            f"(found {version!r}); ask the learner for a new summary")
        if version > SUMMARY_VERSION:
            raise DataError(
                f"class_report: {path.name} was made by a newer kit (summary version "
                f"{version}, kit {data.get('kit_version', '?')}); this kit reads up to version "
                f"{SUMMARY_VERSION}. Upgrade: pip install --upgrade thinksmall-kit")
        for part in ("platforms", "tribe", "conversation", "habits"):
            if not isinstance(data.get(part), dict):
                raise DataError(f"class_report: {path.name} has no {part!r} section; it is "
                                "damaged or edited by hand: ask the learner for a new one")
        summaries[str(data.get("learner_id", path.stem))] = data  # a re-submission replaces
    return list(summaries.values())


@dataclasses.dataclass(frozen=True)
class ClassReport:
    """The class dashboard written by :func:`class_report`.

    Attributes
    ----------
    path : pathlib.Path
        The HTML page.
    table : pandas.DataFrame
        One row per learner (by pseudonymous id): platforms held and kept,
        people in each layer, the conversation rates and habit completion per week.

    Introduced in lesson 07 (lessons/07-review-and-grow.ipynb).
    """

    path: Path
    table: pd.DataFrame

    def __repr__(self) -> str:
        return f"ClassReport: {len(self.table)} learners -> {self.path}"


def _learner_table(summaries: list[dict[str, Any]]) -> pd.DataFrame:
    rows = []
    for s in summaries:
        row: dict[str, Any] = {"learner": s.get("learner_id", "?"),
                               "platforms_held": s["platforms"].get("held"),
                               "platforms_kept": len(s["platforms"].get("kept", [])),
                               "minutes_per_week": s["platforms"].get("minutes_per_week"),
                               "kept_minutes_per_week": s["platforms"].get(
                                   "kept_minutes_per_week")}
        layers = s["tribe"].get("layers", {})
        tribal = s["tribe"].get("tribe_by_layer", {})
        row.update({f"layer_{n}": layers.get(str(n)) for n in LAYERS})
        row.update({f"tribe_{n}": tribal.get(str(n)) for n in LAYERS})
        row.update({name: s["conversation"].get(name) for name in
                    (*RATES, "conversation_rate")})
        for w in s["habits"].get("weeks", []):
            row[f"week_{w.get('week')}"] = w.get("completion")
        rows.append(row)
    return pd.DataFrame(rows).set_index("learner")


def class_report(folder: str | os.PathLike[str], out: str | os.PathLike[str], *,
                 title: str = "Think small: the class at a glance") -> ClassReport:
    """Build the instructor's dashboard from a folder of learners' summaries.

    Four charts, each over every learner: how many keep each platform; people
    per Dunbar layer (one dot per learner); the conversation rates (reply
    ratio, two-way rate, broadcast share, give share); and habit completion
    (share of habit days done) in weeks 1 to 4, with the class mean. The page
    opens offline (plotly.js is written into it once).

    Parameters
    ----------
    folder : str or path-like
        Holds the ``*.json`` files from :func:`class_summary` (other files are
        ignored). A learner who handed in twice, with the same id, counts once.
    out : str or path-like
        The HTML file to write.
    title : str
        The page's title.

    Returns
    -------
    ClassReport

    Raises
    ------
    DataError
        No summaries in the folder, a ``.json`` file that is not JSON or not a
        summary, or a summary from a newer kit.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from thinksmall_kit import load_persona, class_summary, class_report
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = class_summary(load_persona("organiser"), folder / "a.json")
    >>> _ = class_summary(load_persona("ceramics"), folder / "b.json")
    >>> class_report(folder, folder / "class.html").table.shape[0]
    2

    Introduced in lesson 07 (lessons/07-review-and-grow.ipynb).
    """
    import plotly.express as px

    from thinksmall_kit._theme import PALETTE, STATUS_COLOURS, style
    from thinksmall_kit.report import _esc, _Figures, _page, _table

    folder = Path(os.path.expanduser(os.fspath(folder)))
    out = output_file(out, "class_report", (".html", ".htm"),
                      "a class dashboard (opened in a browser)", kit_page)
    summaries = _read_summaries(folder)
    table = _learner_table(summaries)
    n = len(table)
    figure = _Figures()
    body = [f"<p>{n} learner{'s' if n != 1 else ''} handed in a summary. Learners are shown "
            "by a random id only: the summaries hold no names, handles or messages.</p>"]

    kept = pd.Series([p for s in summaries for p in s["platforms"].get("kept", [])],
                     dtype="object")
    body.append("<h2>Platforms kept</h2>")
    if len(kept):
        counts = kept.value_counts().rename_axis("platform").reset_index(name="learners")
        fig = px.bar(counts, x="platform", y="learners", color_discrete_sequence=[PALETTE[0]])
        body.append(figure(style(fig, "Which platforms learners keep after the audit",
                                 x="platform", y="learners keeping it")))
    held = table[["platforms_held", "platforms_kept", "minutes_per_week",
                  "kept_minutes_per_week"]]
    body.append(_table(held.describe().loc[["mean", "min", "max"]].round(1), index=True))

    layer_cols = [f"tribe_{n}" for n in LAYERS]
    long = table[layer_cols].rename(columns=lambda c: c.split("_")[1]).melt(
        var_name="layer", value_name="people", ignore_index=False).reset_index()
    fig = px.box(long, x="layer", y="people", points="all", hover_name="learner",
                 category_orders={"layer": [str(n) for n in LAYERS]},
                 color_discrete_sequence=[PALETTE[2]])
    body += ["<h2>Tribe sizes by layer</h2>",
             "<p>How many of the people in each Dunbar layer are tribe (customers, fans, "
             "supporters, buyers, partners, associates, vendors rather than peers, friends or "
             "untagged), one dot per learner. A layer holds at most 5, 10, 35 and 100 people."
             "</p>",
             figure(style(fig, "Tribe members in each layer", x="Dunbar layer",
                          y="tribe members in the layer")),
             _table(table[[f"layer_{n}" for n in LAYERS] + layer_cols].describe()
                    .loc[["mean", "min", "max"]].round(1), index=True)]

    rate_cols = [*RATES]
    rates = table[rate_cols].melt(var_name="measure", value_name="share",
                                  ignore_index=False).reset_index().dropna()
    body.append("<h2>Conversation</h2>")
    if len(rates):
        fig = px.box(rates, x="measure", y="share", points="all", hover_name="learner",
                     color_discrete_sequence=[PALETTE[1]])
        fig.update_yaxes(range=[0, 1.05])
        body.append(figure(style(fig, "Conversation rates across the class",
                                 x="measure (lessons 04 and 05)", y="share (0 to 1)")))
    body.append(_table(table[[*rate_cols, "conversation_rate"]].describe()
                       .loc[["mean", "min", "max"]].round(2), index=True))

    week_cols = [c for c in table.columns if c.startswith("week_")]
    body.append("<h2>Habit completion, week by week</h2>")
    if week_cols:
        weeks = table[week_cols].rename(columns=lambda c: int(c.split("_")[1]))
        weeks = weeks[sorted(weeks.columns)]
        lines = weeks.melt(var_name="week", value_name="completion",
                           ignore_index=False).reset_index().dropna()
        fig = px.line(lines, x="week", y="completion", line_group="learner",
                      hover_name="learner", markers=True,
                      color_discrete_sequence=["#C8C8C8"])
        fig.update_traces(showlegend=False, line={"width": 1})
        fig.add_scatter(x=list(weeks.columns), y=weeks.mean().to_numpy(dtype=float),
                        mode="lines+markers", name="class mean",
                        line={"color": STATUS_COLOURS["green"], "width": 4})
        fig.update_xaxes(tickmode="linear", dtick=1)
        fig.update_yaxes(range=[0, 1.05], tickformat=".0%")
        body.append(figure(style(fig, "Share of habit days done, weeks 1 to 4",
                                 x="week after the workshop", y="habit days done")))
        body.append(_table(weeks.agg(["count", "mean"]).rename(
            index={"count": "learners", "mean": "mean completion"}).round(2), index=True))
    else:
        body.append("<p>No summary has habit check-ins yet: they appear once learners tick "
                    "their habits (lesson 06) and hand in a new summary.</p>")
    body.append("<h2>Every learner</h2>")
    body.append(_table(table.round(2), index=True))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(_page(title, f"Made on {dt.date.today():%d %B %Y} from {_esc(folder)}.",
                         body), encoding="utf-8")
    return ClassReport(path=out, table=table)
