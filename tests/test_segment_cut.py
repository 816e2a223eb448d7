"""segment.jieba_cut is jieba's own cut (Tokenizer.cut, HMM on), word for word: the Tagger cuts its
windows with it, and records must not change because it replaced jieba's generators."""

import json
import random
from pathlib import Path

import pytest

from cnextract import Pipeline, segment

ROOT = Path(__file__).resolve().parent.parent


def _pages() -> list[str]:
    pages = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus" / "raw").glob("*.txt"))]
    with open(ROOT / "tests" / "data" / "bulk_pages.jsonl", encoding="utf-8") as lines:
        pages += [json.loads(line)["text"] for line in lines]
    return pages


@pytest.fixture(scope="module")
def tok():
    return segment._jieba()


def _same(tok, text: str) -> None:
    assert segment.jieba_cut(segment._cut_table(), text) == list(tok.cut(text)), text


def test_every_window_the_pipeline_tags_is_cut_as_jieba_cuts_it(tok):
    """The windows the quote extractor asks the Tagger for on the corpus and the bulk sample."""
    asked: list[str] = []

    class Recording(segment.Tagger):
        def _tag(self, text):
            asked.append(text)
            return super()._tag(text)

    nlp = Pipeline()
    nlp._tagger = nlp._speakers.tagger = Recording()
    for page in _pages():
        nlp(page)
    assert len(asked) > 300  # the windows of a corpus and bulk-sample pass (417 since the quote finder tags names lazily)
    for text in asked:
        _same(tok, text)


def test_windows_and_lines_of_real_text_are_cut_as_jieba_cuts_them(tok):
    """Windows of 1 to 14 characters from every 5th place of every page (Han, Latin, digits,
    dotted codes, spaces and punctuation as pages write them), and every whole line."""
    for page in _pages():
        for k in range(0, len(page), 5):
            _same(tok, page[k:k + 1 + k % 14])
        for line in page.split("\n"):
            _same(tok, line)


def test_made_up_mixtures_are_cut_as_jieba_cuts_them(tok):
    """Strings no page holds: unknown runs the HMM must split, the characters jieba keeps in a
    block (+#&._%-), spaces, CRLF and full-width forms next to each other."""
    pieces = ["王", "克东", "说", "郑棚", "表示", "习近平", "总书记", "的", "了", "A", "b3", "9.5", "%", "-", "+", "#",
              "&", "_", ".", " ", "\r\n", "\n", "\u3000", "，", "。", "“", "”", "５", "Ａ", "鑫", "淼", "犇",
              "赟", "昇", "龘", "丨", "〇", "々", "\u9fd6", "\u9fff"]
    rng = random.Random(12)
    for _ in range(3000):
        _same(tok, "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12))))
    for text in ["", " ", "鑫淼犇赟", "龘龘龘", "a-b_c.d", "9.5%的", "郑棚说", "李克东表示"]:
        _same(tok, text)


def test_the_cut_table_is_jiebas_prefix_dictionary(tok):
    """_cut_table holds every word and prefix of jieba's own FREQ with the same frequency, and the
    log of its total: the route jieba_cut works out is jieba's because the numbers are."""
    import math

    table = segment._cut_table()
    assert {w: e[0] for w, e in table.words.items()} == tok.FREQ
    assert table.log_total == math.log(tok.total)
    lexicon = segment._lexicon()
    assert all(table.words[w] is e for w, e in lexicon.items())  # the tags, shared


def test_user_words_enter_the_cut_table_as_jieba_adds_them(monkeypatch):
    """A word of rules/userdict.txt gets the frequency jieba's add_word gives it, and the cut
    finds it as jieba's own cut does."""
    import dataclasses

    from cnextract import rules

    words = ("郝鹏表示", "经济总量突破")
    base = rules.load_rules()
    try:
        custom = base.model_copy(update={"userdict": words})
    except AttributeError:  # a dataclass
        custom = dataclasses.replace(base, userdict=words)
    monkeypatch.setattr(segment, "load_rules", lambda: custom)
    for cached in (segment._jieba, segment._cut_table):
        cached.cache_clear()
    try:
        tok = segment._jieba()
        table = segment._cut_table()
        assert {w: e[0] for w, e in table.words.items()} == tok.FREQ
        text = "辽宁省委书记郝鹏表示，经济总量突破3万亿元。"
        assert segment.jieba_cut(table, text) == list(tok.cut(text))
        assert "郝鹏表示" in segment.jieba_cut(table, text)
    finally:
        monkeypatch.undo()
        for cached in (segment._jieba, segment._cut_table):
            cached.cache_clear()
