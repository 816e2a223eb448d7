#!/usr/bin/env python3
"""Run peer extractors over the corpus and write their output in cnextract's record format.

    PYTHONPATH=src python benchmarks/peers/run_peers.py [--peer jionlp|rt|all] [--corpus corpus]
    PYTHONPATH=src python -m cnextract.cli eval corpus --pred benchmarks/peers/out/rt.jsonl --split test

Each peer runs in its own virtual environment under .peers/<peer>/ (created here when missing,
with the pinned versions below), through a worker script that prints the peer's raw results as
JSON. This driver runs under the project's Python, converts the raw results to PageResult
records (one JSONL line per corpus text), validates every line with
cnextract.records.PageResult and writes:

    benchmarks/peers/out/<peer>.jsonl      predictions, for `cnextract eval --pred`
    benchmarks/peers/out/<peer>.raw.json   the worker's raw output (versions, timings, results)

`--from-raw` re-converts the stored raw output without running the peer (no venv needed).
Every mapping choice is documented in benchmarks/peers/README.md.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import pathlib
import re
import subprocess
import sys
import time
from decimal import Decimal, InvalidOperation

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[1]
OUT = HERE / "out"
VENVS = ROOT / ".peers"

sys.path.insert(0, str(ROOT / "src"))
from cnextract.records import PageResult  # noqa: E402

# Exact versions used for the published numbers (the whole `pip freeze` of each venv).
PINS: dict[str, list[str]] = {
    "jionlp": [
        "jionlp==1.5.31", "jiojio==1.2.8", "numpy==2.4.6", "PyYAML==6.0.4",
        "requests==2.34.2", "certifi==2026.10.19.post1", "charset-normalizer==3.5.3",
        "idna==3.20", "urllib3==2.8.0", "zipfile36==0.1.3",
    ],
    "rt": [
        "recognizers-text-suite==1.0.2a2", "recognizers-text==1.0.2a2",
        "recognizers-text-choice==1.0.2a2", "recognizers-text-date-time==1.0.2a2",
        "recognizers-text-number==1.0.2a2", "recognizers-text-number-with-unit==1.0.2a2",
        "recognizers-text-sequence==1.0.2a2",
        "emoji==0.6.0",  # 1.0.2a2 imports emoji.UNICODE_EMOJI, gone since emoji 2.0: needs emoji<1.0
        "regex==2026.11.19", "datedelta==1.4", "grapheme==0.6.0", "multipledispatch==1.0.0",
    ],
}
WORKERS = {"jionlp": HERE / "worker_jionlp.py", "rt": HERE / "worker_rt.py"}


# --------------------------------------------------------------------------- environments

def venv_python(peer: str) -> pathlib.Path:
    """The peer's interpreter, creating .peers/<peer>/ with the pinned packages if needed."""
    venv = VENVS / peer
    python = venv / "bin" / "python"
    stamp = venv / ".cnextract-pins"
    wanted = "\n".join(PINS[peer])
    if python.exists() and stamp.exists() and stamp.read_text() == wanted:
        return python
    print(f"[{peer}] creating {venv.relative_to(ROOT)} ...", file=sys.stderr)
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", *PINS[peer]], check=True)
    stamp.write_text(wanted)
    return python


def run_worker(peer: str, raw_dir: pathlib.Path) -> dict:
    python = venv_python(peer)
    t = time.perf_counter()
    proc = subprocess.run(
        [str(python), str(WORKERS[peer]), str(raw_dir)],
        check=True, capture_output=True, text=True, encoding="utf-8",
        env={**os.environ, "PYTHONHASHSEED": "0", "PYTHONPATH": ""},
    )
    raw = json.loads(proc.stdout)
    raw["seconds"]["wall"] = round(time.perf_counter() - t, 3)
    return raw


# --------------------------------------------------------------------------- helpers

def dec(x) -> Decimal | None:
    if x is None:
        return None
    try:
        d = Decimal(str(x).replace(",", "").strip())
    except InvalidOperation:
        return None
    return d if d.is_finite() else None


def dstr(d: Decimal | None) -> str | None:
    """A plain decimal string (no exponent, no trailing zeros)."""
    if d is None:
        return None
    d = d.normalize()
    s = format(d, "f")
    return s


def figure(text: str, start: int, end: int, *, kind: str, value=None, low=None, high=None,
           unit=None, unit_text=None, qualifier=None, rule: str, entries=()) -> dict:
    return {
        "start": start, "end": end, "text": text[start:end],
        "value": dstr(value), "low": dstr(low), "high": dstr(high),
        "unit": unit, "unit_text": unit_text, "kind": kind, "qualifier": qualifier,
        "direction": None, "basis": None, "metric": None, "subject": None, "period": None,
        "rule": rule, "entries": list(entries),
    }


def page(doc_id: str, text: str, figures: list[dict], problems: list[dict]) -> str:
    figures = sorted(figures, key=lambda f: (f["start"], -f["end"], f["kind"]))
    rec = {
        "schema": "cnextract.page", "version": "0.1.0",
        "source": {"name": doc_id, "encoding": None,
                   "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest()},
        "text": text,
        "articles": [{
            "span": {"start": 0, "end": len(text), "text": text},
            "headline": None, "byline": None, "kind": "news",
            "figures": figures, "quotes": [], "speakers": [],
        }],
        "problems": problems,
    }
    line = json.dumps(rec, ensure_ascii=False)
    PageResult.model_validate_json(line)  # raises on any span that does not index the text
    return line


def locate(text: str, start: int, end: int, found: str, *, casefold: bool = False):
    """Check a peer span against the raw text; returns (start, end) or None."""
    piece = text[start:end]
    if piece == found or (casefold and piece.lower() == found.lower()):
        return start, end
    return None


# --------------------------------------------------------------------------- JioNLP

# JioNLP's own modifier lists (jionlp/rule/rule_pattern.py, 1.5.31): MONEY_PREFIX_STRING and
# MONEY_SUFFIX_STRING. They sit inside its money span; our scheme keeps them outside.
JIO_PREFIX = re.compile(
    r"^(?:(?:将)?近|只有|仅|(?:大)?约(?:莫|合)?|大概|至少(?:要)?|不(?:到|足|超过)?|逾|"
    r"(?:高|大|多)于|(?:高)?达(?:到)?|上|(?:超)?过|超|(?:低|小|少)于)")
JIO_SUFFIX = re.compile(r"(?:以上|以下|左右|上下)$")
JIO_DEFINITION = {"accurate": None, "blur": "about", "blur-": "at_most", "blur+": "at_least"}
RANGE_MARK = re.compile(r"[至到~～\-－—–]")
# JioNLP's normalised currency names ('case') -> ISO 4217.
JIO_CURRENCY = {
    "元": "CNY", "人民币": "CNY", "美元": "USD", "港元": "HKD", "日元": "JPY", "韩元": "KRW",
    "新台币": "TWD", "澳元": "AUD", "欧元": "EUR", "英镑": "GBP", "加元": "CAD",
    "加拿大元": "CAD", "新加坡元": "SGD", "新西兰元": "NZD", "澳门元": "MOP", "泰铢": "THB",
    "卢布": "RUB", "缅元": "MMK", "马元": "MYR", "越南盾": "VND", "越盾": "VND",
    "雷亚尔": "BRL", "马克": "DEM",
}
NUMERAL_START = re.compile(r"[0-9０-９.一二两三四五六七八九十百千万亿零〇壹贰叁肆伍陆柒捌玖拾佰仟几数半]")


def convert_jionlp(doc_id: str, text: str, results: list[dict], error: str | None):
    figs, problems, stats = [], [], {"trimmed": 0, "not_at_numeral": 0, "range": 0,
                                      "more_than": 0, "dropped": 0}
    if error:
        problems.append({"code": "peer-error", "message": error})
    for r in results:
        s, e = r["offset"]
        if locate(text, s, e, r["text"]) is None:
            stats["dropped"] += 1
            problems.append({"code": "peer-offset-mismatch", "start": s, "end": e,
                             "message": f"jionlp span {r['text']!r} does not index the text"})
            continue
        # Trim JioNLP's own modifier words (and blanks) off the span ends.
        span = text[s:e]
        lead = len(span) - len(span.lstrip())
        m = JIO_PREFIX.match(span, lead)
        if m and m.end() < len(span):
            lead = m.end()
        core = span[lead:]
        core_r = core.rstrip()
        m2 = JIO_SUFFIX.search(core_r)
        if m2 and m2.start() > 0:
            core_r = core_r[: m2.start()].rstrip()
        ns, ne = s + lead, s + lead + len(core_r)
        if (ns, ne) != (s, e):
            stats["trimmed"] += 1
        if not NUMERAL_START.match(text[ns:ne]):
            stats["not_at_numeral"] += 1
        d = r.get("detail") or {}
        case = d.get("case")
        unit = JIO_CURRENCY.get(case, case)
        definition = d.get("definition")
        qualifier = JIO_DEFINITION.get(definition)
        num = d.get("num")
        value = low = high = None
        if isinstance(num, list):
            lo, hi = dec(num[0]), dec(num[1])
            seg = text[ns:ne]
            if RANGE_MARK.search(seg):          # a written range: 10万-20万元
                low, high, qualifier = lo, hi, None
                stats["range"] += 1
            elif re.search(r"[多余]", seg):     # X多/X余: JioNLP gives [X, next step of X)
                value, qualifier = lo, "more_than"
                stats["more_than"] += 1
            else:                               # 几/数: a vague range
                low, high = lo, hi
                stats["range"] += 1
        else:
            value = dec(num)
        figs.append(figure(text, ns, ne, kind="money", value=value, low=low, high=high,
                           unit=unit, unit_text=case, qualifier=qualifier, rule="peer:jionlp",
                           entries=[f"jionlp:money:{definition}"]))
    return figs, problems, stats


# --------------------------------------------------------------------------- Recognizers-Text

# RT dimension unit names (Chinese resources, 1.0.2a2) -> (canonical unit, factor).
# Units with no canonical unit in ANNOTATION.md keep RT's name with factor 1.
THIRD = Decimal(1) / Decimal(3)
RT_DIMENSION = {
    # mass -> kg
    "Kilogram": ("kg", Decimal(1)), "Gram": ("kg", Decimal("0.001")),
    "Milligram": ("kg", Decimal("0.000001")), "Jin": ("kg", Decimal("0.5")),
    "Ton": ("kg", Decimal(1000)), "Pound": ("kg", Decimal("0.45359237")),
    "Ounce": ("kg", Decimal("0.028349523125")), "Dan": ("kg", Decimal(50)),
    # length -> m
    "Meter": ("m", Decimal(1)), "Kilometer": ("m", Decimal(1000)),
    "Decimeter": ("m", Decimal("0.1")), "Centimeter": ("m", Decimal("0.01")),
    # RT's Chinese table files 毫米|公釐|mm under the label "Micrometer" (and 微米 under
    # "Microns"): the label is read by the words RT lists for it, i.e. as the millimetre.
    "Micrometer": ("m", Decimal("0.001")),
    "Microns": ("m", Decimal("0.000001")), "Nanometer": ("m", Decimal("1e-9")),
    "Picometer": ("m", Decimal("1e-12")), "Li": ("m", Decimal(500)),
    "Zhang": ("m", 10 * THIRD), "Chi": ("m", THIRD), "Cun": ("m", THIRD / 10),
    "Mile": ("m", Decimal("1609.344")), "Inch": ("m", Decimal("0.0254")),
    "Foot": ("m", Decimal("0.3048")), "Yard": ("m", Decimal("0.9144")),
    "Knot": ("m", Decimal(1852)),  # RT's "Knot" is 海里, the nautical mile
    "Light year": ("m", Decimal(9460730472580800)),
    # area -> m2
    "Square centimetre": ("m2", Decimal("0.0001")), "Square decimeter": ("m2", Decimal("0.01")),
    "Square meter": ("m2", Decimal(1)), "Square kilometer": ("m2", Decimal(1000000)),
    "Hectare": ("m2", Decimal(10000)), "Mu": ("m2", Decimal(10000) / Decimal(15)),
    "Acre": ("m2", Decimal("4046.8564224")),
    # volume -> m3 / L
    "Cubic meter": ("m3", Decimal(1)), "Cubic decimeter": ("m3", Decimal("0.001")),
    "Cubic millimeter": ("m3", Decimal("1e-9")), "Cubic feet": ("m3", Decimal("0.028316846592")),
    "Liter": ("L", Decimal(1)), "Milliliter": ("L", Decimal("0.001")),
    "Gallon": ("L", Decimal("3.785411784")), "Pint": ("L", Decimal("0.473176473")),
    "Dou": ("L", Decimal(10)),
}
# Sub-units of the yuan that RT reports without an ISO code.
RT_CURRENCY_SUB = {"Chinese yuan": ("CNY", Decimal(1)), "Jiao": ("CNY", Decimal("0.1")),
                   "Fen": ("CNY", Decimal("0.01"))}
RT_KIND = {"recognize_number": "number", "recognize_ordinal": "ordinal",
           "recognize_percentage": "percent", "recognize_currency": "money",
           "recognize_dimension": "measure", "recognize_age": "age",
           "recognize_temperature": "temperature"}


def convert_rt(doc_id: str, text: str, results: list[dict], error: str | None):
    figs, problems = [], []
    stats = {"dropped": 0, "nested_numbers_dropped": 0, "duplicates_dropped": 0,
             "casefold_spans": 0, "no_value": 0, "unit_not_canonical": 0}
    if error:
        problems.append({"code": "peer-error", "message": error})
    for r in results:
        s, e = r["start"], r["end"] + 1  # RT's end is inclusive
        if locate(text, s, e, r["text"]) is None:
            if locate(text, s, e, r["text"], casefold=True) is None:
                stats["dropped"] += 1
                problems.append({"code": "peer-offset-mismatch", "start": s, "end": e,
                                 "message": f"rt span {r['text']!r} does not index the text"})
                continue
            stats["casefold_spans"] += 1  # RT lower-cases its input (5G -> 5g); offsets hold
        model, res = r["model"], r.get("resolution") or {}
        kind = RT_KIND[model]
        raw_value = res.get("value")
        rt_unit = res.get("unit")
        unit, value, entries = None, None, [f"rt:{r['type_name']}"]
        if kind == "percent":
            value = dec(str(raw_value).rstrip("%")) if raw_value is not None else None
            unit = "%"
        elif kind == "money":
            iso = res.get("isoCurrency")
            value = dec(raw_value)
            if iso:
                unit = iso
            elif rt_unit in RT_CURRENCY_SUB:
                unit, factor = RT_CURRENCY_SUB[rt_unit]
                value = value * factor if value is not None else None
            else:
                unit = rt_unit
                stats["unit_not_canonical"] += 1
            entries.append(f"rt:unit:{rt_unit}")
        elif kind == "measure":
            value = dec(raw_value)
            if rt_unit in RT_DIMENSION:
                unit, factor = RT_DIMENSION[rt_unit]
                value = value * factor if value is not None else None
            else:
                unit = rt_unit
                stats["unit_not_canonical"] += 1
            entries.append(f"rt:unit:{rt_unit}")
        else:  # number, ordinal, age, temperature: never scored; value as given
            value = dec(raw_value)
            unit = rt_unit
        if value is None:
            stats["no_value"] += 1
        figs.append(figure(text, s, e, kind=kind, value=value, unit=unit, unit_text=None,
                           rule=f"peer:rt:{r['type_name']}", entries=entries))

    # Drop exact duplicates (RT's currency model sometimes reports a span twice).
    seen, uniq = set(), []
    for f in figs:
        key = (f["start"], f["end"], f["kind"], f["value"], f["unit"])
        if key in seen:
            stats["duplicates_dropped"] += 1
            continue
        seen.add(key)
        uniq.append(f)
    # Drop a number inside (or equal to) one of RT's own unit-bearing spans.
    outer = [f for f in uniq if f["kind"] not in ("number", "ordinal")]
    kept = []
    for f in uniq:
        if f["kind"] == "number" and any(
                o["start"] <= f["start"] and f["end"] <= o["end"] for o in outer):
            stats["nested_numbers_dropped"] += 1
            continue
        kept.append(f)
    return kept, problems, stats


CONVERTERS = {"jionlp": convert_jionlp, "rt": convert_rt}


# --------------------------------------------------------------------------- main

def run(peer: str, corpus: pathlib.Path, from_raw: bool) -> dict:
    raw_dir = corpus / "raw"
    raw_path = OUT / f"{peer}.raw.json"
    if from_raw:
        raw = json.loads(raw_path.read_text(encoding="utf-8"))
    else:
        raw = run_worker(peer, raw_dir)
        raw_path.write_text(json.dumps(raw, ensure_ascii=False, indent=None) + "\n",
                            encoding="utf-8")
    lines, totals, kinds = [], {}, {}
    for doc in raw["docs"]:
        text = (raw_dir / f"{doc['id']}.txt").read_bytes().decode("utf-8")
        figs, problems, stats = CONVERTERS[peer](doc["id"], text, doc["results"], doc["error"])
        for k, v in stats.items():
            totals[k] = totals.get(k, 0) + v
        for f in figs:
            kinds[f["kind"]] = kinds.get(f["kind"], 0) + 1
        lines.append(page(doc["id"], text, figs, problems))
    out_path = OUT / f"{peer}.jsonl"
    out_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    summary = {"peer": peer, "docs": len(lines), "versions": raw["versions"],
               "seconds": raw["seconds"], "figures_by_kind": dict(sorted(kinds.items())),
               "conversion": totals, "out": str(out_path.relative_to(ROOT))}
    print(json.dumps(summary, ensure_ascii=False))
    return summary


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--peer", choices=["jionlp", "rt", "all"], default="all")
    ap.add_argument("--corpus", default=str(ROOT / "corpus"),
                    help="corpus root holding raw/<id>.txt (default: corpus)")
    ap.add_argument("--from-raw", action="store_true",
                    help="re-convert out/<peer>.raw.json instead of running the peer")
    args = ap.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    peers = ["jionlp", "rt"] if args.peer == "all" else [args.peer]
    for peer in peers:
        run(peer, pathlib.Path(args.corpus).resolve(), args.from_raw)
    return 0


if __name__ == "__main__":
    sys.exit(main())
