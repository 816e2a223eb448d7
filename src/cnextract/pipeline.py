"""Options, Pipeline and extract(): load once, run the extractors, never crash on bad input."""

from __future__ import annotations

import hashlib
import importlib.util
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

from typing import Literal

import regex
from pydantic import BaseModel, ConfigDict, Field

from . import figures as _figures
from . import segment as _segment
from .normalise import fold
from .records import SCORED_KINDS, Article, Figure, PageResult, Problem, Source, Span
from .segment import SegmenterUnavailable

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
    segmenter: Literal["jieba", "rjieba"] = Field(
        default="jieba",
        description="Word segmenter for the extractors that segment: jieba, or rjieba (its Rust "
        "port, pip install 'cnextract[fast]').",
    )


def _decode(data: bytes) -> tuple[str, str, list[Problem]]:
    """bytes -> text with the encoding used; undecodable bytes become a Problem, not a crash."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig", []
    try:
        return data.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    try:
        return data.decode("gb18030"), "gb18030", []
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", errors="replace")
    return text, "utf-8", [Problem(code="decode-error", byte_offset=first_bad,
                                   message=f"bytes at offset {first_bad} are not valid UTF-8 or "
                                   "GB18030; they were replaced with U+FFFD")]


#: A lead is searched once per figure; capping it keeps a one-line 5 MB page linear, not quadratic
#: (the longest lead in the corpus is 2,719 characters).
_MAX_LEAD = 4_000


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


def _lead(text: str) -> tuple[int, int] | None:
    """The first real paragraph (not a heading or a byline): the article lead, for subjects."""
    pos = 0
    while pos <= len(text):
        nl = text.find("\n", pos)
        end = len(text) if nl < 0 else nl
        stripped = text[pos:end].strip()
        if len(stripped) >= 30 and stripped[-1:] in "。！？”":
            return pos, min(end, pos + _MAX_LEAD)
        pos = end + 1
    return None


class Pipeline:
    """Load rules and tables once; call on many inputs."""

    #: Extractors that segment words set this; the figures extractor reads the folded text only.
    uses_segmenter = False

    def __init__(self, options: Options | None = None):
        self.options = options or Options()
        if self.options.segmenter != "jieba" and importlib.util.find_spec(self.options.segmenter) is None:
            raise SegmenterUnavailable(f"segmenter {self.options.segmenter!r} is not installed; "
                                       "pip install 'cnextract[fast]'")
        self._finder = _figures.FigureFinder()

    def load(self) -> "Pipeline":
        """Load now what the first page would load (a worker calls this once at start)."""
        if self.uses_segmenter:
            _segment.load(self.options.segmenter)
        return self

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
        degenerate = _degenerate(raw)
        if degenerate is not None:
            problems.append(degenerate)
            return PageResult(source=source, text=raw, problems=tuple(problems))
        folded = fold(raw)
        figures: list[Figure] = []
        if self.options.figures:
            try:
                figures = self._finder.find(raw, folded, lead=_lead(raw))
            except Exception as exc:  # a bug must not lose the page: report it
                problems.append(Problem(code="internal-error",
                                        message=f"figure extraction failed: {type(exc).__name__}: {exc}"))
        if not self.options.unscored_kinds:
            figures = [f for f in figures if f.kind in SCORED_KINDS]
        article = Article(span=Span(start=0, end=len(raw), text=raw), figures=tuple(figures))
        return PageResult(source=source, text=raw, articles=(article,), problems=tuple(problems))

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
            if isinstance(res, batch.Failure):
                res = PageResult(source=Source(name=res.name, sha256=hashlib.sha256(b"").hexdigest()),
                                 text="", problems=(res.problem,))
            yield res


_default: Pipeline | None = None


def extract(raw: str | bytes, name: str | None = None) -> PageResult:
    """Extract every record from one page of raw text (str or bytes)."""
    global _default
    if _default is None:
        _default = Pipeline()
    return _default(raw, name=name)
