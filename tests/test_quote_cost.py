"""Work the quote extractor skips when its result would not be read (records are unchanged:
the corpus JSON and the bulk diff check that; these check the work is not done)."""

from cnextract.normalise import fold
from cnextract.segment import Tagger
from cnextract.speakers import SpeakerFinder


class _CountingTagger(Tagger):
    def __init__(self):
        super().__init__()
        self.asked: list[str] = []

    def tagged(self, text):
        self.asked.append(text)
        return super().tagged(text)


def _find(finder, text):
    return finder.find(text, fold(text))


def test_introduced_names_are_found_only_when_a_name_is_looked_for(monkeypatch):
    finder = SpeakerFinder()
    calls = []
    real = SpeakerFinder._name_sites
    monkeypatch.setattr(SpeakerFinder, "_name_sites",
                        lambda self, f, lo, hi: calls.append((lo, hi)) or real(self, f, lo, hi))
    quotes, _ = _find(finder, "国家统计局新闻发言人付凌晖表示，经济运行总体平稳。")
    assert [(q.speaker.text, q.speaker_name) for q in quotes] == [("国家统计局新闻发言人付凌晖", "付凌晖")]
    assert calls == []  # the speaker is named at the cue: no name is looked for
    text = "种植大户宋友祥站在田边。他说：“今年的收成不错。”"
    quotes, _ = _find(finder, text)
    assert [(q.speaker.text, q.speaker_name) for q in quotes] == [("他", "宋友祥")]  # introduced by title
    assert calls == [(0, len(text))]


def test_a_short_mention_is_not_tagged_for_a_body_at_its_end():
    tagger = _CountingTagger()
    finder = SpeakerFinder(tagger=tagger)
    assert finder._classify("发言人付凌晖")[:2] == ("person", "付凌晖")
    assert "发言人付凌晖" not in tagger.asked  # 6 characters: no clause can sit before a body
    long = "判处无期徒刑全国人大常委会"
    assert finder._classify(long)[:2] == ("org", "全国人大常委会")
    assert long[-12:] in tagger.asked


def test_a_mention_is_read_once_per_page_and_again_on_the_next():
    """_classify is a function of the mention's text: an article naming its speaker ten times reads
    it once; the next page reads it again (no memo outlives a page, so a repeated corpus cannot
    look faster), and each caller gets its own titles list."""
    tagger = _CountingTagger()
    finder = SpeakerFinder(tagger=tagger)
    mention = "国家统计局新闻发言人付凌晖"
    first = finder._classify(mention)
    assert first == ("person", "付凌晖", ["国家统计局新闻发言人"], "国家统计局")
    asked = len(tagger.asked)
    assert asked and finder._classify(mention) == first
    assert len(tagger.asked) == asked  # the second reading asked the tagger nothing
    first[2].append("changed by a caller")
    assert finder._classify(mention)[2] == ["国家统计局新闻发言人"]
    tagger.new_page()
    assert finder._classify(mention)[:2] == ("person", "付凌晖")
    assert len(tagger.asked) == 2 * asked  # read again on the next page



def _folded_corpus(tagger):
    """The folded text of each corpus page, the tagger's page memo forgotten before each."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    for path in sorted((root / "corpus" / "raw").glob("*.txt")):
        tagger.new_page()
        yield fold(path.read_text(encoding="utf-8"))

def test_a_clause_opening_is_not_tagged_when_no_name_and_verb_could_open_it():
    """_introduced_names skips the tagger where no prefix of two or three characters could be the
    tagger's name (_may_be_tagged_name, not a word seen 50 times or more) with a dictionary verb,
    preposition or adverb right after it; wherever the tagger does find such a name and word, on
    every surname of the corpus pages, the skip test lets the window through."""
    from cnextract import speakers
    from cnextract.segment import starts_with_surname, word_frequency

    tagger = Tagger()
    found = skipped = 0
    for text in _folded_corpus(tagger):
        for p in range(len(text)):
            if not starts_with_surname(text, p):
                continue
            window = text[p:p + 6]
            words = tagger.tagged(window)
            allowed = speakers._name_then_word(window, speakers._NAME_NEXT_TAGS)
            if (len(words) > 1 and words[0][1] == "nr" and 2 <= len(words[0][0]) <= 3
                    and words[1][1][:1] in speakers._NAME_NEXT_TAGS
                    and word_frequency(words[0][0]) < speakers._NAME_MAX_FREQ):
                assert allowed, window
                found += 1
            skipped += not allowed
    assert found > 100 and skipped > 1000
    # a verb two or three characters in is not enough: 申领 is a verb and 申领到 no name before one
    assert speakers._name_then_word("梁希来到村里", speakers._NAME_NEXT_TAGS)
    assert not speakers._name_then_word("申领到了总计", speakers._NAME_NEXT_TAGS)
    assert not speakers._name_then_word("万宁市有关部", speakers._NAME_NEXT_TAGS)


def test_a_long_mention_is_tagged_for_a_body_only_when_one_could_end_it():
    """_classify tags a long mention's last 12 characters only when a dictionary word tagged nt
    (4 characters or more) ends it; wherever the tagger's last word is such an organisation, on
    windows ending at every third place of the corpus pages, that test lets the window through."""
    from cnextract import speakers

    tagger = Tagger()
    found = skipped = 0
    for text in _folded_corpus(tagger):
        for end in range(12, len(text) + 1, 3):
            window = text[end - 12:end]
            words = tagger.tagged(window)
            allowed = speakers._ends_with_word(window, "nt", 4)
            if words and words[-1][1] == "nt" and len(words[-1][0]) >= 4:
                assert allowed, window
                found += 1
            skipped += not allowed
    assert found > 20 and skipped > 10000
    finder = SpeakerFinder()
    assert finder._classify("判处无期徒刑全国人大常委会")[:2] == ("org", "全国人大常委会")


def test_sentence_openings_are_found_where_the_anchored_pattern_found_them():
    """_at_sentence_start finds an opener first and looks back for the sentence start; the pattern
    it replaced (an end mark, closing quote or line break, spaces, then the opener) was tried at
    every character. Both give the same places on the corpus and on made-up mixtures, whatever
    the window (a window opening inside a run of spaces, or right after an end mark)."""
    import random
    import re
    from pathlib import Path

    from cnextract import speakers
    from cnextract.rules import alternation

    forms = ["根据", "依据", "据"]
    old = re.compile("(?:^|(?<=[。！？!?\n”]))[ \u3000]*(?P<opener>" + alternation(forms).pattern + ")", re.M)
    new = alternation(forms)
    root = Path(__file__).resolve().parent.parent
    texts = [p.read_text(encoding="utf-8") for p in sorted((root / "corpus" / "raw").glob("*.txt"))]
    rng = random.Random(12)
    pieces = ["根据", "依据", "据", "根", "。", "！", "?", "\n", "”", " ", "\u3000", "说", "，", "a"]
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 30))) for _ in range(3000)]
    checked = 0
    for text in texts:
        n = len(text)
        for lo, hi in {(0, n), (min(n, 1), n), (min(n, 2), max(0, n - 1)), (n // 2, n), (n // 3, 2 * n // 3)}:
            if lo > hi:
                continue
            want = [(m.start("opener"), m.end()) for m in old.finditer(text, lo, hi)]
            assert speakers._at_sentence_start(new, text, lo, hi) == want, (text, lo, hi)
            checked += len(want)
    assert checked > 1000  # the openings were really there to find


def _clause_start_by_steps(f, pos, qclose):
    """The character-by-character scan _clause_start replaced (the reference)."""
    from cnextract.speakers import _CLAUSE_STOP, _MENTION_WINDOW, CLOSERS, OPEN_CLOSE

    i = pos - 1
    low = max(0, pos - _MENTION_WINDOW)
    while i >= low:
        ch = f[i]
        if ch in CLOSERS:
            q = qclose.get(i)
            if q is not None and not q.speech and q.open >= low:
                i = q.open - 1
                continue
            return i + 1
        if ch in _CLAUSE_STOP or ch in OPEN_CLOSE:
            return i + 1
        if ch in " \u3000" and i > low and f[i - 1] in " \u3000":
            return i + 1
        i -= 1
    return low


def test_a_clause_start_is_where_the_step_by_step_scan_found_it():
    """_clause_start searches the window reversed; the same starts as the scan it replaced at every
    position of the corpus pages (their term quotes skipped) and of made-up mixtures of stops,
    quote marks, spaces and term quotes."""
    import random
    from pathlib import Path

    from cnextract.speakers import _QuoteSpan

    root = Path(__file__).resolve().parent.parent
    finder = SpeakerFinder()
    cases = []
    for p in sorted((root / "corpus" / "raw").glob("*.txt"))[:20]:
        f = fold(p.read_text(encoding="utf-8"))
        _, pairs, _ = finder._structure(f)
        qclose = {c: _QuoteSpan(o, c, closed) for o, c, closed in pairs if closed}  # speech False: terms
        cases.append((f, qclose))
    rng = random.Random(7)
    pieces = ["说", "表示", "，", "。", " ", "\u3000", "\n", "“", "”", "「", "」", '"', "a", "十五五"]
    for _ in range(400):
        f = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 120)))
        qclose = {}
        for k, ch in enumerate(f):
            if ch == "”":
                o = f.rfind("“", 0, k)
                if o >= 0:
                    qclose[k] = _QuoteSpan(o, k, True, speech=rng.random() < 0.3)
        cases.append((f, qclose))
    moved = 0
    for f, qclose in cases:
        for pos in range(len(f) + 1):
            want = _clause_start_by_steps(f, pos, qclose)
            assert SpeakerFinder._clause_start(f, pos, qclose) == want, (f, pos)
            moved += want != max(0, pos - 50)
    assert moved > 10000


def test_a_mention_the_reader_types_is_not_classified_at_a_colon_cue():
    """A comma cue's short mention is tested for 'no source' by the mention reader first: a titled
    person it reads (新闻发言人付凌晖) is never classified, so never tagged; a mention it leaves
    (有关人士指着屏幕, a clause) is still classified."""
    tagger = _CountingTagger()
    finder = SpeakerFinder(tagger=tagger)
    quotes, _ = _find(finder, "新闻发言人付凌晖表示，经济运行总体平稳。")
    assert [(q.speaker.text, q.speaker_name) for q in quotes] == [("新闻发言人付凌晖", "付凌晖")]
    assert tagger.asked == []
    _find(finder, "有关人士指着屏幕表示，经济运行总体平稳。")
    assert tagger.asked == ["有关人士指着屏幕"]


def test_a_clause_after_a_quote_with_no_title_and_no_known_name_is_not_read():
    """named-after declines the short clause after a quote before reading it (a reading tags it)
    when the clause holds no title and no alias of a known speaker: the person it could give is
    titled (a title of the clause) or known (a name inside the clause). On the clause after every
    closing mark of the corpus pages, whatever a reading gives as a person is so."""
    from cnextract import speakers

    tagger = _CountingTagger()
    finder = SpeakerFinder(tagger=tagger)
    text = "发布会上，他介绍了情况。“今年的收成不错。”现场响起了热烈的掌声。"
    quotes, _ = _find(finder, text)
    assert quotes == [] and not any(w in "现场响起了热烈的掌声" for w in tagger.asked)
    text = "种植大户宋友祥站在田边。“今年的收成不错。”种植大户宋友祥笑着点头。"
    quotes, _ = _find(finder, text)
    assert [(q.rule, q.speaker_name) for q in quotes] == [("named-after", "宋友祥")]

    finder = SpeakerFinder(tagger=Tagger())
    read = 0
    for text in _folded_corpus(finder.tagger):
        for k, ch in enumerate(text):
            if ch not in speakers.CLOSERS:
                continue
            after = finder._after_mention(text, speakers._QuoteSpan(k - 1, k, True))
            if after is None:
                continue
            clause = text[after[0]:after[1]]
            kind, name, titles, _ = finder._classify(clause)
            if kind in ("person", "person-title"):
                read += 1
                assert name in clause, clause
                assert not titles or finder.lex.titles_re.search(clause) is not None, clause
    assert read > 50


def test_a_mention_is_scanned_for_titles_once_per_page():
    """The titles of a mention are scanned once per page (MentionReader.titles_in) whether it is
    read, classified or given its entries, and again on the next page (no memo outlives a page)."""
    finder = SpeakerFinder()
    scanned = []

    class Counting:
        def __init__(self, pattern):
            self.pattern = pattern

        def finditer(self, text, *args):
            scanned.append(text)
            return self.pattern.finditer(text, *args)

        def __getattr__(self, name):  # search, match
            return getattr(self.pattern, name)

    finder.mentions.titles_re = finder.lex.titles_re = Counting(finder.lex.titles_re)
    text = "国家统计局新闻发言人付凌晖表示，经济运行总体平稳。付凌晖说，就业形势稳定。"
    quotes, _ = _find(finder, text)
    assert [q.speaker_name for q in quotes] == ["付凌晖", "付凌晖"]
    assert scanned.count("国家统计局新闻发言人付凌晖") == 1
    finder.new_page()
    finder.tagger.new_page()
    _find(finder, text)
    assert scanned.count("国家统计局新闻发言人付凌晖") == 2


def test_short_windows_are_not_tagged_where_no_tagging_could_give_what_is_asked():
    """A label used once counts only as one word tagged a name (_may_be_tagged_name), a head is a
    place only as one word the dictionary tags ns (_place_word), and a clause's subject goes on
    only with a first word tagged a verb, preposition or adverb (_opens_with_word): each is
    tested before the tagger. Wherever the tagger gives such a word, on windows at every second
    place of the corpus pages, the test lets the window through."""
    from cnextract import speakers
    from cnextract.segment import word_tag

    tagger = Tagger()
    named = placed = opened = skipped = 0
    for text in _folded_corpus(tagger):
        for p in range(0, len(text), 2):
            for size in (2, 3, 4):
                window = text[p:p + size]
                words = tagger.tagged(window)
                if len(words) == 1 and words[0][1] == "nr":
                    assert speakers._may_be_tagged_name(window), window
                    named += 1
                if len(words) == 1 and words[0][1] == "ns":
                    assert word_tag(window) == "ns", window
                    placed += 1
                skipped += not speakers._may_be_tagged_name(window)
            window = text[p:p + 6]
            words = tagger.tagged(window)
            if words and words[0][1][:1] in speakers._NAME_NEXT_TAGS:
                assert speakers._opens_with_word(window, speakers._NAME_NEXT_TAGS), window
                opened += 1
            skipped += not speakers._opens_with_word(window, speakers._NAME_NEXT_TAGS)
    assert named > 200 and placed > 200 and opened > 10000 and skipped > 50000
    finder = SpeakerFinder()
    assert finder._place_word("台湾") and not finder._place_word("学者")


def test_a_sentence_opening_is_not_tagged_where_no_name_or_place_could_open_it():
    """_sentence_subject tags a sentence's first eight characters only where a prefix could be the
    tagger's first word as a name (or, with places, a place or organisation): _may_open_with.
    Wherever the tagger gives such a first word, on windows at every second place of the corpus
    pages, the test lets the window through."""
    from cnextract import speakers

    tagger = Tagger()
    found = skipped = 0
    for text in _folded_corpus(tagger):
        for p in range(0, len(text), 2):
            window = text[p:p + 8]
            words = tagger.tagged(window)
            for tags, longest in ((("nr", "nrfg"), 3), (("nr", "nrfg", "ns", "nt"), 6)):
                allowed = speakers._may_open_with(window, tags, longest)
                if words and words[0][1] in tags and 2 <= len(words[0][0]) <= longest:
                    assert allowed, window
                    found += 1
                skipped += not allowed
    assert found > 3000 and skipped > 50000


def test_a_mention_ending_with_a_known_alias_is_that_person():
    """resolve looks for a known person's alias ending a mention among the aliases ending with its
    last character (…供给水平鄢东 is 鄢东, named before with his titles)."""
    text = "商务部副部长鄢东表示，今年消费市场总体平稳。提升服务供给水平鄢东介绍，明年将继续扩大内需。"
    quotes, _ = _find(SpeakerFinder(), text)
    assert [(q.speaker.text, q.speaker_name, q.speaker_id) for q in quotes] == [
        ("商务部副部长鄢东", "鄢东", "s1"), ("提升服务供给水平鄢东", "鄢东", "s1")]


def test_introduced_names_are_tagged_only_where_a_name_looked_for_could_be():
    """The resolution asks the introduced names one form at a time (_Names): a place of
    _name_sites is tagged only when a form made of its first two or three characters is looked
    for. On every corpus page, each form is a name exactly when the names all worked out first
    (_introduced_names) hold it, and a quote given to the nearest name tags fewer places."""
    from cnextract.speakers import _Names

    finder = SpeakerFinder()
    forms = 0
    for text in _folded_corpus(finder.tagger):
        sites = finder._name_sites(text, 0, len(text))
        eager = finder._introduced_names(text, 0, len(text))
        names = _Names(finder, text, {"王某": "王某人"}, sites)
        for form in set(names.at) | set(names.known) | eager:
            if len(form) < 2:
                continue
            forms += 1
            expected = "王某人" if form == "王某" else form if form in eager else None
            assert names.get(form) == expected and (form in names) == (expected is not None), form
    assert forms > 500

    tagger = _CountingTagger()
    finder = SpeakerFinder(tagger=tagger)
    text = ("种植大户宋友祥站在田边。合作社理事长李贵和说，今年收成很好。店主姬楠楠介绍，订单多了。"
            "他说：“今年的收成不错。”")
    quotes, _ = _find(finder, text)
    assert [(q.speaker.text, q.speaker_name) for q in quotes][-1] == ("他", "姬楠楠")
    assert "宋友祥站在田" not in tagger.asked  # a place whose name no look asked for
