"""Page layout: blocks -> articles, column-break joins, repeated text, sentences.

A scraped page is a run of lines. Each non-empty line is a block, labelled from its form and the
words in rules/layout.toml: headline (markdown #, or a short line with no final punctuation and no
comma), subhead, kicker (访…), interviewee (the line after a kicker), byline, ad label, source
note, boilerplate, caption, body. Articles start at headlines; a page header that announces two
interviews is split at the paragraph that first names the second interviewee. Every position is
an offset into the text given (after HTML extraction, the text PageResult.text holds).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from functools import lru_cache

import regex

from .rules import load_rules

_HAN = regex.compile(r"\p{Han}")


@dataclass(frozen=True)
class Block:
    start: int
    end: int
    kind: str  # headline subhead kicker interviewee byline body caption ad_label source_note boilerplate
    level: int = 0  # markdown heading level, 0 when the line has none


@dataclass
class ArticleLayout:
    start: int
    end: int
    headline: tuple[int, int] | None = None
    byline: tuple[int, int] | None = None
    kind: str = "news"
    lead: tuple[int, int] | None = None
    blocks: list[Block] = field(default_factory=list)


@dataclass(frozen=True)
class Layout:
    blocks: tuple[Block, ...]
    articles: tuple[ArticleLayout, ...]
    joins: tuple[tuple[int, int], ...]  # whitespace between two halves of a sentence cut by the layout
    repeats: tuple[tuple[int, int], ...]  # text the layout printed twice (the later copy)


class _Tables:
    def __init__(self):
        lay = load_rules().layout
        forms = lambda table: tuple(sorted({f for e in table for f in e.forms}, key=len, reverse=True))  # noqa: E731
        self.bylines = forms(lay.bylines)
        self.ad_labels = frozenset(forms(lay.ad_labels))
        self.source_notes = forms(lay.source_notes)
        self.boilerplate = forms(lay.boilerplate)
        self.kickers = forms(lay.kickers)
        self.titles = forms(lay.interview_titles)
        self.ends = frozenset(forms(lay.sentence_ends))
        self.closers = frozenset(forms(lay.closers))
        self.captions = forms(lay.captions)
        self.date_line_re = regex.compile("|".join(f for e in lay.date_lines for f in e.forms) or "(?!)")
        self.interview_verbs = "".join(f for e in lay.interview_verbs for f in e.forms)
        self.clause_re = regex.compile(r"[^，。；！？：,;!?:\n]+[，。；！？：,;!?:]?")
        # the characters sentences() acts on; it steps over every other one
        marks = {c for c in self.ends if len(c) == 1} | set("“「『‘”」』’\n")
        self.sentence_marks = regex.compile("[" + "".join(regex.escape(c) for c in sorted(marks)) + "]")


@lru_cache(maxsize=1)
def tables() -> _Tables:
    return _Tables()


def _lines(text: str):
    pos = 0
    for line in text.split("\n"):
        s, e = pos, pos + len(line)
        pos = e + 1
        while s < e and text[s] in " \t\u3000\r\xa0\u200b\ufeff":
            s += 1
        while e > s and text[e - 1] in " \t\u3000\r\xa0\u200b\ufeff":
            e -= 1
        if s < e:
            yield s, e


def _ends_sentence(tb: _Tables, line: str) -> bool:
    i = len(line)
    while i > 0 and line[i - 1] in tb.closers:
        i -= 1
    return i > 0 and line[i - 1] in tb.ends


def _classify(tb: _Tables, text: str, s: int, e: int, prev: Block | None, after_ad: bool) -> Block:
    line = text[s:e]
    if line.startswith("#"):
        level = len(line) - len(line.lstrip("#"))
        return Block(s, e, "headline" if level <= 2 else "subhead", level)
    if line in tb.ad_labels:
        return Block(s, e, "ad_label")
    bare = line.lstrip("（(【[")
    if any(bare.startswith(f) for f in tb.source_notes) and len(line) <= 80:
        return Block(s, e, "source_note")
    squeezed = line.replace(" ", "").replace("\u3000", "")  # 人 民 网 版 权 所 有
    if len(squeezed) <= 120 and any(f in squeezed for f in tb.boilerplate):
        return Block(s, e, "boilerplate")
    if len(line) <= 80 and any(line.endswith(f) for f in tb.captions):
        return Block(s, e, "caption")
    if len(line) <= 24 and tb.date_line_re.fullmatch(line):
        return Block(s, e, "dateline")
    unwrapped = line.lstrip("（(【[\u2003 ")
    if len(line) <= 30 and not _ends_sentence(tb, line) and any(unwrapped.startswith(f) for f in tb.bylines):
        return Block(s, e, "byline")
    short_title = len(line) <= 30 and not _ends_sentence(tb, line) and "，" not in line and "," not in line
    if short_title and any(line.startswith(f) for f in tb.kickers):
        return Block(s, e, "kicker")
    if short_title and prev is not None and prev.kind == "kicker":
        return Block(s, e, "interviewee")
    if after_ad and len(line) <= 60 and not _ends_sentence(tb, line):
        return Block(s, e, "caption")
    if short_title and _HAN.search(line):
        return Block(s, e, "title")  # headline or subhead: decided by position below
    return Block(s, e, "body")


def _interviewee_name(tb: _Tables, line: str) -> str | None:
    """辽宁省委书记论郝鹏 -> 郝鹏, 重庆市市长胡衡华 -> 胡衡华: the name after the last title."""
    best = -1
    for t in tb.titles:
        i = line.rfind(t)
        if i >= 0:
            best = max(best, i + len(t))
    if best < 0:
        return None
    name = line[best:].lstrip(tb.interview_verbs)
    return name if 2 <= len(name) <= 4 and regex.fullmatch(r"\p{Han}+", name) else None


def _repeats(tb: _Tables, text: str, blocks: list[Block], open_end: dict[int, bool]) -> list[tuple[int, int]]:
    """The tail of a body block that repeats clauses printed earlier (a column printed twice).

    Clauses of 8+ characters are remembered by text; a block that ends mid-sentence and whose last
    clauses were all seen before (20+ characters together) is a repeat from there; one short clause before that run
    which differs from its original's by one character (三是 / 四是) is part of the repeat.
    """
    bodies = [b for b in blocks if b.kind == "body"]
    mid = [open_end[b.start] for b in bodies]
    if not any(mid[1:]):
        return []  # only a later block ending mid-sentence can be a repeat: spare the clause table
    seen: dict[str, int] = {}  # clause text -> its first place in ``order``
    order: list[tuple[int, int]] = []  # every clause in text order, for the one before a match

    def key(cs: int, ce: int) -> str:
        return text[cs:ce].rstrip("，。；！？：,;!?:")

    out = []
    for b, mid_sentence in zip(bodies, mid):
        clauses = [m.span() for m in tb.clause_re.finditer(text, b.start, b.end)]
        i = len(clauses)
        tail_cut = 0
        if clauses and clauses[-1][1] - clauses[-1][0] < 8:
            tail_cut = 1  # the column cut the last clause short (打牢科技): judge the run before it
            i -= 1
        while i > 0:
            k = key(*clauses[i - 1])
            if len(k) >= 8 and k in seen:
                i -= 1
            else:
                break
        # only a tail cut mid-sentence is the layout's repeat; a whole sentence said twice (a
        # summary above the body) is the writer's and counts twice
        if i < len(clauses) - tail_cut and clauses[-1][1] - clauses[i][0] >= 20 and mid_sentence:
            start = clauses[i][0]
            if i > 0:
                ps, pe = clauses[i - 1]
                k = seen[key(*clauses[i])]  # the original's place in text order
                if k:
                    qs, qe = order[k - 1]
                    a, c = text[ps:pe], text[qs:qe]
                    if len(a) == len(c) and len(a) <= 8 and sum(x != y for x, y in zip(a, c)) <= 1:
                        start = ps
            out.append((start, b.end))
            clauses = clauses[:i]
        for cs, ce in clauses:
            k = key(cs, ce)
            if len(k) >= 8 and k not in seen:
                seen[k] = len(order)
            order.append((cs, ce))
    return out


def layout(text: str, headline: tuple[int, int] | None = None) -> Layout:
    """Blocks, articles, column-break joins and repeats of one page of text. ``headline`` is the
    line a web page's markup names as its headline (its ``<h1>`` or ``<title>``)."""
    tb = tables()
    blocks: list[Block] = []
    after_ad = False
    for s, e in _lines(text):
        if (s, e) == headline:
            blocks.append(Block(s, e, "headline", 1))
            continue
        b = _classify(tb, text, s, e, blocks[-1] if blocks else None, after_ad)
        after_ad = after_ad or b.kind == "ad_label"
        blocks.append(b)
    # body blocks that end mid-sentence: where a repeat or a column break can be
    open_end = {b.start: not _ends_sentence(tb, text[b.start:b.end]) for b in blocks if b.kind == "body"}
    repeats = _repeats(tb, text, blocks, open_end)
    repeat_ends = {e for _, e in repeats}

    # articles: a headline (or a title before any body) opens one; the header's interviews split it
    groups: list[list[Block]] = []
    cur: list[Block] = []
    cur_body = False  # whether cur holds a body block (kept, not searched for: a page of headlines is linear)
    for b in blocks:
        # a markdown headline after body text opens the next article; a plain short title after
        # body text is a subhead (人民日报 and 新华社 pages print them between paragraphs)
        if b.kind == "headline" and cur_body:
            groups.append(cur)
            cur = []
            cur_body = False
        cur.append(b)
        cur_body = cur_body or b.kind == "body"
    if cur:
        groups.append(cur)

    articles: list[ArticleLayout] = []
    for g in groups:
        articles.extend(_split_interviews(tb, text, g))

    # column-break joins: body to body inside one article, the first half ending mid-sentence
    # (one pass over the blocks: a join needs two body blocks with nothing between them)
    joins = []
    for art in articles:
        prev = None
        for b in art.blocks:
            if b.kind != "body":
                prev = None
                continue
            a = prev
            prev = b
            if a is None or a.end in repeat_ends or not open_end[a.start]:
                continue
            if text[a.end - 1] in "：:，,、" or text[b.start] in "#":
                continue
            joins.append((a.end, b.start))
    for art in articles:
        _label(tb, text, art)
    return Layout(tuple(blocks), tuple(articles), tuple(joins), tuple(repeats))


def _split_interviews(tb: _Tables, text: str, group: list[Block]) -> list[ArticleLayout]:
    """One article, or one per interviewee when the header names two or more (the seed page)."""
    header = []
    for b in group:
        if b.kind == "body":
            break
        header.append(b)
    names = []
    for b in header:
        if b.kind == "interviewee":
            name = _interviewee_name(tb, text[b.start:b.end])
            if name:
                names.append((name, b))
    body = group[len(header):]
    cuts = [0]
    if len(names) > 1:
        # where each name is mentioned: one scan of the body blocks per name length (a header of
        # many interviewees the body never names must not cost names x blocks); names of one
        # length never overlap at one place, so an overlapped scan finds every mention
        by_len: dict[int, set[str]] = {}
        for n, _ in names[1:]:
            by_len.setdefault(len(n), set()).add(n)
        finds = [regex.compile("|".join(regex.escape(n) for n in sorted(ns))) for ns in by_len.values()]
        seen: dict[str, list[int]] = {}
        for i, b in enumerate(body):
            if b.kind == "body":
                for find in finds:
                    for m in find.finditer(text, b.start, b.end, overlapped=True):
                        places = seen.setdefault(m.group(), [])
                        if not places or places[-1] != i:
                            places.append(i)
        for name, _ in names[1:]:
            places = seen.get(name, ())
            k = bisect.bisect_right(places, cuts[-1])
            if k < len(places):
                cuts.append(places[k])
    if len(cuts) < 2:
        return [_article(group)]
    bylines = [b for b in header if b.kind == "byline"]
    parts = []
    for k, c in enumerate(cuts):
        chunk = body[c:cuts[k + 1] if k + 1 < len(cuts) else len(body)]
        blocks = (header if k == 0 else []) + chunk
        art = _article(blocks)
        if k > 0:
            art.headline = (names[k][1].start, names[k][1].end)
            art.start = chunk[0].start
        if k < len(bylines):
            art.byline = (bylines[k].start, bylines[k].end)
        parts.append(art)
    return parts


def _article(blocks: list[Block]) -> ArticleLayout:
    return ArticleLayout(start=blocks[0].start, end=blocks[-1].end, blocks=list(blocks))


def _label(tb: _Tables, text: str, art: ArticleLayout) -> None:
    seen_body = False
    for b in art.blocks:
        if b.kind == "body":
            if art.lead is None and len(text[b.start:b.end]) >= 30:
                art.lead = (b.start, b.end)
            seen_body = True
        elif b.kind in ("headline", "title") and art.headline is None and not seen_body:
            # a markdown heading's marks (# …) are markup, not part of the headline
            start = b.start
            if text.startswith("#", start):
                start += len(text[start:b.end]) - len(text[start:b.end].lstrip("#"))
                while start < b.end and text[start].isspace():
                    start += 1
            art.headline = (start if start < b.end else b.start, b.end)
        elif b.kind == "byline" and art.byline is None:
            art.byline = (b.start, b.end)
        elif b.kind == "ad_label":
            art.kind = "advertorial"
    if art.kind == "news" and not any(b.kind == "body" for b in art.blocks):
        art.kind = "furniture"


def sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans: split after 。！？；… (with closing marks) and at line breaks, never inside
    quotation marks; empty and whitespace-only pieces are dropped."""
    tb = tables()
    end = len(text) if end is None else end
    out = []
    depth = 0
    s = start
    i = start
    marks = tb.sentence_marks
    while i < end:
        m = marks.search(text, i, end)  # nothing between here and the next mark changes the state
        if m is None:
            break
        i = m.start()
        ch = text[i]
        if ch in "“「『‘":
            depth += 1
        elif ch in "”」』’" and depth:
            depth -= 1
            if depth == 0 and i > s and text[i - 1] in tb.ends:  # “…明年更好！” ends a sentence
                if text[s:i + 1].strip():
                    out.append(_trim(text, s, i + 1))
                s = i = i + 1
                continue
        if ch == "\n" or (ch in tb.ends and depth == 0):
            j = i + 1
            while j < end and (text[j] in tb.ends or (text[j] in tb.closers and text[j] not in "）)")):
                if text[j] in "”」』’" and depth:
                    depth -= 1
                j += 1
            e = j if ch != "\n" else i
            if text[s:e].strip():
                out.append(_trim(text, s, e))
            s = j if ch != "\n" else i + 1
            i = j if ch != "\n" else i + 1
            if ch == "\n":
                depth = 0  # a quote left open by the scrape does not swallow the page
            continue
        i += 1
    if s < end and text[s:end].strip():
        out.append(_trim(text, s, end))
    return out


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e
