"""Invariants under hypothesis: numerals round-trip, offsets index the raw text, no exceptions,
linear cost (asserted on a size ratio, never on seconds)."""

import gc
import json
import time
from decimal import Decimal

import pytest
from hypothesis import example, given, settings, strategies as st

import cnextract
from cnextract.numbers import parse_numeral
from cnextract.records import iter_spans
from conftest import extract_cost

DIGITS = "零一二三四五六七八九"


def to_chinese(n: int) -> str:
    """An independent renderer (test oracle): 34567 -> 三万四千五百六十七."""
    if n == 0:
        return "零"

    def below_10k(x: int) -> str:
        out, zero = "", False
        for value, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
            d = x // value
            x %= value
            if d:
                if zero:
                    out += "零"
                    zero = False
                out += DIGITS[d] + name
            elif out:
                zero = True
        return out

    parts = []
    for value, name in ((10**8, "亿"), (10**4, "万"), (1, "")):
        chunk = n // value
        n %= value
        if chunk:
            if parts and chunk < 1000:
                parts.append("零")
            parts.append(below_10k(chunk) + name)
        elif parts and n:
            parts.append("零")
    text = "".join(parts)
    while "零零" in text:
        text = text.replace("零零", "零")
    return text.rstrip("零") or "零"


@given(st.integers(min_value=0, max_value=10**12 - 1))
def test_chinese_round_trip(n):
    assert parse_numeral(to_chinese(n)) == n


@given(st.integers(min_value=0, max_value=10**15))
def test_arabic_round_trip(n):
    assert parse_numeral(str(n)) == n
    assert parse_numeral(f"{n:,}") == n


@given(st.from_regex(r"\A[0-9]{1,20}(\.[0-9]{1,8})?\Z"))
def test_plain_arabic_short_cut_reads_as_the_full_reader(text):
    """parse_numeral reads 2024 and 6.1 with Decimal() directly; the full reader must agree to the
    digit and the exponent (0123 -> 123, 1.50 -> 1.50)."""
    from decimal import localcontext

    from cnextract.numbers import _parse

    with localcontext() as ctx:
        ctx.prec = 80
        slow = _parse(text)
    assert str(parse_numeral(text)) == str(slow)


@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2),
       st.sampled_from([("万", 10**4), ("亿", 10**8), ("万亿", 10**12)]))
def test_mixed_round_trip(d, mag):
    form, factor = mag
    text = format(d.normalize(), "f")
    assert parse_numeral(text + form) == Decimal(text) * factor


PIECES = ["增长", "6.1%", "３．５％", "近", "50万笔", "，", "。", "\n\n", "\u00a0", "\r\n", "“", "”", "万", "亿元",
          "700多万元", "百分之", "四十", "两三倍", "至", "个百分点", "‘33618’", "一是", "2024年", "\t", "\u3000",
          "降至", "翻一番", "1,234.5", "-", "负", "半", "几", "十", "千瓦", "/", "亩", "元", "级", "约",
          "億元", "萬", "約", "超過", "年減", "兩", "港币", "新台幣", "五六个亿", "十七八万", "1 个亿"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=4)), max_size=40))
def test_offsets_always_index_raw(pieces):
    raw = "".join(pieces)
    page = cnextract.extract(raw)
    for span in iter_spans(page):
        assert raw[span.start:span.end] == span.text


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_extract_never_raises_on_any_str(raw):
    page = cnextract.extract(raw)
    if "\x00" in raw:  # binary: the page keeps its size, not its text, and yields no records
        assert page.text == "" and page.source.size == len(raw) and not page.articles
    elif page.source.format == "html":  # markup (<A …): text is what the HTML reader extracted
        assert page.text.strip() or any(p.code == "empty-input" for p in page.problems)
    else:
        assert page.text == raw
    assert not [p for p in page.problems if p.code == "internal-error"]


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=200))
def test_extract_never_raises_on_any_bytes(data):
    cnextract.extract(data)


def test_linear_time_on_pathological_lines():
    cnextract.extract("预热")
    for unit in ("7", "万", "“", "增长6.1%，", "的", "一体化十四五3家，", "约港币十七八个亿，", "營收1 个亿、"):
        # grow the small input until it costs 20 ms, so timer noise cannot make the ratio
        small = unit * (8_000 // len(unit))
        while extract_cost(small) < 0.02 and len(small) < 256_000:
            small += small
        big = small * 4
        ratio = extract_cost(big) / extract_cost(small)
        # four times the input may cost at most about four times the time (slack for noise)
        assert ratio < 8, (unit, len(small), ratio)


@settings(max_examples=500, deadline=None)
@given(st.integers(min_value=-10**30, max_value=10**30), st.integers(min_value=-20, max_value=12))
def test_canonical_values_keep_their_value_and_drop_the_exponent(coefficient, exponent):
    """The value a Figure carries: equal to what was read, written without an exponent or
    trailing zeros (3E+12 -> 3000000000000, 100.00 -> 100, 1.50 -> 1.5)."""
    from cnextract.figures import canonical

    d = Decimal(coefficient).scaleb(exponent)
    got = canonical(d)
    assert got == d
    text = str(got)
    if got.adjusted() >= -6:  # below that Python's str writes 1E-7 for any Decimal
        assert "E" not in text
        if "." in text:
            assert not text.endswith("0")
    assert str(canonical(got)) == text


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("５０％，．ＡＢ\u3000\u00a0\t\r\u200b\ufeff\u2212 12万元增长。（）：a"), max_size=60))
def test_fold_is_the_character_table_applied_one_for_one(text):
    """fold() replaces runs of foldable characters only; the result is the table applied to every
    character, of the same length."""
    from cnextract.normalise import _FOLD, fold

    assert fold(text) == text.translate(_FOLD)
    assert len(fold(text)) == len(text)


def _cpu(text: str) -> float:
    """CPU seconds of one extract, best of two (CPU time: other jobs on the machine do not count)."""
    best = float("inf")
    for _ in range(2):
        gc.collect()  # garbage left by earlier tests is not this page's cost
        t0 = time.process_time()
        cnextract.extract(text)
        best = min(best, time.process_time() - t0)
    return best


def _interviewees(n: int) -> str:
    """A header announcing many interviews (访… / title + name) whose names the body never says."""
    sur, given = "张王李赵刘陈杨黄周吴", "伟芳娜敏静丽强磊军洋"
    names = [sur[i % 10] + given[i // 10 % 10] + given[i // 100 % 10] for i in range(n // 30)]
    return "".join(f"访全国人大代表\n重庆市市长{x}\n" for x in names) + "今年经济增长了很多，前景良好。\n" * (n // 32)


def _chain(mark: str):
    """1-2-3-…-9元: range marks chained, the last link carrying the unit."""
    return lambda n: "产值为" + mark.join(str(i % 10) for i in range(n // (1 + len(mark)))) + "元。"


# shapes whose cost was once quadratic in the page (issue 16): the smallest size to try for each
SHAPES = {
    "headlines-only": (lambda n: "# 标题\n" * (n // 5), 40_000),
    "headline-and-quotes": (lambda n: "# 标题\n“甲”“乙”“丙”“丁”“戊”“己”，张伟说。\n" * (n // 31), 20_000),
    "repeated-tails-with-figures": (lambda n: "".join(f"第{i}区5%，全市经济发展势头良好，各项指标持续向好提升\n"
                                                      for i in range(n // 30)), 40_000),
    "interviewees-never-named": (_interviewees, 40_000),
    "bylines-and-figures": (lambda n: "本报记者 张伟\n产值增长5%，利润增长6%。\n" * (n // 22), 40_000),
    "range-chain-dash": (_chain("-"), 2_000),
    "range-chain-zhi": (_chain("至"), 2_000),
    "range-chain-tilde": (_chain("~"), 2_000),
    "nested-divs": (lambda n: "<html><body>" + "<div>" * (n // 11) + "增长5%" + "</div>" * (n // 11)
                    + "</body></html>", 100_000),
    # the sentence splitter (page.split): a line of enclosures that never pair, and a line of
    # sentences, brackets and a stray opening mark
    "unpaired-marks": (lambda n: "增长5%" + "“甲乙" * (n // 6) + "）丙丁" * (n // 6) + "。", 40_000),
    "one-line-of-sentences": (lambda n: "“他说增长5%。（注：甲。）乙，丙；丁" * (n // 19), 40_000),
}


@pytest.mark.parametrize("shape", list(SHAPES))
def test_linear_cpu_cost_on_page_shapes(shape):
    """Four times the page may cost at most about four times the CPU time (8: slack for noise)."""
    make, n = SHAPES[shape]
    cnextract.extract("# 标题\n“我们要把经济搞上去。”张伟说，增长5%。\n")  # load everything first
    cost = _cpu(make(n))
    while cost < 0.03 and n < 1_000_000:
        n *= 2  # a cost of a few milliseconds is too noisy for a ratio
        cost = _cpu(make(n))
    small, big = make(n), make(4 * n)
    page = cnextract.extract(big)
    # extracted, not refused as degenerate (which would make any ratio small)
    assert not [p for p in page.problems if p.code in ("internal-error", "degenerate-input")], page.problems
    if shape.startswith("range-chain"):
        # every link is read (no RecursionError losing the article); the last two are the range
        assert len(page.figures) == big.count(big[4]) and page.figures[-1].text[-1] == "元"
        assert page.figures[-1].low is not None and page.figures[-1].high is not None
    if shape == "nested-divs":
        assert [p.code for p in page.problems] == ["html-error"] and "nest" in page.problems[0].message
        assert [f.text for f in page.figures] == ["5%"]
    ratio = _cpu(big) / max(cost, 1e-3)
    assert ratio < 8, (shape, len(small), ratio)
SURROGATES = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF, categories=["Cs"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=4), SURROGATES), max_size=40),
       st.one_of(st.none(), st.text(st.one_of(st.characters(), SURROGATES), max_size=6)))
def test_pages_from_text_with_lone_surrogates_serialise(pieces, name):
    """One policy for lone surrogates (issue 16): each becomes U+FFFD, one code point for one, with
    a lone-surrogate Problem; the page always serialises and its offsets index its text."""
    raw = "".join(pieces)
    page = cnextract.extract(raw, name=name)
    back = json.loads(page.model_dump_json(by_alias=True))
    assert back["text"] == page.text
    if "\x00" in raw:  # binary, not text: the page keeps no text (issue 16, part 5)
        assert page.text == "" and page.problems[-1].code == "binary-input"
    else:
        assert page.text == "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in raw)
    dirty = [x for x in (raw, name or "") if any(0xD800 <= ord(c) <= 0xDFFF for c in x)]
    assert len([p for p in page.problems if p.code == "lone-surrogate"]) == len(dirty)
    for span in iter_spans(page):
        assert page.text[span.start:span.end] == span.text


TRADITIONAL = "億萬項輛噸營收成長年減約超過兩點幾數臺灣後乾錤郭銘劉"


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=80),
                 st.text(alphabet=st.sampled_from(TRADITIONAL + "５０％，\u3000 12万元增长。a\U0002b4f9"), max_size=80)))
def test_fold_keeps_the_length_and_reads_traditional_one_for_one(text):
    """Any text, traditional or not: the fold is the whole table applied one character for one
    character, so the folded copy has the raw text's length and every offset is a raw offset."""
    from cnextract.normalise import _FOLD_ALL, fold

    folded = fold(text)
    assert len(folded) == len(text)
    assert folded == text.translate(_FOLD_ALL)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["分之", "分 之", "三", "十", "两", "〇", "百", "万", "仟", "2", "05", " ", ".", "点",
                                  "几", "又", "分", "之", "x", "元"]), max_size=20), st.integers(0, 4))
def test_the_guarded_fraction_scan_finds_what_the_fraction_pattern_finds(pieces, start):
    """find() scans for fractions with the table's pattern behind a first-character guard (a
    speed-up): the same matches, the same groups, from any start."""
    from cnextract.figures import table

    tb = table()
    text = "".join(pieces)
    spans = lambda ms: [(m.span(), m.span("den"), m.span("num")) for m in ms]  # noqa: E731
    assert spans(tb.fraction_scan_re.finditer(text, start)) == spans(tb.fraction_re.finditer(text, start))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["http", "s", "://", ":/", "www", "ww", "w", ".", "@", "a1", "Z", "-", "_%+",
                                  "com", " ", "中"]), max_size=16))
def test_every_address_holds_a_mark_the_address_pre_test_looks_for(pieces):
    """find() runs the address pattern only where one of _ADDRESS_MARKS occurs: no address lacks one."""
    from cnextract.figures import _ADDRESS_MARKS, _ADDRESS_RE

    text = "".join(pieces)
    for m in _ADDRESS_RE.finditer(text):
        assert any(mark in m.group() for mark in _ADDRESS_MARKS), m.group()


def _covering_by_pattern(tb, phrases, t, s, e):
    """The excluded phrase covering t[s] as the phrases' alternation finds it (the oracle of the
    look-up table)."""
    from cnextract.rules import alternation

    phrase_re = alternation(tb.x_phrase_map)
    lo, hi = phrases
    for ps in range(max(lo, s - tb.x_phrase_max), s + 1):
        m = phrase_re.match(t, ps, hi)
        if m is not None and s < m.end() and not (e > m.end() and t[m.end() - 1] in tb.point_chars):
            return ps, m.end(), tb.x_phrase_map[m.group()]
    return None


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_the_covering_phrase_look_up_finds_what_the_phrase_pattern_finds(data):
    """_covering_phrase reads excluded phrases from a table of lengths by first character (a
    speed-up): for any numeral position it finds the phrase the longest-first pattern finds."""
    from cnextract.figures import FigureFinder, table

    tb = table()
    forms = sorted(tb.x_phrase_map)
    pieces = st.one_of(st.sampled_from(forms), st.sampled_from(["一", "二", "点", "五", "十", "2", "x", "中", " "]))
    t = "".join(data.draw(st.lists(pieces, min_size=1, max_size=12)))
    s = data.draw(st.integers(0, len(t) - 1))
    e = data.draw(st.integers(s + 1, len(t)))
    lo = data.draw(st.integers(0, s))
    hi = data.draw(st.integers(e, len(t)))
    assert FigureFinder(tb)._covering_phrase((lo, hi), t, s, e) == _covering_by_pattern(tb, (lo, hi), t, s, e)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["30", "%", "-", " - ", "40", "万", "元", "至", "到", "零下", "负", "5", "度", "约",
                                  "多", "、", "，", "三", "十", "个", "百分点", "1", ".", "2024", "年", "亿", "（", "）",
                                  "分之", "百分之", "翻一番", " "]), max_size=14))
@example(["三", "零下", "5", "度"])  # 零下's sign reaches back into the numeral 三零 read before it
@example(["30", "%", "-", "40", "%"])
def test_the_numeral_loop_reads_the_same_figures_with_or_without_taken_spans(pieces):
    """find() asks a numeral whether it overlaps the spans taken before the numerals (addresses,
    fractions, percents, doublings) by bisection, and in an article with none of those compares it
    with the furthest candidate end alone (a speed-up): an address before the text, which makes
    the loop take the first way, changes no figure of the text, and no two figures overlap."""
    from cnextract.figures import FigureFinder
    from cnextract.normalise import fold

    body = "".join(pieces)
    lead = "见www.a.cn。\n"  # an address: a span taken before the numerals are read
    finder = FigureFinder()
    plain = finder.find(body, fold(body))
    finder.new_page()
    led = finder.find(lead + body, fold(lead + body))
    k = len(lead)
    key = lambda f, shift: (f.start - shift, f.end - shift, f.text, f.value, f.low, f.high, f.unit, f.kind)  # noqa: E731
    assert [key(f, k) for f in led if f.start >= k] == [key(f, 0) for f in plain]
    assert all(a.end <= b.start for a, b in zip(plain, plain[1:]))
