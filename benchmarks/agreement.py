"""Inter-annotator agreement on figure context: corpus/gold (first annotation) against
corpus/second (a second reader who never saw the first), per field, by the scorer's own rule
(evaluate.compare_context: overlap and the same last character; null only against null).

    python benchmarks/agreement.py [CORPUS]
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
from cnextract.evaluate import CONTEXT_FIELDS, compare_context  # noqa: E402
from cnextract.records import GoldDocument  # noqa: E402


def agreement(corpus: Path) -> tuple[dict[str, tuple[int, int]], dict[str, dict[str, tuple[int, int]]]]:
    """(totals, per file): for each field, (agreeing figures, figures compared)."""
    totals = {name: [0, 0] for name in CONTEXT_FIELDS}
    per_file = {}
    for second in sorted((corpus / "second").glob("*.json")):
        a = GoldDocument.model_validate_json((corpus / "gold" / second.name).read_text(encoding="utf-8"))
        b = GoldDocument.model_validate_json(second.read_text(encoding="utf-8"))
        if len(a.figures) != len(b.figures):
            raise ValueError(f"{second.name}: the two annotations hold different figures")
        sc = compare_context(list(a.figures), list(b.figures), pairs=[(i, i) for i in range(len(a.figures))])
        per_file[a.id] = {name: (sc.right[name], sc.pairs) for name in CONTEXT_FIELDS}
        for name in CONTEXT_FIELDS:
            totals[name][0] += sc.right[name]
            totals[name][1] += sc.pairs
    return {k: tuple(v) for k, v in totals.items()}, per_file


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    corpus = Path(argv[0]) if argv else ROOT / "corpus"
    totals, per_file = agreement(corpus)
    for fid, fields in per_file.items():
        print(fid, "  ".join(f"{k} {r}/{n}" for k, (r, n) in fields.items()))
    print("all", "  ".join(f"{k} {r}/{n} = {r / n:.3f}" for k, (r, n) in totals.items() if n))
    return 0


if __name__ == "__main__":
    sys.exit(main())
