"""A large invented network, made vectorised and deterministically (no loop over rows).

``synthetic(n_contacts, n_events, seed)`` gives the same Network for the same
arguments. Shaped like a busy small business: eight platforms and the offline
channel, contacts with every role, a few very active people and a long tail
(Zipf), every kind of interaction, threads shared by several people, and text
on every message (a fifth of what you send promotes something). Like the
generator in tests/test_tribe.py, but with more platforms and text, so that
the audit and the conversation measures have work to do too.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from thinksmall_kit import KINDS, ROLES, Network

T0 = pd.Timestamp("2025-01-01", tz="UTC")
PLATFORMS = ("instagram", "facebook", "x", "linkedin", "tiktok", "youtube", "pinterest",
             "mastodon")
TEXTS = (
    "Thank you for the kind words about the mugs!",
    "What glaze would you like for the next batch?",
    "Loved your photos from the market on Saturday.",
    "How did the workshop go for you?",
    "Congratulations on the new studio, it looks wonderful.",
    "Do you know someone who runs a cafe nearby?",
    "New collection out now! Shop the sale today, 20% off: https://example.com/shop",
    "Buy now: limited edition bowls https://example.com/bowls #pottery #handmade",
)


def synthetic(n_contacts: int, n_events: int, seed: int = 0) -> Network:
    """A random network of ``n_contacts`` contacts and ``n_events`` interactions."""
    rng = np.random.default_rng(seed)
    platforms = pd.DataFrame({
        "platform": list(PLATFORMS),
        "followers": rng.integers(50, 20_000, len(PLATFORMS)),
        "minutes_per_week": rng.integers(10, 300, len(PLATFORMS)).astype(float),
        "audience_fit": rng.random(len(PLATFORMS)).round(2),
    })
    ids = np.char.add("c", np.arange(n_contacts).astype(str)).astype(object)
    roles = np.asarray(ROLES, dtype=object)[rng.integers(0, len(ROLES), n_contacts)]
    who = (rng.zipf(1.3, n_events) - 1) % n_contacts
    who[:n_contacts] = np.arange(min(n_contacts, n_events))  # everyone at least once
    seconds = np.sort(rng.integers(0, 365 * 86_400, n_events))
    kinds = np.asarray(KINDS, dtype=object)[rng.integers(0, len(KINDS), n_events)]
    offline = np.isin(kinds, ["email", "call", "meeting"])
    platform = np.asarray(PLATFORMS, dtype=object)[
        np.minimum(rng.zipf(1.6, n_events) - 1, len(PLATFORMS) - 1)]
    platform[offline] = "offline"
    contact = ids[who].copy()
    post = kinds == "post"
    contact[post] = None
    direction = np.where(rng.random(n_events) < 0.5, "in", "out").astype(object)
    direction[post] = "out"
    thread = np.char.add("t", rng.integers(0, max(n_events // 8, 1), n_events).astype(str))
    thread = thread.astype(object)
    thread[offline] = None
    pick = rng.integers(0, len(TEXTS) - 2, n_events)
    pick[(direction == "out") & (rng.random(n_events) < 0.2)] += 2  # some promotion
    text = np.asarray(TEXTS, dtype=object)[np.minimum(pick, len(TEXTS) - 1)]
    text[kinds == "like"] = None
    interactions = pd.DataFrame({
        "timestamp": T0 + pd.to_timedelta(seconds, unit="s"),
        "platform": platform, "contact_id": contact, "direction": direction,
        "kind": kinds, "thread_id": thread, "text": text,
        "has_link": pd.Series(text).str.contains("https://", regex=False).fillna(False)
        .to_numpy(dtype=bool),
    })
    return Network(platforms=platforms,
                   contacts=pd.DataFrame({"contact_id": ids, "role": roles}),
                   interactions=interactions)
