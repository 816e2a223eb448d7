"""One self-contained HTML review page: each article's text with its figures highlighted by kind,
its quotes with cue, content and speaker linked, its speakers and the page's problems; with gold,
true positives, false positives and misses in their own styles and per-article scores.

Offsets are code points: the page is cut into elements here, by slicing the Python str, so no
script ever counts characters (a browser's JavaScript counts UTF-16 units, and every character
outside the BMP would shift what follows). Every piece of text is escaped. The file needs no
network and no other file: its style and its small script are inline.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from .evaluate import Counts, Diff, GoldDoc, diff
from .records import SCORED_KINDS, Figure, PageResult, Problem, Quote

#: Kinds in the legend, scored first.
KINDS = (*SCORED_KINDS, "number", "date", "duration", "ordinal", "code", "age", "temperature")


@dataclass
class Review:
    """One entry of the review: a page, or an input that gave none (its problems only)."""

    name: str
    page: PageResult | None = None
    problems: tuple[Problem, ...] = ()
    gold: GoldDoc | None = None
    note: str | None = None  # why the gold was not compared, when it was not


@dataclass
class _Mark:
    start: int
    end: int
    rid: str  # record id: the element's id and the panel's key
    classes: str
    title: str
    links: str = ""  # ids of the records this one is linked to (quote <-> cue, speaker)
    primary: bool = True  # one primary element per record; pieces of a split one are not


@dataclass
class _Page:
    """What one page contributes: its panel entries (record id -> rows of label, value)."""

    info: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    records: int = 0  # primary elements: figures, quotes and misses


def page_records(lines: Iterable[bytes | str], where: str) -> Iterable[Review]:
    """Reviews from the JSON lines ``cnextract extract`` wrote: a page per ``cnextract.page``
    line, the problem of a ``cnextract.problem`` line, and a problem for a line that is neither."""
    from pydantic import ValidationError

    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except ValueError as exc:
            yield Review(f"{where}:{number}", problems=(Problem(code="bad-json", message=f"line {number} "
                                                                f"is not JSON: {exc}"[:300]),))
            continue
        kind = obj.get("schema") if isinstance(obj, dict) else None
        try:
            if kind == "cnextract.page":
                page = PageResult.model_validate(obj)
                yield Review(page.source.name or f"{where}:{number}", page=page)
                continue
            if kind == "cnextract.problem":
                fields = {k: v for k, v in obj.items() if k not in ("schema", "version", "source")}
                yield Review(str(obj.get("source") or f"{where}:{number}"), problems=(Problem(**fields),))
                continue
        except (ValidationError, TypeError) as exc:
            yield Review(f"{where}:{number}", problems=(Problem(code="bad-record", message=f"line {number} "
                                                                f"is not a valid {kind} record: {exc}"[:300]),))
            continue
        yield Review(f"{where}:{number}", problems=(Problem(code="bad-record", message=f"line {number} is "
                                                            "not a cnextract.page or cnextract.problem record"),))


def is_page_records(first_line: bytes | str) -> bool:
    """Whether a JSON-lines file is output of ``cnextract extract`` (its first line tells)."""
    try:
        obj = json.loads(first_line)
    except ValueError:
        return False
    return isinstance(obj, dict) and obj.get("schema") in ("cnextract.page", "cnextract.problem")


def _e(s: object) -> str:
    return html.escape(str(s), quote=True)


def _value(f: Figure) -> str:
    if f.value is not None:
        return str(f.value)
    if f.low is not None or f.high is not None:
        return f"{f.low if f.low is not None else ''}–{f.high if f.high is not None else ''}"
    return ""


def _figure_rows(f: Figure, status: str | None = None, wrong: Figure | None = None) -> list[tuple[str, str]]:
    rows = [("figure", f.text), ("value", "" if f.value is None else str(f.value)),
            ("range", "" if f.value is not None else _value(f)), ("unit", f.unit or ""),
            ("unit as written", f.unit_text or ""), ("kind", f.kind), ("qualifier", f.qualifier or ""),
            ("direction", f.direction or ""), ("basis", f.basis or ""),
            ("metric", f.metric.text if f.metric else ""), ("subject", f.subject.text if f.subject else ""),
            ("period", f.period.text if f.period else ""), ("rule", f.rule or ""),
            ("entries", ", ".join(f.entries)), ("offsets", f"{f.start}:{f.end}")]
    if status:
        rows.insert(0, ("gold", _STATUS[status]))
    if wrong is not None:
        rows.insert(1, ("gold reads", f"{wrong.text} = {_value(wrong)} {wrong.unit or ''} {wrong.kind}"))
    return [(k, v) for k, v in rows if v]


def _quote_rows(q: Quote, status: str | None = None) -> list[tuple[str, str]]:
    content = q.content.text if len(q.content.text) <= 160 else q.content.text[:160] + "…"
    rows = [("quote", q.kind), ("speaker", q.speaker_name or ""), ("mention", q.speaker.text if q.speaker else ""),
            ("cue", q.cue.text if q.cue else ""), ("rule", q.rule or ""), ("entries", ", ".join(q.entries)),
            ("content", content),
            ("offsets", f"{q.content.start}:{q.content.end}")]
    if status:
        rows.insert(0, ("gold", _STATUS[status]))
    return [(k, v) for k, v in rows if v]


_STATUS = {"tp": "true positive", "fp": "false positive", "optional": "matches an optional gold item",
           "unscored": "kind not scored", "miss": "missed (in the gold, not found)"}


def _tooltip(rows: list[tuple[str, str]]) -> str:
    return "\n".join(f"{k}: {v}" for k, v in rows)


def _render_text(text: str, lo: int, hi: int, marks: list[_Mark]) -> str:
    """text[lo:hi] as HTML with every mark one element; a mark that crosses another is closed
    and reopened around it, its later pieces marked ``cont`` (not a second record)."""
    marks = [m for m in marks if m.start < m.end]
    for m in marks:
        m.start, m.end = max(m.start, lo), min(m.end, hi)
    marks = [m for m in marks if m.start < m.end]
    starting: dict[int, list[_Mark]] = {}
    for m in sorted(marks, key=lambda m: (m.start, -m.end)):
        starting.setdefault(m.start, []).append(m)
    bounds = sorted({lo, hi} | {m.start for m in marks} | {m.end for m in marks})
    out: list[str] = []
    stack: list[_Mark] = []
    pos = lo

    def open_tag(m: _Mark, cont: bool) -> str:
        cls = m.classes + (" cont" if cont else (" rec" if m.primary else ""))
        ident = "" if cont or not m.primary else f' id="{_e(m.rid)}"'
        links = f' data-links="{_e(m.links)}"' if m.links else ""
        return f'<span class="{_e(cls)}"{ident} data-r="{_e(m.rid)}"{links} title="{_e(m.title)}">'

    for b in bounds:
        out.append(_e(text[pos:b]))
        pos = b
        if any(m.end == b for m in stack):
            reopen = []
            while any(m.end == b for m in stack):
                m = stack.pop()
                out.append("</span>")
                if m.end != b:
                    reopen.append(m)
            for m in reversed(reopen):
                out.append(open_tag(m, True))
                stack.append(m)
        for m in starting.get(b, ()):
            out.append(open_tag(m, False))
            stack.append(m)
    out.extend("</span>" for _ in stack)
    return "".join(out)


def _ranges(page: PageResult) -> list[tuple[int, int]]:
    """Each article's part of the text: from its start (the first from 0) to the next one's."""
    arts = page.articles
    return [(0 if k == 0 else a.span.start, arts[k + 1].span.start if k + 1 < len(arts) else len(page.text))
            for k, a in enumerate(arts)]


def _score(counts: Counts) -> str:
    d = counts.prf()
    return f"P {d['p']:.3f} R {d['r']:.3f} F1 {d['f1']:.3f} (tp {d['tp']}, fp {d['fp']}, fn {d['fn']})"


def _problems(problems: Iterable[Problem], text: str) -> str:
    items = []
    for p in problems:
        where = ""
        if p.start is not None:
            end = p.end if p.end is not None else p.start + 1
            snippet = text[p.start:min(end, p.start + 40)]
            where = f' <span class="where">[{p.start}:{end}] {_e(snippet)}</span>'
        items.append(f'<li class="problem {_e(p.level)}"><b>{_e(p.code)}</b> ({_e(p.level)}): '
                     f'{_e(p.message)}{where}</li>')
    return f'<ul class="problems">{"".join(items)}</ul>' if items else ""


def _page_html(n: int, rv: Review, acc: _Page) -> str:
    page = rv.page
    head = f'<h2 id="p{n}">{_e(rv.name)}</h2>'
    if page is None:
        return f'<section class="page">{head}{_problems(rv.problems, "")}</section>'
    src = page.source
    meta = f'<p class="meta">format {_e(src.format)}{", encoding " + _e(src.encoding) if src.encoding else ""}' \
           f', {len(page.text)} characters, {len(page.figures)} figures, {len(page.quotes)} quotes</p>'
    top = [head, meta, _problems(page.problems, page.text)]
    d: Diff | None = diff(rv.gold, page) if rv.gold is not None else None
    if rv.gold is not None:
        top.append(f'<p class="gold-note">compared with gold {_e(rv.gold.doc.id)}</p>')
    elif rv.note:
        top.append(f'<p class="gold-note">{_e(rv.note)}</p>')
    parts: list[str] = []
    fig_ids: dict[int, str] = {}
    fig_index = quote_index = 0
    page_fig, page_quote = Counts(), Counts()
    for k, (art, (lo, hi)) in enumerate(zip(page.articles, _ranges(page))):
        marks: list[_Mark] = []
        a_fig, a_quote = Counts(), Counts()
        for f in art.figures:
            i = fig_index
            fig_index += 1
            rid = f"f{n}-{i}"
            fig_ids[i] = rid
            status = d.figures.get(i) if d else None
            rows = _figure_rows(f, status, d.wrong.get(i) if d else None)
            acc.info[rid] = rows
            scored = "scored" if f.kind in SCORED_KINDS else "unscored"
            gold_cls = f" g-{status}" if status else ""
            marks.append(_Mark(f.start, f.end, rid, f"fig k-{f.kind} {scored}{gold_cls}", _tooltip(rows)))
            if status == "tp":
                a_fig.tp += 1
            elif status == "fp":
                a_fig.fp += 1
        # cues and speaker mentions are shared by the quotes they serve: one element each
        links: dict[tuple[str, int, int], list[str]] = {}
        qids = []
        for q in art.quotes:
            i = quote_index
            quote_index += 1
            rid = f"q{n}-{i}"
            status = d.quotes.get(i) if d else None
            qids.append((q, rid, status))
            rows = _quote_rows(q, status)
            acc.info[rid] = rows
            if status == "tp":
                a_quote.tp += 1
            elif status == "fp":
                a_quote.fp += 1
            for role, sp in (("cue", q.cue), ("spk", q.speaker)):
                if sp is not None:
                    links.setdefault((role, sp.start, sp.end), []).append(rid)
        linked: dict[str, list[str]] = {}
        for (role, s, e), quote_ids in links.items():
            rid = f"{role}{n}-{s}-{e}"
            for qid in quote_ids:
                linked.setdefault(qid, []).append(rid)
            rows = [("cue" if role == "cue" else "speaker mention", page.text[s:e]),
                    ("quotes", str(len(quote_ids)))]
            acc.info[rid] = rows
            marks.append(_Mark(s, e, rid, role, _tooltip(rows), " ".join(quote_ids), primary=False))
        for q, rid, status in qids:
            gold_cls = f" g-{status}" if status else ""
            marks.append(_Mark(q.content.start, q.content.end, rid, f"quote q-{q.kind}{gold_cls}",
                               _tooltip(acc.info[rid]), " ".join(linked.get(rid, ()))))
        if d is not None:
            for j, g in enumerate(d.missed_figures):
                if lo <= g.start < hi:
                    rid = f"mf{n}-{j}"
                    rows = _figure_rows(g, "miss")
                    acc.info[rid] = rows
                    marks.append(_Mark(g.start, g.end, rid, f"miss mfig k-{g.kind}", _tooltip(rows)))
                    a_fig.fn += 1
            for j, g in enumerate(d.missed_quotes):
                if lo <= g.content.start < hi:
                    rid = f"mq{n}-{j}"
                    rows = _quote_rows(g, "miss")
                    acc.info[rid] = rows
                    marks.append(_Mark(g.content.start, g.content.end, rid, "miss mquote", _tooltip(rows)))
                    a_quote.fn += 1
        acc.records += sum(m.primary for m in marks)
        page_fig.add(a_fig)
        page_quote.add(a_quote)
        headline = art.headline.text if art.headline else f"article {k + 1}"
        parts.append(f'<article><h3>{_e(headline)} <span class="kind">{_e(art.kind)}</span></h3>')
        if art.byline:
            parts.append(f'<p class="byline">{_e(art.byline.text)}</p>')
        if d is not None:
            parts.append(f'<p class="score">figures (full match) {_score(a_fig)}<br>'
                         f'quotes (attribution) {_score(a_quote)}</p>')
        text = page.text
        while lo < hi and text[lo].isspace():  # the blank lines between articles are not shown
            lo += 1
        while hi > lo and text[hi - 1].isspace():
            hi -= 1
        parts.append(f'<div class="text" lang="zh">{_render_text(text, lo, hi, marks)}</div>')
        if art.speakers:
            rows = []
            for sp in art.speakers:
                said = [rid for q, rid, _ in qids if q.speaker_id == sp.id]
                rid = f"sp{n}-{k}-{sp.id}"
                acc.info[rid] = [("speaker", sp.name), ("titles", ", ".join(sp.titles)),
                                 ("organisation", sp.organisation or ""), ("mentions", str(len(sp.mentions))),
                                 ("quotes", str(len(said)))]
                acc.info[rid] = [(a, b) for a, b in acc.info[rid] if b]
                rows.append(f'<li class="speaker" data-r="{_e(rid)}" data-links="{_e(" ".join(said))}">'
                            f'<b>{_e(sp.name)}</b>{(" — " + _e("，".join(sp.titles))) if sp.titles else ""}'
                            f'{(" (" + _e(sp.organisation) + ")") if sp.organisation else ""}'
                            f' <span class="n">{len(said)} quote(s), {len(sp.mentions)} mention(s)</span></li>')
            parts.append(f'<div class="speakers"><h4>Speakers</h4><ul>{"".join(rows)}</ul></div>')
        parts.append("</article>")
    if d is not None:
        top.append(f'<p class="score page-score">page: figures (full match) {_score(page_fig)}<br>'
                   f'quotes (attribution) {_score(page_quote)}</p>')
    return f'<section class="page">{"".join(top + parts)}</section>'


def _json_script(obj: object) -> str:
    """JSON that is safe inside a script element (no </script>, no <!--)."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


def render(reviews: list[Review], title: str = "cnextract review") -> str:
    """The review page for these pages, as one HTML document."""
    acc = _Page()
    body = [_page_html(n, rv, acc) for n, rv in enumerate(reviews)]
    gold = any(rv.gold is not None for rv in reviews)
    legend = "".join(f'<span class="fig k-{k} {"scored" if k in SCORED_KINDS else "unscored"}">{k}</span> '
                     for k in KINDS)
    legend += '<span class="quote">quote</span> <span class="cue">cue</span> <span class="spk">speaker</span>'
    if gold:
        legend += (' <span class="fig k-count g-tp">true positive</span> <span class="fig k-count g-fp">'
                   'false positive</span> <span class="miss">missed</span>')
    index = "".join(f'<li><a href="#p{n}">{_e(rv.name)}</a></li>' for n, rv in enumerate(reviews))
    figures = sum(len(rv.page.figures) for rv in reviews if rv.page)
    quotes = sum(len(rv.page.quotes) for rv in reviews if rv.page)
    return (f'<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8"><title>{_e(title)}</title>'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><style>{_CSS}</style></head>'
            f'<body data-records="{acc.records}"><main><h1>{_e(title)}</h1>'
            f'<p class="meta">{len(reviews)} page(s), {figures} figures, {quotes} quotes. '
            f'Hover a highlight for its fields; click it to pin them in the panel.</p>'
            f'<p class="legend">{legend}</p><ul class="index">{index}</ul>{"".join(body)}</main>'
            f'<aside id="panel"><h4>details</h4><p class="hint">hover or click a highlight</p><table></table></aside>'
            f'<script type="application/json" id="records">{_json_script(acc.info)}</script>'
            f'<script>{_JS}</script></body></html>')


_CSS = """
body{font:15px/1.7 "Noto Sans CJK SC","WenQuanYi Micro Hei","Microsoft YaHei",sans-serif;margin:0;color:#222}
main{margin-right:330px;padding:12px 20px}
h1{font-size:20px;margin:4px 0}h2{font-size:17px;border-top:2px solid #ccc;padding-top:10px}
h3{font-size:16px;margin:14px 0 4px}.kind{font-size:12px;color:#666;font-weight:normal}
.meta,.byline,.gold-note,.score{font-size:13px;color:#555;margin:2px 0}
.text{white-space:pre-wrap;background:#fcfcfa;border:1px solid #eee;padding:8px 10px}
.legend span{display:inline-block;margin:2px 2px;padding:0 4px;font-size:12px}
.index{font-size:13px;columns:3}
.fig{border-radius:3px;padding:0 1px;cursor:pointer}
.k-money{background:#ffe08a}.k-percent{background:#b9e6ff}.k-percentage_point{background:#c9d1ff}
.k-count{background:#c8f0c0}.k-measure{background:#f4c9f0}.k-multiple{background:#ffd0b0}
.unscored{background:none;border-bottom:1px dashed #999;color:#555}
.quote{background:rgba(160,120,220,.10);border-bottom:1px solid #b9a3e0;cursor:pointer}
.cue{color:#5a2d91;font-weight:bold;cursor:pointer}.spk{border-bottom:2px solid #5a2d91;cursor:pointer}
.g-tp{outline:2px solid #2a9d3a}.g-fp{outline:2px solid #d62828;text-decoration:line-through #d62828}
.g-optional{outline:1px dotted #888}
.miss{border:2px dashed #f08c00;background:repeating-linear-gradient(45deg,#fff4e0,#fff4e0 4px,#fff 4px,#fff 8px);cursor:pointer}
.lit{box-shadow:0 0 0 3px #ffb703}
.problems{font-size:13px}.problem.error b{color:#b00}.problem.notice b{color:#a60}.where{color:#777}
.speakers{font-size:13px}.speaker{cursor:pointer}.speaker .n{color:#777}
#panel{position:fixed;right:0;top:0;bottom:0;width:310px;overflow:auto;background:#f6f6f8;border-left:1px solid #ddd;padding:10px;font-size:13px}
#panel td{vertical-align:top;padding:1px 4px}#panel td:first-child{color:#666;white-space:nowrap}
#panel .hint{color:#888}
"""

# The script only reads ids and shows fields as text (textContent): it never counts characters
# of the page and never writes markup.
_JS = """
(function () {
  var info = JSON.parse(document.getElementById('records').textContent);
  var panel = document.querySelector('#panel table');
  var pinned = null, lit = [];
  function show(rid) {
    var rows = info[rid] || [];
    document.querySelector('#panel .hint').hidden = rows.length > 0;
    panel.textContent = '';
    rows.forEach(function (row) {
      var tr = document.createElement('tr');
      var a = document.createElement('td'); a.textContent = row[0];
      var b = document.createElement('td'); b.textContent = row[1];
      tr.appendChild(a); tr.appendChild(b); panel.appendChild(tr);
    });
  }
  function light(el) {
    lit.forEach(function (x) { x.classList.remove('lit'); });
    lit = [];
    if (!el) return;
    var ids = [el.getAttribute('data-r')].concat((el.getAttribute('data-links') || '').split(' '));
    ids.forEach(function (id) {
      if (!id) return;
      document.querySelectorAll('[data-r="' + id + '"]').forEach(function (x) {
        x.classList.add('lit'); lit.push(x);
      });
    });
  }
  function target(ev) { return ev.target.closest ? ev.target.closest('[data-r]') : null; }
  document.addEventListener('mouseover', function (ev) {
    var el = target(ev);
    if (el && !pinned) { show(el.getAttribute('data-r')); light(el); }
  });
  document.addEventListener('click', function (ev) {
    var el = target(ev);
    pinned = el && el !== pinned ? el : null;
    if (el) { show(el.getAttribute('data-r')); }
    light(pinned || el);
  });
})();
"""
