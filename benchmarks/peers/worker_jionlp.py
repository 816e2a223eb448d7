"""Worker: runs JioNLP's money extractor over a corpus; prints raw results as JSON on stdout.

Runs inside .peers/jionlp/ (its own virtual environment), never under the project's Python.
Usage: python worker_jionlp.py CORPUS_RAW_DIR
Output: {"peer": "jionlp", "versions": {...}, "seconds": {...}, "docs": [{"id", "results", "error"}]}
Each result is JioNLP's own dict: {"text", "offset": [start, end_exclusive], "type", "detail"}.
"""

import json
import pathlib
import sys
import time
from importlib import metadata


def main() -> None:
    raw_dir = pathlib.Path(sys.argv[1])
    real_stdout = sys.stdout
    sys.stdout = sys.stderr  # jionlp/jiojio print a banner on import
    t0 = time.perf_counter()
    import jionlp as jio
    t_import = time.perf_counter() - t0

    docs = []
    t1 = time.perf_counter()
    for path in sorted(raw_dir.glob("*.txt")):
        text = path.read_bytes().decode("utf-8")
        try:
            results = jio.ner.extract_money(text, with_parsing=True)
            error = None
        except Exception as exc:  # report, keep going
            results, error = [], f"{type(exc).__name__}: {exc}"
        docs.append({"id": path.stem, "results": results, "error": error})
    t_run = time.perf_counter() - t1

    out = {
        "peer": "jionlp",
        "versions": {p: metadata.version(p) for p in ("jionlp", "jiojio")},
        "python": sys.version.split()[0],
        "calls": ["jionlp.ner.extract_money(text, with_parsing=True)"],
        "seconds": {"import": round(t_import, 3), "extract": round(t_run, 3)},
        "docs": docs,
    }
    real_stdout.write(json.dumps(out, ensure_ascii=False))
    real_stdout.flush()


if __name__ == "__main__":
    main()
