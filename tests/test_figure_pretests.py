"""The figure finder's cheap pre-tests (a tuple test, a set test or a digit test before a slower
scan) decide exactly as the scans they guard: each row is a sentence where the guarded rule fires,
next to one where the pre-test must let the figure through untouched.

Sentences written for this test; the readings are the rules' own (ANNOTATION.md): a long sign
(零下), a phone number, a figure opening a short quoted phrase, a unit behind a scale character
(千瓦).
"""

from decimal import Decimal

import pytest

from cnextract.figures import find_figures, table

CASES = [
    # a long sign before the numeral (one tuple test finds that one may end there)
    ("当地气温零下四摄氏度。", "零下四摄氏度", "measure", Decimal("-4"), "°C", "numeral+unit"),
    ("气温降至-5℃。", "-5℃", "measure", Decimal("-5"), "°C", "numeral+unit"),
    ("当地气温四摄氏度。", "四摄氏度", "measure", Decimal("4"), "°C", "numeral+unit"),
    # phone numbers open with a digit; the phone rule sets them aside as codes
    ("可拨打13912345678咨询。", "13912345678", "code", Decimal("13912345678"), None, "phone"),
    ("可拨打0871-65123456咨询。", "0871-65123456", "code", None, None, "phone"),
    # an opening quote mark within eight characters before the figure makes it a name or slogan
    ("新增企业“32条”政策", "32条", "code", None, None, "quoted-figure"),
    ("他说：“今年营收增长了三成”，", "三成", "code", None, None, "quoted-figure"),
    # ... and one further back does not
    ("他说：“今年全市规模以上工业营收增长了三成”，", "三成", "percent", Decimal("30"), "%", "numeral+unit"),
    # a numeral backs off its last scale character for a unit starting with it (三千瓦)
    ("装机容量三千瓦。", "三千瓦", "measure", Decimal("3000"), "W", "numeral+unit"),
]


@pytest.mark.parametrize("text,span,kind,value,unit,rule", CASES, ids=[c[0] for c in CASES])
def test_pretest_decides_as_the_scan(text, span, kind, value, unit, rule):
    figs = [f for f in find_figures(text) if f.text == span]
    assert len(figs) == 1, [f.text for f in find_figures(text)]
    f = figs[0]
    assert text[f.start:f.end] == span
    assert (f.kind, f.value, f.unit, f.rule) == (kind, value, unit, rule)


def test_bare_magnitude_is_declined_and_bounded_one_is_kept():
    # set-superset test of magnitude characters: 万 alone is no figure, 上万人 is one (more than)
    assert [f.text for f in find_figures("万众一心。") if f.kind != "number"] == []
    kept = [f for f in find_figures("现场聚集了上万人。") if f.kind == "count"]
    assert [(f.text, f.value, f.qualifier) for f in kept] == [("万人", Decimal("10000"), "more_than")]


def _decisions(finder, text):
    from cnextract.normalise import fold

    finder.new_page()
    decisions = []
    figs = finder.find(text, fold(text), decisions=decisions, problems=[])
    return [f.model_dump() for f in figs], [(d.start, d.end, d.text, d.rule, d.declined) for d in decisions]


def test_single_numeral_in_a_word_is_declined_before_the_read_as_after_it():
    # _rule_read declines a single numeral character glued to a word (四川, 一看) at once, as
    # in-word would after the read: the same figures and the same decisions as the full run, for
    # every such character before every CJK character the corpus writes after a numeral, the
    # characters the pre-test must let through (units, 个, 至, 多, magnitudes) and spaced tails
    import random
    from pathlib import Path

    from cnextract.figures import FigureFinder

    fast, full = FigureFinder(), FigureFinder()
    full.__dict__["_in_word_chars"] = frozenset()  # the pre-test off: every numeral is read
    chars = sorted(fast._in_word_chars)
    assert {"一", "四", "三", "两"} <= set(chars) and "万" not in chars and "陆" not in chars
    corpus = "".join(p.read_text(encoding="utf-8") for p in sorted(Path(__file__).parents[1].glob("corpus/raw/*.txt")))
    nexts = sorted({b for a, b in zip(corpus, corpus[1:]) if a in chars and "\u4e00" <= b <= "\u9fff"})
    nexts += sorted(fast._in_word_blocked)
    rng = random.Random(13)
    tails = ["", "家企业", " 个百分点", "年", "至五成", "倍", "多人"]
    # after a vague lead (数千节电池, 几十词元: bulk pages B00509, B00900) the bound keeps the numeral
    leads = ["", "", "", *sorted(table().vague_chars)]
    fired = 0
    for ch in chars:
        for nxt in nexts:
            text = f"今年{rng.choice(leads)}{ch}{nxt}{rng.choice(tails)}，增长5%。"
            got = _decisions(fast, text)
            assert got == _decisions(full, text), text
            fired += any(d[3] == "in-word" for d in got[1])
    assert fired > 1000  # the early decline was met, not only the slow path


def test_numeral_scanner_matches_its_regex_form():
    # the scanner runs on the standard re, written two ways the regex engine's form was not: it
    # opens with the class of a numeral's first character (so re skips the places none starts)
    # where the regex form opened with a look-ahead of that class, and a point after up to four
    # spaces (三 点 五) is one fixed-width look-behind per count of spaces where the regex form
    # had one variable-width look-behind; both must match the same at every position and end
    import random

    import regex

    from cnextract.figures import _ARABIC, _ARABIC_REST

    tb = table()
    cn, vague, mags = tb.cls_cn, tb.cls_vague, tb.cls_mags
    head = f"[0-9{cn}{vague}](?:(?<=[0-9])(?:{_ARABIC_REST})|(?<=[{cn}])|(?<=[{vague}])(?=[{mags}]))"
    regex_head = f"(?=[0-9{cn}{vague}])(?:{_ARABIC}|[{cn}]|[{vague}](?=[{mags}]))"
    cls = f"[{tb.cls_digits}{mags}]"
    sp = r"[ \u3000]"
    fixed = "(?:" + "|".join(f"(?<={cls}{sp * k})" for k in range(5)) + ")"
    pattern = tb.numeral_re.pattern
    assert pattern.startswith(head) and pattern.count(fixed) == 1
    variable = regex.compile(regex_head + pattern[len(head):].replace(fixed, f"(?<={cls}{sp}{{0,4}})"))
    assert [m.group() for m in tb.numeral_re.finditer("三  点五万，十 点 二，1.5亿，12,345.6元，数十 点 三，数据")] \
        == ["三  点五万", "十 点 二", "1.5亿", "12,345.6", "数十 点 三"]
    rnd = random.Random(7)
    alphabet = "0123456789一二三十百千万亿点點几数多余个 \u3000.,，元"
    for _ in range(3000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 16)))
        for p in range(len(text)):
            for end in (len(text), p + 2):
                a, b = tb.numeral_re.match(text, p, end), variable.match(text, p, end)
                assert (a and a.span()) == (b and b.span()), (text, p, end)
        for p in range(0, len(text), 3):
            a, b = tb.numeral_re.search(text, p), variable.search(text, p)
            assert (a and a.span()) == (b and b.span()), (text, p)


def test_comparison_base_is_found_in_the_last_reach_characters():
    # _direction searches only the clause's last compared_reach characters for a base written
    # out (比2020年, 与上年相比): no match is longer, so it finds what a search of the whole does
    import random

    tb = table()
    rnd = random.Random(11)
    alphabet = ["与", "比", "较", "相比", "上年", "2020年", "，", "、", "\n", "同期", "增长", "x"]
    for _ in range(3000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 20)))
        for p in range(1, len(text) + 1):
            whole = tb.compared_re.search(text[:p])
            tail = tb.compared_re.search(text[max(0, p - tb.compared_reach):p])
            assert (whole and whole.group()) == (tail and tail.group()), (text, p)
