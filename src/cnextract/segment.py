"""The only module that imports jieba: a private Tokenizer with our words, tokens with offsets."""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import NamedTuple

from .rules import load_rules


class Token(NamedTuple):
    text: str
    start: int
    end: int


@lru_cache(maxsize=1)
def _tokenizer():
    import jieba  # imported lazily: loading the dictionary costs about a second

    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    for word in load_rules().userdict:
        tok.add_word(word)
    return tok


def tokens(text: str, start: int = 0) -> list[Token]:
    """Segment ``text`` (a slice of a page beginning at ``start``); offsets are page offsets."""
    if not text:
        return []
    return [Token(w, start + b, start + e) for w, b, e in _tokenizer().tokenize(text, HMM=True)]


def boundaries(text: str, start: int = 0) -> set[int]:
    """Every word boundary in the slice, as page offsets."""
    out = {start}
    for t in tokens(text, start):
        out.add(t.end)
    return out


@lru_cache(maxsize=1)
def _pos_tokenizer():
    import jieba.posseg

    return jieba.posseg.POSTokenizer(_tokenizer())


def tagged(text: str) -> list[tuple[str, str]]:
    """(word, POS) for a short window only (a mention, a clause); never a whole page."""
    if not text:
        return []
    return [(w.word, w.flag) for w in _pos_tokenizer().cut(text[:200])]


def word_frequency(word: str) -> int:
    """How often jieba's dictionary has seen the word (0 if never): common words are rarely names."""
    tok = _tokenizer()
    tok.check_initialized()
    return tok.FREQ.get(word) or 0
