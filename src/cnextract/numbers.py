"""Numeral strings -> exact Decimal: Arabic, Chinese, financial, digit strings and mixed forms.

Pure functions; the character tables come from rules/numerals.toml so the engine holds no word list.
"""

from __future__ import annotations

import re
from decimal import Decimal, DecimalException, InvalidOperation, getcontext, localcontext
from functools import lru_cache

from .rules import load_rules

_PLAIN_ARABIC = re.compile(r"[0-9]+(?:\.[0-9]+)?")  # the standard re: a third of regex's call cost

#: The longest numeral read (characters). News numerals run to about 20 (3,600,000,000.00,
#: 三万四千五百六十七亿); a longer run is no amount, and reading one costs time in its length.
MAX_NUMERAL_CHARS = 100
#: Decimal precision at which every numeral up to the cap, times any unit factor, is exact: each
#: character adds at most nine digits (亿 multiplies by 10^8), a unit factor at most 30.
EXACT_PREC = 9 * MAX_NUMERAL_CHARS + 40


class NumeralError(ValueError):
    """The string is not a numeral this parser reads."""


@lru_cache(maxsize=1)
def _tables():
    r = load_rules().numerals
    digits = {form: Decimal(e.value) for e in r.digits for form in e.forms}
    units = {form: Decimal(e.value) for e in r.units for form in e.forms}
    mags = {form: Decimal(e.value) for e in r.magnitudes for form in e.forms}
    points = {form for e in r.points for form in e.forms}
    signs = tuple(sorted({form for e in r.signs for form in e.forms}, key=len, reverse=True))  # 零下 before 负
    halves = {form for e in r.halves for form in e.forms}
    return digits, units, mags, points, signs, halves


@lru_cache(maxsize=1)
def _pair_forms() -> frozenset[str]:
    """两/兩: the digit 2 before a unit or measure word, never inside a digit string (两两, 二两)."""
    return frozenset(f for e in load_rules().numerals.digits for f in e.forms if e.pair)


@lru_cache(maxsize=1)
def _singles() -> dict[str, Decimal]:
    """Every numeral of one character (一, 两, 十, 万, 半 …) with the value _parse gives it, read
    once from the rules: news reads these more than any other numeral."""
    digits, units, mags, _, _, halves = _tables()
    out = {}
    with localcontext() as ctx:
        ctx.prec = EXACT_PREC
        for ch in (*digits, *units, *mags, *halves):
            if len(ch) == 1:
                try:
                    out[ch] = _parse(ch)
                except (NumeralError, DecimalException):
                    continue
    return out


def numeral_chars() -> str:
    """Every character that may appear inside a Chinese numeral (for building scanners)."""
    digits, units, mags, points, _, halves = _tables()
    return "".join(sorted(set("".join(digits) + "".join(units) + "".join(mags) + "".join(points))))


def parse_arabic(s: str) -> Decimal:
    """'3,600' / '1,234.5' / '6.1' -> Decimal; full-width digits must be folded first."""
    s = s.replace("，", ",")  # a full-width thousands comma (８２，２２５) the caller has vetted
    t = s.replace(",", "")
    if not t or t.count(".") > 1 or not t.replace(".", "").isdigit() or t.startswith(".") or t.endswith("."):
        raise NumeralError(f"not an Arabic numeral: {s!r}")
    if "," in s:
        head, _, _ = s.partition(".")
        groups = head.split(",")
        if not (1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])):
            raise NumeralError(f"bad thousands grouping: {s!r}")
    try:
        return Decimal(t)
    except InvalidOperation as exc:  # pragma: no cover - guarded above
        raise NumeralError(s) from exc


def _split_tokens(s: str):
    """Tokenise into ('num', Decimal, is_arabic) / ('unit', Decimal) / ('mag', Decimal) / ('point',)."""
    digits, units, mags, points, _, _ = _tables()
    i, n, out = 0, len(s), []
    while i < n:
        c = s[i]
        if c.isdigit() and c.isascii():
            j = i
            while j < n and ((s[j].isascii() and s[j].isdigit()) or s[j] in ",.，"):
                j += 1
            # a trailing separator is not part of the number
            while j > i and s[j - 1] in ",.，":
                j -= 1
            out.append(("num", parse_arabic(s[i:j]), True, s[i:j]))
            i = j
        elif c in digits:
            out.append(("num", digits[c], False, c))
            i += 1
        elif c in units:
            out.append(("unit", units[c]))
            i += 1
        elif c in mags:
            out.append(("mag", mags[c]))
            i += 1
        elif c in points:
            out.append(("point",))
            i += 1
        else:
            raise NumeralError(f"unexpected character {c!r} in numeral {s!r}")
    return out


def parse_numeral(s: str) -> Decimal:
    """Parse a numeral string to an exact Decimal (see _parse); arithmetic trouble is a NumeralError,
    and so is a numeral longer than MAX_NUMERAL_CHARS."""
    if len(s) > MAX_NUMERAL_CHARS:
        raise NumeralError(f"a numeral of {len(s)} characters is longer than the {MAX_NUMERAL_CHARS} read")
    if _PLAIN_ARABIC.fullmatch(s):
        return Decimal(s)  # 2024, 6.1: most numerals in news, read exactly as _parse would
    if len(s) == 1:
        got = _singles().get(s)
        if got is not None:
            return got  # 一, 十, 万: read once
    try:
        if getcontext().prec == EXACT_PREC:  # the figure finder works in this precision already
            return _parse(s)
        with localcontext() as ctx:
            ctx.prec = EXACT_PREC
            return _parse(s)
    except DecimalException as exc:
        raise NumeralError(f"numeral out of range: {s[:40]!r}") from exc


@lru_cache(maxsize=1)
def _arabic_mags() -> re.Pattern:
    """An Arabic number and magnitudes only (10万, 1.4万亿, 8000亿): most numerals _parse gets."""
    mags = "".join(sorted(_tables()[2]))
    return re.compile(rf"([0-9]+(?:\.[0-9]+)?)([{re.escape(mags)}]+)")


def _parse(s: str) -> Decimal:
    """Parse a numeral string to an exact Decimal.

    Reads 三万四千五百六十七, 两千零五, 十八, 壹仟贰佰, 二〇二三 (digit string), 3万亿, 1.75亿,
    13000万, 三点五, 两万五 (elided trailing unit), 半, 负3.2 and -1.5.
    """
    if not s:
        raise NumeralError("empty numeral")
    am = _arabic_mags().fullmatch(s)
    if am is not None and any(ch in "123456789" for ch in am.group(1)):
        # 10万, 1.4万亿: the loop below does exactly this for a number (not zero, which reads as
        # one of the magnitude) and magnitudes, the same operations in the same order, without
        # tokens (tested against it, exponent included)
        mags = _tables()[2]
        m = mags[am.group(2)[0]]
        inner = Decimal(0) + Decimal(am.group(1)) + 0
        total = (Decimal(0) + inner) * m if m > Decimal(10000) else Decimal(0) + inner * m
        for ch in am.group(2)[1:]:
            total = total * mags[ch]  # 万亿: the magnitudes compose
        return Decimal(1) * (total + Decimal(0) + 0)
    digits, units, mags, points, signs, halves = _tables()
    sign = Decimal(1)
    lead = next((f for f in signs if s.startswith(f)), None)
    if lead is not None:
        sign, s = Decimal(-1), s[len(lead):]
        if not s:
            raise NumeralError("a sign alone is not a numeral")
    if s in halves:
        return sign * Decimal("0.5")
    toks = _split_tokens(s)
    pair = _pair_forms()
    # digit strings: 二〇二三, 一九九八, 一七二零点一 (Chinese digits only, at most one point)
    if len(toks) > 1 and all((t[0] == "num" and not t[2] and t[3] not in pair) or t[0] == "point" for t in toks) \
            and toks[0][0] == "num" and toks[-1][0] == "num" and sum(t[0] == "point" for t in toks) <= 1 \
            and sum(t[0] == "num" for t in toks) > 1 + any(t[0] == "point" for t in toks):
        return sign * Decimal("".join("." if t[0] == "point" else str(int(t[1])) for t in toks))
    total = Decimal(0)
    section = Decimal(0)
    number: Decimal | None = None
    frac: Decimal | None = None  # digits after 点, kept apart so 一千六点五 is 1600.5
    last_unit: Decimal | None = None
    zero_seen = False
    i = 0
    saw_value = False
    while i < len(toks):
        t = toks[i]
        kind = t[0]
        if frac is not None and kind != "mag":
            raise NumeralError(f"only a magnitude may follow the decimals in {s!r}")
        if kind == "num":
            if t[3] in pair and (zero_seen or last_unit == 10) and number is None:
                raise NumeralError(f"{t[3]} is not a last digit in {s!r}")  # 三十两 is 30 and a tael
            if number is not None:
                if number == 0 and zero_seen:
                    pass  # 零 followed by a digit: 一百零八, 1千零20
                else:
                    raise NumeralError(f"two numbers in a row in {s!r}")
            if (t[1] == 0 and not t[2]) or (t[2] and len(t[3]) > 1 and t[3][0] == "0" and last_unit):
                zero_seen = True  # 一百零八; 1百01 reads 零一
            number = t[1]
            saw_value = True
        elif kind == "point":
            if number is None and section == 0 and total == 0:
                raise NumeralError(f"decimal point without integer part in {s!r}")
            digits_after = ""
            i += 1
            while i < len(toks) and toks[i][0] == "num" and toks[i][3] not in pair:  # 点两 is not .2
                if toks[i][2]:  # 一百点123: Arabic decimals after a Chinese point
                    if digits_after or "," in toks[i][3] or "." in toks[i][3]:
                        raise NumeralError(f"bad decimals in {s!r}")
                    digits_after = toks[i][3]
                else:
                    digits_after += str(int(toks[i][1]))
                i += 1
            if not digits_after:
                raise NumeralError(f"decimal point without digits in {s!r}")
            frac = Decimal("0." + digits_after)
            if number is None:
                number = Decimal(0)  # 两千点零: the point follows a unit
                zero_seen = True
            continue
        elif kind == "unit":
            u = t[1]
            if number is None and i > 0 and toks[i - 1][0] == "mag":
                raise NumeralError(f"a unit straight after a magnitude in {s!r}")  # 120万千瓦
            if last_unit is not None and u >= last_unit:
                raise NumeralError(f"units out of order in {s!r}")  # 七十百, 五十千
            # 零十 = 一十: after 零 (or at the start) a unit counts one of itself
            base = number if number is not None and not (number == 0 and zero_seen) else Decimal(1)
            section += base * u
            number = None
            last_unit = u
            zero_seen = False
            saw_value = True
        else:  # magnitude 万 / 亿
            m = t[1]
            inner = section + (number if number is not None else Decimal(0)) + (frac or 0)
            frac = None
            if inner == 0 and total == 0:
                inner = Decimal(1)  # 亿元 in 破亿元, 万 in 上万人
            if total != 0 and inner == 0:
                total = total * m  # 万亿: the magnitudes compose
            elif m > Decimal(10000):
                total = (total + inner) * m
            else:
                total = total + inner * m
            section = Decimal(0)
            number = None
            last_unit = None
            zero_seen = False
            saw_value = True
        i += 1
    if not saw_value:
        raise NumeralError(f"no value in {s!r}")
    if number is not None:
        if last_unit is not None and not zero_seen and last_unit >= 100 and number < 10:
            number = number * last_unit / 10  # 两千五 = 2500, 一百五 = 150 (elided unit)
        elif last_unit is None and total != 0 and section == 0 and not zero_seen and number < 10 \
                and frac is None and toks[-2][0] == "mag":
            number = number * _last_mag(toks) / 10  # 两万五 = 25000
        section += number
    return sign * (total + section + (frac or 0))


def _last_mag(toks) -> Decimal:
    for t in reversed(toks):
        if t[0] == "mag":
            return t[1]
    return Decimal(1)
