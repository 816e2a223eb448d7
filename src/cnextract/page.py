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
import re
from dataclasses import dataclass, field
from functools import lru_cache

import regex

from .rules import alternation, load_rules

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
        # one search for any of them (a test per form cost twenty times as much)
        self.boilerplate_re = alternation(self.boilerplate)
        self.kickers = forms(lay.kickers)
        self.titles = forms(lay.interview_titles)
        self.ends = frozenset(forms(lay.sentence_ends))
        self.closers = frozenset(forms(lay.closers))
        self.captions = forms(lay.captions)
        self.date_line_re = regex.compile("|".join(f for e in lay.date_lines for f in e.forms) or "(?!)")
        self.interview_verbs = "".join(f for e in lay.interview_verbs for f in e.forms)
        self.clause_re = regex.compile(r"[^，。；！？：,;!?:\n]+[，。；！？：,;!?:]?")
        # the splitter's marks (split): sentence ends, clause ends, enclosures, paragraph glue
        one = lambda table: frozenset(f for e in table for f in e.forms if len(f) == 1)  # noqa: E731
        self.stops = one(lay.sentence_breaks)
        self.clause_stops = one(lay.clause_breaks) | self.stops | {"\n"}
        self.part_stops = one(lay.part_breaks)
        pairs = [f for e in lay.enclosures for f in e.forms]
        if any(len(f) != 2 for f in pairs) or any(len(f) != 1 for e in lay.sentence_breaks + lay.clause_breaks
                                                   + lay.part_breaks + lay.paragraph_glue for f in e.forms):
            raise ValueError("rules/layout.toml: a splitter mark is one character, an enclosure two")
        if not self.part_stops <= self.clause_stops:
            raise ValueError("rules/layout.toml: a part break must end a clause too")
        self.opener_of = {f[1]: f[0] for f in pairs}  # closing mark -> its opening mark
        self.openers = frozenset(f[0] for f in pairs)
        self.glue = one(lay.paragraph_glue)
        # what may follow a sentence end and still belong to it: more ends, closing marks but brackets
        self.trail = self.stops | (self.closers - {"）", ")"})
        self.straight = [c for c in self.openers if self.opener_of.get(c) == c]
        # standard re: a character class costs half the call of regex
        cls = lambda chars: re.compile("[" + "".join(re.escape(c) for c in sorted(chars)) + "]")  # noqa: E731
        self.clause_marks = cls(self.clause_stops)
        self.part_marks = cls(self.part_stops)
        # what split() visits one by one: ends, enclosure and closing marks, line breaks
        self.split_marks = cls(self.stops | self.openers | set(self.opener_of) | self.trail)


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


# a bracketed note (a source note or credit: （第一财经）), full- or half-width brackets; the
# layout's line ends and the quote finder's reported speech both stop at one
NOTE_OPEN, NOTE_CLOSE = "\uff08(", "\uff09)"
NOTE_MAX = 32  # a source note or credit, not a bracketed paragraph


def _ends_sentence(tb: _Tables, line: str) -> bool:
    i = len(line)
    while i > 0 and line[i - 1] in tb.closers:
        i -= 1
    if i > 0 and line[i - 1] in tb.ends:
        return True
    # a note in brackets after a sentence end (…上春晚舞台。（第一财经）: the source of a brief)
    # belongs to the sentence before it, which has ended
    if line[-1:] in NOTE_CLOSE:
        o = max(line.rfind(ch, 0, len(line) - 1) for ch in NOTE_OPEN)
        if o > 0 and len(line) - o <= NOTE_MAX and line[o - 1] in tb.ends:
            return True
    return False


def _classify(tb: _Tables, text: str, s: int, e: int, prev: Block | None, after_ad: bool) -> Block:
    line = text[s:e]
    if line.startswith("#"):
        level = len(line) - len(line.lstrip("#"))
        return Block(s, e, "headline" if level <= 2 else "subhead", level)
    if line in tb.ad_labels:
        return Block(s, e, "ad_label")
    bare = line.lstrip("（(【[")
    if bare.startswith(tb.source_notes) and len(line) <= 80:
        return Block(s, e, "source_note")
    squeezed = line.replace(" ", "").replace("\u3000", "")  # 人 民 网 版 权 所 有
    if len(squeezed) <= 120 and tb.boilerplate_re.search(squeezed):
        return Block(s, e, "boilerplate")
    if len(line) <= 80 and line.endswith(tb.captions):
        return Block(s, e, "caption")
    if len(line) <= 24 and tb.date_line_re.fullmatch(line):
        return Block(s, e, "dateline")
    unwrapped = line.lstrip("（(【[\u2003 ")
    if len(line) <= 30 and not _ends_sentence(tb, line) and unwrapped.startswith(tb.bylines):
        return Block(s, e, "byline")
    short_title = len(line) <= 30 and not _ends_sentence(tb, line) and "，" not in line and "," not in line
    if short_title and line.startswith(tb.kickers):
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


_CLAUSE_MARKS = "，。；！？：,;!?:"  # what a clause's text is compared without


def _may_repeat(tb: _Tables, text: str, bodies: list[Block], open_end: dict[int, bool]) -> bool:
    """Whether a later body block ending mid-sentence has a last clause of 8+ characters (before
    a short one the column cut) whose text stands earlier on the page: every repeat has one (its
    last clause was seen before), so without one _repeats spares the clause table."""
    for b in bodies[1:]:
        if open_end[b.start]:
            clauses = [m.span() for m in tb.clause_re.finditer(text, b.start, b.end)]
            if clauses and clauses[-1][1] - clauses[-1][0] < 8:
                clauses.pop()
            k = text[clauses[-1][0]:clauses[-1][1]].rstrip(_CLAUSE_MARKS) if clauses else ""
            if len(k) >= 8 and text.find(k, 0, b.start) != -1:
                return True
    return False


def _repeats(tb: _Tables, text: str, blocks: list[Block], open_end: dict[int, bool]) -> list[tuple[int, int]]:
    """The tail of a body block that repeats clauses printed earlier (a column printed twice).

    Clauses of 8+ characters are remembered by text; a block that ends mid-sentence and whose last
    clauses were all seen before (20+ characters together) is a repeat from there; one short clause before that run
    which differs from its original's by one character (三是 / 四是) is part of the repeat.
    """
    bodies = [b for b in blocks if b.kind == "body"]
    mid = [open_end[b.start] for b in bodies]
    if not any(mid[1:]) or not _may_repeat(tb, text, bodies, open_end):
        return []  # only a later block ending mid-sentence can be a repeat: spare the clause table

    def key(cs: int, ce: int) -> str:
        return text[cs:ce].rstrip(_CLAUSE_MARKS)

    seen: dict[str, int] = {}  # clause text -> its first place in ``order``
    order: list[tuple[int, int]] = []  # every clause in text order, for the one before a match

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


class Split:
    """Paragraphs, sentences and clauses of one text, each a sorted list of starts, found once
    per text by split() in linear time; every lookup is a bisection.

    - A paragraph starts the text, follows every line break, and follows a run of two or more
      spaces after a sentence end or a closing quote mark (a paragraph break lost when the page
      was scraped into one line).
    - A sentence ends after a sentence end mark (with the ends and closing marks right after it)
      outside enclosures, and at every paragraph break. A sentence end inside an enclosure (“…”,
      （…）) ends the enclosed sentence only; an enclosure that ends with one (…明年更好！”) ends
      the sentence holding it, unless a comma follows. Enclosures pair within a paragraph; a mark
      left unpaired encloses nothing, and an open straight mark (") is dropped at the next opening
      mark of another kind.
    - A clause ends after a clause mark (，；： …, brackets) or a sentence end, at any depth, and
      at every sentence start. A part is a sentence cut after every part mark (；), at any depth:
      what a figure's context reads as its sentence.

    Starts and ends are offsets into the text; sentences and paragraphs tile it (a sentence's end
    is the next one's start, so it keeps the spaces and line break after it: ``spans`` trims).
    """

    def __init__(self, text: str, paragraphs: list[int], sentences: list[int], inner: list[int],
                 clauses: list[int], enclosures: list[tuple[int, int]], parts: list[int]):
        self.text = text
        self.paragraphs = paragraphs  # starts, sorted, the first 0
        self.sentences = sentences  # starts of sentences outside enclosures, sorted, the first 0
        self.inner = inner  # starts of enclosed sentences after the first (after an end inside “…”)
        self.clauses = clauses  # starts, sorted, the first 0
        self.enclosures = enclosures  # (open, close) of the outermost pairs, sorted
        self.parts = parts  # where a part mark (；) cuts a sentence, sorted
        self._opens = [a for a, _ in enclosures]

    @staticmethod
    def _at(starts: list[int], pos: int, n: int) -> tuple[int, int]:
        k = bisect.bisect_right(starts, pos) - 1
        return starts[max(k, 0)], starts[k + 1] if k + 1 < len(starts) else n

    def enclosure_of(self, pos: int) -> tuple[int, int] | None:
        """The outermost enclosure whose inside holds pos (open < pos <= close), if any."""
        k = bisect.bisect_left(self._opens, pos) - 1
        if k >= 0 and pos <= self.enclosures[k][1]:
            return self.enclosures[k]
        return None

    # the starts alone, for callers that ask many times (one bisection each, no tuple)
    def clause_start(self, pos: int) -> int:
        return self.clauses[bisect.bisect_right(self.clauses, pos) - 1] if pos > 0 else 0

    def paragraph_start(self, pos: int) -> int:
        return self.paragraphs[bisect.bisect_right(self.paragraphs, pos) - 1] if pos > 0 else 0

    def sentence_start(self, pos: int) -> int:
        """sentence_of(pos)[0]."""
        s = self.sentences[bisect.bisect_right(self.sentences, pos) - 1] if pos > 0 else 0
        inner = self.inner
        if inner:
            k = bisect.bisect_right(inner, pos)
            if k and inner[k - 1] > s:
                enc = self.enclosure_of(pos)
                if enc is not None and inner[k - 1] > enc[0]:
                    s = inner[k - 1]
        return s

    def part_start(self, pos: int) -> int:
        """part_of(pos)[0]."""
        s = self.sentence_start(pos)
        k = bisect.bisect_right(self.parts, pos)
        return self.parts[k - 1] if k and self.parts[k - 1] > s else s

    def paragraph_of(self, pos: int) -> tuple[int, int]:
        return self._at(self.paragraphs, pos, len(self.text))

    def outer_sentence_of(self, pos: int) -> tuple[int, int]:
        """The sentence holding pos, an enclosure and all."""
        return self._at(self.sentences, pos, len(self.text))

    def sentence_of(self, pos: int) -> tuple[int, int]:
        """The innermost sentence holding pos: inside an enclosure, the enclosed sentence (from the
        end before it inside the enclosure, or from the start of the sentence holding the
        enclosure, to the next end inside it, or the end of the sentence holding it)."""
        s, e = self._at(self.sentences, pos, len(self.text))
        enc = self.enclosure_of(pos) if self.inner else None
        if enc is None:
            return s, e
        k = bisect.bisect_right(self.inner, pos)
        if k and self.inner[k - 1] > enc[0]:
            s = max(s, self.inner[k - 1])
        if k < len(self.inner) and self.inner[k] <= enc[1]:
            e = min(e, self.inner[k])
        return s, e

    def part_of(self, pos: int) -> tuple[int, int]:
        """The innermost sentence holding pos (sentence_of), cut at the part marks in it."""
        s, e = self.sentence_of(pos)
        k = bisect.bisect_right(self.parts, pos)
        if k and self.parts[k - 1] > s:
            s = self.parts[k - 1]
        if k < len(self.parts) and self.parts[k] < e:
            e = self.parts[k]
        return s, e

    def clause_of(self, pos: int) -> tuple[int, int]:
        return self._at(self.clauses, pos, len(self.text))

    def spans(self, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
        """The sentences inside text[start:end], trimmed of spaces; empty ones are dropped."""
        end = len(self.text) if end is None else end
        k = max(bisect.bisect_right(self.sentences, start) - 1, 0)
        out = []
        while k < len(self.sentences) and self.sentences[k] < end:
            s = max(self.sentences[k], start)
            e = min(self.sentences[k + 1] if k + 1 < len(self.sentences) else len(self.text), end)
            s, e = _trim(self.text, s, e)
            if s < e:
                out.append((s, e))
            k += 1
        return out


def _split(text: str) -> Split:
    tb = tables()
    stops, trail, glue = tb.stops, tb.trail, tb.glue
    openers, opener_of, straight = tb.openers, tb.opener_of, tb.straight
    n = len(text)
    paragraphs, sentences, inner, outer = [0], [0], [], []
    # clause and part starts need no state: one regex pass each
    clauses = [m.end() for m in tb.clause_marks.finditer(text)]
    parts = [m.end() for m in tb.part_marks.finditer(text)]

    def glued(j: int) -> int:
        """j past a run of two or more glue characters, else j."""
        k = j
        while k < n and text[k] in glue:
            k += 1
        return k if k - j >= 2 else j

    def end_at(j: int) -> None:
        """A sentence ends at j (after its trailing marks); a lost paragraph break may follow."""
        k = glued(j)
        if k < n and text[k] != "\n":
            if k > j:
                paragraphs.append(k)
            sentences.append(k)

    def line(marks: list[int], le: int) -> None:
        """The sentence ends of one line, from its marks (ends, enclosure and closing marks)."""
        # pair enclosures within the line: a closing mark closes the latest opening mark of its
        # kind and drops the opening marks after that one (one stack per kind: each mark is pushed
        # and dropped once, so a line of unpaired marks stays linear)
        top: list[tuple[int, int]] = []
        if any(text[i] in openers for i in marks):
            stacks: dict[str, list[int]] = {o: [] for o in openers}
            pairs = []
            held = 0  # opening marks in all the stacks: a close leaving none skips the drop (most do)
            for i in marks:
                ch = text[i]
                op = opener_of.get(ch)
                if op is not None:
                    if stacks[op]:
                        o = stacks[op].pop()
                        held -= 1
                        pairs.append((o, i))
                        if held:
                            for st in stacks.values():
                                while st and st[-1] > o:
                                    st.pop()
                                    held -= 1
                    elif op == ch:
                        stacks[ch].append(i)  # a straight mark opens when none of its kind is open
                        held += 1
                elif ch in openers:
                    stacks[ch].append(i)
                    held += 1
                    for c in straight:
                        held -= len(stacks[c])
                        stacks[c].clear()  # an open straight mark before “ was HTML residue (摄">), not a quote
            pairs.sort()
            for a, b in pairs:
                if not top or a > top[-1][1]:
                    top.append((a, b))
            outer.extend(top)
        if not top:  # no enclosure: every end mark outside one ends a sentence
            skip = 0
            for i in marks:
                if i < skip:
                    continue
                if text[i] in stops:
                    j = i + 1
                    while j < le and text[j] in trail:
                        j += 1
                    skip = j
                    end_at(j)
                elif text[i] in trail and glued(i + 1) > i + 1:
                    end_at(i + 1)  # “她该辞职了”  据…: a subhead in quote marks glued before a paragraph
            return
        t = 0  # the first enclosure not yet passed
        ntop = len(top)
        skip = 0  # marks before this were taken into a sentence end's trail
        for i in marks:
            if i < skip:
                continue
            ch = text[i]
            while t < ntop and top[t][1] < i:
                t += 1
            inside = t < ntop and top[t][0] < i < top[t][1]
            if ch in stops:
                j = i + 1
                if inside:
                    while j < top[t][1] and text[j] in stops:
                        j += 1
                    if j < top[t][1]:
                        inner.append(j)
                    skip = j
                    continue
                while j < le and text[j] in trail:
                    j += 1
                skip = j
                end_at(j)
            elif t < ntop and top[t][1] == i and i > top[t][0] + 1 and text[i - 1] in stops:
                j = i + 1
                while j < le and text[j] in trail:
                    j += 1
                if j < le and text[j] in "，,":
                    continue  # “…！”，他说: the sentence goes on
                skip = j
                end_at(j)
            elif ch in trail and not inside and glued(i + 1) > i + 1:
                end_at(i + 1)  # “她该辞职了”  据…: a subhead in quote marks glued before a paragraph

    find = tb.split_marks.finditer
    ls = 0
    while True:
        le = text.find("\n", ls)
        if le == -1:
            le = n
        marks = [m.start() for m in find(text, ls, le)]
        if marks:
            line(marks, le)
        if le >= n:
            break
        paragraphs.append(le + 1)
        sentences.append(le + 1)
        ls = le + 1
    inner = _unique(inner, n)
    sentences = _unique(sentences, n)
    clauses = sorted({0, *clauses, *sentences, *inner})
    if clauses[-1] >= n > 0:
        clauses.pop()
    if parts and parts[-1] >= n:
        parts.pop()
    return Split(text, _unique(paragraphs, n), sentences, inner, clauses, outer, parts)
def _unique(xs: list[int], n: int) -> list[int]:
    """xs without repeats, sorted, without a start at the text's end (0 stays)."""
    out = sorted(set(xs))
    if out and out[-1] >= n and out[-1] > 0:
        out.pop()
    return out


_last_split: list = [None, None]


def split(text: str) -> Split:
    """The Split of text, made once for the text last asked about (the pipeline's figure and
    quote finders ask about the same page text, article after article)."""
    if _last_split[0] is not text:
        _last_split[1] = _split(text)
        _last_split[0] = text
    return _last_split[1]


def sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans of text[start:end] (see Split), trimmed; empty and whitespace-only pieces
    are dropped."""
    return split(text).spans(start, end)


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e
