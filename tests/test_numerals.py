"""The numeral parser on written forms whose value a reader knows: each row is one reading rule.

Sources: ISSUE text (part 1) and the peer suites' cases (ids cited) where the reading is plain
Chinese; rows that must be refused are refused with NumeralError, never read as a wrong value.
"""

from decimal import Decimal

import pytest

from cnextract.numbers import NumeralError, parse_numeral

READS = [
    ("3,600", "3600"), ("1,234.5", "1234.5"), ("三万四千五百六十七", "34567"), ("两千零五", "2005"),
    ("十八", "18"), ("一百零八", "108"), ("壹仟贰佰", "1200"), ("二〇二三", "2023"),
    ("3万亿", "3000000000000"), ("1.75亿", "175000000"), ("两万五", "25000"), ("负3.2", "-3.2"),
    # 零 before a unit counts one of it: rt-number-0293, cn2an-number-0016, rt-number-0296
    ("一万零十二", "10012"), ("一千零十", "1010"), ("一百零十万", "1100000"), ("零十", "10"),
    # a point after a unit or after an elided unit: rt-number-0208, rt-number-0207, cn2an-number-0179
    ("两千三点一", "2300.1"), ("一千六点五", "1600.5"), ("两千点零", "2000.0"),
    ("十二万三千点零", "123000.0"), ("一百二十点五", "120.5"), ("两千万点五五四四", "20000000.5544"),
    # Arabic decimals after a Chinese point: cn2an-number-0112
    ("一百点123", "100.123"), ("一百点05", "100.05"),
    # digit strings with a point: cn2an-number-0089, cn2an-number-0126
    ("一七二零点一", "1720.1"), ("一二点三零", "12.30"), ("十点二三三", "10.233"),
    ("三点五万", "35000"),
]

REFUSED = ["七十百", "五十千", "三点五十", "点五", "一百点", "负"]


@pytest.mark.parametrize("written,value", READS, ids=[r[0] for r in READS])
def test_reads(written, value):
    assert parse_numeral(written) == Decimal(value)


@pytest.mark.parametrize("written", REFUSED)
def test_refuses(written):
    with pytest.raises(NumeralError):
        parse_numeral(written)


# past 28 significant digits (the default decimal context) and past 80 (the parser's old one):
# read exactly, never rounded and never an arithmetic error (issue 16)
LONG = [("123456789012345678901234567890", "123456789012345678901234567890"),
        ("1" + "0" * 90, "1" + "0" * 90), ("九" * 90, "9" * 90), ("负" + "9" * 85 + ".25", "-" + "9" * 85 + ".25"),
        ("9" * 60 + "亿", "9" * 60 + "0" * 8), ("三" + "亿" * 12, "3" + "0" * 96)]


@pytest.mark.parametrize("written,value", LONG, ids=["30-digits", "1e90", "90-nines", "negative-85", "60-yi", "yi-12"])
def test_long_numerals_read_exactly(written, value):
    got = parse_numeral(written)
    assert got == Decimal(value) and got.as_tuple().exponent <= 0  # every digit kept


def test_a_numeral_over_the_length_cap_is_refused_not_read():
    from cnextract.numbers import MAX_NUMERAL_CHARS

    assert parse_numeral("9" * MAX_NUMERAL_CHARS) == Decimal("9" * MAX_NUMERAL_CHARS)
    for written in ("9" * (MAX_NUMERAL_CHARS + 1), "九" * 640_000):
        with pytest.raises(NumeralError, match="longer than"):
            parse_numeral(written)


# 又 joins a whole number and a fraction into one mixed number (rules/numerals.toml [[mixed]]):
# rt-number-0237, rt-number-0242, rt-number-0248, rt-number-0251, rt-number-0258, rt-number-0303
MIXED = [("一百万又五十万分之二十五", "1000000.00005"), ("3又一千分之23", "3.023"), ("负一又二分之一", "-1.5"),
         ("三百五十又3分之1", "350.3333333333333333333333333"), ("三百五十 又 3分  之1", "350.3333333333333333333333333"),
         ("一千零十又3分之1", "1010.333333333333333333333333")]


@pytest.mark.parametrize("written,value", MIXED, ids=[m[0] for m in MIXED])
def test_mixed_numbers_read_as_one(written, value, nlp):
    (f,) = nlp(written).figures
    assert (f.text, f.kind, f.rule, f.value) == (written, "number", "mixed-fraction", Decimal(value))
    assert "mixed-you" in f.entries


def test_you_between_a_percent_and_a_fraction_joins_nothing(nlp):
    got = [(f.text, f.kind) for f in nlp("增长了3%又三分之一，他又三分之一的人").figures]
    assert got == [("3%", "percent"), ("三分之一", "percent"), ("三分之一", "percent")]


@pytest.mark.parametrize("text, written", [
    ("中签概率为百万万分之七。", "0.00000007"),   # str(Decimal) would write 7E-8
    ("单价0.0000001元。", "0.0000001"),
    ("总额3万亿元。", "3000000000000"),
])
def test_values_are_written_as_plain_digits(text, written, nlp, tmp_path):
    """The JSON output and the tables write an exact value in plain digits, never in exponent form."""
    import json

    from cnextract import tables

    page = nlp(text)
    (fig,) = page.figures
    assert json.loads(page.model_dump_json())["articles"][0]["figures"][0]["value"] == written
    assert Decimal(written) == fig.value  # the same exact value
    row = dict(zip([c for c, _ in tables.columns("figures")], next(iter(tables.rows(page, "figures")))))
    assert row["value"] == written


def test_one_character_numerals_read_as_the_parser_reads_them_in_any_context():
    """parse_numeral answers a numeral of one character (一, 两, 十, 万, 半) from a table read once,
    and skips its own decimal context inside the figure finder's: the same Decimal, digit for digit
    and exponent for exponent, as the full parse in a fresh context of the parser's precision."""
    from decimal import Context, localcontext

    from cnextract.numbers import EXACT_PREC, _parse, _tables

    digits, units, mags, _, _, halves = _tables()
    singles = [ch for ch in (*digits, *units, *mags, *halves) if len(ch) == 1]
    assert {"一", "两", "十", "万", "亿", "半"} <= set(singles)
    for ch in singles:
        with localcontext(Context(prec=EXACT_PREC)):
            want = _parse(ch)
        for ctx in (Context(prec=EXACT_PREC), Context(prec=28)):
            with localcontext(ctx):
                got = parse_numeral(ch)
            assert got.as_tuple() == want.as_tuple(), ch
    # and a longer numeral read inside the finder's precision is the one read outside it
    for written, _value in READS + LONG:
        with localcontext(Context(prec=EXACT_PREC)):
            inside = parse_numeral(written)
        assert inside.as_tuple() == parse_numeral(written).as_tuple(), written


def test_an_arabic_number_with_magnitudes_reads_as_the_token_loop_reads_it(monkeypatch):
    """_parse reads 10万, 1.4万亿, 8000亿 (an Arabic number and magnitudes, most of what it gets)
    without tokens: the same Decimal, exponent included, as the token loop, for every magnitude
    and pair of magnitudes after integers, decimals, leading zeros and long digit runs; zero
    (which the loop reads as one of the magnitude) and a sign go the loop's way."""
    import random
    from decimal import Context, localcontext

    from cnextract import numbers
    from cnextract.numbers import EXACT_PREC, _parse, _tables

    mags = [m for m in _tables()[2] if len(m) == 1]
    assert {"万", "亿"} <= set(mags)
    rng = random.Random(7)
    heads = ["1", "10", "05", "1.4", "0.5", "8000", "3.1415926", "0", "0.0", "007", "-3", "负3"]
    heads += [str(rng.randrange(1, 10 ** rng.randrange(1, 30))) for _ in range(40)]
    heads += [f"{rng.randrange(0, 10 ** 6)}.{rng.randrange(0, 10 ** 6):06d}" for _ in range(40)]
    tails = mags + [a + b for a in mags for b in mags]
    cases = [h + t for h in heads for t in tails]
    with localcontext(Context(prec=EXACT_PREC)):
        fast = {}
        for s in cases:
            try:
                fast[s] = _parse(s).as_tuple()
            except numbers.NumeralError:
                fast[s] = None
        monkeypatch.setattr(numbers, "_arabic_mags", lambda: numbers.re.compile(r"(?!)"))  # the loop alone
        for s in cases:
            try:
                slow = _parse(s).as_tuple()
            except numbers.NumeralError:
                slow = None
            assert fast[s] == slow, s
    assert fast["1.4万亿"] == Decimal("1400000000000.0").as_tuple()
