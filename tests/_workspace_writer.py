"""Child process for the workspace kill and concurrency tests (and the networks they use).

Run as a script by ``tests/test_workspace.py``; not a test module itself.

    python tests/_workspace_writer.py kill PATH
        save network A, print "saved", then save network B over and over,
        printing "committed B" after each commit, until killed.
    python tests/_workspace_writer.py concurrent PATH NAME N SAVE
        print "ready", wait for a line on stdin, then make N tag_role and N add_note
        transactions (notes say "NAME i"); when SAVE is 1, save network A
        halfway through. Prints "done" at the end.
"""

from __future__ import annotations

import sys
import time

import numpy as np
import pandas as pd

from thinksmall_kit.network import KINDS, OFFLINE, ROLES, Network

#: Sizes of the two networks the kill test alternates between: every table differs.
SIZES = {"A": (2, 60, 400), "B": (5, 3000, 60_000)}


def make_network(name: str) -> Network:
    """A deterministic synthetic network: ``A`` is small, ``B`` has 60,000 interactions."""
    n_platforms, n_contacts, n_events = SIZES[name]
    rng = np.random.default_rng(7 if name == "A" else 11)
    names = ["instagram", "linkedin", "mastodon", "bluesky", "newsletter"][:n_platforms]
    platforms = pd.DataFrame({
        "platform": names,
        "handle": [f"@{name.lower()}_{p}" for p in names],
        "followers": rng.integers(0, 50_000, n_platforms),
        "minutes_per_week": rng.uniform(0, 300, n_platforms).round(1),
        "audience_fit": [np.nan, *rng.uniform(0, 1, n_platforms - 1)],
        "purpose": ["sell", *[""] * (n_platforms - 1)],
    })
    ids = [f"c{i:03d}" for i in range(n_contacts)]
    first_seen = pd.Series(pd.to_datetime("2023-01-01", utc=True)
                           + pd.to_timedelta(rng.integers(0, 10**17, n_contacts), unit="ns"))
    first_seen[::7] = pd.NaT
    contacts = pd.DataFrame({
        "contact_id": ids,
        "display_name": [f"Person {i}" for i in range(n_contacts)],
        "role": rng.choice(ROLES, n_contacts),
        "first_seen": first_seen,
    })
    offline = rng.random(n_events) < 0.05
    online_kinds = [k for k in KINDS if k not in ("email", "call", "meeting")]
    contact = pd.Series(rng.choice(ids, n_events), dtype=object)
    contact[rng.random(n_events) < 0.1] = None
    text = pd.Series([f"message {i} ✉" for i in range(n_events)], dtype=object)
    text[rng.random(n_events) < 0.3] = None
    thread = pd.Series([f"t{i // 4}" for i in range(n_events)], dtype=object)
    thread[rng.random(n_events) < 0.2] = None
    interactions = pd.DataFrame({
        "timestamp": pd.to_datetime("2024-01-01", utc=True)
        + pd.to_timedelta(rng.integers(0, 4 * 10**16, n_events), unit="ns"),
        "platform": np.where(offline, OFFLINE, rng.choice(names, n_events)),
        "contact_id": contact,
        "direction": rng.choice(["in", "out"], n_events),
        "kind": np.where(offline, rng.choice(["email", "call", "meeting"], n_events),
                         rng.choice(online_kinds, n_events)),
        "thread_id": thread,
        "text": text,
        "has_link": rng.random(n_events) < 0.2,
        "is_promotional": rng.random(n_events) < 0.1,
    })
    return Network(platforms, contacts, interactions)


def _kill(path: str) -> None:
    from thinksmall_kit.workspace import Workspace

    a, b = make_network("A"), make_network("B")
    ws = Workspace(path)
    ws.save_network(a)
    print("saved", flush=True)
    while True:
        ws.save_network(b)
        print("committed B", flush=True)


def _concurrent(path: str, name: str, n: int, save: bool) -> None:
    from thinksmall_kit.workspace import Workspace

    net = make_network("A")
    print("ready", flush=True)
    sys.stdin.readline()  # start together with the other child
    start = time.time()
    with Workspace(path) as ws:
        for i in range(n):
            contact = f"c{i % 60:03d}"
            ws.tag_role(contact, ROLES[i % len(ROLES)])
            ws.add_note(contact, f"{name} {i}")
            if save and i == n // 2:
                ws.save_network(net)
    print(f"done {start!r} {time.time()!r}", flush=True)


if __name__ == "__main__":
    mode, *args = sys.argv[1:]
    if mode == "kill":
        _kill(args[0])
    elif mode == "concurrent":
        _concurrent(args[0], args[1], int(args[2]), args[3] == "1")
    else:
        raise SystemExit(f"unknown mode {mode!r}")
