"""The figure rule table: find numeral spans, attach units, qualifiers, change and context.

Rules run in order over the folded text (same length as the raw text, so offsets are raw offsets):
  prefix-percent  百分之四十, 千分之五
  doubling        翻一番, 翻两番
  numeral         a numeral (Arabic, Chinese, mixed, vague, juxtaposed) and what follows it,
                  read by the ordered table of named rules NUMERAL_RULES (name, pre-test, production)
Each candidate is either made into a Figure (citing the rule and the rules/ entry ids it used)
or declined with a reason; ``explain`` shows both. The words and patterns are rules/*.toml data,
compiled once by FigureTable's BUILDERS.
"""

from __future__ import annotations

import bisect
import inspect
import unicodedata
from dataclasses import dataclass, field
from decimal import Context, Decimal, localcontext
from functools import cached_property, lru_cache

import re

import regex
from pydantic import TypeAdapter

from .normalise import fold
from .page import split
from .numbers import EXACT_PREC, MAX_NUMERAL_CHARS, NumeralError, parse_numeral
from .records import Figure, Problem, Span
from .rules import Rules, alternation, longest_first, load_rules
from .segment import _lexicon, cut_words, word_tag

SCORED = {"money", "percent", "percentage_point", "count", "measure", "multiple"}
PARAGRAPH_MAX = 600  # a longer run without a line break is an unbroken article, not a paragraph


# figures are worked out in this context: every numeral up to the length cap, times any unit
# factor, is exact in it (the default context's 28 digits rounded 30-digit amounts)
_EXACT = Context(prec=EXACT_PREC)
_ONE = Decimal(1)
# a factor of more digits than this is a rounded quotient (亩 = 10000/15 to 29 digits): a value in
# its unit keeps the 28 significant digits of the default context, as it always has
_DEFAULT = Context(prec=28)


def canonical(d: Decimal) -> Decimal:
    """Exact value without a trailing-zero exponent: 175000000.00 -> 175000000."""
    if not d.is_finite() or d.same_quantum(_ONE):
        return d  # not a number, or already an integer (exponent 0: most values)
    _sign, digits, exponent = d.as_tuple()
    if exponent == 0 or len(digits) > 40:
        return d  # already an integer; or a digit run that long is a code, never rendered
    if d == _EXACT.to_integral_value(d):
        return _EXACT.quantize(d, _ONE)
    return Decimal(format(_EXACT.normalize(d), "f"))


@dataclass
class Decision:
    """One candidate and what became of it (for ``explain``)."""

    start: int
    end: int
    text: str
    rule: str
    made: Figure | None = None
    declined: list[str] = field(default_factory=list)
    context: list[str] = field(default_factory=list)  # how metric, subject, period were read


# patterns used inside the rules, compiled once (standard re: half the call cost of regex)
_CODE_TAIL = re.compile(r"[0-9A-Za-z\-+() ]*[0-9A-Za-z]")
_PHONE = re.compile(r"[0-9]{3,4}-[0-9]{7,8}|1[3-9][0-9]{9}(?![0-9])|[0-9]{2,4}-[0-9]{3,4}-[0-9]{4}")
_PHONE_SPAN = re.compile(r"[0-9+\-() ]+[0-9]")
_DIGITS = re.compile(r"[0-9]+")
_YEAR_LIKE = re.compile(r"(19|20)[0-9]{2}")
_RATE_DENOMINATOR = regex.compile(r"[/／]([\p{Han}]{1,2}|[A-Za-z]{1,3})")
_FIGURE_MARK = re.compile(r"[0-9%]")
_QUOTE_MARKS = frozenset("“‘”’")
_ASCII_DIGITS = frozenset("0123456789")
# a record made from a dict of its fields by the model's own validator: what Figure(**fields) and
# Span(...) run, the same checks and the same instance, without BaseModel.__init__'s Python frame
# (about a fifth of a Figure's cost; one per figure and per context span)
# the Figures of an article are made in one call (a list's validator, the same checks and
# instances as Figure's own, one call instead of one per figure)
_new_figures = TypeAdapter(list[Figure]).validate_python
_new_span = Span.__pydantic_validator__.validate_python

# a web or e-mail address (scraped pages keep them); digits inside are never figures
_ADDRESS_RE = regex.compile(
    r"(?:https?://|www\.)[!-~]++|(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]++@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"
)
_ADDRESS_MARKS = ("http", "www.", "@")  # every address holds one of these


def _past_spaces(t: str, pos: int, limit: int, most: int = 4) -> int:
    """pos moved past at most ``most`` plain spaces (a spaced-out scraped page: 5 %, 百 分之 2)."""
    q = pos
    while q < limit and q - pos < most and t[q] == " ":
        q += 1
    return q


def _spaces_back(t: str, pos: int, most: int = 1) -> int:
    """pos moved back over at most ``most`` plain spaces (从 200 辆到 200 万辆)."""
    q = pos
    while q > 0 and pos - q < most and t[q - 1] == " ":
        q -= 1
    return q


def _comma_cut(raw: str, folded: str, s: int, e: int) -> int:
    """End of a numeral match, cut before a full-width comma that is a clause break, not thousands.

    ８２，２２５ (full-width digits) and 82，225.00 (another separator) keep it; 12，345 does not.
    """
    i = folded.find("，", s, e)
    if i < 0:
        return e
    body = folded[s:e]
    if "," in body or "." in body:
        return e
    if all("０" <= raw[j] <= "９" for j in (i - 1, i + 1)):
        return e
    return i


class _Lexicon:
    """Longest-first lookup of forms at a position."""

    def __init__(self, items):
        self.by_form: dict[str, object] = {}
        self.all_by_form: dict[str, list] = {}
        for form, payload in items:
            self.by_form.setdefault(form, payload)
            self.all_by_form.setdefault(form, []).append(payload)
        # what at() returns for each form: its (form, payload) pairs, made once
        self._pairs = {f: tuple((f, p) for p in ps) for f, ps in self.all_by_form.items()}
        self.forms = longest_first(self.by_form)
        self.maxlen = max((len(f) for f in self.forms), default=0)
        self.lengths = sorted({len(f) for f in self.forms}, reverse=True)
        # the form lengths to try, longest first, by first and by last character
        self.firsts = _lengths_by(self.forms, 0)
        self.lasts = _lengths_by(self.forms, -1)

    def at(self, text: str, pos: int):
        """All (form, payload) starting at pos, longest first."""
        lengths = self.firsts.get(text[pos:pos + 1])
        if lengths is None:
            return []
        out = []
        pairs = self._pairs
        for n in lengths:
            f = text[pos:pos + n]
            got = pairs.get(f)
            if got is not None and len(f) == n:
                out += got
        return out

    def ending_at(self, text: str, pos: int):
        lengths = self.lasts.get(text[pos - 1:pos]) if pos >= 1 else None
        if lengths is None:
            return []
        out = []
        for n in lengths:
            if pos - n < 0:
                continue
            f = text[pos - n:pos]
            if f in self.by_form:
                out.append((f, self.by_form[f]))
        return out


def _lengths_by(forms, index: int) -> dict[str, tuple[int, ...]]:
    """character at ``index`` of a form -> the lengths of the forms with it there, longest first."""
    out: dict[str, set[int]] = {}
    for f in forms:
        out.setdefault(f[index], set()).add(len(f))
    return {ch: tuple(sorted(ns, reverse=True)) for ch, ns in out.items()}


def _jiao_fen_re(subunits, zero: str, digits: str) -> re.Pattern:
    """After 元/圆: [零]n角 [零]n分, each part optional (one at least, checked by the caller); the
    groups are named by each subunit's place (jiao, fen) and its unit word (ju, fu)."""
    parts = []
    for place in ("jiao", "fen"):
        for e in subunits:
            if e.place != place:
                continue
            forms = "".join(sorted(e.forms))
            after = f"(?![{re.escape(''.join(e.not_before))}])" if e.not_before else ""
            then = "(?:" + "|".join(re.escape(f) for f in e.then) + ")?" if e.then else ""
            parts.append(rf"(?:[{zero}]?(?P<{place}>[{digits}])(?P<{place[0]}u>[{forms}]){after}{then})?")
    return re.compile("".join(parts))


# an Arabic numeral: thousands may be marked with a full-width comma (８２，２２５.００); find()
# keeps it only where the digits are full-width or the number has another separator (_comma_cut)
_ARABIC = r"[0-9]+(?:[,，][0-9]{3})+(?:\.[0-9]+)?(?![0-9])|[0-9]+(?:\.[0-9]+)?"
# the same after its first digit (the numeral scanner reads that digit by its opening class)
_ARABIC_REST = r"[0-9]*(?:[,，][0-9]{3})+(?:\.[0-9]+)?(?![0-9])|[0-9]*(?:\.[0-9]+)?"


class FigureTable:
    """Compiled figure rules: build once per process from rules/.

    Word lists compile with the standard ``re`` engine, 3-4x faster than ``regex`` on literal
    alternations, and so does the numeral scanner; ``regex`` is kept where a pattern needs a
    variable-width lookbehind, a backward search or Unicode properties.
    """

    #: the builders, in order: each compiles one part of the rules into the tables find() reads
    BUILDERS = ("_build_numerals", "_build_subunits", "_build_numeral_scanner", "_build_units",
                "_build_qualifiers", "_build_changes", "_build_exclusions", "_build_places", "_build_periods",
                "_build_clauses", "_build_metrics", "_build_prefixes_and_fractions", "_build_pretests")

    def __init__(self, rules: Rules):
        for name in self.BUILDERS:
            getattr(self, name)(rules)

    def _build_numerals(self, r: Rules) -> None:
        """The numeral characters and their values (numerals.toml)."""
        num = r.numerals
        self.digit_chars = {f for e in num.digits for f in e.forms}
        self.unit_chars = {f for e in num.units for f in e.forms}
        self.mag_chars = {f for e in num.magnitudes for f in e.forms}
        self.scale_chars = frozenset(self.unit_chars | self.mag_chars)  # 十百千 and 万亿
        self.vague_chars = {f for e in num.vague for f in e.forms}
        self.sign_chars = {f for e in num.signs for f in e.forms if len(f) == 1}
        self.long_signs = tuple(sorted((f for e in num.signs for f in e.forms if len(f) > 1), key=len, reverse=True))
        self.financial = {f for e in num.financial for f in e.forms}
        self.point_chars = {f for e in num.points for f in e.forms}
        self.juxtaposed = {f: e.id for e in num.juxtaposed for f in e.forms}
        self.juxtaposed_re = alternation(self.juxtaposed)  # 五六, 七八: does the numeral hold any
        self.digit_values = {f: Decimal(e.value) for e in num.digits for f in e.forms}
        self.unit_values = {f: Decimal(e.value) for e in num.units for f in e.forms}
        self.ten_chars = frozenset(f for e in num.units if Decimal(e.value) == 10 for f in e.forms)
        # 几 -> (least, least right after a ten, most, entry id)
        self.vague_read = {f: (e.low, e.low_after_ten, e.high, e.id) for e in num.vague for f in e.forms}
        self.alone_words = frozenset(f for e in num.alone_words for f in e.forms)
        self.sign_symbols = frozenset(f for e in num.signs for f in e.symbols)
        self.sign_words_after = frozenset(f for e in num.signs for f in e.words_after)
        self.half_chars = frozenset(f for e in num.halves for f in e.forms)
        # character classes (inside [...]) the patterns below are built from
        self.cls_cn = "".join(sorted(self.digit_chars | self.unit_chars | self.mag_chars))
        self.cls_vague = "".join(sorted(self.vague_chars))
        self.cls_digits = "".join(sorted(self.digit_chars))
        self.cls_mags = "".join(sorted(self.scale_chars))
        self.cls_zero = "".join(f for e in num.digits if e.value == "0" for f in e.forms)

    def _build_subunits(self, r: Rules) -> None:
        """角 and 分 after 元 (units.toml [[subunits]])."""
        # after 元/圆: [零]n角 [零]n分; each part optional, one at least (checked by the caller)
        self.subunit_values = {f: Decimal(e.value) for e in r.units.subunits for f in e.forms}
        self.subunit_ids = {f: e.id for e in r.units.subunits for f in e.forms}
        self.jiao_fen_re = _jiao_fen_re(r.units.subunits, self.cls_zero, self.cls_digits + "0-9")

    def _build_numeral_scanner(self, r: Rules) -> None:
        """The one pattern that finds every numeral."""
        cn, vague, digits, mags = self.cls_cn, self.cls_vague, self.cls_digits, self.cls_mags
        ar = _ARABIC
        inside = "".join(sorted({f for e in r.qualifiers.qualifiers if e.position == "inside" for f in e.forms}))
        point = "".join(sorted(self.point_chars))
        linker = "".join(sorted(f for e in r.units.linkers for f in e.forms))
        # 1 个亿: the magnitudes a linker may stand before inside a numeral, and what may not follow them
        lmag = "|".join(re.escape(f) for f in longest_first(m for e in r.units.linkers for m in e.magnitudes)) or "(?!)"
        lnot = "|".join(re.escape(f) for f in longest_first(m for e in r.units.linkers for m in e.not_then))
        lmag_free = f"(?:{lmag})(?!{lnot})" if lnot else f"(?:{lmag})"
        self.linker_magnitudes = tuple((lk, m) for e in r.units.linkers for lk in e.forms for m in e.magnitudes)
        # a point after spaces (三 点 五 on a spaced-out page): one fixed-width look-behind per count
        # of spaces, as the standard re looks behind a fixed width only
        sp = r"[ \u3000]"
        point_after = "(?:" + "|".join(rf"(?<=[{digits}{mags}]{sp * k})" for k in range(5)) + ")"
        # a numeral: Arabic or Chinese pieces, vague digits, inner 余/多 before a magnitude
        # it opens with the class of the characters a numeral can start with, read as the piece's
        # first character (an Arabic number's first digit, [0-9]+ written [0-9][0-9]*): a pattern
        # that opens with a class lets the standard re skip the places no numeral starts without
        # trying the pattern there (about 3x on the corpus, the same matches)
        self.numeral_re = re.compile(
            rf"[0-9{cn}{vague}](?:(?<=[0-9])(?:{_ARABIC_REST})|(?<=[{cn}])|(?<=[{vague}])(?=[{mags}]))"
            rf"(?:{ar}|[{cn}]|[{vague}](?=[{mags}])|(?<=[{cn}{vague}])[{vague}]|(?<=[{digits}{mags}])[{point}](?=[{digits}0-9])"
            rf"|[{inside}](?=[ \u3000]{{0,4}}[{mags}])|(?<=[{cn}{vague}])[{linker}](?={lmag})"
            # 1 个亿, 10个亿 (one 亿, not one 个); 91 个亿元大奖 counts prizes of 亿元
            rf"|(?<=[0-9])[ \u3000]{{0,4}}[{linker}][ \u3000]{{0,4}}(?={lmag_free})"
            # a numeral spread over spaces (三千 八百 九十六 万, 1000  万): Chinese on both sides, or
            # Arabic before a Chinese unit or magnitude; never Arabic to Arabic (2023 2024)
            rf"|(?<=[{cn}{vague}{inside}])[ \u3000]{{1,4}}(?=[{cn}{vague}{point}{inside}])"
            rf"|(?<=[0-9])[ \u3000]{{1,4}}(?=[{mags}])"
            rf"|{point_after}[{point}][ \u3000]{{0,4}}(?=[{digits}0-9]))*"
        )
        self.inside_forms = set(inside)
        inside_entry = next(e for e in r.qualifiers.qualifiers if e.position == "inside")
        self.inside_id, self.inside_qualifier = inside_entry.id, inside_entry.qualifier

    def _build_units(self, r: Rules) -> None:
        """Units, linkers, the year, rates (units.toml)."""
        self.units = _Lexicon((f, e) for e in r.units.units if not e.prefix and not e.fraction for f in e.forms)
        # 六 个 百 分 点: a unit of three or more characters spread over spaces on a spaced-out page
        self.spaced_units = {}  # the first entry of a form wins, as in the lexicon
        for e in r.units.units:
            if not (e.prefix or e.fraction or e.only_before or e.not_before or e.near_before or e.chinese_only
                    or e.glued):
                for f in e.forms:
                    if len(f) >= 3:
                        self.spaced_units.setdefault(f, e)
        self.spaced_unit_re = regex.compile("|".join(
            "[ ]{0,4}".join(regex.escape(ch) for ch in f) for f in longest_first(self.spaced_units))
        ) if self.spaced_units else None
        self.rounded_factors = frozenset(e.id for e in r.units.units
                                         if len(Decimal(e.factor).as_tuple().digits) > _DEFAULT.prec)
        self.prefix_units = _Lexicon((f, e) for e in r.units.units if e.prefix for f in e.forms)
        self.implied = _Lexicon((f, e) for e in r.units.implied if not e.tail for f in e.forms)
        self.implied_tails = [(f, e) for e in r.units.implied if e.tail for f in e.forms]
        self.implied_re = alternation(self.implied.forms)
        self.currencies_before = _Lexicon((f, e) for e in r.units.currencies_before for f in e.forms)
        self.currency_word_re = alternation(self.currencies_before.forms)  # inside a unit as written: 万美元
        self.open_counts = r.units.open_counts
        self.linkers = {f: e.id for e in r.units.linkers for f in e.forms}
        self.linker_chars = "".join(self.linkers)
        # 5个: a linker after a bare numeral is the count unit written the same (count-ge)
        self.linker_units = {f: self.units.by_form[f] for f in self.linkers if f in self.units.by_form}
        self.year_entry = next((e for e in r.units.units if e.year), None)
        year_forms = "".join(f for f in self.year_entry.forms if len(f) == 1) if self.year_entry else ""
        self.year_chars = frozenset(year_forms)
        marks = "".join(self.year_entry.year_range_marks) if self.year_entry else ""
        self.year_range_marks = frozenset(marks)
        self.year_range_re = re.compile(rf"[{re.escape(marks)}]([0-9]{{2,4}})[{re.escape(year_forms)}]") \
            if marks and year_forms else re.compile(r"(?!)")
        self.rate_units = {f: e.unit for e in r.units.rate_denominators if e.unit for f in e.forms}
        self.not_rates = tuple(f for e in r.units.rate_denominators if not e.unit for f in e.forms)

    def _build_qualifiers(self, r: Rules) -> None:
        """Bounds before and after a figure (qualifiers.toml)."""
        self.q_before = _Lexicon((f, e) for e in r.qualifiers.qualifiers if e.position == "before" for f in e.forms)
        self.q_after = _Lexicon((f, e) for e in r.qualifiers.qualifiers if e.position == "after" for f in e.forms)
        self.q_bridges = frozenset(f for e in r.qualifiers.bridges for f in e.forms)

    def _build_changes(self, r: Rules) -> None:
        """Change verbs, bases, fillers, doubling (changes.toml)."""
        self.verbs = _Lexicon((f, e) for e in r.changes.verbs if not e.gap for f in e.forms)
        self.gap_verbs = _Lexicon((f, e) for e in r.changes.verbs if e.gap for f in e.forms)
        # verbs that may stand earlier in the clause (新增企业近7000家): gap verbs, then verbs of two
        # characters or more that say up or down
        self.up_down_verbs = _Lexicon((f, e) for e in r.changes.verbs
                                      if not e.gap and not e.adjacent and e.direction in ("up", "down")
                                      for f in e.forms if len(f) >= 2)
        self.gap_firsts = frozenset(self.gap_verbs.firsts) | frozenset(self.up_down_verbs.firsts)
        # the places such a verb may start, found by one search instead of a test per character
        self.gap_first_re = re.compile("[" + re.escape("".join(sorted(self.gap_firsts))) + "]"
                                       if self.gap_firsts else r"(?!x)x")
        self.basis = _Lexicon((f, e) for e in r.changes.basis for f in e.forms)
        self.fillers = _Lexicon((f, e) for e in r.changes.fillers for f in e.forms)
        self.doubling = _Lexicon((f, e) for e in r.changes.doubling for f in e.forms)
        self.doubling_re = alternation(self.doubling.forms)
        self.distributive = {f for e in r.changes.distributive for f in e.forms}
        self.distributive_id = r.changes.distributive[0].id
        # 增加值, 增长率: a verb form -> what after it makes it a noun
        self.verb_noun_tails = {}
        for e in r.changes.verbs:
            for n in e.nouns:
                for f in e.forms:
                    if n.startswith(f) and n != f:
                        self.verb_noun_tails.setdefault(f, set()).add(n[len(f):])
        bf = r.changes.basis_free
        if bf:  # 比2020年, 与上年相比: a base written out, read back from the verb
            stops = re.escape("".join(sorted({s for e in bf for s in e.stops})))
            closers = "|".join(re.escape(f) for f in longest_first(f for e in bf for f in e.closers))
            most = 12  # characters of the base between its marker and the end
            self.compared_re = re.compile(
                "(?:" + "|".join(re.escape(f) for f in longest_first(f for e in bf for f in e.forms)) + ")"
                + (rf"[^{stops}]" if stops else ".") + f"{{1,{most}}}?" + (f"(?:{closers})?" if closers else "") + "$")
            # the longest match, and one more for a $ before a closing line break: a search of the
            # text's last compared_reach characters finds what a search of the whole clause finds
            self.compared_reach = max(len(f) for e in bf for f in e.forms) + most \
                + max((len(f) for e in bf for f in e.closers), default=0) + 1
        else:
            self.compared_re = re.compile(r"(?!)")
            self.compared_reach = 0
        self.compared_ends = tuple(f for e in bf for f in e.ends)
        gap_stops = "".join(f for e in r.changes.gap_stops for f in e.forms)
        self.gap_stop_re = re.compile(rf"[0-9{re.escape(gap_stops)}]")

    def _build_exclusions(self, r: Rules) -> None:
        """Names, codes, idioms (exclusions.toml)."""
        ex = r.exclusions.exclusions
        self.x_phrase = [(f, e) for e in ex if e.where == "phrase" for f in e.forms]
        self.x_phrase_map = {f: e for f, e in self.x_phrase}
        self.x_phrase_max = max(len(f) for f, _ in self.x_phrase)
        # first character of a phrase -> the lengths of the phrases it opens, longest first; each
        # character a phrase holds -> the places it stands in phrases (after the start), farthest first
        self.x_phrase_lengths = _lengths_by(self.x_phrase_map, 0)
        offsets: dict[str, set[int]] = {}
        for f in self.x_phrase_map:
            for k, ch in enumerate(f):
                offsets.setdefault(ch, set()).add(k)
        self.x_phrase_offsets = {ch: tuple(sorted(ks, reverse=True)) for ch, ks in offsets.items()}
        self.x_after = _Lexicon((f, e) for e in ex if e.where == "after" for f in e.forms)
        self.x_before = _Lexicon((f, e) for e in ex if e.where == "before" for f in e.forms)
        self.x_wrapped = {f[0]: (f[1], e) for e in ex if e.where == "wrapped" for f in e.forms}
        self.articles = {f: e for e in ex for f in e.article_numerals}  # 一 + measure word: 'a'

    def _build_places(self, r: Rules) -> None:
        """Places and organisations a figure's subject is read from, and the dateline (context.toml)."""
        ctx = r.context
        self.places = _Lexicon((f, e) for e in ctx.places for f in e.forms)
        self.places_re = alternation(self.places.forms)
        blocks = sorted((f for e in ctx.place_suffix_blocks for f in e.forms), key=len, reverse=True)
        suffixes = sorted((f for e in ctx.place_suffixes for f in e.forms), key=len, reverse=True)
        if suffixes:  # 吉林省: the place and its suffix, unless the suffix opens a word (重庆市场)
            block = "|".join(re.escape(b) for b in blocks)
            self.place_suffix_re = re.compile(
                (rf"(?!{block})" if block else "") + "(?:" + "|".join(re.escape(f) for f in suffixes) + ")")
        else:
            self.place_suffix_re = None
        self.org_subjects = sorted((f for e in ctx.org_subjects for f in e.forms), key=len, reverse=True)
        self.org_re = alternation(self.org_subjects) if self.org_subjects else None
        suffixes = longest_first(f for e in ctx.org_suffixes for f in e.forms)
        blocks = longest_first(f for e in ctx.org_suffix_blocks for f in e.forms)
        # a name is the run of name characters (no punctuation, space, digit or opener word)
        # before a suffix; the scan finds the suffixes, then looks back at most 12 characters
        self.org_openers = frozenset(f for e in ctx.org_name_openers for f in e.forms if len(f) == 1)
        self.org_suffix_re = alternation(suffixes) if suffixes else None
        self.org_blocks = tuple(blocks)
        agencies = "|".join(re.escape(f) for f in longest_first(f for e in ctx.datelines for f in e.forms))
        self.dateline_re = regex.compile(
            rf"(?:{agencies})(?:" + "|".join(e.pattern for e in ctx.datelines) + ")") if agencies else None
        self.dateline_id = ctx.datelines[0].id if ctx.datelines else None

    def _build_periods(self, r: Rules) -> None:
        """The period grammar and words, a day after a month, a time's ending (context.toml)."""
        ctx = r.context
        self.period_words = _Lexicon((f, e) for e in ctx.periods for f in e.forms)
        # the period words written as a trie (rules.alternation): a place is tried against the
        # words sharing its first character only, the longest word there matched as when listed
        period_alt = alternation(self.period_words.forms).pattern
        # the period grammar (rules/context.toml [[period_patterns]]), then the period words; a
        # first-character guard lets the engine skip the many places no period can start (7x)
        grammar = [f for e in ctx.period_patterns for f in e.forms]
        period_firsts = re.escape("".join(sorted({ch for e in ctx.period_patterns for ch in e.firsts}
                                                    | {f[0] for f in self.period_words.forms})))
        self.period_re = re.compile(rf"(?=[{period_firsts}])(?:" + "|".join([*grammar, period_alt]) + ")")
        period_suffixes = "|".join(re.escape(f) for f in longest_first(f for e in ctx.period_suffixes for f in e.forms))
        # a day after a month (1月27日) and a time's own ending (2025年末, 去年以来)
        days = "|".join(f for e in ctx.period_days for f in e.forms) or "(?!)"
        self.period_tail_re = re.compile(rf"(?:{days})(?:{period_suffixes})?|(?:{period_suffixes})"
                                         if period_suffixes else days)
        self.period_joins = tuple(longest_first(f for e in ctx.period_joins for f in e.forms))

    def _build_clauses(self, r: Rules) -> None:
        """Clause breaks, list and range separators, comparison markers (context.toml)."""
        ctx = r.context
        self.clause_breaks = {f for e in ctx.clause_breaks for f in e.forms}
        if any(len(f) != 1 for f in self.clause_breaks):
            raise ValueError("rules/context.toml: a clause break is one character")
        self.list_seps = _Lexicon((f, e) for e in ctx.list_separators for f in e.forms)
        self.comparison_markers = _Lexicon((f, e) for e in ctx.comparison_markers for f in e.forms)
        self.range_seps = _Lexicon((f, e) for e in ctx.range_separators for f in e.forms)

    def _build_metrics(self, r: Rules) -> None:
        """The words a metric is cut by, and the glue between a metric noun and its figure."""
        ctx = r.context
        # connectives dropped from a metric's head, in the rules' order (one tuple test first)
        self.metric_openers = tuple(f for e in ctx.metric_openers for f in e.forms)
        self.metric_cuts = tuple(f for e in ctx.metric_cuts for f in e.forms)
        self.level_openers = tuple(f for e in ctx.level_openers for f in e.forms)
        self.metric_counted_id = next((e.id for e in ctx.metric_after_links), "metric-counted")
        self.metric_quotes = frozenset(f for e in ctx.metric_quotes for f in e.forms)
        self.metric_tails = _Lexicon((f, e) for e in ctx.metric_tails for f in e.forms)
        self.not_head_tags = frozenset(f for e in ctx.metric_not_head_tags for f in e.forms)
        self.fragment_marks = frozenset(f for e in ctx.metric_fragment_marks for f in e.forms if len(f) == 1)
        self.fragment_words = tuple(f for e in ctx.metric_fragment_marks for f in e.forms if len(f) > 1)
        self.fragment_re = re.compile("[" + re.escape("".join(sorted(self.fragment_marks))) + "]"
                                      if self.fragment_marks else r"(?!x)x")
        self.verb_nouns = frozenset(f for e in ctx.metric_verb_nouns for f in e.forms)
        self.verb_nouns_tuple = tuple(self.verb_nouns)
        self.after_blocks = frozenset(f for e in ctx.metric_after_blocks for f in e.forms)
        self.after_links = tuple(f for e in ctx.metric_after_links for f in e.forms)
        self.level_verbs = tuple(f for e in ctx.metric_level_verbs for f in e.forms)
        self.time_tails = tuple(f for e in ctx.metric_time_tails for f in e.forms)
        glue = sorted({f for e in r.units.implied_glue for f in e.forms}
                      | set(self.q_before.forms) | set(self.q_after.forms) | set(self.inside_forms), key=len, reverse=True)
        self.glue_re = re.compile("(?:" + "|".join(re.escape(f) for f in glue) + ")*")

    def _build_prefixes_and_fractions(self, r: Rules) -> None:
        """百分之四十, 三分之一, 三百五十又三分之一."""
        cn, digits, mags = self.cls_cn, self.cls_digits, self.cls_mags
        point = "".join(sorted(self.point_chars))
        ar = _ARABIC
        # 百分之, and 百 分 之 on a spaced-out page
        self.prefix_re = re.compile("|".join(
            "[ ]{0,4}".join(re.escape(ch) for ch in f)
            for f in sorted(self.prefix_units.forms, key=len, reverse=True)))
        frac = next(e for e in r.units.units if e.fraction)
        self.fraction_id = frac.id
        # 三分之一, 1000分之3: a denominator that is not itself a prefix form (百分之 is percent)
        self.fraction_re = regex.compile(
            rf"(?<![0-9{cn}])(?P<den>[0-9]++|[{cn}]++)"  # 二分 之一, 3 分 之 1 on a spaced-out page
            rf"[ ]{{0,4}}(?:{'|'.join('[ ]{0,4}'.join(regex.escape(ch) for ch in f) for f in frac.forms)})[ ]{{0,4}}"
            rf"(?P<num>(?:{ar}|[{cn}]|(?<=[{digits}{mags}])[{point}](?=[{digits}0-9]))+)"
        )
        # the same behind a first-character guard, the way numeral_re opens: a denominator starts with
        # a digit or a Chinese numeral character, and the guard lets the engine skip the places none
        # stands (about 3x on the corpus; the same matches)
        self.fraction_scan_re = regex.compile(f"(?=[0-9{regex.escape(''.join(sorted(self.digit_chars | self.unit_chars | self.mag_chars)))}])"
                                              + self.fraction_re.pattern, flags=self.fraction_re.flags)
        # every fraction holds one of its forms (分之, 分 之): where none stands, no fraction is looked for
        self.fraction_form_re = re.compile("|".join("[ ]{0,4}".join(re.escape(ch) for ch in f) for f in frac.forms))
        # 三百五十又三分之一: the whole number and its joiner just before a fraction, read backwards
        self.mixed_ids = {f: e.id for e in r.numerals.mixed for f in e.forms}
        self.mixed_re = regex.compile(
            rf"(?r)(?<![0-9{cn}])(?P<sign>[{regex.escape(''.join(sorted(self.sign_chars)))}])?"
            rf"(?P<int>[0-9]++|[{cn}]++)[ ]{{0,4}}(?:{'|'.join(regex.escape(f) for f in self.mixed_ids) or '(?!)'})[ ]{{0,4}}\Z"
        )

    def _build_pretests(self, r: Rules) -> None:
        """The numeral rules' pre-tests."""
        # no juxtaposed pair (五六), vague digit (几) or linker (个) is written in ASCII alone, so
        # _parse_piece reads an ASCII numeral straight away
        self.no_ascii_forms = not any(f.isascii() for f in (*self.juxtaposed, *self.vague_chars, *self.linkers))
        # the numeral rules' pre-tests (NUMERAL_RULES): a rule runs only where the character
        # before, at or after the numeral is one of these
        self.pretest_chars = {
            "vague_chars": frozenset(self.vague_chars),
            "alone_firsts": frozenset(f[0] for f in self.alone_words) | frozenset(self.point_chars),
            "dot_chars": frozenset("."),
            "inside_forms": frozenset(self.inside_forms),
            "sign_lasts": frozenset(self.sign_chars) | frozenset(f[-1] for f in self.long_signs) | {" "},
            "x_before_lasts": frozenset(self.x_before.lasts) | frozenset("：: "),
            "x_wrapped": frozenset(self.x_wrapped),
            "ascii_digits": _ASCII_DIGITS,
            "year_after": self.year_chars | self.year_range_marks | {" "},
            "x_after_firsts": frozenset(self.x_after.firsts),
            "article_firsts": frozenset(f[0] for f in self.articles),
            "chinese_firsts": frozenset(self.cls_cn),
            "financial": frozenset(self.financial),
            "x_phrase_chars": frozenset(self.x_phrase_offsets),  # a character some excluded phrase holds
        }

@lru_cache(maxsize=1)
def table() -> FigureTable:
    return FigureTable(load_rules())


# ---------------------------------------------------------------- candidates


@dataclass(slots=True)
class _Cand:
    start: int
    end: int  # end of the whole figure span (numeral + unit)
    num_start: int
    num_end: int
    value: Decimal | None
    low: Decimal | None = None
    high: Decimal | None = None
    unit_entry: object | None = None
    unit_text: str | None = None
    unit: str | None = None
    kind: str = "number"
    qualifier: str | None = None
    q_span: tuple[int, int] | None = None  # the qualifier word outside the span
    direction: str | None = None
    basis: str | None = None
    rule: str = "numeral"
    entries: list[str] = field(default_factory=list)
    no_numeral: bool = False
    arabic: bool = False
    list_prev: "_Cand | None" = None
    cur_start: int | None = None  # a currency word before the span (港币3000元) starts here
    ctx_rules: list[str] = field(default_factory=list)
    list_index: int = 0  # place in a list of figures (分别 a、b 和 c), and the list's length
    list_len: int = 1
    metric_items: list | None = None  # a 分别 list's metric split into one item per figure
    list_head: "_Cand | None" = None


@lru_cache(maxsize=16384)
def _parse_piece(tb: FigureTable, s: str):
    """Value, low, high, entries for one numeral string, or raise NumeralError.

    Memoised: news repeats its numerals (2024, 10, 一) and the answer depends on the table and
    the string alone (Decimals and the tuple are immutable)."""
    s = s.replace(" ", "").replace("\u3000", "")  # 三千 八百: the scanner vetted the spaces
    if s.isascii() and tb.no_ascii_forms:
        return parse_numeral(s), None, None, ()  # 2024, 6.1: no linker, pair or vague form can be inside
    for linker, mag in tb.linker_magnitudes:
        s = s.replace(linker + mag, mag)  # 两个亿, 几个亿
    for form, eid in (tb.juxtaposed.items() if tb.juxtaposed_re.search(s) else ()):  # one search first
        i = s.find(form)
        # 五六百, and after a ten, hundred or thousand: 十七八万, 一百五六十 (never inside a digit
        # string: 一二三四 is a code)
        if i == 0 or (i > 0 and s[i - 1] in tb.scale_chars):
            head, rest = s[:i], s[i + len(form):]
            lo = parse_numeral(head + form[0] + rest)
            hi = parse_numeral(head + form[1] + rest)
            lo, hi = min(lo, hi), max(lo, hi)  # 三两天: two or three days
            if lo >= hi:
                raise NumeralError(s)
            return None, lo, hi, (eid,)
    if not tb.vague_chars.isdisjoint(s):
        lo_s, hi_s, ids = [], [], []
        for i, c in enumerate(s):
            read = tb.vague_read.get(c)
            if read is not None:
                low, low_after_ten, high, eid = read
                lo_s.append(low_after_ten if i > 0 and s[i - 1] in tb.ten_chars else low)
                hi_s.append(high)
                ids.append(eid)
            else:
                lo_s.append(c)
                hi_s.append(c)
        lo, hi = parse_numeral("".join(lo_s)), parse_numeral("".join(hi_s))
        return None, lo, hi, tuple(dict.fromkeys(ids))
    return parse_numeral(s), None, None, ()


def _strip_inside(tb: FigureTable, s: str):
    """Remove 余/多 inside a numeral: '700多万' -> ('700万', True)."""
    if not tb.inside_forms.isdisjoint(s):
        return "".join(c for c in s if c not in tb.inside_forms), True
    return s, False


@dataclass(slots=True)
class _Numeral:
    """One numeral as the numeral rules read it: the span, what the rules before found, and the
    candidate once the numeral is read."""
    raw: str
    t: str
    s: int
    e: int
    limit: int
    phrases: tuple[int, int]
    decisions: list | None
    sign_start: int
    lead_vague: tuple[int, int] | None = None
    inside_trail: bool = False
    is_arabic: bool = False
    c: _Cand | None = None
    ce: int = 0  # where the numeral read ends (before a unit word's first character: 千瓦)
    ue: int = 0  # where a unit may start
    inside: bool = False  # an inner 余/多
    unit: object | None = None
    has_unit: bool = False  # flags the read sets for the pre-tests of the rules after it
    no_unit: bool = False
    bare_any: bool = False  # a bare magnitude, or a single 十/百/千
    bare_mag: bool = False
    single_small: bool = False
    lone_big: bool = False


# The numeral rule table (Duckling's shape): name, pre-test, production, in the order they run.
# The pre-test is a character the numeral must have just before it (-1), as its first (0) or
# just after it (1), one of a set of FigureTable.pretest_chars, or (2) a flag of the _Numeral
# that must be set; None: always run. Names are the rule names
# ``explain`` prints for a decline, and the records' ``rule`` where a rule makes the figure.
NUMERAL_RULES = (
    ("vague-lead", 0, "vague_chars", "_rule_vague_lead"),
    ("alone-word", 0, "alone_firsts", "_rule_alone_word"),
    ("dotted-code", -1, "dot_chars", "_rule_dotted_code"),
    ("inside-trail", 1, "inside_forms", "_rule_inside_trail"),
    ("sign", -1, "sign_lasts", "_rule_sign"),
    ("exclusion-phrase", 0, "x_phrase_chars", "_rule_exclusion_phrase"),
    ("exclusion-before", -1, "x_before_lasts", "_rule_exclusion_before"),
    ("exclusion-wrapped", -1, "x_wrapped", "_rule_exclusion_wrapped"),
    ("phone", 0, "ascii_digits", "_rule_phone"),
    ("long-digits", 0, "ascii_digits", "_rule_long_digits"),
    ("year-date", 1, "year_after", "_rule_year"),
    ("exclusion-enumerator", 1, "x_after_firsts", "_rule_enumerator"),
    ("numeral", None, None, "_rule_read"),
    ("numeral+unit", 2, "has_unit", "_apply_unit"),
    ("range", 2, "no_unit", "_rule_range"),
    ("numeral+linker", 2, "no_unit", "_rule_linker"),
    ("numeral+open-count", 2, "no_unit", "_open_count"),
    ("article", 0, "article_firsts", "_rule_article"),
    ("year-count", 0, "ascii_digits", "_rule_year_count"),
    ("quoted-figure", None, None, "_rule_quoted_figure"),
    ("no-value", 0, "chinese_firsts", "_rule_no_value"),
    ("financial-alone", 0, "financial", "_rule_financial_alone"),
    ("in-word", 0, "chinese_firsts", "_rule_in_word"),
    ("exclusion-after", None, None, "_rule_exclusion_after"),
    ("qualifiers", None, None, "_rule_qualifiers"),
    ("lone-magnitude", 2, "bare_any", "_rule_lone_magnitude"),
    ("bare-magnitude", 2, "bare_any", "_rule_bare_magnitude"),
    ("numeral+implied-unit", None, None, "_implied_unit"),
)


class FigureFinder:
    def __init__(self, tb: FigureTable | None = None):
        self.tb = tb or table()
        self._links: dict[tuple[int, int, int], _Cand | None] = {}
        self._clauses: list[int] | None = None
        self._link_depth = 0
        self._numeral_rules = tuple(
            (name, where, chars if where in (None, 2) else self.tb.pretest_chars[chars], getattr(self, method),
             inspect.cleandoc(getattr(self, method).__doc__ or "").split("\n")[0] or name)
            for name, where, chars, method in NUMERAL_RULES)
        self._plans: dict = {}
        # the characters just before and after a numeral as bits, one per pre-test set of the
        # rules that look there: a plan chosen by them has those pre-tests settled as well
        self._side_bits = {}
        for side in (-1, 1):
            sets = list(dict.fromkeys(chars for _n, where, chars, *_r in self._numeral_rules if where == side))
            bits: dict[str, int] = {}
            for i, chars in enumerate(sets):
                for ch in chars:
                    bits[ch] = bits.get(ch, 0) | 1 << i
            self._side_bits[side] = (bits, {chars: 1 << i for i, chars in enumerate(sets)})
        self._left_bits, self._right_bits = self._side_bits[-1][0], self._side_bits[1][0]
        self._plans0: dict = {}  # (first, left bits, right bits) -> the rules before the read

    @cached_property
    def lexicon(self) -> dict:
        """jieba's dictionary (word -> frequency, tag), asked with ``get`` (loaded on first use).
        No memo before it: with a memo forgotten with each page (as it must be), about 83% of the
        corpus's look-ups were misses, each a Python call on top of the look-up it saved."""
        return _lexicon()

    def new_page(self) -> None:
        """Forget the numerals read on the last page: the memo serves repeats within a page, so a
        benchmark of repeated pages cannot look faster than one page read once; so do the words
        cut after a numeral (segment.cut_words)."""
        _parse_piece.cache_clear()
        cut_words.cache_clear()

    # -------------------------------------------------------------- entry point
    def find(self, raw: str, folded: str, start: int = 0, end: int | None = None,
             decisions: list[Decision] | None = None, lead: tuple[int, int] | None = None,
             problems: list[Problem] | None = None) -> list[Figure]:
        """The figures of folded[start:end]; a numeral that cannot be read is a Problem appended to
        ``problems`` (offsets into ``folded``), and costs only itself."""
        with localcontext(_EXACT):
            return self._find(raw, folded, start, end, decisions, lead, problems)

    def _find(self, raw, folded, start, end, decisions, lead, problems):
        end = len(folded) if end is None else end
        tb = self.tb
        self._links = {}  # numerals read after a range mark, this article (see _link)
        self._spans = {}  # context spans made this article, shared by the figures naming them (see _span)
        self._clauses = None  # the clause starts of page.split(folded), once a clause start is asked
        cands: list[_Cand] = []
        taken: list[tuple[int, int]] = []  # sorted; spans never overlap, so no two share a start

        def overlaps(s, e):
            # only the neighbours of where (s, e) would go need a look
            i = bisect.bisect_left(taken, (s,))
            if i:
                ts, te = taken[i - 1]
                if s < te and ts < e:
                    return True
            if i < len(taken):
                ts, te = taken[i]
                if s < te and ts < e:
                    return True
            return False

        def take(s, e):
            bisect.insort(taken, (s, e))

        # web addresses and e-mail: the digits inside are parts of a name (one find per mark
        # first: the e-mail branch would otherwise be tried at every Latin letter and digit)
        addresses = _ADDRESS_RE.finditer(folded, start, end) \
            if any(folded.find(mark, start, end) >= 0 for mark in _ADDRESS_MARKS) else ()
        for m in addresses:
            take(m.start(), m.end())
            self._decline(decisions, m.start(), m.end(), raw, "address", "inside a web or e-mail address")

        # rule: fraction (三分之一, 十分之一): percent, as ANNOTATION.md reads 一半
        fractions = tb.fraction_scan_re.finditer(folded, start, end) \
            if tb.fraction_form_re.search(folded, start, end) else ()  # few articles hold 分之
        for m in fractions:
            if overlaps(m.start(), m.end()) or m.end() - m.start() > MAX_NUMERAL_CHARS:
                continue  # an over-long numeral is reported where the numeral rule meets it
            c = self._fraction(folded, m, end)
            if c is not None:
                cands.append(c)
                take(c.start, c.end)

        # rule: prefix-percent (百分之四十)
        for m in tb.prefix_re.finditer(folded, start, end):
            if overlaps(m.start(), m.end()):
                continue
            entry = tb.prefix_units.by_form[m.group().replace(" ", "")]
            after = _past_spaces(folded, m.end(), end)
            neg = folded[after:after + 1] in tb.sign_chars  # 百分之负三点八
            nm = tb.numeral_re.match(folded, after + neg, end)
            if not nm or nm.end() - nm.start() > MAX_NUMERAL_CHARS:
                continue
            # 百分之十五点五 / 百分之5; the longest prefix that reads (百分之七十百分位)
            got = self._longest_reading(folded, nm.start(), _comma_cut(raw, folded, nm.start(), nm.end()))
            if got is None:
                continue
            ne, (val, lo, hi, ents), inside = got
            if neg:
                val, lo, hi = (None if v is None else -v for v in (val, hi, lo))
            fac = Decimal(entry.factor)
            c = _Cand(start=m.start(), end=ne, num_start=m.start(), num_end=ne,
                      value=None if val is None else val * fac,
                      low=None if lo is None else lo * fac, high=None if hi is None else hi * fac,
                      unit_entry=entry, unit_text=m.group().replace(" ", ""), unit=entry.unit, kind=entry.kind,
                      rule="prefix-percent", entries=[entry.id, *ents])
            if inside:
                c.qualifier = "more_than"
                c.entries.append(tb.inside_id)
            self._qualifiers(folded, c, end, False)
            cands.append(c)
            take(c.start, c.end)

        # rule: doubling (翻一番)
        for m in tb.doubling_re.finditer(folded, start, end):
            if overlaps(m.start(), m.end()):
                continue
            entry = tb.doubling.by_form[m.group()]
            c = _Cand(start=m.start(), end=m.end(), num_start=m.start(), num_end=m.end(),
                      value=Decimal(entry.value), unit="x", unit_text=m.group(), kind="multiple",
                      direction="up", rule="doubling", entries=[entry.id])
            cands.append(c)
            take(c.start, c.end)

        # rule: numeral
        pos = start
        # excluded phrases (十四五, 一体化 …) are looked for inside the article only, and only where
        # one could cover a numeral (see _rule_exclusion_phrase)
        excluded_phrases = (max(0, start), end)
        # the numerals come left to right and each search starts past every candidate made so far,
        # so a numeral can overlap those only by a sign or bound reaching back before it: past
        # ``reach``, the furthest candidate end; the spans taken above (few articles have any)
        # are asked as before
        taken_before = bool(taken)
        reach = -1
        while True:
            m = tb.numeral_re.search(folded, pos, end)
            if not m:
                break
            m_start = m.start()
            m_end = m.end()
            if folded.find("，", m_start, m_end) >= 0:  # rarely: most numerals hold no full-width comma
                m_end = _comma_cut(raw, folded, m_start, m_end)
            pos = m_end
            if taken_before and overlaps(m_start, m_end):
                continue
            if m_end - m_start > MAX_NUMERAL_CHARS:
                self._unread(problems, decisions, raw, m_start, m_end,
                             f"a numeral of {m_end - m_start} characters, more than the "
                             f"{MAX_NUMERAL_CHARS} read, was not read; the other figures were")
                continue
            try:
                c = self._numeral(raw, folded, m_start, m_end, end, excluded_phrases, decisions)
            except ArithmeticError as exc:  # a bug in one numeral must not cost the others
                self._unread(problems, decisions, raw, m_start, m_end, f"the numeral could not be "
                             f"read ({type(exc).__name__}); the other figures were", code="internal-error")
                continue
            if c is None:
                continue
            if c.start < reach or (taken_before and overlaps(c.start, c.end)):
                continue
            cands.append(c)
            if taken_before:
                take(c.start, c.end)
            if c.end > reach:
                reach = c.end
            pos = max(pos, c.end)

        # the article lead's first place names the subject where a sentence has none: look once
        if lead is not None:  # the dateline's place (新华社昆明1月28日电) is the article's subject
            m = None if tb.dateline_re is None else tb.dateline_re.search(folded, start, min(end, start + 400))
            lead = None if m is None else Span(start=m.start("place"), end=m.end("place"), text=raw[m.start("place"):m.end("place")])
        # places, organisations and periods, found once per article; each figure looks back in
        # its own sentence, then its paragraph
        places = [(m.start(), self._place_end(folded, m.end(), end))
                  for m in tb.places_re.finditer(folded, start, end)]
        orgs = [] if tb.org_re is None else [(m.start(), -m.end()) for m in tb.org_re.finditer(folded, start, end)]
        if tb.org_suffix_re is not None:  # 柳州赛克科技发展有限公司 (not 银行业)
            done = start
            for m in tb.org_suffix_re.finditer(folded, start, end):
                if m.start() < done or folded.startswith(tb.org_blocks, m.start()):
                    continue
                s = m.start()
                while s > max(start, m.start() - 12) and self._name_char(folded[s - 1]):
                    s -= 1
                e = m.end()
                while True:  # 建设银行江西省分行, …集团有限公司: the name runs to its last suffix
                    n = tb.org_suffix_re.search(folded, e, min(end, e + 12))
                    if n is None or folded.startswith(tb.org_blocks, n.start()) \
                            or not all(self._name_char(ch) for ch in folded[e:n.start()]):
                        break
                    e = n.end()
                done = e
                if s < m.start():
                    orgs.append((s, -e))
        if orgs:  # an organisation's name hides the places inside it (柳州赛克科技发展有限公司)
            merged, cover = [], -1
            for s, e in sorted(places + orgs):
                if e < 0:
                    cover = max(cover, -e)
                elif e <= cover:
                    continue
                merged.append((s, e))
            places = merged
        periods = []
        base_end = -1  # the end of the last comparison base (比上年, 较2024年)
        for m in tb.period_re.finditer(folded, start, end):
            if m.start() == base_end or self._compared(folded, m.start(), start):
                base_end = m.end()  # 比上年同期, 较2024年同期: the time after a base is the base too
                continue
            if m.end() - m.start() < 2:
                continue
            tail = tb.period_tail_re.match(folded, m.end(), end)
            e = tail.end() if tail else m.end()
            if periods and (periods[-1][1] == m.start() or periods[-1][1] < m.start() <= periods[-1][1] + 2
                            and folded[periods[-1][1]:m.start()] in tb.period_joins):
                periods[-1] = (periods[-1][0], e)  # 2022年至2025年, 今年前三季度: one period
            else:
                periods.append((m.start(), e))
        context = (places, periods, {"para": -1, "metric": None, "periods": periods, "period_ends": dict(periods)})
        cands.sort(key=lambda c: c.start)
        cands = self._merge_subunits(folded, cands)
        cands = self._merge_ranges(folded, cands)
        for c in cands:
            if c.kind in ("number", "money"):
                self._currency_before(folded, c)
        self._link_lists(folded, cands)
        chain: list[_Cand] = []
        for c in [*cands, None]:  # number each list: its items share or split one metric
            if c is None or c.list_prev is None:
                for i, item in enumerate(chain):  # the head itself keeps None: no cycle for the GC
                    item.list_index, item.list_len, item.list_head = i, len(chain), chain[0] if i else None
                chain = []
            if c is not None:
                chain.append(c)
        fields, made = [], []  # each record's fields; its candidate and its decision's place
        for c in cands:
            try:
                fields.append(self._make(raw, folded, c, start, lead, context))
            except ArithmeticError as exc:  # as above: one numeral, not the article
                self._unread(problems, decisions, raw, c.start, c.end, f"the numeral could not be "
                             f"read ({type(exc).__name__}); the other figures were", code="internal-error")
                continue
            if decisions is not None:
                made.append((c, len(decisions)))
                decisions.append(None)  # filled below, once the record is made
        figures = _new_figures(fields)  # the article's records in one validation
        for (c, i), fig in zip(made, figures):
            decisions[i] = Decision(c.start, c.end, raw[c.start:c.end], c.rule, made=fig, context=c.ctx_rules)
        return figures

    def _fraction(self, t, m, limit):
        """三分之一 -> 33.33… %; the denominator and numerator must each read on their own."""
        tb = self.tb
        if t[m.start("den"):m.start("num")].replace(" ", "") in tb.prefix_units.by_form:
            return None  # 百分之, 千分之, 百万分之: prefix percent forms
        try:
            den = parse_numeral(m.group("den"))
            got = self._longest_reading(t, m.start("num"), m.end("num"))
        except NumeralError:
            return None
        if got is None or den == 0:
            return None
        ne, (val, lo, hi, ents), _ = got
        if val is None:
            return None
        with localcontext() as ctx:
            ctx.prec = 28
            value = (val / den * 100).normalize()
        c = _Cand(start=m.start(), end=ne, num_start=m.start(), num_end=ne, value=value,
                  unit="%", unit_text=t[m.end("den"):m.start("num")].strip(" "), kind="percent", rule="fraction",
                  entries=[tb.fraction_id, *ents], arabic=m.group("den")[0].isdigit())
        self._qualifiers(t, c, limit, False)
        return self._mixed(t, c, val / den, limit) or c

    def _mixed(self, t, c, part, limit):
        """三百五十又三分之一 -> the bare number 350.33…, or None when no whole number joins it."""
        tb = self.tb
        if c.qualifier is not None or not tb.mixed_ids:
            return None
        w = tb.mixed_re.search(t, max(0, c.start - 24), c.start)
        if w is None:
            return None
        try:
            whole = parse_numeral(w.group("int"))
        except NumeralError:
            return None
        with localcontext() as ctx:
            ctx.prec = 28
            value = (whole + part).normalize()
        if w.group("sign"):
            value = -value
        joiner = t[w.end("int"):c.start].strip(" ")
        mixed = _Cand(start=w.start(), end=c.end, num_start=w.start(), num_end=c.end, value=value,
                      kind="number", rule="mixed-fraction", entries=[tb.mixed_ids[joiner], *c.entries])
        self._qualifiers(t, mixed, limit, False)
        return mixed

    def _longest_reading(self, t, s, e):
        """(end, parsed piece, inner 余/多) for the longest prefix of t[s:e] that reads, or None.

        A decimal's digits are never split: 十点三十分 backs off to 十, not to 十点三.
        """
        tb = self.tb
        point_at = next((i for i in range(s, e) if t[i] in tb.point_chars), None)
        for ce in range(e, max(s, e - 12), -1):
            if point_at is not None and point_at < ce < e:
                continue
            st, ins = _strip_inside(tb, t[s:ce])
            try:
                return ce, _parse_piece(tb, st), ins
            except NumeralError:
                continue
        return None

    # -------------------------------------------------------------- exclusions
    def _covering_phrase(self, phrases, t, s, e):
        """The first excluded phrase (by start) that covers the numeral's first character, or None;
        ``phrases`` are the bounds phrases may lie in. Only the few places such a phrase can start
        are tried, never the whole text scanned for overlapping phrases: a phrase covering t[s]
        holds that character k places after its start, so it starts at s - k for one of the
        places the character stands in a phrase (no phrase holds 1, 3, 4 …: no place at all).

        A phrase ending in 点 (一点) does not cover a numeral that runs on past it (一点二).
        """
        tb = self.tb
        lo, hi = phrases
        lengths, offsets = tb.x_phrase_lengths, tb.x_phrase_offsets
        ks = offsets.get(t[s])
        if ks is None:
            return None
        for k in ks:  # the farthest place first: phrase starts in the text's order
            ps = s - k
            if ps < lo:
                continue
            got = lengths.get(t[ps])
            if got is None:
                continue
            # the longest phrase at ps that ends by hi, as the phrases' alternation would match it:
            # one slice and one dict look-up per length; a longest phrase ending by s covers nothing
            for n in got:
                pe = ps + n
                if pe <= s:
                    break
                if pe <= hi and t[ps:pe] in tb.x_phrase_map:
                    if not (e > pe and t[pe - 1] in tb.point_chars):
                        return ps, pe, tb.x_phrase_map[t[ps:pe]]
                    break
        return None

    def _decline(self, decisions, s, e, raw, rule, why):
        if decisions is not None:
            decisions.append(Decision(s, e, raw[s:e], rule, declined=[why]))

    def _unread(self, problems, decisions, raw, s, e, why, code="numeral-too-long"):
        """A numeral that was not read: a Problem, never silence."""
        if problems is not None:
            problems.append(Problem(code=code, start=s, end=e, message=why))
        self._decline(decisions, s, e, raw, "numeral", why)

    # -------------------------------------------------------------- one numeral
    def _numeral(self, raw, t, s, e, limit, phrases, decisions):
        """Run the numeral rule table (see NUMERAL_RULES) over the numeral t[s:e]: the first rule
        that makes a figure or declines ends the run; the others change the candidate or pass."""
        if e - s > MAX_NUMERAL_CHARS:
            return None  # the far end of a range (3至…): find() reports it when it gets there
        n = _Numeral(raw, t, s, e, limit, phrases, decisions, sign_start=s)
        # the rules before the read, then those after it, each list chosen once (see _plan): the
        # pre-tests on the first character and on the read's flags are answered by the choice
        first = t[s]
        # what the pre-tests look at, sliced once: the character before, at and after the numeral
        around = (t[s - 1:s], first, t[e:e + 1])
        left, right = self._left_bits.get(around[0], 0), self._right_bits.get(around[2], 0)
        rules = self._plans0.get((first, left, right)) or self._plan(first, left=left, right=right)
        for stage in (0, 1):
            if stage:
                rules = self._plans.get((first, n.has_unit, n.bare_any)) or self._plan(first, n.has_unit, n.bare_any)
            for name, where, chars, rule, reason in rules:
                if where is not None and around[where + 1] not in chars:
                    continue  # the rule's pre-test: the character before, at or after the numeral
                out = rule(n)
                if out is None:
                    if n.s != s:  # vague-lead moved the start (数十家): the pre-tests look from there
                        s = n.s
                        first = t[s]
                        around = (t[s - 1:s], first, t[e:e + 1])
                    continue
                if out is True:
                    self._decline(decisions, n.s, n.e, raw, name, reason)
                    return None
                return out or None  # a candidate, or False: declined as the rule itself recorded
        return n.c

    def _plan(self, first, has_unit=None, bare_any=None, left=None, right=None):
        """The rules to run on a numeral opening with ``first``: before the read (has_unit None)
        or after it, with the read's flags; the pre-tests these settle are dropped, the others
        kept. Before the read, ``left`` and ``right`` (the bits of the characters before and
        after the numeral, see __init__) settle the pre-tests that look there, unless a rule may
        move the start. Remembered per key (a few hundred keys at most)."""
        after = has_unit is not None
        flags = {"has_unit": has_unit, "no_unit": not has_unit, "bare_any": bare_any}
        out, read_seen, shifts = [], False, False
        for name, where, chars, rule, reason in self._numeral_rules:
            if rule == self._rule_read:
                read_seen = True
                if not after:
                    out.append((name, None, None, rule, reason))
                continue
            if read_seen != after:
                continue
            if where == 2:
                if not flags[chars]:
                    continue
                where = chars = None
            elif where == 0 and not shifts:  # settled, unless a rule before may move the start
                if first not in chars:
                    continue
                where = chars = None
            elif where in (-1, 1) and not shifts and (left if where < 0 else right) is not None:
                if not (left if where < 0 else right) & self._side_bits[where][1][chars]:
                    continue
                where = chars = None
            if rule == self._rule_vague_lead:
                shifts = True
            out.append((name, where, chars, rule, reason))
        if left is not None or right is not None:
            self._plans0[(first, left, right)] = tuple(out)
            return self._plans0[(first, left, right)]
        key = (first, has_unit, bare_any) if after else first
        self._plans[key] = tuple(out)
        return self._plans[key]

    # -------------------------------------------------------------- numeral rules, in table order
    # Each takes the _Numeral being read and returns None (pass on: it may have changed the
    # candidate), a _Cand (the figure), True (declined: the docstring's first line is the reason
    # ``explain`` prints) or False (declined, recorded by the rule or silent).

    def _rule_vague_lead(self, n):
        tb, t = self.tb, n.t
        if n.e - n.s >= 2 and t[n.s + 1] in tb.scale_chars:
            n.lead_vague = (n.s, n.s + 1)  # 数十家, 几十种: the gold keeps 数/几 outside, as a bound
            n.s += 1
            n.sign_start = n.s
        return None

    def _rule_alone_word(self, n):
        """零 alone is a word (零件, 零售), not a figure"""
        t = n.t
        return True if t[n.s:n.e] in self.tb.alone_words or (n.e - n.s == 1 and t[n.s] in self.tb.point_chars) else None

    def _rule_dotted_code(self, n):
        """part of a dotted code (9.3.7条)"""
        return True if n.s >= 2 and n.t[n.s - 2].isdigit() else None

    def _rule_inside_trail(self, n):
        # a trailing inner qualifier (40多家, 100余人) belongs to the numeral span
        t, e = n.t, n.e
        if e < n.limit and n.s < e:
            nxt = t[e + 1] if e + 1 < n.limit else ""
            if nxt and nxt not in self.tb.clause_breaks:
                n.inside_trail = True
        return None

    def _rule_sign(self, n):
        tb, t, s = self.tb, n.t, n.s
        long_sign = next((f for f in tb.long_signs if t.endswith(f, 0, s)), None) \
            if t.endswith(tb.long_signs, 0, s) else None  # one tuple test first: rarely any
        if long_sign is not None:
            n.sign_start = s - len(long_sign)  # 零下四摄氏度
        elif s > 0 and t[s - 1] in tb.sign_chars:
            before = t[s - 2] if s >= 2 else ""
            if t[s - 1] in tb.sign_symbols:
                ok = not (before.isascii() and before.isalnum()) and not self._numeral_char(before) \
                    and (not before or before not in "-−－~～—)）")
            else:  # 负 is a sign only where a number may start: 为负3.2%, 增长负3.2%, not 减负1872亿元
                ok = not before or not before.isalnum() or before in tb.sign_words_after \
                    or bool(tb.up_down_verbs.ending_at(t, s - 1))
            if ok:
                n.sign_start = s - 1
        elif s >= 3 and t[s - 1] == " " and t[s - 2] in "-−－" and t[s - 3] in " （(" \
                and not self._numeral_char(t[s - 4:s - 3]) and t[s - 4:s - 3] not in ("%", "％"):
            n.sign_start = s - 2  # 环比 - 0.1%: a minus set off by spaces (30% - 40% is a range)
        return None

    def _rule_exclusion_phrase(self, n):
        # excluded phrases: the first (by start) that covers the numeral's first character decides
        # it (_covering_phrase: only the few places such a phrase can start are tried)
        got = self._covering_phrase(n.phrases, n.t, n.s, n.e)
        if got is None:
            return None
        ps, pe, entry = got
        if entry.kind == "none":
            self._decline(n.decisions, n.s, n.e, n.raw, "exclusion-phrase", f"inside phrase {entry.id}:{n.t[ps:pe]}")
            return False
        return self._coded(n.raw, n.s, max(n.e, pe) if pe - n.s <= 6 else n.e, entry, "phrase") or False

    def _rule_exclusion_before(self, n):
        # before-exclusions: 第二, 电话 …
        t, s, e = n.t, n.s, n.e
        bs = s
        while bs > 0 and t[bs - 1] in "：: ":
            bs -= 1
        for form, entry in self.tb.x_before.ending_at(t, bs):
            ce = e
            if entry.kind == "code":
                m = _CODE_TAIL.match(t[s:s + 32])
                ce = max(e, s + m.end()) if m else e
            return self._coded(n.raw, s, ce, entry, "before", n.decisions) or False
        return None

    def _rule_exclusion_wrapped(self, n):
        # wrapped: ‘33618’, [1], 〔1981〕
        t, s, e = n.t, n.s, n.e
        close, entry = self.tb.x_wrapped[t[s - 1]]
        if e < len(t) and t[e] == close:
            return self._coded(n.raw, s, e, entry, "wrapped", n.decisions) or False
        return None

    def _rule_phone(self, n):
        t, s = n.t, n.s
        if n.e - s < 11 and t[n.e:n.e + 1] != "-":
            return None  # a phone number is 11 digits, or digits and a hyphen (the numeral ends there)
        if _PHONE.match(t[s:s + 16]):  # every phone form opens with a digit
            m = _PHONE_SPAN.match(t[s:s + 24])
            return self._coded(n.raw, s, s + m.end(), None, "code", n.decisions, rule="phone")
        return None

    def _rule_long_digits(self, n):
        tb, t, s, e = self.tb, n.t, n.s, n.e
        if e - s < 7:
            return None  # seven digits at least
        text = t[s:e]
        if "." not in text and "," not in text and len(_DIGITS.match(text).group()) >= 7 \
                and tb.scale_chars.isdisjoint(text):
            unit_here = tb.units.at(t, e)
            if not unit_here or unit_here[0][1].kind in ("date", "duration", "code"):
                return self._coded(n.raw, s, e, None, "code", n.decisions, rule="long-digits")
        return None

    def _rule_year(self, n):
        # years: 2024年, 2023—2025年 (a month or day is a date by its unit)
        tb, t, s, e = self.tb, n.t, n.s, n.e
        if e - s != 4 or not t[s].isdigit() or not _DIGITS.fullmatch(t, s, e) or not 1000 <= int(t[s:e]) <= 2199:
            return None
        ye = tb.year_entry
        gap = _past_spaces(t, e, len(t), most=3) - e  # 2024 年 on a spaced-out page
        if e + gap < len(t) and t[e + gap] in tb.year_chars:
            return self._unscored(n.raw, s, e + gap + 1, Decimal(t[s:e]), ye.kind, ye.unit, t[e + gap], ye.id)
        if e < len(t) and t[e] in tb.year_range_marks:
            m2 = tb.year_range_re.match(t[e:e + 7])
            if m2:
                return self._unscored(n.raw, s, e + m2.end(), Decimal(t[s:e]), ye.kind, ye.unit, t[e + m2.end() - 1], ye.id)
        return None

    def _rule_enumerator(self, n):
        # enumerators: 一是, 二是 (bare Chinese numeral at clause start)
        tb, t, s, e = self.tb, n.t, n.s, n.e
        if t[s].isdigit() or e - s > 2:
            return None
        for form, entry in tb.x_after.at(t, e):
            if entry.enumerator and (s == 0 or t[s - 1] in tb.clause_breaks or t[s - 1] in entry.openers):
                return self._coded(n.raw, s, e, entry, "after", n.decisions) or False
        return None

    def _rule_read(self, n):
        """not a numeral this parser reads"""
        tb, t, s, e, limit = self.tb, n.t, n.s, n.e, n.limit
        if e - s == 1 and t[s] in self._in_word_chars and "\u4e00" <= t[e:e + 1] <= "\u9fff" \
                and t[e] not in self._in_word_blocked and " " not in t[e:e + 6] and n.lead_vague is None:
            # 四川, 一看 (about one numeral in ten): in-word would decline it after the read, and
            # nothing read between could take it (see _in_word_blocked); decline it now, as in-word
            # (not after a vague lead, 数千节, 几十词元: its bound keeps the numeral)
            self._decline(n.decisions, s, e, n.raw, "in-word", self._in_word_reason)
            return False
        is_arabic = n.is_arabic = t[s].isdigit()
        inside_trail = n.inside_trail
        # a numeral ending in a Chinese unit char that starts a unit word (千瓦, 千克, 百分点, 千米)
        cands_end = [e]
        if t[e - 1] in tb.scale_chars:  # (both back-offs need it: most numerals end in a digit)
            for k in (1, 2):
                if e - k > s and tb.scale_chars.issuperset(t[e - k:e]):
                    cands_end.append(e - k)
        best = None
        inside_forms = tb.inside_forms
        for ce in cands_end:
            st = t[s:ce]
            ins = not inside_forms.isdisjoint(st)
            if ins:  # 700多万 -> 700万
                st = "".join(c for c in st if c not in inside_forms)
            try:
                val, lo, hi, ents = _parse_piece(tb, st)
            except NumeralError:
                continue
            ue = ce + (1 if inside_trail and ce == e else 0)
            unit = self._unit_at(t, ue, limit, is_arabic)
            if ce != e and (unit is None or not any(unit[0].startswith(ch) for ch in t[ce:e])):
                continue  # only back off for a unit that starts with the backed-off characters
            best = (ce, val, lo, hi, ents, ins or (inside_trail and ce == e), unit, ue)
            if ce != e:
                break
            if unit is not None:
                break
        if best is None:
            # the longest prefix that reads (七十 in 七十百分位); never split a decimal's digits
            got = self._longest_reading(t, s, e - 1)
            if got is not None:
                ce, (val, lo, hi, ents), ins = got
                best = (ce, val, lo, hi, ents, ins, self._unit_at(t, ce, limit, arabic=is_arabic), ce)
        if best is None:
            return True
        ce, val, lo, hi, ents, inside, unit, ue = best
        c = n.c = _Cand(start=n.sign_start, end=ue, num_start=s, num_end=ce, value=val, low=lo, high=hi,
                        entries=list(ents), arabic=is_arabic)
        n.ce, n.inside, n.unit, n.ue = ce, inside, unit, ue
        if n.sign_start != s and c.value is not None:
            c.value = -c.value
        if inside:
            c.qualifier = tb.inside_qualifier
            c.entries.append(tb.inside_id)
        if n.lead_vague is not None:
            c.qualifier = "more_than"
            c.q_span = n.lead_vague
            c.entries.append(tb.vague_read[t[n.lead_vague[0]]][3])
        plain = t[s:ce]
        if not inside_forms.isdisjoint(plain):  # (as _strip_inside, without its call)
            plain = "".join(ch for ch in plain if ch not in inside_forms)
        n.bare_mag = tb.mag_chars.issuperset(plain)
        n.single_small = len(plain) == 1 and t[s] in tb.unit_chars
        n.lone_big = n.single_small and tb.unit_values.get(t[s], 0) >= 100
        n.bare_any = n.bare_mag or n.single_small
        n.has_unit, n.no_unit = unit is not None, unit is None
        return None

    @cached_property
    def _in_word_chars(self) -> frozenset:
        """Single numeral characters the in-word rule declines whenever _in_word_next follows:
        Chinese, read to a value (no-value does not decline them), neither 大写 (financial-alone
        does), a magnitude (open counts read those, lone/bare-magnitude decline them) nor 多/余."""
        tb = self.tb
        out = set()
        for ch in tb.cls_cn:
            if ch.isdigit() or ch in tb.financial or ch in tb.mag_chars or ch in tb.inside_forms:
                continue
            try:
                val, lo, _hi, _ents = _parse_piece(tb, ch)
            except NumeralError:
                continue
            if val is not None or lo is not None:
                out.add(ch)
        return frozenset(out)

    @cached_property
    def _in_word_blocked(self) -> frozenset:
        """The CJK characters after a single numeral character (_in_word_chars) that may make
        it more than a number with no unit: a magnitude (in-word's own test), the first
        character of a unit, a linker (个), a range separator (至) or 多/余 (a trailing inner
        qualifier). After any other CJK character no rule between the read and in-word takes
        the numeral; a space within six characters (a unit spread over spaces) is tested apart."""
        tb = self.tb
        return frozenset(tb.mag_chars) | frozenset(tb.units.firsts) | frozenset(tb.linkers) \
            | frozenset(tb.linker_units) | frozenset(tb.range_seps.firsts) | frozenset(tb.inside_forms) \
            | frozenset(tb.half_chars)

    @cached_property
    def _in_word_reason(self) -> str:
        return next(reason for name, *_rest, reason in self._numeral_rules if name == "in-word")

    def _rule_range(self, n):
        c = n.c
        c.end = n.ue if n.inside_trail else n.ce
        # range or list: 3至5倍, 12.9个、10.1个百分点
        return self._range(n.raw, n.t, c, n.limit, n.phrases, n.decisions)

    def _rule_linker(self, n):
        c = n.c
        counted = self.tb.linker_units.get(n.t[c.end:c.end + 1])
        if counted is not None:  # 5个: the linker alone is the count unit
            c.end += 1
            c.unit, c.unit_text, c.kind = counted.unit, n.t[c.end - 1], counted.kind
            c.entries.append(counted.id)
            c.rule = "numeral+linker"
            n.unit, n.no_unit = counted, False
        return None

    def _rule_article(self, n):
        c = n.c
        article = self.tb.articles.get(n.t[n.s:n.ce])
        if article is not None and c.kind == "count" and c.q_span is None \
                and c.value is not None and c.value == Decimal(c.unit_entry.factor if c.unit_entry else 1):
            # 一 + measure word is an article ('a'), not a count: keep only the bare number
            return self._unscored(n.raw, n.s, n.ce, Decimal(1), "number", None, None, article.id)
        return None

    def _rule_year_count(self, n):
        c, t, s, ce = n.c, n.t, n.s, n.ce
        if n.is_arabic and c.kind == "count" and _YEAR_LIKE.fullmatch(t[s:ce]) \
                and c.unit_entry is not None and not c.unit_entry.unit:
            ye = self.tb.year_entry
            return self._unscored(n.raw, s, ce, Decimal(t[s:ce]), ye.kind, ye.unit, None, ye.id)
        return None

    def _rule_quoted_figure(self, n):
        # a figure opening a short quoted phrase is a name or a slogan (“千亿斤”, “千亿斤粮食”产能提升
        # 工程, “五个一”): the closing mark comes within a few characters and no clause break between
        # (also a name that ends in its figure: 民营经济“32条” is written “民营经济32条”)
        tb, c, t, s = self.tb, n.c, n.t, n.s
        if c.kind not in SCORED or _QUOTE_MARKS.isdisjoint(t[max(0, s - 8):s]):
            return None
        opened = next((i for i in range(s - 1, max(-1, s - 9), -1) if t[i] in "“‘”’"), None)
        if opened is not None and t[opened] in "“‘" and not any(
                ch in tb.clause_breaks or self._numeral_char(ch) for ch in t[opened + 1:s]):
            close = next((i for i in range(c.end, min(len(t), c.end + 6)) if t[i] in "”’"), None)
            if close is not None and not any(ch in tb.clause_breaks for ch in t[c.end:close]):
                return self._coded(n.raw, s, c.end, None, "wrapped", n.decisions, rule="quoted-figure")
        return None

    def _rule_no_value(self, n):
        """Chinese numeral with no value"""
        # a Chinese numeral alone is a word, not a number (一些, 三农): needs a unit
        c = n.c
        return True if c.kind == "number" and not n.is_arabic and c.value is None and c.low is None else None

    def _rule_financial_alone(self, n):
        """a 大写 form alone is a word (队伍, 陆地, 拾起); 壹元 is money"""
        return True if n.ce - n.s == 1 and n.t[n.s] in self.tb.financial and n.c.kind != "money" else None

    def _rule_in_word(self, n):
        """a single numeral character inside a word"""
        # a single Chinese numeral with no unit glued to the next character is part of a word
        # (四川, 一看)
        c, ce = n.c, n.ce
        if c.kind == "number" and not n.is_arabic and ce - n.s == 1 and c.q_span is None and not n.inside:
            nxt = n.t[ce:ce + 1]
            if "\u4e00" <= nxt <= "\u9fff" and nxt not in self.tb.mag_chars:
                return True
        return None

    def _rule_exclusion_after(self, n):
        # after-exclusions: 500强, 5G
        c = n.c
        pos = c.num_end if c.kind == "number" else c.end
        if n.t[pos:pos + 1] not in self.tb.x_after.firsts:
            return None  # no after-exclusion starts with this character
        for form, entry in self.tb.x_after.at(n.t, pos):
            if not entry.enumerator:
                if entry.arabic_bare_only and (not n.is_arabic or c.kind != "number"):
                    continue
                return self._coded(n.raw, n.s, c.end if c.kind != "number" else c.num_end, entry, "after",
                                   n.decisions) or False
        return None

    def _rule_qualifiers(self, n):
        self._qualifier_before(n.t, n.c, n.c.start, n.bare_mag or n.single_small)
        self._qualifier_after(n.t, n.c, n.limit)  # 8%左右, 5%以上 (and 8% 左右)
        return None

    def _rule_lone_magnitude(self, n):
        """a lone 百/千/万 with no numeral and no bound"""
        c = n.c
        return True if (n.bare_mag or n.lone_big) and c.kind == "number" and c.q_span is None and not n.inside \
            and c.qualifier is None else None

    def _rule_bare_magnitude(self, n):
        """a bare magnitude with no numeral and no bound (lost in the scrape?)"""
        c = n.c
        if (n.bare_mag or (n.single_small and n.t[n.s] in self.tb.mag_chars)) and c.q_span is None and not n.inside:
            return True
        if n.bare_mag:
            c.no_numeral = True
        return None


    def _implied_unit(self, n):
        """户籍人口从30万左右…, 津贴额度约10万, 倍差从1.96…: a bare numeral whose unit the metric
        noun just before it implies (rules/units.toml [[implied]]). Needs a magnitude (万, 亿) or,
        for entries that allow it, a plain decimal. Else an entry with tail = true whose form ends
        the numeral (五六个亿, 直接成本有 1 个亿: money)."""
        tb, t, c = self.tb, n.t, n.c
        if c.kind != "number" or (c.value is None and c.low is None):
            return
        for form, _e in tb.list_seps.at(t, c.end):
            if self._numeral_char(t[c.end + len(form):c.end + len(form) + 1]) or t.startswith("-", c.end + len(form)):
                return  # 营收6.56亿、7.3亿、9.04亿美元: the list's last member names the unit
        num = t[c.num_start:c.num_end]
        if self._implied_by_metric(t, c, num):
            return
        plain = num.replace(" ", "").replace("\u3000", "")
        for form, entry in tb.implied_tails:  # 五六个亿, 1 个亿: the numeral's own ending says money
            if plain.endswith(form):
                c.kind, c.unit, c.unit_text = entry.kind, entry.unit, None
                c.rule = "numeral+implied-unit"
                c.entries.append(entry.id)
                return

    def _implied_by_metric(self, t, c: _Cand, num) -> bool:
        tb = self.tb
        has_mag = not tb.mag_chars.isdisjoint(num)
        floor = self._clause_start(t, c.start, max(0, c.start - 24))
        window = t[floor:c.start]
        best = None
        for m in tb.implied_re.finditer(window):
            best = m
        if best is None:
            return False
        entry = tb.implied.by_form[best.group()]
        if not has_mag and not entry.without_magnitude:
            return False
        # only verbs and bounds between the noun and the numeral (居民收入达到5万 is not 5万人)
        gap = "".join(ch for ch in window[best.end():] if not self._numeral_char(ch) and ch not in ".%")
        if not tb.glue_re.fullmatch(gap):
            return False
        c.kind, c.unit, c.unit_text = entry.kind, entry.unit, None
        c.rule = "numeral+implied-unit"
        c.entries.append(entry.id)
        return True

    def _unit_at(self, t, pos, limit, arabic):
        found = self._unit_here(t, pos, limit, arabic)
        if found is None and t[pos:pos + 1] == " ":
            # 5 %, 十 成, 一百五十    个百分点: spaces a scraped page put before the unit
            found = self._unit_here(t, _past_spaces(t, pos, limit), limit, arabic)
        if " " not in t[pos:pos + 6]:
            return found  # no unit spread over spaces starts here (see _spaced_unit)
        spread = self._spaced_unit(t, pos, limit)
        if spread is not None and (found is None or spread[3] > found[3]):
            return spread
        return found

    def _spaced_unit(self, t, pos, limit):
        """六   个 百 分点: a long unit spread over spaces (a spaced-out page), or None."""
        tb = self.tb
        if tb.spaced_unit_re is None or " " not in t[pos:pos + 6]:
            return None
        m = tb.spaced_unit_re.match(t, _past_spaces(t, pos, limit), limit)
        if m is None or " " not in m.group():
            return None
        form = m.group().replace(" ", "")
        entry = tb.spaced_units.get(form)
        if entry is None or (entry.not_after and t.endswith(entry.not_after, 0, pos)):
            return None
        return (form, entry, pos, m.end(), False)

    def _unit_here(self, t, pos, limit, arabic):
        tb = self.tb
        linker = ""
        for attempt in (0, 1):
            p = pos + len(linker)
            half = False
            if attempt and t[p:p + 1] in tb.half_chars:
                p += 1
                half = True
            if attempt == 0 and t[pos:pos + 1] in tb.linkers and t[pos + 1:pos + 2] in tb.half_chars:
                linker = t[pos]  # 一个半百分点: the linker carries a half
                continue
            for form, entry in tb.units.at(t, p):
                if p + len(form) > limit:
                    continue
                if entry.chinese_only and arabic:
                    continue
                after = t[p + len(form):p + len(form) + 2]
                if entry.only_before and not after.startswith(entry.only_before):  # one tuple test
                    continue
                if entry.not_before and after.startswith(entry.not_before):
                    continue
                if entry.not_after and any(t.endswith(x, 0, pos) and not self._digit_before(t, pos - len(x))
                                           for x in entry.not_after):  # 百米 (a name), not 三百米
                    continue
                if linker and entry is tb.linker_units.get(linker):
                    continue
                if entry.near_before and not self._near_before(t, pos, entry.near_before, entry.near_sentence):
                    continue
                if entry.glued and (p != pos or t[pos - 1:pos] == " " or tb.units.at(t, p + len(form))):
                    continue  # 6 两代, 两款: the digit two before a counted word
                return (linker + (t[p - 1] if half else "") + form, entry, pos, p + len(form), half)
            if attempt == 0:
                nxt = t[pos:pos + 1]
                if nxt in tb.linkers:
                    linker = nxt
                else:
                    break
        return None

    def _near_before(self, t, pos, words, sentence=False) -> bool:
        """One of the words stands in the 16 characters before the numeral ending at pos, in its
        clause (收报3350.12点, 沪指下跌41.7点; not 早上8点), or in the 60 before it in its sentence
        (…的气温也将明显下降，…将先后出现6℃—10℃降温)."""
        if sentence:
            floor = self._sentence_start(t, pos, max(0, pos - 60))
        else:
            floor = self._clause_start(t, pos, max(0, pos - 16))
        window = t[floor:pos]
        return any(w in window for w in words)

    def _open_count(self, n) -> None:
        """5万车主, 9地: a numeral followed by a word jieba's dictionary tags as a measure word or
        a noun is a count of that word (rules/units.toml [[open_counts]])."""
        t, c, limit, is_arabic = n.t, n.c, n.limit, n.is_arabic
        if (c.value is None and c.low is None) or (c.value is not None and c.value < 0):
            return
        num = t[c.num_start:c.num_end]
        if _YEAR_LIKE.fullmatch(num) or (num[0] == "0" and num[1:2].isdigit()):
            return  # a year, or a numbered heading (01汽车, 02储能)
        has_mag = not self.tb.mag_chars.isdisjoint(num)
        if not has_mag and not num.isdigit():
            return  # things are counted whole: 1.20关口, PM2.5浓度, HPN 8.0网络
        b = c.start
        while b > 0 and t[b - 1] == " ":
            b -= 1  # iPhone 18标准版, 737 MAX 9客机: a Latin name before a space
        before = t[b - 1:b] if b == c.start or t[b - 1:b].isascii() else ""
        if self.tb.x_after.at(t, c.end):
            return  # 1英寸, 12核, 3方面: the after-exclusions decide the word first
        for entry in self.tb.open_counts:
            if entry.arabic_only and not is_arabic:
                continue
            if before in entry.name_marks or (entry.latin_name and before.isascii() and before.isalpha()):
                continue
            window = t[c.end:min(limit, c.end + 2 * entry.max_len + 2)]
            # the first word cut is one of the window's first max_len prefixes: unless one is a
            # dictionary word of a counted tag, no cut passes, and the window is not cut
            lexicon = self.lexicon
            for n in range(1, min(entry.max_len, len(window)) + 1):
                known = lexicon.get(window[:n])
                if known is not None and known[1] in entry.forms:
                    break
            else:
                continue
            words = cut_words(window, 2)
            w = words[0] if words else ""
            tag = word_tag(w)
            if not (0 < len(w) <= entry.max_len and tag in entry.forms and w not in entry.not_words):
                continue
            if not has_mag and len(_DIGITS.match(num).group()) > entry.plain_digits_max and tag not in entry.plain_tags:
                continue
            if tag in entry.modifier_tags and len(words) > 1 and word_tag(words[1]) in entry.modifier_tags:
                continue
            c.end += len(w)
            c.unit = c.unit_text = w
            c.kind = "count"
            c.rule = "numeral+open-count"
            c.entries.append(entry.id)
            return

    def _apply_unit(self, n):
        """The unit found after the numeral: its factor, kind and unit, then what may follow it
        (两米半, 七成六, 123元1角1分, 650公斤/亩)."""
        c, t, limit = n.c, n.t, n.limit
        written, entry, upos, uend, half = n.unit
        fac = Decimal(entry.factor)
        if c.value is not None:
            v = c.value + (Decimal("0.5") if half else 0)
            c.value = v * fac
        if c.low is not None:
            c.low, c.high = c.low * fac, c.high * fac
        c.end = uend
        c.unit_entry = entry
        c.unit_text = written
        c.kind = entry.kind
        c.unit = entry.unit or written.lstrip(self.tb.linker_chars)
        if entry.kind == "count" and not entry.unit:
            c.unit = t[uend - len(written):uend].lstrip(self.tb.linker_chars)
        c.entries.append(entry.id)
        # 两米半: a trailing 半 after the unit
        if t[uend:uend + 1] in self.tb.half_chars and c.value is not None and not half \
                and (entry.kind in ("measure", "money") or entry.trailing_digit):
            c.value += Decimal("0.5") * fac
            c.end = uend + 1
        elif entry.trailing_digit and c.value is not None and t[uend:uend + 1] in self.tb.digit_values \
                and not self._numeral_char(t[uend + 1:uend + 2]):
            c.value += self.tb.digit_values[t[uend]] * fac / 10  # 七成六 = 76%
            c.end = uend + 1
        c.rule = "numeral+unit"
        if entry.tenths:
            # 八折 = 80%, 9.9折 = 99%; 75折 and 七五折 are already in percent
            for name in ("value", "low", "high"):
                v = getattr(c, name)
                if v is not None and v >= 10 * fac and not any(ch in self.tb.unit_chars for ch in t[c.num_start:c.num_end]):
                    setattr(c, name, v / fac)
        if entry.kind == "money" and entry.subunits_after and t[uend - 1:uend] in entry.subunits_after \
                and c.value is not None:
            self._jiao_fen(c, t, limit)
        elif entry.kind == "count" and entry.money_before_subunits and c.value is not None:
            m = self.tb.jiao_fen_re.match(t, c.end, min(limit, c.end + 12))
            if m and m.group("jiao"):  # 十块三毛: 块 is 元 when 毛/角 follow
                c.kind, c.unit = "money", entry.money_before_subunits
                self._jiao_fen(c, t, limit)
        # rates: 650公斤/亩, 15公斤/秒 (money rates end at 元, ANNOTATION.md)
        if entry.kind == "measure" and t[c.end:c.end + 1] in ("/", "／"):
            m = _RATE_DENOMINATOR.match(t[c.end:c.end + 4])
            if m and not m.group(1).startswith(self.tb.not_rates):  # 25万吨/年 is an annual amount (gold: kg)
                den = m.group(1)
                den_unit = self.tb.rate_units.get(den, den)
                c.unit = f"{c.unit}/{den_unit}"
                c.unit_text = f"{c.unit_text}/{den}"
                c.end += m.end()
                c.rule = "numeral+unit+rate"
        # a year-like count before 年 with no 4 digits is a duration (三年, 10年)
        if entry.year:
            c.kind = "duration"
            c.unit = entry.unit
        if entry.max_value is not None and c.value is not None and c.value > entry.max_value:
            c.kind = entry.over_kind  # 13月 is no month, 32日 no day

    def _digit_before(self, t, pos) -> bool:
        ch = t[pos - 1:pos]
        return bool(ch) and ch in self.tb.digit_chars  # 三百米 is 300 m; 12千米 stays 12 km

    def _numeral_char(self, ch: str) -> bool:
        tb = self.tb
        return bool(ch) and (ch in tb.digit_chars or ch in tb.unit_chars or ch in tb.mag_chars or ch.isdigit())

    def _jiao_fen(self, c: _Cand, t, limit):
        """元角分 compounds: 123元1角1分, 玖仟陆佰陆拾伍圆壹角捌分 (a cheque's closing 整 stays outside,
        like a qualifier)."""
        m = self.tb.jiao_fen_re.match(t, c.end, min(limit, c.end + 12))
        if not m or m.end() == c.end:
            return
        dv = self.tb.digit_values
        add = Decimal(0)
        for group in ("jiao", "fen"):
            d = m.group(group)
            if d:
                u = m.group(group[0] + "u")
                add += (Decimal(d) if d.isdigit() else dv[d]) * self.tb.subunit_values[u]
                c.entries.append(self.tb.subunit_ids[u])
        c.value += add
        c.end = m.end()
        c.rule = "numeral+unit+jiao-fen"

    def _range(self, raw, t, c: _Cand, limit, phrases, decisions):
        """A bare numeral followed by a range separator and a figure with a unit: 3至5倍."""
        tb = self.tb
        at = _past_spaces(t, c.end, limit, most=1)  # 10 万至 20 万美元: one space either side
        for form, entry in tb.range_seps.at(t, at):
            nxt = tb.numeral_re.match(t, _past_spaces(t, at + len(form), limit, most=1), limit)
            if not nxt:
                return None
            other = self._link(raw, t, nxt.start(), nxt.end(), limit, phrases)
            if other is None or other.kind == "number" or other.value is None:
                return None
            if other.kind in ("date",):
                # 1—10月 is a period
                return None
            fac = Decimal(other.unit_entry.factor) if other.unit_entry is not None else Decimal(1)
            mags = [ch for ch in t[other.num_start:other.num_end] if ch in tb.mag_chars]
            lowv = c.value
            if lowv is None:
                return None
            # 3至5万元: the magnitude is shared when the low end has none (unless that makes the
            # low end the larger: 从8500到3万港元 is 8500 to 30000)
            if mags and not any(ch in tb.mag_chars for ch in t[c.num_start:c.num_end]):
                try:
                    shared = parse_numeral(_strip_inside(tb, t[c.num_start:c.num_end])[0] + "".join(mags))
                except NumeralError:
                    return None
                if shared * fac <= other.value:
                    lowv = shared
            low = lowv * fac
            r = _Cand(start=c.start, end=other.end, num_start=c.num_start, num_end=other.num_end,
                      value=None, low=low, high=other.value, unit_entry=other.unit_entry,
                      unit_text=other.unit_text, unit=other.unit, kind=other.kind,
                      rule="range", entries=[*c.entries, entry.id, *other.entries])
            if other.kind == "duration":
                r.kind = "duration"
            if r.low is not None and r.high is not None and r.low > r.high:
                return None
            if c.qualifier or other.qualifier:
                r.qualifier = c.qualifier or other.qualifier
            else:
                self._qualifiers(t, r, limit, False)  # 约合 69.6 万至 139.1 万元: the bound before the range
            return r
        return None

    #: how many chain walks may nest (each starts where a link's reading ended off the walk's guess)
    _MAX_LINK_DEPTH = 32

    def _link(self, raw, t, s, e, limit, phrases):
        """The numeral t[s:e] read after a range mark (the 5倍 of 3至5倍), once per article.

        Whether a link closes a range depends on the link after it (3-5-8元 is 3 and the range
        5-8元), so a chain of marks 1-2-3-… was read by recursion: one stack frame and one re-read
        of the rest per link (quadratic, and a RecursionError past about 500 links). Here the chain
        is walked forward first and its links read from the far end back, each reading finding the
        next link already read: linear, one frame deep.
        """
        tb, memo = self.tb, self._links
        key = (s, e, limit)
        if key in memo:
            return memo[key]
        if self._link_depth >= self._MAX_LINK_DEPTH:
            return None  # only a chain built to defeat the walk's guesses gets here: no range
        chain = [key]
        pos = e
        while True:
            # where the link's reading will end: the numeral, or one past a trailing 多/余 (40多-50多家)
            if pos + 1 < limit and t[pos] in tb.inside_forms and t[pos + 1] not in tb.clause_breaks:
                pos += 1
            sep = next(iter(tb.range_seps.at(t, pos)), None)
            nxt = sep and tb.numeral_re.match(t, pos + len(sep[0]), limit)
            if not nxt or (nxt.start(), nxt.end(), limit) in memo:
                break
            chain.append((nxt.start(), nxt.end(), limit))
            pos = nxt.end()
        self._link_depth += 1
        try:
            for k in reversed(chain):
                memo[k] = self._numeral(raw, t, k[0], k[1], limit, phrases, None)
        finally:
            self._link_depth -= 1
        return memo[key]

    def _currency_before(self, t, c: _Cand):
        """港币3000元, 约新台币12亿元, 美元1000万: a currency named before the numeral (rules/units.toml
        [[currencies_before]]) is the figure's currency when nothing after the numeral names one
        (bare 元 only counts the money); a qualifier before the currency word still applies."""
        tb = self.tb
        if c.value is None and c.low is None:
            return
        if c.kind == "money" and c.unit_text and tb.currency_word_re.search(c.unit_text):
            return  # 1美元, 3000元人民币: the currency written after the numeral wins
        pos = c.q_span[0] if c.q_span and c.q_span[0] < c.start else c.start
        if c.kind == "number":
            # a bare numeral right after the currency word, with a magnitude or standing alone
            # (美元4.27亿, 人民币1000，); not 人民币约合2.3兰特 or a line's end before 36氪
            nxt = t[c.end:c.end + 1]
            if tb.mag_chars.isdisjoint(t[c.num_start:c.num_end]) and "\u4e00" <= nxt <= "\u9fff":
                return
        else:
            pos = _spaces_back(t, pos)  # 新台幣 5 億元
        found = tb.currencies_before.ending_at(t, pos) if t[pos - 1:pos] in tb.currencies_before.lasts else ()
        if not found:
            return
        form, entry = found[0]
        if c.kind == "number":
            c.kind = "money"
            c.rule = "currency+numeral"
        c.unit = entry.unit
        c.entries.append(entry.id)
        c.cur_start = pos - len(form)
        if c.q_span is None or c.q_span[0] > c.start:
            self._qualifier_before(t, c, c.cur_start, False)

    def _qualifiers(self, t, c: _Cand, limit, bare):
        self._qualifier_before(t, c, c.start, bare)
        # after the span: 8%左右, 5%以上 (and 8% 左右)
        self._qualifier_after(t, c, limit)

    def _qualifier_before(self, t, c: _Cand, start, bare):
        """A bound ending at ``start`` (the span's start, or a currency word's): 近50万笔, 超过24万人."""
        tb = self.tb
        best = None
        lasts = tb.q_before.lasts  # a lexicon is asked only where one of its forms can end
        anchor = _spaces_back(t, start, 4) if t[start - 1:start] == " " else start  # 约 百 分 之 四十 on a spaced-out page
        found = tb.q_before.ending_at(t, anchor) if t[anchor - 1:anchor] in lasts else ()
        if not found and anchor != start:
            anchor = start
            found = tb.q_before.ending_at(t, anchor) if t[anchor - 1:anchor] in lasts else ()
        if anchor > 0 and t[anchor - 1] in tb.q_bridges:
            before_you = tb.q_before.ending_at(t, anchor - 1)
            if before_you:
                anchor -= 1  # 最多有60万袋, 约有10万只羊
                found = before_you
        for form, entry in found:
            qs = anchor - len(form)
            if entry.not_after and t.endswith(entry.not_after, 0, qs):  # one tuple test
                continue
            if bare and not entry.bare_magnitude:
                continue
            best = (form, entry, qs)
            break
        if best is not None:
            form, entry, qs = best
            if c.qualifier is None:
                c.qualifier = entry.qualifier
            c.q_span = (qs, anchor)
            c.entries.append(entry.id)

    def _qualifier_after(self, t, c: _Cand, limit):
        tb = self.tb
        firsts = tb.q_after.firsts  # a lexicon is asked only where one of its forms can start
        after = _past_spaces(t, c.end, limit) if t[c.end:c.end + 1] == " " else c.end
        found = tb.q_after.at(t, after) if t[after:after + 1] in firsts else ()
        if not found and after != c.end:
            after = c.end
            found = tb.q_after.at(t, after) if t[after:after + 1] in firsts else ()
        for form, entry in found:
            if form in entry.limited_forms and (c.kind not in entry.limited_kinds or c.qualifier is not None):
                continue
            # a bound after the span (以下, 左右) overrides; 以上/多 only fills an empty qualifier
            if entry.qualifier != "more_than" or c.qualifier is None:
                c.qualifier = entry.qualifier
            c.entries.append(entry.id)
            if c.q_span is None:
                c.q_span = (after, after + len(form))
            break

    def _coded(self, raw, s, e, entry, where, decisions=None, rule=None):
        kind = entry.kind if entry is not None else "code"
        if kind == "none":
            self._decline(decisions, s, e, raw, "numeral", f"excluded by {entry.id}")
            return None
        c = _Cand(start=s, end=e, num_start=s, num_end=e, value=None, kind=kind,
                  rule=rule or f"exclusion-{where}", entries=[entry.id] if entry is not None else [])
        try:
            if kind == "ordinal" and e - s <= 12:
                c.value = parse_numeral(fold(raw[s:e]))  # 第二 -> 2: the rank, never an amount
            else:
                c.value = parse_numeral(raw[s:e]) if e - s <= 30 and _DIGITS.fullmatch(raw[s:e]) else None
        except NumeralError:
            c.value = None
        return c

    def _unscored(self, raw, s, e, value, kind, unit, unit_text, eid):
        return _Cand(start=s, end=e, num_start=s, num_end=e, value=value, kind=kind, unit=unit,
                     unit_text=unit_text, rule="numeral+unit", entries=[eid])

    def _merge_subunits(self, t, cands: list[_Cand]) -> list[_Cand]:
        """两美元又三美分, 三英镑五便士: an amount of a currency's smaller unit right after its whole
        units (nothing between them, or a mixed-number joiner) is part of that amount."""
        out: list[_Cand] = []
        for b in cands:
            a = out[-1] if out else None
            if a is not None and a.kind == "money" == b.kind and a.unit == b.unit \
                    and a.value is not None and b.value is not None and a.low is None and b.low is None \
                    and b.value > 0 and b.qualifier is None and b.start == b.num_start \
                    and a.unit_entry is not None and b.unit_entry is not None \
                    and Decimal(b.unit_entry.factor) < Decimal(a.unit_entry.factor) \
                    and t[a.end:b.start].strip(" ") in ("", *self.tb.mixed_ids):
                a.value += b.value
                a.end = b.end
                a.entries.extend(x for x in b.entries if x not in a.entries)
                a.rule = f"{a.rule}+subunit"
                continue
            out.append(b)
        return out

    def _merge_ranges(self, t, cands: list[_Cand]) -> list[_Cand]:
        """10%—15%, 2万元至10万元, 3万多到4万多元: two figures of one unit joined by a range mark."""
        tb = self.tb
        out: list[_Cand] = []
        i = 0
        while i < len(cands):
            a = cands[i]
            b = cands[i + 1] if i + 1 < len(cands) else None
            # 51%-73%, 68亿元-78亿元: the hyphen was read as the second figure's sign; 30% - 40%
            gap, high = (t[a.end:b.start], b.value) if b is not None else ("", None)
            if b is not None and b.value is not None and b.value < 0 and b.start < b.num_start \
                    and a.value is not None and a.value >= 0 and not gap.strip(" \u3000"):
                gap, high = t[a.end:b.num_start], -b.value
            gap = gap.strip(" \u3000") if b is not None and b.start - a.end <= 3 else gap
            if b is not None and a.kind in SCORED and a.kind == b.kind and a.unit == b.unit \
                    and a.value is not None and high is not None and a.value < high \
                    and gap in tb.range_seps.by_form:
                bpos = a.q_span[0] if a.q_span and a.q_span[0] < a.start else a.start
                if not t.endswith(tb.level_openers, 0, _spaces_back(t, bpos)):  # 从40个减到20个: two levels, not a range
                    sep = tb.range_seps.by_form[gap]
                    r = _Cand(start=a.start, end=b.end, num_start=a.num_start, num_end=b.num_end, value=None,
                              low=a.value, high=high, unit_entry=b.unit_entry, unit_text=b.unit_text,
                              unit=b.unit, kind=b.kind, rule="range", arabic=a.arabic,
                              entries=[*a.entries, sep.id, *b.entries])
                    r.qualifier = a.qualifier or b.qualifier
                    r.q_span = a.q_span if a.q_span and a.q_span[0] < a.start else b.q_span
                    out.append(r)
                    i += 2
                    continue
            out.append(a)
            i += 1
        return out

    # -------------------------------------------------------------- lists
    def _link_lists(self, t, cands: list[_Cand]):
        """12.9个、10.1个百分点: a figure whose unit is cut short borrows the next one's."""
        tb = self.tb
        for a, b in zip(cands, cands[1:]):
            gap = t[a.end:b.start]
            sep = gap.strip()
            if gap and len(gap) <= 3 and (sep in tb.list_seps.by_form or sep in ("", "，")):
                b.list_prev = a
                if a.kind in ("count", "number") and (a.unit is None or a.unit in tb.linkers) and b.kind in SCORED \
                        and b.unit_text and (a.unit is None or b.unit_text.startswith(tuple(tb.linkers))) and b.kind != "count":
                    fac = Decimal(b.unit_entry.factor) if b.unit_entry is not None else Decimal(1)
                    base = a.value if a.unit is None else a.value
                    if base is not None and a.arabic == b.arabic or base is not None:
                        a.value = base * fac
                        a.unit, a.kind, a.unit_entry = b.unit, b.kind, b.unit_entry
                        a.unit_text = t[a.num_end:a.end] or None
                        a.rule = "list-unit"
                        a.entries.append(b.unit_entry.id if b.unit_entry is not None else "list")

    # -------------------------------------------------------------- context
    def _clause_start(self, t, pos, floor):
        """The start of pos's clause (page.split, found once per text), or floor, or 200 back."""
        floor = max(floor, pos - 200)
        if pos <= floor:
            return pos
        clauses = self._clauses  # the split's clause starts, asked for once per article
        if clauses is None:
            clauses = self._clauses = split(t).clauses
        cs = clauses[bisect.bisect_right(clauses, pos) - 1]  # Split.clause_start (pos > floor >= 0)
        return cs if cs > floor else floor

    def _sentence_start(self, t, pos, floor):
        """The start of pos's sentence part (page.split: inside quote marks, the quoted sentence;
        cut at ；), or floor, or 400 back."""
        floor = max(floor, pos - 400)
        if pos <= floor:
            return pos
        ss = split(t).part_start(pos)
        return ss if ss > floor else floor

    def _direction(self, t, c: _Cand, floor):
        """Direction, basis and the verb's start; strip fillers between verb and figure."""
        tb = self.tb
        if c.rule == "doubling":
            end = c.start
            verb_start = end
        else:
            end = c.q_span[0] if c.q_span and c.q_span[0] < c.start else c.start
            if c.cur_start is not None:
                end = min(end, c.cur_start)  # 总投资金额约新台币5亿元: the metric ends before both
            verb_start = None
        cs = self._clause_start(t, end, floor)
        p = end
        direction = c.direction
        basis = None
        basis_id = None
        verb_id = None
        seen_verb = c.rule == "doubling"
        for _ in range(8):
            if p <= cs:
                break
            hit = None
            last = t[p - 1]  # each lexicon is asked only when one of its forms ends with it
            for form, entry in tb.basis.ending_at(t, p) if last in tb.basis.lasts else ():
                if p - len(form) >= cs:
                    hit = ("basis", form, entry)
                    break
            if hit is None and not seen_verb and last in tb.verbs.lasts:
                for form, entry in tb.verbs.ending_at(t, p):
                    if entry.kinds and c.kind not in entry.kinds:
                        continue
                    if p - len(form) >= cs:
                        hit = ("verb", form, entry)
                        break
            if hit is None and last in tb.fillers.lasts:
                for form, entry in tb.fillers.ending_at(t, p):
                    if p - len(form) >= cs:
                        hit = ("filler", form, entry)
                        break
            if hit is None:
                # 比2020年 / 较禁渔前 as a basis of comparison (no match is longer than compared_reach)
                m = tb.compared_re.search(t[max(cs, p - tb.compared_reach):p])
                if m and seen_verb is False and m.group().endswith(tb.compared_ends):
                    hit = ("basis-free", m.group(), None)
                elif m and seen_verb:
                    hit = ("basis-free", m.group(), None)
            if hit is None:
                break
            kind, form, entry = hit
            if kind == "verb":
                if not seen_verb:
                    seen_verb = True
                    verb_start = p - len(form)
                    verb_id = entry.id
                    if entry.direction in ("up", "down"):
                        direction = entry.direction
                    else:
                        direction = None
                    # 增加值 is a noun: the verb must not be the head of 增加值增长
                    if t[p:p + 1] in tb.verb_noun_tails.get(form, ()):
                        direction = None
            elif kind == "basis":
                basis, basis_id = entry.basis, entry.id
            elif kind == "basis-free" and basis is None:
                basis = form.strip()
            p -= len(form)
        if verb_start is None:
            verb_start = p
            # 新增企业近7000家: a gap verb earlier in the clause
            seg = t[cs:p]
            for m in tb.gap_first_re.finditer(seg):  # the places a gap or up/down verb may start
                i = m.start()
                for form, entry in [*tb.gap_verbs.at(seg, i), *tb.up_down_verbs.at(seg, i)]:
                    if entry.kinds and c.kind not in entry.kinds:
                        continue
                    if seg[i + len(form):i + len(form) + 1] in tb.verb_noun_tails.get(form, ()):
                        continue  # 增加值, 增长率 are nouns
                    rest = seg[i + len(form):]
                    if not tb.gap_stop_re.search(rest) and len(rest) <= 12:
                        direction = entry.direction
                        verb_id = entry.id
                        verb_start = cs + i
                        break
                if verb_id:
                    break
        if direction is None and c.value is not None and c.value < 0 and c.kind in ("percent", "percentage_point") \
                and (basis is not None or t[c.start - 1:c.start] in ("（", "(")):
            direction = "down"  # 同比-3.0%, （-3.2%）: a signed change keeps its sign and goes down
        if direction is not None and c.kind not in SCORED:
            direction = None
        return direction, basis, basis_id, verb_id, verb_start, cs

    def _make(self, raw, t, c: _Cand, floor, lead, context) -> dict:
        """The record's fields for one candidate; ``context`` holds the article's places and
        periods, each a sorted list of (start, end), found once per article by find()."""
        tb = self.tb
        direction, basis, basis_id, verb_id, verb_start, cs = self._direction(t, c, floor)
        if c.list_prev is not None and t[c.list_prev.end:c.start].strip() in tb.list_seps.by_form:
            prev = c.list_prev
            if verb_id is None and prev.direction is not None:
                direction = prev.direction
            if basis is None:
                basis = prev.basis
            if c.qualifier is None and prev.qualifier is not None and prev.q_span is not None \
                    and prev.q_span[0] < prev.start and c.kind == prev.kind:
                c.qualifier = prev.qualifier  # 分别超过1200万人和900万人
        signed = c.value if c.value is not None else c.high
        if direction == "up" and signed is not None and signed < 0:
            direction = "down"  # 增长负3.2%: a signed change keeps its sign and goes down (ANNOTATION.md)
        c.direction, c.basis = direction, basis
        entries = list(c.entries)
        if verb_id:
            entries.append(verb_id)
        if basis_id:
            entries.append(basis_id)
        metric = subject = period = None
        if c.kind in SCORED:
            places, periods, carry = context
            ss = self._sentence_start(t, c.start, floor)  # each looks back in the figure's sentence
            if carry.get("sentence") != ss:  # figures of one sentence share its paragraph
                carry["sentence"], carry["ps"] = ss, self._paragraph_start(t, c.start, floor)
            ps = carry["ps"]
            within = ps if ps >= 0 else ss  # no paragraphs: a metric is carried within its sentence
            if carry["para"] != within:  # nothing is carried into a new paragraph
                carry["para"], carry["metric"] = within, None
            metric = self._metric(raw, t, c, cs, verb_start, carry)
            subject = self._subject(raw, c, ss, ps, lead, places)
            period = self._period(raw, t, c, ss, ps, periods)
        if c.unit_entry is not None and c.unit_entry.id in tb.rounded_factors:
            c.value, c.low, c.high = (None if v is None else _DEFAULT.plus(v) for v in (c.value, c.low, c.high))
        val = canonical(c.value) if c.value is not None else None
        low = canonical(c.low) if c.low is not None else None
        high = canonical(c.high) if c.high is not None else None
        if val is not None and low is not None:
            val = None
        unit_text = c.unit_text
        if unit_text:
            # the unit as written (噸, ％): the rules matched it on the folded text
            i = t.rfind(unit_text, c.start, c.end)
            if i >= 0:
                unit_text = raw[i:i + len(unit_text)]
        scored = c.kind in SCORED
        return {  # the record's fields (find makes the article's Figures from them at once)
            "start": c.start, "end": c.end, "text": raw[c.start:c.end], "value": val, "low": low, "high": high,
            "unit": c.unit, "unit_text": unit_text, "kind": c.kind, "qualifier": c.qualifier,
            "direction": c.direction if scored else None, "basis": c.basis if scored else None,
            "metric": metric, "subject": subject, "period": period, "rule": c.rule,
            "entries": tuple(dict.fromkeys(entries)),
        }

    def _metric(self, raw, t, c: _Cand, cs, verb_start, carry):
        """The metric (ctx-metric-* rules, named in ``explain``): the noun phrase read before the
        verb; one per item of a 分别 list; else the one carried from the paragraph."""
        tb = self.tb
        if c.list_prev is not None and verb_start >= c.start - 4 and t[c.list_prev.end:c.start].strip() in tb.list_seps.by_form:
            items = c.list_head.metric_items if c.list_head is not None else None
            if items is not None:  # 分别达1138万亩和3831万亩: the items before 分别, one each
                i = c.list_index
                if i < len(items):
                    c.ctx_rules.append("metric:ctx-metric-respectively")
                    return self._span(raw, items[i][0], items[i][1])
            if carry["metric"] is not None:
                c.ctx_rules.append("metric:ctx-metric-list")
                return carry["metric"]
            return None
        span = self._metric_counted(raw, t, c)
        if span is not None:  # 建成3个零碳村: what the figure counts
            c.ctx_rules.append(f"metric:{tb.metric_counted_id}")
            return span
        span = self._metric_here(raw, t, c, cs, verb_start, carry["periods"], carry["period_ends"])
        if span is not None and c.metric_items:  # the first item of a 分别 list takes the first
            carry["metric"] = span
            a, b = c.metric_items[0]
            c.ctx_rules.append("metric:ctx-metric-respectively")
            return self._span(raw, a, b)
        if span is not None:
            carry["metric"] = span
            c.ctx_rules.append("metric:ctx-metric-phrase")
            return span
        if carry["metric"] is not None:  # 营收6.2亿元，同比减少3.5%: both 营收
            c.ctx_rules.append("metric:ctx-metric-carry")
            return carry["metric"]
        return None

    def _metric_here(self, raw, t, c: _Cand, cs, verb_start, periods, period_ends):
        """The noun phrase between the clause start and the verb: 规模以上工业增加值.
        ``period_ends`` maps each period's start to its end (periods never share a start)."""
        tb = self.tb
        end = verb_start
        start = cs
        # drop leading quote marks, period and place words and connectives
        changed = True
        while changed and start < end:
            changed = False
            if t[start] in tb.metric_quotes:
                start += 1
                changed = True
                continue
            p = period_ends.get(start)
            if p is not None and start < p <= end:
                start = p
                changed = True
                continue
            for form in tb.metric_openers if t.startswith(tb.metric_openers, start) else ():
                if t.startswith(form, start) and start + len(form) <= end:
                    start += len(form)
                    changed = True
        # a place at the head is the subject, not the metric; after 实现 comes the metric
        for form, _e in tb.places.at(t, start) if t[start:start + 1] in tb.places.firsts else ():
            if start + len(form) < end:
                start = self._place_end(t, start + len(form), end)
                break
        for word in tb.metric_cuts:  # after 实现 comes the metric
            cut = t.rfind(word, start, end)
            if cut >= 0 and cut + len(word) < end:
                start = cut + len(word)
        i = bisect.bisect_left(periods, (start,))  # 当地今年玉米产量: no period inside a metric
        while i < len(periods) and periods[i][1] < end:
            start = max(start, periods[i][1])
            i += 1
        # trailing basis, fillers and function words (…收入在)
        tail_lasts = self._tail_lasts
        for _ in range(4):
            if t[end - 1:end] not in tail_lasts:
                break  # no form of the three ends with this character
            hit = False
            for lex in (tb.basis, tb.fillers, tb.metric_tails):
                for form, _e in lex.ending_at(t, end) if t[end - 1:end] in lex.lasts else ():
                    if end - len(form) >= start:
                        end -= len(form)
                        hit = True
                        break
            if not hit:
                break
        while end > start and t[end - 1] in " ，、":
            end -= 1
        while end > start and t[end - 1] in tb.metric_quotes and t[start] not in tb.metric_quotes:
            end -= 1
        if end - start < 2 or end - start > 40:
            return None
        seg = t[start:end]
        if _FIGURE_MARK.search(seg) or period_ends.get(start) == end:
            return None
        start += self._clause_inside(seg)  # 却被这家公司虚报月薪 -> 这家公司虚报月薪
        if end - start < 2 or not self._noun_phrase(t[start:end]) or self._time_phrase(t, start, end):
            return None
        if c.list_index == 0 and c.list_len > 1:  # 分别 lists: the items written before the verb
            c.metric_items = self._items(t, start, end, c.list_len)
        return self._span(raw, start, end)

    @cached_property
    def _tail_lasts(self) -> frozenset:
        """The last characters of the basis, filler and metric-tail forms _metric_here trims."""
        tb = self.tb
        return frozenset().union(tb.basis.lasts, tb.fillers.lasts, tb.metric_tails.lasts)

    def _metric_counted(self, raw, t, c: _Cand):
        """The noun phrase written right after a count, an amount or a measure, or after 的
        unless a noun stands right before the figure: words of jieba's dictionary read forwards,
        longest first, while they can stand in a noun phrase (unknown characters are names)."""
        tb = self.tb
        pos = c.end
        if pos + 1 >= len(t) or not "\u4e00" <= t[pos] <= "\u9fff":
            return None
        before = c.q_span[0] if c.q_span and c.q_span[0] < c.start else c.start
        lexicon = self.lexicon
        if t.startswith(tb.after_links, pos):  # 12.2%的放流幼鱼, 39.42万元的生育津贴
            if c.kind == "percent" and c.direction is not None:
                return None
            for n in range(4, 1, -1):  # 载重60公斤的…: a noun right before names the measure
                w = t[max(0, before - n):before]
                known = lexicon.get(w)
                if known is not None or w in tb.verb_nouns:
                    if w in tb.verb_nouns or known[1][:1] == "n":
                        return None
                    break
            pos += next(len(f) for f in tb.after_links if t.startswith(f, pos))
        elif c.kind not in ("count", "money", "measure"):
            return None
        if t.endswith(tb.level_verbs, max(0, before - 2), before):
            return None  # 数量为16,861,826股人民币普通股: the level of what came before
        start = end = pos
        limit = min(len(t), pos + 16)
        while end < limit and "\u4e00" <= t[end] <= "\u9fff":
            for n in range(min(4, limit - end), 0, -1):
                word = t[end:end + n]
                known = lexicon.get(word)
                if known is not None or n == 1:
                    break
            if word in tb.after_blocks and end == start:
                return None
            if word not in tb.verb_nouns and known is not None and (
                    known[1] in tb.not_head_tags and not (len(word) == 1 and known[1] in ("m", "q"))
                    or known[1][:1] == "v" and known[1] != "vn"):
                break
            end += len(word)
        if end - start < 2:
            return None
        return self._span(raw, start, end)

    def _noun_phrase(self, seg: str) -> bool:
        """The phrase ends in a word that can head a noun phrase (the longest word of jieba's
        dictionary ending it has no ctx-metric-not-head tag) and is not a lone verb (申领);
        ctx-metric-verb-noun words (增速, 收入) name a measure whatever their tag."""
        lexicon = self.lexicon
        tb = self.tb
        if seg.endswith(tb.verb_nouns_tuple):
            return True
        for n in range(min(4, len(seg)), 0, -1):
            known = lexicon.get(seg[-n:])
            if known is not None:  # (a verb noun ending seg returned above)
                if known[1] in tb.not_head_tags:
                    return False
                if n == len(seg) and known[1][:1] == "v" and known[1] != "vn":
                    return False  # a verb alone names nothing measured
                break
        return True

    def _time_phrase(self, t, start, end) -> bool:
        """短时间内, 实施以来: the phrase ends in a ctx-metric-time word that is not the end of a
        longer dictionary word (耗时, 同时)."""
        tails = self.tb.time_tails
        if not t.endswith(tails, start, end):
            return False
        w = next(w for w in tails if t.endswith(w, start, end))
        return len(w) > 1 or end - start < 2 or self.lexicon.get(t[end - 2:end]) is None

    def _clause_inside(self, seg: str) -> int:
        """Where the noun phrase starts after a clause inside the phrase (调查组调取了这家公司…:
        after 了), found by ctx-metric-fragment marks that are words of their own."""
        lexicon = self.lexicon
        cut = 0
        for m in self.tb.fragment_re.finditer(seg):
            i = m.start()
            if (not i or lexicon.get(seg[i - 1:i + 1]) is None) and lexicon.get(seg[i:i + 2]) is None:
                cut = i + 1
        for w in self.tb.fragment_words:  # X是指Y
            k = seg.rfind(w)
            if k >= 0:
                cut = max(cut, k + len(w))
        return cut

    def _items(self, t, start, end, n):
        """The n items of a list written as the metric of a 分别 list, or None when the phrase
        does not split into exactly n (“水肥一体化+密植”“一喷多促”增产技术 -> two)."""
        opened = 1 if start > 0 and t[start - 1] == "“" else 0  # the opening mark was trimmed
        seg = t[start - opened:end]
        quotes = [m.span() for m in re.finditer(r"“([^”]+)”", seg)]
        if len(quotes) == n:
            return [(start - opened + a + 1, start - opened + b - 1) for a, b in quotes]
        seg = t[start:end]
        parts, pos = [], 0
        for m in re.finditer("|".join(re.escape(f) for f in sorted(self.tb.list_seps.forms, key=len, reverse=True)), seg):
            parts.append((pos, m.start()))
            pos = m.end()
        parts.append((pos, len(seg)))
        if len(parts) == n and all(b - a >= 2 and not self._numeral_char(seg[b - 1]) for a, b in parts):
            return [(start + a, start + b) for a, b in parts]
        return None

    def _span(self, raw, s, e):
        """The Span raw[s:e], made once per article: Spans are frozen, and many figures of an
        article name the same place or period (each new Span is a validation)."""
        got = self._spans.get((s, e))
        if got is None:
            got = self._spans[(s, e)] = _new_span({"start": s, "end": e, "text": raw[s:e]})
        return got

    def _subject(self, raw, c: _Cand, ss, ps, lead, places):
        """The last place or organisation before the figure in its sentence (ctx-subject-sentence),
        else in its paragraph (ctx-subject-paragraph), else the article's dateline place."""
        for lo, rule in ((ss, "ctx-subject-sentence"), (ps, "ctx-subject-paragraph")):
            if lo < 0:
                break
            best = self._last_before(places, lo, c.start)
            if best is not None:
                c.ctx_rules.append(f"subject:{rule}")
                return self._span(raw, best[0], best[1])
        if lead is not None:
            c.ctx_rules.append(f"subject:{self.tb.dateline_id}")
        return lead  # the dateline's place, found once in find()

    def _last_before(self, spans, lo, hi):
        """The last (start, end) of ``spans`` (sorted, found once per article) inside [lo, hi);
        organisations are kept as (start, -end) among the places, so the end is read as abs(end)."""
        i = bisect.bisect_left(spans, (hi,)) - 1
        while i >= 0 and spans[i][0] >= lo:
            s, e = spans[i]
            if abs(e) <= hi:
                return s, abs(e)
            i -= 1
        return None

    def _period(self, raw, t, c: _Cand, ss, ps, periods):
        """The last time written before the figure in its sentence, else the one that opens its
        paragraph (今年以来，…); a comparison base such as 比上年 or
        较2024年 is never taken (see find())."""
        best = self._last_before(periods, ss, c.start)
        if best is not None:
            c.ctx_rules.append("period:ctx-period-sentence")
            return self._span(raw, best[0], best[1])
        if ps >= 0:
            i = bisect.bisect_left(periods, (ps,))
            if i < len(periods) and periods[i][1] <= c.start:
                s, e = periods[i]
                if s - ps <= 2:  # the paragraph opens with it (2025年，… / 在今年…)
                    c.ctx_rules.append("period:ctx-period-paragraph")
                    return self._span(raw, s, e)
        return None

    def _paragraph_start(self, t, pos, floor):
        """Just after the last paragraph break before pos (or the article's start), or -1 when that is
        more than PARAGRAPH_MAX characters back: a page that never breaks its lines has no
        paragraphs to carry context in (paragraphs by page.split, found once per text)."""
        lo = max(floor, pos - PARAGRAPH_MAX)
        ps = split(t).paragraph_start(pos)
        if lo < ps <= pos:
            return ps
        return floor if lo == floor else -1

    def _compared(self, t, pos, floor):
        """A comparison marker (比, 较, 与 …) ends right before pos: what follows is a base."""
        markers = self.tb.comparison_markers
        if t[pos - 1:pos] not in markers.lasts:
            return False  # no marker ends with this character (pos 0 slices nothing)
        for form, _e in markers.ending_at(t, pos):
            if pos - len(form) >= floor:
                return True
        return False

    def _name_char(self, ch: str) -> bool:
        """A character an organisation's name can hold (not punctuation, space, digit or opener)."""
        return not (ch.isspace() or ch.isdigit() or ch in self.tb.org_openers
                    or unicodedata.category(ch)[0] in "PSZC")

    def _place_end(self, t, end, limit):
        """The end of a place with its suffix (吉林省), unless the suffix opens a word (重庆市场)."""
        r = self.tb.place_suffix_re
        if r is None:
            return end
        m = r.match(t, end, limit)
        return m.end() if m else end


def find_figures(raw: str, folded: str | None = None, **kw) -> list[Figure]:
    from .normalise import fold

    return FigureFinder().find(raw, folded if folded is not None else fold(raw), **kw)
