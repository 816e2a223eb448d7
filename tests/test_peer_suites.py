"""Peer test suites (Recognizers-Text Chinese specs, cn2an and JioNLP tables) scored on our output.

Data: tests/peer_cases/ (converted by the project; sources and licences in each folder's README).
Each in-scope file is scored for span-and-value F1 against the peer's own convention, twice: over
every case ("all") and over the cases where our scheme agrees with the peer's ("in_scheme": the
DIFFERS cases left out, the GAPS kept as failures). Both are pinned as floors in
tests/peer_floors.json (re-measure with `python tests/test_peer_suites.py --pin`); the test prints
what it measured.

Adaptor: a peer's "number" span is compared with our bare numbers and with the numeral part of
our figures (the figure's text without its unit); values are compared in the unit as written, so
5万斤 is 50000 to the number suite and 25000 kg to us. Cases where our scheme deliberately differs
from the peer's are listed in DIFFERS with the reason; cases we should read and do not are listed in
GAPS with the reason, so the list of what is missing is kept true by the test.
"""

import json
from decimal import Decimal
from functools import lru_cache

import pytest

from conftest import ROOT, load_jsonl

from cnextract.rules import load_rules

PEER = ROOT / "tests" / "peer_cases"
FLOORS = ROOT / "tests" / "peer_floors.json"

# file -> (peer kinds scored, our kinds that answer them)
FILES = {
    "recognizers-text/number.jsonl": ({"number"}, "numeral"),
    # RT's percent spec includes 个百分点; our kind for it is percentage_point (a point is not a
    # percent), with the same span and value, so it answers here; fractions are numbers to RT.
    "recognizers-text/percent.jsonl": ({"percent"}, {"percent", "percentage_point"}),
    "recognizers-text/currency.jsonl": ({"currency"}, {"money"}),
    "recognizers-text/dimension.jsonl": ({"dimension"}, {"measure"}),
    "recognizers-text/phonenumber.jsonl": (set(), {"money", "percent", "percentage_point", "count", "measure", "multiple"}),
    "cn2an/number.jsonl": ({"number"}, "numeral"),
    "cn2an/currency.jsonl": ({"currency"}, {"money"}),
    "cn2an/sentences.jsonl": ({"number", "percent"}, "numeral"),
    "jionlp/money_extract.jsonl": ({"currency"}, {"money"}),
    "jionlp/money_parse.jsonl": ({"currency"}, {"money"}),
}

# Case by case, why a peer case is not passed. Generated once from the measured failures, each
# read and classified by hand; re-read when a rule changes. Two lists:
#   DIFFERS: our scheme deliberately differs from the peer's convention; left out of the
#            in-scheme rate (still in the all-cases rate).
#   GAPS:    we should read it and do not yet; counted as failures in both rates.
_R = {
    'ARTICLE': "一 before a measure word (一只, 一对, 另一种) is the article 'a', not a count",
    'CONG': '从 before a range stays outside the span; we read 8500到3万港元 as the range',
    'CURPRE': 'a currency word before the numeral stays outside the span (港币两千九百六十元 -> 两千九百六十元), as 人民币 in the gold',
    'DIANLIANG': '两 after 点 is not a decimal digit (点二 is); 两百点两 and 一点两小时 read as 200 and 两小时',
    'DOTTED': 'dotted digit groups (2222.2222.22222.222) are a code or a version string; RT splits them into numbers',
    'DOZEN': "打 (dozen) and 双 before a noun: 打 is a verb in news (打八折, 打工); a bare 三双 without a noun is the peer's test of a measure word, ours needs the count",
    'DUIZHE': '对折 (half price) is a set phrase, not read as a figure',
    'FIN': 'a 大写 form alone (壹, 拾) is a word (拾起, 队伍), never a number',
    'HALF': '半 alone before a unit (半斤, 半成, 半折, 半百) is not read as a numeral; 一个半, 两米半 are',
    'HALFFRAC': 'an unfinished fraction (二分之。) is not read',
    'HAN': '（含） inclusive marks inside an amount are not read; the figure ends before them',
    'JIAO': '角/分 alone (壹角, 肆角叁分) are read only after 元: alone they are a corner, a minute or a score in news',
    'KUAI': '块 alone is a count of pieces (3块); it is money only with 钱 or with 毛/角 after it (十块三毛)',
    'LIA': '倆 (= 两个) is not read as a digit',
    'NOUNIT': 'a number with no currency word (三百万) is not money to us',
    'ODDCUR': 'two currency words in one amount (三万元欧元, 10日元5日本銭: 銭 is Japanese) are not read as one figure; 两美元又三美分 is',
    'ORDINAL': 'ordinals and ranks (第一, 前三) are not quantities; 第一 is an idiom in our exclusions',
    'QUAL': 'qualifiers stay outside the span with their own field (ANNOTATION.md): 约4.287亿美元 -> 4.287亿美元 qualifier about',
    'QUOTED': 'a numeral in quotation marks is a name (“五个一”), kind code',
    'RANGE': 'a range (百分之二三十, 5-20%) is one figure with low and high; the peer expects nothing or only one end',
    'SCI': 'e-notation, ^ powers, a leading-dot decimal and k/M/w shorthands (2e5, 2^5, .5, 40k, 30w) are not news usage; we read the digits only',
    'SHIZHE': '十折 is the full price (100%) to us; RT reads nothing',
    'SINGLE': "a single Chinese numeral glued to the next character is read as part of a word (四川, 一看); RT's contrived contrasts (这是五那是四) fall on the wrong side of that rule",
    'SLASH': 'a slash between numbers (1/2, 16/5) is a date, ratio or rate in news; it is not read as a fraction',
    'SPACED': 'a numeral spread over spaces (十 余 万, 7万 5千 4百): scraped news uses spaces as separators, so we never join a numeral across one (a unit, 分之 and 百 分 之 are joined)',
    'TAEL': '两 after 万 or 百 (两万两, 三千两百两) is read as the colloquial trailing digit (22000, 3220), not the tael: telling them apart needs context; 三十两, 二两, 1234两 are taels',
    'TEMP': 'cn2an leaves temperatures alone; we read 39℃ and 零下四摄氏度 as temperatures (kind temperature, unscored)',
    'VAGUE': '几/数 make a range (二十几万 -> low 200000 high 290000, value null); RT rounds to one value',
    'WRITTEN': 'RT values 三千比特 in kilobits and 12千米 as 12; we read the numeral before the base unit (3000 bit) where the numeral takes the 千',
    'YIMEIYUAN': "a figure with a unit (一美元, 一折) is money or a discount to us; RT's number model drops a lone 一 before it",
    'YOU': 'signed fraction parts (负3分之负157) and a whole number spread over spaces (三百 五又三分之一) are not read; 三百五十又三分之一 is one mixed number',
    'ZERO': '零/〇 alone is a word in news (零件, 零售, 零年 in a date), never emitted as 0',
    'ZHAO': '兆 is mega in mainland usage (兆瓦, 兆字节), never 10^12',
    'ZHENG': '整/正 closing a cheque amount stays outside the span, like a qualifier (ANNOTATION.md spans hold numeral and unit only)',
}
DIFFERS = {
    'jionlp-money_extract-0002': _R['HAN'],
    'jionlp-money_parse-0006': _R['CURPRE'],
    'cn2an-currency-0000': _R['ZHENG'],
    'cn2an-currency-0001': _R['ZHENG'],
    'cn2an-currency-0002': _R['ZHENG'],
    'cn2an-currency-0003': _R['ZHENG'],
    'cn2an-currency-0011': _R['ZHENG'],
    'cn2an-currency-0012': _R['ZHENG'],
    'cn2an-currency-0013': _R['ZHENG'],
    'cn2an-currency-0014': _R['ZHENG'],
    'cn2an-currency-0015': _R['ZHENG'],
    'cn2an-currency-0016': _R['ZHENG'],
    'cn2an-currency-0017': _R['ZHENG'],
    'cn2an-currency-0018': _R['ZHENG'],
    'cn2an-currency-0019': _R['ZHENG'],
    'cn2an-currency-0020': _R['ZHENG'],
    'cn2an-currency-0021': _R['ZHENG'],
    'cn2an-currency-0022': _R['ZHENG'],
    'cn2an-currency-0030': _R['ZHENG'],
    'cn2an-currency-0031': _R['ZHENG'],
    'cn2an-number-0000': _R['ZERO'],
    'cn2an-number-0030': _R['FIN'],
    'cn2an-number-0031': _R['FIN'],
    'cn2an-number-0108': _R['ZERO'],
    'cn2an-number-0152': _R['FIN'],
    'cn2an-sentences-0013': _R['SLASH'],
    'cn2an-sentences-0014': _R['TEMP'],
    'cn2an-sentences-0015': _R['TEMP'],
    'cn2an-sentences-0027': _R['ARTICLE'],
    'cn2an-sentences-0028': _R['ORDINAL'],
    'cn2an-sentences-0029': _R['ZERO'],
    'cn2an-sentences-0030': _R['ZERO'],
    'cn2an-sentences-0032': _R['TEMP'],
    'jionlp-money_extract-0001': _R['ZHENG'],
    'jionlp-money_extract-0003': _R['SCI'],
    'jionlp-money_parse-0007': _R['SCI'],
    'jionlp-money_parse-0008': _R['SCI'],
    'jionlp-money_parse-0012': _R['NOUNIT'],
    'jionlp-money_parse-0013': _R['NOUNIT'],
    'jionlp-money_parse-0014': _R['ZHENG'],
    'jionlp-money_parse-0020': _R['CURPRE'],
    'jionlp-money_parse-0024': _R['QUAL'],
    'jionlp-money_parse-0025': _R['QUAL'],
    'jionlp-money_parse-0026': _R['QUAL'],
    'jionlp-money_parse-0027': _R['QUAL'],
    'jionlp-money_parse-0028': _R['QUAL'],
    'jionlp-money_parse-0030': _R['KUAI'],
    'jionlp-money_parse-0031': _R['CURPRE'],
    'jionlp-money_parse-0032': _R['CURPRE'],
    'jionlp-money_parse-0034': _R['QUAL'],
    'jionlp-money_parse-0035': _R['CONG'],
    'jionlp-money_parse-0038': _R['SCI'],
    'jionlp-money_parse-0050': _R['KUAI'],
    'jionlp-money_parse-0052': _R['HAN'],
    'jionlp-money_parse-0053': _R['HAN'],
    'rt-currency-0018': _R['KUAI'],
    'rt-currency-0021': _R['CURPRE'],
    'rt-currency-0022': _R['CURPRE'],
    'rt-currency-0031': _R['ZHAO'],
    'rt-dimension-0020': _R['WRITTEN'],
    'rt-dimension-0022': _R['WRITTEN'],
    'rt-dimension-0023': _R['WRITTEN'],
    'rt-number-0000': _R['DIANLIANG'],
    'rt-number-0001': _R['DIANLIANG'],
    'rt-number-0002': _R['ARTICLE'],
    'rt-number-0018': _R['SCI'],
    'rt-number-0034': _R['DOZEN'],
    'rt-number-0058': _R['ZHAO'],
    'rt-number-0059': _R['ZHAO'],
    'rt-number-0071': _R['DOZEN'],
    'rt-number-0075': _R['HALFFRAC'],
    'rt-number-0087': _R['VAGUE'],
    'rt-number-0088': _R['VAGUE'],
    'rt-number-0089': _R['VAGUE'],
    'rt-number-0095': _R['DOZEN'],
    'rt-number-0099': _R['SCI'],
    'rt-number-0100': _R['SCI'],
    'rt-number-0121': _R['DOZEN'],
    'rt-number-0140': _R['ZHAO'],
    'rt-number-0141': _R['ZHAO'],
    'rt-number-0154': _R['HALFFRAC'],
    'rt-number-0164': _R['VAGUE'],
    'rt-number-0165': _R['VAGUE'],
    'rt-number-0166': _R['VAGUE'],
    'rt-number-0172': _R['DOZEN'],
    'rt-number-0197': _R['SCI'],
    'rt-number-0198': _R['SCI'],
    'rt-number-0202': _R['SCI'],
    'rt-number-0203': _R['SCI'],
    'rt-number-0210': _R['SCI'],
    'rt-number-0215': _R['SCI'],
    'rt-number-0216': _R['SCI'],
    'rt-number-0217': _R['SCI'],
    'rt-number-0221': _R['DOTTED'],
    'rt-number-0224': _R['SCI'],
    'rt-number-0225': _R['SCI'],
    'rt-number-0226': _R['SCI'],
    'rt-number-0227': _R['SCI'],
    'rt-number-0228': _R['SCI'],
    'rt-number-0229': _R['SCI'],
    'rt-number-0230': _R['SCI'],
    'rt-number-0231': _R['SCI'],
    'rt-number-0235': _R['SLASH'],
    'rt-number-0243': _R['SLASH'],
    'rt-number-0245': _R['SLASH'],
    'rt-number-0280': _R['YIMEIYUAN'],
    'rt-number-0284': _R['YIMEIYUAN'],
    'rt-number-0285': _R['YIMEIYUAN'],
    'rt-number-0291': _R['QUOTED'],
    'rt-number-0320': _R['ARTICLE'],
    'rt-number-0321': _R['ORDINAL'],
    'rt-number-0322': _R['ARTICLE'],
    'rt-number-0361': _R['ZHAO'],
    'rt-percent-0020': _R['SHIZHE'],
    'rt-percent-0048': _R['RANGE'],
    'rt-percent-0049': _R['RANGE'],
    'rt-percent-0059': _R['SCI'],
    'rt-percent-0072': _R['SCI'],
    'rt-percent-0079': _R['SCI'],
    'rt-percent-0080': _R['SCI'],
    'rt-percent-0116': _R['RANGE'],
    'rt-percent-0129': _R['SCI'],
    'rt-percent-0130': _R['SCI'],
    'rt-percent-0148': _R['RANGE'],
}
GAPS = {
    'cn2an-currency-0023': _R['JIAO'],
    'cn2an-currency-0027': _R['JIAO'],
    'cn2an-currency-0028': _R['JIAO'],
    'cn2an-currency-0032': _R['JIAO'],
    'cn2an-sentences-0023': _R['HALF'],
    'jionlp-money_parse-0022': _R['ODDCUR'],
    'jionlp-money_parse-0023': _R['ODDCUR'],
    'rt-currency-0010': _R['ODDCUR'],
    'rt-dimension-0028': _R['TAEL'],
    'rt-dimension-0031': _R['TAEL'],
    'rt-number-0029': _R['LIA'],
    'rt-number-0061': _R['HALF'],
    'rt-number-0081': _R['SPACED'],
    'rt-number-0090': _R['SPACED'],
    'rt-number-0159': _R['SPACED'],
    'rt-number-0167': _R['SPACED'],
    'rt-number-0233': _R['SPACED'],
    'rt-number-0234': _R['SPACED'],
    'rt-number-0244': _R['SPACED'],
    'rt-number-0250': _R['SPACED'],
    'rt-number-0253': _R['YOU'],
    'rt-number-0255': _R['SPACED'],
    'rt-number-0257': _R['SPACED'],
    'rt-number-0260': _R['SPACED'],
    'rt-number-0262': _R['SPACED'],
    'rt-number-0270': _R['SPACED'],
    'rt-number-0272': _R['YOU'],
    'rt-number-0274': _R['SPACED'],
    'rt-number-0276': _R['SPACED'],
    'rt-number-0278': _R['SPACED'],
    'rt-number-0306': _R['SINGLE'],
    'rt-number-0307': _R['SINGLE'],
    'rt-number-0310': _R['SINGLE'],
    'rt-number-0311': _R['SINGLE'],
    'rt-number-0312': _R['SINGLE'],
    'rt-number-0313': _R['SINGLE'],
    'rt-percent-0000': _R['DUIZHE'],
    'rt-percent-0004': _R['SPACED'],
    'rt-percent-0006': _R['SPACED'],
    'rt-percent-0016': _R['HALF'],
    'rt-percent-0017': _R['HALF'],
    'rt-percent-0105': _R['SPACED'],
    'rt-percent-0107': _R['DUIZHE'],
    'rt-percent-0142': _R['SPACED'],
}


@lru_cache(maxsize=1)
def _factors():
    return {form: Decimal(e.factor) for e in load_rules().units.units for form in e.forms}


def _as_written(f):
    """A measure's value in the unit as written (5万斤 -> 50000, not 25000 kg)."""
    if f.value is None or not f.unit_text:
        return f.value
    factor = _factors().get(f.unit_text.lstrip("个"))
    return f.value / factor if factor else f.value


def _views(f, ours):
    """Every (start, end, value) under which this figure answers a peer's span.

    A peer "number" is our bare number, the numeral part of a figure (its text without the unit,
    valued as written), the numeral inside 百分之…, or a fraction as a plain number; a peer
    "currency" or "dimension" is our money or measure span, valued in the unit as written.
    """
    views = set()
    if ours == "numeral":
        if f.kind == "percent" and f.rule == "fraction":
            views.add((f.start, f.end, None if f.value is None else f.value / 100))
        elif f.kind == "percent":
            views.add((f.start, f.end, f.value))
        if f.rule == "prefix-percent" and f.unit_text and f.value is not None:
            factor = _factors().get(f.unit_text, Decimal(1))
            views.add((f.start + len(f.unit_text), f.end, f.value / factor))
        if f.unit_text and f.text.endswith(f.unit_text) and f.kind != "percent":
            num = f.text[: len(f.text) - len(f.unit_text)]
            if num:
                views.add((f.start, f.start + len(num), _as_written(f)))
        elif f.kind not in ("percent",):
            views.add((f.start, f.end, f.value))
    elif f.kind in ours and f.rule != "fraction":
        views.add((f.start, f.end, f.value))
        if f.kind == "measure":
            views.add((f.start, f.end, _as_written(f)))
    return views


def _same(a, b):
    if a is None or b is None:
        return a is None and b is None
    a, b = Decimal(str(a)), Decimal(str(b))
    return a == b or abs(a - b) <= Decimal("1e-6") * max(abs(a), abs(b))


def score_file(nlp, rel, in_scheme=True):
    """P/R/F1 and pass rate; in_scheme leaves out the DIFFERS cases (never the GAPS)."""
    kinds, ours = FILES[rel]
    tp = fp = fn = 0
    passed = total = 0
    failures = []
    for case in load_jsonl(PEER / rel):
        if (in_scheme and case["id"] in DIFFERS) or "python" in case.get("not_supported", []):
            continue
        gold = [(s["start"], s["end"], s.get("value")) for s in case["expected"] if s["kind"] in kinds]
        # spans the peer annotated under a kind this file does not score: neither hit nor miss
        elsewhere = {(s["start"], s["end"]) for s in case["expected"] if s["kind"] not in kinds}
        figures = [f for f in nlp(case["input"]).figures]
        preds = [v for v in (_views(f, ours) for f in figures) if v]
        used = set()
        hit = 0
        for g in gold:
            for i, views in enumerate(preds):
                if i not in used and any((s, e) == (g[0], g[1]) and (g[2] is None or _same(v, g[2]))
                                         for s, e, v in views):
                    used.add(i)
                    hit += 1
                    break
        spurious = []
        for i, views in enumerate(preds):
            if i in used or any((s, e) in elsewhere for s, e, _ in views):
                continue
            if ours == "numeral" and all(any(g[0] <= s and e <= g[1] for g in gold) for s, e, _ in views):
                continue  # a numeral view nested in a gold span is part of that span, not a second number
            spurious.append(i)
        tp += hit
        fn += len(gold) - hit
        fp += len(spurious)
        total += 1
        ok = hit == len(gold) and not spurious
        passed += ok
        if not ok:
            got = sorted(((s, e, str(v)) for i, views in enumerate(preds) for s, e, v in views), key=lambda x: x[0])
            failures.append((case["id"], case["input"][:40], gold, got))
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"cases": total, "pass_rate": round(passed / total, 4) if total else 1.0,
            "p": round(p, 4), "r": round(r, 4), "f1": round(f1, 4)}, failures


def _measure(nlp, rel):
    in_scheme, failures = score_file(nlp, rel)
    everything, _ = score_file(nlp, rel, in_scheme=False)
    return {"in_scheme": in_scheme, "all": everything}, failures


@pytest.mark.parametrize("rel", sorted(FILES))
def test_peer_suite(rel, nlp):
    measured, failures = _measure(nlp, rel)
    floor = json.loads(FLOORS.read_text(encoding="utf-8"))[rel]
    print(f"\n{rel}: {measured}\n  floors {floor}")
    for fid, text, gold, pred in failures[:5]:
        print(f"  {fid} {text!r} want {gold} got {pred}")
    for view in ("in_scheme", "all"):
        assert measured[view]["pass_rate"] >= floor[view]["pass_rate"] - 1e-9, (view, measured)
        assert measured[view]["f1"] >= floor[view]["f1"] - 1e-9, (view, measured)
    # the gap list stays true: a gap that starts passing must leave GAPS (and lift the floor)
    still_failing = {fid for fid, *_ in failures}
    mended = [cid for cid in GAPS if cid in _ids(rel) and cid not in still_failing]
    assert not mended, f"gaps now passing, move them out of GAPS: {mended}"


@lru_cache(maxsize=None)
def _ids(rel):
    return frozenset(case["id"] for case in load_jsonl(PEER / rel))


def test_differs_and_gaps_name_real_cases():
    known = set().union(*(_ids(rel) for rel in FILES))
    assert not (set(DIFFERS) | set(GAPS)) - known
    assert not set(DIFFERS) & set(GAPS)


if __name__ == "__main__":  # re-measure: python tests/test_peer_suites.py
    import sys

    sys.path.insert(0, str(ROOT / "src"))
    import cnextract

    nlp = cnextract.Pipeline()
    results = {rel: _measure(nlp, rel)[0] for rel in sorted(FILES)}
    print(json.dumps(results, indent=1))
    if "--pin" in sys.argv:
        FLOORS.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
