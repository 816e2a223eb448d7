"""Load rules/*.toml once: strict models per table, cross-checks, longest-first lexicons."""

from __future__ import annotations

import re
import tomllib
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

RULE_FILES = ("numerals", "units", "qualifiers", "changes", "exclusions", "context", "layout", "cues")


class RuleError(ValueError):
    """A rule file is broken; the message names the file and the entry id."""


class _Entry(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    forms: tuple[str, ...] = Field(min_length=1)
    examples: tuple[str, ...] = Field(min_length=1)
    note: str | None = None

    @field_validator("forms")
    @classmethod
    def _nonempty_forms(cls, v):
        if any(not f for f in v):
            raise ValueError("empty form")
        return v


def _decimal(v: str) -> str:
    try:
        Decimal(v)
    except InvalidOperation as exc:
        raise ValueError(f"not a decimal string: {v!r}") from exc
    return v


class ValueEntry(_Entry):
    value: str

    _v = field_validator("value")(lambda cls, v: _decimal(v))


class SignEntry(_Entry):
    symbols: tuple[str, ...] = ()  # the forms that are symbols (-): a sign unless a digit, letter or mark is before
    words_after: tuple[str, ...] = ()  # a word sign (负) is a sign after these (为负3.2%), or after no letter at all


class VagueEntry(_Entry):
    """几, 数: a digit of unknown value, read as the range low..high (几十万: 20万 to 90万)."""
    low: str  # the digit it is at least
    low_after_ten: str  # the digit it is at least right after a ten (十几: 11 to 19)
    high: str  # the digit it is at most


class DigitEntry(ValueEntry):
    pair: bool = False  # 两: the digit 2 before a unit or measure word, never a last digit (三十两 is a tael)


class NumeralRules(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    digits: tuple[DigitEntry, ...]
    units: tuple[ValueEntry, ...]
    magnitudes: tuple[ValueEntry, ...]
    points: tuple[_Entry, ...]
    signs: tuple[SignEntry, ...]
    financial: tuple[_Entry, ...]
    halves: tuple[_Entry, ...]
    vague: tuple[VagueEntry, ...]
    juxtaposed: tuple[_Entry, ...]
    mixed: tuple[_Entry, ...] = ()  # 又 joining a whole number and a fraction (三百五十又三分之一)
    alone_words: tuple[_Entry, ...] = ()  # a numeral that alone is a word (零件, 零售), never a figure


Kind = Literal["money", "percent", "percentage_point", "count", "measure", "multiple",
               "date", "duration", "ordinal", "code", "age", "temperature"]


class UnitEntry(_Entry):
    kind: Kind
    unit: str
    factor: str = "1"
    prefix: bool = False  # 百分之四十: the unit word comes before the numeral
    only_before: tuple[str, ...] = ()  # 度 counts as energy only before 电
    not_before: tuple[str, ...] = ()
    not_after: tuple[str, ...] = ()
    chinese_only: bool = False
    fraction: bool = False  # 分之 between two numerals: read by the fraction rule only
    tenths: bool = False  # 折: n < 10 is n tenths (八折 = 80%); 75折 is already in percent
    trailing_digit: bool = False  # 成: a digit or 半 after the unit adds its tenth (七成六 = 76%)
    near_before: tuple[str, ...] = ()  # 点: one of these words stands shortly before, in the clause (收报3350点)
    near_sentence: bool = False  # near_before looks back over the sentence (60 characters), not the clause
    glued: bool = False  # only right after the numeral (no space) and never before another unit (两 tael, not 6 两款)
    year: bool = False  # 年: four digits before it are a year (a date), any other count a duration (三年)
    year_range_marks: tuple[str, ...] = ()  # 2023—2025年: a year, one of these and a year is a date
    max_value: int | None = None  # a larger value is no such date (13月, 32日): then read as over_kind
    over_kind: Kind | Literal["number"] = "number"
    subunits_after: tuple[str, ...] = ()  # 元, 圆: 角 and 分 may follow a unit written ending so (123元1角1分)
    money_before_subunits: str | None = None  # 块: money of this currency when 毛/角 follow (十块三毛)
    _f = field_validator("factor")(lambda cls, v: _decimal(v))


class LinkerEntry(_Entry):
    magnitudes: tuple[str, ...] = ()  # 1 个亿: the linker inside a numeral before these magnitudes
    not_then: tuple[str, ...] = ()  # 91 个亿元大奖: not when one of these follows the magnitude


class SubunitEntry(ValueEntry):
    place: Literal["jiao", "fen"]  # the tenth (角) or the hundredth (分) of the whole unit
    not_before: tuple[str, ...] = ()  # 十分钟, 三分之一: not the hundredth before these
    then: tuple[str, ...] = ()  # a word that may close it (五分钱)


class RateEntry(_Entry):
    """The unit of time after a slash in a rate (15公斤/秒 -> kg/s)."""
    unit: str = ""  # the canonical denominator; empty: not a rate (25万吨/年 is an annual amount)


class ImpliedEntry(_Entry):
    kind: Kind
    unit: str
    without_magnitude: bool = False  # 倍差从1.96: a plain decimal is enough
    tail: bool = False  # the form ends the numeral itself (五六个亿), no metric noun needed


class CurrencyBeforeEntry(_Entry):
    unit: str  # ISO 4217 code of the currency named before the numeral (港币3000元 -> HKD)


class OpenCountEntry(_Entry):
    """A numeral followed by a word jieba's dictionary tags so (q, n) is a count of that word,
    though no [[units]] entry lists it; forms are the tags."""
    max_len: int = 2  # the longest counted word looked up
    arabic_only: bool = True  # 千行百业, 三农: Chinese numeral + noun is mostly a word
    not_words: tuple[str, ...] = ()  # tagged so, never counted after a numeral (2B, 12楼)
    name_marks: tuple[str, ...] = ()  # directly before the numeral, it is part of a name (歼-10, GLP-1, K2)
    latin_name: bool = True  # a numeral right after a Latin letter is a model name (H1, K2模型, T3航站楼)
    plain_digits_max: int = 2  # a longer integer with no magnitude (12345热线, 731部队) counts only a measure word
    plain_tags: tuple[str, ...] = ("q",)  # the tags such a longer integer may count (197幅, 289席)
    modifier_tags: tuple[str, ...] = ()  # a word so tagged before another so tagged is a modifier (1亿多农村人口)


class UnitRules(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    units: tuple[UnitEntry, ...]
    linkers: tuple[LinkerEntry, ...]  # 个 between numeral and unit: 5个百分点, 3个月
    subunits: tuple[SubunitEntry, ...]  # 角/分 after 元: 123元1角1分 (value = the factor in 元)
    implied: tuple[ImpliedEntry, ...]  # 户籍人口从30万: the metric noun implies the unit
    implied_glue: tuple[_Entry, ...]  # words allowed between that noun and the numeral
    currencies_before: tuple[CurrencyBeforeEntry, ...]  # 港币3000元, 约新台币12亿元, 美元1000万
    open_counts: tuple[OpenCountEntry, ...] = ()  # 5万车主: counted nouns read from jieba's tags
    rate_denominators: tuple[RateEntry, ...] = ()  # 650公斤/亩, 15公斤/秒: the unit per …


QualifierName = Literal["about", "nearly", "more_than", "at_least", "less_than", "at_most"]


class QualifierEntry(_Entry):
    qualifier: QualifierName
    position: Literal["before", "after", "inside"]
    not_after: tuple[str, ...] = ()  # 打破 is not 破
    bare_magnitude: bool = False  # may introduce a figure with no leading numeral (破亿元)
    limited_forms: tuple[str, ...] = ()  # after-forms read only after limited_kinds, and only where no bound is read yet
    limited_kinds: tuple[str, ...] = ()  # (多: 30多家, 5万多元; not 5%多, and 超过30多家 keeps 超过)


class QualifierRules(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    qualifiers: tuple[QualifierEntry, ...]
    bridges: tuple[_Entry, ...] = ()  # 最多有60万袋, 约有10万只羊: words between a bound and the figure


class ChangeEntry(_Entry):
    direction: Literal["up", "down", "level", "none"]
    gap: bool = False  # 新增企业近7000家: the verb may stand before its object
    adjacent: bool = False  # 成长: a change verb only right before the figure, never found further back
    kinds: tuple[str, ...] = ()  # the figure kinds it applies to; empty means all
    nouns: tuple[str, ...] = ()  # nouns that open with a form (增加值, 增长率): there the form is no verb


class BasisFreeEntry(_Entry):
    """比2020年, 较禁渔前, 与上年相比: a comparison written out; forms open it."""
    closers: tuple[str, ...] = ()  # may close it (与上年相比)
    stops: tuple[str, ...] = ()  # never inside it (a clause break, another opener)
    ends: tuple[str, ...] = ()  # before the verb is read, only a base ending so is taken (比2020年)


class BasisEntry(_Entry):
    basis: str


class DoublingEntry(_Entry):
    value: str
    _v = field_validator("value")(lambda cls, v: _decimal(v))


class ChangeRules(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    verbs: tuple[ChangeEntry, ...]
    basis: tuple[BasisEntry, ...]
    fillers: tuple[_Entry, ...]
    doubling: tuple[DoublingEntry, ...]
    distributive: tuple[_Entry, ...]
    basis_free: tuple[BasisFreeEntry, ...] = ()
    gap_stops: tuple[_Entry, ...] = ()  # 新增…达5家: a level word (or a digit) after a gap verb; it names no change


class ExclusionEntry(_Entry):
    kind: Kind | Literal["none"] = "none"
    where: Literal["phrase", "after", "before", "wrapped"] = "phrase"
    enumerator: bool = False  # after: only a bare Chinese numeral of one or two characters opening a clause (一是)
    openers: tuple[str, ...] = ()  # for an enumerator: besides a clause break, what may stand before it (其一)
    arabic_bare_only: bool = False  # after: only after an Arabic numeral with no unit (5G, not 三G or 5个G)
    article_numerals: tuple[str, ...] = ()  # 一 + measure word with nothing more is an article ('a'), cited so


class ExclusionRules(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    exclusions: tuple[ExclusionEntry, ...]


class PatternEntry(_Entry):
    """Forms are regular expressions (tried in order); each example is matched whole by one."""
    firsts: str = ""  # every character a match can start with (a cheap guard), besides the word forms


class DatelineEntry(_Entry):
    pattern: str  # after the agency: the place (group "place") and the date (昆明1月28日电)


class ContextRules(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    places: tuple[_Entry, ...]
    periods: tuple[_Entry, ...]
    clause_breaks: tuple[_Entry, ...]
    list_separators: tuple[_Entry, ...]
    range_separators: tuple[_Entry, ...]
    # how metric, subject and period are read (ANNOTATION.md, "Context of a figure")
    comparison_markers: tuple[_Entry, ...] = ()  # 比上年, 较2024年: a time after these is a base
    period_patterns: tuple[PatternEntry, ...] = ()  # 2024年11月, 前三季度: the period grammar
    period_days: tuple[PatternEntry, ...] = ()  # 1月27日: the day after a month belongs to the period
    metric_openers: tuple[_Entry, ...] = ()  # 其中, 同时: connectives and fillers dropped from a metric's head
    metric_cuts: tuple[_Entry, ...] = ()  # 实现: the metric starts after it
    level_openers: tuple[_Entry, ...] = ()  # 从40个减到20个: two levels, not a range
    place_suffixes: tuple[_Entry, ...] = ()  # 吉林省, 重庆市: the suffix belongs to the place
    place_suffix_blocks: tuple[_Entry, ...] = ()  # 重庆市场: not a suffix
    org_subjects: tuple[_Entry, ...] = ()  # 该公司, 这家企业: the entity a figure is about
    metric_quotes: tuple[_Entry, ...] = ()  # quote marks never open a metric
    metric_tails: tuple[_Entry, ...] = ()  # function words that end no metric (…收入在)
    metric_not_head_tags: tuple[_Entry, ...] = ()  # jieba tags that cannot head a metric
    metric_fragment_marks: tuple[_Entry, ...] = ()  # a clause, not a noun phrase (调取了…)
    metric_verb_nouns: tuple[_Entry, ...] = ()  # 增速, 占比: tagged as verbs, name a measure
    datelines: tuple[DatelineEntry, ...] = ()  # 新华社昆明1月28日电: the agencies before a dateline's place
    org_suffixes: tuple[_Entry, ...] = ()  # …有限公司, …银行: a name ending here is an organisation
    org_suffix_blocks: tuple[_Entry, ...] = ()  # 银行业: the suffix opens a longer word
    org_name_openers: tuple[_Entry, ...] = ()  # 的, 在: an organisation's name starts after these
    metric_after_blocks: tuple[_Entry, ...] = ()  # 10万亿元台阶: not what the figure counts
    metric_after_links: tuple[_Entry, ...] = ()  # 12.2%的放流幼鱼: the noun after the figure
    metric_level_verbs: tuple[_Entry, ...] = ()  # X为N股Y: the figure is the level of X
    metric_time_tails: tuple[_Entry, ...] = ()  # 短时间内: a time adverbial, not a metric
    period_suffixes: tuple[_Entry, ...] = ()  # 2025年末, 去年以来: part of the period
    period_joins: tuple[_Entry, ...] = ()  # 2022年至2025年: one period


class LayoutRules(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    date_lines: tuple[PatternEntry, ...] = ()  # 2024年1月5日 星期五 10:30: a line that is only a date
    interview_verbs: tuple[_Entry, ...] = ()  # 辽宁省委书记论郝鹏: a column's verb between the title and the name
    bylines: tuple[_Entry, ...]
    ad_labels: tuple[_Entry, ...]
    source_notes: tuple[_Entry, ...]
    boilerplate: tuple[_Entry, ...]
    kickers: tuple[_Entry, ...]
    interview_titles: tuple[_Entry, ...]
    sentence_ends: tuple[_Entry, ...]
    closers: tuple[_Entry, ...]
    captions: tuple[_Entry, ...]
    # the sentence splitter's marks (page.split): one character each, enclosures two
    sentence_breaks: tuple[_Entry, ...]
    clause_breaks: tuple[_Entry, ...]
    part_breaks: tuple[_Entry, ...]
    enclosures: tuple[_Entry, ...]
    paragraph_glue: tuple[_Entry, ...]


class FrameEntry(_Entry):
    closers: tuple[str, ...] = Field(min_length=1)  # 据X介绍: forms open the frame, closers end it


class VerbEntry(_Entry):
    bare: bool = False  # may take its content with no comma (北京强调加快…, 《分类》规定…)
    nocomma: bool = False  # takes its content with no comma after a person it names (特朗普上周说要…)
    addressed: bool = False  # may take an addressee before its comma (告诉新华社记者，…)


class CueRules(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    verbs: tuple[VerbEntry, ...]  # speech and source verbs, matched on characters
    blocked: tuple[_Entry, ...]  # contexts in which a verb is not a cue (表示感谢, 称为, 小说)
    frames: tuple[FrameEntry, ...]  # 据X介绍, 在X看来: the source sits inside the frame
    settings: tuple[FrameEntry, ...]  # 在…会上, 接受…采访时: kept out of the speaker
    adverbs: tuple[_Entry, ...]  # words between the speaker and the cue (也, 日前, 对记者)
    titles: tuple[_Entry, ...]  # title and role nouns that precede or follow a name
    not_dated_after: tuple[_Entry, ...] = ()  # 第3日, 前5年: a date after these is no date glued to a source
    adverb_marks: tuple[_Entry, ...] = ()  # 眉开眼笑地: a dictionary idiom + this is an adverbial, not the source
    addressee_reporters: tuple[_Entry, ...] = ()  # 向新闻记者: a reporter after 向/对 is an addressee
    outlet_suffixes: tuple[_Entry, ...] = ()  # 路透社, 共同社: an outlet named without 《》 ends so
    law_titles: tuple[_Entry, ...] = ()  # 《…法》: a title ending so is a document
    honorifics: tuple[_Entry, ...]  # 先生, 女士: surname + honorific is a name (张先生)
    org_suffixes: tuple[_Entry, ...]  # 村, 局, 公司: a head ending so is a place or body, not a name
    anonymous: tuple[_Entry, ...]  # descriptions that are the source as written (业内人士, 员工们)
    reporters: tuple[_Entry, ...]  # never the speaker of someone else's words
    pronouns: tuple[_Entry, ...]  # resolve to an earlier speaker
    source_suffixes: tuple[_Entry, ...]  # 税务部门提供的数据显示: cut to the source
    data_lines: tuple[_Entry, ...]  # （数据来源：X）: a credit, no content
    interview_labels: tuple[_Entry, ...]  # 问： in a Q&A: the interviewer, not a source
    content_breaks: tuple[_Entry, ...]  # 根据, 此外: a sentence so opened ends the reported speech
    surnames: tuple[_Entry, ...]  # a clause-opening name is tagged only after a surname
    times: tuple[_Entry, ...]  # 当地时间, 今日: a time glued after a source is not part of it
    date_marks: tuple[_Entry, ...]  # 年, 月: after a numeral they close a glued date
    day_marks: tuple[_Entry, ...] = ()  # 日, 号: a glued date that names a day; a verb after it is the act (12日通报)
    when_closers: tuple[_Entry, ...] = ()  # 时, 之际: a when-setting whose opener no [[settings]] entry has
    side_suffixes: tuple[_Entry, ...] = ()  # 方面: the side of a body is the body
    existentials: tuple[_Entry, ...] = ()  # 有: 曾有业内人士 -> 业内人士
    body_kinds: tuple[_Entry, ...] = ()  # 智库, 机构: what kind of body the name after them is
    according: tuple[_Entry, ...] = ()  # 据: "according to" glued before a source is no part of it
    date_tails: tuple[_Entry, ...] = ()  # 底, 初, 上旬…: after a year or month they end the date (长和7月底)
    trailing_acts: tuple[_Entry, ...]  # 发表声明, 发文: the act of speaking, not the source
    relays: tuple[_Entry, ...]  # X援引Y: the words are Y's
    prepositions: tuple[_Entry, ...]  # 特朗普29日在华盛顿: after a date they open the setting
    datelines: tuple[_Entry, ...]  # 新华社…1月27日电（记者…）: a wire dateline before the source
    demonstratives: tuple[FrameEntry, ...]  # 该公司, 上述投行人士: point back to an earlier source
    nocomma_stops: tuple[_Entry, ...]  # 说过, 各说各理: after these a no-comma cue opens no speech
    addressees: tuple[FrameEntry, ...]  # 向界面新闻: opener + a word ending in a closer is the addressee
    conjunctions: tuple[_Entry, ...]  # 而, 但: a clause's conjunction is not part of its subject
    outlets: tuple[_Entry, ...]  # 报, 网, 通讯社: 《X》 + suffix is the outlet X
    outlet_words: tuple[_Entry, ...]  # 外媒, 媒体: generic words naming an outlet
    documents: tuple[_Entry, ...]  # 公告, 财报: a source ending so is a document
    shares: tuple[_Entry, ...] = ()  # %, 六成, 半数: a share of respondents is not part of their name
    genders: tuple[_Entry, ...] = ()  # 她, 女士 / 他, 先生: the gender a pronoun or honorific states
    person_demonstratives: tuple[_Entry, ...] = ()  # 这位 + title: points back to a person named before
    issue_acts: tuple[_Entry, ...] = ()  # 公布的, 发布: X公布的最新财报 is X's document
    company_heads: tuple[_Entry, ...] = ()  # 公司, 集团: a company issuer drops the country before it
    source_frames: tuple[_Entry, ...] = ()  # 根据X(的数据)，…: X is the source when it names one
    other_speaker_marks: tuple[_Entry, ...] = ()  # “…”X也…: after the name, X is another than the quote's speaker
    bare_relatives: tuple[_Entry, ...] = ()  # X提出的…目标: a bare verb before one of these describes a noun
    setting_openers: tuple[_Entry, ...] = ()  # 在, 对, 向: a preposition jieba cuts alone inside a mention opens its setting
    adverb_tags: tuple[_Entry, ...] = ()  # jieba tags (d, ad, t): a word so tagged ending a mention is how or when it spoke (深刻, 后来)
    word_tails: tuple[_Entry, ...] = ()  # jieba tags (u, a, c): a one-character cue ending such a word is none (来说, 著称)
    bare_negators: tuple[_Entry, ...] = ()  # 未再强调: a bare verb after one of these reports nothing
    bare_relative_reports: tuple[_Entry, ...] = ()  # X提出的目标之一，是“…”: the relative clause's noun given in quote marks


class Rules(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    numerals: NumeralRules
    units: UnitRules
    qualifiers: QualifierRules
    changes: ChangeRules
    exclusions: ExclusionRules
    context: ContextRules
    layout: LayoutRules
    cues: CueRules
    userdict: tuple[str, ...] = ()


_MODELS = {
    "numerals": NumeralRules, "units": UnitRules, "qualifiers": QualifierRules,
    "changes": ChangeRules, "exclusions": ExclusionRules, "context": ContextRules,
    "layout": LayoutRules,
    "cues": CueRules,
}


def rules_dir() -> Path:
    """The packaged copy first (installed wheel), then the source checkout's top-level rules/."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "rules", here.parent.parent / "rules"):
        if (candidate / "units.toml").is_file():
            return candidate
    raise RuleError("rules/ not found: neither packaged with cnextract nor in a source checkout")


def _entry_id(data: dict, loc: tuple) -> str:
    """Find the id of the entry a validation error points at."""
    node = data
    for part in loc:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, dict) and "id" in node:
            return str(node["id"])
    return "?"


def load_file(path: Path, name: str) -> BaseModel:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise RuleError(f"{path.name}: not valid TOML: {exc}") from exc
    try:
        model = _MODELS[name].model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise RuleError(
            f"{path.name}: entry {_entry_id(data, err['loc'])!r}: "
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}"
        ) from exc
    ids: set[str] = set()
    for table in model.model_dump().values():
        for entry in table:
            if entry["id"] in ids:
                raise RuleError(f"{path.name}: duplicate id {entry['id']!r}")
            ids.add(entry["id"])
    return model


def load_from(directory: Path) -> Rules:
    parts = {name: load_file(directory / f"{name}.toml", name) for name in RULE_FILES}
    userdict_path = directory / "userdict.txt"
    words = ()
    if userdict_path.is_file():
        words = tuple(
            line.split()[0] for line in userdict_path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")
        )
    rules = Rules(**parts, userdict=words)
    _cross_check(rules)
    return rules


def _cross_check(rules: Rules) -> None:
    num_chars = {f for e in (*rules.numerals.digits, *rules.numerals.units, *rules.numerals.magnitudes)
                 for f in e.forms}
    for e in rules.units.units:
        if not e.prefix and e.forms[0][0] in num_chars and e.kind not in ("percentage_point",):
            # a unit that starts with a numeral character would be swallowed by the numeral
            if not any(f[0] not in num_chars for f in e.forms):
                raise RuleError(f"units.toml: entry {e.id!r}: every form starts with a numeral character")
    all_ids: dict[str, str] = {}
    for fname in RULE_FILES:
        for table in getattr(rules, fname).model_dump().values():
            for entry in table:
                if entry["id"] in all_ids:
                    raise RuleError(
                        f"{fname}.toml: id {entry['id']!r} also used in {all_ids[entry['id']]}.toml"
                    )
                all_ids[entry["id"]] = fname


@lru_cache(maxsize=1)
def load_rules() -> Rules:
    """Load and validate every rule file once per process."""
    return load_from(rules_dir())


def longest_first(forms) -> list[str]:
    return sorted(set(forms), key=lambda f: (-len(f), f))


def alternation(forms) -> re.Pattern:
    """One pattern matching any of the forms, the longest first (standard ``re``: fast on literal
    alternations); it never matches when there are no forms.

    Written as a trie (主任委员, 主任, 主席 -> 主(?:任(?:委员)?|席)): at each place a match is the
    longest form there, as with the forms listed longest first, but a place is tried against
    the forms sharing its first character only, not against every form (a scan for the 188
    titles cost 40% more listed). tests/test_alternation.py holds both to the same matches."""
    forms = longest_first(forms)
    if not forms:
        return re.compile(r"(?!x)x")
    if "" in forms:  # the empty form matches everywhere: the list keeps it last
        return re.compile("|".join(re.escape(f) for f in forms))
    return re.compile(_trie_pattern(tuple(forms)))


@lru_cache(maxsize=256)
def _trie_pattern(forms: tuple[str, ...]) -> str:
    """The trie's pattern text, written once per list of forms as re keeps the compiled pattern
    once per text (a second Pipeline builds the same patterns; no page is read faster for it)."""
    trie: dict[str, dict] = {}
    for f in forms:
        node = trie
        for ch in f:
            node = node.setdefault(ch, {})
        node[""] = {}  # a form ends here

    def emit(node: dict) -> str:
        # longer forms first: a branch that goes on is tried before the form that ends here
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return "(?:" + body + ")?" if "" in node else body

    return "|".join(re.escape(ch) + emit(child) for ch, child in sorted(trie.items()))
