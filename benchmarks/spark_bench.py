#!/usr/bin/env python3
"""Throughput of Spark local mode against Pipeline.map on one machine, over the corpus repeated.

    python benchmarks/spark_bench.py [--mb 3] [--cores 2] [--jobs 2] [--json out.json]

The load average before and after is printed too: on a shared machine other work takes cores.

Needs cnextract[spark] and Java 17+. Both sides get the same pages: every corpus/raw/*.txt,
repeated until the total reaches --mb megabytes of UTF-8, each copy with its own id.

- Pipeline.map: Pipeline() is built, then every page goes through nlp.map(texts, jobs=JOBS);
  the time includes loading the rules and the segmenter. Whether map really used worker
  processes is read from the CPU time of child processes (0 means it ran in this process).
- process pool: JOBS fork()ed processes with one Pipeline each, pages sent in chunks of 16:
  what Pipeline.map(jobs=JOBS) with worker processes is meant to do, measured here so the
  comparison stands while map still runs in one process.
- Spark: a local[CORES] session is started first (its start-up time is printed on its own, as
  a cluster pays it once per job); the pages are written to PARTITIONS Parquet files (not
  timed), then reading them and extract_pages are timed, written to the `noop` sink, which runs
  every row through extraction and Arrow but stores nothing. That time includes each Python
  worker starting and loading its own Pipeline.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parent.parent


def pages(mb: float) -> list[tuple[str, str]]:
    raw = [(p.stem, p.read_text(encoding="utf-8")) for p in sorted((ROOT / "corpus" / "raw").glob("*.txt"))]
    size = sum(len(t.encode("utf-8")) for _, t in raw)
    out, k = [], 0
    while not out or sum(len(t.encode("utf-8")) for _, t in out) < mb * 1_000_000:
        out += [(f"{name}#{k}", text) for name, text in raw]
        k += 1
    print(f"corpus: {len(raw)} pages, {size} bytes; repeated {k} times -> {len(out)} pages, "
          f"{sum(len(t) for _, t in out)} chars", file=sys.stderr)
    return out


def rate(n_pages: int, n_chars: int, seconds: float) -> dict:
    return {"seconds": round(seconds, 2), "pages_per_s": round(n_pages / seconds, 1),
            "chars_per_s": round(n_chars / seconds)}


def bench_pipeline(data, jobs: int) -> dict:
    from cnextract import Pipeline

    texts = [t for _, t in data]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    nlp = Pipeline()
    n = sum(1 for _ in nlp.map(texts, jobs=jobs))
    dt = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    assert n == len(texts)
    child = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {**rate(n, sum(map(len, texts)), dt), "jobs": jobs, "child_cpu_s": round(child, 2)}


_POOL_NLP = None


def _pool_init() -> None:
    global _POOL_NLP
    from cnextract import Pipeline

    _POOL_NLP = Pipeline()


def _pool_page(text: str):
    return _POOL_NLP(text)


def bench_pool(data, jobs: int) -> dict:
    """What Pipeline.map(jobs=N) is meant to do: N worker processes, one Pipeline each."""
    import multiprocessing

    texts = [t for _, t in data]
    t0 = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(jobs, initializer=_pool_init) as pool:
        n = sum(1 for _ in pool.imap(_pool_page, texts, chunksize=16))
    dt = time.perf_counter() - t0
    assert n == len(texts)
    return {**rate(n, sum(map(len, texts)), dt), "processes": jobs}


def bench_spark(data, cores: int, partitions: int) -> dict:
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    from cnextract.spark import extract_pages

    t0 = time.perf_counter()
    spark = (SparkSession.builder.master(f"local[{cores}]").appName("cnextract-bench")
             .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", str(cores))
             .getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    spark.range(1).collect()
    startup = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:
        # pages come from Parquet, as on a cluster: one file per input partition (not timed)
        for k in range(partitions):
            part = data[k::partitions]
            pq.write_table(pa.table({"id": [i for i, _ in part], "text": [t for _, t in part]}),
                           f"{tmp}/part-{k:04d}.parquet")
        t0 = time.perf_counter()
        df = spark.read.parquet(tmp)
        extract_pages(df, "text", "id").write.format("noop").mode("overwrite").save()
        dt = time.perf_counter() - t0
    spark.stop()
    return {**rate(len(data), sum(len(t) for _, t in data), dt), "cores": cores,
            "partitions": partitions, "session_startup_s": round(startup, 2)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=3.0, help="megabytes of UTF-8 text to run (default 3)")
    ap.add_argument("--cores", type=int, default=2, help="Spark local[N] (default 2)")
    ap.add_argument("--jobs", type=int, default=2, help="Pipeline.map jobs (default 2)")
    ap.add_argument("--partitions", type=int, default=8, help="Spark input partitions (default 8)")
    ap.add_argument("--json", help="also write the results as JSON here")
    args = ap.parse_args()
    data = pages(args.mb)
    result = {"pages": len(data), "chars": sum(len(t) for _, t in data),
              "bytes": sum(len(t.encode("utf-8")) for _, t in data), "cpus": os.cpu_count()}
    result["load_average_before"] = [round(x, 2) for x in os.getloadavg()]
    result["pipeline_map"] = bench_pipeline(data, args.jobs)
    print("Pipeline.map", result["pipeline_map"], file=sys.stderr)
    result["process_pool"] = bench_pool(data, args.jobs)
    print("process pool", result["process_pool"], file=sys.stderr)
    result["spark_local"] = bench_spark(data, args.cores, args.partitions)
    print("Spark local", result["spark_local"], file=sys.stderr)
    result["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(result, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
