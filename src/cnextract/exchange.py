"""Export figures and quotes to annotation tools (Label Studio, doccano) and read corrected
annotations back as gold files (ANNOTATION.md; the same models as corpus/gold/*.json).

Offsets: Python indices are code points. Label Studio counts UTF-16 code units (a character
outside the BMP, 𠀀 or an emoji, is two), doccano code points; both are converted here.

What a task holds:
- the page text, and ``cnextract`` metadata: gold id, source, sha256 of the text, notes;
- one labelled region per figure (label: its kind), per context span (metric, subject, period),
  per quote content (quote-direct, quote-indirect, quote-mixed), speaker and cue;
- relations from a figure to its metric/subject/period and from a quote to its speaker and cue;
- each figure's and quote's attributes (value, low, high, unit, qualifier, direction, basis,
  optional; speaker_name, speaker_aliases): in Label Studio a per-region text area holding a JSON
  object (editable in the tool), in doccano (which has no per-span attributes) the task metadata
  keyed ``label:start:end``. A figure or quote region without attributes (added or moved by the
  corrector) gets them by reading its span with cnextract; a figure it cannot read is refused.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from .records import SCORED_KINDS, Figure, GoldDocument, PageResult, Quote, Span, decimal_text

FORMATS = ("label-studio", "doccano")
CONTEXT = ("metric", "subject", "period")
QUOTE_LABELS = {"direct": "quote-direct", "indirect": "quote-indirect", "mixed": "quote-mixed"}
_QUOTE_KINDS = {v: k for k, v in QUOTE_LABELS.items()}
#: attributes carried per record (the span, kind and links are the regions themselves)
_FIGURE_ATTRS = ("value", "low", "high", "unit", "unit_text", "qualifier", "direction", "basis", "optional")
_QUOTE_ATTRS = ("speaker_name", "speaker_aliases", "optional")
MODEL_VERSION = "cnextract"


class ExchangeError(ValueError):
    """A task or span that cannot become gold; the message names the file and the item."""


# ---------------------------------------------------------------- offsets

class Offsets:
    """Python (code point) offsets <-> UTF-16 code units for one text."""

    def __init__(self, text: str):
        self.text = text
        astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]
        self._astral = astral
        if astral:
            self._to16 = []
            n = 0
            for ch in text:
                self._to16.append(n)
                n += 2 if ord(ch) > 0xFFFF else 1
            self._to16.append(n)
            self._from16 = {u: i for i, u in enumerate(self._to16)}

    def to_utf16(self, i: int) -> int:
        return self._to16[i] if self._astral else i

    def from_utf16(self, u: int) -> int | None:
        """The code point index at UTF-16 offset ``u``; None inside a surrogate pair or out of range."""
        if not self._astral:
            return u if 0 <= u <= len(self.text) else None
        return self._from16.get(u)


# ---------------------------------------------------------------- export

@dataclass
class _Item:
    """One record as the export sees it: the gold-scheme Figure or Quote, in Python offsets."""

    label: str
    span: Span
    attrs: dict
    links: dict = field(default_factory=dict)  # relation label -> (region label, Span)


def _dec(v):
    return decimal_text(v) if isinstance(v, Decimal) else v


def _set_attrs(f: Figure) -> dict:
    """The figure's attributes that are set (a value of 0 is set; optional only when true)."""
    return {k: getattr(f, k) for k in _FIGURE_ATTRS
            if getattr(f, k) is not None and not (k == "optional" and not f.optional)}


def _figure_item(f: Figure) -> _Item:
    attrs = {k: _dec(v) for k, v in _set_attrs(f).items()}
    links = {name: (name, getattr(f, name)) for name in CONTEXT if getattr(f, name) is not None}
    return _Item(f.kind, Span(start=f.start, end=f.end, text=f.text), attrs, links)


def _quote_item(q: Quote) -> _Item:
    attrs = {}
    if q.speaker_name is not None:
        attrs["speaker_name"] = q.speaker_name
    if q.speaker_aliases:
        attrs["speaker_aliases"] = list(q.speaker_aliases)
    if q.optional:
        attrs["optional"] = True
    links = {name: (name, getattr(q, name)) for name in ("speaker", "cue") if getattr(q, name) is not None}
    return _Item(QUOTE_LABELS[q.kind], q.content, attrs, links)


def _items(figures: Iterable[Figure], quotes: Iterable[Quote]) -> list[_Item]:
    return [_figure_item(f) for f in figures if f.kind in SCORED_KINDS] + [_quote_item(q) for q in quotes]


def _meta(doc_id: str, source: str | None, text: str, notes: str | None, context: bool = False) -> dict:
    meta = {"id": doc_id, "source": source, "sha256": hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()}
    if notes is not None:
        meta["notes"] = notes
    if context:
        meta["context"] = True  # the gold file annotates every figure's metric, subject and period
    return meta


def _regions(items: list[_Item]):
    """(regions: [(rid, label, Span, attrs or None)], relations: [(from rid, to rid, label)])."""
    regions, relations, ids = [], [], {}

    def region(label: str, span: Span, attrs=None) -> str:
        key = (label, span.start, span.end)
        if attrs is None and key in ids:
            return ids[key]
        rid = f"r{len(regions) + 1}"
        ids.setdefault(key, rid)
        regions.append((rid, label, span, attrs))
        return rid

    for item in items:
        rid = region(item.label, item.span, item.attrs)
        for rel, (label, span) in item.links.items():
            relations.append((rid, region(label, span), rel))
    return regions, relations


def label_studio_task(text: str, meta: dict, items: list[_Item], as_annotation: bool) -> dict:
    """One Label Studio task (its JSON import format): regions in UTF-16 offsets."""
    off = Offsets(text)
    regions, relations = _regions(items)
    result = []
    for rid, label, span, attrs in regions:
        value = {"start": off.to_utf16(span.start), "end": off.to_utf16(span.end), "text": span.text}
        result.append({"id": rid, "from_name": "label", "to_name": "text", "type": "labels",
                       "value": {**value, "labels": [label]}})
        if attrs is not None:
            result.append({"id": rid, "from_name": "attributes", "to_name": "text", "type": "textarea",
                           "value": {**value, "text": [json.dumps(attrs, ensure_ascii=False)]}})
    for a, b, rel in relations:
        result.append({"from_id": a, "to_id": b, "type": "relation", "direction": "right", "labels": [rel]})
    key = "annotations" if as_annotation else "predictions"
    body = {"result": result}
    if not as_annotation:
        body["model_version"] = MODEL_VERSION
    return {"data": {"text": text, "cnextract": meta}, key: [body]}


def doccano_task(text: str, meta: dict, items: list[_Item]) -> dict:
    """One doccano task (sequence labelling with relations): entities in code points."""
    regions, relations = _regions(items)
    numbers = {rid: n for n, (rid, *_) in enumerate(regions, 1)}
    entities = [{"id": numbers[rid], "label": label, "start_offset": span.start, "end_offset": span.end}
                for rid, label, span, _ in regions]
    rels = [{"id": n, "from_id": numbers[a], "to_id": numbers[b], "type": rel}
            for n, (a, b, rel) in enumerate(relations, 1)]
    attributes = {f"{label}:{span.start}:{span.end}": attrs for _, label, span, attrs in regions if attrs is not None}
    return {"text": text, "entities": entities, "relations": rels,
            "cnextract": {**meta, "attributes": attributes}}


def _task(fmt: str, text: str, meta: dict, items: list[_Item], as_annotation: bool) -> dict:
    if fmt == "label-studio":
        return label_studio_task(text, meta, items, as_annotation)
    if fmt == "doccano":
        return doccano_task(text, meta, items)
    raise ValueError(f"unknown format {fmt!r}: one of {', '.join(FORMATS)}")


def page_task(page: PageResult, fmt: str) -> dict:
    """A task with the page's predictions (scored figure kinds and quotes)."""
    doc_id = page.id or page.source.name or page.source.sha256[:12]
    if page.id is not None and page.id == page.source.name:
        doc_id = Path(page.id).stem if page.id != "-" else page.id  # a file: its stem, as in corpus/
    meta = _meta(doc_id, page.source.name, page.text, None)
    return _task(fmt, page.text, meta, _items(page.figures, page.quotes), as_annotation=False)


def gold_task(doc: GoldDocument, text: str, fmt: str) -> dict:
    """A task holding a gold file as a finished annotation (Label Studio) or labels (doccano)."""
    meta = _meta(doc.id, doc.source, text, doc.notes, doc.context)
    return _task(fmt, text, meta, _items(doc.figures, doc.quotes), as_annotation=True)


def write_tasks(tasks: list[dict], fmt: str, out) -> None:
    """Label Studio: one JSON array; doccano: JSON lines (its import format)."""
    if fmt == "label-studio":
        json.dump(tasks, out, ensure_ascii=False, indent=1)
        out.write("\n")
    else:
        for t in tasks:
            out.write(json.dumps(t, ensure_ascii=False) + "\n")


# ---------------------------------------------------------------- import

def read_tasks(path: Path) -> list[dict]:
    """A JSON array of tasks (Label Studio's export, or doccano's JSON) or JSON lines (doccano)."""
    try:
        data = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ExchangeError(f"{path}: cannot read: {exc}") from exc
    try:
        if data.lstrip().startswith("["):
            tasks = json.loads(data)
        else:
            tasks = [json.loads(line) for line in data.splitlines() if line.strip()]
    except json.JSONDecodeError as exc:
        raise ExchangeError(f"{path}: not JSON or JSON lines: {exc}") from exc
    if not all(isinstance(t, dict) for t in tasks):
        raise ExchangeError(f"{path}: every task must be a JSON object")
    return tasks


@dataclass
class _Region:
    label: str
    start: int
    end: int
    attrs: dict | None = None
    links: dict = field(default_factory=dict)


def _ls_regions(task: dict, where: str, text: str, errors: list[str]):
    """(regions by id, whether the task had an annotation) from the last finished annotation,
    else None when the task has none."""
    done = [a for a in task.get("annotations") or () if not a.get("was_cancelled")]
    if not done:
        return None
    result = done[-1].get("result") or []
    off = Offsets(text)
    regions: dict[str, _Region] = {}
    refused: set = set()  # regions already reported: their relations are not reported again
    attrs: dict[str, dict] = {}
    for k, r in enumerate(result):
        if r.get("type") == "labels":
            v = r.get("value") or {}
            labels = v.get("labels") or []
            s, e = off.from_utf16(v.get("start", -1)), off.from_utf16(v.get("end", -1))
            what = f"{where} result[{k}] {labels[:1]} {v.get('text', '')!r}"
            if len(labels) != 1:
                errors.append(f"{what}: a region needs exactly one label")
            elif s is None or e is None or e < s:
                errors.append(f"{what}: offsets {v.get('start')}:{v.get('end')} (UTF-16) are not a span of the page")
            elif "text" in v and text[s:e] != v["text"]:
                errors.append(f"{what}: the page holds {text[s:e]!r} at {v.get('start')}:{v.get('end')}")
            else:
                regions[r.get("id")] = _Region(labels[0], s, e)
                continue
            refused.add(r.get("id"))
        elif r.get("type") == "textarea" and r.get("from_name") == "attributes":
            texts = (r.get("value") or {}).get("text") or []
            try:
                attrs[r.get("id")] = json.loads(texts[0]) if texts else {}
            except json.JSONDecodeError as exc:
                errors.append(f"{where} result[{k}]: attributes are not a JSON object: {exc}")
    for rid, a in attrs.items():
        if rid in regions:
            regions[rid].attrs = a
    for k, r in enumerate(result):
        if r.get("type") == "relation":
            _link(regions, r.get("from_id"), r.get("to_id"), (r.get("labels") or [None])[0],
                  f"{where} result[{k}]", errors, refused)
    return regions


def _doccano_regions(task: dict, where: str, text: str, errors: list[str]):
    meta_attrs = (task.get("cnextract") or {}).get("attributes") or {}
    regions: dict = {}
    refused: set = set()
    for k, ent in enumerate(task.get("entities") or ()):
        s, e, label = ent.get("start_offset"), ent.get("end_offset"), ent.get("label")
        what = f"{where} entities[{k}] {label!r}"
        if not (isinstance(s, int) and isinstance(e, int) and 0 <= s <= e <= len(text)):
            errors.append(f"{what}: offsets {s}:{e} are not a span of the page")
            refused.add(ent.get("id"))
            continue
        if "text" in ent and text[s:e] != ent["text"]:
            errors.append(f"{what}: the page holds {text[s:e]!r} at {s}:{e}, not {ent['text']!r}")
            refused.add(ent.get("id"))
            continue
        regions[ent.get("id")] = _Region(label, s, e, meta_attrs.get(f"{label}:{s}:{e}"))
    for k, rel in enumerate(task.get("relations") or ()):
        _link(regions, rel.get("from_id"), rel.get("to_id"), rel.get("type"), f"{where} relations[{k}]",
              errors, refused)
    return regions


def _link(regions: dict, a, b, label, where: str, errors: list[str], refused: set) -> None:
    if a in refused or b in refused:
        return
    if a not in regions or b not in regions:
        errors.append(f"{where}: a relation between regions that are not in the task")
    elif label in regions[a].links:
        errors.append(f"{where}: a second {label} for one record")
    else:
        regions[a].links[label] = regions[b]


def _why(exc: ValueError) -> str:
    """The first reason of a validation error, one line."""
    errs = getattr(exc, "errors", None)
    if callable(errs):
        e = errs()[0]
        return f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}"[:200]
    return str(exc).splitlines()[0][:200]


def has_annotation(task: dict, fmt: str) -> bool:
    """Whether a task holds a finished annotation (Label Studio); a doccano task always does."""
    return fmt != "label-studio" or any(not a.get("was_cancelled") for a in task.get("annotations") or ())


def _span(text: str, r: _Region | None) -> Span | None:
    return None if r is None else Span(start=r.start, end=r.end, text=text[r.start:r.end])


def _read_figure(text: str, r: _Region, pages: dict) -> dict | None:
    """Attributes for a figure region that has none: cnextract's reading of the same span in the
    page, else of the span alone."""
    from .pipeline import extract

    for source, base in ((text, 0), (text[r.start:r.end], r.start)):
        if source not in pages:
            pages[source] = extract(source)
        for f in pages[source].figures:
            if f.start + base == r.start and f.end + base == r.end:
                return _set_attrs(f)
    return None


def task_to_gold(task: dict, fmt: str, where: str, errors: list[str], check_raw=None) -> GoldDocument | None:
    """One exported task -> a GoldDocument; problems are appended to ``errors`` naming the item."""
    from .tables import speaker_key

    if fmt == "label-studio":
        data = task.get("data") or {}
        text, meta = data.get("text"), data.get("cnextract") or {}
    else:
        text, meta = task.get("text"), task.get("cnextract") or {}
    if not isinstance(text, str) or not meta.get("id"):
        errors.append(f"{where}: not a task exported by cnextract (no text or no cnextract.id)")
        return None
    where = f"{where} ({meta['id']})"
    sha = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    if meta.get("sha256") and sha != meta["sha256"]:
        errors.append(f"{where}: the task's text is not the exported page (sha256 differs)")
        return None
    if check_raw is not None:
        problem = check_raw(meta, text)
        if problem:
            errors.append(f"{where}: {problem}")
            return None
    n = len(errors)
    regions = (_ls_regions if fmt == "label-studio" else _doccano_regions)(task, where, text, errors)
    if regions is None:
        return None
    figures, quotes = [], []
    pages: dict = {}  # cnextract's reading of the page, made once when a region needs it
    for r in regions.values():
        what = f"{where} {r.label} {text[r.start:r.end]!r} at {r.start}:{r.end}"
        if r.label in SCORED_KINDS:
            attrs = r.attrs if r.attrs is not None else _read_figure(text, r, pages)
            if attrs is None:
                errors.append(f"{what}: no attributes and cnextract does not read the span as one "
                              "figure: give its value and unit")
                continue
            context = {name: _span(text, r.links.get(name)) for name in CONTEXT}
            if not attrs.get("unit") or (attrs.get("value") is None and
                                         (attrs.get("low") is None or attrs.get("high") is None)):
                errors.append(f"{what}: gold needs a unit and a value (or low and high)")
                continue
            try:
                figures.append(Figure(start=r.start, end=r.end, text=text[r.start:r.end], kind=r.label,
                                      **context, **{k: v for k, v in attrs.items() if k in _FIGURE_ATTRS}))
            except ValueError as exc:
                errors.append(f"{what}: {_why(exc)}")
        elif r.label in _QUOTE_KINDS:
            speaker, cue = _span(text, r.links.get("speaker")), _span(text, r.links.get("cue"))
            attrs = r.attrs
            if attrs is None:
                name = speaker_key(speaker.text) if speaker else None
                attrs = {"speaker_name": name,
                         "speaker_aliases": list(dict.fromkeys(x for x in (name, speaker and speaker.text) if x))}
            try:
                quotes.append(Quote(kind=_QUOTE_KINDS[r.label], content=_span(text, r), speaker=speaker, cue=cue,
                                    **{k: v for k, v in attrs.items() if k in _QUOTE_ATTRS}))
            except ValueError as exc:
                errors.append(f"{what}: {_why(exc)}")
    if len(errors) > n:
        return None
    figures.sort(key=lambda f: (f.start, f.end))
    quotes.sort(key=lambda q: (q.content.start, q.content.end))
    return GoldDocument(id=meta["id"], source=meta.get("source") or meta["id"], sha256=sha,
                        figures=tuple(figures), quotes=tuple(quotes), notes=meta.get("notes"),
                        context=bool(meta.get("context")))


_DECIMAL = re.compile(r'"@decimal@([-+0-9.Ee]+)"')


_FIGURE_KEYS = ("start", "end", "text", "value", "unit", "kind", "qualifier", "direction")
_QUOTE_KEYS = ("content", "kind", "speaker", "speaker_name", "speaker_aliases", "cue")


def _ordered(record, always: tuple[str, ...], last: tuple[str, ...] = (), spell_last: bool = False) -> dict:
    """The fields corpus/gold writes on every item, in its order, then the others that are set,
    then ``last`` (all of them when ``spell_last``, else those that are set)."""
    full = record.model_dump()
    set_ = record.model_dump(exclude_defaults=True)
    out = {k: full[k] for k in always}
    out.update((k, v) for k, v in set_.items() if k not in always and k not in last)
    out.update((k, full[k]) for k in last if spell_last or k in set_)
    return out


def gold_json(doc: GoldDocument) -> str:
    """A gold file laid out as corpus/gold/ writes them; values are JSON numbers written exactly.
    A file with ``context`` spells each figure's metric, subject and period out, null or not."""
    def number(v):
        return f"@decimal@{v}" if isinstance(v, Decimal) else v

    figures = [_ordered(f, _FIGURE_KEYS, CONTEXT, doc.context) for f in doc.figures]
    for f in figures:
        for k in ("value", "low", "high"):
            if k in f:
                f[k] = number(f[k])
    body = {"id": doc.id, "source": doc.source, "sha256": doc.sha256, "figures": figures,
            "quotes": [_ordered(q, _QUOTE_KEYS) for q in doc.quotes], "notes": doc.notes,
            "context": doc.context}
    return _DECIMAL.sub(r"\1", json.dumps(body, ensure_ascii=False, indent=1)) + "\n"


def safe_name(doc_id: str) -> str:
    """A gold id as a file name: characters other than word characters, - and . become _."""
    return re.sub(r"[^\w.-]", "_", doc_id).lstrip(".") or "_"
