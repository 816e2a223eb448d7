"""Invariants under hypothesis: numerals round-trip, offsets index the raw text, no exceptions,
linear cost (asserted on a size ratio, never on seconds)."""

import json
import time
from decimal import Decimal

from hypothesis import given, settings, strategies as st

import cnextract
from cnextract.numbers import parse_numeral
from cnextract.records import iter_spans

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
    assert page.text == raw
    assert not [p for p in page.problems if p.code == "internal-error"]


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=200))
def test_extract_never_raises_on_any_bytes(data):
    cnextract.extract(data)


def _cost(text: str) -> float:
    """Best of five runs: a millisecond-scale run is easily doubled by a busy machine."""
    best = float("inf")
    for _ in range(5):
        t0 = time.perf_counter()
        cnextract.extract(text)
        best = min(best, time.perf_counter() - t0)
    return best


def test_linear_time_on_pathological_lines():
    cnextract.extract("预热")
    for unit in ("7", "万", "“", "增长6.1%，", "的", "一体化十四五3家，", "约港币十七八个亿，", "營收1 个亿、"):
        # grow the small input until it costs 20 ms, so timer noise cannot make the ratio
        small = unit * (8_000 // len(unit))
        while _cost(small) < 0.02 and len(small) < 256_000:
            small += small
        big = small * 4
        ratio = _cost(big) / _cost(small)
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
    assert back["text"] == page.text and len(page.text) == len(raw)
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
