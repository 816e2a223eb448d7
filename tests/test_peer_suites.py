"""Peer test suites (Recognizers-Text Chinese specs, cn2an and JioNLP tables) scored on our output.

Data: tests/peer_cases/ (converted by the project; sources and licences in each folder's README).
Each in-scope file is scored for span-and-value F1 against the peer's own convention and its
measured F1 is pinned as a floor in tests/peer_floors.json; the test prints what it measured.

Adaptor: a peer's "number" span is compared with our bare numbers and with the numeral part of
our figures (the figure's text without its unit); values are compared in the unit as written, so
5万斤 is 50000 to the number suite and 25000 kg to us. Cases where our scheme deliberately differs
from the peer's are listed in DIFFERS with the reason and left out of the rate.
"""

import json
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import pytest

from conftest import ROOT, load_jsonl

from cnextract.numbers import NumeralError, parse_numeral
from cnextract.rules import load_rules

PEER = ROOT / "tests" / "peer_cases"
FLOORS = ROOT / "tests" / "peer_floors.json"

# file -> (peer kinds scored, our kinds that answer them)
FILES = {
    "recognizers-text/number.jsonl": ({"number"}, "numeral"),
    "recognizers-text/percent.jsonl": ({"percent"}, {"percent"}),
    "recognizers-text/currency.jsonl": ({"currency"}, {"money"}),
    "recognizers-text/dimension.jsonl": ({"dimension"}, {"measure"}),
    "recognizers-text/phonenumber.jsonl": (set(), {"money", "percent", "percentage_point", "count", "measure", "multiple"}),
    "cn2an/number.jsonl": ({"number"}, "numeral"),
    "cn2an/currency.jsonl": ({"currency"}, {"money"}),
    "cn2an/sentences.jsonl": ({"number", "percent"}, "numeral"),
    "jionlp/money_extract.jsonl": ({"currency"}, {"money"}),
    "jionlp/money_parse.jsonl": ({"currency"}, {"money"}),
}

# Deliberate differences of scheme, case by case (id -> why our answer differs by design).
DIFFERS = {
}


@lru_cache(maxsize=1)
def _factors():
    return {form: Decimal(e.factor) for e in load_rules().units.units for form in e.forms}


def _numeral_view(f):
    """(start, end, value) of a figure's numeral as written, without its unit."""
    text, start = f.text, f.start
    if f.unit_text and text.endswith(f.unit_text) and f.kind not in ("percent",):
        num = text[: len(text) - len(f.unit_text)]
        if not num:
            return None
        factor = _factors().get(f.unit_text.lstrip("个"), Decimal(1))
        value = None if f.value is None else f.value / factor
        return (start, start + len(num), value)
    return (f.start, f.end, f.value)


def _predicted(page, ours):
    out = set()
    for f in page.figures:
        if ours == "numeral":
            if f.kind in ("percent",):
                out.add((f.start, f.end, f.value))
            view = _numeral_view(f)
            if view is not None:
                out.add(view)
        elif f.kind in ours:
            out.add((f.start, f.end, f.value if f.value is not None else None))
    return out


def _same(a, b):
    if a is None or b is None:
        return a is None and b is None
    a, b = Decimal(str(a)), Decimal(str(b))
    return a == b or abs(a - b) <= Decimal("1e-6") * max(abs(a), abs(b))


def score_file(nlp, rel):
    kinds, ours = FILES[rel]
    tp = fp = fn = 0
    passed = total = 0
    failures = []
    for case in load_jsonl(PEER / rel):
        if case["id"] in DIFFERS or "python" in case.get("not_supported", []):
            continue
        gold = [(s["start"], s["end"], s.get("value")) for s in case["expected"] if s["kind"] in kinds]
        pred = _predicted(nlp(case["input"]), ours)
        if ours == "numeral":
            gold_spans = {(s, e) for s, e, _ in gold}
            # our numeral views nested inside a gold span's neighbours are not counted twice
            pred = {p for p in pred if (p[0], p[1]) in gold_spans or not any(
                g[0] <= p[0] and p[1] <= g[1] for g in gold_spans)}
        hit = 0
        used = set()
        for g in gold:
            for p in pred:
                if p not in used and (p[0], p[1]) == (g[0], g[1]) and (g[2] is None or _same(p[2], g[2])):
                    used.add(p)
                    hit += 1
                    break
        tp += hit
        fn += len(gold) - hit
        fp += len(pred) - len(used)
        total += 1
        ok = hit == len(gold) and len(pred) == len(used)
        passed += ok
        if not ok:
            failures.append((case["id"], case["input"][:40], gold, sorted(pred, key=lambda x: x[0])))
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"cases": total, "pass_rate": round(passed / total, 4) if total else 1.0,
            "p": round(p, 4), "r": round(r, 4), "f1": round(f1, 4)}, failures


@pytest.mark.parametrize("rel", sorted(FILES))
def test_peer_suite(rel, nlp):
    measured, failures = score_file(nlp, rel)
    floors = json.loads(FLOORS.read_text(encoding="utf-8"))
    floor = floors[rel]
    print(f"\n{rel}: {measured}  floor pass_rate {floor['pass_rate']} f1 {floor['f1']}")
    for fid, text, gold, pred in failures[:5]:
        print(f"  {fid} {text!r} want {gold} got {pred}")
    assert measured["pass_rate"] >= floor["pass_rate"] - 1e-9, measured
    assert measured["f1"] >= floor["f1"] - 1e-9, measured


if __name__ == "__main__":  # re-measure: python tests/test_peer_suites.py
    import sys

    sys.path.insert(0, str(ROOT / "src"))
    import cnextract

    nlp = cnextract.Pipeline()
    results = {rel: score_file(nlp, rel)[0] for rel in sorted(FILES)}
    print(json.dumps(results, indent=1))
    if "--pin" in sys.argv:
        FLOORS.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
