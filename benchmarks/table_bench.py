"""Tables cost little on top of extraction: time `cnextract extract` writing page records (plain
JSON lines) against the same run writing tables instead, on the first N bulk pages.

    python benchmarks/table_bench.py ../shared/corpus-bulk/pages.jsonl.gz [--pages 1000] [--passes 3]

Both runs go through the command line's own code (cli.main, one process, jobs=1), alternately, after
one warm-up run; the time is the CPU time of this process (the machine is shared), best of the
passes, wall clock beside it. The goal: the tables run (figures.csv + quotes.csv) under 1.2x the
plain JSONL run.
"""

from __future__ import annotations

import argparse
import gzip
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from cnextract import cli  # noqa: E402


def _run(argv: list[str]) -> tuple[float, float]:
    c0, w0 = time.process_time(), time.perf_counter()
    code = cli.main(argv)
    c1, w1 = time.process_time(), time.perf_counter()
    if code not in (0, 1):
        raise SystemExit(f"cnextract {' '.join(argv)} exited {code}")
    return c1 - c0, w1 - w0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("bulk", help="the bulk corpus (gzip JSON lines with id and text)")
    ap.add_argument("--pages", type=int, default=1000)
    ap.add_argument("--passes", type=int, default=5)
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        pages = tmp / "pages.jsonl"
        chars = 0
        with gzip.open(args.bulk, "rt", encoding="utf-8") as src, open(pages, "w", encoding="utf-8") as dst:
            for n, line in enumerate(src):
                if n == args.pages:
                    break
                dst.write(line)
        n_pages = sum(1 for _ in open(pages, encoding="utf-8"))
        base = ["extract", str(pages), "-q"]
        runs = {
            "jsonl (page records)": base + ["-o", str(tmp / "out.jsonl")],
            "tables (figures.csv + quotes.csv)": base + ["--table", str(tmp / "figures.csv"),
                                                         "--table", str(tmp / "quotes.csv")],
            "tables (figures.parquet + quotes.parquet)": base + ["--table", str(tmp / "figures.parquet"),
                                                                 "--table", str(tmp / "quotes.parquet")],
        }
        _run(base + ["-o", str(tmp / "warm.jsonl")])  # rules and dictionary loaded once
        best = {k: (float("inf"), float("inf")) for k in runs}
        load0 = os.getloadavg()[0]
        for _ in range(args.passes):
            for name, argv in runs.items():
                cpu, wall = _run(argv)
                best[name] = (min(best[name][0], cpu), min(best[name][1], wall))
        load1 = os.getloadavg()[0]
        import json

        chars = sum(len(json.loads(line)["text"]) for line in open(pages, encoding="utf-8"))
        rows = {p.name: sum(1 for _ in open(p, encoding="utf-8")) - 1 for p in (tmp / "figures.csv", tmp / "quotes.csv")}
        sizes = {p.name: p.stat().st_size for p in sorted(tmp.iterdir()) if p.name != "pages.jsonl"}

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
          f"load average {load0:.1f} before, {load1:.1f} after")
    print(f"input: first {n_pages} bulk pages, {chars:,} characters; best of {args.passes} alternating passes")
    print(f"{'':44}{'CPU s':>8}{'wall s':>8}{'vs jsonl':>10}")
    ref = best["jsonl (page records)"][0]
    for name, (cpu, wall) in best.items():
        print(f"{name:44}{cpu:8.2f}{wall:8.2f}{cpu / ref:9.2f}x")
    print(f"rows: {rows}; files (bytes): {sizes}")
    ratio = best["tables (figures.csv + quotes.csv)"][0] / ref
    print(f"ratio tables/jsonl (CSV): {ratio:.2f} (goal < 1.2): {'met' if ratio < 1.2 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
