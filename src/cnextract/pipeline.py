"""Options, Pipeline and extract(): load once, run the extractors, never crash on bad input."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from . import figures as _figures
from .normalise import View, decode, fold, html_to_text, looks_like_html
from .page import layout
from .records import SCORED_KINDS, Article, Figure, PageResult, Problem, Source, Span

_MAX_CHARS = 50_000_000


class Options(BaseModel):
    """What to extract and how; one options object instead of many keyword arguments."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    figures: bool = Field(default=True, description="Extract figures.")
    unscored_kinds: bool = Field(
        default=True,
        description="Also emit numerals that are not quantities (date, duration, ordinal, code, "
        "number) so a reader can see what was set aside.",
    )


def _decode(data: bytes) -> tuple[str, str, list[Problem]]:
    """bytes -> text with the encoding used; undecodable bytes become a Problem, not a crash."""
    text, encoding, bad = decode(data)
    if bad is None:
        return text, encoding, []
    return text, encoding, [Problem(code="decode-error", byte_offset=bad,
                                    message=f"bytes at offset {bad} are not valid {encoding} (nor GB18030 "
                                    "or Big5); they were replaced with U+FFFD and the rest was read")]


def _remap(view: View, raw: str, rec):
    """A record found on the repaired view, with every offset moved back to the raw text."""
    if view.raw_at is None:
        return rec
    upd = {}
    for name in ("metric", "subject", "period", "content", "speaker", "cue"):
        sp = getattr(rec, name, None)
        if sp is not None:
            s, e = view.to_raw(sp.start, sp.end)
            upd[name] = Span(start=s, end=e, text=raw[s:e])
    if hasattr(rec, "start"):
        s, e = view.to_raw(rec.start, rec.end)
        upd.update(start=s, end=e, text=raw[s:e])
    return rec.model_copy(update=upd)


class Pipeline:
    """Load rules and tables once; call on many inputs."""

    def __init__(self, options: Options | None = None):
        self.options = options or Options()
        self._finder = _figures.FigureFinder()

    def __call__(self, raw: str | bytes, name: str | None = None) -> PageResult:
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
        fmt = "text"
        if looks_like_html(raw):
            try:
                raw, fmt = html_to_text(raw), "html"
            except Exception as exc:  # a parser failure must not lose the page
                problems.append(Problem(code="html-error", message=f"HTML could not be parsed "
                                        f"({type(exc).__name__}: {exc}); read as plain text"))
            source = source.model_copy(update={"format": fmt})
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
                    figures = [_remap(view, raw, f) for f in found]
                except Exception as exc:  # a bug must not lose the page: report it
                    problems.append(Problem(code="internal-error",
                                            message=f"figure extraction failed: {type(exc).__name__}: {exc}"))
            figures = [f for f in figures if not any(s < f.end and f.start < e for s, e in repeats)]
            if not self.options.unscored_kinds:
                figures = [f for f in figures if f.kind in SCORED_KINDS]
            span = lambda se: None if se is None else Span(start=se[0], end=se[1], text=raw[se[0]:se[1]])  # noqa: E731
            articles.append(Article(span=span((art.start, art.end)), headline=span(art.headline),
                                    byline=span(art.byline), kind=art.kind, figures=tuple(figures)))
        if not articles:
            articles.append(Article(span=Span(start=0, end=len(raw), text=raw)))
        return PageResult(source=source, text=raw, articles=tuple(articles), problems=tuple(problems))

    def map(self, inputs: Iterable[str | bytes | Path], jobs: int = 1) -> Iterator[PageResult]:
        """Results in input order; paths are read as bytes (encoding detected)."""
        for item in inputs:
            if isinstance(item, Path):
                try:
                    data = item.read_bytes()
                except OSError as exc:
                    yield PageResult(source=Source(name=str(item), sha256=hashlib.sha256(b"").hexdigest()),
                                     text="", problems=(Problem(code="read-error", message=str(exc)),))
                    continue
                yield self(data, name=item.name)
            else:
                yield self(item)


_default: Pipeline | None = None


def extract(raw: str | bytes, name: str | None = None) -> PageResult:
    """Extract every record from one page of raw text (str or bytes)."""
    global _default
    if _default is None:
        _default = Pipeline()
    return _default(raw, name=name)
