"""Issue 13 part 6: rule knowledge lives in rules/*.toml, not in src/.

A string literal in src/cnextract that holds a Chinese (Han) character, or names a rules/ entry id,
is language knowledge written into the code: it belongs in a rules/ entry with an id and examples.
The source is read with ``ast`` (string constants, f-string parts included); docstrings and
``description=`` texts of the schema are documentation and may keep Chinese examples, and comments
are no literals at all. What could not move yet is listed in ALLOWED with its reason; the list can
only shrink (an item no longer in the code must leave it, and its length is pinned).
"""

from __future__ import annotations

import ast
from pathlib import Path

import regex

from cnextract.rules import RULE_FILES, load_rules

SRC = Path(__file__).resolve().parent.parent / "src" / "cnextract"
_HAN = regex.compile(r"\p{Han}")

# (file, literal) -> why it is still in the code
ALLOWED: dict[tuple[str, str], str] = {
    # bounds of the CJK Unified Ideographs block in character tests ("\u4e00" <= ch <= "\u9fff"):
    # a script range, not a word of the language
    ("figures.py", "\u4e00"): "lower bound of the CJK block in a character-range test",
    ("figures.py", "\u9fff"): "upper bound of the CJK block in a character-range test",
    ("mentions.py", "\u4e00"): "lower bound of the CJK block in a character-range test",
    ("mentions.py", "\u9fff"): "upper bound of the CJK block in a character-range test",
    ("mentions.py", "\u4e00-\u9fff"): "the CJK block as a regex range",
    ("speakers.py", "\u4e00"): "lower bound of the CJK block in a character-range test",
    ("speakers.py", "\u9fff"): "upper bound of the CJK block in a character-range test",
    ("speakers.py", "\u3007"): "〇, a Han-script zero, in speakers' _is_han range test (speakers.py is being restructured)",
    # the scorer may import only records (tests/test_arrows.py): it cannot read rules/
    ("evaluate.py", "0123456789０１２３４５６７８９零〇○一二三四五六七八九十百千万亿两壹贰貳叁參肆伍陆陸柒捌玖拾佰仟萬億半"):
        "the scorer's numeral-start set (ANNOTATION.md's span rule); the scorer imports only records",
    # mentions.py and speakers.py are being restructured by the attribution work in parallel, on
    # these very lines (MentionReader.__init__, the module's patterns, SpeakerFinder._classify):
    # they move to rules/cues.toml after that lands (issue 13 part 6)
    ("mentions.py", "0-9０-９〇零一二三四五六七八九十两"): "numerals of a date in a mention; mentions.py is being restructured",
    ("mentions.py", "^(?:(?:[一两几多数有某这那该]|部分|上述)?[位名个些](?!人士)|[0-9０-９.%％]+[ \u3000]*的?|有(?![关些])(?=.{2}))+"):
        "quantifiers before a mention (三位, 部分); mentions.py is being restructured",
    ("mentions.py", "和"): "joiners of mentions; mentions.py is being restructured",
    ("mentions.py", "与"): "joiners of mentions; mentions.py is being restructured",
    ("mentions.py", "及"): "joiners of mentions; mentions.py is being restructured",
    ("mentions.py", "第])"): "an ordinal before a date; mentions.py is being restructured",
    ("mentions.py", "]{1,2}日(?:"): "a dateline's day; mentions.py is being restructured",
    ("mentions.py", ")[ \u3000]*的?"): "的 after a share; mentions.py is being restructured",
    ("mentions.py", "share-after-number"): "entry id of cues.toml [[shares]]; mentions.py is being restructured",
    ("speakers.py", "、的和及与 "): "characters around an org in _classify; speakers.py is being restructured",
    ("speakers.py", "记者"): "a reporter title in _classify; speakers.py is being restructured",
    ("speakers.py", "本报记者"): "a byline in _classify; speakers.py is being restructured",
    ("speakers.py", "的"): "的 inside a description in _classify; speakers.py is being restructured",
    ("speakers.py", "文"): "a byline's 文 in _classify; speakers.py is being restructured",
}
#: len(ALLOWED) may only go down: lower this number with each literal moved to rules/
ALLOWED_MAX = 23


def _entry_ids() -> set[str]:
    """The rules/ entry ids that cannot be mistaken for an ordinary word (those with a hyphen;
    up, down, point, age… are also kind, direction and field names of the schema)."""
    rules = load_rules()
    return {e["id"] for name in RULE_FILES for table in getattr(rules, name).model_dump().values()
            for e in table if "-" in e["id"]}


def literals(source: str):
    """(line, value) of every string constant of the source that is not documentation."""
    tree = ast.parse(source)
    docs: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docs.add(id(first.value))
        if isinstance(node, ast.keyword) and node.arg == "description" and isinstance(node.value, ast.Constant):
            docs.add(id(node.value))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs:
            yield node.lineno, node.value


def offending(source: str, ids: set[str]):
    """(line, value, why) of the literals that hold Han characters or name an entry id."""
    id_re = regex.compile(r"(?<![a-z0-9_.-])(?:" + "|".join(map(regex.escape, sorted(ids, key=len, reverse=True)))
                          + r")(?![a-z0-9_.-])") if ids else None
    for line, value in sorted(literals(source)):
        if _HAN.search(value):
            yield line, value, "Han"
        elif id_re is not None and id_re.search(value):
            yield line, value, "entry id"


def _found() -> dict[tuple[str, str], list[int]]:
    ids = _entry_ids()
    out: dict[tuple[str, str], list[int]] = {}
    for path in sorted(SRC.glob("*.py")):
        for line, value, _why in offending(path.read_text(encoding="utf-8"), ids):
            out.setdefault((path.name, value), []).append(line)
    return out


def test_no_chinese_literal_or_entry_id_in_src_outside_the_allow_list():
    found = _found()
    new = {f"{k[0]}:{lines[0]}: {k[1]!r}": lines for k, lines in found.items() if k not in ALLOWED}
    assert not new, f"move these to rules/*.toml (an entry with id and examples): {sorted(new)}"


def test_the_allow_list_only_shrinks():
    found = _found()
    stale = [k for k in ALLOWED if k not in found]
    assert not stale, f"no longer in the code: remove from ALLOWED and lower ALLOWED_MAX: {stale}"
    assert len(ALLOWED) <= ALLOWED_MAX
    assert all(reason.strip() for reason in ALLOWED.values())


def test_the_check_sees_literals_but_not_docs_or_comments():
    source = '''
"""模块 docstring 可以有中文。"""
from pydantic import Field
x = Field(description="什么 (规模以上工业增加值)")  # 注释也可以
def f(a):
    """函数 docstring: 一是"""
    b = "增长"
    c = f"{a}亿"
    d = "ok-english"
    e = ("x-idioms", "x-idioms-extra")
    return "\\u4e00"
'''
    got = [(line, value, why) for line, value, why in offending(source, {"x-idioms"})]
    assert got == [(7, "增长", "Han"), (8, "亿", "Han"), (10, "x-idioms", "entry id"), (11, "\u4e00", "Han")]
