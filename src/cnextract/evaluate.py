"""Score predictions against gold by the rules of ANNOTATION.md; pinned floors as a CI gate."""

from __future__ import annotations

import hashlib
import json
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from pydantic import ValidationError

from .page import split as _split
from .records import SCORED_KINDS, Figure, GoldDocument, PageResult, Quote, Span

UNITS_FIXED = {"CNY", "USD", "EUR", "HKD", "JPY", "GBP", "KRW", "AUD", "CAD", "RUB", "THB", "TWD",
               "SGD", "CHF", "INR", "%", "pp", "x", "kg", "m", "m2", "m3", "L", "W", "Wh"}
_NUMERAL_CHARS = set("0123456789０１２３４５６７８９零〇○一二三四五六七八九十百千万亿两壹贰貳叁參肆伍陆陸柒捌玖拾佰仟萬億半")
# 几/数 are vague quantifiers, not numerals: 数十家 and 十家 start at the same numeral (十)


class GoldError(ValueError):
    """A gold file is malformed; the message names the file and the item."""


@dataclass
class GoldDoc:
    doc: GoldDocument
    text: str
    path: Path


def load_gold_file(path: Path, corpus_root: Path) -> GoldDoc:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise GoldError(f"{path.name}: not readable JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise GoldError(f"{path.name}: the top level must be an object")
    for key in ("figures", "quotes"):
        for i, item in enumerate(data.get(key, [])):
            try:
                (Figure if key == "figures" else Quote).model_validate(item)
            except ValidationError as exc:
                err = exc.errors()[0]
                raise GoldError(f"{path.name}: {key}[{i}] {item.get('text', item.get('content', ''))!r}: "
                                f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}") from exc
    try:
        doc = GoldDocument.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise GoldError(f"{path.name}: {'.'.join(str(p) for p in err['loc'])}: {err['msg']}") from exc
    raw_path = corpus_root / "raw" / f"{doc.id}.txt"
    if not raw_path.is_file():
        raise GoldError(f"{path.name}: raw text {raw_path.name} not found beside the gold")
    text = raw_path.read_text(encoding="utf-8")
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    if sha != doc.sha256:
        raise GoldError(f"{path.name}: sha256 {doc.sha256[:12]}… does not match {raw_path.name} ({sha[:12]}…)")
    for i, f in enumerate(doc.figures):
        if text[f.start:f.end] != f.text:
            raise GoldError(f"{path.name}: figures[{i}] {f.text!r}: offsets {f.start}:{f.end} hold "
                            f"{text[f.start:f.end]!r}")
        if f.kind not in SCORED_KINDS:
            raise GoldError(f"{path.name}: figures[{i}] {f.text!r}: kind {f.kind!r} is not scored gold")
        if f.value is None and (f.low is None or f.high is None):
            raise GoldError(f"{path.name}: figures[{i}] {f.text!r}: neither value nor low/high")
        if not f.unit:
            raise GoldError(f"{path.name}: figures[{i}] {f.text!r}: no unit")
        if f.kind != "count" and f.unit not in UNITS_FIXED and not f.optional and f.kind != "measure":
            raise GoldError(f"{path.name}: figures[{i}] {f.text!r}: unknown unit {f.unit!r} for {f.kind}")
    for i, q in enumerate(doc.quotes):
        for name in ("content", "speaker", "cue"):
            s = getattr(q, name)
            if s is not None and text[s.start:s.end] != s.text:
                raise GoldError(f"{path.name}: quotes[{i}].{name} {s.text[:20]!r}: offsets "
                                f"{s.start}:{s.end} do not hold that text")
    return GoldDoc(doc=doc, text=text, path=path)


def load_splits(corpus_root: Path) -> dict[str, list[str]]:
    p = corpus_root / "splits.toml"
    if not p.is_file():
        return {}
    data = tomllib.loads(p.read_text(encoding="utf-8"))
    return {k: list(v["ids"]) for k, v in data.items()}


def load_gold(corpus_root: Path, split: str | None = None) -> list[GoldDoc]:
    corpus_root = Path(corpus_root)
    gold_dir = corpus_root / "gold"
    if not gold_dir.is_dir():
        raise GoldError(f"{corpus_root}: no gold/ directory")
    ids = None
    if split is not None:
        splits = load_splits(corpus_root)
        if split not in splits:
            raise GoldError(f"split {split!r} not in {corpus_root / 'splits.toml'}")
        ids = set(splits[split])
    docs = []
    for path in sorted(gold_dir.glob("*.json")):
        g = load_gold_file(path, corpus_root)
        if ids is None or g.doc.id in ids:
            docs.append(g)
    return docs


def gold_digest(corpus_root: Path) -> str:
    h = hashlib.sha256()
    root = Path(corpus_root)
    for sub in ("gold", "raw"):
        for p in sorted((root / sub).glob("*")):
            h.update(p.name.encode())
            h.update(p.read_bytes())
    if (root / "splits.toml").is_file():
        h.update((root / "splits.toml").read_bytes())
    return h.hexdigest()


# ------------------------------------------------------------------ matching


def _numeral_start(text: str, start: int) -> int:
    for i, ch in enumerate(text):
        if ch in _NUMERAL_CHARS:
            return start + i
    return start


def _close(a: Decimal | None, b: Decimal | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if a == b:
        return True
    return abs(a - b) <= Decimal("1e-6") * max(abs(a), abs(b))


def figure_full_match(p: Figure, g: Figure) -> bool:
    if p.kind != g.kind or p.unit != g.unit:
        return False
    if g.value is not None:
        return _close(p.value, g.value)
    return _close(p.low, g.low) and _close(p.high, g.high)


def match_figures(pred: list[Figure], gold: list[Figure]) -> list[tuple[int, int]]:
    """One-to-one pairs (pred index, gold index): spans overlap and start at the same numeral."""
    pairs, used = [], set()
    gstarts = [_numeral_start(g.text, g.start) for g in gold]
    for i, p in enumerate(pred):
        ps = _numeral_start(p.text, p.start)
        for j, g in enumerate(gold):
            if j in used:
                continue
            if p.start < g.end and g.start < p.end and ps == gstarts[j]:
                pairs.append((i, j))
                used.add(j)
                break
    return pairs


def match_quotes(pred: list[Quote], gold: list[Quote]) -> list[tuple[int, int]]:
    pairs, used = [], set()
    for i, p in enumerate(pred):
        best, best_ov = None, 0
        for j, g in enumerate(gold):
            if j in used:
                continue
            ov = min(p.content.end, g.content.end) - max(p.content.start, g.content.start)
            shorter = min(p.content.end - p.content.start, g.content.end - g.content.start)
            if ov > 0 and ov * 2 >= shorter and ov > best_ov:
                best, best_ov = j, ov
        if best is not None:
            pairs.append((i, best))
            used.add(best)
    return pairs


CONTEXT_FIELDS = ("metric", "subject", "period")


def context_span_right(pred: Span | None, gold: Span | None) -> bool:
    """The scheme's rule for a context field: the spans overlap and end at the same character
    (a noun phrase ends in its head: 工业增加值 for 规模以上工业增加值 is right); null only
    against null."""
    if pred is None or gold is None:
        return pred is None and gold is None
    return pred.start < gold.end and gold.start < pred.end and pred.end == gold.end


@dataclass
class ContextScore:
    """Metric, subject and period judged on paired figures: ``right[field]`` of ``pairs``;
    ``misses`` holds (index in a, index in b, field) for each disagreement."""

    pairs: int = 0
    right: dict = field(default_factory=lambda: dict.fromkeys(CONTEXT_FIELDS, 0))
    misses: list = field(default_factory=list)

    def add(self, other: "ContextScore") -> None:
        self.pairs += other.pairs
        for k in CONTEXT_FIELDS:
            self.right[k] += other.right[k]

    def accuracy(self) -> dict:
        out = {k: round(self.right[k] / self.pairs, 4) if self.pairs else None for k in CONTEXT_FIELDS}
        out["pairs"] = self.pairs
        return out


def compare_context(a: list[Figure], b: list[Figure], pairs: list[tuple[int, int]] | None = None) -> ContextScore:
    """Compare the context of two figure lists of one text (predictions against gold, or one
    annotator against another): figures are paired as the scorer pairs them (``match_figures``,
    or the given ``pairs``) and each field is judged by ``context_span_right``. The rule is
    symmetric, so for agreement the order of a and b does not matter."""
    sc = ContextScore()
    for i, j in (match_figures(a, b) if pairs is None else pairs):
        sc.pairs += 1
        for name in CONTEXT_FIELDS:
            if context_span_right(getattr(a[i], name), getattr(b[j], name)):
                sc.right[name] += 1
            else:
                sc.misses.append((i, j, name))
    return sc


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: "Counts") -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    def prf(self) -> dict:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else (1.0 if not self.fn else 0.0)
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4),
                "tp": self.tp, "fp": self.fp, "fn": self.fn}


@dataclass
class ArticleScore:
    id: str
    detect: Counts = field(default_factory=Counts)
    full: Counts = field(default_factory=Counts)
    q_detect: Counts = field(default_factory=Counts)
    q_attr: Counts = field(default_factory=Counts)
    q_direct: Counts = field(default_factory=Counts)
    q_indirect: Counts = field(default_factory=Counts)
    qual_ok: int = 0
    dir_ok: int = 0
    matched: int = 0
    misses: list = field(default_factory=list)
    false_positives: list = field(default_factory=list)
    wrong: list = field(default_factory=list)
    context: ContextScore | None = None  # None when the gold file does not annotate context
    context_misses: list = field(default_factory=list)


def _ctx(text: str, s: int, e: int, n: int = 10) -> str:
    return (text[max(0, s - n):s] + "[" + text[s:e] + "]" + text[e:e + n]).replace("\n", "⏎")


def _required_pairs(pred: list, gold: list, match) -> tuple[list[int], list, list[tuple[int, int]]]:
    """Optional gold items leave both sides (ANNOTATION.md): the indices of ``pred`` no optional
    item took, the required gold items, and ``match``'s pairs between those two (indices into the
    kept predictions and into the required items)."""
    opt = [g for g in gold if g.optional]
    req = [g for g in gold if not g.optional]
    taken = {i for i, _ in match(pred, opt)}
    kept = [i for i in range(len(pred)) if i not in taken]
    return kept, req, match([pred[i] for i in kept], req)


def score_article(gold: GoldDoc, page: PageResult | None) -> ArticleScore:
    sc = ArticleScore(id=gold.doc.id)
    text = gold.text
    pred_figs = [f for f in (page.figures if page else ()) if f.kind in SCORED_KINDS]
    kept, req, pairs = _required_pairs(pred_figs, list(gold.doc.figures), match_figures)
    pred_figs = [pred_figs[i] for i in kept]
    sc.detect.tp = len(pairs)
    sc.detect.fp = len(pred_figs) - len(pairs)
    sc.detect.fn = len(req) - len(pairs)
    full = 0
    for i, j in pairs:
        p, g = pred_figs[i], req[j]
        ok = figure_full_match(p, g)
        full += ok
        if not ok:
            sc.wrong.append({"gold": _fig_row(g, text), "pred": _fig_row(p, text)})
        sc.matched += 1
        sc.qual_ok += p.qualifier == g.qualifier
        sc.dir_ok += p.direction == g.direction
    if gold.doc.context:
        sc.context = compare_context(pred_figs, req, pairs)
        sc.context_misses = [_context_miss(name, pred_figs[i], req[j], text) for i, j, name in sc.context.misses]
    sc.full.tp = full
    sc.full.fp = len(pred_figs) - full
    sc.full.fn = len(req) - full
    matched_g = {j for _, j in pairs}
    matched_p = {i for i, _ in pairs}
    sc.misses = [_fig_row(g, text) for j, g in enumerate(req) if j not in matched_g]
    sc.false_positives = [_fig_row(p, text) for i, p in enumerate(pred_figs) if i not in matched_p]
    # quotes
    pred_q = list(page.quotes if page else ())
    kept, gq, qpairs = _required_pairs(pred_q, list(gold.doc.quotes), match_quotes)
    pred_q = [pred_q[i] for i in kept]
    sc.q_detect = Counts(len(qpairs), len(pred_q) - len(qpairs), len(gq) - len(qpairs))
    attr = sum(1 for i, j in qpairs if _same_speaker(pred_q[i], gq[j]))
    sc.q_attr = Counts(attr, len(pred_q) - attr, len(gq) - attr)
    for kinds, counts in (({"direct"}, sc.q_direct), ({"indirect", "mixed"}, sc.q_indirect)):
        pk = [q for q in pred_q if q.kind in kinds]
        gk = [q for q in gq if q.kind in kinds]
        kp = match_quotes(pk, gk)
        counts.tp, counts.fp, counts.fn = len(kp), len(pk) - len(kp), len(gk) - len(kp)
    return sc


def _sentence(text: str, pos: int) -> str:
    """The sentence around pos (by the project's splitter), for reading a miss."""
    lo, hi = _split(text).outer_sentence_of(pos)
    return text[lo:hi].strip()


def _context_miss(name: str, p: Figure, g: Figure, text: str) -> dict:
    def show(s):
        return None if s is None else s.text

    return {"field": name, "figure": g.text, "start": g.start, "gold": show(getattr(g, name)),
            "pred": show(getattr(p, name)), "sentence": _sentence(text, g.start)}


def _same_speaker(p: Quote, g: Quote) -> bool:
    if p.speaker_name is None:
        return False
    names = {g.speaker_name, *g.speaker_aliases} - {None}
    return p.speaker_name in names


def _fig_row(f: Figure, text: str) -> dict:
    return {"start": f.start, "end": f.end, "text": f.text, "context": _ctx(text, f.start, f.end),
            "value": None if f.value is None else str(f.value), "low": None if f.low is None else str(f.low),
            "high": None if f.high is None else str(f.high), "unit": f.unit, "kind": f.kind,
            "qualifier": f.qualifier, "direction": f.direction}


def pair_predictions(gold: list[GoldDoc], pages: Iterable[PageResult]) -> dict[str, PageResult]:
    by_id, by_sha = {}, {}
    for page in pages:
        name = page.source.name or ""
        stem = Path(name).stem if name else ""
        by_id[stem] = page
        by_sha[page.source.sha256] = page
    out = {}
    for g in gold:
        page = by_id.get(g.doc.id) or by_sha.get(g.doc.sha256)
        if page is not None:
            out[g.doc.id] = page
    return out


def evaluate(gold: list[GoldDoc], pages: dict[str, PageResult]) -> dict:
    tot = ArticleScore(id="all")
    ctx = ContextScore()
    rows = []
    for g in gold:
        sc = score_article(g, pages.get(g.doc.id))
        for name in ("detect", "full", "q_detect", "q_attr", "q_direct", "q_indirect"):
            getattr(tot, name).add(getattr(sc, name))
        tot.qual_ok += sc.qual_ok
        tot.dir_ok += sc.dir_ok
        tot.matched += sc.matched
        if sc.context is not None:
            ctx.add(sc.context)
        rows.append({"id": g.doc.id, "figures_detect": sc.detect.prf(), "figures_full": sc.full.prf(),
                     "quotes_detect": sc.q_detect.prf(), "quotes_attribution": sc.q_attr.prf(),
                     "context": None if sc.context is None else sc.context.accuracy(),
                     "missing_prediction": g.doc.id not in pages,
                     "misses": sc.misses, "false_positives": sc.false_positives, "wrong": sc.wrong,
                     "context_misses": sc.context_misses})
    return {
        "figures": {
            "detect": tot.detect.prf(), "full": tot.full.prf(),
            "qualifier_accuracy": round(tot.qual_ok / tot.matched, 4) if tot.matched else None,
            "direction_accuracy": round(tot.dir_ok / tot.matched, 4) if tot.matched else None,
            # accuracy of metric, subject, period on matched required figures of `"context": true` files
            "context": ctx.accuracy(),
        },
        "quotes": {"detect": tot.q_detect.prf(), "attribution": tot.q_attr.prf(),
                   "direct": tot.q_direct.prf(), "indirect": tot.q_indirect.prf()},
        "articles": rows,
    }


def load_predictions(path: Path) -> list[PageResult]:
    pages = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise GoldError(f"{path.name}: line {n}: not JSON: {exc}") from exc
            if obj.get("schema") != "cnextract.page":
                continue  # a summary or Problem line
            try:
                pages.append(PageResult.model_validate(obj))
            except ValidationError as exc:
                raise GoldError(f"{path.name}: line {n}: not a cnextract.page record: "
                                f"{exc.errors()[0]['msg']}") from exc
    return pages


# ------------------------------------------------------------------ floors

FLOOR_KEYS = (
    ("figures", "detect", "f1"), ("figures", "full", "f1"), ("figures", "full", "p"),
    ("figures", "full", "r"), ("figures", "qualifier_accuracy"), ("figures", "direction_accuracy"),
    ("quotes", "detect", "f1"), ("quotes", "attribution", "f1"),
    ("figures", "context", "metric"), ("figures", "context", "subject"), ("figures", "context", "period"),
)


def _get(d: dict, path: tuple):
    for k in path:
        d = d[k]
    return d


def floor_values(result: dict) -> dict[str, float]:
    out = {}
    for path in FLOOR_KEYS:
        v = _get(result, path)
        if v is not None:
            out[".".join(path)] = float(v)
    return out


def check_floors(result: dict, baseline: dict, split: str) -> list[str]:
    """Regressions below the pinned floors, as readable lines (empty when all is well)."""
    floors = baseline.get("floors", {}).get(split, {})
    measured = floor_values(result)
    return [f"{k}: measured {measured.get(k)} is below the floor {v}"
            for k, v in floors.items() if measured.get(k) is None or measured[k] < v - 1e-9]


def update_baseline(path: Path, results: dict[str, dict], digest: str, allow_regression: bool) -> list[str]:
    """Re-pin floors to the measured values; refuse to lower one unless allowed."""
    old = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    lowered = []
    floors = dict(old.get("floors", {}))
    for split, result in results.items():
        new = floor_values(result)
        prev = floors.get(split, {})
        for k, v in new.items():
            if k in prev and v < prev[k] - 1e-9:
                lowered.append(f"{split}: {k} {prev[k]} -> {v}")
        floors[split] = new
    if lowered and not allow_regression:
        return lowered
    path.write_text(json.dumps({"gold_digest": digest, "floors": floors}, indent=2, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    return []


# ------------------------------------------------------------------ one page against its gold


@dataclass
class Diff:
    """Each record of one page judged against its gold by the scorer's own rules: a figure is
    ``tp`` when it full-matches a required gold figure, ``fp`` otherwise (``wrong`` names the
    gold figure it matched with another value, unit or kind), ``optional`` when it matched an
    optional gold figure, ``unscored`` for the kinds the gold leaves out; a quote is ``tp`` when
    it is attributed right, else ``fp``. The misses are the required gold records no prediction
    matched that way. Keys are indices into ``page.figures`` and ``page.quotes``."""

    figures: dict[int, str] = field(default_factory=dict)
    wrong: dict[int, Figure] = field(default_factory=dict)
    missed_figures: list[Figure] = field(default_factory=list)
    quotes: dict[int, str] = field(default_factory=dict)
    missed_quotes: list[Quote] = field(default_factory=list)


def diff(gold: GoldDoc, page: PageResult) -> Diff:
    """Which records of ``page`` agree with ``gold`` (same matching as ``score_article``, whose
    full-match and attribution counts these statuses add up to)."""
    out = Diff()
    figs = list(page.figures)
    scored = [i for i, f in enumerate(figs) if f.kind in SCORED_KINDS]
    out.figures = {i: "unscored" for i, f in enumerate(figs) if f.kind not in SCORED_KINDS}
    kept, req, pairs = _required_pairs([figs[i] for i in scored], list(gold.doc.figures), match_figures)
    left = set(kept)
    out.figures.update({i: "optional" for k, i in enumerate(scored) if k not in left})
    scored = [scored[k] for k in kept]
    full = set()
    for k, j in pairs:
        if figure_full_match(figs[scored[k]], req[j]):
            out.figures[scored[k]] = "tp"
            full.add(j)
        else:
            out.wrong[scored[k]] = req[j]
    for i in scored:
        out.figures.setdefault(i, "fp")
    out.missed_figures = [g for j, g in enumerate(req) if j not in full]
    quotes = list(page.quotes)
    rest, gq, qpairs = _required_pairs(quotes, list(gold.doc.quotes), match_quotes)
    left = set(rest)
    out.quotes = {i: "optional" for i in range(len(quotes)) if i not in left}
    attributed = set()
    for k, j in qpairs:
        if _same_speaker(quotes[rest[k]], gq[j]):
            out.quotes[rest[k]] = "tp"
            attributed.add(j)
    for i in rest:
        out.quotes.setdefault(i, "fp")
    out.missed_quotes = [q for j, q in enumerate(gq) if j not in attributed]
    return out
