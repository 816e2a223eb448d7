"""Worker: runs Recognizers-Text (PyPI release) over a corpus; prints raw results as JSON on stdout.

Runs inside .peers/rt/ (its own virtual environment; recognizers-text-suite 1.0.2a2 needs
emoji<1.0 to import on Python 3.11). Usage: python worker_rt.py CORPUS_RAW_DIR
Output: {"peer": "rt", "versions": {...}, "seconds": {...}, "docs": [{"id", "results", "error"}]}
Each result: {"model", "start", "end" (INCLUSIVE, as RT returns it), "text", "type_name",
"resolution"}.
"""

import json
import pathlib
import sys
import time
from importlib import metadata

# The Culture.Chinese models that can yield a figure (number-with-unit and number suites).
MODELS = (
    "recognize_number",
    "recognize_ordinal",
    "recognize_percentage",
    "recognize_currency",
    "recognize_dimension",
    "recognize_age",
    "recognize_temperature",
)


def main() -> None:
    raw_dir = pathlib.Path(sys.argv[1])
    real_stdout = sys.stdout
    sys.stdout = sys.stderr
    t0 = time.perf_counter()
    import recognizers_suite as rs
    from recognizers_suite import Culture
    t_import = time.perf_counter() - t0

    seconds = {m: 0.0 for m in MODELS}
    docs = []
    for path in sorted(raw_dir.glob("*.txt")):
        text = path.read_bytes().decode("utf-8")
        results, errors = [], []
        for model in MODELS:
            t = time.perf_counter()
            try:
                found = getattr(rs, model)(text, Culture.Chinese)
            except Exception as exc:  # report, keep going
                found = []
                errors.append(f"{model}: {type(exc).__name__}: {exc}")
            seconds[model] += time.perf_counter() - t
            for r in found:
                results.append({
                    "model": model,
                    "start": r.start,
                    "end": r.end,
                    "text": r.text,
                    "type_name": r.type_name,
                    "resolution": r.resolution,
                })
        docs.append({"id": path.stem, "results": results, "error": "; ".join(errors) or None})

    out = {
        "peer": "rt",
        "versions": {p: metadata.version(p) for p in (
            "recognizers-text-suite", "recognizers-text", "recognizers-text-number",
            "recognizers-text-number-with-unit", "emoji")},
        "python": sys.version.split()[0],
        "calls": [f"recognizers_suite.{m}(text, Culture.Chinese)" for m in MODELS],
        "seconds": {"import": round(t_import, 3),
                    **{m: round(s, 3) for m, s in seconds.items()},
                    "extract": round(sum(seconds.values()), 3)},
        "docs": docs,
    }
    real_stdout.write(json.dumps(out, ensure_ascii=False, default=str))
    real_stdout.flush()


if __name__ == "__main__":
    main()
