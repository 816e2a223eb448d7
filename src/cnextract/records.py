"""Records: the contract every tool reads, for output and for gold alike (ANNOTATION.md names)."""

from __future__ import annotations

import typing
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, model_validator

SCHEMA_NAME = "cnextract.page"
SCHEMA_VERSION = "0.1.0"

#: The six kinds the gold scores; everything else is emitted for completeness and never scored.
SCORED_KINDS = ("money", "percent", "percentage_point", "count", "measure", "multiple")
FigureKind = Literal[
    "money", "percent", "percentage_point", "count", "measure", "multiple",
    "number", "date", "duration", "ordinal", "code", "age", "temperature",
]
Qualifier = Literal["about", "nearly", "more_than", "at_least", "less_than", "at_most"]
Direction = Literal["up", "down"]
QuoteKind = Literal["direct", "indirect", "mixed"]


def decimal_text(d: Decimal) -> str:
    """An exact value as plain digits, never in exponent form: 0.00000007, not 7E-8 (the form
    ``str(Decimal)`` picks for small values, which a reader of the JSON or a table does not expect)."""
    return format(d, "f") if d.is_finite() else str(d)


#: An exact value: a Decimal that the JSON output writes with decimal_text (readers that look at
#: a field's type see ``Annotated[Decimal, ...]``; ``exact_type`` gives the Decimal back).
Exact = Annotated[Decimal, PlainSerializer(decimal_text, return_type=str, when_used="json")]


def exact_type(ann):
    """A field annotation without the serialising wrapper of ``Exact`` (Annotated[X, ...] -> X)."""
    return typing.get_args(ann)[0] if typing.get_origin(ann) is Annotated else ann


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Span(_Model):
    """A half-open character range into the raw text, with the text it covers."""

    start: int = Field(ge=0, description="First character, a Python str index into the raw text.")
    end: int = Field(ge=0, description="One past the last character (half-open).")
    text: str = Field(description="raw[start:end], exactly.")

    @model_validator(mode="after")
    def _ordered(self) -> "Span":
        if self.end < self.start or self.end - self.start != len(self.text):
            raise ValueError(f"span {self.start}:{self.end} does not fit its text {self.text!r}")
        return self


class Figure(_Model):
    """One figure: a numeral with its magnitude and unit, resolved to an exact value."""

    start: int = Field(ge=0, description="Start of the numeral span in the raw text.")
    end: int = Field(ge=0, description="End (exclusive) of the numeral span.")
    text: str = Field(description="raw[start:end]: numeral, magnitude and unit words.")
    value: Exact | None = Field(
        default=None, description="Exact value in the canonical unit; null for a range."
    )
    low: Exact | None = Field(default=None, description="Lower end of a range, canonical unit.")
    high: Exact | None = Field(default=None, description="Upper end of a range, canonical unit.")
    unit: str | None = Field(
        default=None,
        description="Canonical unit: ISO 4217 for money, % , pp, x, kg, m, m2, m3, L, W, Wh, "
        "or the measure word / counted noun for counts.",
    )
    unit_text: str | None = Field(default=None, description="The unit as written (万元, 兆瓦, 个百分点).")
    kind: FigureKind = Field(description="money, percent, percentage_point, count, measure, "
                             "multiple (scored) or number, date, duration, ordinal, code, age, "
                             "temperature (never scored).")
    qualifier: Qualifier | None = Field(
        default=None, description="about, nearly, more_than, at_least, less_than, at_most or null."
    )
    direction: Direction | None = Field(
        default=None, description="up/down only when the figure is itself the size of a change."
    )
    basis: str | None = Field(default=None, description="Comparison basis: 同比, 环比, 比上年.")
    metric: Span | None = Field(default=None, description="What is measured (规模以上工业增加值).")
    subject: Span | None = Field(default=None, description="Whose figure it is (辽宁, 重庆).")
    period: Span | None = Field(default=None, description="When (去年, 2023年, 前三季度).")
    rule: str | None = Field(default=None, description="The figure rule that made this record.")
    entries: tuple[str, ...] = Field(
        default=(), description="Ids of the rules/ entries (units, qualifiers …) that were used."
    )
    optional: bool = Field(default=False, description="Gold only: readers could disagree.")


class Quote(_Model):
    """One attributed statement."""

    kind: QuoteKind = Field(description="direct, indirect or mixed.")
    content: Span = Field(description="What was said (inside the marks for direct speech).")
    speaker: Span | None = Field(default=None, description="The mention nearest the cue.")
    speaker_name: str | None = Field(default=None, description="The resolved source, no titles.")
    speaker_id: str | None = Field(default=None, description="Id of the Speaker in the article.")
    speaker_aliases: tuple[str, ...] = Field(
        default=(), description="Every string naming the same source (gold)."
    )
    cue: Span | None = Field(default=None, description="The speech verb or frame.")
    rule: str | None = Field(default=None, description="The attribution rule that made it.")
    entries: tuple[str, ...] = Field(
        default=(), description="Ids of the rules/cues.toml entries that were used: the cue's, then "
        "those of the speaker mention's words (titles, anonymous, outlet, pronoun …)."
    )
    optional: bool = Field(default=False, description="Gold only: readers could disagree.")


class Speaker(_Model):
    """One source per article, with every mention."""

    id: str = Field(description="Article-local id.")
    name: str = Field(description="Name without titles, organisation, document or description.")
    titles: tuple[str, ...] = Field(default=(), description="Titles and roles (辽宁省委书记).")
    organisation: str | None = Field(default=None, description="Organisation, where stated.")
    mentions: tuple[Span, ...] = Field(default=(), description="Every mention in the article.")


class Problem(_Model):
    """Something that went wrong with one input: the rest of the batch goes on."""

    code: str = Field(description="Stable machine-readable code, e.g. decode-error.")
    level: Literal["error", "notice"] = Field(
        default="error", description="error: something was lost or could not be read; notice: a "
        "fact about the input worth knowing (repeated-text) that lost nothing.")
    message: str = Field(description="A clear sentence for a person.")
    start: int | None = Field(default=None, description="Character offset, where known.")
    end: int | None = Field(default=None, description="Character end offset, where known.")
    byte_offset: int | None = Field(default=None, description="Byte offset for decode errors.")


PROBLEM_SCHEMA_NAME = "cnextract.problem"


class ProblemLine(_Model):
    """An output line for an input that gave no page at all (a file that cannot be read, a JSON
    line that is not JSON …): the Problem with the input it belongs to."""

    schema_: Literal["cnextract.problem"] = Field(
        default=PROBLEM_SCHEMA_NAME, alias="schema", description="Always cnextract.problem."
    )
    version: str = Field(default=SCHEMA_VERSION, description="Record schema version.")
    source: str | None = Field(default=None, description="The input: a path as given, file:id or file:N "
                               "for a JSON record.")
    code: str = Field(description="read-error, bad-json, missing-field, bad-record, worker-crash, "
                      "internal-error.")
    level: Literal["error", "notice"] = Field(default="error", description="Always error here.")
    message: str = Field(description="A clear sentence for a person.")
    start: int | None = Field(default=None, description="Character offset, where known.")
    end: int | None = Field(default=None, description="Character end offset, where known.")
    byte_offset: int | None = Field(default=None, description="Byte offset, where known.")

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class Article(_Model):
    """One article of a page."""

    span: Span = Field(description="The article's extent in the raw text.")
    headline: Span | None = Field(default=None, description="Headline, where found.")
    byline: Span | None = Field(default=None, description="Byline (本报记者 X), where found.")
    kind: str = Field(default="news", description="news, advertorial, caption …")
    figures: tuple[Figure, ...] = Field(default=(), description="Figures, in text order.")
    quotes: tuple[Quote, ...] = Field(default=(), description="Quotes, in text order.")
    speakers: tuple[Speaker, ...] = Field(default=(), description="Resolved sources.")


class Source(_Model):
    """Where the text came from."""

    name: str | None = Field(default=None, description="File name or caller-given id.")
    encoding: str | None = Field(default=None, description="Detected encoding for bytes input.")
    format: Literal["text", "html"] = Field(default="text", description="text, or html when the "
                                            "input was HTML and `text` holds its extracted text.")
    sha256: str = Field(description="sha256 of the UTF-8 encoded text (of the input's bytes for "
                        "bytes or a file refused as too large before decoding).")
    size: int | None = Field(default=None, exclude_if=lambda v: v is None,
                             description="Only on a page whose text is left out (too-large, "
                             "binary-input): the input's size, in bytes for bytes or a file, in "
                             "characters for a str.")


class PageResult(_Model):
    """Everything extracted from one input."""

    schema_: Literal["cnextract.page"] = Field(
        default=SCHEMA_NAME, alias="schema", description="Always cnextract.page."
    )
    version: str = Field(default=SCHEMA_VERSION, description="Record schema version.")
    id: str | None = Field(default=None, description="The page's id: the --id-field value of a "
                           "JSON record, else the source name (file path, file:N, -).")
    source: Source = Field(description="Name, encoding and digest of the input.")
    text: str = Field(description="The decoded raw text that every offset indexes.")
    articles: tuple[Article, ...] = Field(default=(), description="Articles on the page.")
    problems: tuple[Problem, ...] = Field(default=(), description="What went wrong, if anything.")

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    @model_validator(mode="after")
    def _spans_index_text(self) -> "PageResult":
        for span in iter_spans(self):
            if self.text[span.start:span.end] != span.text:
                raise ValueError(f"span {span.start}:{span.end} {span.text!r} does not match text")
        return self

    @property
    def figures(self) -> tuple[Figure, ...]:
        return tuple(f for a in self.articles for f in a.figures)

    @property
    def quotes(self) -> tuple[Quote, ...]:
        return tuple(q for a in self.articles for q in a.quotes)

    def to_json(self) -> str:
        return self.model_dump_json(by_alias=True)


class GoldDocument(_Model):
    """One gold file (ANNOTATION.md)."""

    id: str = Field(description="Article id, e.g. 001 or seed-000.")
    source: str = Field(description="Path of the raw text, relative to the corpus root's parent.")
    sha256: str = Field(description="sha256 of the UTF-8 raw text.")
    figures: tuple[Figure, ...] = Field(default=(), description="Gold figures.")
    quotes: tuple[Quote, ...] = Field(default=(), description="Gold quotes.")
    notes: str | None = Field(default=None, description="Annotator's notes.")
    context: bool = Field(default=False, description="True when every figure of the file carries its "
                          "metric, subject and period as read (ANNOTATION.md, context of a figure); "
                          "false when the file does not annotate context.")


def iter_spans(page: PageResult):
    """Every record in a page that covers raw text, each with start, end and text: the Spans,
    and each Figure itself (its numeral span)."""
    for art in page.articles:
        yield art.span
        for s in (art.headline, art.byline):
            if s is not None:
                yield s
        for f in art.figures:
            yield f
            for s in (f.metric, f.subject, f.period):
                if s is not None:
                    yield s
        for q in art.quotes:
            for s in (q.content, q.speaker, q.cue):
                if s is not None:
                    yield s
        for sp in art.speakers:
            yield from sp.mentions
