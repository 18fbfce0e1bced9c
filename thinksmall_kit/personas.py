"""Sample personas: invented networks to practise on before using your own data.

Each persona is one :class:`~thinksmall_kit.Network` made by the seeded script
``data/make_personas.py``; every name, handle and message in it is invented.

Introduced in lesson 00 (``lessons/00-welcome.ipynb``).
"""

from __future__ import annotations

import functools
import importlib.resources
import json
from pathlib import Path
from typing import Any

import pandas as pd

from thinksmall_kit.network import SCHEMA, Network

__all__ = ["list_personas", "load_persona", "persona_info"]

_LATER = "later"


def _root() -> Path:
    """The folder holding one sub-folder per persona.

    An installed wheel carries them as ``thinksmall_kit/_personas``; a checkout
    (or an editable install) has them in ``data/personas`` at the repository root.
    """
    packaged = importlib.resources.files("thinksmall_kit") / "_personas"
    if packaged.is_dir():
        return Path(str(packaged))
    checkout = Path(__file__).resolve().parent.parent / "data" / "personas"
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(
        "the sample personas are missing: expected them in thinksmall_kit/_personas "
        f"(installed) or {checkout} (checkout); reinstall the kit or run "
        "data/make_personas.py")


def list_personas() -> list[str]:
    """The names of the sample personas, sorted.

    Returns
    -------
    list of str
        Names to pass to :func:`load_persona`.

    Examples
    --------
    >>> from thinksmall_kit import list_personas
    >>> list_personas()
    ['ceramics', 'organiser']

    Introduced in lesson 00 (``lessons/00-welcome.ipynb``).
    """
    return sorted(p.name for p in _root().iterdir()
                  if p.is_dir() and (p / "persona.json").is_file())


def _check_name(name: Any) -> str:
    if isinstance(name, pd.DataFrame | pd.Series | Network):
        raise TypeError(
            f"load_persona takes a name such as 'ceramics', not a {type(name).__name__}; "
            "the persona is loaded for you (net = load_persona('ceramics')), and a "
            "network you already have needs no loading")
    if not isinstance(name, str):
        raise TypeError(f"load_persona takes a name such as 'ceramics', got "
                        f"{type(name).__name__} {name!r}")
    names = list_personas()
    if name not in names:
        raise ValueError(f"no persona named {name!r}; choose one of: " + ", ".join(names))
    return name


def persona_info(name: str) -> dict[str, Any]:
    """Who the persona is: name, title, description, as_of, later_start, later_end, seed.

    Examples
    --------
    >>> from thinksmall_kit.personas import persona_info
    >>> persona_info("ceramics")["as_of"]
    '2025-11-30'

    Introduced in lesson 00 (``lessons/00-welcome.ipynb``).
    """
    folder = _root() / _check_name(name)
    return json.loads((folder / "persona.json").read_text(encoding="utf-8"))


def _read(path: Path, table: str) -> pd.DataFrame:
    """One table file, read the way :meth:`Network.from_folder` reads it."""
    text_cols = {c: "str" for c, spec in SCHEMA[table].items() if spec.dtype == "str"}
    return pd.read_csv(path, dtype=text_cols, keep_default_na=False,
                       na_values={c: [""] for c in SCHEMA[table]})


@functools.lru_cache(maxsize=8)
def _load(name: str, later: bool) -> Network:
    folder = _root() / name
    net = Network.from_folder(folder)
    if not later:
        return net
    # The later slice: new weekly minutes and only the four weeks after as_of.
    slice_ = Network(platforms=_read(folder / _LATER / "platforms.csv", "platforms"),
                     contacts=net.contacts,
                     interactions=_read(folder / _LATER / "interactions.csv.gz",
                                        "interactions"))
    events = pd.concat([net.interactions, slice_.interactions], ignore_index=True)
    return Network._trusted(slice_.platforms, net.contacts, events)


def load_persona(name: str, *, later: bool = False) -> Network:
    """Load a sample persona's network.

    Parameters
    ----------
    name : str
        One of :func:`list_personas`:

        ``"ceramics"``
            Maren, who runs a one-person ceramics studio: 16 platforms, 1,000
            contacts and 31,657 interactions from 2024-09-01 to 2025-11-30
            (15 months), mostly promotional broadcasts with links; thousands of
            TikTok followers who hardly answer; an echo chamber of fellow
            potters; a few customers who talk back; strong ties going quiet.
            The later slice adds 1,479 interactions; she keeps 5 platforms.
        ``"organiser"``
            Jonah, community organiser and consultant: 13 platforms with real
            activity on a few, 450 contacts and 13,320 interactions from
            2024-11-01 to 2025-11-30 (13 months); many e-mails, calls and
            meetings; high reciprocity; one time sink (X). The later slice adds
            1,379 interactions; he keeps 6 platforms.
    later : bool, default False
        Add the four weeks after the persona cut down to a few platforms: the
        ``platforms`` table then holds their new weekly minutes (0 for a platform
        they cut) and ``interactions`` runs four weeks past ``as_of``.

    Returns
    -------
    Network
        Three tables with the columns in :data:`~thinksmall_kit.SCHEMA`
        (``SCHEMA["platforms"]`` and so on list each column's dtype and meaning):

        - ``platforms``: one row per account the persona holds (platform, handle,
          followers, minutes_per_week, audience_fit, purpose);
        - ``contacts``: one row per invented person or organisation (contact_id,
          display_name, role, first_seen); the same rows with ``later=True``;
        - ``interactions``: one row per event, oldest first (timestamp, platform,
          contact_id, direction, kind, thread_id, text, has_link, is_promotional);
          ``contact_id`` is empty for a broadcast post, ``text`` for a like.

        Each call returns fresh copies of the tables: changing them does not
        change what the next ``load_persona`` returns.

    Raises
    ------
    ValueError
        No persona has that name (the message lists the names).
    TypeError
        ``name`` is not a string (a DataFrame or a Network, say).

    See Also
    --------
    list_personas : the names.
    persona_info : who each persona is, their ``as_of`` date and the later dates.

    Examples
    --------
    >>> from thinksmall_kit import load_persona
    >>> net = load_persona("ceramics")
    >>> net
    Network: 16 platforms, 1,000 contacts, 31,657 interactions from 2024-09-01 to 2025-11-30
    >>> load_persona("ceramics", later=True)
    Network: 16 platforms, 1,000 contacts, 33,136 interactions from 2024-09-01 to 2025-12-28
    >>> net.contacts["role"].value_counts().index[0]
    'unknown'

    Introduced in lesson 00 (``lessons/00-welcome.ipynb``).
    """
    if not isinstance(later, bool):
        raise TypeError(f"later must be True or False, got {later!r}")
    cached = _load(_check_name(name), later)
    # Copies, so a learner who edits a table in place cannot change the cached network.
    return Network._trusted(*(df.copy() for df in cached.tables().values()))
