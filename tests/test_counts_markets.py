"""Issue 13, parts 3 and 4: open counts (jieba's tags), compound measure words, markets, speeds,
temperatures in weather reports, ranges with a unit on both ends, names that contain numerals.

The sentences with every figure they hold are in tests/cases/figures/counts_open.jsonl and
markets.jsonl (cut from the bulk corpus and dev2, ids cited); here the rule entries' own examples
run, and the new rules keep extraction linear.
"""


import pytest

import cnextract
from cnextract.records import SCORED_KINDS
from cnextract.rules import load_rules
from conftest import extract_cost

RULES = load_rules()
MAKERS = [*RULES.units.units, *RULES.units.open_counts, *RULES.changes.verbs]
NAMES = [e for e in RULES.exclusions.exclusions if e.where == "phrase" and e.kind == "none"]


@pytest.mark.parametrize("entry", MAKERS, ids=lambda e: e.id)
def test_every_unit_and_verb_example_makes_a_record_citing_its_entry(entry):
    for example in entry.examples:
        page = cnextract.extract(example)
        assert any(entry.id in f.entries for f in page.figures), (
            example, [(f.text, f.entries) for f in page.figures])


@pytest.mark.parametrize("entry", NAMES, ids=lambda e: e.id)
def test_every_name_example_leaves_its_name_unscored(entry):
    for example in entry.examples:
        page = cnextract.extract(example)
        spans = [(i, i + len(f)) for f in entry.forms for i in range(len(example)) if example.startswith(f, i)]
        assert spans, (entry.id, example)
        for f in page.figures:
            if f.kind in SCORED_KINDS:
                assert not any(f.start < e and s < f.end for s, e in spans), (example, f.text)


def test_open_count_reads_jieba_tags_not_a_list():
    # 盆, 枝 and 婴幼儿 are in no [[units]] entry: the count comes from the dictionary's tag
    listed = {f for e in RULES.units.units for f in e.forms}
    page = cnextract.extract("东湖公园摆出了超6万盆各色菊花，鲜切花日销高峰达150万枝，惠及17万婴幼儿。")
    got = {f.unit: f for f in page.figures if f.kind == "count"}
    assert set(got) == {"盆", "枝", "婴幼儿"}
    assert not set(got) & listed
    assert str(got["盆"].value) == "60000" and got["盆"].qualifier == "more_than"
    assert all(f.rule == "numeral+open-count" and "count-open" in f.entries for f in got.values())


def test_a_minus_set_off_by_spaces_is_a_sign_but_a_spaced_hyphen_between_figures_is_a_range():
    page = cnextract.extract("环比 - 0.1%，增长 30% - 40%")
    got = [(f.text, f.value, f.low, f.high) for f in page.figures]
    assert [g[0] for g in got] == ["- 0.1%", "30% - 40%"]
    assert str(got[0][1]) == "-0.1"
    assert (str(got[1][2]), str(got[1][3])) == ("30", "40")


def test_signed_change_in_parentheses_goes_down():
    f = cnextract.extract("营收100亿元（-3.2%）").figures[-1]
    assert (f.text, str(f.value), f.direction) == ("-3.2%", "-3.2", "down")


@pytest.mark.parametrize("unit", ["5万车主", "8%-10%", "收报3350.12点，", "气温-5℃至", "30 - 0.1%",
                                  "千行百业", "2死5伤"])
def test_new_rules_stay_linear(unit):
    """Size-ratio, as in test_properties: four times the input costs about four times the time."""
    cnextract.extract("预热")
    small = unit * (8_000 // len(unit))
    while extract_cost(small) < 0.02 and len(small) < 256_000:
        small += small
    ratio = extract_cost(small * 4) / extract_cost(small)
    assert ratio < 8, (unit, len(small), ratio)
