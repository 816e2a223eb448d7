"""Issue 13 part 6: the numeral reader is an ordered table of named rules (figures.NUMERAL_RULES:
name, pre-test, production). Each decline is named by its rule and explained by the rule's
docstring; a pre-test the first character settles keeps the rule out of the plan."""

from __future__ import annotations

import inspect

import pytest

import cnextract
from cnextract.figures import NUMERAL_RULES, FigureFinder, table


@pytest.fixture(scope="module")
def finder():
    return FigureFinder()


def test_rule_names_are_unique_and_every_production_exists(finder):
    names = [name for name, *_ in NUMERAL_RULES]
    assert len(names) == len(set(names))
    for name, where, chars, method in NUMERAL_RULES:
        assert callable(getattr(finder, method)), name
        assert where in (None, -1, 0, 1, 2), name
        if where in (-1, 0, 1):
            assert chars in table().pretest_chars, (name, chars)


@pytest.mark.parametrize("text,numeral,rule", [
    ("零售额增长5%", "零", "alone-word"),  # 零 alone is a word
    ("按照9.3.7条执行", "7", "dotted-code"),
    ("四川的企业增长5%", "四", "in-word"),  # a single numeral character inside a word
    ("资源一体化配置", "一", "exclusion-phrase"),
])
def test_a_decline_is_named_by_its_rule_and_explained_by_its_docstring(text, numeral, rule):
    _page, decisions = cnextract.Pipeline().explain(text)
    got = [d for d in decisions if d.text == numeral and d.made is None]
    assert got and got[0].rule == rule, [(d.text, d.rule, d.declined) for d in decisions]
    method = next(m for n, _w, _c, m in NUMERAL_RULES if n == rule)
    doc = inspect.getdoc(getattr(FigureFinder, method))
    if doc:  # a rule that declines with a fixed reason says it in its docstring's first line
        assert got[0].declined == [doc.splitlines()[0]]


def test_a_plan_drops_the_rules_its_first_character_rules_out(finder):
    before_read = [name for name, *_ in finder._plan("2")]
    assert "phone" in before_read and "alone-word" not in before_read and "vague-lead" not in before_read
    after = [name for name, *_ in finder._plan("2", True, False)]
    assert "numeral+unit" in after and "range" not in after and "in-word" not in after
    chinese = [name for name, *_ in finder._plan("三", False, True)]
    assert "in-word" in chinese and "range" in chinese and "lone-magnitude" in chinese and "year-count" not in chinese
    # a vague first character may move the start: the rules after it keep their own pre-tests
    vague = finder._plan("几")
    assert vague[0][0] == "vague-lead" and any(where == 0 for _n, where, *_ in vague[1:])


def test_a_plan_chosen_by_the_characters_around_runs_the_rules_its_pre_tests_would(finder):
    # before the read, the characters just before and after the numeral (as bits) choose the
    # plan too: the rules it keeps are those whose pre-tests the characters pass, as when each
    # pre-test is asked (a vague first character may move the start: its plan asks them)
    import random

    tb = table()
    chars = sorted(set().union(*tb.pretest_chars.values()) | set("a，。 “年"))
    rnd = random.Random(5)
    for first in ("2", "1", "三", "十", "几", "零", "两"):
        asked = finder._plan(first)
        for _ in range(400):
            before, after = rnd.choice(chars + [""]), rnd.choice(chars + [""])
            around = (before, first, after)
            chosen = finder._plan(first, left=finder._left_bits.get(before, 0), right=finder._right_bits.get(after, 0))
            runs = [[name for name, where, pre, *_ in plan if where is None or around[where + 1] in pre]
                    for plan in (asked, chosen)]
            assert runs[0] == runs[1], (first, before, after)
