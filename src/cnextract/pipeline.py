"""Options, Pipeline and extract(): load once, run the extractors, never crash on bad input."""

from __future__ import annotations

import bisect
import dataclasses
import hashlib
import os
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

from typing import Literal

import regex
from pydantic import BaseModel, ConfigDict, Field

from . import figures as _figures
from . import mentions as _mentions
from . import segment as _segment
from . import speakers as _speakers
from . import workers as _workers
from .normalise import (MAX_HTML_DEPTH, View, decode, fold, fold_script, html_depth, html_to_text,
                        is_document, looks_like_html, main_content, scrub_surrogates)
from .page import layout
from .records import SCORED_KINDS, Article, Figure, PageResult, Problem, Quote, Source, Span, Speaker

class Options(BaseModel):
    """What to extract and how; one options object instead of many keyword arguments."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    figures: bool = Field(default=True, description="Extract figures.")
    quotes: bool = Field(default=True, description="Extract quotes and their speakers.")
    unscored_kinds: bool = Field(
        default=True,
        description="Also emit numerals that are not quantities (date, duration, ordinal, code, "
        "number) so a reader can see what was set aside.",
    )
    segmenter: Literal["jieba", "rjieba"] = Field(
        default="jieba",
        description="Word segmenter for the extractors that segment: jieba, or rjieba (its Rust "
        "port, pip install 'cnextract[fast]').",
    )
    max_size: int = Field(
        default=50_000_000, ge=1,
        description="Largest input extracted: a str of more characters, or bytes or a file of more "
        "bytes, is a too-large page that keeps only its sha256 and size, not its text. A file is "
        "measured before it is read.",
    )


def decode_bytes(data: bytes, what: str = "") -> tuple[str, str, list[Problem]]:
    """bytes -> text with the encoding used; undecodable bytes become a Problem, not a crash
    (``what``, e.g. " of line 3", says where they were)."""
    text, encoding, bad = decode(data)
    if bad is None:
        return text, encoding, []
    return text, encoding, [Problem(code="decode-error", byte_offset=bad,
                                    message=f"bytes at offset {bad}{what} are not valid {encoding} (nor GB18030 "
                                    "or Big5); they were replaced with U+FFFD and the rest was read")]


#: Below this the extractors just run (linear, and tested so on such lines); above it a page that
#: is one character repeated is rejected before it costs seconds.
_MIN_DEGENERATE = 100_000


def _degenerate(raw: str) -> Problem | None:
    """A long input that is mostly one character, punctuation or digits is not prose: say so.

    Checked in linear time (a few passes in C); inputs under 100,000 characters are never judged.
    """
    if len(raw) < _MIN_DEGENERATE:
        return None
    body = regex.sub(r"\s+", "", raw)
    n = len(body)
    if n < _MIN_DEGENERATE:
        return None
    top, count = max(((c, body.count(c)) for c, _ in Counter(body[:65_536]).most_common(3)),
                     key=lambda x: x[1])
    punct = n - len(regex.sub(r"\p{P}+", "", body))
    digits = n - len(regex.sub(r"\p{Nd}+", "", body))
    if count > n / 2:
        what = f"{count * 100 // n}% of it is the character {top!r} repeated"
    elif punct > n / 2:
        what = f"{punct * 100 // n}% of it is punctuation"
    elif digits > n * 0.9:
        what = f"{digits * 100 // n}% of it is digits"
    else:
        return None
    return Problem(code="degenerate-input", message=f"the input is not prose ({what}); not extracted")


def _in_any(start: int, end: int, spans, ends: list[int]) -> bool:
    """Whether [start, end) overlaps one of ``spans`` (disjoint, in order; ``ends`` their ends):
    one bisection, so figures x repeats never costs their product."""
    k = bisect.bisect_right(ends, start)
    return k < len(spans) and spans[k][0] < end


def _within(start: int, end: int, spans, ends: list[int]) -> bool:
    """Whether [start, end) lies inside one of ``spans`` (disjoint, in order): one bisection."""
    k = bisect.bisect_right(ends, start)
    return k < len(spans) and spans[k][0] <= start and end <= spans[k][1]


def _names(name, id) -> tuple[object, object, list[Problem]]:
    """The page's name and id with lone surrogates replaced (see _scrub), and the Problems saying so."""
    problems: list[Problem] = []
    named: list[Problem] = []
    if isinstance(name, str):
        name, named = _scrub(name, "name")
        problems += named
    page_id = name
    if id is not None:  # a JSON record's id; its surrogates were reported with the name it made
        page_id, bad = _scrub(id, "id")
        problems += [] if named else bad
    return name, page_id, problems


def _scrub(text: str, where: str) -> tuple[str, list[Problem]]:
    """Lone surrogates in the text or the name: each becomes U+FFFD (one code point for one, so
    offsets hold) and a ``lone-surrogate`` Problem says so; an error in the text, whose characters
    were changed, a notice in the name, which only labels the page."""
    text, n, first = scrub_surrogates(text)
    if not n:
        return text, []
    what = f"{n} lone surrogate{'s' if n > 1 else ''} (halves of a UTF-16 pair that are not characters"
    if where == "text":
        return text, [Problem(code="lone-surrogate", start=first, end=first + 1,
                              message=f"the text held {what}, as a JSON escape such as \\ud800 makes); "
                              "each was replaced with U+FFFD and the rest was read")]
    return text, [Problem(code="lone-surrogate", level="notice",
                          message=f"the name held {what}, as a file name that is not UTF-8 makes); each "
                          "was replaced with U+FFFD in source.name")]


def _raw_decision(view: View, raw: str, d: _figures.Decision) -> _figures.Decision:
    """A decision made on the view, with its offsets (and its figure's spans) moved back to raw."""
    start, end = view.to_raw(d.start, d.end)
    made = None if d.made is None else view.remap(d.made)
    return dataclasses.replace(d, start=start, end=end, text=raw[start:end], made=made)


def _raw_quote_decision(view: View, raw: str, d: _speakers.QuoteDecision) -> _speakers.QuoteDecision:
    """A quote decision made on the view, with its offsets (and its quotes) moved back to raw."""
    start, end = view.to_raw(d.start, d.end)
    return dataclasses.replace(d, start=start, end=end, text=raw[start:end],
                               quotes=[view.remap(q) for q in d.quotes])


class Pipeline:
    """Load rules and tables once; call on many inputs."""

    def __init__(self, options: Options | None = None):
        self.options = options or Options()
        _segment.require(self.options.segmenter)
        self._finder = _figures.FigureFinder()
        self._tagger = _segment.Tagger(self.options.segmenter)
        self._speakers = _speakers.SpeakerFinder(tagger=self._tagger)

    def load(self) -> "Pipeline":
        """Load now what the first page would load (a worker calls this once at start)."""
        if self.options.quotes:
            self._tagger.load()
            _mentions.name_model()  # the name statistics, counted from the dictionary just loaded
        return self

    def __call__(self, raw: str | bytes | os.PathLike, name: str | None = None,
                 html: bool | None = None, id: str | None = None, *,
                 decisions: list[_figures.Decision | _speakers.QuoteDecision] | None = None) -> PageResult:
        """One page. ``html`` None detects markup by the text's start; True or False decides it.
        ``id`` is the page's id (default: ``name``). A path (``Path``) is read as a batch reads a
        file, and named by it: .html as HTML, an unreadable file a page with a ``read-error`` problem.
        ``decisions``, when given, receives each numeral candidate the figure rules saw and each
        quote candidate the quote rules saw (see ``explain``)."""
        if isinstance(raw, os.PathLike):
            path = os.fspath(raw)
            res = _workers._extract(self, _workers.Input(name=path if name is None else name, path=path,
                                    html=_workers._kind(path) == "html" if html is None else html))
            return res.page() if isinstance(res, _workers.Failure) else res
        self._tagger.new_page()
        self._finder.new_page()
        self._speakers.new_page()
        problems: list[Problem] = []
        encoding = None
        if isinstance(raw, (bytes, bytearray, memoryview)):
            size = len(raw)
            if size > self.options.max_size:  # refused before decoding
                return self.too_large(name, size, hashlib.sha256(raw).hexdigest(), "bytes", id=id)
            raw, encoding, problems = decode_bytes(bytes(raw))
        elif not isinstance(raw, str):
            raise TypeError(f"extract() takes str or bytes, not {type(raw).__name__}")
        else:
            size = len(raw)
        raw, bad = _scrub(raw, "text")
        problems += bad
        name, page_id, bad = _names(name, id)
        problems += bad
        sha = hashlib.sha256(raw.encode("utf-8", errors="surrogatepass")).hexdigest()
        if size > self.options.max_size:
            return self.too_large(name, size, sha, "characters", id=page_id, problems=problems)
        source = Source(name=name, encoding=encoding, sha256=sha)
        if "\x00" in raw:
            # binary, not text: no records, and the text is left out of the page (a copy of an
            # executable or 300 MB of NULs must not come back as one huge output line)
            problems.append(Problem(code="binary-input", message="the input holds NUL bytes; it is "
                                    "probably not text; not extracted", start=raw.index("\x00")))
            return PageResult(id=page_id, source=source.model_copy(update={"size": size}), text="",
                              problems=tuple(problems))
        if not raw.strip():
            problems.append(Problem(code="empty-input", message="the input holds no text"))
            return PageResult(id=page_id, source=source, text=raw, articles=(), problems=tuple(problems))
        fmt = "text"
        headline = None
        if html if html is not None else looks_like_html(raw):
            depth = html_depth(raw)
            try:
                if depth > MAX_HTML_DEPTH:
                    problems.append(Problem(code="html-error", message=f"elements nest {depth} deep, over "
                                            f"the limit of {MAX_HTML_DEPTH}; read as plain text"))
                else:
                    if is_document(raw):
                        # a whole web page: its main content only (no navigation, sidebar or footer)
                        text, headline = main_content(raw)
                        if not text:
                            text = html_to_text(raw)
                            if text:
                                problems.append(Problem(code="no-main-content", level="notice",
                                                        message="no main content was found in this web "
                                                        "page; all its visible text was read"))
                    else:
                        text = html_to_text(raw)  # a fragment: the article's own markup, read whole
                    raw, fmt = text, "html"
            except Exception as exc:  # a parser failure must not lose the page
                problems.append(Problem(code="html-error", message=f"HTML could not be parsed "
                                        f"({type(exc).__name__}: {exc}); read as plain text"))
            sha = hashlib.sha256(raw.encode("utf-8", errors="surrogatepass")).hexdigest()
            source = source.model_copy(update={"format": fmt, "sha256": sha})
            if not raw.strip():
                problems.append(Problem(code="empty-input", message="the HTML page holds no text"))
                return PageResult(id=page_id, source=source, text=raw, articles=(), problems=tuple(problems))
        # judged on the text, not the markup: a chart's data array in <script> is no article
        degenerate = _degenerate(raw)
        if degenerate is not None:
            problems.append(degenerate)
            return PageResult(id=page_id, source=source, text=raw, problems=tuple(problems))
        script = fold_script(raw)
        page = layout(script, headline)  # offsets only: the same length, so they index raw
        # a byline holds names, never figures (本报记者 张三 is no 三)
        bylines = [(b.start, b.end) for b in page.blocks if b.kind == "byline"]
        byline_ends = [e for _, e in bylines]  # blocks: disjoint and in order
        view = View(raw, page.joins)
        # a page with traditional characters has had them folded (script): what is left to fold
        # goes by runs, as on a simplified page (the two folds share no character; tested)
        vfold = fold(view.text if script is raw else View(script, page.joins).text, traditional=False)
        repeats = page.repeats
        repeat_ends = [e for _, e in repeats]  # repeats are disjoint and in text order: ends sorted
        for s, e in repeats:
            problems.append(Problem(code="repeated-text", level="notice", start=s, end=e,
                                    message="the layout printed this text twice; figures in the "
                                    "later copy are not counted"))
        articles = []
        for k, art in enumerate(page.articles):
            # an article runs to the next one's start, so header lines and furniture are not lost
            a_start = 0 if k == 0 else art.start
            a_end = page.articles[k + 1].start if k + 1 < len(page.articles) else len(raw)
            figures: list[Figure] = []
            if self.options.figures:
                try:
                    lead = None if art.lead is None else (view.to_view(art.lead[0]), view.to_view(art.lead[1]))
                    unread: list[Problem] = []  # numerals not read, each costing only itself
                    seen = None if decisions is None else []
                    found = self._finder.find(view.text, vfold, view.to_view(a_start), view.to_view(a_end),
                                              decisions=seen, lead=lead, problems=unread)
                    figures = [view.remap(f) for f in found]
                    if seen:
                        decisions += [_raw_decision(view, raw, d) for d in seen]
                    problems += [p.model_copy(update=dict(zip(("start", "end"), view.to_raw(p.start, p.end))))
                                 for p in unread]
                except Exception as exc:  # a bug must not lose the page: report it
                    problems.append(Problem(code="internal-error",
                                            message=f"figure extraction failed: {type(exc).__name__}: {exc}"))
            if repeats:
                figures = [f for f in figures if not _in_any(f.start, f.end, repeats, repeat_ends)]
            if bylines:
                figures = [f for f in figures if not _within(f.start, f.end, bylines, byline_ends)]
            if not self.options.unscored_kinds:
                figures = [f for f in figures if f.kind in SCORED_KINDS]
            quotes: list[Quote] = []
            speakers: list[Speaker] = []
            if self.options.quotes:
                try:
                    qseen = None if decisions is None else []
                    quotes, speakers = self._speakers.find(view.text, vfold,
                                                           (view.to_view(a_start), view.to_view(a_end)),
                                                           decisions=qseen)
                    if qseen:
                        decisions += [_raw_quote_decision(view, raw, d) for d in qseen]
                    quotes = [view.remap(q) for q in quotes]
                    speakers = [view.remap(sp) for sp in speakers]
                except Exception as exc:  # a bug must not lose the page: report it
                    problems.append(Problem(code="internal-error",
                                            message=f"quote extraction failed: {type(exc).__name__}: {exc}"))
            span = lambda se: None if se is None else Span(start=se[0], end=se[1], text=raw[se[0]:se[1]])  # noqa: E731
            articles.append(Article(span=span((art.start, art.end)), headline=span(art.headline),
                                    byline=span(art.byline), kind=art.kind, figures=tuple(figures),
                                    quotes=tuple(quotes), speakers=tuple(speakers)))
        if not articles:
            articles.append(Article(span=Span(start=0, end=len(raw), text=raw)))
        return PageResult(id=page_id, source=source, text=raw, articles=tuple(articles), problems=tuple(problems))

    def explain(self, raw: str | bytes, html: bool | None = None
                ) -> tuple[PageResult, list[_figures.Decision | _speakers.QuoteDecision]]:
        """The page, and every candidate its rules saw, in text order, with offsets into the page's
        text: each numeral (a figures.Decision: the rule that made a figure, before the page drops
        one in a byline or a repeat, or the reasons it declined) and each quote candidate (a
        speakers.QuoteDecision: a cue, a Q&A label or a quote-mark span no cue took, with the
        rules that fired and the quotes they made, and the rules that declined and why)."""
        decisions: list[_figures.Decision | _speakers.QuoteDecision] = []
        page = self(raw, html=html, decisions=decisions)
        decisions.sort(key=lambda d: (d.start, d.end))
        return page, decisions

    def too_large(self, name: str | None, size: int, sha256: str, unit: str = "bytes", id: str | None = None,
                  problems: list[Problem] | tuple[Problem, ...] = ()) -> PageResult:
        """The page of an input over ``Options.max_size``: a too-large Problem, its sha256 and size,
        no text (so the output line stays small whatever the input was)."""
        name, page_id, bad = _names(name, id)  # (a no-op on names already scrubbed)
        problems = [*problems, *bad, Problem(code="too-large", message=f"input of {size:,} {unit} is over "
                    f"the limit of {self.options.max_size:,} (Options.max_size); not extracted")]
        return PageResult(id=page_id, source=Source(name=name, sha256=sha256, size=size), text="",
                          problems=tuple(problems))

    def map(self, inputs: Iterable[str | bytes | Path | tuple[str, str | bytes]], jobs: int = 1,
            ) -> Iterator[PageResult]:
        """Extract many inputs; results stream back in input order.

        An input is a page (str or bytes), a ``Path`` (read as bytes, encoding detected; .html
        reduced to its text) or a ``(name, page)`` pair. ``jobs`` > 1 runs that many worker
        processes, each loading rules and segmenter once; inputs are consumed lazily with a
        bounded number in flight. A file that cannot be read, or an input that kills its worker,
        becomes a page with a Problem; the rest of the batch goes on.
        """
        def items():
            for item in inputs:
                if isinstance(item, Path):
                    yield _workers.Input(name=str(item), path=str(item), html=_workers._kind(str(item)) == "html")
                elif isinstance(item, tuple):
                    yield _workers.Input(name=item[0], raw=item[1])
                else:
                    yield _workers.Input(name=None, raw=item)

        # jobs > 1: each worker process makes its own Pipeline with these options
        results = _workers.run(items(), self.options, Pipeline, jobs=jobs, pipeline=self if jobs <= 1 else None)
        for _, res in results:
            yield res.page() if isinstance(res, _workers.Failure) else res


_default: Pipeline | None = None


def extract(raw: str | bytes | os.PathLike, name: str | None = None) -> PageResult:
    """Extract every record from one page of raw text (str or bytes) or one file (a ``Path``)."""
    global _default
    if _default is None:
        _default = Pipeline()
    return _default(raw, name=name)
