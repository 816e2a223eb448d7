"""Mentions: the spans a speaker can be, found and typed before attribution.

A mention is a span of the (folded) text with a type and a head: the source without its titles
(中国工程院院士钟南山 -> 钟南山), the outlet without its marks (香港《明报》 -> 明报), the anonymous
description without its quantifier (一位知情人士 -> 知情人士). Person names are found by their
shape, not only by a dictionary: a surname and a given name whose characters are likely given-name
characters (statistics counted at load time from the person names, tag ``nr``, of jieba's own
dictionary), transliterated names joined by a middle dot (安德留斯·库比留斯) and Latin-script names
(Runar Bjorhovde). Words live in rules/cues.toml (titles, times, trailing_acts, addressees,
conjunctions, outlets, outlet_words, documents, anonymous); this module holds the logic only.
Every read is bounded by the mention's length, so cost stays linear in the input.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from .rules import Rules, alternation, load_rules, longest_first
from .segment import _lexicon, _surnames

#: marks that join the parts of a transliterated name (蒂姆·库克, 埃隆•马斯克, 安德留斯‧库比留斯)
NAME_DOTS = "·•‧・.．"
_HAN = "\u4e00-\u9fff"
_DOTS_CLASS = re.escape(NAME_DOTS)
# a transliterated name: two or more Han runs joined by a dot (spaces round the dot as scraped)
_TRANSLIT = re.compile(f"[{_HAN}]{{1,8}}(?:[ \u3000]?[{_DOTS_CLASS}][ \u3000]?[{_HAN}]{{1,10}})+$")
_DOT_ANY = re.compile(f"[{_DOTS_CLASS}]")
# the runs before the last name dot of a transliterated name at the start of a text (沃特尔·|查纳卡…)
_DOTTED_HEAD = re.compile(f"(?:[{_HAN}]{{1,8}}[ \u3000]?[{_DOTS_CLASS}][ \u3000]?)+")
# Han runs joined by name dots at the end of a text, the first run with whatever precedes it
# (美联储理事斯蒂芬·米兰): the caller finds where the name starts in that run
_DOTTED_TAIL = re.compile(f"[{_HAN}]+(?:-[{_HAN}]+)*(?:[ \u3000]?[{_DOTS_CLASS}][ \u3000]?[{_HAN}]{{1,10}})+$")
# a Latin-script personal name: two to four capitalised words (Joachim Nagel, Karl Schamotta)
_LATIN_NAME = re.compile(r"[A-ZÀ-Þ][a-zA-Zß-ɏÀ-Þ'\-]+(?: (?:[A-Z]\.|[A-ZÀ-Þ][a-zA-Zß-ɏÀ-Þ'\-]+|van|von|de|der|da)){1,3}$")  # Börje Ekholm
# a parenthesis after a name that only spells it in Latin script: 卡布拉（Manish Kabria）
_GLOSS = re.compile(r"[（(][A-Za-z\u00c0-\u024f][A-Za-z\u00c0-\u024f .'\-]*[）)]$")  # (Håkan Samuelsson)
_NUMERAL = "0-9０-９〇零一二三四五六七八九十两"
_ACT_MAX = 20  # characters of an act after a glued day (21日举行年度记者招待会); more is a clause

_NUMERAL_RE = re.compile(f"[{_NUMERAL}]")
_QUANTIFIER = re.compile("^(?:(?:[一两几多数有某这那该]|部分|上述)?[位名个些](?!人士)|[0-9０-９.%％]+[ \u3000]*的?|有(?![关些])(?=.{2}))+")
JOINERS = ("和", "与", "及", "、")  # X和Y: two sources joined
_WORD_FREQ = 50  # a dictionary word this frequent before a title is a word (国家), not a rare name (方成)

MENTION_TYPES = ("person", "org", "outlet", "document", "anonymous", "group")


@dataclass(frozen=True, slots=True)
class Mention:
    """A typed mention: ``start``/``end`` index the text read, ``head`` is the source as named."""

    start: int
    end: int
    type: str  # one of MENTION_TYPES
    head: str  # the name without titles, marks or quantifier
    titles: tuple[str, ...] = ()
    organisation: str | None = None


class NameModel:
    """How likely a string is a Chinese given name, from character statistics.

    Counted once from jieba's dictionary: every word tagged ``nr`` that opens with a surname from
    rules/ gives its remaining one or two characters as a given name; every longer one that opens
    with none gives its characters to transliterated names (斯, 尔, 克). A character's score is the
    log of how much more often it stands in given names than in dictionary words at large; a
    given name scores the least of its characters, so one unlikely character (的, 是, 在) is enough
    to refuse it."""

    MIN_COUNT = 3  # a character seen in fewer given names than this is no evidence

    def __init__(self) -> None:
        given: Counter[str] = Counter()
        foreign: Counter[str] = Counter()  # characters of names that open with no surname
        background: Counter[str] = Counter()
        surnames = _surnames()
        lexicon = _lexicon()
        background.update("".join(lexicon))  # one pass in C over every word's characters
        for word, (_freq, tag) in lexicon.items():
            if tag != "nr" or not 2 <= len(word) <= 6:
                continue
            k = 2 if word[:2] in surnames else 1 if word[:1] in surnames else 0
            if not k and len(word) >= 3:
                foreign.update(word)
            rest = word[k:]
            if k and 1 <= len(rest) <= 2 and len(word) <= 4:
                given.update(rest)
        b_total = sum(background.values()) or 1

        def log_odds(counts: Counter[str]) -> dict[str, float]:
            total = sum(counts.values()) or 1
            return {ch: math.log((n / total) / ((background[ch] + 1) / b_total))
                    for ch, n in counts.items() if n >= self.MIN_COUNT}

        self._score = log_odds(given)
        self._foreign = log_odds(foreign)

    def score(self, given_name: str) -> float:
        """The least character score of a given name; -inf when a character is never in one."""
        if not given_name:
            return -math.inf
        return min(self._score.get(ch, -math.inf) for ch in given_name)

    def is_foreign(self, text: str, threshold: float = 0.0) -> bool:
        """A transliterated name written without a dot (博雷利, 赛义克): every character is far more
        frequent in the dictionary's surname-less person names than in its words, and the string
        is not itself a dictionary word of another kind."""
        if not 2 <= len(text) <= 6 or not all("\u4e00" <= ch <= "\u9fff" for ch in text):
            return False
        known = _lexicon().get(text)
        if known is not None and known[1] != "nr":
            return False
        return min(self._foreign.get(ch, -math.inf) for ch in text) >= threshold

    def is_name(self, text: str, threshold: float = 0.0) -> bool:
        """Surname (single or compound) + a one- or two-character given name of likely characters."""
        if not 2 <= len(text) <= 4 or not all("\u4e00" <= ch <= "\u9fff" for ch in text):
            return False
        surnames = _surnames()
        for k in (2, 1):
            if text[:k] in surnames and len(text) - k in (1, 2) and self.score(text[k:]) >= threshold:
                return True
        return False


@lru_cache(maxsize=1)
def name_model() -> NameModel:
    return NameModel()


@lru_cache(maxsize=1)
def _words() -> dict[str, tuple[str, ...]]:
    """The words of rules/cues.toml the trimming and typing below read by name."""
    c = load_rules().cues
    return {name: tuple(f for e in getattr(c, name) for f in e.forms)
            for name in ("not_dated_after", "adverb_marks", "addressee_reporters", "outlet_suffixes", "law_titles")}


class MentionReader:
    """Reads the span before a cue as a mention: trims what is not the source, then types it."""

    TITLED_THRESHOLD = -1.0  # least character score of a given name right after a title
    FOREIGN_THRESHOLD = -0.5  # least character score of a transliterated name right after a title
    BARE_FOREIGN_THRESHOLD = 0.0  # the same for a mention that is nothing but the name

    def __init__(self, rules: Rules | None = None):
        c = (rules or load_rules()).cues
        forms = lambda table: [f for e in table for f in e.forms]  # noqa: E731
        self.titles_re = alternation(forms(c.titles))
        self.times = tuple(longest_first(forms(c.times)))
        marks = "".join(sorted(set(forms(c.date_marks)) | set(forms(c.day_marks))))
        days = re.escape("".join(sorted(set(forms(c.day_marks))))) or "(?!)"
        # a date's pieces, each a numeral and its mark, a space on either side as some pages write
        # them (IT之家 2025 年 12 月 18 日)
        piece = f"[{_NUMERAL}]{{1,4}}[ \u3000]?[{re.escape(marks)}]"
        tails = alternation(forms(c.date_tails)).pattern if c.date_tails else "(?!)"
        self.date_re = re.compile(f"(?:{piece}[ \u3000]?)*{piece}(?:{tails})?$")  # 7月底: a tail ends it too
        # a date inside a mention, bare or in brackets: 29日, （1月28日）
        date_run = f"(?:{piece}[ \u3000]?)*{piece}"
        date_in = f"(?:[（(]{date_run}[）)]|(?<![{_NUMERAL}第]){date_run})"
        self.date_then_re = re.compile(f"{date_in}(?={alternation(forms(c.prepositions)).pattern})")
        # a date naming a day (29日, （1月28日）): a verb after it opens the act (see _date_then_verb)
        day_run = f"(?:[{_NUMERAL}]{{1,4}}[{re.escape(marks)}])*[{_NUMERAL}]{{1,4}}[{days}]"
        self.day_re = re.compile(f"(?:[（(]{day_run}[）)]|(?<![{_NUMERAL}第]){day_run})")
        self.dateline_re = re.compile(
            f".{{0,24}}?[{_NUMERAL}]{{1,2}}日(?:{alternation(forms(c.datelines)).pattern})(?:[（(][^（()）]{{0,30}}[）)])?[ \u3000]*")
        # the act of speaking glued before the cue: 发表声明, and any speech verb (他说, 周剑称)
        # (a verb that is also a document's last word stays: “十五五”规划建议)
        nouns = set(forms(c.documents)) | set(forms(c.org_suffixes))
        self.place_suffixes = tuple(f for e in c.org_suffixes if e.id == "place" for f in e.forms)
        verbs = set(forms(c.verbs)) - nouns
        self.acts = tuple(longest_first(set(forms(c.trailing_acts)) | verbs))
        self.relays = tuple(forms(c.relays))
        self.addressee_openers = tuple(f for e in c.addressees for f in e.forms)
        self.addressee_closers = tuple(f for e in c.addressees for f in e.closers)
        self.addressee_whole = frozenset(f for e in c.addressees for f in e.closers if len(f) < 2)
        self.conjunctions = tuple(longest_first(forms(c.conjunctions)))
        self.outlets = tuple(longest_first(forms(c.outlets)))
        self.outlet_words = tuple(longest_first(forms(c.outlet_words)))
        self.documents = tuple(longest_first(forms(c.documents)))
        self.issue_acts = tuple(longest_first(forms(c.issue_acts)))
        self.company_heads = tuple(forms(c.company_heads))
        self.prepositions = tuple(longest_first(forms(c.prepositions)))
        self.preposition_ends = frozenset(p[-1] for p in self.prepositions)
        self.date_in_re = re.compile(date_run)
        self.anonymous = tuple(longest_first(forms(c.anonymous)))
        after_number = [f for e in c.shares if e.id == "share-after-number" for f in e.forms]
        words = [f for e in c.shares if e.id != "share-after-number" for f in e.forms]
        self.share_re = re.compile("(?:[0-9０-９.]+[ \u3000]*(?:" + "|".join(map(re.escape, after_number or ["%"]))
                                   + ")" + "".join("|" + re.escape(w) for w in longest_first(words))
                                   + ")[ \u3000]*的?")
        self.pronouns = frozenset(forms(c.pronouns))
        self.reporters = tuple(forms(c.reporters))  # （记者刘志强）: a credit before the source
        self.relative_marks = tuple(forms(c.bare_relatives))  # 发布的《公报》: a verb describing a noun
        self.honorifics = tuple(forms(c.honorifics))
        self.demonstratives = tuple(longest_first(forms(c.demonstratives)))
        self.generic_heads = frozenset(f for e in c.demonstratives for f in e.closers)
        self.genders = {f: e.id for e in c.genders for f in e.forms}
        self.gender_suffixes = tuple(f for f in self.genders if len(f) > 1)
        self.gender_ends = frozenset(f[-1] for f in self.genders)  # a mention ending otherwise states none
        self.person_demonstratives = tuple(longest_first(forms(c.person_demonstratives)))
        self.memo: dict[str, Mention | None] | None = None  # read()'s, for one page (see read)
        self.titles_memo: dict[str, tuple] | None = None  # titles_in()'s, for one page

    def titles_in(self, text: str) -> tuple[re.Match, ...]:
        """The title matches of text in order (titles_re.finditer): with ``titles_memo`` set (a dict
        its owner forgets with the page), each text is scanned once, as a mention is read, classified
        and given its entries (the matches of an equal text, the same offsets and words)."""
        memo = self.titles_memo
        if memo is None:
            return tuple(self.titles_re.finditer(text))
        got = memo.get(text)
        if got is None:
            got = memo[text] = tuple(self.titles_re.finditer(text))
        return got

    # ------------------------------------------------------------ trimming

    def trim(self, f: str, s: int, e: int) -> tuple[int, int]:
        """Drop what is glued to a source but is not it: a leading conjunction (而, 但), a trailing
        time (16日, 当地时间1月27日, 今日早些时候), the act of speaking (发表声明) and an addressee
        (向界面新闻). Never trims a mention to less than two characters."""
        m = self.dateline_re.match(f, s, e)
        if m is not None and e - m.end() >= 2:
            s = m.end()  # 新华社华盛顿1月29日电（记者…）美国政府…
        k = f.rfind("\n", s, e)
        if k >= 0 and e - k > 2:
            s = k + 1  # a source never runs over a line break: 营业利润同比降19.5%⏎现代汽车 (a headline before)
            while s < e and f[s] in " \u3000\t":
                s += 1
        # a date holds a numeral: most mentions (names) have none and skip the slower searches
        if e - s > 4 and _NUMERAL_RE.search(f, s + 2, e) is not None:
            m = self.date_then_re.search(f, s + 2, e)
            if m is not None:
                e = m.start()  # 特朗普29日在华盛顿: the setting opens at the date
            else:
                e = self._date_then_verb(f, s, e)  # 俄罗斯国防部12日通报: the act opens at the date
        for _ in range(6):
            before = (s, e)
            text = f[s:e]
            for w in self.conjunctions if text.startswith(self.conjunctions) else ():
                rest = text[len(w):]
                if text.startswith(w) and (len(rest) >= 2 or rest in self.pronouns
                                           or _lexicon().get(rest, (0, ""))[1] == "r") and rest[:1] not in "，、":
                    s += len(w)
                    break
            text = f[s:e].rstrip(" \u3000")
            e = s + len(text)
            for w in self.acts if text.endswith(self.acts) else ():
                if text.endswith(w) and (len(text) - len(w) >= 2 or text[:-len(w)] in self.pronouns):
                    e -= len(w)
                    break
            text = f[s:e]
            m = self.date_re.search(text)
            # (date_re ends in a date mark) 29日, not 第3日 or 前5年; after a pronoun too (他26日)
            if (m is not None and (m.start() >= 2 or m.start() == 1 and text[0] in self.pronouns)
                    and not text[:m.start()].endswith(_words()["not_dated_after"])):
                e = s + m.start()
            at = s + next((len(w) for w in self.times if f.startswith(w, s)), 0)  # 今年1月26日以军
            m = self.day_re.match(f, at, e)
            if (m is not None and e - m.end() >= 2 and m.group()[:1] not in "（("
                    and not f.endswith(self.documents, m.end(), e)):
                # 1月28日贝森特, 1月26日公司, 2月1日的《广西日报》: a day before the source is when it
                # spoke (not 1月30日公告: a day names a filing)
                s = m.end() + (f.startswith(self.relative_marks, m.end()) and e - m.end() >= 3)
            text = f[s:e]
            for w in self.times if text.endswith(self.times) else ():
                if text.endswith(w) and len(text) - len(w) >= 2:
                    e -= len(w)
                    break
            text = f[s:e]
            if text.endswith(("）", ")")):
                k = max(text.rfind("（"), text.rfind("("))
                if k >= 2 and self.date_re.search(text[k + 1:-1]) is not None:
                    e = s + k  # 发布的（11月3日）
            text = f[s:e]
            k = self._addressee_at(text)
            if k >= 2 or k == 1 and text[:1] in self.pronouns:  # 她对我说: 她
                e = s + k
            text = f[s:e]
            for w in self.prepositions if text[-1:] in self.preposition_ends and text.endswith(self.prepositions) else ():
                word = _lexicon().get(text[-len(w) - 1:])
                if (text.endswith(w) and len(text) - len(w) >= 2
                        and not name_model().is_name(text[-2:], self.TITLED_THRESHOLD)
                        and not (word is not None and word[1][:1] in ("d", "a") and word[0] >= _WORD_FREQ)):
                    e -= len(w)  # 亚马逊于(1月28日)宣布: a preposition left by its cut date ends no name
                    # (主任陈向 is a name, 双方共同 an adverb)
                    break
            text = f[s:e]
            if text.endswith(_words()["adverb_marks"]) and len(text) >= 5:
                # 陈巧文眉开眼笑地, 亚瑟·霍尔德直言不讳地: a four-character idiom of the dictionary + 地;
                # 有些网友则幽默地, 习近平亲切地: an adjective or adverb of two + 地 (and a one-character
                # adverb before it, 则)
                known = _lexicon().get(text[-5:-1]) if len(text) >= 7 else None
                two = _lexicon().get(text[-3:-1])
                if known is not None and known[1][:1] in ("i", "l"):
                    e -= 5
                elif two is not None and two[1][:1] in ("a", "d", "z"):
                    e -= 3
                    one = _lexicon().get(f[e - 1:e]) if e - s >= 4 else None
                    if one is not None and one[1][:1] == "d":
                        e -= 1
            while e > s + 2 and f[e - 1] in " \u3000":
                e -= 1
            if (s, e) == before:
                break
        return s, e

    def anaphor(self, text: str) -> str | None:
        """该公司 -> 公司, 上述投行人士 -> 投行人士: the head noun a demonstrative points back with."""
        for d in self.demonstratives:
            if text.startswith(d) and 1 <= len(text) - len(d) <= 10:
                head = text[len(d):]
                if head in self.generic_heads or head.endswith(self.anonymous):
                    return head
        return None

    def gender(self, text: str) -> str | None:
        """The gender a mention states: a pronoun (她, 他) or an honorific at its end (钱女士)."""
        if text in self.genders:
            return self.genders[text]
        for w in self.gender_suffixes if text.endswith(self.gender_suffixes) else ():
            if text.endswith(w) and len(text) > len(w):
                return self.genders[w]
        return None

    def person_anaphor(self, text: str) -> str | None:
        """这位常驻西雅图的研究员 -> 研究员: the title a person demonstrative points back with (这位人士
        and 这位负责人 are anonymous sources, left to anaphor())."""
        if not text.startswith(self.person_demonstratives) or text.endswith(self.anonymous):
            return None
        titles = list(self.titles_re.finditer(text))
        if not titles or titles[-1].end() != len(text) or len(text) > 20:
            return None
        return titles[-1].group()

    def dotted_name(self, rest: str, cut) -> str | None:
        """The dotted name that opens rest (沃特尔·查纳卡推动了… -> 沃特尔·查纳卡): the Han runs joined by a
        name dot, the last one ending where a word of ``cut`` ends and reading as a transliteration."""
        m = _DOTTED_HEAD.match(rest)
        if m is None:
            return None
        head = m.group()
        ends, at = [], len(head)
        for word, _tag in cut(rest[len(head):len(head) + 12]):
            at += len(word)
            ends.append(at)
        for e in reversed(ends):
            cand = rest[:e]
            last = cand[len(head):].strip(" \u3000")
            if _TRANSLIT.fullmatch(cand) and name_model().is_foreign(last, self.FOREIGN_THRESHOLD):
                return cand
        return None

    def person_before(self, f: str, lo: int, pos: int, cut, window: int = 150) -> tuple[str, int, int] | None:
        """The person named latest before pos by a title and a name (…联合创始人玛格丽特 · 米切尔仍具吸引力
        -> 玛格丽特 · 米切尔). ``cut`` splits a string into (word, tag) pairs: a name ends where a
        word ends, the longest such name of a likely shape wins. Bounded by the window."""
        low = max(lo, pos - window)
        best = None
        for m in self.titles_re.finditer(f, low, pos):
            rest = f[m.end():min(m.end() + 16, pos)]
            name = self.dotted_name(rest, cut)
            if name is None:
                ends, at = [], 0
                for word, _tag in cut(rest):
                    at += len(word)
                    ends.append(at)
                name = next((rest[:e] for e in reversed(ends)
                             if 2 <= e <= 4 and name_model().is_name(rest[:e], self.TITLED_THRESHOLD)
                             or 3 <= e <= 6 and name_model().is_foreign(rest[:e], self.FOREIGN_THRESHOLD)), None)
            if name is not None and (best is None or m.end() + len(name) > best[2]):
                best = (name, m.end(), m.end() + len(name))
        return best

    def clean(self, name: str) -> str:
        """A name found by the tagger with what trim() cuts taken off (周剑称 -> 周剑)."""
        s, e = self.trim(name, 0, len(name))
        return name[s:e]

    def _date_then_verb(self, f: str, s: int, e: int) -> int:
        """Where a day's date inside f[s:e] (29日, （1月28日）; [[day_marks]]) is followed by a verb, the longest word of
        jieba's dictionary there being tagged v (12日通报, 21日举行年度记者招待会, （30日）发布消息),
        the mention ends at the date: what follows is the act, not the source; else e. Dates
        inside 《》 (a document's title) are left alone, and so is a verb that opens a relative
        clause (29日发布的《公报》: the document is the source)."""
        lexicon = _lexicon()
        for m in self.day_re.finditer(f, s + 2, e):
            at = m.end()
            if f.startswith(self.times, at):  # 30日晚发布: a time of the day between
                at += next(len(w) for w in self.times if f.startswith(w, at))
            if at >= e or e - at > _ACT_MAX or f.count("《", s, m.start()) > f.count("》", s, m.start()):
                continue  # (a long run after the date is a clause: its cue is no act of the source)
            for n in (4, 3, 2):
                known = lexicon.get(f[at:at + n]) if at + n <= e else None
                if known is not None and known[0]:
                    if known[1][:1] == "v" and not f.startswith(self.relative_marks, at + n):
                        return m.start()
                    if known[1] in ("d", "ad", "a") and at + n == e:
                        return m.start()  # 商务部新闻发言人30日具体(介绍): an adverb of the act ends it
                    break
        return e

    def _addressee_at(self, text: str) -> int:
        """Where 向/对 + an outlet or reporter, or 对/跟 + a pronoun, begins at the end of text
        (after one character at least), or -1."""
        for opener in self.addressee_openers:
            k = text.rfind(opener)
            if k < 1 or len(text) - k > 14:
                continue
            rest = text[k + len(opener):]
            if len(rest) < 2 and rest not in self.addressee_whole:
                continue
            if k < 2 and not rest.endswith(self.addressee_closers):
                continue  # a one-character source (她对我们) only before a closer
            if k == 2 and all(t is not None and t[1][:1] == c for t, c in
                              zip((_lexicon().get(text[0]), _lexicon().get(text[1])), "rv")):
                continue  # 我想跟大家: a pronoun and a verb before 跟/对 make a clause, not a source
            if rest.endswith(self.addressee_closers) or rest.endswith(_words()["addressee_reporters"]):
                return k
            if rest.isascii() or any(ch.isdigit() for ch in rest):
                return k  # 向36氪, 对CNBC
        return -1

    # ------------------------------------------------------------ typing

    def read(self, text: str, start: int = 0) -> Mention | None:
        """Type a trimmed mention by the shapes this module knows; None leaves it to the caller.

        Shapes: 《X》 outlets and documents, titled persons whose name is transliterated, Latin or
        found by its characters (first or after the title: 王明高级督察), two persons joined
        (X和Y: a group), and anonymous descriptions with a quantifier or a share (一位知情人士,
        23.5%的受访者).

        A reading is a function of the text alone, its offsets moved by ``start``: with ``memo``
        set (a dict its owner forgets with the page), each text is read once."""
        memo = self.memo
        if memo is None:
            return self._read(text, start)
        got = memo.get(text, memo)
        if got is memo:
            got = memo[text] = self._read(text, 0)
        if got is None or not start:
            return got
        return Mention(got.start + start, got.end + start, got.type, got.head, got.titles, got.organisation)

    def _read(self, text: str, start: int) -> Mention | None:
        t = text.strip()
        if not t or t in self.pronouns:
            return None
        end = start + len(t)
        for relay in self.relays:
            k = t.find(relay)
            if k >= 2 and len(t) - k - len(relay) >= 2:
                rest, at = t[k + len(relay):], start + k + len(relay)
                inner = self.read(rest, at)
                ends_title = [m for m in self.titles_re.finditer(rest) if m.end() == len(rest)]
                if inner is None and (rest.endswith(self.anonymous) or ends_title):
                    q = _QUANTIFIER.match(rest)
                    head = rest[q.end():] if q is not None and len(rest) - q.end() >= 2 else rest
                    inner = Mention(at, at + len(rest), "anonymous", head)  # 援引一名美国官员(的话)
                os_, oe = self.trim(t, 0, k)
                outer = self._outlet(t[os_:oe]) if inner is None or inner.type == "anonymous" else None
                if outer is not None and outer[0] == "outlet":
                    # 彭博社引述消息人士, 财联社引述多名业者: an outlet relaying no named source is the source
                    return Mention(start + os_, start + oe, *outer)
                if inner is not None:
                    return inner  # 援引消息人士(的话): the relayed source speaks
                break
        outlet = self._outlet(t)
        if outlet is not None:
            return Mention(start, end, *outlet)
        doc = (self._dated_document(t) or self._issued_document(t)) if t.endswith(self.documents) else None
        if doc is not None:
            return Mention(start, end, "document", doc)
        anon = self._anonymous(t)
        if anon is not None:
            return Mention(start, end, "anonymous", anon)
        if t.endswith(self.honorifics):
            return None  # 负责人钱先生: surname + honorific is the caller's (its titles too)
        person = self._titled_person(t)
        if person is not None:
            head, titles, org = person
            return Mention(start, end, "person", head, titles, org)
        if 3 <= len(t) <= 6 and name_model().is_foreign(t, self.BARE_FOREIGN_THRESHOLD):
            return Mention(start, end, "person", t)  # 拉里贾尼, 佩斯科夫: a transliterated name alone
        if (_DOT_ANY.search(t) is not None and _TRANSLIT.fullmatch(t)
                and all(len(p.strip(" \u3000")) <= 6 for p in _DOT_ANY.split(t))):
            return Mention(start, end, "person", t)  # 艾尔肯·吐尼亚孜: Han runs joined by a name dot
        group = self._group(t)
        if group is not None:
            return Mention(start, end, "group", group)
        return None

    def _outlet(self, t: str) -> tuple[str, str] | None:
        """据香港《明报》报道 -> 明报; 《X》+网站/杂志 -> X; a document title 《…法》 is a document."""
        k = t.rfind("《")
        j = t.rfind("》")
        if k == -1:
            # 路透社, 共同社, 美国媒体: an outlet named without marks, as written
            if "《" not in t and "》" not in t and 3 <= len(t) <= 12 and (
                    t.endswith(_words()["outlet_suffixes"]) or t.endswith(self.outlet_words)):
                return "outlet", t
            return None
        if j < k or t.count("《") != 1:
            return None
        name = t[k + 1:j]
        tail = t[j + 1:]
        if not name or (tail and tail not in self.outlet_words and tail not in self.outlets):
            return None
        if name.endswith(self.documents) or name.endswith(_words()["law_titles"]):
            return ("document", name) if not tail else None
        if tail or name.endswith(self.outlets):
            return "outlet", name
        return None

    def _dated_document(self, t: str) -> str | None:
        """中国船舶今日公告 -> 中国船舶公告: a time between the issuer and its document is left out
        of the name (the span stays as written)."""
        for d in self.documents if t.endswith(self.documents) else ():
            if t.endswith(d) and len(t) > len(d) + 2:
                issuer = t[:-len(d)]
                s, e = self.trim(issuer, 0, len(issuer))
                if e < len(issuer) and s == 0 and e >= 2 and not self._addressee_at(issuer) >= 0:
                    return issuer[:e] + d
                return None
        return None

    def _issued_document(self, t: str) -> str | None:
        """美国特斯拉公司公布的最新财报 -> 特斯拉公司财报: the issuer (without the country or region
        it opens with) and the document; what stands between them (最新, 2026财年第二季度) is left
        out of the name. None when no issuer is named (周三公布的财报)."""
        for d in self.documents if t.endswith(self.documents) else ():
            if not t.endswith(d):
                continue
            body = t[:-len(d)]
            ks = [(body.rfind(a), a) for a in self.issue_acts]
            k, act = max(ks)
            if k < 2:
                return None
            s, e = self.trim(body, 0, k)
            issuer = body[s:e].strip(" \u3000")
            m = self.date_in_re.search(issuer)
            if m is not None and m.start() >= 2:
                issuer = issuer[:m.start()]
            for w in self.prepositions if issuer.endswith(self.prepositions) else ():
                if issuer.endswith(w) and len(issuer) - len(w) >= 2:
                    issuer = issuer[:-len(w)]  # 晶丰明源于2019年10月8日披露的: the date and its 于 go
                    break
            known = _lexicon().get(issuer)
            if (not issuer or issuer in self.times or self.date_re.fullmatch(issuer)
                    or known is not None and known[1][:1] in ("d", "t", "f", "r", "m")):
                named = t[k + len(act):].strip(" \u3000")  # 刚刚发布的第23次…调查报告: no issuer, the
                return named if len(named) > len(d) else None  # document as written after the act
            q = issuer.rfind("“")
            if q > 0 and "”" in issuer[q:]:
                issuer = issuer[q:]  # 社交平台脸书母公司“元”公司: the quoted name after a description
            for n in (3, 2) if issuer.endswith(self.company_heads) else ():
                known = _lexicon().get(issuer[:n])
                if known is not None and known[1] == "ns" and len(issuer) - n >= 2:
                    issuer = issuer[n:]  # 美国特斯拉公司 -> 特斯拉公司
                    break
            if len(issuer) < 2 or len(issuer) > 16 or any(ch in "，。；：%\n" for ch in issuer):
                return None
            return issuer + d
        return None

    def _anonymous(self, t: str) -> str | None:
        for a in self.anonymous if t.endswith(self.anonymous) else ():
            if t.endswith(a):
                m = _QUANTIFIER.match(t)
                if m is not None and m.end() > 0:
                    rest = t[m.end():].strip(" \u3000")
                    return rest if rest.endswith(a) and rest else a
                shares = list(self.share_re.finditer(t))
                if shares:
                    rest = t[shares[-1].end():].strip(" \u3000")
                    if rest.endswith(a) and len(rest) >= 2:
                        return rest  # 本期约61.1%的受访者 -> 受访者: the share is not the source
                return None
        return None

    def _name_shape(self, rest: str, threshold: float = 0.0) -> str | None:
        """A name as written at the end of a title chain: Latin, transliterated, by statistics, or
        any short Han run that a Latin gloss follows (卡布拉（Manish Kabria）)."""
        rest = rest.strip(" \u3000")
        g = _GLOSS.search(rest)
        glossed = g is not None and g.start() >= 2
        if glossed:
            rest = rest[:g.start()].rstrip(" \u3000")
        if not rest:
            return None
        if _LATIN_NAME.fullmatch(rest) or _TRANSLIT.fullmatch(rest):
            return rest
        if name_model().is_name(rest, threshold) or name_model().is_foreign(rest, self.FOREIGN_THRESHOLD):
            return rest
        if glossed and 2 <= len(rest) <= 6 and all("\u4e00" <= ch <= "\u9fff" for ch in rest):
            return rest
        return None

    def _titled_person(self, t: str) -> tuple[str, tuple[str, ...], str | None] | None:
        titles = self.titles_in(t)
        if not titles:
            return None
        last = titles[-1]
        rest = t[last.end():]
        if rest.strip():
            # after a title a name is expected: a weaker character score is enough
            head = self._name_shape(rest, threshold=self.TITLED_THRESHOLD)
            if head is None or head in self.pronouns:
                return None
            if self.joined_sources(rest):
                return None  # 业内专家和家长, 某产品经理和我们: sources joined, not the person 和家长
            chain = tuple(p.strip(" \u3000") for p in t[:last.end()].split("、") if p.strip(" \u3000"))
            org = t[:titles[0].start()].split("、")[-1].strip(" \u3000") or None
            return head, chain, org
        # a title after the name: 王明高级督察 -> 王明 (two to four characters found by statistics),
        # also after a chain: 执行主任李云星教授 -> 李云星
        before = titles[-2].end() if len(titles) > 1 else 0
        head = t[before:last.start()]
        if last.start() > before and name_model().is_name(head, self.TITLED_THRESHOLD if before else 0.0):
            chain = tuple(p.strip(" \u3000") for p in t[:before].split("、") if p.strip(" \u3000"))
            org = t[:titles[0].start()].split("、")[-1].strip(" \u3000") or None if before else None
            return head, (*chain, last.group()), org
        # an organisation, then the name, then its title: 南京大学天文与空间科学学院方成院士
        for n in (3, 2):
            name = head[-n:]
            known = _lexicon().get(name[1:]) if n == 3 else None
            if known is not None and known[1] != "nr":
                continue  # 俄别尔哥罗德州: 德州 is a place, 罗德州 no name
            whole = _lexicon().get(name)
            if whole is not None and whole[1][:2] != "nr" and whole[0] >= _WORD_FREQ or name.endswith(self.place_suffixes):
                continue  # 欧洲国家官员, 西达尔富尔州官员: a common word or a place, no name (方成院士 is one)
            if len(head) - n >= 2 and (name_model().is_name(name) or whole is not None and whole[1] == "nrfg"):
                # (…底线习近平总书记: a headline glued before a name jieba's dictionary files as a
                # person's full name, nrfg; not 宣传部, which it tags nr)
                return name, (last.group(),), head[:-n]
        return None

    @staticmethod
    def joined_sources(rest: str) -> bool:
        """Whether what follows a title opens with a joiner and a dictionary word that is no name
        (和家长, 和我们): a second source joined to the first, not a name (和凛毅 is one, and so is
        和伟: a one-character word is a given name's morpheme)."""
        rest = rest.strip(" \u3000")
        known = _lexicon().get(rest[1:]) if rest.startswith(JOINERS) and len(rest) >= 3 else None
        return known is not None and known[1][:2] != "nr"

    def _group(self, t: str) -> str | None:
        """X和Y: two persons joined speak as a group; the head is the text as written, never a
        merged name."""
        for j in JOINERS:
            k = t.find(j)
            if 2 <= k and len(t) - k - len(j) >= 2:
                a, b = t[:k], t[k + len(j):]
                # one name found by statistics vouches for a surname-led neighbour (李文轩和钟子湫)
                if (self._is_person(a) and self._shaped_like_name(b)) or (
                        self._shaped_like_name(a) and self._is_person(b)):
                    return t
        return None

    @staticmethod
    def _shaped_like_name(s: str) -> bool:
        if _TRANSLIT.fullmatch(s) or _LATIN_NAME.fullmatch(s):
            return True
        surnames = _surnames()
        return 2 <= len(s) <= 4 and all("\u4e00" <= ch <= "\u9fff" for ch in s) and (
            s[:2] in surnames and len(s) >= 3 or s[:1] in surnames and len(s) <= 3)

    def _is_person(self, s: str) -> bool:
        if _TRANSLIT.fullmatch(s) or _LATIN_NAME.fullmatch(s):
            return True
        known = _lexicon().get(s)
        return (known is not None and known[1] == "nr") or name_model().is_name(s)
