"""Quotes and speakers: quote marks, cues, frames, mentions and one identity per article.

Attribution is a table of named rules, run in order like the figure rules:
  cue rules (_CUE_RULES)  quote-first, then the first of quote, nocomma, bare, colon-quote,
                          indirect that decides (prefixed cue- or frame-)
  label rules             interview-label, interview-turn (杨秀玲：… in a Q&A)
  adjacent                “…”“…” share one attribution
  cue-less rules          sentence-subject, named-after, named-next-sentence, named-nearby,
                          continues-previous (_CUELESS_RULES, run by _resolve once the cue
                          quotes' speakers are known)
Each rule makes a candidate or declines with a reason; ``find(..., decisions=[])`` records both
for ``explain``. Everything is matched on the folded text (same length as raw) and sliced from
raw, so every span indexes the raw input. Word lists live in rules/cues.toml; this module holds
the logic only. Every scan is bounded (windows of a few hundred characters), so cost stays
linear in input size.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from functools import lru_cache
from collections.abc import Callable
from dataclasses import dataclass, field

from .mentions import _DOT_ANY, _DOTTED_TAIL, _GLOSS, _LATIN_NAME, _QUANTIFIER, _TRANSLIT, JOINERS, NAME_DOTS, MentionReader, name_model
from .page import NOTE_CLOSE, NOTE_MAX, NOTE_OPEN, split
from .records import Quote, Speaker, Span
from .rules import Rules, alternation, load_rules
from .segment import (_NAME_TAIL_TAGS, Tagger, _lexicon, _surnames, may_open_name, starts_with_surname,
                      word_frequency, word_tag)

OPEN_CLOSE = {"“": "”", "「": "」", "『": "』", "‘": "’", '"': '"'}
CLOSERS = set("”」』’\"")
_SENT_END = set("。！？!?")
_CLAUSE_STOP = set("，。！？；：,;:!?\n【】|<>")
_TRAIL_CLOSE = set("”」』’\"")
_BOOK_TITLE = re.compile("《[^《》\n]{1,40}》")
_MAX_QUOTE = 3000  # a closed quote longer than this is a scrape accident, not one utterance
_MAX_STRAIGHT = 400  # a straight or single mark left open this long was not a quote
_MARKS_RE = re.compile("[" + re.escape("".join(OPEN_CLOSE) + "".join(OPEN_CLOSE.values())) + "\n]")
_OPENING_MARK = re.compile("[“「『]")
# what ends the clause before a cue, searched in the window reversed: a clause stop or quote
# mark, or a space with another before it (a run of spaces glues paragraphs)
_CLAUSE_BACK = re.compile("[" + re.escape("".join(sorted(CLOSERS | _CLAUSE_STOP | set(OPEN_CLOSE)))) + "]"
                          "|[ \u3000](?=[ \u3000])")
# a Latin-script person name as written (Michael Brown), and the Latin run a mention ends with
_LATIN_FULL = re.compile(r"[A-Za-z][A-Za-z'.-]*(?: [A-Za-z][A-Za-z'.-]*)+")
_LATIN_TAIL = re.compile(r"[A-Za-z][A-Za-z'. -]*$")
_MAX_CONTENT = 1500  # an indirect report never runs further than this
# jieba tags (first letters) of a word that ends no source: a verb or conjunction makes a clause
# (这不是对…, 揭仲并以…); and tags of the words a source is made of (a noun, name, place, body,
# pronoun, Latin or time word): a numeral and measure word alone is no source (多家在华外国商会)
_NO_SOURCE_END = ("v", "c", "p")
_SOURCE_WORDS = ("n", "r", "x", "t", "e")
# a report runs on into a further sentence only while it stays this short: the corpus gold's
# longest indirect report is 502 characters, and reports of 600-1,500 over the bulk corpus ran
# on through pages whose paragraph breaks were lost (silver.py's long-quote check)
_MAX_REPORT = 600
_MENTION_WINDOW = 50  # how far back from a cue a speaker mention may start
_MAX_INTRODUCED = 2000  # title and clause openings examined per article: keeps pathological input linear
_NEAR_WINDOW = 120  # how far back a pronoun or a cue-less quote looks for a person name
_NAME_MAX_FREQ = 50  # a clause subject jieba's dictionary knows this often is a word, not a name
_MAX_NAME = 12  # longest alias looked up when scanning back for a speaker name
_NEXT_SENTENCE = 150  # how far after a cue-less quote its speaker may still be named
# the part after a transliterated name's last dot (托马斯 · |沃尔夫)
_LAST_DOTTED_PART = re.compile("[" + re.escape(NAME_DOTS) + "][ \u3000]*([" + "\u4e00" + "-" + "\u9fff" + "\u3007"
                               + "]{2,})$")  # the CJK block and the Han zero
_FRAME_AFTER = set("。！？!?\n”")  # what a sentence opening 根据X， follows (or the text's start)
_FRAME_CLAUSE_END = re.compile("[，。！？；：\n“]")  # where the X of 根据X， ends
_RELATIVE_REPORT = 30  # how far after X提出的 its noun may be given in quote marks (…目标之一，是“…”)
_MIN_FIRST_CLAUSE = 14  # a report cut by a new source keeps a clause of its own, not a fronted adverbial (2023年1月，)
_NOT_PERSON_POS = {"ns", "s", "t", "r", "f", "m", "q", "d", "v", "a", "c", "p"}  # jieba tags no name has
_NOT_MENTION_OPENING = set("vpdtmrcu")  # jieba tag classes that open a clause, not a titled name (是, 在, 今年)
# (a particle, tag class u, anywhere before the name makes a description: 意识到工作难以开展的柏华丽)


#: how attribution treats each mention type (mentions.MENTION_TYPES)
_KIND_OF_MENTION = {"person": "person", "org": "org", "outlet": "org", "document": "document",
                    "anonymous": "role", "group": "group"}


#: jieba tag classes of the word after a clause-opening name (梁希来到, 郑棚说, 周剑在, 她坦言)
_NAME_NEXT_TAGS = ("v", "p", "d")
# a record made from a dict of its fields by the model's own validator: what Quote(**fields),
# Span(...) and Speaker(...) run, the same checks and the same instance, without
# BaseModel.__init__'s Python frame (as the figure finder makes its Figures and Spans)
_new_quote = Quote.__pydantic_validator__.validate_python
_new_span = Span.__pydantic_validator__.validate_python
_new_speaker = Speaker.__pydantic_validator__.validate_python


@lru_cache(maxsize=4)
def _word_ends(tags: frozenset[str]) -> frozenset[str]:
    """The last characters of jieba's dictionary words of two to four characters tagged with one of
    ``tags`` (455 characters for d, ad, t): a mention ending with another character ends in no
    such word, which spares _adverb_tail its look-ups on most mentions."""
    return frozenset(w[-1] for w, (_, tag) in _lexicon().items() if tag in tags and 2 <= len(w) <= 4)


def _name_then_word(window: str, tags: tuple[str, ...]) -> bool:
    """Whether the tagger could read the window as a name of two or three characters (one word
    tagged nr, _may_be_tagged_name, seen fewer than _NAME_MAX_FREQ times) and then a dictionary
    word whose jieba tag opens with one of ``tags``: the tagger's words run through the window in
    order, its first a prefix, its second (a word it tags so is one of jieba's dictionary)
    starting right after it and ending inside the window. 申领到了总计 (申领 a verb, 申领到 no
    name before a verb) is not tagged."""
    lexicon = _lexicon()  # word_frequency and word_tag, without a call per slice
    for size in (2, 3):
        if len(window) <= size:
            break
        name = window[:size]
        known = lexicon.get(name)
        if known is not None and known[0] >= _NAME_MAX_FREQ or not _may_be_tagged_name(name):
            continue
        for end in range(size + 1, len(window) + 1):
            word = lexicon.get(window[size:end])
            if word is not None and word[1][:1] in tags:
                return True
    return False


def _may_be_tagged_name(word: str) -> bool:
    """Whether the tagger could give word as one word tagged nr: a dictionary word so tagged, an
    unknown word of two or three characters opening with a surname, or a surname the dictionary
    tags nr glued to a piece of one or two characters of a name's tag (Tagger._tag: 李 + 克东)."""
    lexicon = _lexicon()
    known = lexicon.get(word)
    if known is not None and known[1] == "nr":
        return True
    if not 2 <= len(word) <= 3:
        return False
    if known is None and starts_with_surname(word):
        return True
    first = lexicon.get(word[0])
    if first is None or first[1] != "nr" or word[0] not in _surnames():
        return False
    rest = lexicon.get(word[1:])
    return rest is None or rest[1] in _NAME_TAIL_TAGS


def _may_open_with(window: str, tags: tuple[str, ...], longest: int) -> bool:
    """Whether the tagger's first word of the window could be 2 to ``longest`` characters long
    with a tag of ``tags``: a dictionary word so tagged, or a word it tags nr otherwise
    (_may_be_tagged_name), its other tags being the dictionary's."""
    lexicon = _lexicon()
    for size in range(2, min(longest, len(window)) + 1):
        word = window[:size]
        known = lexicon.get(word)
        if known is not None and known[1] in tags or "nr" in tags and _may_be_tagged_name(word):
            return True
    return False


def _opens_with_word(text: str, tags: tuple[str, ...]) -> bool:
    """Whether a dictionary word whose jieba tag opens with one of ``tags`` opens the text: the
    tagger's first word, so tagged, can be nothing else (it tags an unknown word nr or x)."""
    lexicon = _lexicon()
    for end in range(1, len(text) + 1):
        known = lexicon.get(text[:end])
        if known is not None and known[1][:1] in tags:
            return True
    return False


def _ends_with_word(text: str, tag: str, shortest: int) -> bool:
    """Whether a word of jieba's dictionary tagged ``tag``, ``shortest`` characters or longer,
    ends the text: a tagger's last word with that tag can be nothing else."""
    for n in range(shortest, len(text) + 1):
        if word_tag(text[-n:]) == tag:
            return True
    return False


def _at_sentence_start(pattern: re.Pattern, f: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """The (start, end) of each match of pattern in f[lo:hi] that opens a sentence: after an end
    mark, a closing quote or a line break, spaces allowed, or at the text's start. The matches
    are found first and the start looked for before each, which one pattern anchored by a
    look-behind (tried at every character) found at many times the cost; the same places."""
    out = []
    for m in pattern.finditer(f, lo, hi):
        s = j = m.start()
        while j > lo and f[j - 1] in " \u3000":
            j -= 1
        if not j or f[j - 1] in _FRAME_AFTER:
            out.append((s, m.end()))
    return out


_DIGIT = re.compile(r"\d")
_NOTE_TAIL = re.compile(r"[（(][^（）()]{1,20}[）)]$")  # a bracketed gloss ending a name: （IPPR）
_QUOTED_END = re.compile(r"[“「]([^“”「」]{2,20})[”」]$")  # a name in quotes ending a mention
# a name in Latin script ending a mention: letters, digits, dots and spaces between (Börje Ekholm, XS.com)
_LATIN_END = re.compile(r"(?<![A-Za-z0-9À-ɏ])[A-Za-zÀ-ɏ0-9][A-Za-zÀ-ɏ0-9 .&'\-]*$")
_COMMON_WORD = 1000  # a two-character dictionary word this frequent and not tagged a name is no name (评价)


def _symbol(ch: str) -> bool:
    """▼, ▲, ■, ★: a symbol character (Unicode category So); Han and letters never are."""
    return ch > "\u2000" and unicodedata.category(ch) == "So"


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or ch == "〇"


@dataclass
class _QuoteSpan:
    open: int  # index of the opening mark
    close: int  # index of the closing mark, or the paragraph end when unbalanced
    closed: bool
    speech: bool = False  # not a term or scare quote
    after_cue: bool = False  # opens right after a cue and its comma or colon

    @property
    def start(self) -> int:
        return self.open + 1


@dataclass
class _Cand:
    """A candidate attribution before identities are resolved."""

    kind: str
    content: tuple[int, int]
    cue: tuple[int, int] | None
    mention: tuple[int, int] | None
    rule: str
    name_hint: str | None = None
    entry: str | None = None  # the rules/cues.toml entry of the cue (verb or frame)


@dataclass(slots=True)
class _Cue:
    """A cue (speech verb or frame closer) and what the gates read around it."""

    s: int
    e: int
    punct: int  # the comma or colon after it, or -1
    word: str
    cs: int = -1  # where its clause starts (worked out once)
    prefix: str = "cue-"  # "frame-" when a frame (据X介绍) holds the source
    entry: str = ""  # its rules/cues.toml entry id
    mention: tuple[int, int] | None = None
    subject_before: tuple | None = None  # (cue span, mention) of the latest cue with a subject
    colon_mention: object = None  # the source a comma or colon rule found (or its _Stop)
    predicate: bool = False  # the clause before it is what its subject did (_predicate): no mention


class _Stop(str):
    """A rule's reason for declining that also ends the rule table for this cue."""


@dataclass
class QuoteDecision:
    """One quote candidate and what became of it (for ``explain``): a cue, a Q&A label or a
    quote-mark span no cue took. ``fired`` names the rules that made quotes (``quotes``, as made
    on the article's text), ``declined`` gives each rule that declined as "rule: reason"."""

    start: int
    end: int
    text: str
    candidate: str  # cue, label or marks (a quote-mark span)
    fired: list[str] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    declined: list[str] = field(default_factory=list)


class _Article:
    """One article while its rules run: its quote spans, cues and the candidates made so far."""

    def __init__(self, raw: str, f: str, lo: int, hi: int, breaks: list[int], quotes: list[_QuoteSpan],
                 decisions: list[QuoteDecision] | None):
        self.raw, self.f, self.lo, self.hi, self.breaks = raw, f, lo, hi, breaks
        self.quotes = quotes
        self.qopen = {q.open: q for q in quotes}
        self.qclose = {q.close: q for q in quotes if q.closed}
        self.q_starts = [q.open for q in quotes]
        self.blocked = bytearray(hi - lo + 1)  # indexed from the article's start (lo), not the page's
        self.cues: list[_Cue] = []
        self.speech: list[_QuoteSpan] = []
        self.speech_opens: list[int] = []
        self.closes: list[int] = []  # closing marks of closed quotes of speech, in order
        self.cue_stops: list[int] = []  # starts of clauses that open a new attribution
        self.stop_cue: dict[int, int] = {}  # such a clause start (of a cue and its comma) -> the cue's start
        self.cands: list[_Cand] = []
        self.attributed: dict[int, _Cand] = {}  # quote open -> attribution
        self.last_subject = None  # (cue span, mention) of the latest cue with a subject
        self.decisions = decisions
        self.made_by: list[tuple[_Cand, QuoteDecision]] = []  # explain only
        self.marks: dict[int, QuoteDecision] = {}  # explain only: opening mark -> a span the cue-less rules decide
        self.repeated: set[int] = set()  # pull-quotes given again later (their opening marks)

    def inside_speech(self, pos: int) -> _QuoteSpan | None:
        k = bisect.bisect_right(self.q_starts, pos) - 1
        if k >= 0 and self.quotes[k].open < pos < self.quotes[k].close:
            return self.quotes[k]
        return None

    def para_end(self, pos: int) -> int:
        breaks = self.breaks
        return breaks[min(bisect.bisect_left(breaks, pos), len(breaks) - 1)]


def sentence_end(f: str, pos: int, limit: int) -> int:
    """The end of the sentence holding pos (page.split: a closed quote inside is skipped whole,
    one whose content ends on an end mark ends the sentence with it), at most _MAX_CONTENT on,
    never past limit; its trailing spaces dropped."""
    end = min(limit, pos + _MAX_CONTENT, split(f).sentence_of(pos)[1])
    while end > pos and not f[end - 1].strip():
        end -= 1
    return end


class _Names:
    """The person names an article's resolution looks up (surface form -> person name): the known
    speakers' forms (``known``, the resolution's own map) and the persons the article introduces
    (_introduced_names), each place of _name_sites tagged only when a name it could give is looked
    for, not all of them at the first look. A place's name is two or three characters of its
    window (what the tagger cuts first, less what clean() trims), so only a form made of the first
    two or three characters of some place asks for it. The same answers as the introduced names
    all worked out and merged into ``known`` at the first look (a form known then keeps its
    person; see _resolve's remember for one known later)."""

    def __init__(self, finder: SpeakerFinder, f: str, known: dict[str, str], sites: list[tuple[int, bool]]):
        self.finder, self.f, self.known, self.sites = finder, f, known, sites
        self.named: dict[int, str | None] = {}  # a place (its index) -> the name it gives
        self.at: dict[str, list[int]] = {}  # a form -> the places whose name it could be
        for i, (at, _) in enumerate(sites):
            head = f[at:at + 3]
            for form in {head[:2], head, head[1:]}:
                if len(form) >= 2:
                    self.at.setdefault(form, []).append(i)
        self._edges = ({form[0] for form in self.at}, {form[-1] for form in self.at})
        self._known_edges = (-1, set(), set())  # (len(known), first characters, last characters)

    def introduced(self, form: str) -> bool:
        """Whether the article introduces a person named so (tagging the places that could)."""
        for i in self.at.get(form, ()):
            if i not in self.named:
                self.named[i] = self.finder._site_name(self.f, *self.sites[i])
            if self.named[i] == form:
                return True
        return False

    def get(self, form: str, default: str | None = None) -> str | None:
        if form in self.known:
            return self.known[form]
        return form if self.introduced(form) else default

    def __contains__(self, form: str) -> bool:
        return form in self.known or self.introduced(form)

    def __getitem__(self, form: str) -> str:
        got = self.get(form)
        if got is None:
            raise KeyError(form)
        return got

    def edges(self) -> tuple[set[str], set[str]]:
        """The first and the last characters of every known form and of every form some place could
        introduce (more than the names': a character missing from them opens or ends no name).
        Forms are only ever added to ``known``, so its characters are read again only when it grew."""
        n, firsts, lasts = self._known_edges
        if n != len(self.known):
            firsts = self._edges[0] | {form[0] for form in self.known if form}
            lasts = self._edges[1] | {form[-1] for form in self.known if form}
            self._known_edges = (len(self.known), firsts, lasts)
        return firsts, lasts


@dataclass(slots=True)
class _Known:
    """What the cue-less rules read once an article's cue quotes are resolved: its text, the
    speakers known so far and how to name a new one (the resolution's own maps, not copies), and
    the resolved quotes in text order (content start, speaker, end)."""

    a: _Article
    f: str
    lo: int
    entities: list
    by_alias: dict
    persons_at: list  # (mention start, person) as resolved
    gender: dict  # entity id -> the gender the text states
    names: Callable[[], _Names]  # surface form -> person name (the introduced names asked one by one)
    new_entity: Callable[..., _Entity]  # (name, person, titles, organisation, kind) -> a new speaker
    resolved: list
    starts: list
    ends: list
    reports: list  # the content spans of a speaker's reported speech (cue rules; not 据X报道's), in order


@dataclass
class _Entity:
    id: str
    name: str
    person: bool
    titles: list[str] = field(default_factory=list)
    organisation: str | None = None
    mentions: list[tuple[int, int]] = field(default_factory=list)
    aliases: set[str] = field(default_factory=set)
    kind: str = "person"


class _Lexicon:
    def __init__(self, rules: Rules):
        c = rules.cues
        self.verb_forms = [f for e in c.verbs for f in e.forms]
        self.frame_closers = {f: e for e in c.frames for f in e.closers}
        self.cue_re = alternation([*self.verb_forms, *self.frame_closers])
        self.verb_set = set(self.verb_forms)
        self.verb_tuple = tuple(self.verb_forms)
        # every record names the rules/ entry of its cue: "cue-indirect:biaoshi"
        self.entry_of = {f: e.id for e in c.frames for f in e.closers}
        self.entry_of.update({f: e.id for e in c.verbs for f in e.forms})
        self.bare_verbs = {f for e in c.verbs if e.bare for f in e.forms}
        self.nocomma_verbs = {f for e in c.verbs if e.nocomma for f in e.forms}
        self.addressed_verbs = {f for e in c.verbs if e.addressed for f in e.forms}
        self.nocomma_stops = tuple(f for e in c.nocomma_stops for f in e.forms)
        self.word_tail_tags = frozenset(f for e in c.word_tails for f in e.forms)
        self.adverb_tags = frozenset(f for e in c.adverb_tags for f in e.forms)
        self.setting_openers = frozenset(f for e in c.setting_openers for f in e.forms)
        self.setting_chars = frozenset(f[0] for f in self.setting_openers)
        self.content_breaks = tuple(f for e in c.content_breaks for f in e.forms)
        self.blocked_re = alternation([f for e in c.blocked for f in e.forms])
        self.frames = c.frames
        # built once, not at each call: each frame's openers longest first, each setting's closers
        self.frame_openers = [(e.closers, sorted(e.forms, key=len, reverse=True)) for e in c.frames]
        self.opener_forms = tuple(f for e in c.frames for f in e.forms)
        self.settings = c.settings
        self.setting_closers = [(e, tuple(e.closers)) for e in c.settings]
        self.adverbs = sorted({f for e in c.adverbs for f in e.forms}, key=len, reverse=True)
        self.titles_re = alternation([f for e in c.titles for f in e.forms])
        # the last characters of the titles' Han forms (官 of 外交官, 长 of 部长)
        self.title_finals = frozenset(f[-1] for e in c.titles for f in e.forms if _is_han(f[-1]))
        self.anonymous = tuple(sorted({f for e in c.anonymous for f in e.forms}, key=len, reverse=True))
        self.reporters = sorted({f for e in c.reporters for f in e.forms}, key=len, reverse=True)
        self.pronouns = {f: e.id for e in c.pronouns for f in e.forms}
        self.pronouns_longest = sorted(self.pronouns, key=len, reverse=True)
        self.source_suffixes = sorted({f for e in c.source_suffixes for f in e.forms}, key=len, reverse=True)
        self.adverb_tuple = tuple(self.adverbs)
        self.source_suffix_tuple = tuple(self.source_suffixes)
        self.data_line_re = alternation([f for e in c.data_lines for f in e.forms])
        self.interview_labels = {f for e in c.interview_labels for f in e.forms}
        self.label_tuple = tuple(self.interview_labels)
        self.honorifics = tuple(f for e in c.honorifics for f in e.forms)
        self.org_suffixes = tuple(f for e in c.org_suffixes for f in e.forms)
        self.according = tuple(sorted({f for e in c.according for f in e.forms}, key=len, reverse=True))
        self.when_closers = tuple(f for e in c.when_closers for f in e.forms)
        self.body_kinds = tuple(f for e in c.body_kinds for f in e.forms)
        # a body's suffixes, not a document's (调查, 统计 end documents in [[org_suffixes]] too)
        docs = {f for e in c.documents for f in e.forms}
        self.body_suffixes = tuple(f for e in c.org_suffixes if docs.isdisjoint(e.forms) for f in e.forms)
        self.side_suffixes = tuple(f for e in c.side_suffixes for f in e.forms)
        self.existentials = frozenset(f for e in c.existentials for f in e.forms)
        # 跟/对/向/给 + a personal pronoun ([[addressees]] addressee-person): its openers and pronouns
        third = {f for e in c.pronouns for f in e.forms}
        person = [e for e in c.addressees if third & set(e.closers)]  # the entry whose closers are pronouns
        self.person_addressee_openers = frozenset(f for e in person for f in e.forms)
        self.personal_pronouns = tuple(sorted({f for e in person for f in e.closers}, key=len, reverse=True))
        # the suffixes of two characters or more (公司, 企业): 委 or 会 may end a title too (欧洲央行管委)
        self.long_org_suffixes = tuple(f for f in self.org_suffixes if len(f) > 1)
        self.source_frames = tuple(f for e in c.source_frames for f in e.forms)
        self.source_frame_ids = {f: e.id for e in c.source_frames for f in e.forms}
        self.other_speaker_marks = tuple(f for e in c.other_speaker_marks for f in e.forms)
        self.bare_relatives = tuple(f for e in c.bare_relatives for f in e.forms)
        self.bare_negators = tuple(f for e in c.bare_negators for f in e.forms)
        self.bare_relative_reports = tuple(f for e in c.bare_relative_reports for f in e.forms)
        # only at a sentence's start (after an end mark, a closing quote or a line break, spaces
        # allowed): the openers are found first and the start looked for before each (_source_frames);
        # one pattern anchored by a look-behind is tried at every character, at many times the cost
        self.source_frame_re = alternation(self.source_frames)
        # a sentence or clause opening where a surname starts (梁希来到…): where a name may open
        # the entry ids a speaker mention's words come from (a quote's entries; the first entry
        # holding a form names it)
        ids = lambda table: {f: e.id for e in reversed(table) for f in e.forms}  # noqa: E731
        self.title_ids = ids(c.titles)
        self.anonymous_ids = ids(c.anonymous)
        self.honorific_ids = ids(c.honorifics)
        self.relay_ids = ids(c.relays)
        self.outlet_ids = ids(c.outlets)
        self.outlet_word_ids = ids(c.outlet_words)
        self.document_ids = ids(c.documents)
        self.demonstrative_ids = ids(c.demonstratives)
        self.generic_heads = frozenset(f for e in c.demonstratives for f in e.closers)
        self.outlet_tuple = tuple(self.outlet_ids)
        self.outlet_word_tuple = tuple(self.outlet_word_ids)
        self.document_tuple = tuple(self.document_ids)
        self.demonstrative_tuple = tuple(self.demonstrative_ids)
        firsts = "".join(sorted({f[0] for e in c.surnames for f in e.forms}))
        self.name_opening_re = re.compile(f"[。！？!?，\n][ \u3000]*(?=[{re.escape(firsts)}])")


class SpeakerFinder:
    """Find quotes and their speakers in one article's text."""

    def __init__(self, rules: Rules | None = None, tagger: Tagger | None = None):
        rules = rules or load_rules()
        self.lex = _Lexicon(rules)
        self.mentions = MentionReader(rules)
        self.tagger = tagger or Tagger()
        self._last = None  # (text, paragraph ends, quote pairs) of the last text seen
        self._entries_memo: dict[str, tuple[str, ...]] = {}  # mention -> its entry ids, this page
        self._spans: dict[tuple[int, int], Span] = {}  # this article's speaker Spans (see _span)

    def new_page(self) -> None:
        """Forget the last page: its structure and the entry ids of its mentions (their readings live
        in the tagger's page memo, forgotten with it)."""
        self._last = None
        self._entries_memo.clear()
        self.mentions.memo = None
        self.mentions.titles_memo = None

    # ------------------------------------------------------------ structure

    def _structure(self, f: str):
        """Paragraph ends and quote pairs of the whole text, worked out once per text: the
        pipeline calls find() once per article of the same page."""
        if self._last is None or self._last[0] is not f:
            self._entries_memo.clear()  # memos last one page (the project's memo rule)
            breaks = self._paragraph_ends(f)
            pairs = tuple((q.open, q.close, q.closed) for q in self._pair_quotes(f, breaks))
            self._last = (f, breaks, pairs, [o for o, _, _ in pairs])
        return self._last[1], self._last[2], self._last[3]

    @staticmethod
    def _paragraph_ends(f: str) -> list[int]:
        """Paragraph ends (page.split's paragraphs: every line break, and two or more spaces after
        a sentence end on a page scraped into one line), and the text's end."""
        out = []
        for p in split(f).paragraphs[1:]:
            e = p - 1
            if f[e] != "\n":
                while not f[e - 1].strip():
                    e -= 1  # a glued paragraph ends where its spaces start
            out.append(e)
        return out + [len(f)]

    def _pair_quotes(self, f: str, breaks: list[int]) -> list[_QuoteSpan]:
        """Pair quote marks in one pass; unbalanced marks close at their paragraph end."""
        spans: list[_QuoteSpan] = []
        open_at, open_ch, crossed = -1, "", -1
        # only marks and line breaks can change the state: visit those, not every character
        for mark in _MARKS_RE.finditer(f):
            i = mark.start()
            ch = f[i]
            if open_at >= 0 and open_ch in "\"‘" and i > open_at + _MAX_STRAIGHT + 1:
                open_at, open_ch, crossed = -1, "", -1  # expired at a plain character before this mark
            if open_at < 0:
                if ch in OPEN_CLOSE:
                    open_at, open_ch, crossed = i, ch, -1
                continue
            if ch == OPEN_CLOSE[open_ch]:
                if crossed >= 0 and i - open_at > _MAX_QUOTE:
                    spans.append(_QuoteSpan(open_at, crossed, False))
                else:
                    spans.append(_QuoteSpan(open_at, i, True))
                open_at = -1
            elif open_ch in "\"‘" and (ch in "“「『" or i - open_at > _MAX_STRAIGHT):
                # a stray straight or single mark (HTML residue, apostrophe) yields to real quotes
                open_at, open_ch, crossed = (i, ch, -1) if ch in OPEN_CLOSE else (-1, "", -1)
            elif ch == open_ch:
                end = crossed if crossed >= 0 else i
                spans.append(_QuoteSpan(open_at, end, False))
                open_at, open_ch, crossed = i, ch, -1
            elif ch == "\n" and crossed < 0:
                k = bisect.bisect_left(breaks, i)
                if k < len(breaks) and breaks[k] == i:
                    if open_ch in '"‘':
                        open_at = -1  # straight and single quotes never run across paragraphs
                    else:
                        crossed = i
        if open_at >= 0:
            k = bisect.bisect_left(breaks, open_at)
            end = crossed if crossed >= 0 else breaks[min(k, len(breaks) - 1)]
            spans.append(_QuoteSpan(open_at, max(end, open_at + 1), False))
        return [s for s in spans if s.close > s.open]

    @staticmethod
    def _speech_like(text: str, after_cue: bool) -> bool:
        """Term and scare quotes (“十五五”, “卡脖子”) are not speech."""
        t = text.strip()
        if not t:
            return False
        if len(t) >= 4 and t[-1] in "。！？!?…":
            return True
        if len(t) >= 10 and any(ch in "，。！？；,;!?" for ch in t):
            return True
        return after_cue and len(t) >= 8

    # ------------------------------------------------------------ mentions

    @staticmethod
    def _clause_start(f: str, pos: int, qclose: dict[int, _QuoteSpan],
                      noun_before: Callable[[str], bool] | None = None) -> int:
        """Where the clause before pos starts, at most _MENTION_WINDOW back: after the nearest
        clause stop, quote mark or run of two spaces (one regex search of the window reversed,
        not a Python step per character); a term in quotes belongs to the mention."""
        low = max(0, pos - _MENTION_WINDOW)
        end = pos
        while end > low:
            m = _CLAUSE_BACK.search(f[low:end][::-1])
            if m is None:
                return low
            i = end - 1 - m.start()
            if f[i] in CLOSERS:
                q = qclose.get(i)
                if q is not None and not q.speech and q.open >= low:
                    end = q.open  # a term in quotes belongs to the mention (“十五五”规划建议)
                    continue
            elif f[i] in NOTE_OPEN and 0 <= f.find(NOTE_CLOSE[NOTE_OPEN.index(f[i])], i, min(pos, i + NOTE_MAX)):
                end = i  # 夏宝龙星期一（26日）出席…时说: a note closed before the cue does not start the clause
                continue
            elif f[i] in "，：,:" and noun_before is not None and not (f[i] in ",:" and f[i - 1:i].isdigit()):
                k = max(f.rfind("（", low, i), f.rfind("(", low, i))
                if (k > low and max(f.rfind("）", k, i), f.rfind(")", k, i)) < 0
                        and 0 <= max(f.find("）", i, pos), f.find(")", i, pos))):
                    # 美国稀土公司（USA Rare Earth Inc.，NASDAQ：USAR）宣布: a note's comma, when a
                    # name is noted (not 自然没有女教师（图：壹图网）: a caption's credit after a clause)
                    j = SpeakerFinder._clause_start(f, k, qclose)
                    if noun_before(f[j:k]):
                        end = k
                        continue
            return i + 1  # a run of spaces glues paragraphs (…邓华 摄  清华大学…董煜说)
        return low

    def _predicate(self, f: str, s: int, e: int) -> tuple[int, int]:
        """A mention that opens with an adverb or a conjunction (jieba's d, c) and goes on with a
        verb, a preposition, another adverb or a pronoun is what its subject did or will do, not
        a source (将于2025年1月底在联邦众议院, 或考虑未来上市, 就明确, 不具备, 还可以): no mention, so
        the rules look for the subject before it. An adverb before 有 goes, the rest is the
        source (曾有业内人士, 甚至有外国网友); a relative clause (未具名的台湾军政人士) is no predicate."""
        if e - s < 2:
            return s, e
        lexicon = _lexicon()
        one, two = lexicon.get(f[s]), lexicon.get(f[s:s + 2])
        if not (one is not None and one[1][:1] in "dc" or two is not None and two[1][:1] in "dc"):
            return s, e  # no adverb or conjunction opens it (most mentions): no tagging
        if not any((w := lexicon.get(f[k:k + n])) is not None and (w[1][:1] in "vpd" and w[1] != "vn"
                                                                  or f[k:k + n] in self.lex.existentials)
                   for k in (s + 1, s + 2) for n in (1, 2)):
            return s, e  # no verb, preposition or adverb of the dictionary can follow it: no tagging
        if "的" in f[s:e]:
            return s, e
        words = self.tagger.tagged(f[s:e])
        if len(words) < 2 or words[0][1] not in ("d", "c", "ad"):
            return s, e  # (最新 of 最新数据显示: an adverb alone is left to the rules as it was)
        nxt, tag = words[1]
        if nxt in self.lex.existentials:
            k = s + len(words[0][0]) + 1
            rest = f[k:e]
            if len(rest) >= 2 and (rest.endswith(self.lex.anonymous) or self.lex.titles_re.search(rest)):
                return k, e  # 曾有业内人士, 甚至有外国网友 (not 又有电话, 曾有传闻: no one)
            return s, e
        if tag != "vn" and tag[:1] in ("v", "p", "d") or tag == "ad":
            return e, e
        return s, e

    def _pronoun_addressee(self, f: str, s: int, e: int) -> int:
        """A personal pronoun, at most an adverb or a time word, then 跟, 对, 向 or 给 that jieba cuts as
        a preposition: the rest is whom the pronoun spoke to (我们经常跟投资人, 我跟投资人, 他之前对记者)."""
        words = self.tagger.tagged(f[s:e])
        if not words or words[0][1][:1] != "r":
            return e
        for w, tag in words[1:3]:
            if tag[:1] == "p" and w in self.lex.person_addressee_openers:
                return s + len(words[0][0])  # the pronoun alone: the adverb between is how it spoke
            if tag[:1] not in ("d", "t", "f"):
                return e
        return e

    def _act_then_time(self, f: str, s: int, e: int) -> int:
        """A mention ending in when (时, 之际, 期间) whose setting has no opener of [[settings]]: it
        opens at the first verb or preposition jieba reads after a word a source is made of (伊朗总统
        佩泽希齐扬与地区国家领导人通电话时 -> 伊朗总统佩泽希齐扬, 日本防卫大臣本月访问美国时 -> 日本防卫大臣本月);
        e when there is none or it is not two characters in."""
        at, named = s, False
        words = self.tagger.tagged(f[s:e])
        for i, (w, tag) in enumerate(words):
            if named and at - s >= 2 and (tag[:1] == "p" or tag[:1] == "v" and tag != "vn"):
                nxt = words[i + 1][0] if i + 1 < len(words) else ""
                if not self.lex.titles_re.fullmatch(nxt):  # (日本防卫大臣: 防卫 is the title's)
                    return at
            named = named or tag[:1] in _SOURCE_WORDS
            at += len(w)
        return e

    def _no_verb(self, text: str) -> bool:
        """Whether jieba's cut of text reads as a name, not a clause: it ends in a noun, a name or
        a word of Latin letters, and no verb follows its first word (a brand may read as one:
        安踏体育用品有限公司, not 自然没有女教师)."""
        text = text.strip(" \u3000")
        words = self.tagger.tagged(text) if text else ()
        return (bool(words) and words[-1][1][:1] in ("n", "j", "x", "e")
                and not any(t[:1] == "v" for _, t in words[1:]))

    def _setting_cut(self, f: str, s: int, e: int) -> int:
        """Where a preposition of [[setting_openers]] that jieba cuts as a word of its own (tag p)
        opens the setting inside f[s:e] (官方在新闻稿结尾, 雷耶斯以人工智能举例), two characters or more
        on each side, the mention's new end; e when there is none, the mention ends in a title, or
        what precedes the preposition is no source (多家在华外国商会: a numeral and measure word)."""
        lex = self.lex
        if e - s < 4 or lex.setting_chars.isdisjoint(f[s + 1:e - 2]):
            return e
        text = f[s:e]
        at = s
        prev = None
        named = False  # a word a source is made of came before
        for w, tag in self.tagger.tagged(text):
            if tag[:1] == "p":  # the first preposition decides (郭明錤基于多年对…: 基于 opens no setting)
                if (w not in lex.setting_openers or e - at - len(w) < 2
                        or at - s < 2 and f[s:at] not in self.mentions.pronouns  # 他以程序员行业为例
                        or not named or prev[:1] in _NO_SOURCE_END  # 多家在华, 这不是对: no source before
                        or f.count("《", s, at) > f.count("》", s, at)):  # inside a document's title
                    return e
                k = text.rfind(self.mentions.relative_marks[0]) if self.mentions.relative_marks else -1
                if k > at - s and self._source_head(text[k + 1:]):
                    return e  # 曾长期在美联储任职的耶鲁大学管理学院教授威廉·英格利希: a clause before the source
                titles = self.mentions.titles_in(text)  # the page's memo: the mention is read with it later
                if titles and titles[-1].end() == len(text):
                    return e  # 在华外资企业代表: the mention ends in its source's title
                return at
            prev = tag
            named = named or tag[:1] in _SOURCE_WORDS
            at += len(w)
        return e

    def _source_head(self, t: str) -> bool:
        """Whether t (what follows the last 的 of a mention) is itself a source: ends in a title
        or a title and a name, an anonymous source or a body's suffix."""
        lex = self.lex
        return bool(t) and (t.endswith(lex.anonymous) or lex.titles_re.search(t) is not None
                            or t.endswith(lex.org_suffixes) and not t.endswith(self.mentions.place_suffixes))

    def _adverb_tail(self, f: str, s: int, e: int) -> int:
        """The length of the adverb or time word that ends f[s:e], else 0: the longest dictionary
        word of 2-4 characters ending there, when its tag is one of [[adverb_tags]], jieba's cut
        of the mention's end ends with it, two characters or more stay before it, and it is no
        part of a date or a name: not after a digit or numeral (7月底, 2025 年底), not opening with
        one (费利佩六世), not the given name of a surname before it (局长张立新), not cut out of a
        word across its start (不完全: 不完); such a word of the same tags goes with it (此前/一天 in
        发言人此前一天)."""
        tags = self.lex.adverb_tags
        if f[e - 1:e] not in _word_ends(tags):
            return 0  # no dictionary word so tagged ends with this character (most mentions)
        lexicon = _lexicon()
        for n in (4, 3, 2):
            if e - s < n + 2 and not (e - s == n + 1 and f[s] in self.mentions.pronouns):
                continue  # two characters stay, or a pronoun (他后来)
            known = lexicon.get(f[e - n:e])
            if known is None or not known[0]:
                continue
            w = e - n  # the longest word ending at e decides: 不完全 is no adverb for its 完全
            if known[1] not in tags or f[w].isnumeric() or f[:w].rstrip(" \u3000")[-1:].isnumeric():
                return 0
            if name_model().is_name(f[w - 1:e]) or name_model().is_name(f[w - 2:e]):
                return 0
            words = self.tagger.tagged(f[max(s, w - 6):e])
            if not words or words[-1][0] != f[w:e]:
                return 0
            if len(words) > 1 and len(words[-2][0]) == 1 and words[-2][1] in tags and w - 1 - s >= 2:
                return n + 1  # 不完全, 还特别: a one-character adverb before it goes too
            glued = lexicon.get(f[w - 1:w + 1])
            if glued is None or not glued[0]:
                return n
            # a word across its start: of the same tags and split off by the cut (此/前一天), it goes
            # too; where the cut keeps the character before in a word (官方/今日, 十三大/正式) the
            # word across (方今, 大正) is no reading; else the word is cut out of another
            if len(words) > 1 and len(words[-2][0]) > 1:
                return n
            return n + 1 if glued[1] in tags and w - 1 - s >= 2 else 0
        return 0

    def _word_tail(self, f: str, s: int, lo: int) -> bool:
        """Whether the one-character cue at s ends a two-character dictionary word whose tag is
        one of [[word_tails]] (来说 u, 著称 a), and jieba cuts the text before it so (对于小学生来说:
        小学生/来说; not 他后来说: 后来/说)."""
        known = _lexicon().get(f[s - 1:s + 1]) if s > lo else None
        if known is None or known[1][:1] not in self.lex.word_tail_tags:
            return False
        words = self.tagger.tagged(f[max(lo, s - 6):s + 1])
        return bool(words) and words[-1][0] == f[s - 1:s + 1]

    def _strip_mention(self, f: str, s: int, e: int) -> tuple[int, int]:
        """Drop adverbs, settings (在…会上, 接受…采访时) and leading noise around a mention."""
        lex = self.lex
        for _ in range(4):
            before = (s, e)
            while s < e and (f[s] in " \u3000\t#·*>-—" or not f[s].strip() or _symbol(f[s])):
                s += 1  # ▼联合国儿童基金会…: a caption's mark (a symbol, Unicode So) opens no name
            while e > s and not f[e - 1].strip():
                e -= 1
            if s < e and f[s] in NOTE_OPEN:
                # （记者刘志强）国家统计局, （路透社）中国异见艺术家艾未未: a credit or a caption's
                # source note opens the mention; the source follows it
                k = f.find(NOTE_CLOSE[NOTE_OPEN.index(f[s])], s, min(e, s + NOTE_MAX))
                if k > 0 and e - k > 2:
                    s = k + 1
            else:
                # 新浪科技）谷歌发言人: a note whose opening bracket is before the mention's start
                k = max(f.rfind("）", s, e), f.rfind(")", s, e))
                if k >= s and f.count("（", s, k) + f.count("(", s, k) == 0:
                    if e - k > 2:
                        s = k + 1
                        first = _lexicon().get(f[s:s + 2]) or _lexicon().get(f[s])
                        if first is not None and first[1][:1] == "v" and first[1] != "vn":
                            return e, e  # （26日）出席…时说: the note's end, then what the subject did
                    elif k == e - 1:
                        return e, e  # （…6日）说: the mention is the end of a note, no source
            text = f[s:e]
            for w in lex.according if text.startswith(lex.according) else ():
                if text.startswith(w) and len(text) - len(w) >= 2:
                    s += len(w)  # 据机场方面证实: according to the source
                    text = f[s:e]
                    break
            # each tuple test (one C call) spares the word-by-word loop most mentions
            for a in lex.adverbs if text.endswith(lex.adverb_tuple) else ():
                if text.endswith(a) and len(text) > len(a):
                    e -= len(a)
                    break
            text = f[s:e]
            for a in lex.adverbs if text.startswith(lex.adverb_tuple) else ():
                if text.startswith(a) and len(text) > len(a) + 1 and len(a) > 1:
                    s += len(a)
                    break
            text = f[s:e]
            for suf in lex.source_suffixes if text.endswith(lex.source_suffix_tuple) else ():
                if text.endswith(suf) and len(text) > len(suf) + 1:
                    e -= len(suf)
                    text = f[s:e]
                    break
            if text.endswith(("）", ")")):
                k = max(text.rfind("（"), text.rfind("("))
                if k >= 1 and (any(ch.isdigit() for ch in text[k:]) or any(ch in "，：:；" for ch in text[k:])):
                    # 今天（3月15日）, 美国稀土公司（USA Rare Earth Inc.，NASDAQ：USAR）: a note; not （IDC）
                    e = s + k
                    text = f[s:e]
            for entry, closers in lex.setting_closers:
                if not text.endswith(closers):
                    continue
                cut = -1
                for opener in entry.forms:
                    k = text.find(opener, 1)
                    if k >= 1 and (cut < 0 or k < cut):
                        cut = k
                if cut >= 1:
                    e = s + cut
                    break
            else:  # no setting (在财报电话会上 ends in the time word 会上): jieba's adverbs and times
                if text.endswith(lex.when_closers) and not text.endswith(self.mentions.times):
                    e = self._act_then_time(f, s, e)  # 佩泽希齐扬与地区国家领导人通电话时 (not 今日早些时候)
                e = self._setting_cut(f, s, e)  # 官方在新闻稿结尾, 巴克莱对能源资产的态度
                e -= self._adverb_tail(f, s, e)  # 习近平主席深刻, 马化腾后来
            s, e = self.mentions.trim(f, s, e)  # 乌克兰方面14日, 而…, …向界面新闻
            if e - s >= 4 and f.startswith(self.lex.personal_pronouns, s) and any(
                    c in f[s:e] for c in self.lex.person_addressee_openers):
                e = self._pronoun_addressee(f, s, e)  # 我们经常跟投资人(说): 我们
            if (s, e) == before:
                break
        if e > s and (self.mentions.date_re.fullmatch(f, s, e) and _DIGIT.search(f, s, e) is not None
                      or f[s:e] in self.mentions.times):  # (九号 is a company)
            return e, e  # 2024年, 1月: a time alone names no source
        if e > s and f[s] in NOTE_OPEN and f[e - 1] in NOTE_CLOSE and f.count(f[s], s, e) == 1:
            return e, e  # （29日）说: a note alone names no source
        if e > s and f.endswith(lex.opener_forms, s, e):
            # ▲ 荣耀 MagicPad 3 Pro据介绍: a frame's opener glued to a caption; the frame names no
            # source (not 数据, 证据: a dictionary word ending there that is no preposition)
            word = _lexicon().get(f[e - 2:e])
            if word is None or not word[0] or word[1][:1] == "p":
                return e, e
        return s, e

    def _name_after_title(self, text: str, whole: bool = False) -> str | None:
        """The name that follows a title: one jieba word, or a surname and a given name; when
        ``whole`` (text ends the mention), also five to eight characters jieba reads as no word
        of its dictionary of two characters or more but a name's or an unknown one (青山学院大学名誉
        教授羽场久美子, 总统别尔德穆哈梅多夫, 顾问波多利亚克)."""
        text = text.lstrip(" \u3000")  # 苹果 CEO 库克: a space after a Latin title
        g = _GLOSS.search(text)
        if g is not None and g.start() >= 2:
            text = text[:g.start()].rstrip(" \u3000")  # 塞缪尔森（Håkan Samuelsson）: the name as spelt
        rest = text[:8]
        if not rest or not _is_han(rest[0]):
            return None
        if self.mentions.joined_sources(text):
            return None  # 业内专家和家长: sources joined, not the person 和家长
        dotted = self.mentions.dotted_name(text[:24], self.tagger.tagged)
        if dotted is not None:
            return dotted  # 总经理沃特尔·查纳卡推动了…: the whole dotted name
        if _lexicon().get(text[0], (0, ""))[1][:1] == "u":
            return None  # 微软 CEO 的商业: a name never opens with a particle
        if len(text) <= 4 and all(_is_han(c) for c in text):
            words = self.tagger.tagged(text)
            known = _lexicon().get(text) if len(words) == 1 else None
            unknown = words[0][1] == "x" and _lexicon().get(text[0], (0, "nr"))[1][:1] not in ("v", "q")
            if len(words) == 1 and not words[0][1].startswith("nr") and not unknown and (
                    len(text) >= 3 or words[0][1][:1] == "v" or known is not None and known[0] >= _COMMON_WORD):
                return None  # 习近平总书记创造性提出, 机器人创业公司 CEO 评价说: a word, not a name
            # (藤田高景: one word jieba does not know, x, is a name, unless it opens with a verb or a
            # measure word: 网友发梗图, 博士生王俊然 (生 is tagged vn))
            return text
        if whole and len(text) <= 8 and all(_is_han(c) for c in text) and not text.endswith(self.lex.anonymous):
            words = self.tagger.tagged(text)
            if all(len(w) == 1 or t[:2] == "nr" or t in ("x", "nz") for w, t in words):
                return text
        words = self.tagger.tagged(rest)
        if not words:
            return None
        first, flag = words[0]
        if len(first) == 1 and flag.startswith("nr") and len(words) > 1 and len(words[1][0]) <= 2:
            first, flag = first + words[1][0], "nr"  # 王 + 宇航, 徐 + 某某
        if (flag.startswith("nr") and (2 <= len(first) <= 4 or flag == "nrt" and len(first) <= 6)
                and all(_is_han(c) for c in first)):
            return first  # 总理内塔尼亚胡: jieba's transliterated names run to six characters
        return None

    # ------------------------------------------------------------ main

    def find(self, raw: str, f: str, article: tuple[int, int] | None = None,
             decisions: list[QuoteDecision] | None = None):
        """The quotes and speakers of one article: cues go through the cue rules (_CUE_RULES),
        Q&A labels through the label rules, quotes no cue took through the cue-less rules of
        _resolve (_CUELESS_RULES). ``decisions``, when given, receives every candidate (a cue, a
        label, a quote-mark span no cue took) with the rules that fired and those that declined."""
        self.mentions.memo = self.tagger.page_memo("read")  # mention readings, forgotten with the page
        self.mentions.titles_memo = self.tagger.page_memo("titles")
        self._spans.clear()
        a = self._article(raw, f, article or (0, len(f)), decisions)
        labels = self._interview_labels(f, a.lo, a.hi, a.breaks)
        a.cue_stops.extend(p for p, _, _, _ in labels)  # a label opens a new attribution too
        a.cue_stops.sort()
        for cue in a.cues:
            self._run_cue_rules(a, cue)
        for i in range(len(labels)):
            self._label_rules(a, labels, i)
        self._adjacent(a)
        self._source_frame_rule(a)
        a.cands.sort(key=lambda c: c.content[0])
        lo, hi = a.lo, a.hi
        if decisions is not None:
            self._mark_decisions(a)
        # the persons the article introduces cost a tagger pass; only a pronoun's resolution reads them
        quotes_out, entities = self._resolve(a, lambda: self._name_sites(f, lo, hi))
        self._data_lines(raw, f, lo, hi, entities)
        if f != raw:
            quotes_out = self._as_written(raw, f, lo, hi, quotes_out, entities)
        span = self._span
        speakers = [_new_speaker({"id": en.id, "name": en.name, "titles": tuple(en.titles),
                                  "organisation": en.organisation,
                                  "mentions": tuple(span(raw, s, e) for s, e in sorted(set(en.mentions)))})
                    for en in entities]
        if decisions is not None:
            self._explain_quotes(a, quotes_out)
        return quotes_out, speakers

    def _article(self, raw: str, f: str, article: tuple[int, int], decisions) -> _Article:
        """The article's quote spans and cues, and which quotes are speech."""
        lo, hi = article
        lex = self.lex
        breaks, pairs, opens = self._structure(f)
        # the article's pairs, found by bisection in the page's (ordered by opening mark): a page
        # of many short articles must not filter every pair of the page once per article
        quotes = [_QuoteSpan(o, c, closed) for o, c, closed in
                  pairs[bisect.bisect_left(opens, lo):bisect.bisect_left(opens, hi)]]
        a = _Article(raw, f, lo, hi, breaks, quotes, decisions)
        qopen, blocked = a.qopen, a.blocked
        for m in lex.blocked_re.finditer(f, lo, hi):
            blocked[m.start() - lo:m.end() - lo] = b"\x01" * (m.end() - m.start())
        # which quotes sit right after a cue and its comma or colon
        for m in lex.cue_re.finditer(f, lo, hi):
            s, e = m.start(), m.end()
            if blocked.find(1, s - lo, e - lo) != -1:
                if decisions is not None:
                    decisions.append(QuoteDecision(s, e, raw[s:e], "cue", declined=[
                        "cue: blocked (a word of rules/cues.toml [[blocked]])"]))
                continue
            if e - s == 1 and self._word_tail(f, s, lo):
                if decisions is not None:
                    decisions.append(QuoteDecision(s, e, raw[s:e], "cue", declined=[
                        "cue: the tail of a dictionary word whose tag is no verb (rules/cues.toml [[word_tails]])"]))
                continue
            j = self._past_addressee(f, s, e, hi) if m.group() in lex.addressed_verbs else e  # 告诉新华社记者，
            while j < hi and f[j] in " \u3000":
                j += 1
            punct = j if j < hi and f[j] in "，：,:" else -1
            if punct < 0 and m.group() in lex.addressed_verbs:  # 告诉他们…: 告诉 with another object is no cue
                if decisions is not None:
                    decisions.append(QuoteDecision(s, e, raw[s:e], "cue", declined=[
                        "cue: an addressed verb whose object is no addressee before a comma"]))
                continue
            cue = _Cue(s, e, punct, f[s:e])
            a.cues.append(cue)
            if punct >= 0:
                k = punct + 1
                while k < hi and f[k] in " \u3000\n":
                    k += 1
                q = qopen.get(k)
                if q is not None:
                    q.after_cue = True
            elif e in qopen:
                qopen[e].after_cue = True
        for q in quotes:
            q.speech = self._speech_like(f[q.start:q.close], q.after_cue)
        # a pull-quote subhead repeats a quote the article gives again later: only the later one counts
        seen: dict[str, _QuoteSpan] = {}
        for q in reversed(quotes):
            key = f[q.start:q.close].strip().rstrip("。！？!?…")
            if q.speech and len(key) >= 10:
                if key in seen:
                    q.speech = False
                    a.repeated.add(q.open)
                seen[key] = q
        a.speech = [q for q in quotes if q.speech]
        a.speech_opens = [q.open for q in a.speech]
        a.closes = sorted(q.close for q in a.speech if q.closed)
        # starts of clauses that open a new attribution: reported speech stops before them
        cue_stops = a.cue_stops
        for cue in a.cues:
            s, e = cue.s, cue.e
            if cue.punct >= 0 or (cue.word in lex.bare_verbs and e < hi and _is_han(f[e])):
                cs = self._cue_clause(a, cue)
                if cue.punct >= 0 or cs < s:
                    cue_stops.append(cs)
                    if cue.punct >= 0:
                        a.stop_cue[cs] = s
            elif not _SENT_END.isdisjoint(f[max(lo, s - 7):s]):
                cs = self._cue_clause(a, cue)
                if 0 < s - cs <= 6 and f[cs - 1] in _SENT_END:
                    cue_stops.append(cs)  # 广东也明确加快…: a new source opens the sentence
        return a

    def _cue_clause(self, a: _Article, cue: _Cue) -> int:
        """Where the clause of a cue starts, worked out once per cue."""
        if cue.cs < 0:
            cue.cs = self._clause_start(a.f, cue.s, a.qclose, self._no_verb)
        return cue.cs

    def _extend(self, a: _Article, start: int, inside: bool = False) -> int:
        """Reported speech runs sentence by sentence to the paragraph end or a new source (with
        ``inside``, also a new source inside its first sentence)."""
        f, qopen = a.f, a.qopen
        pend = a.para_end(start)
        end = sentence_end(f, start, pend)
        cue_stops, speech_opens = a.cue_stops, a.speech_opens
        c = bisect.bisect_right(cue_stops, start) if inside and a.stop_cue else len(cue_stops)
        if (c < len(cue_stops) and start + _MIN_FIRST_CLAUSE < cue_stops[c] < end
                and self._opens_source(f, cue_stops[c], a.stop_cue)):
            return cue_stops[c]  # …增长9.5%，任振鹤表示，…: a new source in the sentence ends the report
        while end < pend:
            k = end
            while k < pend and not f[k].strip():
                k += 1
            if k >= pend or (k in qopen and qopen[k].speech) or f.startswith(self.lex.content_breaks, k):
                break
            nxt = sentence_end(f, k, pend)
            if self._closing_note(f, k, nxt, pend):
                break
            c = bisect.bisect_left(cue_stops, end)
            if c < len(cue_stops) and cue_stops[c] < nxt:
                break
            c = bisect.bisect_left(speech_opens, k)
            if c < len(speech_opens) and speech_opens[c] < nxt:
                break  # someone's direct speech opens in that sentence (…倍感欣慰：“…”)
            if nxt - start > _MAX_REPORT:
                break
            end = nxt
        return end

    @staticmethod
    def _closing_note(f: str, k: int, nxt: int, pend: int) -> bool:
        """A short bracketed sentence that closes the paragraph (…不予采纳。（封面新闻）, a source
        note or credit a brief ends with) is the page's, not the speaker's."""
        if f[k] not in NOTE_OPEN or f[nxt - 1] not in NOTE_CLOSE or nxt - k > NOTE_MAX:
            return False
        return not f[nxt:pend].strip()

    # ------------------------------------------------------------ cue rules

    def _run_cue_rules(self, a: _Article, cue: _Cue) -> None:
        """One cue through the gates, then through _CUE_RULES in order: the first rule that makes a
        quote or stops ends the table (quote-first, which takes the quote before the cue, lets the
        table go on)."""
        d = None
        if a.decisions is not None:
            d = QuoteDecision(cue.s, cue.e, a.raw[cue.s:cue.e], "cue")
            a.decisions.append(d)
        why = self._cue_gates(a, cue)
        if why is not None:
            if d is not None:
                d.declined.append(why)
            return
        for name, rule, goes_on in _CUE_RULES:
            got = rule(self, a, cue)
            if type(got) is _Cand:
                a.cands.append(got)
                if d is not None:
                    d.fired.append(got.rule)
                    a.made_by.append((got, d))
                if not goes_on:
                    return
                continue
            if d is not None:
                d.declined.append(f"{cue.prefix if name != 'quote-first' else ''}{name}: {got}")
            if type(got) is _Stop:
                return

    def _cue_gates(self, a: _Article, cue: _Cue) -> str | None:
        """A cue that can attribute nothing, declined before the rules (None: it goes on); fills the
        cue's clause start, frame, rule prefix, entry and speaker mention."""
        lex, f = self.lex, a.f
        s, e, word = cue.s, cue.e, cue.word
        if cue.punct < 0 and e not in a.qopen and word not in lex.bare_verbs and word not in lex.nocomma_verbs:
            k = bisect.bisect_left(a.closes, s - _MENTION_WINDOW)
            if k >= len(a.closes) or a.closes[k] >= s:
                return "cue: no comma, colon or quote next to it"
        cs = self._cue_clause(a, cue)
        if word in lex.verb_set and f[cs:s].strip() in lex.according:
            return "cue: a word of [[according]] alone before it names no source"
        frame = self._frame(f, cs, s, word)
        if frame is None and word not in lex.verb_set:
            return "frame: the closer has no opener before it (rules/cues.toml [[frames]])"
        if a.inside_speech(s) is not None:
            return "cue: inside a quote"
        if frame is not None:
            ms, me = self._strip_mention(f, *frame) if frame[0] < frame[1] else frame
            if ms >= me:
                return "frame: names no source between its opener and closer"
            cue.prefix = "frame-"
            cue.entry = next(e.id for e in lex.frames if word in e.closers)
        else:
            ms, me = self._strip_mention(f, cs, s)
            if ms < me:
                ms, me = self._predicate(f, ms, me)
                cue.predicate = ms >= me
            cue.entry = lex.entry_of[word]
        cue.mention = (ms, me) if ms < me else None
        cue.subject_before = a.last_subject
        if cue.mention is not None:
            a.last_subject = ((s, e), cue.mention)
        return None

    def _cand(self, a: _Article, cue: _Cue, kind: str, content, mention, rule: str,
              quote: _QuoteSpan | None = None) -> _Cand:
        c = _Cand(kind, content, (cue.s, cue.e), mention, rule + ":" + cue.entry, entry=cue.entry)
        if quote is not None:
            a.attributed[quote.open] = c
        return c

    def _rule_quote_first(self, a: _Article, cue: _Cue):
        """“…”胡衡华代表说，… : the quote right before the cue's clause belongs to its speaker."""
        prev_q = a.qclose.get(cue.cs - 1)
        if prev_q is None or not prev_q.speech:
            return "no quote of speech closes right before the cue's clause"
        if cue.mention is None:
            return "no source between the quote and the cue"
        if prev_q.open in a.attributed:
            return "the quote before it is attributed already"
        return self._cand(a, cue, "direct", (prev_q.start, prev_q.close), cue.mention, "quote-first", prev_q)

    def _rule_quote(self, a: _Article, cue: _Cue):
        """X说“…”: a quote opening right at the cue, no comma between."""
        if cue.punct >= 0:
            return "a comma or colon follows the cue"
        q = a.qopen.get(cue.e)
        if q is None or not q.speech:
            return "no quote of speech opens right after the cue"
        mention = cue.mention
        if mention is None and cue.predicate:  # 他称…，并笑称「…」: the subject before the predicate
            mention = self._zero_subject(a.f, cue.cs, a.cands) or self._sentence_subject(a.f, cue.cs, a.lo)
        if mention is None:
            return "no source before the cue"
        if q.open in a.attributed:
            return "the quote after it is attributed already"
        return self._cand(a, cue, "direct", (q.start, q.close), mention, cue.prefix + "quote", q)

    def _rule_nocomma(self, a: _Article, cue: _Cue):
        """特朗普上周说要…: 说, 表示, 认为, 称 open indirect speech with no comma after a sure source."""
        lex, f, s, e = self.lex, a.f, cue.s, cue.e
        if cue.punct >= 0:
            return "a comma or colon follows the cue"
        if cue.word not in lex.nocomma_verbs:
            return "the verb takes no content without a comma"
        if cue.predicate:
            return "the clause before the cue is a predicate with no source"
        if cue.mention is None:
            return "no source before the cue"
        if not (e < a.hi and _is_han(f[e])) or a.blocked[e - a.lo]:
            return "no Chinese word follows the cue"
        if f.startswith(lex.nocomma_stops, e) or f[s - 1:s] in lex.nocomma_stops:
            return "a no-comma stop (rules/cues.toml) is next to the cue"
        if not self._names_a_speaker(f[cue.mention[0]:cue.mention[1]]):
            return "the mention does not surely name a source"
        if self._in_recent_report(a, s):
            return _Stop("a report inside a report is its content")
        end = sentence_end(f, e, a.para_end(e))
        if end - e < 8:
            return _Stop("the report is shorter than 8 characters")
        return self._cand(a, cue, "indirect", (e, end), cue.mention, cue.prefix + "nocomma")

    def _rule_bare(self, a: _Article, cue: _Cue):
        """北京强调加快…, 《分类》规定…: a bare verb takes its content with no comma."""
        lex, f, s, e = self.lex, a.f, cue.s, cue.e
        if cue.punct >= 0:
            return "a comma or colon follows the cue"
        if cue.word not in lex.bare_verbs:
            return "the verb is not bare (rules/cues.toml bare = true)"
        if not (e < a.hi and _is_han(f[e])) or a.blocked[e - a.lo]:
            return "no Chinese word follows the cue"
        if f.startswith(lex.bare_relatives, e) and not any(
                0 <= f.find(r, e, min(a.hi, e + _RELATIVE_REPORT)) for r in lex.bare_relative_reports):
            return "a relative clause: the verb describes the noun after it (rules/cues.toml [[bare_relatives]])"
        if f[max(a.lo, s - 2):s].endswith(lex.bare_negators):
            return "negated: what the source did not say (rules/cues.toml [[bare_negators]])"
        if cue.predicate:
            return _Stop("the clause before the cue is a predicate with no source")
        mention = cue.mention
        if (mention is not None and f[mention[0]:mention[1]] in lex.pronouns
                and self._in_recent_report(a, s)):
            return _Stop("the same speaker's report goes on")
        if mention is None:
            mention = (self._clause_subject(f, s, cue.subject_before)  # 习近平总书记创造性提出…，明确指出
                       or self._sentence_subject(f, cue.cs, a.lo, places=True))  # 广东着眼…，提出要…
        if mention is None:
            return _Stop("no subject in the clause or sentence")
        end = self._extend(a, e)
        first = sentence_end(f, e, a.para_end(e))
        nxt = lex.cue_re.search(f, e, first)
        if nxt is not None and nxt.group() in lex.bare_verbs:
            return _Stop("an object, then another cue")
        if end - e < 8:
            return _Stop("the report is shorter than 8 characters")
        return self._cand(a, cue, "indirect", (e, end), mention, cue.prefix + "bare")

    def _colon_mention(self, a: _Article, cue: _Cue):
        """The source of a cue before a comma or colon: the mention, else the sentence's subject
        (他走向农机尾部，指着新设备介绍，), else the previous report's speaker (同时强调，…)."""
        if cue.colon_mention is not None:
            return cue.colon_mention
        f, mention = a.f, cue.mention
        # the reading first (艾尔肯·吐尼亚孜 is a name): a mention it types is never classified
        # (_resolve reads it the same way), and a classification costs a tagging
        if (mention is not None and mention[1] - mention[0] <= 8
                and self.mentions.read(f[mention[0]:mention[1]]) is None
                and self._classify(f[mention[0]:mention[1]])[0] == "invalid"):
            mention = self._sentence_subject(f, cue.cs, a.lo)
            if mention is None:
                cue.colon_mention = _Stop("the mention is no source and no person opens the sentence")
                return cue.colon_mention
        if mention is None:
            mention = self._zero_subject(f, cue.cs, a.cands) or self._sentence_subject(f, cue.cs, a.lo)
            if mention is None:
                cue.colon_mention = _Stop("no source before the cue, in the sentence or in the report before")
                return cue.colon_mention
        cue.colon_mention = mention
        return mention

    def _after_punct(self, a: _Article, cue: _Cue) -> int:
        k = cue.punct + 1
        while k < a.hi and a.f[k] in " \u3000\n":
            k += 1
        return k

    def _rule_colon_quote(self, a: _Article, cue: _Cue):
        """X说：“…”: a quote of speech opens after the cue's comma or colon."""
        if cue.punct < 0:
            return "no comma or colon follows the cue"
        mention = self._colon_mention(a, cue)
        if type(mention) is _Stop:
            return mention
        q = a.qopen.get(self._after_punct(a, cue))
        if q is None or not q.speech:
            return "no quote of speech opens after the comma or colon"
        if q.open in a.attributed:
            return _Stop("the quote after it is attributed already")
        return self._cand(a, cue, "direct", (q.start, q.close), mention, cue.prefix + "colon-quote", q)

    def _rule_indirect(self, a: _Article, cue: _Cue):
        """X表示，…: reported speech after the comma, sentence by sentence to a new source."""
        if cue.punct < 0:
            return "no comma or colon follows the cue"
        mention = self._colon_mention(a, cue)
        if type(mention) is _Stop:
            return mention
        k = self._after_punct(a, cue)
        if k >= a.hi or a.f[k] in "。\n":
            return _Stop("nothing follows the comma or colon")
        end = self._extend(a, k, cue.prefix == "cue-")  # a frame's content (据X报道，…) may hold its own source
        if end - k < 2:
            return _Stop("the report is shorter than 2 characters")
        return self._cand(a, cue, "indirect", (k, end), mention, cue.prefix + "indirect")

    @staticmethod
    def _in_recent_report(a: _Article, s: int) -> bool:
        return any(c.kind == "indirect" and c.content[0] <= s < c.content[1] for c in a.cands[-3:])

    # ------------------------------------------------------------ label and quote rules

    def _label_rules(self, a: _Article, labels, i: int) -> None:
        """杨秀玲：… (interview-label): a named label's answer; the paragraphs after an answer to a
        question, up to the next label or question, are the answerer's too (interview-turn)."""
        f, lo, hi, lex = a.f, a.lo, a.hi, self.lex
        p, colon, name, named = labels[i]
        d = None
        if a.decisions is not None:
            d = QuoteDecision(p, colon, a.raw[p:colon], "label")
            a.decisions.append(d)
        if not named:
            if d is not None:
                d.declined.append("interview-label: a label of dictionary words names "
                                  "no speaker; it only ends the turn before it")
            return
        end = self._glued_label(f, colon + 1, self._extend(a, colon + 1), labels)
        if end - colon <= 2:
            if d is not None:
                d.declined.append("interview-label: no answer after the label")
            return
        made = [_Cand("indirect", (colon + 1, end), None, (p, colon), "interview-label", name_hint=name)]
        # the answer goes on paragraph by paragraph up to the next label or question; a
        # label line that is a headline (马斯克：人类需尽快「多星球化」) opens no answer
        stop = labels[i + 1][0] if i + 1 < len(labels) else hi
        k = a.para_end(end)
        first = f[colon + 1:k].rstrip()
        q = p
        while q > lo and not f[q - 1].strip():
            q -= 1
        if (first[-1:] not in _SENT_END and not first.endswith(("。”", "！”"))
                or q > lo and f[q - 1] not in "？?"):
            k = stop  # only an answer to a question (…？ then 潘励驰：) goes on
            if d is not None:
                d.declined.append("interview-turn: the label answers no question, or its line is a headline")
        while k < stop:
            while k < stop and not f[k].strip():
                k += 1
            pe = a.para_end(k)
            if k >= stop or pe <= k or pe > stop:
                break
            para = f[k:pe].rstrip()
            if (para[-1:] not in _SENT_END and not para.endswith(("。”", "！”"))
                    or para.endswith(("？", "?")) or f.startswith(lex.label_tuple, k)
                    or f.find("：", k, min(k + 8, pe)) != -1):
                break  # a subhead, a question, 问： or a caption ends the answer
            e1 = self._extend(a, k)
            e2 = self._glued_label(f, k, e1, labels)
            if e2 - k > 2:
                made.append(_Cand("indirect", (k, e2), None, (p, colon), "interview-turn", name_hint=name))
            if e2 < e1:
                break  # the next label glued inside the paragraph
            k = pe
        a.cands += made
        if d is not None:
            if len(made) == 1 and not d.declined:
                d.declined.append("interview-turn: no paragraph of the answer follows (the next is the next "
                                  "label, a subhead, a question or a caption)")
            for c in made:
                d.fired.append(c.rule)
                a.made_by.append((c, d))

    def _glued_label(self, f: str, s: int, e: int, labels) -> int:
        """Where an answer's text f[s:e] meets the next label of the same interview glued on with
        no paragraph break (…越简单晚点：听起来…, …船票对大厂来说意义重大。Q：…, 问：): the labels the
        article uses at line starts and [[interview_labels]] questions; e when there is none."""
        if f.find("：", s, e) == -1:
            return e  # most answers hold no colon: no search
        cut = e
        for form in {name + "：" for _, _, name, _ in labels}:  # the article's own labels, anywhere
            k = f.find(form, s + 2, cut)
            if k != -1:
                cut = k
        for form in self.lex.label_tuple + ("Q：", "Q:"):  # a question or credit after a sentence's end
            k = f.find(form, s + 2, cut)
            while k != -1 and f[k - 1] not in _SENT_END and f[k - 1] not in "”」）)\n":
                k = f.find(form, k + 1, cut)  # (具身数据有两种来源：一是…: no label)
            if k != -1:
                cut = k
        while cut > s and f[cut - 1] in " \u3000":
            cut -= 1
        return cut

    def _adjacent(self, a: _Article) -> None:
        """Adjacent quotes “…”“…” share one attribution (rule adjacent)."""
        speech, attributed = a.speech, a.attributed
        for x, y in zip(speech, speech[1:]):
            if x.closed and y.open == x.close + 1:
                cx, cy = attributed.get(x.open), attributed.get(y.open)
                if cx and not cy:
                    c = _Cand("direct", (y.start, y.close), cx.cue, cx.mention, "adjacent", entry=cx.entry)
                    attributed[y.open] = c
                    a.cands.append(c)
                elif cy and not cx:
                    c = _Cand("direct", (x.start, x.close), cy.cue, cy.mention, "adjacent", entry=cy.entry)
                    attributed[x.open] = c
                    a.cands.append(c)

    def _mark_decisions(self, a: _Article) -> None:
        """A decision for each quote-mark span no cue rule took, made before identities are resolved:
        not speech, a quoted phrase inside a report, adjacent to an attributed quote (its rule fired),
        or left to the cue-less rules, which record in it what they do (a.marks)."""
        f, raw = a.f, a.raw
        reports = [c.content for c in a.cands if c.kind == "indirect"]
        for q in a.quotes:
            c = a.attributed.get(q.open)
            if c is not None and c.rule != "adjacent":
                continue  # its cue's decision shows it
            d = QuoteDecision(q.open, min(q.close + 1, len(f)), raw[q.open:min(q.close + 1, len(f))], "marks")
            a.decisions.append(d)
            if not q.speech:
                d.declined.append("speech: a pull-quote the article gives again later" if q.open in a.repeated
                                  else "speech: a term or scare quote (short, no sentence end, no cue before)")
            elif c is not None:
                d.fired.append(c.rule)
                a.made_by.append((c, d))
            elif any(s <= q.open < e for s, e in reports):
                d.declined.append("cue-less: a quoted phrase inside a report, part of a mixed quote")
            else:
                d.declined.append("adjacent: no attributed quote right next to it")
                a.marks[q.open] = d

    def _explain_quotes(self, a: _Article, quotes: list[Quote]) -> None:
        """The quotes each fired rule made (as written on the page); a rule whose mention resolved to
        no source declined."""
        made = {(q.content.start, q.content.end, q.rule): q for q in quotes}
        for c, d in a.made_by:
            q = made.get((*c.content, c.rule))
            if q is not None:
                d.quotes.append(q)
            else:
                d.fired.remove(c.rule)
                d.declined.append(f"{c.rule}: the mention resolves to no source (a reporter, no subject, "
                                  "a clause)")

    # ------------------------------------------------------------ helpers

    def _source_frames(self, f: str, lo: int, hi: int, extend) -> list[_Cand]:
        """根据X，… / 根据X的数据，… at a sentence start with no speech verb in the clause: X reports the
        rest of the sentence when X reads as a source (an outlet, a document, a named body)."""
        out: list[_Cand] = []
        if not self.lex.source_frames:
            return out
        for s, k in _at_sentence_start(self.lex.source_frame_re, f, lo, hi):
            stop = _FRAME_CLAUSE_END.search(f, k, min(hi, k + 61))
            comma = stop.start() if stop is not None else hi
            if comma >= hi or f[comma] != "，" or self.lex.cue_re.search(f, k, comma):
                continue  # 根据X报告显示， is the frame 据X显示
            e = comma
            d = f.rfind("的", k, e)
            if d > k and e - d <= 4:
                e = d  # 根据X的数据, 根据X的资料: the source is X
            x = f[k:e]
            for act in self.mentions.issue_acts if x.endswith(self.mentions.issue_acts) else ():
                if x.endswith(act) and len(x) - len(act) >= 2:
                    e -= len(act)  # 财政部网站当天发布(的数据)
                    break
            ms, me = self._strip_mention(f, k, e)
            if me - ms < 2:
                continue
            text = f[ms:me]
            read = self.mentions.read(text)
            kind = self._classify(text)[0] if read is None else read.type
            ok = read is not None and read.type in ("outlet", "document", "org") or (
                kind == "org" and len(text) >= 3 and text.endswith(self.mentions.documents + self.lex.org_suffixes)
                and not any(p[:1] == "v" for _, p in self.tagger.tagged(text)))  # 根据…特点培育…村镇: a clause
            if not ok:
                continue
            start = comma + 1
            end = extend(start)
            if end - start >= 8:
                entry = self.lex.source_frame_ids[f[s:k]]
                out.append(_Cand("indirect", (start, end), (s, k), (ms, me), "source-frame:" + entry, entry=entry))
        return out

    def _source_frame_rule(self, a: _Article) -> None:
        """source-frame: 根据X(的数据)，… at a sentence start (_source_frames), after the cue rules."""
        for c in self._source_frames(a.f, a.lo, a.hi, lambda k: self._extend(a, k)):
            a.cands.append(c)
            if a.decisions is not None:
                d = QuoteDecision(c.cue[0], c.cue[1], a.raw[c.cue[0]:c.cue[1]], "cue", fired=[c.rule])
                a.decisions.append(d)
                a.made_by.append((c, d))

    def _opens_source(self, f: str, cs: int, stop_cue: dict[int, int]) -> bool:
        """Whether the clause at cs names a source of its own before its cue (任振鹤表示，), not a
        conjunction or a pronoun that goes on with the same speaker (，并指出…, ，他表示…)."""
        s = stop_cue.get(cs)
        if s is None:
            return False
        ms, me = self._strip_mention(f, cs, s)
        if me - ms < 2 or f[ms:me] in self.lex.pronouns:
            return False
        return self._classify(f[ms:me])[0] not in ("invalid", "pronoun", "reporter")

    def _past_addressee(self, f: str, s: int, e: int, hi: int) -> int:
        """Where the addressee after an addressed cue ends (告诉新华社记者, 告诉36氪), else e: an
        outlet or reporter of a few characters right before a comma or colon."""
        if f[s:e] not in self.lex.addressed_verbs:
            return e
        k = e
        while k < hi and k - e <= 12 and f[k] not in "，：,:。\n":
            k += 1
        if k == e or k >= hi or f[k] not in "，：,:":
            return e
        obj = f[e:k].rstrip(" \u3000")
        closers = self.mentions.addressee_closers
        if obj.endswith(closers) or obj.endswith("记者") or (obj.isascii() or any(ch.isdigit() for ch in obj)):
            return e + len(obj)
        if len(obj) <= 4 and all(_is_han(ch) for ch in obj):
            return e + len(obj)  # 他告诉财新：, 告诉大家，: a short object before the colon is whom he told
        return e

    @staticmethod
    def _as_written(raw: str, f: str, lo: int, hi: int, quotes: list[Quote], entities) -> list[Quote]:
        """Names, titles and organisations as the page writes them (郭台銘, not the folded 郭台铭):
        the rules read them on the folded text, so each is found there, in one of the entity's
        mentions first, and sliced from raw at the same place."""
        def written(text: str | None, spans) -> str | None:
            if not text:
                return text
            for a, b in spans:
                k = f.find(text, a, b)
                if k >= 0:
                    return raw[k:k + len(text)]
            k = f.find(text, lo, hi)
            return raw[k:k + len(text)] if k >= 0 else text

        names = {}
        for en in entities:
            spans = sorted(set(en.mentions))
            en.name = written(en.name, spans)
            en.titles = [written(t, spans) for t in en.titles]
            en.organisation = written(en.organisation, spans)
            names[en.id] = en.name
        return [q if q.speaker_id not in names or q.speaker_name == names[q.speaker_id]
                else q.model_copy(update={"speaker_name": names[q.speaker_id]}) for q in quotes]

    def _names_a_speaker(self, text: str) -> bool:
        """A mention that surely names a source, so a cue with no comma may follow it: a typed
        mention (titled or dotted name, outlet, anonymous), a pronoun, or a name jieba or the
        name statistics know. 大家, 本质上来 and 最近你 are not."""
        if text in self.lex.pronouns and self.lex.pronouns[text] == "person":
            return True
        m = self.mentions.read(text)
        if m is not None:
            return m.type in ("person", "anonymous", "outlet", "group", "document")
        kind, name, titles, _ = self._classify(text)
        if kind == "role" and titles and name.endswith(titles[-1]):
            before = self.tagger.tagged(name[:-len(titles[-1])])
            # 分析师, 台湾学者: a person named by a title alone; 丁薛祥代表中国政府对获奖专家 is a clause
            return not any(p[:1] in ("v", "p") for _, p in before)
        if kind == "org" and text.endswith(self.mentions.documents) and len(text) <= 12:
            return True  # 文章称…, 声明称…: a document is a source too
        if kind not in ("person", "person-title"):
            return False
        known = self.tagger.tagged(name)
        return bool(titles) or (len(known) == 1 and known[0][1] == "nr") or name_model().is_name(name)

    def _frame(self, f: str, cs: int, s: int, word: str) -> tuple[int, int] | None:
        """据X介绍 / 在X看来 / 正如X所说 / 记者从X获悉: the source between opener and closer."""
        text = f[cs:s]
        for closers, openers in self.lex.frame_openers:
            if word not in closers:
                continue
            for opener in openers:
                k = text.find(opener)
                if k != -1 and k <= 2:
                    return cs + k + len(opener), s
        return None

    def _sentence_subject(self, f: str, cs: int, lo: int, places: bool = False) -> tuple[int, int] | None:
        """The pronoun or person name that opens the sentence a subjectless clause belongs to."""
        k = cs - 1
        low = max(lo, cs - 80)
        while k >= low and f[k] not in _SENT_END and f[k] != "\n":
            k -= 1
        if k < low:
            return None
        ss = k + 1
        while ss < cs and not f[ss].strip():
            ss += 1
        if ss >= cs:
            return None
        for p in self.lex.pronouns_longest:
            if f.startswith(p, ss) and self.lex.pronouns[p] == "person":
                return ss, ss + len(p)
        window = f[ss:min(cs, ss + 8)]
        tags = ("nr", "nrfg", "ns", "nt") if places else ("nr", "nrfg")
        longest = 6 if places else 3
        if not _may_open_with(window, tags, longest):
            return None  # no first word of the tagger could be a name (or place) here: skip the tagger
        words = self.tagger.tagged(window)
        if words and words[0][1] in tags and 2 <= len(words[0][0]) <= longest:
            return self.mentions.trim(f, ss, ss + len(words[0][0]))  # 周剑称 -> 周剑
        return None

    def _clause_subject(self, f: str, s: int, subject) -> tuple[int, int] | None:
        """The subject of the previous cue when it sits earlier in the same sentence."""
        if subject is None:
            return None
        (_, ce), mention = subject
        if ce <= s and s - ce < 150 and split(f).sentence_of(s)[0] <= ce:
            return mention  # the same sentence
        return None

    def _zero_subject(self, f: str, cs: int, cands: list[_Cand]) -> tuple[int, int] | None:
        """同时强调，… at a sentence start right after an attributed report keeps its speaker."""
        if not cands or cs == 0:
            return None
        j = cs - 1
        while j >= 0 and not f[j].strip():
            j -= 1
        if j < 0 or f[j] not in _SENT_END | _TRAIL_CLOSE:
            return None
        last = cands[-1]
        if last.mention is not None and 0 <= cs - last.content[1] <= 3:
            return last.mention
        return None

    def _interview_labels(self, f: str, lo: int, hi: int, breaks) -> list[tuple[int, int, str, bool]]:
        """杨秀玲：… in a Q&A: a short name label at a sentence start, used at least twice."""
        found: dict[str, list[tuple[int, int]]] = {}
        k = f.find("：", lo, hi)
        while k != -1:
            s = k
            while s > lo and k - s < 6 and (_is_han(f[s - 1]) or f[s - 1] in " \u3000"):
                s -= 1
            while s < k and f[s] in " \u3000":
                s += 1  # an indented paragraph: the label starts after its indent
            label = f[s:k]
            name = label.replace(" ", "").replace("\u3000", "")
            prev = f[s - 1] if s > lo else "\n"
            p = s
            while prev in " \u3000" and p > lo:
                p -= 1
                prev = f[p - 1] if p > lo else "\n"
            if (2 <= len(name) <= 4 and all(_is_han(c) for c in name) and label[:1].strip()
                    and (prev in _SENT_END or prev in "\n？”" or s == lo)
                    and label + "：" not in self.lex.interview_labels):
                found.setdefault(name, []).append((s, k))
            k = f.find("：", k + 1, hi)
        out = []
        for name, places in found.items():
            if name in self.lex.verb_set or name.endswith(self.lex.verb_tuple):
                continue  # 他说：, 公告表示：: a cue and its colon, not a name label
            if len(places) < 2 and not _may_be_tagged_name(name):
                continue  # used once, a label counts only as one word tagged a name: skip the tagger
            words = self.tagger.tagged(name)
            # a label of dictionary words (晚点： the interviewer, 交易价格：, 联系方式： fields of a
            # listing) still ends the turn before it but speaks no quote
            named = (any(p.startswith("nr") or p == "x" for _, p in words)
                     or name_model().is_name(name))
            if len(places) >= 2 or (len(words) == 1 and words[0][1] == "nr"):
                out.extend((s, k, name, named) for s, k in places)
        return sorted(out)

    def _data_lines(self, raw: str, f: str, lo: int, hi: int, entities: list[_Entity]) -> None:
        """（数据来源：中国建设银行） names a source but carries no content: a Speaker, not a Quote."""
        for m in self.lex.data_line_re.finditer(f, lo, hi):
            s = m.end()
            e = s
            while e < hi and e - s < 40 and f[e] not in "）)\n。":
                e += 1
            name = raw[s:e].strip()
            if not name:
                continue
            for en in entities:
                if name in en.aliases:
                    en.mentions.append((s, e))
                    break
            else:
                en = _Entity(id=f"s{len(entities) + 1}", name=name, person=False, kind="data_source")
                en.aliases.add(name)
                en.mentions.append((s, e))
                entities.append(en)

    def _place_word(self, head: str) -> bool:
        """台湾, 美国: one word jieba tags as a place, so 台湾学者 is a role, not a person 台湾."""
        if word_tag(head) != "ns":
            return False  # the one word would be head, its tag the dictionary's: skip the tagger
        words = self.tagger.tagged(head)
        return len(words) == 1 and words[0][1] == "ns"

    def _classify(self, text: str):
        """A mention -> (kind, name, titles, organisation). kind: person, role, org, pronoun, reporter.

        A function of the text alone, read once per page (an article names its speakers again and
        again); each caller gets its own titles list."""
        memo = self.tagger.page_memo("classify")
        got = memo.get(text)
        if got is None:
            got = memo[text] = self._classify_text(text)
        return got[0], got[1], list(got[2]), got[3]

    def _classify_text(self, text: str):
        lex = self.lex
        t = text.strip()
        if t in lex.pronouns:
            return "pronoun", t, [], None
        if t.startswith("《") and t.endswith("》") and t.count("《") == 1:
            return "org", t[1:-1], [], None  # a document named by its title alone
        core = t
        for r in lex.reporters:
            core = core.replace(r, "")
        if not core.strip("、的和及与 ") and any(r in t for r in lex.reporters):
            return "reporter", t, [], None
        if t.startswith(("记者", "本报记者")) or t.endswith(self.mentions.reporters):
            return "reporter", t, [], None  # 界面新闻记者(了解到): an outlet's reporter is no source
        if t.endswith(self.mentions.documents) and not self.lex.titles_re.search(t):
            return "org", t, [], None  # 财报显示: a document is never a person
        for a in lex.anonymous if t.endswith(lex.anonymous) else ():  # one test, then the longest
            if t.endswith(a):
                return "role", t, [a], t[: -len(a)] or None
        for h in lex.honorifics if t.endswith(lex.honorifics) else ():  # k + len(h) == len(t): t ends with h
            k = t.rfind(h)
            if k >= 1 and k + len(h) == len(t) and _is_han(t[k - 1]):
                head = t[:k - 1]
                return "person", t[k - 1:], [m.group() for m in lex.titles_re.finditer(head)], None
        # only a long mention can hide a body after a clause (tag nothing shorter), and only one
        # ending in a dictionary organisation (a tagger's nt word is one) can end in the body
        if len(t) > 8 and _ends_with_word(t[-12:], "nt", 4):
            ends = self.tagger.tagged(t[-12:])
            if ends and ends[-1][1] == "nt" and len(ends[-1][0]) >= 4:
                return "org", ends[-1][0], [], None  # …无期徒刑全国人大常委会: a clause glued before the body
        side = next((w for w in lex.side_suffixes if t.endswith(w)), None)
        if side is not None and len(t) - len(side) >= 3 and (t[-len(side) - 1].isalnum() or t[-len(side) - 1] == " ") \
                and not t[:-len(side)].endswith(self.mentions.relative_marks):
            body = t[:-len(side)]
            kind, name, titles, org = self._classify(body)
            if kind in ("org", "person"):
                return "org", name if kind == "org" else body.rstrip(" \u3000"), [], None  # 世界自然基金会希腊分部方面,
                # Hugging Face 方面: the side of a body or country is the body (妙可蓝多方面: not a person 蓝多)
        body = self._kind_then_body(t) if t.endswith(lex.org_suffixes) or t.endswith(("）", ")")) else None
        if body is not None:
            return "org", body, [], t[:len(t) - len(body)]  # 美国智库布伦南司法研究中心
        quoted = _QUOTED_END.search(t)
        if quoted is not None and quoted.start() >= 2:
            d = t[:quoted.start()].rstrip(" \u3000")
            words = self.tagger.tagged(d) if d and not d.endswith(JOINERS) else ()
            if (words and (words[-1][1] in ("n", "vn", "x") or d.endswith(self.mentions.relative_marks))
                    and words[0][1][:1] not in "cdp"):
                # 网媒“香港01”, 中国央视旗下新媒体“玉渊谭天”, 叙利亚库尔德武装主导的“叙利亚民主力量”: the body
                # or outlet a description names in quotes
                return "org", quoted.group(1), [], d
        latin = _LATIN_END.search(t) if t[-1:].isascii() or t[-1:].isalpha() and not _is_han(t[-1]) else None
        if latin is not None and latin.start() >= 2:
            got = self._latin_apposition(t[:latin.start()], latin.group().strip(" \u3000"))
            if got is not None:
                return got
        titles = self.mentions.titles_in(t)
        g = _GLOSS.search(t)  # 彭博社的马克 · 古尔曼（Mark Gurman）: the name as spelt
        dotted = self._dotted_tail(t[:g.start()] if g is not None else t) if _DOT_ANY.search(t, 2) is not None else None
        if dotted is not None and not (titles and self._name_after_title(t[titles[-1].end():])):
            head = t[:len(t) - len(dotted)].rstrip(" \u3000、")
            found = [m.group() for m in self.mentions.titles_in(head)]
            return "person", dotted, found, None  # 美联储理事斯蒂芬·米兰: a title the rules lack
        if titles:
            last = titles[-1]
            rest = t[last.end():]
            chain = [p for p in t[:last.end()].split("、") if p]
            first_title = titles[0]
            org = t[:first_title.start()].split("、")[-1] or None
            if len(rest) == 1:
                return "org", t, [], None  # 全国人大常委会: 常委 + 会 is a body
            name = self._name_after_title(rest, whole=True) if rest else None
            if not name and "的" in rest:  # 约翰·霍普金斯博后出身的薛翀: a relative clause, then the name
                sub = rest[rest.rfind("的") + 1:].strip(" \u3000")
                words = self.tagger.tagged(sub) if 2 <= len(sub) <= 4 else ()
                if len(words) == 1 and words[0][1][:2] == "nr" or name_model().is_name(sub):
                    name = sub  # (not 网友晒出的图片, 产品经理培训的时候: a noun after 的 is no name)
            if name:
                return "person", name, chain, org
            head = t[:last.start()]
            if (2 <= len(head) <= 3 and all(_is_han(c) for c in head) and len(titles) == 1
                    and not head.endswith(lex.org_suffixes) and not head.endswith("的")
                    and not (not rest and self._place_word(head)) and not _QUANTIFIER.fullmatch(head)
                    and _lexicon().get(head, (0, "nr"))[1][:2] in ("nr", "x")):  # 部分分析师: a word, no name
                return "person-title", head, [last.group()], None  # 郝鹏代表 (台湾学者, 多位投资人 are roles)
            if len(head) == 1 and _is_han(head):
                return "surname-title", head, [last.group()], None  # 郝书记
            if (not rest and len(head) >= 4 and len(titles) == 1
                    and any(starts_with_surname(head[-n:]) for n in (2, 3, 4))):  # (a name opens with a surname)
                # 中国科学院国家天文台汪景琇院士: a body, a name jieba tags a person's, then the title
                words = self.tagger.tagged(head[-8:])
                w, tag = words[-1] if words else ("", "")
                joined = len(w) == 1 and len(words) > 1 and words[-2][1][:2] == "nr" and len(words[-2][0]) == 2
                if joined:
                    w, tag = words[-2][0] + w, "nr"  # 汪景 + 琇: a rare given name's last character
                if (tag[:2] == "nr" and 2 <= len(w) <= 4 and starts_with_surname(w) and len(head) - len(w) >= 2
                        and (name_model().is_name(w[:2] if joined else w) or tag == "nrfg")
                        and not w.endswith(lex.org_suffixes)):  # (谷歌, 房企, 霍马市: jieba's nr, no name)
                    return "person", w, [last.group()], head[:-len(w)]
            return "role", t, chain, org
        plain = _BOOK_TITLE.sub(lambda m: "文" * len(m.group()), t)  # 《法律适用》 is one name
        k = t.rfind("的")
        if 0 < k < len(t) - 2:
            before = self.tagger.tagged(plain[:k])
            if before and before[0][1] != "r" and any(p.startswith("v") for _, p in before):
                return self._classify(t[k + 1:])  # 2025年底召开的中央经济工作会议
        words = self.tagger.tagged(plain)
        if not words or len(t) < 2:
            return "invalid", t, [], None  # 还提出, 并提出: one character is no source
        if len(words) > 1 and words[-1][1] == "nt" and len(words[-1][0]) >= 3:
            if all(p in ("ns", "nt") for _, p in words[:-1]):
                return "org", t, [], None  # 甘肃省统计局, 山东省政府新闻办: the place is part of the name
            return "org", words[-1][0], [], None  # …无期徒刑全国人大常委会: the organisation at the end
        if words[0][1] == "nt" and len(t) - len(words[0][0]) <= 3 and len(words[0][0]) >= 3:
            return "org", words[0][0], [], None  # 商务部商务大(数据): the organisation at the start
        if len(t) >= 3 and t.endswith(lex.org_suffixes) and not t.startswith(tuple(lex.pronouns)):
            return "org", t, [], None  # 招股说明书, 国家统计局
        if ((words[0][1][:1] in ("v", "p", "d", "c", "u", "r") or words[0][1] == "ad")
                and words[0][0] not in lex.pronouns
                and (len(words[0][0]) > 1 or len(t) > 3)):
            return "invalid", t, [], None  # 指着新设备, 的部署和: no subject in this clause
        if 2 <= len(t) <= 3 and all(_is_han(c) for c in t):
            if len(words) == 1 and (words[0][1] in _NOT_PERSON_POS or t.endswith(lex.org_suffixes)):
                return "org", t, [], None
            return "person", t, [], None
        first, pos = words[0]
        if pos.startswith("nr") and 2 <= len(first) <= 3 and len(words) > 1 and words[1][1].startswith("v"):
            return "person", first, [], None  # 郭丹拿起一穗玉米说
        last, pos = words[-1]
        if pos.startswith("nr") and 2 <= len(last) <= 3 and len(t) > 4:
            return "person", last, [], None  # a subhead glued before the name
        last, pos = words[-1]
        if pos.startswith("nr") and 2 <= len(last) <= 3 and len(words) > 1:
            return "person", last, [], None  # a subhead glued before the name
        if not t.endswith(lex.org_suffixes) and any(p.startswith("v") for _, p in words):
            k = t.rfind("的")
            if 0 < k < len(t) - 2:
                return self._classify(t[k + 1:])  # 2025年底召开的中央经济工作会议
            return "invalid", t, [], None  # a clause, not a source
        return "org", t, [], None

    def _kind_then_body(self, t: str) -> str | None:
        """The body a description of its kind names (美国智库布伦南司法研究中心, 美国电商和科技企业亚马逊公司,
        日本商业信用调查机构——东京商工调查公司): after the last word of [[body_kinds]] that jieba cuts as a
        word, four characters or more ending in a body's suffix (a bracketed gloss after it aside)."""
        lex = self.lex
        plain = _NOTE_TAIL.sub("", t)
        if not plain.endswith(lex.body_suffixes):
            return None  # (研究会27日发布的初步调查: a document, not a body)
        best = None
        for kind in lex.body_kinds:
            k = plain.rfind(kind)
            if k < 1:
                continue
            rest = t[k + len(kind):]
            bare = _NOTE_TAIL.sub("", rest)
            if len(bare) < 4 or not all(_is_han(c) or c.isalnum() for c in bare):
                continue
            first = self.tagger.tagged(bare[:4])
            if not first or first[0][1][:1] in ("p", "c", "d", "u", "r"):
                continue  # (制造商与贸易商协会, 抗议组织在其网站: no name after the kind)
            if _is_han(kind[0]):
                words = self.tagger.tagged(plain[:k + len(kind)])
                if not words or not words[-1][0].endswith(kind):
                    continue  # (公司 inside 子公司 is cut with it: fine; 机构 inside 机构化: no)
            if best is None or k + len(kind) > len(t) - len(best):
                best = rest
        if best is None or any(m.end() == len(best) for m in self.mentions.titles_in(best)):
            return None  # (…公司分析师: a person's title ends it, not a body)
        return best

    def _latin_apposition(self, desc: str, name: str):
        """A name in Latin script after what says who it is: a person's name of two to four
        capitalised words after any description (瑞典电信设备制造商爱立信CEO Börje Ekholm, Valve 设计师
        Lawrence Yang) is the person; a one-word name after a Han description ending in a common
        noun (科技媒体 TechCrunch, 外媒 Tech4Gamers, 第三方机构Lightcounting, 全球性金融经纪商XS.com) is the
        body or outlet so described. None otherwise (腾讯 QQ: 腾讯 is itself a name, tagged nz)."""
        d = desc.rstrip(" \u3000")
        if d[-1:] == "的" and len(d) >= 3 and _LATIN_NAME.fullmatch(name):
            return "person", name, [], d[:-1]  # 摩根士丹利的Keith Weiss: a person of that body
        if not d or not d[-1].isalnum() or d.endswith(JOINERS) or d.endswith(self.mentions.relative_marks):
            return None
        titled = any(m.end() == len(d) for m in self.mentions.titles_in(d))  # 欧洲央行管委: 委 ends a title
        body = not titled and (d.endswith(self.lex.long_org_suffixes) or d.endswith(self.mentions.outlet_words))
        words = self.tagger.tagged(d)
        if not words or words[0][1][:1] in ("c", "d", "p"):
            return None  # 尽管第二代 Steam Deck: a clause, not a description
        if _LATIN_NAME.fullmatch(name) and not body:
            return "person", name, [d], None  # (数字基础设施公司Digital Edge: a body's name has that shape too)
        if ((" " in name and not body) or not any(c.isalpha() for c in name) or len(name) < 3
                or not _is_han(d[-1]) or self.lex.titles_re.fullmatch(name)):
            return None  # (机器人创业公司 CEO: a title; 硅谷AI教育科技品牌Cosmo: Latin inside the description)
        last, tag = words[-1]
        if (tag in ("n", "vn") and len(last) >= 2  # 科技媒体, 网络分析公司
                or tag in ("ng", "k", "n") and len(words) > 1 and words[-2][1] in ("n", "vn")  # 消息源, 爆料者
                or tag == "x" and len(words) == 1 and len(last) == 2):  # 外媒, 网媒: words jieba lacks
            return "org", name, [], d
        return None

    def _dotted_tail(self, t: str) -> str | None:
        """The transliterated name that ends a mention after what names its role (维塔利·基姆 in
        尼古拉耶夫州军事行政长官维塔利·基姆, 马蒂亚斯 · 盖森 after 负责市场与销售的): Han runs joined by
        a name dot, its first run's part taken from jieba's cut of that run, the words at its end
        that jieba tags a name or leaves unknown (nr, x); None when another name or a joiner comes
        before it (斯蒂芬·米兰和克里斯托弗·沃勒: two persons) or the last run is no name's length."""
        m = _DOTTED_TAIL.search(t)
        if m is None:
            return None
        head = t[:m.start()]
        if _DOT_ANY.search(head) is not None or "《" in head and "》" not in head[head.rfind("《"):]:
            return None
        parts = _DOT_ANY.split(m.group())
        last = parts[-1].strip(" \u3000")
        if len(last) > 6 or any(j in p for p in parts[1:] for j in JOINERS):
            return None
        words = self.tagger.tagged(last)
        if not words or len(words) > 1 and words[-1][1][:2] != "nr" and words[-1][1] != "x" \
                and not name_model().is_foreign(last, self.mentions.FOREIGN_THRESHOLD):
            return None  # 尼尔森时, 波尔格林刊文: the last run ends in a word that is no name's
        first = parts[0].rstrip(" \u3000")
        hyphen = first.rfind("-") + 1  # 延斯-弗雷德里克·尼尔森: a hyphen joins the runs of a double first name
        named, first = (first[hyphen - 1:], first[:hyphen - 1]) if hyphen else ("", first)
        keep = 0
        for w, tag in reversed(self.tagger.tagged(first)):
            if tag[:2] != "nr" and tag != "x" or not all(_is_han(c) for c in w):
                break
            keep += len(w)
        if not (2 <= keep <= 6 or named and keep <= 6) or keep == len(first) and not head.rstrip(" \u3000"):
            return None
        at = m.start() + len(first) - keep
        if keep >= 3 and t[at] in self.lex.title_finals:
            at += 1  # 首席品牌官西蒙 · 汉弗莱斯: jieba's 官西蒙 takes the title's last character
        before = t[:at].rstrip(" \u3000")
        if not before or any(j in before[before.rfind("的") + 1:] for j in JOINERS[:3]):
            return None  # 丹麦首相弗雷泽里克森和…总理延斯-弗雷德里克·尼尔森: two persons
        return t[len(before):].lstrip(" \u3000")

    def _introduced_names(self, f: str, lo: int, hi: int) -> set[str]:
        """Persons the article introduces by title (种植大户宋友祥, 店主姬楠楠), cue or not, and as the
        subject opening a sentence or clause (2021年，梁希来到…。她坦言，…): the name of every place
        _name_sites gives (the resolution asks them one by one, _Names)."""
        names = {self._site_name(f, at, titled) for at, titled in self._name_sites(f, lo, hi)}
        names.discard(None)
        return names

    def _name_sites(self, f: str, lo: int, hi: int) -> list[tuple[int, bool]]:
        """The places a person's name may open in the article, each with whether a title stands
        before it: after a title, and at a sentence or clause opening at a surname's first
        character, where the dictionary's words leave room for a name (the tagger is not asked)."""
        sites = []
        for n, m in enumerate(self.lex.titles_re.finditer(f, lo, hi)):
            if n >= _MAX_INTRODUCED:
                break
            at = m.end()
            if f[at:at + 1] in (" ", "\u3000"):
                at += 2 if f[at + 1:at + 2] in (" ", "\u3000") else 1  # 集团 CEO 吴泳铭: a space after a Latin title
            if may_open_name(f[at:at + 6], 0, _NAME_MAX_FREQ):  # not 书记表示, 主任介绍
                sites.append((at, True))
        # only clause openings at a surname's first character are visited
        for n, m in enumerate(self.lex.name_opening_re.finditer(f, lo, hi)):
            if n >= _MAX_INTRODUCED:
                break
            p = m.end()
            # not 高质量, 全面; a name, then a verb, preposition or adverb
            if may_open_name(f, p, _NAME_MAX_FREQ) and _name_then_word(f[p:p + 6], _NAME_NEXT_TAGS):
                sites.append((p, False))
        return sites

    def _site_name(self, f: str, at: int, titled: bool) -> str | None:
        """The person named at a place of _name_sites, by the tagger's first word: after a title any
        name of two or three characters, at a clause opening one seen fewer than _NAME_MAX_FREQ times
        (卫星 is a word, 郑棚 a name) and followed by a verb, preposition or adverb; what trim() cuts
        taken off (周剑称 -> 周剑)."""
        words = self.tagger.tagged(f[at:at + 6])
        if titled:
            if words and words[0][1] in ("nr", "nrfg") and 2 <= len(words[0][0]) <= 3:
                return self.mentions.clean(words[0][0])
        elif (len(words) > 1 and words[0][1] == "nr" and 2 <= len(words[0][0]) <= 3
                and words[1][1][:1] in _NAME_NEXT_TAGS and word_frequency(words[0][0]) < _NAME_MAX_FREQ):
            return self.mentions.clean(words[0][0])
        return None

    def _speaker_in_next_sentence(self, f: str, start: int):
        """“…”发布会上，…副厅长杨大海介绍工作情况。: a titled person with a cue in the next sentence."""
        end = min(len(f), start + _NEXT_SENTENCE, split(f).sentence_of(start)[1])
        q = f.find("“", start, end)  # or up to a quote opening in it
        end = q if q != -1 else end
        for m in self.lex.cue_re.finditer(f, start, end):
            if m.group() not in self.lex.verb_set:
                continue
            cs = self._clause_start(f, m.start(), {})
            ms, me = self._strip_mention(f, max(cs, start), m.start())
            if ms >= me:
                continue
            kind, name, titles, org = self._classify(f[ms:me])
            if kind == "person" and titles:
                k = f.rfind(name, ms, me)
                return ms, (k + len(name) if k != -1 else me), name, titles, org
            if _LAST_DOTTED_PART.search(f, ms, me) is not None and _TRANSLIT.fullmatch(f[ms:me]):
                return ms, me, f[ms:me], [], None  # “…”作为…老战士，大卫·穆尚韦说: a dotted name
        return None

    def _after_mention(self, f: str, q: _QuoteSpan) -> tuple[int, int] | None:
        """“…”物流部高级经理梁德重算了一笔账，“…”: the clause right after a quote, when short."""
        if not q.closed:
            return None
        s = q.close + 1
        e = s
        while e < len(f) and e - s <= 30 and f[e] not in "，。：,:“\n":
            e += 1
        if e == s or e - s > 30:
            return None
        return s, e

    @staticmethod
    def _word_not_name(text: str) -> bool:
        """A dictionary word that the name statistics read neither as a Chinese nor as a
        transliterated name (保时捷; 弗雷 is a name)."""
        return (_lexicon().get(text) is not None and not name_model().is_name(text)
                and not name_model().is_foreign(text))

    @staticmethod
    def _translit_last(name: str) -> str | None:
        """托马斯 · 沃尔夫 -> 沃尔夫: the last part of a dotted name, by which the text names the person again."""
        m = _LAST_DOTTED_PART.search(name)
        return m.group(1) if m is not None and m.start() > 0 else None

    @staticmethod
    def _nearest_name(f: str, lo: int, pos: int, names: _Names,
                      skip: frozenset[str] = frozenset()) -> tuple[str, int, int] | None:
        """The person named closest before pos: a known speaker's alias or an introduced name,
        leaving out the persons in skip.

        Scans the window once from its end, so the cost does not grow with the number of names."""
        win_lo = max(lo, pos - _NEAR_WINDOW)
        lasts = names.edges()[1]
        for end in range(pos, win_lo + 1, -1):
            if f[end - 1] not in lasts:
                continue  # no name ends here
            for size in range(min(_MAX_NAME, end - win_lo), 1, -1):  # the longer form first (徐某某)
                name = names.get(f[end - size:end])
                if name is not None and name not in skip:
                    return name, end - size, end
        return None

    def _resolve(self, a: _Article, introduced):
        raw, f, cands, lo = a.raw, a.f, a.cands, a.lo
        entities: list[_Entity] = []
        by_alias: dict[str, _Entity] = {}
        last_person: list[_Entity] = []
        last_role: list[_Entity] = []
        persons_at: list[tuple[int, _Entity]] = []  # (mention start, person) as resolved

        person_names: dict[str, str] = {}  # surface form -> person name
        asked: list[_Names] = []  # the names with the introduced ones, made when a name is first looked for

        def names() -> _Names:
            if not asked:  # an alias remembered before keeps its person, as if it came after
                asked.append(_Names(self, f, person_names, introduced()))
            return asked[0]
        by_surname: dict[str, list[_Entity]] = {}
        latin_full: dict[str, _Entity] = {}  # Michael Brown -> the person
        latin_last: dict[str, _Entity | None] = {}  # Brown -> the one person of that surname (None: two)
        gender: dict[str, str] = {}  # entity id -> the gender the text states (她说, 钱女士)

        alias_ends: dict[str, set[str]] = {}  # last character -> the aliases in by_alias ending with it

        def remember(en: _Entity, alias: str) -> None:
            en.aliases.add(alias)
            by_alias.setdefault(alias, en)
            alias_ends.setdefault(alias[-1:], set()).add(alias)
            if en.person and len(alias) <= _MAX_NAME:
                person_names[alias] = en.name
            if en.person and _LATIN_FULL.fullmatch(alias):
                latin_full.setdefault(alias, en)
                last = alias.rsplit(" ", 1)[1]
                latin_last[last] = en if latin_last.get(last, en) is en else None
            if en.person and alias == en.name:
                last = self._translit_last(alias)  # 托马斯 · 沃尔夫 met again as 沃尔夫
                if last is not None and last not in by_alias:
                    by_alias[last] = en
                    alias_ends.setdefault(last[-1:], set()).add(last)
                    if asked and last not in person_names and asked[0].introduced(last):
                        person_names[last] = last  # introduced, so the first look made it its own person
                    else:
                        person_names.setdefault(last, en.name)

        def latin_person(text: str) -> _Entity | None:
            """Pepperstone的Michael Brown, Brown: a person named before by a Latin name."""
            m = _LATIN_TAIL.search(text)
            if m is None:
                return None
            run = m.group().strip()
            return latin_full.get(run) or (latin_last.get(run) if run == text else None)

        def new_entity(name, person, titles, org, kind):
            en = _Entity(id=f"s{len(entities) + 1}", name=name, person=person, titles=list(titles),
                         organisation=org, kind=kind)
            entities.append(en)
            by_alias[name] = en
            remember(en, name)
            if person:
                by_surname.setdefault(name[0], []).append(en)
            return en

        def resolve(c: _Cand) -> _Entity | None:
            if c.mention is None:
                return None
            ms, me = c.mention
            text = f[ms:me]
            m = None
            # the longest known person's alias of 2 to 8 characters ending the mention (…供给水平鄢东),
            # looked for among the aliases ending with its last character, not suffix by suffix
            tail = None
            for alias in alias_ends.get(text[-1:], ()):
                if (1 < len(alias) <= 8 and (tail is None or len(alias) > len(tail)) and text.endswith(alias)
                        and by_alias[alias].person):
                    tail = alias
            known = latin_person(text) if tail is None and latin_full else None
            if c.name_hint:
                kind, name, titles, org = "person", c.name_hint, [], None
            elif known is not None and not self.lex.titles_re.search(text):
                kind, name, titles, org = "person", known.name, [], None  # Brown, X的Michael Brown
            elif tail is not None and tail != text and not self.lex.titles_re.search(text):
                kind, name, titles, org = "person", by_alias[tail].name, [], None  # …供给水平鄢东
            elif (m := self.mentions.read(text)) is not None:  # offsets in text: no Mention made per call
                kind, name, titles, org = _KIND_OF_MENTION[m.type], m.head, list(m.titles), m.organisation
                if m.start > 0 or m.end < me - ms:  # X援引消息人士: the speaker is the relayed source's mention
                    ms, me = ms + m.start, ms + m.end
                    text = f[ms:me]
                    c.mention = (ms, me)
                if kind == "person" and m.titles and text.startswith(m.head):
                    kind = "person-title"  # 王明高级督察: the mention keeps the title after the name
            else:
                kind, name, titles, org = self._classify(text)
            if kind in ("reporter", "invalid"):
                return None
            q = _QUANTIFIER.match(name) if kind == "role" else None
            if q is not None and 2 <= len(name) - q.end():
                name = name[q.end():]  # 一位阿里云任职超过 10 年的老员工: the source without its quantifier
            if len(text) > 48 and not (m is not None and m.type == "person") or "，" in text:
                return None  # a long mention is a clause, unless it reads as a titled person
            en = None
            head = self.mentions.anaphor(text) if kind != "pronoun" else None
            title = (self.mentions.person_anaphor(text) if kind != "pronoun" and head is None
                     and text.startswith(self.mentions.person_demonstratives) else None)
            if title is not None:
                # 这位德国央行行长, 这位常驻西雅图的研究员: the latest speaker with that title, else
                # the person a title names latest before it
                en = next((p for at, p in reversed(persons_at) if at < ms and title in p.titles), None)
                named = self.mentions.person_before(f, lo, ms, self.tagger.tagged) if en is None else None
                if named is not None:
                    en = by_alias.get(named[0]) or new_entity(named[0], True, [], None, "person")
                    en.mentions.append((named[1], named[2]))
            if en is not None:
                pass
            elif head is not None:
                # 该公司, 上述投行人士: the latest non-person source of that kind named before
                generic = head in self.mentions.generic_heads
                en = next((r for r in reversed(last_role)
                           if r.name.endswith(head) or (generic and r.kind == "org")), None)
            if en is not None:
                pass
            elif kind == "pronoun":
                pool = last_role if self.lex.pronouns[name] == "demonstrative" else last_person
                said = self.mentions.gender(name)
                other = frozenset(p.name for p in entities if p.person and gender.get(p.id, said) != said
                                  ) if said is not None else frozenset()
                if other:  # 她说: never a person the text has called 他
                    pool = [p for p in pool if p.name not in other]
                en = pool[-1] if pool else (last_person[-1] if last_person and not other else None)
                if self.lex.pronouns[name] == "person":
                    near = self._nearest_name(f, lo, ms, names(), other)
                    last = resolved[-1] if resolved else None
                    if (near is not None and last is not None and last[0] <= near[1] < last[2] <= ms
                            and near[1] < sentence_end(f, last[0], last[2])
                            and last[1].person and last[1].name not in other and near[0] not in by_alias):
                        # 马哈尼指出，[…谷歌…]。他表示: a name inside the first sentence of the last report is
                        # not who speaks on (a later sentence may be narration the report ran over: 39岁的梁希)
                        en = last[1]
                    elif near is not None:
                        en = by_alias.get(near[0]) or new_entity(near[0], True, [], None, "person")
                        en.mentions.append((near[1], near[2]))
                if en is None:
                    return None
                if said is not None and en.person:
                    gender.setdefault(en.id, said)
            elif kind == "surname-title":
                same = by_surname.get(name, [])
                if len(same) != 1:
                    return None
                en = same[0]
            else:
                en = by_alias.get(text) or by_alias.get(name)
                if en is None and kind in ("person", "person-title"):
                    en = new_entity(name, True, titles, org, "person")
                elif en is None:
                    en = new_entity(name, False, titles, org, kind)
                for t in titles:
                    if t not in en.titles:
                        en.titles.append(t)
                if org and not en.organisation:
                    en.organisation = org
            if kind == "person" and en.person:
                k = text.rfind(name)
                if k != -1 and ms + k + len(name) < me:
                    me = ms + k + len(name)  # 袁玉柱指着数字大屏说: the mention ends at the name
                    text = f[ms:me]
                    c.mention = (ms, me)
            remember(en, text)
            en.mentions.append((ms, me))
            said = (self.mentions.gender(text) if en.person and en.id not in gender
                    and text[-1:] in self.mentions.gender_ends else None)
            opens = f[c.content[0]:c.content[0] + 2] if c.kind == "indirect" else ""
            if said is None and en.person and opens[:1] and self.lex.pronouns.get(opens) != "plural":
                said = self.mentions.gender(opens[:1])  # 这位研究员表示，她曾拒绝…: the speaker is she
            if said is not None:
                gender.setdefault(en.id, said)
            if en.person:
                last_person.append(en)
                persons_at.append((ms, en))
            else:
                last_role.append(en)
            return en

        out: list[tuple[int, Quote]] = []
        resolved: list[tuple[int, _Entity, int]] = []  # (content start, entity, end) in text order
        for c in cands:
            en = resolve(c)
            if en is None:
                continue
            resolved.append((c.content[0], en, c.content[1] + (1 if c.kind == "direct" else 0)))
            out.append((c.content[0], self._quote(raw, f, c, en)))

        # cue-less direct quotes: through _CUELESS_RULES in order; the first that names a speaker makes the quote
        reports = sorted(c.content for c in cands if c.kind == "indirect")
        report_starts = [s for s, _ in reports]
        reach, furthest = [], -1
        for _, b in reports:
            furthest = max(furthest, b)
            reach.append(furthest)
        known = _Known(a, f, lo, entities, by_alias, persons_at, gender, names, new_entity, resolved,
                       [s for s, _, _ in resolved], [e for _, _, e in resolved],
                       [c.content for c in cands if c.kind == "indirect" and c.rule.startswith("cue-")])
        for q in a.speech:
            if q.open in a.attributed:
                continue
            k = bisect.bisect_right(report_starts, q.open) - 1
            if k >= 0 and reach[k] > q.open:
                continue  # a quoted phrase inside a report: part of a mixed item
            d = a.marks.get(q.open)
            for name, rule in _CUELESS_RULES:
                got = rule(self, known, q)
                if type(got) is str:
                    if d is not None:
                        d.declined.append(f"{name}: {got}")
                    continue
                en, span = got
                content = _new_span({"start": q.start, "end": q.close, "text": raw[q.start:q.close]})
                if span is None:  # the previous report's speaker, named there
                    out.append((q.start, _new_quote({"kind": "direct", "content": content, "speaker": None,
                                                     "speaker_name": en.name, "speaker_id": en.id, "cue": None,
                                                     "rule": name})))
                else:
                    ps, pe = span
                    en.mentions.append(span)
                    out.append((q.start, _new_quote({"kind": "direct", "content": content,
                                                     "speaker": _new_span({"start": ps, "end": pe,
                                                                           "text": raw[ps:pe]}),
                                                     "speaker_name": en.name, "speaker_id": en.id, "cue": None,
                                                     "rule": name, "entries": self._mention_entries(f[ps:pe])})))
                if d is not None:
                    d.fired.append(name)
                    a.made_by.append((_Cand("direct", (q.start, q.close), None, span, name), d))
                break
        out.sort(key=lambda x: x[0])
        return [q for _, q in out], entities

    # ------------------------------------------------------------ cue-less rules

    def _cueless_sentence_subject(self, k: _Known, q: _QuoteSpan):
        """他回忆当初的抉择，坚定的话语一如当年：“…”: the person or pronoun opening the sentence whose
        colon or comma the quote follows (a pronoun: the latest person named before it, never one
        named only later, nor one the text gives the other gender)."""
        f, lo = k.f, k.lo
        j = q.open - 1
        while j > lo and not f[j].strip():
            j -= 1
        if not (j >= lo and f[j] in "：:，,"):
            return "no colon or comma right before it"
        subj = self._sentence_subject(f, j, lo)
        if subj is None:
            return "no person or pronoun opens the sentence before its colon or comma"
        sub_text = f[subj[0]:subj[1]]
        if sub_text in self.lex.pronouns:
            said = self.mentions.gender(sub_text)
            other = frozenset(p.name for p in k.entities if p.person and k.gender.get(p.id, said) != said
                              ) if said is not None else frozenset()
            en = next((p for at, p in reversed(k.persons_at) if at < subj[0] and p.name not in other), None)
            near = self._nearest_name(f, lo, subj[0], k.names(), other)
            if near is not None:
                en = k.by_alias.get(near[0]) or k.new_entity(near[0], True, [], None, "person")
            if en is None:
                return "the pronoun opening the sentence points back to no person"
        elif sub_text not in k.by_alias and self._word_not_name(sub_text):
            # 保时捷具体将与哪家公司合作，“…”: a brand jieba files as a name is the topic
            return "the sentence's subject is a dictionary word the name statistics refuse (the topic)"
        else:
            en = k.by_alias.get(sub_text) or k.new_entity(sub_text, True, [], None, "person")
        return en, subj

    def _cueless_named_after(self, k: _Known, q: _QuoteSpan):
        """“…”物流部高级经理梁德重算了一笔账，: a titled or known person in the short clause right after it."""
        after = self._after_mention(k.f, q)
        if after is None:
            return "no short clause right after it (open, a mark at once, or over 30 characters)"
        if after[1] > k.a.para_end(q.close + 1):
            return "the quote ends its paragraph (the next paragraph's person is the next speaker)"
        clause = k.f[after[0]:after[1]]
        # a person the reading gives titles holds a title of the clause, one without holds a known
        # alias (every name it reads is part of the clause): a clause with neither is declined
        # before it is read (a reading tags it)
        if self.lex.titles_re.search(clause) is None and not any(alias in clause for alias in k.by_alias):
            return "no titled or known person in the short clause right after it"
        kind, name, titles, org = self._classify(clause)
        if kind not in ("person", "person-title") or not (titles or name in k.by_alias):
            return "no titled or known person in the short clause right after it"
        return k.by_alias.get(name) or k.new_entity(name, True, titles, org, "person"), after

    def _cueless_named_next_sentence(self, k: _Known, q: _QuoteSpan):
        """“…”发布会上，…副厅长杨大海介绍工作情况。: a titled person (or a dotted name) with a cue in
        the next sentence (_speaker_in_next_sentence)."""
        if not q.closed:
            return "the quote is never closed, so no sentence follows it"
        later = self._speaker_in_next_sentence(k.f, q.close + 1)
        if later is None:
            return "no titled person with a cue in the next sentence"
        ms, me, name, titles, org = later
        return k.by_alias.get(name) or k.new_entity(name, True, titles, org, "person"), (ms, me)

    def _cueless_named_later(self, k: _Known, q: _QuoteSpan):
        """“…”在复信中，习近平主席为…送上新春祝愿。 “…”乌杨街道将军村劳务经纪人聂春华对此深有体会。: a quote
        that is a whole sentence, not brought in by a colon or comma, is spoken by a known or
        introduced person who is the subject of a clause after it (_subject_person), in the rest of
        its sentence or the next, within its paragraph and before another quote opens."""
        if not q.closed:
            return "the quote is never closed, so no sentence follows it"
        f = k.f
        if f[q.close - 1] not in _SENT_END:
            return "the quote is no whole sentence (no end mark before its closing mark)"
        j = q.open - 1
        while j > k.lo and f[j] in " \u3000\t":
            j -= 1
        if f[j] in "：:，,":
            return "a colon or comma brings it in: what precedes it names its speaker"
        start = q.close + 1
        end = min(k.a.para_end(start), split(f).sentence_of(start)[1], start + _NEXT_SENTENCE)
        o = _OPENING_MARK.search(f, start, end)
        if o is not None:
            end = o.start()
        names = k.names()
        firsts = names.edges()[0]
        cs = start
        while cs < end:
            ce = cs
            while ce < end and f[ce] not in _CLAUSE_STOP:
                ce += 1
            got = self._subject_person(f, cs, ce, names, firsts)
            if type(got) is str:
                return got
            if got is not None:
                name, span = got
                return k.by_alias.get(name) or k.new_entity(name, True, [], None, "person"), span
            cs = ce + 1
        return "no known or introduced person is the subject of a clause after it in its sentence or the next"

    def _subject_person(self, f: str, cs: int, ce: int, names: _Names, firsts) -> tuple | str | None:
        """(person, mention span) when the clause f[cs:ce] opens with a known or introduced person,
        titles allowed before the name (乌杨街道将军村劳务经纪人聂春华) and after it (习近平主席), a verb,
        preposition or adverb next (聂春华对此…, 万小芳靠着…; not 梁雨的工作室, 李贵和张维礼) or the clause's
        comma; else None, or the reason when the person is marked as another (王荣进也持有类似看法)."""
        while cs < ce and not f[cs].strip():
            cs += 1
        for i in range(cs, ce):
            if f[i] not in firsts:
                continue
            size = next((n for n in range(min(_MAX_NAME, ce - i), 1, -1) if f[i:i + n] in names), 0)
            if not size:
                continue
            name, ne = names[f[i:i + size]], i + size
            title = self.lex.titles_re.match(f, ne, ce)
            rest = f[title.end() if title else ne:ce].strip()
            if rest.startswith(self.lex.other_speaker_marks):
                return "the person after it is another (rules/cues.toml [[other_speaker_marks]]: also, in turn)"
            if not rest and f[ce:ce + 1] == "，":
                pass  # 忠县拔山镇村民肖亚菲，第一时间找到…: the clause is the mention, the next its predicate
            elif (not rest or not _opens_with_word(rest[:6], _NAME_NEXT_TAGS)
                  or self.tagger.tagged(rest[:6])[0][1][:1] not in _NAME_NEXT_TAGS):
                return None  # the clause's first person is no subject
            if i > cs:  # the words before the name are its titles, not a verb, time, adverbial or description
                before = self.tagger.tagged(f[cs:i])
                if (before[0][1][:1] in _NOT_MENTION_OPENING or any(t[:1] == "u" for _, t in before)
                        or self._classify(f[cs:ne])[:2] not in (("person", name), ("person-title", name))):
                    return None
            return name, (cs, ne)
        return None

    def _cueless_named_nearby(self, k: _Known, q: _QuoteSpan):
        """The person named closest before it, a known speaker or an introduced name, but not one the
        quote names itself (“多年来，习近平主席一直记挂着…”)."""
        f, lo = k.f, k.lo
        pos = q.open
        for _ in range(3):
            near = self._nearest_name(f, lo, pos, k.names())
            skip: frozenset[str] = frozenset()
            while near is not None and len(skip) < 3 and f.find(f[near[1]:near[2]], q.start, q.close) != -1:
                skip = skip | {near[0]}
                near = self._nearest_name(f, lo, pos, k.names(), skip)
            inside = None if near is None else next(
                (r for r in k.reports if r[0] <= near[1] < r[1] and near[1] < split(f).sentence_of(r[0])[1]), None)
            if inside is None:
                break
            pos = inside[0]  # a name in a report's first sentence is its content: look before the report
        if near is None:
            return (f"no person named in the {_NEAR_WINDOW} characters before it (but ones it names)")
        return k.by_alias.get(near[0]) or k.new_entity(near[0], True, [], None, "person"), (near[1], near[2])

    def _cueless_continues_previous(self, k: _Known, q: _QuoteSpan):
        """A quote that opens right where the previous report ends (at most 3 blank characters on)
        continues it: the report's speaker, no mention of its own."""
        i = bisect.bisect_left(k.starts, q.open) - 1
        if i < 0 or not 0 <= q.open - k.ends[i] <= 3 or k.f[k.ends[i]:q.open].strip():
            return "no report ends right before it"
        return k.resolved[i][1], None

    def _quote(self, raw: str, f: str, c: _Cand, en: _Entity) -> Quote:
        s, e = c.content
        kind = c.kind
        if kind == "indirect" and _OPENING_MARK.search(f, s, e):
            kind = "mixed"
        ms, me = c.mention
        cue = None if c.cue is None else _new_span({"start": c.cue[0], "end": c.cue[1],
                                                    "text": raw[c.cue[0]:c.cue[1]]})
        entries = self._mention_entries(f[ms:me])
        if c.entry is not None:
            entries = (c.entry, *(x for x in entries if x != c.entry))
        return _new_quote({"kind": kind, "content": _new_span({"start": s, "end": e, "text": raw[s:e]}),
                           "speaker": self._span(raw, ms, me), "speaker_name": en.name,
                           "speaker_id": en.id, "cue": cue, "rule": c.rule, "entries": entries})

    def _span(self, raw: str, s: int, e: int) -> Span:
        """The Span of raw[s:e], made once per article: a quote's speaker mention is again one of
        its Speaker's mentions (571 of the corpus's 585), and each new Span is a validation."""
        got = self._spans.get((s, e))
        if got is None:
            got = self._spans[(s, e)] = _new_span({"start": s, "end": e, "text": raw[s:e]})
        return got

    def _mention_entries(self, text: str) -> tuple[str, ...]:
        """The ids of the rules/cues.toml entries whose words make the speaker mention what it is:
        a pronoun (他, 该负责人) alone, else its titles, honorific, anonymous description,
        demonstrative (该公司), relay (援引), outlet (《X》报, 媒体) and document (公告) words."""
        got = self._entries_memo.get(text)
        if got is None:
            got = self._entries_memo[text] = self._read_entries(text)
        return got

    def _read_entries(self, text: str) -> tuple[str, ...]:
        lex = self.lex
        pronoun = lex.pronouns.get(text)
        if pronoun is not None:
            return (pronoun,)
        out = [lex.title_ids[m.group()] for m in self.mentions.titles_in(text)]
        if text.endswith(lex.honorifics):
            out += [i for h, i in lex.honorific_ids.items() if text.endswith(h)][:1]
        for w in lex.anonymous if text.endswith(lex.anonymous) else ():
            if text.endswith(w):
                out.append(lex.anonymous_ids[w])
                break
        for w, i in lex.demonstrative_ids.items() if text.startswith(lex.demonstrative_tuple) else ():
            if text.startswith(w) and text[len(w):] in lex.generic_heads:
                out.append(i)
        for w, i in lex.relay_ids.items():
            if text.find(w, 2) != -1:
                out.append(i)
        j = text.rfind("》")
        tail = text[j + 1:] if j >= 0 else text
        if j >= 0 and tail in lex.outlet_ids:
            out.append(lex.outlet_ids[tail])  # 《X》报
        elif tail.endswith(lex.outlet_word_tuple):
            out += [i for w, i in lex.outlet_word_ids.items() if tail.endswith(w)][:1]  # 《X》网站, 外媒
        elif j < 0 and text.endswith(lex.document_tuple):
            out += [i for w, i in lex.document_ids.items() if text.endswith(w)][:1]  # 中国船舶公告
        return tuple(dict.fromkeys(out))


#: the cue rules, in order: (name, rule, whether the table goes on after it fires). A rule returns
#: the candidate it makes, or its reason to decline (a _Stop also ends the table for the cue).
#: The quote's rule is the name with the cue's prefix (cue-, frame-) and entry: cue-indirect:biaoshi.
_CUE_RULES = (
    ("quote-first", SpeakerFinder._rule_quote_first, True),
    ("quote", SpeakerFinder._rule_quote, False),
    ("nocomma", SpeakerFinder._rule_nocomma, False),
    ("bare", SpeakerFinder._rule_bare, False),
    ("colon-quote", SpeakerFinder._rule_colon_quote, False),
    ("indirect", SpeakerFinder._rule_indirect, False),
)

#: the rules for a quote of speech no cue took, in order: (name, rule). A rule takes the resolution's
#: state (_Known) and the quote span and returns (speaker, its mention span or None) or its reason to
#: decline; the first that names a speaker makes the quote, with the rule's name.
_CUELESS_RULES = (
    ("sentence-subject", SpeakerFinder._cueless_sentence_subject),
    ("named-after", SpeakerFinder._cueless_named_after),
    ("named-next-sentence", SpeakerFinder._cueless_named_next_sentence),
    ("named-later", SpeakerFinder._cueless_named_later),
    ("named-nearby", SpeakerFinder._cueless_named_nearby),
    ("continues-previous", SpeakerFinder._cueless_continues_previous),
)
