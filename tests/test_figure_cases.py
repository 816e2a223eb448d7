"""tests/cases/figures/*.jsonl: hard-case families, each sentence with every figure it holds.

A case lists every figure of the six scored kinds in its text; the set must match exactly, except
that an expected figure marked "optional" (as in the gold) may be missing; if found it must match.
Known gaps carry "xfail": "<reason>" in the case and run as strict xfails.
"""

from decimal import Decimal

import pytest

from conftest import case_params

from cnextract.records import SCORED_KINDS

def _cases():
    return case_params("figures")


def _locate(text: str, needle: str, occurrence: int) -> int:
    pos = -1
    for _ in range(occurrence):
        pos = text.index(needle, pos + 1)
    return pos


def _close(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    a, b = Decimal(str(a)), Decimal(str(b))
    return a == b or abs(a - b) <= Decimal("1e-6") * max(abs(a), abs(b))


@pytest.mark.parametrize("case", list(_cases()))
def test_case(case, nlp):
    text = case["text"]
    page = nlp(text)
    got = {(f.start, f.end): f for f in page.figures if f.kind in SCORED_KINDS}
    want = {}
    for exp in case["expect"]:
        start = _locate(text, exp["text"], exp.get("occurrence", 1))
        key = (start, start + len(exp["text"]))
        if exp.get("optional") and key not in got:
            continue  # gold marks it optional: readers could disagree, so it may be left out
        want[key] = exp
    assert sorted(got) == sorted(want), (
        f"spans differ: got {[got[k].text for k in sorted(got)]} want {[want[k]['text'] for k in sorted(want)]}"
    )
    for key, exp in want.items():
        f = got[key]
        where = f"{exp['text']!r}"
        assert f.kind == exp["kind"], where
        assert f.unit == exp["unit"], where
        assert _close(f.value, exp.get("value")), f"{where}: value {f.value} != {exp.get('value')}"
        if exp.get("low") is not None or exp.get("high") is not None:
            assert _close(f.low, exp.get("low")) and _close(f.high, exp.get("high")), where
        assert f.qualifier == exp.get("qualifier"), f"{where}: qualifier {f.qualifier}"
        assert f.direction == exp.get("direction"), f"{where}: direction {f.direction}"
        if "basis" in exp:
            assert f.basis == exp["basis"], f"{where}: basis {f.basis}"
        for name in ("metric", "subject", "period"):
            if name in exp:  # null: the field must be empty (a quote mark or a base is no context)
                span = getattr(f, name)
                read = None if span is None else span.text
                assert read == exp[name], f"{where}: {name} {read!r}, want {exp[name]!r}"
