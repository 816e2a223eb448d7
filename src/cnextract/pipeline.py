"""Options, Pipeline and extract(): load once, run the extractors, never crash on bad input."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from . import figures as _figures
from . import speakers as _speakers
from .normalise import fold
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


def _lead(text: str) -> tuple[int, int] | None:
    """The first real paragraph (not a heading or a byline): the article lead, for subjects."""
    pos = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if len(stripped) >= 30 and stripped[-1:] in "。！？”":
            return pos, pos + len(line)
        pos += len(line) + 1
    return None


class Pipeline:
    """Load rules and tables once; call on many inputs."""

    def __init__(self, options: Options | None = None):
        self.options = options or Options()
        self._finder = _figures.FigureFinder()
        self._speakers = _speakers.SpeakerFinder()

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
        quotes: list[Quote] = []
        speakers: list[Speaker] = []
        if self.options.quotes:
            try:
                quotes, speakers = self._speakers.find(raw, folded)
            except Exception as exc:  # a bug must not lose the page: report it
                problems.append(Problem(code="internal-error",
                                        message=f"quote extraction failed: {type(exc).__name__}: {exc}"))
        article = Article(span=Span(start=0, end=len(raw), text=raw), figures=tuple(figures),
                          quotes=tuple(quotes), speakers=tuple(speakers))
        return PageResult(source=source, text=raw, articles=(article,), problems=tuple(problems))

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
