"""The take-home plan: one HTML file to keep after the course, with a calendar beside it.

:func:`take_home_report` gathers what the lessons built into a single page a
learner can open in any browser, offline, months later: the platforms kept
(lesson 02), the tribe map (lesson 03), the ties going quiet (lesson 03) and the
habit plan (lesson 06), with the plan's ``.ics`` file written next to it.

The page is self-contained: plotly.js is written into it once, with the first
figure, and every later figure uses that copy; no script, style sheet, font or
image is loaded from the network. The page holds your contacts' names, so it is
for you, not for sharing (the class summary of :mod:`thinksmall_kit.classroom`
is the one that leaves your machine).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import os
from pathlib import Path
from typing import Any

import pandas as pd

from thinksmall_kit._files import GENERATOR, kit_calendar, kit_page, output_file
from thinksmall_kit.network import DataError, Network

_CSS = """
body { font-family: Inter, 'Segoe UI', Helvetica, Arial, sans-serif; color: #222;
       max-width: 1100px; margin: 2rem auto; padding: 0 1.2rem; line-height: 1.5; }
h1 { font-size: 1.9rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.4rem; margin-top: 2.4rem; border-bottom: 2px solid #0072B2; }
p.lead { color: #555; margin-top: 0; }
table { border-collapse: collapse; margin: 0.8rem 0; font-size: 0.92rem; }
th, td { border-bottom: 1px solid #ddd; padding: 0.3rem 0.6rem; text-align: left;
         vertical-align: top; }
th { background: #f4f6f8; }
.note { background: #f4f6f8; border-left: 4px solid #E69F00; padding: 0.6rem 1rem; }
.figure { margin: 1rem 0; }
@media print { .figure { page-break-inside: avoid; } }
"""


def _esc(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _table(frame: pd.DataFrame, *, index: bool = False) -> str:
    """A DataFrame as an HTML table, every value escaped (names may hold ``<``)."""
    if frame.empty:
        return "<p><em>(nothing to show)</em></p>"
    return frame.to_html(index=index, escape=True, border=0, na_rep="",
                         float_format=lambda v: f"{v:,.2f}".rstrip("0").rstrip("."))


class _Figures:
    """Turns plotly figures into HTML divs: plotly.js goes into the first one only."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, fig: Any) -> str:
        first = self.count == 0
        self.count += 1
        div = fig.to_html(full_html=False, include_plotlyjs=first,
                          include_mathjax=False, default_width="100%",
                          config={"displaylogo": False, "responsive": True})
        return f'<div class="figure">{div}</div>'


def _page(title: str, lead: str, body: list[str]) -> str:
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"{GENERATOR}\n"
            f"<title>{_esc(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
            f"<h1>{_esc(title)}</h1>\n<p class=\"lead\">{_esc(lead)}</p>\n"
            + "\n".join(body) + "\n</body>\n</html>\n")


def _source(source: Any, who: str) -> tuple[Network, str, bool]:
    """A Network from a Network or a Workspace; its name; whether it is live data."""
    from thinksmall_kit.workspace import Workspace

    if isinstance(source, Network):
        return source, "this network", False
    if isinstance(source, Workspace):
        if not source.has_network():
            raise DataError(f"{who}: the workspace {source.path} holds no network yet; save "
                            "one first (lesson 00: ws.save_network(net)) or pass a network")
        return source.load_network(), f"the workspace {source.path}", True
    if isinstance(source, str):
        raise TypeError(f"{who}: got the text {source!r}; pass a network "
                        f"(tsk.load_persona({source!r})) or a workspace (tsk.open_workspace())")
    raise TypeError(f"{who}: expected a Network or a Workspace, got {type(source).__name__}")


@dataclasses.dataclass(frozen=True)
class TakeHome:
    """The take-home plan written by :func:`take_home_report`.

    Attributes
    ----------
    path : pathlib.Path
        The HTML page.
    ics : pathlib.Path or None
        The calendar file next to it (None when ``ics=False``).
    audit, tribe, plan
        The :class:`~thinksmall_kit.audit.Audit`, :class:`~thinksmall_kit.tribe.Tribe`
        and :class:`~thinksmall_kit.habits.HabitPlan` shown on the page.

    Introduced in lesson 07 (lessons/07-review-and-grow.ipynb).
    """

    path: Path
    ics: Path | None
    audit: Any
    tribe: Any
    plan: Any

    def __repr__(self) -> str:
        cal = f"; calendar: {self.ics}" if self.ics else ""
        return f"TakeHome: {self.path}{cal}"


def take_home_report(source: Network | Any, out: str | os.PathLike[str], *, keep: int = 5,
                     losing_touch: int = 10, minutes_per_day: float = 5.0, weeks: int = 4,
                     rest_days: Any = ("sun",), anchor: str = "pour my first coffee",
                     seed: int = 0, as_of: Any = None, start: Any = None, ics: bool = True,
                     title: str = "Think small: your take-home plan") -> TakeHome:
    """Write your take-home plan: one offline HTML page, and your habits as an .ics beside it.

    The page has four parts, each made with the lesson's own function and its
    defaults: the platforms to keep (``tsk.audit(net, keep=keep)``), the tribe
    map (``tsk.tribe(net).figure("rings")``), the ties you are losing touch with
    (``tribe.losing_touch(losing_touch)``) and a habit plan
    (``tsk.plan_habits(tribe, ...)`` with the settings below), whose calendar
    file is written next to the page (``plan.to_ics``, same name, ``.ics``).

    Parameters
    ----------
    source : Network or Workspace
        A sample persona (``tsk.load_persona("ceramics")``) or your workspace.
        A workspace's network is measured as of now and its plan starts today;
        a Network is measured as of its last interaction, unless ``as_of``/``start``.
    out : str or path-like
        The HTML file to write, e.g. ``"my-plan.html"``.
    keep : int, default 5
        Platforms to keep (lesson 02).
    losing_touch : int, default 10
        How many overdue ties to list (lesson 03).
    minutes_per_day, weeks, rest_days, anchor, seed
        The habit plan's settings (lesson 06's :func:`~thinksmall_kit.habits.plan_habits`).
    as_of, start : date, optional
        The day the tribe is measured to, and the plan's first day.
    ics : bool, default True
        Also write the calendar file.
    title : str
        The page's title.

    Returns
    -------
    TakeHome
        The paths written, with the audit, tribe and plan shown.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from thinksmall_kit import load_persona, take_home_report
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> done = take_home_report(load_persona("organiser"), folder / "plan.html")
    >>> done.path.name, done.ics.name
    ('plan.html', 'plan.ics')
    >>> "plotly" in done.path.read_text(encoding="utf-8")
    True

    Introduced in lesson 07 (lessons/07-review-and-grow.ipynb).
    """
    from thinksmall_kit.audit import audit as make_audit
    from thinksmall_kit.habits import plan_habits
    from thinksmall_kit.tribe import tribe as make_tribe

    net, where, live = _source(source, "take_home_report")
    if net.interactions.empty:
        raise DataError("take_home_report: the network has no interactions, so there is no "
                        "tribe or plan to show; import an export (lesson 00) first")
    now = pd.Timestamp.now(tz="UTC")
    if live and as_of is None:
        as_of = now
    if live and start is None:
        start = now.tz_localize(None).normalize()
    # Both files are checked before either is written.
    out = output_file(out, "take_home_report", (".html", ".htm"),
                      "a take-home page (opened in a browser)", kit_page)
    if ics:
        output_file(out.with_suffix(".ics"), "take_home_report (its calendar file)",
                    (".ics",), "a habit calendar", kit_calendar)

    result = make_audit(net, keep=keep)
    tr = make_tribe(net, as_of=as_of)
    plan = plan_habits(tr, minutes_per_day=minutes_per_day, weeks=weeks, start=start,
                       rest_days=rest_days, anchor=anchor, seed=seed)
    out.parent.mkdir(parents=True, exist_ok=True)
    ics_path = plan.to_ics(out.with_suffix(".ics")) if ics and len(plan.table) else None

    figure = _Figures()
    body: list[str] = [
        '<p class="note">This page is yours: it names the people in your network, so keep it '
        "on your computer. It opens without an internet connection. Made on "
        f"{dt.date.today():%d %B %Y} from {_esc(where)}.</p>",
        "<h2>1. The platforms you keep</h2>",
        f"<p>{_esc(result.summary())}</p>".replace("\n", "<br>"),
    ]
    kept = result.table.loc[result.keep, ["minutes_per_week", "followers", "reason"]]
    body.append(_table(kept.reset_index()))
    body.append(figure(result.figure()))

    body += ["<h2>2. Your tribe</h2>",
             f"<p>{_esc(repr(tr))}. Each dot is a person, the strongest in the middle; the "
             "colour is their role.</p>",
             figure(tr.figure("rings"))]
    layers = tr.layers
    shown = [c for c in ("layer", "size", "green", "yellow", "red") if c in layers.columns]
    body.append(_table(layers[shown]))

    late = tr.losing_touch(losing_touch)
    body += ["<h2>3. People you are losing touch with</h2>",
             "<p>Strong ties gone quiet, most overdue first: the first people to write to "
             "(a short, genuine note, not a pitch).</p>"]
    late_shown = late[["display_name", "role", "layer", "days_since", "ideal_days", "status"]]
    body.append(_table(late_shown.round({"days_since": 0})))

    body += ["<h2>4. Your habit plan</h2>", f"<p>{_esc(repr(plan))}.</p>"]
    if len(plan.table):
        body.append(f"<p>The recipe: <strong>{_esc(plan.table['recipe'].iloc[0])}</strong></p>")
        if ics_path is not None:
            body.append(f'<p>Your calendar file: <a href="{_esc(ics_path.name)}">'
                        f"{_esc(ics_path.name)}</a>, next to this page. Import it into your "
                        "calendar app (look for <em>Import</em> in its settings).</p>")
        table = plan.table.assign(date=plan.table["date"].dt.strftime("%a %d %b"))
        body.append(_table(table[["date", "display_name", "action", "minutes", "todo"]]))
        body.append(figure(plan.figure("days")))
    body.append('<p class="note">Check in each day (lesson 06) and review after four weeks '
                "(lesson 07): keep it small, adjust one thing, and repeat.</p>")
    out.write_text(_page(title, "Fewer networks, real two-way ties, small habits.", body),
                   encoding="utf-8")
    return TakeHome(path=out, ics=ics_path, audit=result, tribe=tr, plan=plan)


# --------------------------------------------------------------------------- command line


def _report_command(args: Any, extra: list[str]) -> int:
    from thinksmall_kit.personas import load_persona
    from thinksmall_kit.workspace import open_workspace

    if (args.persona is None) == (args.workspace is None):
        raise SystemExit("thinksmall report: give either --persona NAME or --workspace PATH")
    source = (load_persona(args.persona) if args.persona is not None
              else open_workspace(args.workspace))
    done = take_home_report(source, args.out, keep=args.keep,
                            minutes_per_day=args.minutes_per_day, weeks=args.weeks)
    print(f"Wrote {done.path}" + (f" and {done.ics}" if done.ics else ""))
    return 0


def _class_report_command(args: Any, extra: list[str]) -> int:
    from thinksmall_kit.classroom import class_report

    done = class_report(args.summaries, args.out)
    print(f"Wrote {done.path} ({len(done.table)} learners)")
    return 0


def _slides_command(args: Any, extra: list[str]) -> int:
    from thinksmall_kit.cli import course_root
    from thinksmall_kit.slides import build_slides

    if args.lessons:
        lessons = [Path(p) for p in args.lessons]
    else:
        lessons = sorted((course_root(args.root) / "lessons").glob("[0-9][0-9]-*.ipynb"))
    for path in build_slides(lessons, args.out, reveal=args.reveal, execute=not args.no_execute):
        print(f"Wrote {path}")
    return 0


def add_report_commands(sub: Any) -> None:
    """Add ``slides``, ``report`` and ``class-report`` to the ``thinksmall`` command."""

    def handled(run: Any) -> Any:
        def wrapper(args: Any, extra: list[str]) -> int:
            try:
                return run(args, extra)
            except (ValueError, TypeError, OSError) as err:  # DataError is a ValueError
                raise SystemExit(f"thinksmall {args.command}: {err}") from None
        return wrapper

    slides = sub.add_parser("slides", help="offline reveal.js slides of the lessons (nbconvert)")
    slides.add_argument("lessons", nargs="*", metavar="LESSON",
                        help="lesson notebooks (default: every lesson)")
    slides.add_argument("--out", default="build/slides", help="folder (default build/slides)")
    slides.add_argument("--reveal", help="an unpacked reveal.js package (default: make slides')")
    slides.add_argument("--root", help="the course folder (default: this checkout)")
    slides.add_argument("--no-execute", action="store_true", help="slides without outputs")
    slides.set_defaults(run=handled(_slides_command), passthrough=False)

    report = sub.add_parser("report", help="your take-home plan as one offline HTML file")
    report.add_argument("--persona", help="a sample persona (ceramics, organiser)")
    report.add_argument("--workspace", help="a workspace file (your own network)")
    report.add_argument("--out", required=True, help="the HTML file, e.g. my-plan.html")
    report.add_argument("--keep", type=int, default=5, help="platforms to keep (default 5)")
    report.add_argument("--minutes-per-day", type=float, default=5.0,
                        help="habit budget a day (default 5)")
    report.add_argument("--weeks", type=int, default=4, help="weeks of habits (default 4)")
    report.set_defaults(run=handled(_report_command), passthrough=False)

    klass = sub.add_parser("class-report", help="the instructor's dashboard of class summaries")
    klass.add_argument("summaries", metavar="SUMMARIES_DIR",
                       help="folder of learners' class-summary .json files")
    klass.add_argument("--out", required=True, help="the HTML file, e.g. class.html")
    klass.set_defaults(run=handled(_class_report_command), passthrough=False)
