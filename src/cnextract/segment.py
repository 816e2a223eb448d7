"""The only module that imports a segmenter: jieba (default) or rjieba (the Rust port, optional).

Both backends are private instances loaded with our user words from rules/, never the global
dictionaries. Callers get tokens with page offsets and never see which backend ran. Segment only
what an extractor needs (a sentence or a window round a cue), never whole pages: the quote
extractor's Tagger cuts short windows with the pipeline's backend and takes tags and word
frequencies from jieba's dictionary file, read once into one table.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import stat
import sys
from functools import lru_cache
from math import log as _log
from typing import Literal, NamedTuple

from .rules import load_rules

Backend = Literal["jieba", "rjieba"]
BACKENDS: tuple[Backend, ...] = ("jieba", "rjieba")


class Token(NamedTuple):
    text: str
    start: int
    end: int


class SegmenterUnavailable(RuntimeError):
    """The requested backend is not installed (rjieba comes with ``pip install cnextract[fast]``)."""


@lru_cache(maxsize=1)
def _jieba():
    """The private jieba Tokenizer with our words: what tokens() cuts with, and where the
    frequencies of our user words come from. The Tagger never loads it: it cuts with jieba_cut over
    _cut_table, the same prefix dictionary built from _lexicon (tags and frequencies come from
    _lexicon for either backend)."""
    import jieba  # imported lazily: loading the dictionary costs about a second

    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    # jieba's own default keeps its cache at a fixed name in the shared temp directory and
    # marshal-loads whatever file sits there; ours lives in a private per-user directory and is
    # read only when it passes _trusted, else the table is built from jieba's dictionary file.
    where = cache_dir()
    cache = None if where is None else os.path.join(where, _CACHE_NAME)
    if cache is not None and (not os.path.lexists(cache) or _trusted(cache)):
        tok.tmp_dir, tok.cache_file = where, _CACHE_NAME
        tok.initialize()
    else:
        # no cache read or written: what initialize() does when its cache fails to load
        tok.FREQ, tok.total = tok.gen_pfdict(tok.get_dict_file())
        tok.initialized = True
    for word in load_rules().userdict:
        tok.add_word(word)
    tok.initialize()
    return tok


_CACHE_NAME = "jieba.cache"


def cache_dir() -> str | None:
    """This user's private cache directory for cnextract (created with mode 0700), or None when
    there is none we can trust: the platform's convention ($XDG_CACHE_HOME/cnextract, else
    ~/.cache/cnextract; ~/Library/Caches/cnextract on macOS, %LOCALAPPDATA%\\cnextract on
    Windows). A directory owned by another user, or one others may write to that we cannot make
    private, is not used."""
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or os.path.expanduser(r"~\AppData\Local")
    elif sys.platform == "darwin":
        base = os.path.expanduser("~/Library/Caches")
    else:
        base = os.environ.get("XDG_CACHE_HOME", "")
        if not os.path.isabs(base):  # the XDG spec: a relative value is ignored
            base = os.path.expanduser("~/.cache")
    path = os.path.join(base, "cnextract")
    try:
        os.makedirs(path, mode=0o700, exist_ok=True)
        st = os.stat(path)
        if not _ours(st):
            return None
        if stat.S_IMODE(st.st_mode) & 0o077:
            os.chmod(path, 0o700)
    except OSError:  # read-only home, no home: build without a cache
        return None
    return path


def _ours(st: os.stat_result) -> bool:
    return not hasattr(os, "geteuid") or st.st_uid == os.geteuid()


def _trusted(path: str) -> bool:
    """A cache file may be read only when it is a regular file we own that no one else may write."""
    try:
        st = os.stat(path)
    except OSError:
        return False
    return stat.S_ISREG(st.st_mode) and _ours(st) and not stat.S_IMODE(st.st_mode) & 0o022


def require(backend: Backend) -> None:
    """Raise SegmenterUnavailable now, without loading anything, if the backend is not installed
    (a Pipeline asks at construction rather than on its first page)."""
    if backend != "jieba" and importlib.util.find_spec(backend) is None:
        raise SegmenterUnavailable(f"segmenter {backend!r} is not installed; pip install 'cnextract[fast]'")


@lru_cache(maxsize=1)
def _rjieba():
    """The private rjieba instance with our words (``pip install 'cnextract[fast]'``)."""
    require("rjieba")
    import rjieba

    tok = rjieba.Jieba()
    for word in load_rules().userdict:
        tok.add_word(word, None, None)
    return tok


def _segmenter(backend: Backend):
    """The loaded instance of one backend. jieba's Tokenizer and rjieba's Jieba share the calls we
    make: ``cut(text)`` and ``tokenize(text, "default", True)``, both with the HMM on."""
    if backend == "jieba":
        return _jieba()
    if backend == "rjieba":
        return _rjieba()
    raise ValueError(f"unknown segmenter {backend!r}; choose one of {', '.join(BACKENDS)}")


def tokens(text: str, start: int = 0, backend: Backend = "jieba") -> list[Token]:
    """Segment ``text`` (a slice of a page beginning at ``start``); offsets are page offsets."""
    if not text:
        return []
    return [Token(w, start + b, start + e) for w, b, e in _segmenter(backend).tokenize(text, "default", True)]


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, tuple[int, str]]:
    """jieba's dictionary as word -> (frequency, part-of-speech tag), read once from the file jieba
    ships (the same lines its tokenizer and its POS tagger read); no tokenizer is built, so the
    rjieba backend never loads jieba's own tables. Words from rules/userdict.txt are cut whole by
    either backend but have no frequency or tag here."""
    return _dictionary()[0]


@lru_cache(maxsize=1)
def _dictionary() -> tuple[dict[str, tuple[int, str]], int]:
    """_lexicon's table and the file's total frequency as jieba's Tokenizer counts it (every
    line, a word listed twice twice: the total its route divides by)."""
    from importlib.resources import files

    import jieba

    out: dict[str, tuple[int, str]] = {}
    tags: dict[str, str] = {}  # one string per tag, not one per line (about 20 MB less)
    total = 0
    with files(jieba).joinpath(jieba.DEFAULT_DICT_NAME).open(encoding="utf-8") as lines:
        for line in lines:
            parts = line.strip().split(" ")
            if len(parts) == 3:
                freq = int(parts[1])
                out[parts[0]] = (freq, tags.setdefault(parts[2], parts[2]))
                total += freq
    return out, total


class CutTable(NamedTuple):
    """What jieba_cut reads: every dictionary word and every prefix of one (jieba's prefix
    dictionary), a word mapped to its (frequency, tag) entry of _lexicon (the same tuple), a
    prefix that is no word to (0, ""), a user word (rules/userdict.txt) to (frequency, "") with the
    frequency jieba gives it; and the log of the total frequency. One table serves the cut and the
    tags, so a window's look-ups touch one table, not jieba's and ours."""

    words: dict[str, tuple[int, str]]
    log_total: float


_PREFIX = (0, "")


@lru_cache(maxsize=1)
def _cut_table() -> CutTable:
    """jieba's prefix dictionary as Tokenizer.gen_pfdict makes it from the same file, with our user
    words added as Tokenizer.add_word adds them, built from _lexicon without loading jieba's
    Tokenizer (which holds the same table again)."""
    lexicon, total = _dictionary()
    words: dict[str, tuple[int, str]] = {}
    for w, entry in lexicon.items():
        words[w] = entry
        for k in range(1, len(w)):
            words.setdefault(w[:k], _PREFIX)
    user = load_rules().userdict
    if user:  # their frequencies as jieba suggests them: jieba's own Tokenizer works them out
        tok = _jieba()
        for w in user:
            words[w] = (tok.FREQ[w], lexicon[w][1] if w in lexicon else "")
            for k in range(1, len(w)):
                words.setdefault(w[:k], _PREFIX)
        total = tok.total
    return CutTable(words, _log(total))


class Tagger:
    """(word, POS) for short windows (a mention, a clause), never a whole page.

    Words come from the chosen backend's cut (jieba's small 4-state HMM finds unknown words;
    rjieba is its Rust port and cuts the same), tags from jieba's dictionary; an unknown word of
    2-3 characters after a surname is a person name (nr). jieba.posseg's joint HMM over its many
    tag states gave the same corpus scores at about twice the cost of the whole extraction.

    Tagged windows are memoised for one page (``new_page`` forgets them), so a benchmark of
    repeated pages cannot look faster than one page read once.
    """

    _MEMO_MAX = 8192

    def __init__(self, backend: Backend = "jieba"):
        self.backend = backend  # loaded on first use: a figures-only pipeline never loads it
        self._memo: dict[str, tuple[tuple[str, str], ...]] = {}
        self._memos: dict[str, dict] = {}  # page_memo's, forgotten with the tagged windows

    def load(self) -> "Tagger":
        """Load the dictionary and the backend now instead of on the first page."""
        _lexicon()
        if self.backend == "jieba":
            _cut_table()
        else:
            _segmenter(self.backend)
        return self

    def new_page(self) -> None:
        self._memo.clear()
        self._memos.clear()

    def page_memo(self, name: str) -> dict:
        """A memo that lives as long as the tagged windows (one page, at most _MEMO_MAX entries),
        for a caller's results worked out from the text alone (a mention's reading)."""
        memo = self._memos.get(name)
        if memo is None or len(memo) >= self._MEMO_MAX:
            memo = self._memos[name] = {}
        return memo

    def tagged(self, text: str) -> list[tuple[str, str]]:
        if not text:
            return []
        text = text[:200]
        got = self._memo.get(text)
        if got is None:
            if len(self._memo) >= self._MEMO_MAX:
                self._memo.clear()
            got = self._memo[text] = self._tag(text)
        return list(got)

    def _tag(self, text: str) -> tuple[tuple[str, str], ...]:
        surnames = _surnames()
        out: list[tuple[str, str]] = []
        if self.backend == "jieba":
            table = _cut_table()
            cut, lexicon = jieba_cut(table, text), table.words  # the words cut and their tags: one table
        else:
            cut, lexicon = _segmenter(self.backend).cut(text), _lexicon()
        for w in cut:
            known = lexicon.get(w)
            if known is not None and known[1]:
                flag = known[1]
            else:
                flag = "nr" if 2 <= len(w) <= 3 and starts_with_surname(w) else "x"
            # a surname the dictionary knows alone, then a place-like or unknown piece: one name
            # (李/克东 -> 李克东; 克东 is a county in the dictionary)
            if out and out[-1][1] == "nr" and len(out[-1][0]) == 1 and out[-1][0] in surnames \
                    and 1 <= len(w) <= 2 and flag in _NAME_TAIL_TAGS:
                out[-1] = (out[-1][0] + w, "nr")
                continue
            out.append((w, flag))
        return tuple(out)


def jieba_cut(table: CutTable, text: str) -> list[str]:
    """``list(tok.cut(text))`` for jieba's Tokenizer (HMM on), worked out as jieba works it out
    from the same table (_cut_table): the same blocks, the same dictionary route (the same float
    sums, ties to the longer word) and the same HMM, with the same tie-breaks; only without
    jieba's generators, dictionaries of lists and per-character tuples, which cost most of its
    time on the short windows the Tagger cuts. tests/test_segment_cut.py holds it to jieba's own
    cut on every window of the corpus."""
    import jieba

    get = table.words.get
    han = jieba.re_han_default
    skip = jieba.re_skip_default
    logtotal = table.log_total
    out: list[str] = []
    for blk in han.split(text):
        if not blk:
            continue
        if not han.match(blk):
            for x in skip.split(blk):
                if skip.match(x):
                    out.append(x)
                else:
                    out.extend(x)
            continue
        n = len(blk)
        # Tokenizer.get_DAG and .calc in one right-to-left pass: the best log probability from each
        # place (prob) and where its first word ends (last); jieba's max over (probability, end)
        # pairs is a >= here, the ends being tried in increasing order (a tie goes to the longer)
        prob = [0.0] * (n + 1)
        prob[n] = 0
        last = [0] * (n + 1)
        for k in range(n - 1, -1, -1):
            best = None
            end = k
            i = k
            frag = blk[k]
            while i < n:
                entry = get(frag)
                if entry is None:
                    break
                f = entry[0]
                if f:
                    p = _log(f) - logtotal + prob[i + 1]
                    if best is None or p >= best:
                        best, end = p, i
                i += 1
                frag = blk[k:i + 1]
            if best is None:  # no word starts here: the character alone
                best = _log(get(blk[k], _PREFIX)[0] or 1) - logtotal + prob[k + 1]
            prob[k] = best
            last[k] = end
        # Tokenizer.__cut_DAG: single characters gather in buf; a run the dictionary lacks goes to the HMM
        x = 0
        buf = ""
        while True:
            if x < n:
                y = last[x] + 1
                if y - x == 1:
                    buf += blk[x]
                    x = y
                    continue
            if buf:
                if len(buf) == 1:
                    out.append(buf)
                elif not get(buf, _PREFIX)[0]:
                    _hmm_cut(buf, out)
                else:
                    out.extend(buf)
                buf = ""
            if x >= n:
                break
            out.append(blk[x:y])
            x = y
    return out


def _hmm_cut(text: str, out: list[str]) -> None:
    """jieba.finalseg.cut(text), appended to out."""
    from jieba import finalseg

    forced = finalseg.Force_Split_Words
    for blk in finalseg.re_han.split(text):
        if not blk:
            continue
        if not finalseg.re_han.match(blk):
            out.extend(x for x in finalseg.re_skip.split(blk) if x)
            continue
        states = _viterbi(blk, finalseg.start_P, finalseg.trans_P, finalseg.emit_P, finalseg.MIN_FLOAT)
        begin = nexti = 0
        for i, state in enumerate(states):
            if state == "B":
                begin = i
            elif state == "E":
                word = blk[begin:i + 1]
                out.extend(word if word in forced else (word,))
                nexti = i + 1
            elif state == "S":
                out.append(blk[i])  # one character: split or not, the same
                nexti = i + 1
        if nexti < len(blk):
            word = blk[nexti:]
            out.extend(word if word in forced else (word,))


def _viterbi(obs: str, start_p, trans_p, emit_p, low: float) -> list[str]:
    """jieba.finalseg.viterbi's state path: the same sums in the same order, and the same
    tie-breaks (max over (probability, previous state) pairs; B from E or S, M from M or B,
    S from S or E, E from B or M; the path ends in E or S)."""
    eb, em, ee, es = emit_p["B"], emit_p["M"], emit_p["E"], emit_p["S"]
    tb, tm, te, ts = trans_p["B"], trans_p["M"], trans_p["E"], trans_p["S"]
    eb_, sb_ = te.get("B", low), ts.get("B", low)
    mm_, bm_ = tm.get("M", low), tb.get("M", low)
    ss_, es_ = ts.get("S", low), te.get("S", low)
    be_, me_ = tb.get("E", low), tm.get("E", low)
    c = obs[0]
    vb = start_p["B"] + eb.get(c, low)
    vm = start_p["M"] + em.get(c, low)
    ve = start_p["E"] + ee.get(c, low)
    vs = start_p["S"] + es.get(c, low)
    pb, pm, pe, ps = ["B"], ["M"], ["E"], ["S"]
    for c in obs[1:]:
        e = eb.get(c, low)
        a, b = ve + eb_ + e, vs + sb_ + e
        nb, qb = (b, ps) if (b, "S") > (a, "E") else (a, pe)
        e = em.get(c, low)
        a, b = vm + mm_ + e, vb + bm_ + e
        nm, qm = (a, pm) if (a, "M") > (b, "B") else (b, pb)
        e = es.get(c, low)
        a, b = vs + ss_ + e, ve + es_ + e
        ns, qs = (a, ps) if (a, "S") > (b, "E") else (b, pe)
        e = ee.get(c, low)
        a, b = vb + be_ + e, vm + me_ + e
        ne, qe = (b, pm) if (b, "M") > (a, "B") else (a, pb)
        vb, vm, vs, ve = nb, nm, ns, ne
        pb, pm, ps, pe = qb + ["B"], qm + ["M"], qs + ["S"], qe + ["E"]
    return ps if (vs, "S") > (ve, "E") else pe


#: tags a given name mis-read as a word can carry: place, other proper noun, unknown, name part
_NAME_TAIL_TAGS = frozenset({"ns", "nz", "x", "nr", "nrt", "nrfg", "ng", "j"})


@lru_cache(maxsize=1)
def _surnames() -> frozenset[str]:
    return frozenset(f for e in load_rules().cues.surnames for f in e.forms)


def starts_with_surname(text: str, pos: int = 0) -> bool:
    """A single (王) or compound (欧阳) surname from rules/cues.toml starts at pos."""
    names = _surnames()
    return text[pos:pos + 1] in names or text[pos:pos + 2] in names


def may_open_name(text: str, pos: int, common: int) -> bool:
    """A person's name can start at pos: a surname does, and no dictionary word seen ``common``
    times or more (高质量, 全面, 表示) that is not itself a name starts there instead. Two look-ups
    that spare the tagger most clause openings."""
    names = _surnames()
    if text[pos:pos + 1] not in names and text[pos:pos + 2] not in names:  # starts_with_surname
        return False
    lexicon = _lexicon()
    for n in (4, 3, 2):  # dictionary_word_at, inline: the longest word seen in the dictionary
        known = lexicon.get(text[pos:pos + n])
        if known is not None and known[0] and pos + n <= len(text):
            return known[1][:2] == "nr" or known[0] < common
    return True


def dictionary_word_at(text: str, pos: int, longest: int = 4) -> tuple[str, str] | None:
    """The longest word of jieba's dictionary (two characters or more) starting at pos, with its
    tag: a cheap look-up that tells a clause opening 高质量 from one opening 郑棚."""
    lexicon = _lexicon()
    for n in range(longest, 1, -1):
        w = text[pos:pos + n]
        known = lexicon.get(w) if len(w) == n else None
        if known is not None and known[0]:
            return w, known[1]
    return None


def word_frequency(word: str) -> int:
    """How often jieba's dictionary has seen the word (0 if never): common words are rarely names."""
    known = _lexicon().get(word)
    return known[0] if known is not None else 0


def word_tag(word: str) -> str | None:
    """jieba's part-of-speech tag for a dictionary word (None if the dictionary lacks it)."""
    known = _lexicon().get(word)
    return known[1] if known is not None else None


@lru_cache(maxsize=1)
def _log_total() -> float:
    """The log of the dictionary's total frequency, as jieba's route divides by it (counted once,
    as the file is read)."""
    return _log(_dictionary()[1] or 1)


@lru_cache(maxsize=4096)
def cut_words(text: str, most: int) -> tuple[str, ...]:
    """The first ``most`` words of a short window (after a numeral: 5万车主加入 -> 车主, 加入), cut
    as jieba's dictionary route cuts (the most probable path over the words the dictionary
    knows, HMM off) from the tag table alone: either backend, no tokenizer loaded."""
    import math

    lexicon = _lexicon()
    total = _log_total()
    n = len(text)
    route: list[tuple[float, int]] = [(0.0, 0)] * (n + 1)
    for i in range(n - 1, -1, -1):
        best = None
        for j in range(i + 1, min(n, i + 8) + 1):
            known = lexicon.get(text[i:j])
            if j > i + 1 and (known is None or not known[0]):
                continue
            score = math.log(known[0] if known and known[0] else 1) - total + route[j][0]
            if best is None or score > best[0]:
                best = (score, j)
        route[i] = best
    out = []
    i = 0
    while i < n and len(out) < most:
        j = route[i][1]
        out.append(text[i:j])
        i = j
    return tuple(out)
