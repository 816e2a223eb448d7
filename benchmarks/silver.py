"""Silver checks: visibly broken speaker names and quotes over the bulk corpus (no gold needed).

    python benchmarks/silver.py [BULK] [--jobs 2] [--pred OUT.jsonl] [--save OUT.jsonl] [--json CHECKS.json]

BULK is the bulk corpus (default ../shared/corpus-bulk/pages.jsonl.gz from the repository root:
one JSON page a line with `id` and `text`, gzip or plain). Every page goes through the pipeline
(or, with --pred, the pages of a `cnextract extract` output are read instead), and every quote
is checked. Printed: for each check the count, the rate per 1,000 quotes, and 5 examples (a fixed
random sample) with the page id.

The checks read the project's own data, not lists in this script: cue verbs and frame closers,
titles, adverbs, addressees and reporters from rules/cues.toml, and the part of speech of the
words of a name from jieba's dictionary (the pipeline's Tagger: c conjunction, d adverb, r
pronoun, v verb, p preposition, nr person name). Each check is a lower bound of what a reader
would call broken: titles the rules do not know (CEO, 督察) go unseen. It is also an upper bound of
nothing: two readers of all 738 quotes the checks flagged on the bulk output of 2026-12-06 judged
432 of them right (Latin names and document titles longer than 12 characters, documents ending in
建议 or 统计, years in a report's title). Beside each check the refined count sets aside the classes
of right names the readers found (Checker.refined); the check as specified is printed first.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import sys
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _bulk import ROOT, default_bulk  # noqa: E402

sys.path.insert(0, str(ROOT / "src"))  # this checkout's cnextract, also when it is not installed
from cnextract import Pipeline  # noqa: E402
from cnextract.records import PageResult, Quote  # noqa: E402
from cnextract.rules import load_rules  # noqa: E402
from cnextract.mentions import name_model  # noqa: E402
from cnextract.segment import Tagger, starts_with_surname  # noqa: E402

SENTENCE_PUNCT = set("，。！？；：,!?;:\n\r\t")  # '.' and '·' stay: transliterated names use them
# for the refined checks: a run of Latin letters and digits, or a title in 《》 or quotes, is one unit
_WORD = r"[A-Za-z0-9À-ɏ.\-]*[A-Za-zÀ-ɏ][A-Za-z0-9À-ɏ.\-]*"  # a Latin word, digits in it (9to5Mac, G7)
_UNIT = re.compile(rf"《[^《》]*》|“[^“”]*”|{_WORD}(?: {_WORD})*")
# a number glued to a name that is no title's or Latin name's: a date, an age, a count or a percentage
_BODY_ENDS = ("局", "所", "会", "部", "委", "院", "中心", "频道", "公司", "集团", "组织", "机构")  # a body's name
_NOTE_END = re.compile(r"[（(][^（）()]*[）)]$")
_GLUED_NUMBER = re.compile(r"[0-9０-９]+[ ]?(?:年|月|日|号|岁|名|位|个|%|％)|[%％]")
DIGITS = set("0123456789０１２３４５６７８９%％")
MAX_NAME, MAX_CONTENT = 12, 600

CHECKS = {
    "begins": "speaker name begins with a conjunction, an adverb or a pronoun + verb",
    "ends": "speaker name ends in a cue or an addressee",
    "punct": "speaker name holds sentence punctuation, digits or %",
    "title": "speaker name keeps a title",
    "long_name": f"speaker name longer than {MAX_NAME} characters",
    "long_quote": f"quote content longer than {MAX_CONTENT} characters",
    "headline": "quote content crosses a headline (or its article's end)",
}


def read_bulk(path: Path) -> Iterator[tuple[str, str]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if line.strip():
                rec = json.loads(line)
                yield str(rec.get("id", n)), rec["text"]


def read_pred(path: Path) -> Iterator[PageResult]:
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            obj = json.loads(line)
            if obj.get("schema") == "cnextract.page":
                yield PageResult.model_validate(obj)


def page_id(page: PageResult) -> str:
    name = page.source.name or ""
    return name.rsplit(":", 1)[-1]  # a `cnextract extract` output names pages FILE:id


class Checker:
    """The word lists come from rules/cues.toml, the word classes from jieba's dictionary."""

    def __init__(self):
        cues = load_rules().cues
        self.cue_words = {f for e in cues.verbs for f in e.forms} | {c for e in cues.frames for c in e.closers}
        self.cue_ends = sorted(self.cue_words, key=len, reverse=True)
        self.addressees = {f for e in cues.adverbs if e.id == "addressee" for f in e.forms} \
            | {f for e in cues.reporters for f in e.forms}
        # single characters (也, 曾, 都) are also surnames: the tagger decides those
        self.adverb_openers = {f for e in cues.adverbs for f in e.forms if len(f) > 1}
        self.titles = {f for e in cues.titles for f in e.forms}
        self.titles_longest = sorted(self.titles, key=len, reverse=True)
        # what names a document (公告, 报告; 建议, 统计, 调查 of [[org_suffixes]] document) and an anonymous source
        self.doc_heads = tuple({f for e in cues.documents for f in e.forms}
                               | {f for e in cues.org_suffixes if e.id == "document" for f in e.forms})
        self.anonymous = tuple({f for e in cues.anonymous for f in e.forms})
        self.tagger = Tagger()

    def name_checks(self, name: str) -> list[str]:
        out = []
        words = self.tagger.tagged(name)
        tags = [t for _, t in words]
        first = tags[0] if tags else ""
        if first in ("c", "d") or any(name.startswith(a) for a in self.adverb_openers) \
                or (first.startswith("r") and len(words) > 1 and words[1][0] in self.cue_words):
            out.append("begins")  # 但他, 并特别, 也有, 日前; 他说, 他们认为 (not 该组织: 组织 is no cue)
        if self._ends_in_cue_or_addressee(name, words):
            out.append("ends")
        if any(ch in SENTENCE_PUNCT or ch in DIGITS for ch in name):
            out.append("punct")
        if self._keeps_title(name, words):
            out.append("title")
        if len(name) > MAX_NAME:
            out.append("long_name")
        return out

    def refined(self, name: str, hits: list[str]) -> list[str]:
        """The checks of ``hits`` that still hold once the classes of right names the checks flag
        are set aside, each a class two readers of the flagged bulk quotes judged right:
        - begins: a person's name whose surname is also a conjunction or adverb (和凛毅, 曾武兵), or an
          adverb modifying the source's own noun (不少业内人士, 初步调查, 最新研究, 未具名的…人士);
        - ends: a document whose head noun is also a cue (“十五五”规划建议, 海关统计, 有分析);
        - punct: digits of a document's title or year (2025年全球创新指数报告, 《…》), of a name in Latin
          letters (9to5Mac, G7, 36Kr) or of a stock code (688008.SH); sentence punctuation stays;
        - long_name: counted with a run of Latin letters or digits, and a title in 《》 or “”, as one
          character (Paolo Ardoino, 《2025年全球创新指数报告》 are one name each).
        The check as specified is printed beside it."""
        out = []
        plain = _UNIT.sub("文", name)
        for h in hits:
            if h == "begins" and self._begins_right(name):
                continue
            if h == "ends" and (name.endswith(self.doc_heads) or self._ends_right(name)):
                continue
            if h == "punct" and not any(ch in SENTENCE_PUNCT for ch in name) and (
                    not _GLUED_NUMBER.search(plain) or _NOTE_END.sub("", name).endswith(self.doc_heads)):
                continue  # (中国气候公报（2025年）: a document's year in brackets)
            if h == "long_name" and len(plain) <= MAX_NAME:
                continue
            out.append(h)
        return out

    def _ends_right(self, name: str) -> bool:
        """A name the preposition test alone flags whose preposition belongs to it: a transliteration
        (露西·里格比, 霍伊斯根: 比 and 根 are tagged p), a body joined by 与 or 在 ending in its suffix (移民与海关
        执法局, 多家在华外国商会), an anonymous source or group (居住在机场附近的居民); or 有 + a noun of two
        characters, an anonymous source (有分析, 有统计)."""
        if any(name.endswith(c) and len(name) > len(c) for c in self.cue_ends) and not name.startswith("有"):
            return False  # a cue really ends it
        if any(name.endswith(a) and len(name) > len(a) for a in self.addressees):
            return False
        words = self.tagger.tagged(name)
        if len(name) == 3 and name.startswith("有"):
            return True
        return ("·" in name or len(words) == 1 or words[-1][1] in ("nr", "nrt", "nt")
                or name_model().is_foreign(name, -0.5) or name_model().is_name(name)  # 古尔斯比, 陈子顺
                or (name.endswith(self.anonymous) or name.endswith(tuple(self.titles)))
                and not any(p in name for p in "跟对向给")  # (我们经常跟投资人: an addressee, 投资人 a title too)
                or name.endswith(_BODY_ENDS) or name.endswith("的居民"))

    def _begins_right(self, name: str) -> bool:
        words = self.tagger.tagged(name)
        if len(words) == 1 and words[0][1].startswith("nr") or starts_with_surname(name) and 2 <= len(name) <= 3 \
                and not any(t[:1] in "rdvcpu" for _, t in self.tagger.tagged(name[1:])):
            return True  # 和凛毅, 曾武兵: a surname that is also a conjunction or adverb (not 但他, 也有)
        if len(words) > 1 and words[0][1] in ("d", "ad") and (
                words[1][1][:1] == "n" or words[1][1] == "vn" or "的" in name):
            return name.endswith(self.doc_heads) or name.endswith(self.anonymous) or words[-1][1][:1] == "n"
        return False

    def _ends_in_cue_or_addressee(self, name: str, words) -> bool:
        if any(name.endswith(c) and len(name) > len(c) for c in self.cue_ends):
            return True
        if any(name.endswith(a) and len(name) > len(a) for a in self.addressees):
            return True
        # 向36氪, 对媒体: a preposition after the source, with a short object closing the name
        pos = 0
        for i, (w, t) in enumerate(words):
            if t == "p" and i > 0 and len(name) - (pos + len(w)) <= 8:
                return True
            pos += len(w)
        return False

    def _keeps_title(self, name: str, words) -> bool:
        """A title before a person's name (院士钟南山, 主席鲍威尔) or after one (胡衡华代表). A title
        counts where a word of the name ends with it (not 代表 inside 代表性)."""
        bounds, pos = set(), 0
        for w, _ in words:
            pos += len(w)
            bounds.add(pos)
        ends = {i + len(t) for t in self.titles for i in _find_all(name, t)} & bounds
        if not ends:
            return False
        if min(ends) < len(name) and words and self._is_person(*words[-1]):
            return True
        head = name
        while len(name) in ends:  # strip titles from the end: what stays is the name
            t = next((t for t in self.titles_longest if head.endswith(t)), None)
            if t is None or len(head) == len(t):
                break
            head = head[:-len(t)]
        got = self.tagger.tagged(head) if head != name else []
        return len(got) == 1 and self._is_person(*got[0])

    @staticmethod
    def _is_person(word: str, tag: str) -> bool:
        """jieba's person tags, a dotted transliteration, or a surname-led word it files as a place
        (钟南山 is ns in its dictionary)."""
        return tag.startswith("nr") or "·" in word or (tag == "ns" and 2 <= len(word) <= 3
                                                      and starts_with_surname(word))


def _find_all(text: str, sub: str) -> Iterator[int]:
    i = text.find(sub)
    while i >= 0:
        yield i
        i = text.find(sub, i + 1)


def check_pages(pages, checker: Checker):
    flagged = {k: [] for k in CHECKS}
    refined = {k: [] for k in CHECKS}
    totals = {"pages": 0, "quotes": 0, "named": 0}
    for page in pages:
        totals["pages"] += 1
        heads = [a.headline for a in page.articles if a.headline is not None]
        for art in page.articles:
            for q in art.quotes:
                totals["quotes"] += 1
                hits, kept = [], []
                if q.speaker_name:
                    totals["named"] += 1
                    hits += checker.name_checks(q.speaker_name)
                    kept += checker.refined(q.speaker_name, hits)
                c = q.content
                if c.end - c.start > MAX_CONTENT:
                    hits.append("long_quote")
                if any(h.start < c.end and c.start < h.end for h in heads) \
                        or c.start < art.span.start or c.end > art.span.end:
                    hits.append("headline")
                for h in hits:
                    flagged[h].append(_row(page, q))
                for h in kept + [h for h in hits if h in ("long_quote", "headline")]:
                    refined[h].append(_row(page, q))
    return totals, flagged, refined


def _row(page: PageResult, q: Quote) -> dict:
    return {"page": page_id(page), "speaker_name": q.speaker_name,
            "speaker": q.speaker.text if q.speaker else None, "rule": q.rule,
            "content_start": q.content.start, "content_end": q.content.end,
            "content": q.content.text[:60].replace("\n", "⏎")}


def _any_name(flagged: dict) -> int:
    return len({(r["page"], r["content_start"]) for k in ("begins", "ends", "punct", "title", "long_name")
                for r in flagged[k]})


def report(totals: dict, flagged: dict, examples: int, seed: int = 0, refined: dict | None = None) -> None:
    n = totals["quotes"]
    refined = refined if refined is not None else flagged
    print(f"silver checks: {totals['pages']:,} pages, {n:,} quotes ({totals['named']:,} with a speaker name)")
    print(f"{'check':<72} {'count':>6} {'per 1,000':>10} {'refined':>8} {'per 1,000':>10}")
    rows = [(CHECKS[k], len(v), len(refined[k])) for k, v in flagged.items()]
    rows.append(("any speaker-name check above", _any_name(flagged), _any_name(refined)))
    for label, count, kept in rows:
        print(f"{label:<72} {count:>6} {1000 * count / n if n else 0:>10.1f} {kept:>8} "
              f"{1000 * kept / n if n else 0:>10.1f}")
    print("(refined: the classes of right names each check flags set aside, see Checker.refined)")
    rng = random.Random(seed)
    for k, rows_k in flagged.items():
        print(f"\n== {CHECKS[k]}: {len(rows_k)}")
        for r in sorted(rng.sample(rows_k, min(examples, len(rows_k))), key=lambda r: r["page"]):
            print(f"  {r['page']}  name={r['speaker_name']!r}  mention={r['speaker']!r}  "
                  f"content[{r['content_end'] - r['content_start']}]={r['content']!r}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("bulk", nargs="?", help="bulk corpus JSONL, .gz or plain (default: "
                    "../shared/corpus-bulk/pages.jsonl.gz from the repository root)")
    ap.add_argument("--pred", help="read this `cnextract extract` output instead of running the pipeline")
    ap.add_argument("--jobs", type=int, default=1, help="worker processes for the pipeline (default 1)")
    ap.add_argument("--save", help="also write the extracted pages here (JSONL)")
    ap.add_argument("--json", help="write counts and every flagged quote here")
    ap.add_argument("--examples", type=int, default=5, help="examples printed per check (default 5)")
    args = ap.parse_args(argv)
    if args.pred:
        pages = read_pred(Path(args.pred))
    else:
        bulk = Path(args.bulk) if args.bulk else default_bulk()
        if not bulk.is_file():
            print(f"silver: {bulk}: no such file (give the bulk corpus as the first argument)", file=sys.stderr)
            return 2
        pages = Pipeline().map(read_bulk(bulk), jobs=args.jobs)
        if args.save:
            pages = _saving(pages, Path(args.save))
    totals, flagged, refined = check_pages(pages, Checker())
    report(totals, flagged, args.examples, refined=refined)
    if args.json:
        Path(args.json).write_text(json.dumps({"totals": totals, "checks": CHECKS, "flagged": flagged,
                                               "refined": refined}, ensure_ascii=False, indent=1),
                                   encoding="utf-8")
    return 0


def _saving(pages, path: Path):
    with open(path, "w", encoding="utf-8") as out:
        for page in pages:
            out.write(page.to_json() + "\n")
            yield page


if __name__ == "__main__":
    sys.exit(main())
