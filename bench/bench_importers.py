"""How fast and how lean is the X archive import, next to a plain json.loads of the same data?

Target (issue 11): reading the archive takes at most 2x the time of json.loads
on the same tweets.js payload, and its peak memory is at most 3x the file size.
Prints figures; never fails on time (the machines are shared and noisy).

    .venv/bin/python bench/bench_importers.py [--mb 100] [--runs 3]

Each measurement runs in a fresh process, so peak memory (the process's
peak resident size, VmHWM, above what it held after the imports) is not
muddied by an earlier run. Linux only (it reads /proc/self/status). The
archive is made of invented tweets shaped like data/samples/x-archive.zip.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from _common import table  # bench/ is on sys.path when a benchmark runs as a script

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, sys, time
from pathlib import Path
import thinksmall_kit as tsk

def status(key):
    # VmHWM is the peak resident size; writing 5 to clear_refs resets it (Linux), so the
    # peak measured is this work's, not the imports' (ru_maxrss would also carry the
    # parent's peak over the fork).
    for line in open("/proc/self/status"):
        if line.startswith(key):
            return int(line.split()[1])

what, path = sys.argv[1], Path(sys.argv[2])
with open("/proc/self/clear_refs", "w") as f:
    f.write("5")
base = status("VmRSS:")
start = time.perf_counter()
if what == "json":
    text = (path / "data" / "tweets.js").read_text(encoding="utf-8")
    rows = json.loads(text[text.index("["):])
    n = len(rows)
else:
    n = len(tsk.read_x(path, progress=False))
seconds = time.perf_counter() - start
peak = status("VmHWM:")
print(json.dumps({"seconds": seconds, "peak_mb": (peak - base) / 1024, "rows": n}))
"""


def make_archive(folder: Path, megabytes: float) -> Path:
    sys.path.insert(0, str(ROOT / "data"))
    import random

    import make_samples as ms

    rng = random.Random(0)
    empty = len(ms.ytd("tweets", []))
    rows, size, i = [], empty, 0
    while size < megabytes * 1e6:
        p = ms.PEOPLE[i % len(ms.PEOPLE)]
        t = ms._ts(rng, 3000)
        if i % 3 == 0:
            row = ms._tweet(i, t, f"@{p[0]} {rng.choice(ms.REPLY_TEXTS)}", mentions=[p],
                            reply=(str(1875000000000000000 + i), p[2], p[0]))
        else:
            row = ms._tweet(i, t, rng.choice(ms.POST_TEXTS) + f" #{i}")
        rows.append(row)
        size += len(ms.ytd("tweets", [row])) - empty  # this tweet as the file will hold it
        i += 1
    data = folder / "data"
    data.mkdir(parents=True)
    (data / "tweets.js").write_bytes(ms.ytd("tweets", rows))
    (data / "account.js").write_bytes(ms.ytd("account", [{"account": {
        "username": "juniper_hale", "accountId": "1188299300"}}]))
    return folder


def run(what: str, path: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, what, str(path)], check=True,
                         capture_output=True, text=True, cwd=ROOT).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=float, default=100, help="size of tweets.js in MB")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = make_archive(Path(tmp) / "archive", args.mb)
        file_mb = (folder / "data" / "tweets.js").stat().st_size / 1e6
        zipped = Path(tmp) / "archive.zip"
        start = time.perf_counter()
        with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED) as zf:
            for p in sorted(folder.rglob("*.js")):
                zf.write(p, p.relative_to(folder).as_posix())
        zip_seconds = time.perf_counter() - start
        results = {what: [run(what, target) for _ in range(args.runs)]
                   for what, target in (("json", folder), ("folder", folder),
                                        ("zip", zipped))}
    med = {k: statistics.median(r["seconds"] for r in v) for k, v in results.items()}
    peak = {k: max(r["peak_mb"] for r in v) for k, v in results.items()}
    rows = results["folder"][0]["rows"]
    print(f"tweets.js: {file_mb:,.1f} MB, {rows:,} interactions "
          f"(zip made in {zip_seconds:.1f} s); median of {args.runs} fresh processes")
    print(f"{'':28} {'seconds':>8} {'MB/s':>8} {'peak MB':>8} {'x file':>7}")
    for label, key in (("json.loads (baseline)", "json"), ("read_x, unpacked folder", "folder"),
                       ("read_x, .zip", "zip")):
        print(f"{label:28} {med[key]:8.2f} {file_mb / med[key]:8.1f} {peak[key]:8.0f} "
              f"{peak[key] / file_mb:7.2f}")
    t_folder, t_zip = med["folder"] / med["json"], med["zip"] / med["json"]
    m_folder, m_zip = peak["folder"] / file_mb, peak["zip"] / file_mb
    table(f"X archive import, {file_mb:,.0f} MB of tweets.js", [
        ("json.loads (the floor)", f"{med['json']:.2f} s", "", None),
        ("time read_x(folder) / json.loads", f"{t_folder:.2f}x", "<= 2x", t_folder <= 2),
        ("time read_x(zip) / json.loads", f"{t_zip:.2f}x", "<= 2x", t_zip <= 2),
        ("peak memory read_x(folder) / file size", f"{m_folder:.2f}x", "<= 3x", m_folder <= 3),
        ("peak memory read_x(zip) / file size", f"{m_zip:.2f}x", "<= 3x", m_zip <= 3),
    ])


if __name__ == "__main__":
    main()
