"""Options, Pipeline and extract(): load once, run the extractors, never crash on bad input."""

from __future__ import annotations

import hashlib
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
from .normalise import View, decode, fold, html_to_text, looks_like_html
from .page import layout
from .records import SCORED_KINDS, Article, Figure, PageResult, Problem, Quote, Source, Span, Speaker

_MAX_CHARS = 50_000_000


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


def _decode(data: bytes) -> tuple[str, str, list[Problem]]:
    """bytes -> text with the encoding used; undecodable bytes become a Problem, not a crash."""
    text, encoding, bad = decode(data)
    if bad is None:
        return text, encoding, []
    return text, encoding, [Problem(code="decode-error", byte_offset=bad,
                                    message=f"bytes at offset {bad} are not valid {encoding} (nor GB18030 "
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

    def __call__(self, raw: str | bytes, name: str | None = None, html: bool | None = None) -> PageResult:
        """One page. ``html`` None detects markup by the text's start; True or False decides it."""
        self._tagger.new_page()
        self._finder.new_page()
        problems: list[Problem] = []
        encoding = None
        if isinstance(raw, (bytes, bytearray, memoryview)):
            raw, encoding, problems = _decode(bytes(raw))
        if not isinstance(raw, str):
            raise TypeError(f"extract() takes str or bytes, not {type(raw).__name__}")
        if "\x00" in raw:
            problems.append(Problem(code="binary-input", message="the input holds NUL bytes; "
                                    "it is probably not text", start=raw.index("\x00")))
        sha = hashlib.sha256(raw.encode("utf-8", errors="surrogatepass")).hexdigest()
        source = Source(name=name, encoding=encoding, sha256=sha)
        if not raw.strip():
            problems.append(Problem(code="empty-input", message="the input holds no text"))
            return PageResult(source=source, text=raw, articles=(), problems=tuple(problems))
        if len(raw) > _MAX_CHARS:
            problems.append(Problem(code="too-large", message=f"input of {len(raw)} characters "
                                    f"is over the limit of {_MAX_CHARS}; not extracted"))
            return PageResult(source=source, text=raw, problems=tuple(problems))
        degenerate = _degenerate(raw)
        if degenerate is not None:
            problems.append(degenerate)
            return PageResult(source=source, text=raw, problems=tuple(problems))
        fmt = "text"
        if html if html is not None else looks_like_html(raw):
            try:
                raw, fmt = html_to_text(raw), "html"
            except Exception as exc:  # a parser failure must not lose the page
                problems.append(Problem(code="html-error", message=f"HTML could not be parsed "
                                        f"({type(exc).__name__}: {exc}); read as plain text"))
            sha = hashlib.sha256(raw.encode("utf-8", errors="surrogatepass")).hexdigest()
            source = source.model_copy(update={"format": fmt, "sha256": sha})
            if not raw.strip():
                problems.append(Problem(code="empty-input", message="the HTML page holds no text"))
                return PageResult(source=source, text=raw, articles=(), problems=tuple(problems))
        page = layout(raw)
        view = View(raw, page.joins)
        vfold = fold(view.text)
        repeats = page.repeats
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
                    found = self._finder.find(view.text, vfold, view.to_view(a_start), view.to_view(a_end),
                                              lead=lead)
                    figures = [view.remap(f) for f in found]
                except Exception as exc:  # a bug must not lose the page: report it
                    problems.append(Problem(code="internal-error",
                                            message=f"figure extraction failed: {type(exc).__name__}: {exc}"))
            figures = [f for f in figures if not any(s < f.end and f.start < e for s, e in repeats)]
            if not self.options.unscored_kinds:
                figures = [f for f in figures if f.kind in SCORED_KINDS]
            quotes: list[Quote] = []
            speakers: list[Speaker] = []
            if self.options.quotes:
                try:
                    quotes, speakers = self._speakers.find(view.text, vfold,
                                                           (view.to_view(a_start), view.to_view(a_end)))
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
        return PageResult(source=source, text=raw, articles=tuple(articles), problems=tuple(problems))

    def map(self, inputs: Iterable[str | bytes | Path | tuple[str, str | bytes]], jobs: int = 1,
            ) -> Iterator[PageResult]:
        """Extract many inputs; results stream back in input order.

        An input is a page (str or bytes), a ``Path`` (read as bytes, encoding detected; .html
        reduced to its text) or a ``(name, page)`` pair. ``jobs`` > 1 runs that many worker
        processes, each loading rules and segmenter once; inputs are consumed lazily with a
        bounded number in flight. A file that cannot be read, or an input that kills its worker,
        becomes a page with a Problem; the rest of the batch goes on.
        """
        from . import batch

        def items():
            for item in inputs:
                if isinstance(item, Path):
                    yield batch.Input(name=str(item), path=str(item), html=batch._kind(str(item)) == "html")
                elif isinstance(item, tuple):
                    yield batch.Input(name=item[0], raw=item[1])
                else:
                    yield batch.Input(name=None, raw=item)

        if jobs <= 1:
            results = batch.run(items(), jobs=1, pipeline=self)
        else:
            results = batch.run(items(), self.options, jobs=jobs)
        for _, res in results:
            yield res.page() if isinstance(res, batch.Failure) else res


_default: Pipeline | None = None


def extract(raw: str | bytes, name: str | None = None) -> PageResult:
    """Extract every record from one page of raw text (str or bytes)."""
    global _default
    if _default is None:
        _default = Pipeline()
    return _default(raw, name=name)
