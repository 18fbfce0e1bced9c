"""Your tribe: who your people are, how strong each tie is, and who is slipping away.

:func:`tribe` turns a :class:`~thinksmall_kit.Network` into a :class:`Tribe`:
one row per contact with a tie strength built from five visible parts, the
Dunbar layer the tie falls in, and a keep-in-touch status (green, yellow, red)
from an ideal and a maximum number of days between contacts. The same object
measures how concentrated your attention is and whether the people you talk to
mostly talk among themselves (an echo-chamber check), and draws itself.

:func:`tag_roles` is a small widget that steps through your strongest
untagged contacts and saves the role you give each one (customer, fan,
partner ...) in your workspace, where every later lesson finds it.

Introduced in lesson 03 (lessons/03-map-your-tribe.ipynb).
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from thinksmall_kit.network import KINDS, ROLES, DataError, Network, _as_utc

__all__ = [
    "DEFAULT_CADENCE",
    "DEFAULT_KIND_WEIGHTS",
    "DEFAULT_WEIGHTS",
    "INTIMATE_KINDS",
    "LAYERS",
    "Concentration",
    "RoleTagger",
    "Tribe",
    "tag_roles",
    "tribe",
]

#: Dunbar's layers: about 5, 15, 50, 150, 500 and 1,500 people, each about three
#: times the last (Dunbar 2016; Tamarit et al. 2018). Cumulative: the 15 include the 5.
LAYERS: tuple[int, ...] = (5, 15, 50, 150, 500, 1500)

#: How much each part counts in the tie strength (normalised to sum to 1).
#: A teaching choice, not a fitted model: see :func:`tribe`.
DEFAULT_WEIGHTS: dict[str, float] = {
    "recency": 0.30,
    "frequency": 0.25,
    "reciprocity": 0.15,
    "duration": 0.10,
    "intimacy": 0.20,
}

#: How much one interaction of each kind counts toward frequency and intimacy.
#: A like is one click (Burke & Kraut 2016): it counts a quarter; a share half.
DEFAULT_KIND_WEIGHTS: dict[str, float] = {kind: 1.0 for kind in KINDS} | {
    "like": 0.25, "share": 0.5}

#: The private, composed channels that make up intimacy.
INTIMATE_KINDS: tuple[str, ...] = ("dm", "email", "call", "meeting")

#: Ideal and maximum days between contacts, per layer: green up to the ideal,
#: yellow up to the maximum, red beyond it.
DEFAULT_CADENCE: dict[int, tuple[float, float]] = {
    5: (7, 14),
    15: (14, 30),
    50: (30, 60),
    150: (90, 180),
    500: (180, 365),
    1500: (365, 730),
}

_STATUS_ORDER = ("red", "yellow", "green", "none")
_CLUSTER_WORDS = ((0.25, "a large part"), (0.10, "a noticeable part"), (0.0, "a small part"))
_DAY_NS = 86_400 * 10**9


# --------------------------------------------------------------------------- checks


def _suggest(word: Any, choices: Any) -> str:
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _positive(name: str, value: Any, allow_zero: bool = False) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{name}: expected a number, got {type(value).__name__} {value!r}") \
            from None
    if not np.isfinite(number) or number < 0 or (number == 0 and not allow_zero):
        need = ">= 0" if allow_zero else "> 0"
        raise DataError(f"{name}: got {value!r}; expected a finite number {need}")
    return number


def _weights(weights: Mapping[str, float] | None) -> dict[str, float]:
    merged = dict(DEFAULT_WEIGHTS)
    for key, value in _mapping("weights", weights, "{'recency': 0.5}").items():
        if key not in DEFAULT_WEIGHTS:
            raise DataError(f"weights: {key!r} is not a part of tie strength"
                            f"{_suggest(key, DEFAULT_WEIGHTS)}\n"
                            f"  expected keys among {', '.join(DEFAULT_WEIGHTS)}")
        merged[key] = _positive(f"weights[{key!r}]", value, allow_zero=True)
    total = sum(merged.values())
    if total == 0:
        raise DataError("weights: all five are 0; expected at least one part to count\n"
                        "  fix: e.g. weights={'recency': 1}")
    return {k: v / total for k, v in merged.items()}


def _mapping(name: str, value: Any, example: str) -> Mapping[Any, Any]:
    """``value`` if it is a dict (or None, as an empty one); else a TypeError showing the form."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise TypeError(f"{name}: expected a dict such as {example}, "
                        f"got {type(value).__name__}")
    return value


def _kind_weights(kind_weights: Mapping[str, float] | None) -> dict[str, float]:
    merged = dict(DEFAULT_KIND_WEIGHTS)
    for key, value in _mapping("kind_weights", kind_weights, "{'like': 0.5}").items():
        if key not in KINDS:
            raise DataError(f"kind_weights: {key!r} is not a kind of interaction"
                            f"{_suggest(key, KINDS)}\n  expected one of {', '.join(KINDS)}")
        merged[key] = _positive(f"kind_weights[{key!r}]", value, allow_zero=True)
    return merged


def _pair(name: str, value: Any) -> tuple[float, float]:
    if (not isinstance(value, tuple | list) or len(value) != 2):
        raise TypeError(f"{name}: expected (ideal_days, max_days), e.g. (30, 60); got {value!r}")
    ideal = _positive(f"{name} ideal days", value[0])
    most = _positive(f"{name} max days", value[1])
    if most < ideal:
        raise DataError(f"{name}: the maximum ({most:g} days) is shorter than the ideal "
                        f"({ideal:g} days); expected ideal <= max, e.g. (30, 60)")
    return ideal, most


def _cadence_by_layer(cadence: Mapping[int, Any] | None) -> dict[int, tuple[float, float]]:
    merged = dict(DEFAULT_CADENCE)
    for key, value in _mapping("cadence", cadence,
                               "{5: (7, 14)} (layer: (ideal_days, max_days))").items():
        if key not in LAYERS:
            raise DataError(f"cadence: {key!r} is not a layer; expected keys among "
                            f"{', '.join(map(str, LAYERS))} (for a role use role_cadence=, "
                            f"for one person contact_cadence=)")
        merged[key] = _pair(f"cadence[{key}]", value)
    return merged


def _cadence_by_role(role_cadence: Mapping[str, Any] | None) -> dict[str, tuple[float, float]]:
    out = {}
    for key, value in _mapping("role_cadence", role_cadence,
                               "{'customer': (30, 60)} (role: (ideal_days, max_days))").items():
        if key not in ROLES:
            raise DataError(f"role_cadence: {key!r} is not a role{_suggest(key, ROLES)}\n"
                            f"  expected one of {', '.join(ROLES)}")
        out[key] = _pair(f"role_cadence[{key!r}]", value)
    return out


def _cadence_by_contact(contact_cadence: Any, ids: pd.Series) -> pd.DataFrame:
    if contact_cadence is None:
        return pd.DataFrame({"ideal_days": [], "max_days": []}, index=pd.Index([], dtype=str))
    if isinstance(contact_cadence, pd.DataFrame):
        missing = {"contact_id", "ideal_days", "max_days"} - set(contact_cadence.columns)
        if missing:
            raise DataError(f"contact_cadence: the table lacks column(s) {sorted(missing)}; "
                            "expected contact_id, ideal_days, max_days")
        items = dict(zip(contact_cadence["contact_id"],
                         zip(contact_cadence["ideal_days"], contact_cadence["max_days"],
                             strict=True), strict=True))
    elif isinstance(contact_cadence, Mapping):
        items = dict(contact_cadence)
    else:
        raise TypeError("contact_cadence: expected a dict {contact_id: (ideal_days, max_days)} "
                        f"or a DataFrame, got {type(contact_cadence).__name__}")
    known = set(ids)
    unknown = [k for k in items if k not in known]
    if unknown:
        raise DataError(f"contact_cadence: {unknown[:5]} not among the contacts"
                        f"{_suggest(unknown[0], known)}\n"
                        "  expected contact_ids of net.contacts")
    pairs = {k: _pair(f"contact_cadence[{k!r}]", v) for k, v in items.items()}
    return pd.DataFrame(list(pairs.values()), index=pd.Index(list(pairs), dtype=str),
                        columns=["ideal_days", "max_days"])


# --------------------------------------------------------------------------- results


@dataclasses.dataclass(frozen=True)
class Concentration:
    """How concentrated your interactions are, and whether your people form one cluster.

    Attributes
    ----------
    partners : int
        Contacts you had at least one interaction with.
    hhi : float
        Herfindahl-Hirschman index: the sum of squared shares of your
        interactions per partner (1 = all with one person; 1/partners = even).
    hhi_normalised : float
        ``(hhi - 1/N) / (1 - 1/N)``: 0 = perfectly even, 1 = one person.
    effective_partners : float
        ``1 / hhi``: as many equally busy partners as this is worth.
    role_entropy : float
        Shannon entropy, in bits, of your interactions by role (tagged roles
        only; ``unknown`` left out). 0 = one role only.
    role_entropy_normalised : float
        ``role_entropy / log2(9)``: 1 = spread evenly over all nine roles.
    untagged_share : float
        Share of your interactions with contacts whose role is ``unknown``.
    cluster_size : int
        Contacts in the largest cluster (see :func:`tribe` for how it is found).
    cluster_share : float
        Share of your interactions that are with members of that cluster.
    cluster_roles : dict
        How many members of the cluster have each role.
    cluster_members : tuple of str
        Their contact ids, strongest first.
    method : str
        How the cluster was found, in words.
    reading : str
        All of it in plain language.
    """

    partners: int
    hhi: float
    hhi_normalised: float
    effective_partners: float
    role_entropy: float
    role_entropy_normalised: float
    untagged_share: float
    cluster_size: int
    cluster_share: float
    cluster_roles: dict[str, int]
    cluster_members: tuple[str, ...]
    method: str
    reading: str

    @property
    def table(self) -> pd.DataFrame:
        """The numbers, one per row, each with what it counts and what a share is a share of."""
        most = np.log2(len(ROLES) - 1)
        rows = [
            ("partners", self.partners, "people you interacted with at least once"),
            ("hhi", self.hhi, "each person's share of all your interactions, squared and "
                              "added up (1 = all of it with one person)"),
            ("hhi_normalised", self.hhi_normalised,
             "the HHI rescaled: 0 = spread evenly over your partners, 1 = one person"),
            ("effective_partners", self.effective_partners,
             "1 / HHI: how many equally busy partners your pattern is worth"),
            ("role_entropy", self.role_entropy,
             f"bits, over interactions with tagged contacts only (0 = one role, "
             f"{most:.2f} = all {len(ROLES) - 1} roles equally)"),
            ("role_entropy_normalised", self.role_entropy_normalised,
             f"role entropy / {most:.2f} (0 to 1)"),
            ("untagged_share", self.untagged_share,
             "share of all your interactions that are with untagged contacts"),
            ("cluster_size", self.cluster_size, "contacts in the largest cluster"),
            ("cluster_share", self.cluster_share,
             "share of all your interactions that are with that cluster"),
        ]
        return pd.DataFrame(
            {"value": [float(v) for _, v, _ in rows], "what it is": [m for _, _, m in rows]},
            index=pd.Index([n for n, _, _ in rows], name="measure"))

    def __str__(self) -> str:
        return self.reading


@dataclasses.dataclass(frozen=True)
class Tribe:
    """Tie strength, layers and keep-in-touch status of every contact (see :func:`tribe`).

    Attributes
    ----------
    table : pandas.DataFrame
        One row per contact, indexed by ``contact_id``, strongest first.
    layers : pandas.DataFrame
        One row per Dunbar layer: its size, how many of each role, cadence counts.
    concentration : Concentration
        HHI, effective partners, role diversity and the echo-chamber check.
    edges : pandas.DataFrame
        Pairs of contacts who meet in the same threads (``a``, ``b``,
        ``shared_threads``), the graph behind the cluster and the network figure.
    as_of : pandas.Timestamp or None
        The moment "days since" is counted to.
    params : dict
        Every parameter used, after defaults were filled in.

    Introduced in lesson 03 (lessons/03-map-your-tribe.ipynb).
    """

    table: pd.DataFrame
    layers: pd.DataFrame
    as_of: pd.Timestamp | None
    params: dict[str, Any]
    # The thread graph is worked out on first use of .edges or .concentration:
    # most callers (review, habits, give-first) never need it (issue 11).
    _cluster: Callable[[], tuple[pd.DataFrame, Concentration]] = dataclasses.field(
        repr=False, compare=False)

    @functools.cached_property
    def _edges_and_concentration(self) -> tuple[pd.DataFrame, Concentration]:
        return self._cluster()

    @property
    def edges(self) -> pd.DataFrame:
        """Pairs of contacts who meet in the same threads (see the class docstring)."""
        return self._edges_and_concentration[0]

    @property
    def concentration(self) -> Concentration:
        """HHI, effective partners, role diversity and the echo-chamber check."""
        return self._edges_and_concentration[1]

    def __repr__(self) -> str:
        t = self.table
        active = int(t["layer"].notna().sum())
        status = t["status"].value_counts()
        when = f" as of {self.as_of:%Y-%m-%d}" if self.as_of is not None else ""
        return (f"Tribe{when}: {active:,} of {len(t):,} contacts in the layers; "
                f"{status.get('green', 0):,} green, {status.get('yellow', 0):,} yellow, "
                f"{status.get('red', 0):,} red")

    def losing_touch(self, n: int = 10) -> pd.DataFrame:
        """The ``n`` ties most overdue: red before yellow, strongest first within each.

        A tie is overdue when more days have passed since the last interaction
        than its ideal cadence allows (status yellow) or even its maximum (red).

        Parameters
        ----------
        n : int, default 10
            How many to list.

        Returns
        -------
        pandas.DataFrame
            Indexed by ``contact_id``: display_name, role, layer, strength,
            last_contact, days_since, ideal_days, max_days, days_overdue
            (``days_since - ideal_days``), status.

        Examples
        --------
        >>> from thinksmall_kit import load_persona, tribe
        >>> late = tribe(load_persona("ceramics")).losing_touch(3)
        >>> late["status"].tolist()
        ['red', 'red', 'red']
        >>> bool(late["strength"].is_monotonic_decreasing)
        True

        Introduced in lesson 03 (lessons/03-map-your-tribe.ipynb).
        """
        if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 0:
            raise TypeError(f"losing_touch: n must be a whole number >= 0, got {n!r}")
        t = self.table
        late = t[t["status"].isin(["red", "yellow"])].copy()
        late["days_overdue"] = late["days_since"] - late["ideal_days"]
        late["_order"] = (late["status"] == "yellow").astype(int)
        late = late.sort_values(["_order", "rank"], kind="stable").head(int(n))
        return late[["display_name", "role", "layer", "strength", "last_contact",
                     "days_since", "ideal_days", "max_days", "days_overdue", "status"]]

    def figure(self, kind: str = "rings", **kwargs: Any) -> Any:
        """Draw the tribe.

        Parameters
        ----------
        kind : {"rings", "roles", "network"}
            ``"rings"``: every contact in a layer on concentric rings (innermost
            = the five strongest), coloured by role. ``"roles"``: the share of
            each role in each layer (``.layers`` has the counts). ``"network"``:
            the strongest contacts, nearer the centre the stronger, in directions
            set by who meets whom in threads (networkx spring layout, fixed
            seed); everyone else on an outer ring.
        **kwargs
            For ``"network"``: ``max_nodes`` (default 300) laid out,
            ``max_edges`` (default 800) drawn, ``iterations`` (default 50),
            ``max_rest`` (default 5000) others drawn on the outer ring.

        Returns
        -------
        plotly.graph_objects.Figure

        Introduced in lesson 03 (lessons/03-map-your-tribe.ipynb).
        """
        draw = {"rings": _rings_figure, "roles": _roles_figure, "network": _network_figure}
        if kind not in draw:
            raise ValueError(f"figure: kind {kind!r} is not known{_suggest(kind, draw)}; "
                             f"expected one of {', '.join(draw)}")
        return draw[kind](self, **kwargs)


# --------------------------------------------------------------------------- the analysis


def _largest_cluster(i: pd.DataFrame, codes: np.ndarray, in_layer: np.ndarray,
                     include_own_threads: bool, min_shared: int, max_thread_size: int,
                     ids: np.ndarray) -> tuple[pd.DataFrame, set[int]]:
    """Edges between contacts who share threads, and the largest connected component."""
    import networkx as nx

    has = (codes >= 0) & i["thread_id"].notna().to_numpy()
    if not include_own_threads:
        own = (i["kind"] == "post").to_numpy() & (i["direction"] == "out").to_numpy()
        mine = i.loc[own, "thread_id"].dropna().unique()
        has &= ~i["thread_id"].isin(mine).to_numpy()
    has &= in_layer[np.where(codes >= 0, codes, 0)]
    empty = pd.DataFrame({"a": pd.Series([], dtype=str), "b": pd.Series([], dtype=str),
                          "shared_threads": pd.Series([], dtype="int64")})
    if not has.any():
        return empty, set()
    thread = pd.factorize(i.loc[has, "thread_id"])[0]
    part = pd.DataFrame({"t": thread, "c": codes[has]}).drop_duplicates()
    # Cap each thread at its first participants: pairs grow with the square of
    # a thread's size, so the cap keeps the cost linear in the interactions.
    part = part[part.groupby("t", sort=False).cumcount() < max_thread_size]
    pairs = part.merge(part, on="t")
    pairs = pairs[pairs["c_x"] < pairs["c_y"]]
    n = len(ids)
    key = pairs["c_x"].to_numpy(np.int64) * n + pairs["c_y"].to_numpy(np.int64)
    keys, counts = np.unique(key, return_counts=True)
    keep = counts >= min_shared
    keys, counts = keys[keep], counts[keep]
    a, b = keys // n, keys % n
    edges = pd.DataFrame({"a": ids[a], "b": ids[b], "shared_threads": counts.astype("int64")})
    edges = edges.sort_values(["shared_threads", "a", "b"], ascending=[False, True, True],
                              kind="stable", ignore_index=True)
    if not len(edges):
        return empty, set()
    graph = nx.Graph()
    graph.add_edges_from(zip(a.tolist(), b.tolist(), strict=True))
    largest = max(nx.connected_components(graph), key=lambda c: (len(c), -min(c)))
    return edges, set(largest)


def _concentration(t: pd.DataFrame, members: set[int], method: str) -> Concentration:
    counts = (t["n_in"] + t["n_out"]).to_numpy(float)
    total = counts.sum()
    partners = int((counts > 0).sum())
    if total == 0:
        return Concentration(0, np.nan, np.nan, np.nan, np.nan, np.nan, np.nan, 0, 0.0, {},
                             (), method, "No interactions with contacts yet, so there is "
                             "nothing to measure: log a conversation or import an export.")
    p = counts[counts > 0] / total
    hhi = float((p**2).sum())
    norm = 1.0 if partners == 1 else (hhi - 1 / partners) / (1 - 1 / partners)
    roles = t["role"].astype(str).to_numpy()
    by_role = pd.Series(counts).groupby(roles).sum()
    untagged = float(by_role.get("unknown", 0.0) / total)
    known = by_role.drop("unknown", errors="ignore")
    known = known[known > 0]
    if known.sum() > 0:
        q = known.to_numpy() / known.sum()
        entropy = float(-(q * np.log2(q)).sum()) + 0.0
        entropy_norm = entropy / np.log2(len(ROLES) - 1)
    else:
        entropy = entropy_norm = np.nan
    member_rows = np.zeros(len(t), dtype=bool)
    if members:
        member_rows[list(members)] = True
    order = t["rank"].to_numpy()
    cluster_ids = tuple(t.index[member_rows][np.argsort(order[member_rows], kind="stable")])
    share = float(counts[member_rows].sum() / total)
    cluster_roles = {str(k): int(v) for k, v in
                     t.loc[member_rows, "role"].astype(str).value_counts().items()}

    spread = ("spread thinly" if norm < 0.05 else "fairly spread" if norm < 0.2
              else "concentrated on a few people")
    lines = [f"You interacted with {partners:,} people; your attention is {spread}: "
             f"it is worth about {1 / hhi:,.0f} equally busy partners "
             f"(normalised HHI {norm:.2f}, where 0 is even and 1 is one person)."]
    if np.isnan(entropy):
        lines.append("Roles: none tagged yet, so role diversity cannot be read; "
                     "tag your strongest contacts with tag_roles().")
    else:
        top = known.sort_values(ascending=False)
        lead = ", ".join(f"{r} {v / known.sum():.0%}" for r, v in top.head(3).items())
        lines.append(f"Roles: {entropy:.2f} bits of a possible {np.log2(len(ROLES) - 1):.2f} "
                     f"({lead} of interactions with tagged contacts"
                     + (f"; {untagged:.0%} with untagged contacts)." if untagged else ")."))
    if members:
        word = next(w for cut, w in _CLUSTER_WORDS if share >= cut)
        mix = ", ".join(f"{v} {r}" for r, v in cluster_roles.items())
        lines.append(f"Echo-chamber check: {len(members)} contacts who meet each other in "
                     f"threads you did not start form one cluster ({mix}); they take "
                     f"{share:.0%} of your interactions, {word}."
                     + (" If they are mostly peers, you are talking to people who do what "
                        "you do, not to the people you serve." if word != "a small part"
                        and cluster_roles and max(cluster_roles, key=cluster_roles.get)
                        == "peer" else ""))
    else:
        lines.append("Echo-chamber check: none of your contacts meet each other in threads "
                     "you did not start, so no closed circle shows in this data.")
    return Concentration(partners, hhi, float(norm), 1 / hhi, entropy, float(entropy_norm),
                         untagged, len(members), share, cluster_roles, cluster_ids, method,
                         "\n".join(lines))


def _ns(stamps: pd.Series) -> np.ndarray:
    """UTC timestamps as int64 nanoseconds since 1970 (NaT as the smallest int64)."""
    return np.asarray(stamps.array.as_unit("ns").asi8, dtype=np.int64)


def tribe(net: Network, *, as_of: Any = None, tau_days: float = 90.0,
          weights: Mapping[str, float] | None = None,
          cadence: Mapping[int, Any] | None = None,
          role_cadence: Mapping[str, Any] | None = None,
          contact_cadence: Any = None,
          kind_weights: Mapping[str, float] | None = None,
          frequency_scale: float = 20.0, duration_days: float = 365.0,
          include_own_threads: bool = False, min_shared_threads: int = 2,
          max_thread_size: int = 25) -> Tribe:
    """Map your tribe: tie strength, Dunbar layer and keep-in-touch status of every contact.

    Tie strength follows Granovetter (1973), who described a tie's strength as
    a mix of time, emotional intensity, intimacy and reciprocal services, and
    Gilbert & Karahalios (CHI 2009), who predicted tie strength from social
    media data and found days since last contact (down) and days since first
    contact (up) the strongest single signals. The five parts and their weights
    below are a **teaching choice**, not the paper's fitted model: they are
    simple enough to check by hand and every one can be changed.

    Each part is between 0 and 1, for each contact, counting interactions up to
    ``as_of``:

    - ``recency = exp(-days_since / tau_days)``: 1 today, 0.37 after ``tau_days``.
    - ``frequency = 1 - exp(-f / frequency_scale)``, f = interactions weighted
      by kind (``kind_weights``: a like counts 0.25, a share 0.5, the rest 1).
    - ``reciprocity = min(n_in, n_out) / max(n_in, n_out)``: 1 when as much comes
      back as goes out, 0 when it is one-way.
    - ``duration = 1 - exp(-days_known / duration_days)``; days known counts from
      the earlier of ``first_seen`` and the first interaction.
    - ``intimacy``: share of the weighted interactions that are private and
      composed (DMs, e-mails, calls, meetings). Likes weigh little, so they
      dilute it little: one-click feedback is not closeness (Burke & Kraut 2016).

    ``strength`` is their weighted mean (``weights``, normalised to sum to 1).
    Ranks break ties by the more recent last contact, then by ``contact_id``.
    Layers are cut on the rank: the 5 strongest are layer 5, the next 10 layer 15,
    and so on to 1,500 (Dunbar's 5 / 15 / 50 / 150 / 500 / 1,500). A contact with
    no interactions is in no layer (``<NA>``), and so is anyone past 1,500.

    Broadcasts (interactions without a ``contact_id``) are nobody's tie and count
    for no one; lesson 04 looks at them. Any interaction, in either direction and
    of any kind, resets the keep-in-touch clock.

    Parameters
    ----------
    net : Network
        The network.
    as_of : date or Timestamp, optional
        The moment to measure from; interactions after it are ignored. Default:
        the time of the last interaction in ``net`` (not "now"), so a persona
        gives the same answer every day. Pass ``pd.Timestamp.now(tz="UTC")``
        for your own live data.
    tau_days : float, default 90
        Recency's time scale in days.
    weights : dict, optional
        Weights of the parts, merged into :data:`DEFAULT_WEIGHTS` (recency 0.30,
        frequency 0.25, reciprocity 0.15, duration 0.10, intimacy 0.20).
    cadence : dict, optional
        ``{layer: (ideal_days, max_days)}`` merged into :data:`DEFAULT_CADENCE`
        (5: 7/14, 15: 14/30, 50: 30/60, 150: 90/180, 500: 180/365, 1500: 365/730).
    role_cadence : dict, optional
        ``{role: (ideal_days, max_days)}``: overrides the layer's cadence for
        every contact with that role (who has interactions).
    contact_cadence : dict or DataFrame, optional
        ``{contact_id: (ideal_days, max_days)}`` (or a table with columns
        contact_id, ideal_days, max_days): overrides role and layer. The most
        specific wins: contact, then role, then layer.
    kind_weights : dict, optional
        Weight of one interaction of a kind, merged into :data:`DEFAULT_KIND_WEIGHTS`.
    frequency_scale : float, default 20
        Weighted interactions at which frequency reaches 0.63.
    duration_days : float, default 365
        Days known at which duration reaches 0.63.
    include_own_threads : bool, default False
        For the echo-chamber check: also link people who meet under your own
        posts. Off by default, because commenters on your posts are your
        audience, not a circle of their own: they would all merge into one blob.
    min_shared_threads : int, default 2
        Two contacts are linked when they appear in at least this many of the
        same threads.
    max_thread_size : int, default 25
        Only the first this many participants of a thread are paired (keeps the
        cost linear for huge threads).

    Returns
    -------
    Tribe
        ``.table`` indexed by ``contact_id``, strongest first, with display_name,
        role, n_in, n_out, first_contact, last_contact, days_since, recency,
        frequency, reciprocity, duration, intimacy, strength, rank, layer,
        ideal_days, max_days, due, status; ``.layers``; ``.concentration``;
        ``.losing_touch(n)``; ``.figure(kind)``.

    Notes
    -----
    The echo-chamber check links two contacts in your layers when they appear in
    at least ``min_shared_threads`` of the same threads, leaving out threads
    you started with a post of your own; the cluster is the **largest connected
    component** of that graph (networkx), and its share is the share of all your
    interactions with contacts that are with its members. Connected components
    are used rather than community detection because they need no tuning and
    give the same answer every run.

    Examples
    --------
    >>> from thinksmall_kit import load_persona, tribe
    >>> tr = tribe(load_persona("ceramics"))
    >>> tr
    Tribe as of 2025-11-30: 873 of 1,000 contacts in the layers; 851 green, 14 yellow, 8 red
    >>> tr.layers["size"].tolist()
    [5, 10, 35, 100, 350, 373]
    >>> tr.concentration.cluster_roles
    {'peer': 24}

    Introduced in lesson 03 (lessons/03-map-your-tribe.ipynb).
    """
    if not isinstance(net, Network):
        raise TypeError(f"tribe: expected a Network, got {type(net).__name__}.\n"
                        "  fix: net = tsk.load_persona('ceramics') or "
                        "net = tsk.open_workspace().load_network()")
    w = _weights(weights)
    kw = _kind_weights(kind_weights)
    tau = _positive("tau_days", tau_days)
    f_scale = _positive("frequency_scale", frequency_scale)
    d_scale = _positive("duration_days", duration_days)
    by_layer = _cadence_by_layer(cadence)
    by_role = _cadence_by_role(role_cadence)
    if not isinstance(include_own_threads, bool | np.bool_):
        raise TypeError(f"include_own_threads: expected True or False, got "
                        f"{type(include_own_threads).__name__} {include_own_threads!r}")
    for name, value in (("min_shared_threads", min_shared_threads),
                        ("max_thread_size", max_thread_size)):
        if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
            raise TypeError(f"{name}: expected a whole number >= 1, got {value!r}")

    contacts = net.contacts
    ids = contacts["contact_id"].to_numpy(dtype=object)
    n = len(ids)
    by_contact = _cadence_by_contact(contact_cadence, contacts["contact_id"])

    events = net.interactions
    if as_of is None:
        when = events["timestamp"].max() if len(events) else None
        when = None if when is None or pd.isna(when) else when
    else:
        when = _as_utc(as_of, "tribe(as_of=...)")
    if when is not None:
        events = events[events["timestamp"] <= when]

    # Per contact counts, all by integer codes and bincount: no loop over rows.
    codes = pd.Categorical(events["contact_id"], categories=contacts["contact_id"]).codes
    codes = codes.astype(np.int64)
    mine = codes >= 0
    c = codes[mine]
    direction = events["direction"].to_numpy(dtype=object)[mine]
    kind = events["kind"].astype(str).to_numpy(dtype=object)[mine]
    weight = pd.Series(kind).map(kw).to_numpy(float)
    intimate = np.isin(kind, INTIMATE_KINDS)
    n_in = np.bincount(c[direction == "in"], minlength=n)
    n_out = np.bincount(c[direction == "out"], minlength=n)
    weighted = np.bincount(c, weights=weight, minlength=n)
    private = np.bincount(c, weights=weight * intimate, minlength=n)
    stamps = _ns(events["timestamp"])[mine]
    nat = np.iinfo(np.int64).min
    last = np.full(n, nat, dtype=np.int64)
    first = np.full(n, np.iinfo(np.int64).max, dtype=np.int64)
    np.maximum.at(last, c, stamps)
    np.minimum.at(first, c, stamps)
    active = (n_in + n_out) > 0
    first = np.where(active, first, nat)

    def as_time(ns: np.ndarray) -> pd.Series:
        values = np.where(ns == nat, np.datetime64("NaT"), ns.astype("datetime64[ns]"))
        return pd.Series(pd.to_datetime(values).tz_localize("UTC"), index=ids)

    first_contact, last_contact = as_time(first), as_time(last)
    seen = _ns(contacts["first_seen"])
    seen = np.where(seen == nat, first, np.minimum(seen, first))
    now_ns = when.value if when is not None else 0
    with np.errstate(invalid="ignore"):
        days_since = np.where(active, (now_ns - last) / _DAY_NS, np.nan)
        days_known = np.where(active, np.maximum(now_ns - seen, 0) / _DAY_NS, np.nan)
        high = np.maximum(n_in, n_out)
        parts = {
            "recency": np.where(active, np.exp(-np.nan_to_num(days_since) / tau), 0.0),
            "frequency": 1 - np.exp(-weighted / f_scale),
            "reciprocity": np.where(high > 0, np.minimum(n_in, n_out) / np.maximum(high, 1),
                                    0.0),
            "duration": np.where(active, 1 - np.exp(-np.nan_to_num(days_known) / d_scale),
                                 0.0),
            "intimacy": np.where(weighted > 0, private / np.where(weighted > 0, weighted, 1),
                                 0.0),
        }
    strength = sum(w[k] * parts[k] for k in parts)
    strength = np.where(active, strength, 0.0)

    # Rank: strongest first, then the most recent last contact, then contact_id.
    id_order = np.argsort(np.argsort(ids.astype(str), kind="stable"), kind="stable")
    order = np.lexsort((id_order, -last.astype(np.float64), -np.round(strength, 12)))
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(1, n + 1)
    slot = np.searchsorted(np.asarray(LAYERS), rank, side="left")
    in_layer = active & (slot < len(LAYERS))
    layer = pd.array(np.where(in_layer, np.asarray((*LAYERS, 0))[slot], 0), dtype="Int64")
    layer[~in_layer] = pd.NA

    # Cadence: layer, then role, then contact (most specific wins).
    layer_ideal = {k: v[0] for k, v in by_layer.items()}
    layer_max = {k: v[1] for k, v in by_layer.items()}
    layer_s = pd.Series(layer, index=ids)
    ideal = layer_s.map(layer_ideal).astype(float).to_numpy().copy()
    most = layer_s.map(layer_max).astype(float).to_numpy().copy()
    role = contacts["role"].to_numpy()
    role_text = np.asarray(role, dtype=object).astype(str)
    for r, (i_days, m_days) in by_role.items():  # a handful of roles
        hit = (role_text == r) & active
        ideal[hit], most[hit] = i_days, m_days
    if len(by_contact):
        pos = pd.Index(ids).get_indexer(by_contact.index)
        ideal[pos] = by_contact["ideal_days"].to_numpy()
        most[pos] = by_contact["max_days"].to_numpy()
    known = active & ~np.isnan(ideal)
    status = np.select([~known, days_since <= ideal, days_since <= most],
                       ["none", "green", "yellow"], "red")
    due = last_contact + pd.to_timedelta(np.where(known, ideal, np.nan), unit="D")

    table = pd.DataFrame({
        "display_name": contacts["display_name"].to_numpy(),
        "role": contacts["role"].to_numpy(),
        "n_in": n_in.astype("int64"), "n_out": n_out.astype("int64"),
        "first_contact": first_contact.to_numpy(), "last_contact": last_contact.to_numpy(),
        "days_since": days_since,
        **parts,
        "strength": strength,
        "rank": rank,
        "layer": layer,
        "ideal_days": np.where(known, ideal, np.nan),
        "max_days": np.where(known, most, np.nan),
        "due": due.to_numpy(),
        "status": pd.Categorical(status, categories=list(_STATUS_ORDER)),
    }, index=pd.Index(ids, name="contact_id", dtype=str))
    table = table.iloc[order]

    method = ("largest connected component of the graph linking contacts in your layers "
              f"who share at least {min_shared_threads} threads"
              + ("" if include_own_threads else " (threads you started left out)"))

    def cluster() -> tuple[pd.DataFrame, Concentration]:
        edges, members = _largest_cluster(events, codes, in_layer, include_own_threads,
                                          int(min_shared_threads), int(max_thread_size), ids)
        # Members as positions in the ranked table.
        position = np.empty(n, dtype=np.int64)
        position[order] = np.arange(n)
        return edges, _concentration(table, {int(position[m]) for m in members}, method)

    params = {"as_of": when, "tau_days": tau, "weights": w, "kind_weights": kw,
              "frequency_scale": f_scale, "duration_days": d_scale, "cadence": by_layer,
              "role_cadence": by_role, "contact_cadence": by_contact,
              "include_own_threads": bool(include_own_threads),
              "min_shared_threads": int(min_shared_threads),
              "max_thread_size": int(max_thread_size)}
    return Tribe(table=table, layers=_layers(table, by_layer), as_of=when, params=params,
                 _cluster=cluster)


def _layers(table: pd.DataFrame, by_layer: dict[int, tuple[float, float]]) -> pd.DataFrame:
    inside = table[table["layer"].notna()]
    layer = inside["layer"].astype("int64")
    roles = pd.crosstab(layer, inside["role"].astype(str)).reindex(
        index=list(LAYERS), columns=list(ROLES), fill_value=0)
    status = pd.crosstab(layer, inside["status"].astype(str)).reindex(
        index=list(LAYERS), columns=["green", "yellow", "red"], fill_value=0)
    size = layer.value_counts().reindex(list(LAYERS), fill_value=0)
    out = pd.DataFrame({
        "layer": list(LAYERS),
        "size": size.to_numpy(),
        "cumulative": size.cumsum().to_numpy(),
        "mean_strength": inside.groupby(layer)["strength"].mean().reindex(
            list(LAYERS)).round(3).to_numpy(),
        "ideal_days": [by_layer[k][0] for k in LAYERS],
        "max_days": [by_layer[k][1] for k in LAYERS],
    })
    out = pd.concat([out, status.reset_index(drop=True), roles.reset_index(drop=True)],
                    axis=1)
    return out[out["size"] > 0].reset_index(drop=True)


# --------------------------------------------------------------------------- figures


def _hover(t: pd.DataFrame) -> list[str]:
    days = t["days_since"].round(0).astype("Int64").astype(str).replace("<NA>", "-")
    text = (t["display_name"].astype(str) + "<br>" + t["role"].astype(str)
            + " · strength " + t["strength"].map("{:.2f}".format)
            + "<br>last contact " + days + " days ago · " + t["status"].astype(str))
    return text.tolist()


def _rings_figure(tr: Tribe) -> Any:
    import plotly.graph_objects as go

    from thinksmall_kit._theme import ROLE_COLOURS, style

    t = tr.table[tr.table["layer"].notna()].copy()
    ring = pd.Series(np.searchsorted(np.asarray(LAYERS), t["layer"].astype("int64")) + 1,
                     index=t.index)
    role_pos = pd.Categorical(t["role"].astype(str), categories=list(ROLES)).codes
    t = t.assign(_ring=ring, _role=role_pos).sort_values(["_ring", "_role", "rank"])
    place = t.groupby("_ring").cumcount().to_numpy()
    count = t.groupby("_ring")["_ring"].transform("size").to_numpy()
    # Leave a gap on the right (0 degrees) for the layer labels.
    t["_theta"] = 12.0 + (place + 0.5) / count * 336.0
    size = np.asarray([16, 13, 10, 8, 6, 5])[t["_ring"].to_numpy() - 1]
    fig = go.Figure()
    for role in ROLES:  # one trace per role, for the legend
        rows = (t["role"].astype(str) == role).to_numpy()
        if not rows.any():
            continue
        part = t[rows]
        fig.add_trace(go.Scatterpolargl(
            r=part["_ring"].to_numpy(), theta=part["_theta"].round(2).to_numpy(),
            mode="markers", name=role, text=_hover(part), hoverinfo="text",
            marker={"color": ROLE_COLOURS[role], "size": size[rows],
                    "line": {"width": 0.5, "color": "white"}}))
    used = sorted(t["_ring"].unique()) if len(t) else [1]
    labels = [f"{LAYERS[k - 1]:,}" for k in used]
    # The ring labels (5, 15, 50 ...) say how many people fit inside each ring; the
    # title says so, since an axis title here would sit on top of those labels.
    style(fig, f"Your tribe in Dunbar's layers: {len(t):,} people, strongest in the middle "
               "(ring labels: people within)", height=620)
    fig.update_layout(polar={
        "radialaxis": {"range": [0, max(used) + 0.6], "tickvals": used, "ticktext": labels,
                       "angle": 0,
                       "tickangle": 0, "gridcolor": "#DDDDDD"},
        "angularaxis": {"showticklabels": False, "ticks": "", "showgrid": False},
    }, legend={"title": {"text": "role"}})
    return fig


def _roles_figure(tr: Tribe) -> Any:
    import plotly.graph_objects as go

    from thinksmall_kit._theme import ROLE_COLOURS, style

    layers = tr.layers
    x = [f"{v:,}" for v in layers["layer"]]
    fig = go.Figure()
    for role in ROLES:
        if role in layers and layers[role].sum() > 0:
            fig.add_trace(go.Bar(x=x, y=layers[role], name=role,
                                 marker_color=ROLE_COLOURS[role]))
    # Shares, so the small inner layers read as clearly as the big outer ones.
    fig.update_layout(barmode="stack", barnorm="percent", legend={"title": {"text": "role"}})
    fig.update_traces(hovertemplate="%{y:.0f}% of layer %{x}<extra>%{fullData.name}</extra>")
    return style(fig, "Who is in each layer, by role",
                 x="Dunbar layer (5 = your 5 strongest, 15 = the next 10, and so on)",
                 y="share of the layer (%)")


def _network_figure(tr: Tribe, max_nodes: int = 300, max_edges: int = 800,
                    iterations: int = 50, max_rest: int = 5000) -> Any:
    import networkx as nx
    import plotly.graph_objects as go

    from thinksmall_kit._theme import ROLE_COLOURS, style

    # spring_layout is exact (and needs no scipy) below 500 nodes; more would not be
    # readable anyway, so everyone past max_nodes sits on an outer ring.
    max_nodes = int(min(max(max_nodes, 1), 450))
    t = tr.table[(tr.table["n_in"] + tr.table["n_out"]) > 0]
    top, rest = t.iloc[:max_nodes], t.iloc[max_nodes:]
    others = len(rest)
    rest = rest.iloc[:max_rest]  # keeps the figure small for a huge export
    chosen = set(top.index)
    edges = tr.edges
    edges = edges[edges["a"].isin(chosen) & edges["b"].isin(chosen)].head(int(max_edges))
    # Direction from spring_layout on the links between contacts (clusters end up side
    # by side); the stronger the tie, the nearer the centre (scaled from the strongest
    # to the weakest shown).
    graph = nx.Graph()
    graph.add_nodes_from(top.index)
    graph.add_weighted_edges_from(zip(edges["a"], edges["b"],
                                      np.log1p(edges["shared_threads"].to_numpy()),
                                      strict=True))
    pos = nx.spring_layout(graph, seed=7, iterations=int(iterations), weight="weight")
    raw = pd.DataFrame(pos, index=["x", "y"]).T.reindex(top.index)
    raw = raw - raw.mean()
    angle = np.arctan2(raw["y"].to_numpy(), raw["x"].to_numpy())
    # Keep the layout's order around the circle but space the angles evenly: a cluster
    # stays together as one sector, wide enough for its lines to show between the dots.
    if len(angle):
        order = np.argsort(angle, kind="stable")
        angle = np.empty(len(order))
        angle[order] = np.arange(len(order)) * (2 * np.pi / len(order))
    strength = top["strength"].to_numpy()
    spread = max(float(strength.max() - strength.min()), 1e-9) if len(top) else 1.0
    dist = 0.1 + 0.9 * (strength.max() - strength) / spread if len(top) else strength
    xy = pd.DataFrame({"x": dist * np.cos(angle), "y": dist * np.sin(angle)}, index=top.index)
    radius = 1.0
    fig = go.Figure()
    if len(edges):
        a, b = xy.loc[edges["a"]].to_numpy(), xy.loc[edges["b"]].to_numpy()
        gap = np.full((len(edges), 1), np.nan)
        ex = np.hstack([a[:, :1], b[:, :1], gap]).ravel()
        ey = np.hstack([a[:, 1:], b[:, 1:], gap]).ravel()
        fig.add_trace(go.Scattergl(x=ex.round(4), y=ey.round(4), mode="lines",
                                   name=f"meet in threads ({len(edges):,} strongest links)",
                                   line={"color": "rgba(60,60,60,0.6)", "width": 1.2},
                                   hoverinfo="skip"))
    if len(rest):
        around = np.linspace(0, 2 * np.pi, len(rest), endpoint=False)
        fig.add_trace(go.Scattergl(
            x=np.round(1.1 * radius * np.cos(around), 3),
            y=np.round(1.1 * radius * np.sin(around), 3), mode="markers",
            name=(f"everyone else ({others:,})" if others == len(rest)
                  else f"the next {len(rest):,} of {others:,} others"),
            text=rest["display_name"].astype(str).tolist(), hoverinfo="text",
            marker={"color": "#C8C8C8", "size": 3}))
    for role in ROLES:
        rows = (top["role"].astype(str) == role).to_numpy()
        if not rows.any():
            continue
        part = top[rows]
        fig.add_trace(go.Scattergl(
            x=xy.loc[part.index, "x"].round(4).to_numpy(),
            y=xy.loc[part.index, "y"].round(4).to_numpy(), mode="markers", name=role,
            text=_hover(part), hoverinfo="text",
            # a little see-through, so the lines between people show under the dots
            marker={"color": ROLE_COLOURS[role], "size": 5 + 16 * part["strength"].to_numpy(),
                    "opacity": 0.8, "line": {"width": 0.5, "color": "white"}}))
    fig.add_trace(go.Scattergl(x=[0], y=[0], mode="markers+text", name="you", text=["you"],
                               textposition="top center", hoverinfo="skip",
                               marker={"color": "#000000", "size": 12, "symbol": "star"}))
    style(fig, f"Your {len(top):,} strongest ties: the nearer you, the stronger; "
               f"lines join people who meet in threads", height=640)
    hidden = {"showticklabels": False, "showgrid": False, "zeroline": False,
              "title": {"text": ""}}
    fig.update_xaxes(**hidden)
    fig.update_yaxes(scaleanchor="x", **hidden)
    fig.update_layout(legend={"title": {"text": "role"}})
    return fig


# --------------------------------------------------------------------------- the widget


class RoleTagger:
    """The role-tagging widget made by :func:`tag_roles` (display it in a notebook).

    Attributes
    ----------
    widget : ipywidgets.VBox
        What is shown.
    buttons : dict of str to ipywidgets.Button
        One button per role; clicking saves the tag and moves on.
    skip : ipywidgets.Button
        Moves on without tagging.
    queue : list of str
        The contact ids still to see, the current one first.
    tagged : dict of str to str
        What was tagged during this session.

    Introduced in lesson 03 (lessons/03-map-your-tribe.ipynb).
    """

    def __init__(self, table: pd.DataFrame, ws: Any, queue: list[str],
                 roles: tuple[str, ...]) -> None:
        import ipywidgets as widgets

        self._table = table
        self._ws = ws
        self.queue = list(queue)
        self.tagged: dict[str, str] = {}
        self._total = len(queue)
        self.card = widgets.HTML()
        self.progress = widgets.HTML()
        self.buttons = {r: widgets.Button(description=r, tooltip=f"tag as {r}",
                                          layout=widgets.Layout(width="auto"))
                        for r in roles}
        self.skip = widgets.Button(description="skip", button_style="",
                                   tooltip="leave untagged for now",
                                   layout=widgets.Layout(width="auto"))
        for role, button in self.buttons.items():
            button.on_click(lambda _b, role=role: self._tag(role))
        self.skip.on_click(lambda _b: self._next())
        row = widgets.HBox([*self.buttons.values(), self.skip],
                           layout=widgets.Layout(flex_flow="row wrap"))
        self.widget = widgets.VBox([self.progress, self.card, row])
        self._show()

    @property
    def current(self) -> str | None:
        """The contact on screen, or None when done."""
        return self.queue[0] if self.queue else None

    def _tag(self, role: str) -> None:
        cid = self.current
        if cid is None:
            return
        self._ws.tag_role(cid, role)  # saved at once, in its own transaction
        self.tagged[cid] = role
        self._next()

    def _next(self) -> None:
        if self.queue:
            self.queue.pop(0)
        self._show()

    def _show(self) -> None:
        import html

        done = self._total - len(self.queue)
        self.progress.value = (f"<b>{done} of {self._total}</b> seen · "
                               f"{len(self.tagged)} tagged this session")
        cid = self.current
        for button in (*self.buttons.values(), self.skip):
            button.disabled = cid is None
        if cid is None:
            self.card.value = ("<p>All done. Your tags are saved in your workspace; "
                               "reload with <code>net = ws.load_network()</code>.</p>")
            return
        row = self._table.loc[cid]
        last = row["last_contact"]
        when = "never" if pd.isna(last) else f"{last:%Y-%m-%d} ({row['days_since']:.0f} days ago)"
        self.card.value = (
            f"<h4 style='margin:4px 0'>{html.escape(str(row['display_name']))}</h4>"
            f"<p style='margin:2px 0'>role now: <b>{html.escape(str(row['role']))}</b> · "
            f"strength {row['strength']:.2f} (rank {row['rank']}) · "
            f"{row['n_in']} in / {row['n_out']} out · last contact {when}</p>"
            "<p style='margin:2px 0'>What is this person to you?</p>")

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    def __repr__(self) -> str:
        return (f"<RoleTagger: {len(self.queue)} of {self._total} left, "
                f"{len(self.tagged)} tagged>")


def tag_roles(net_or_tribe: Network | Tribe, ws: Any, *, limit: int = 30,
              only_unknown: bool = False) -> RoleTagger:
    """Step through your strongest untagged contacts and tag each one's role.

    Shows one contact at a time (name, role so far, strength, last contact)
    with a button per role and a *skip* button. A click saves the tag in your
    workspace at once (:meth:`~thinksmall_kit.Workspace.tag_role`), so closing
    the notebook loses nothing; ``ws.load_network()`` then returns the network
    with your roles.

    Parameters
    ----------
    net_or_tribe : Network or Tribe
        Your network (its tribe is computed) or a tribe already computed.
    ws : Workspace
        Your workspace; it must hold the network these contacts come from.
    limit : int, default 30
        How many contacts to step through, strongest first.
    only_unknown : bool, default False
        Only contacts whose role is still ``unknown``; otherwise every contact
        you have not tagged yet (their role from the data is shown).

    Returns
    -------
    RoleTagger
        Displays as the widget; ``.buttons[role].click()`` and ``.skip.click()``
        drive it from code.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from thinksmall_kit import load_persona, open_workspace, tag_roles
    >>> net = load_persona("organiser")
    >>> ws = open_workspace(pathlib.Path(tempfile.mkdtemp()) / "ws.sqlite")  # doctest: +ELLIPSIS
    Workspace: ...
    >>> ws.save_network(net)
    >>> tagger = tag_roles(net, ws, limit=3)
    >>> first = tagger.current
    >>> tagger.buttons["partner"].click()
    >>> ws.role_tags().set_index("contact_id")["role"].to_dict() == {first: "partner"}
    True
    >>> ws.close()

    Introduced in lesson 03 (lessons/03-map-your-tribe.ipynb).
    """
    from thinksmall_kit.workspace import Workspace, WorkspaceError

    if not isinstance(ws, Workspace):
        raise TypeError(f"tag_roles: ws must be your Workspace (ws = tsk.open_workspace()), "
                        f"got {type(ws).__name__}")
    if isinstance(net_or_tribe, Network):
        result = tribe(net_or_tribe)
    elif isinstance(net_or_tribe, Tribe):
        result = net_or_tribe
    else:
        raise TypeError(f"tag_roles: expected a Network or a Tribe, got "
                        f"{type(net_or_tribe).__name__}")
    if isinstance(limit, bool) or not isinstance(limit, int | np.integer) or limit < 1:
        raise TypeError(f"tag_roles: limit must be a whole number >= 1, got {limit!r}")
    if not ws.has_network():
        raise WorkspaceError(
            f"tag_roles: the workspace at {ws.path} holds no network yet, so tags "
            "have nobody to belong to.\n  fix: ws.save_network(net) first")
    saved = set(ws.load_network(apply_tags=False).contacts["contact_id"])
    table = result.table
    missing = ~table.index.isin(list(saved))
    if missing.any():
        raise DataError(
            f"tag_roles: {int(missing.sum()):,} of these contacts are not in the network "
            f"saved in the workspace (e.g. {table.index[missing][0]!r}).\n"
            "  expected: the tribe of the network your workspace holds\n"
            "  fix: net = ws.load_network(), or ws.save_network(net) to save this one")
    tagged = set(ws.role_tags()["contact_id"])
    pick = (table["n_in"] + table["n_out"] > 0) & ~table.index.isin(list(tagged))
    if only_unknown:
        pick &= table["role"].astype(str) == "unknown"
    queue = table.index[pick][: int(limit)].tolist()  # the table is strongest first
    roles = tuple(r for r in ROLES if r != "unknown")
    return RoleTagger(table, ws, queue, roles)
