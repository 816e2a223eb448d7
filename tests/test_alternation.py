"""rules.alternation writes its forms as a trie; every match must be the one of the forms listed
longest first (the pattern it replaced), alone and inside larger patterns that backtrack into it."""

import random
import re
from pathlib import Path

from cnextract.rules import RULE_FILES, alternation, load_rules, longest_first

ROOT = Path(__file__).resolve().parent.parent


def _listed(forms) -> re.Pattern:
    return re.compile("|".join(re.escape(f) for f in longest_first(forms)))


def _word_lists() -> list[list[str]]:
    """Every list of forms (and of closers) in rules/."""
    rules = load_rules()
    out = []
    for name in RULE_FILES:
        for table in getattr(rules, name).model_dump().values():
            if not isinstance(table, (list, tuple)):
                continue
            for key in ("forms", "closers"):
                words = [f for e in table if isinstance(e, dict) for f in e.get(key) or ()]
                if words:
                    out.append(words)
    return out


def _spans(pattern: re.Pattern, text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text)]


def test_every_rules_word_list_matches_as_its_listed_alternation():
    pages = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus" / "raw").glob("*.txt"))]
    lists = _word_lists()
    assert len(lists) > 20
    rng = random.Random(5)
    for words in lists:
        trie, listed = alternation(words), _listed(words)
        for page in pages:
            assert _spans(trie, page) == _spans(listed, page)
        # forms, their prefixes and forms run together: where the longest form is a near miss
        pieces = list(words) + [w[:k] for w in words for k in range(1, len(w))] + ["，", " ", "x"]
        for _ in range(200):
            text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 8)))
            assert _spans(trie, text) == _spans(listed, text), text


def test_inside_a_larger_pattern_the_forms_are_tried_in_the_same_order():
    """A pattern that needs a shorter form than the longest (…(?=委员会)) backtracks into the
    trie and gets the same answer as from the list."""
    words = ["主任委员", "主任", "主", "主席", "委员", "委员会主任"]
    for wrap in ("({})(?=委员会)", "({})委员", "^.{{0,6}}?({})$", "((?:{})+?)会", "({})(?:[任席])?"):
        trie = re.compile(wrap.format(alternation(words).pattern))
        listed = re.compile(wrap.format(_listed(words).pattern))
        for text in ("主任委员会", "主任委员主席", "委员会主任委员会", "主席主任", "主主任", "主任委员会主任委员"):
            assert [m.group(0, 1) for m in trie.finditer(text)] == [m.group(0, 1) for m in listed.finditer(text)], (wrap, text)


def test_no_forms_and_the_empty_form():
    assert alternation([]).search("任何文字") is None
    assert _spans(alternation(["", "主任"]), "主任a") == _spans(_listed(["", "主任"]), "主任a")
