"""What changed on unseen text: figures and quotes that appeared, disappeared or changed on the bulk
corpus between two versions of cnextract, grouped by rule, each with the sentence around it.

    python benchmarks/bulk_diff.py OLD NEW [--bulk PAGES.jsonl.gz] [--jobs 2] [--cache DIR]
                                   [--show 10] [--json DIFF.json]

OLD and NEW are each a git revision of this repository (main, HEAD~1, a branch, a sha), a
directory holding a checkout to run as it is (`.` for the working tree, uncommitted edits
included), or a JSONL file a `cnextract extract` run wrote. A revision is exported with
`git archive` (src/ and rules/ only) to a temporary directory and run there with its own code and
rules, in a separate process (`python -m cnextract.cli extract`); nothing in the repository or its
worktrees is touched. --cache DIR keeps each revision's output as DIR/<sha>.jsonl and reuses it.

Records are paired page by page: figures by their span, quotes by their content span; what
is left is paired by overlap (a span that grew or shrank is a change, not a loss and a gain).
A change lists the fields that differ. Read it after every rule change: a rule that fixes a
corpus case and breaks twenty bulk sentences is not a fix.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections import Counter, defaultdict
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _bulk import ROOT, default_bulk  # noqa: E402

FIGURE_FIELDS = ("text", "value", "low", "high", "unit", "unit_text", "kind", "qualifier", "direction",
                 "basis", "metric", "subject", "period", "rule", "entries")
QUOTE_FIELDS = ("kind", "content", "speaker", "speaker_name", "cue", "rule", "entries")
SENTENCE_ENDS = set("。！？!?\n")


class Failure(Exception):
    """A version that cannot be found (exit 2) or run (exit 1); one line on stderr."""

    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.code = code


# ------------------------------------------------------------------ running a version


def _git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()


def _pages_jsonl(bulk: Path, work: Path) -> Path:
    """`cnextract extract` reads .jsonl, not .gz: one plain copy per run."""
    if bulk.suffix != ".gz":
        return bulk
    out = work / "pages.jsonl"
    if not out.exists():
        with gzip.open(bulk, "rb") as src, open(out, "wb") as dst:
            shutil.copyfileobj(src, dst)
    return out


def _extract(checkout: Path, pages: Path, out: Path, jobs: int) -> None:
    """Run the checkout's own cnextract (its src/ first on the path, its rules/ beside it)."""
    env = dict(os.environ, PYTHONPATH=str(checkout / "src"))
    where = subprocess.run([sys.executable, "-c", "import cnextract; print(cnextract.__file__)"], cwd=checkout,
                           env=env, capture_output=True, text=True, check=True).stdout.strip()
    if not Path(where).resolve().is_relative_to((checkout / "src").resolve()):
        raise Failure(f"{checkout} would run cnextract from {where}, not its own src/")
    cmd = [sys.executable, "-m", "cnextract.cli", "extract", str(pages), "--text-field", "text",
           "--id-field", "id", "-o", str(out), "--jobs", str(jobs), "--quiet"]
    res = subprocess.run(cmd, cwd=checkout, env=env, capture_output=True, text=True)
    if res.returncode not in (0, 1):  # 1: some page had a problem; it is still a page in the output
        last = (res.stderr.strip().splitlines() or ["no message"])[-1]
        raise Failure(f"extract failed in {checkout} (exit {res.returncode}): {last}")


def output_of(version: str, bulk: Path, work: Path, jobs: int, cache: Path | None) -> tuple[Path, str]:
    """The extract output for a version (file, directory or git revision) and a label for it."""
    path = Path(version)
    if path.is_file():
        return path, f"file {version}"
    if path.is_dir() and (path / "src" / "cnextract").is_dir():
        out = work / f"dir-{len(list(work.glob('dir-*')))}.jsonl"
        _extract(path.resolve(), _pages_jsonl(bulk, work), out, jobs)
        return out, f"checkout {version}"
    try:
        sha = _git("rev-parse", "--verify", f"{version}^{{commit}}")
    except subprocess.CalledProcessError:
        raise Failure(f"{version!r} is neither a file, a checkout nor a git revision", 2) from None
    label = f"{version} ({sha[:10]})"
    if cache is not None and (cache / f"{sha}.jsonl").is_file():
        return cache / f"{sha}.jsonl", label
    tree = work / f"rev-{sha[:12]}-{len(list(work.glob('rev-*')))}"
    tree.mkdir()
    archive = subprocess.run(["git", "archive", "--format=tar", sha, "src", "rules"], cwd=ROOT,
                             capture_output=True, check=True).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(tree, filter="data")
    out = tree / "out.jsonl"
    _extract(tree, _pages_jsonl(bulk, work), out, jobs)
    if cache is not None:
        cache.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(out, cache / f"{sha}.jsonl")
    return out, label


# ------------------------------------------------------------------ diffing


def read_output(path: Path) -> dict[str, dict]:
    pages = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            obj = json.loads(line)
            if obj.get("schema") == "cnextract.page":
                pages[(obj["source"].get("name") or "").rsplit(":", 1)[-1]] = obj
    return pages


def _span(rec: dict, name: str) -> tuple[int, int]:
    s = rec if name is None else rec[name]
    return s["start"], s["end"]


def _view(rec: dict, fields: tuple[str, ...]) -> dict:
    """The compared fields, a Span reduced to its text and place."""
    out = {}
    for f in fields:
        v = rec.get(f)
        if isinstance(v, dict) and "text" in v:
            v = f"{v['text']}@{v['start']}"
        elif isinstance(v, list):
            v = tuple(v)
        out[f] = v
    return out


def pair(old: list[dict], new: list[dict], span) -> tuple[list, list, list]:
    """(pairs, only old, only new): same span first, then the largest overlap."""
    by_span = defaultdict(list)
    for j, r in enumerate(new):
        by_span[span(r)].append(j)
    pairs, used_new, left_old = [], set(), []
    for i, r in enumerate(old):
        js = [j for j in by_span.get(span(r), []) if j not in used_new]
        if js:
            pairs.append((i, js[0]))
            used_new.add(js[0])
        else:
            left_old.append(i)
    rest_old = []
    for i in left_old:
        a, b = span(old[i])
        best, best_ov = None, 0
        for j, r in enumerate(new):
            if j in used_new:
                continue
            c, d = span(r)
            ov = min(b, d) - max(a, c)
            if ov > best_ov:
                best, best_ov = j, ov
        if best is None:
            rest_old.append(i)
        else:
            pairs.append((i, best))
            used_new.add(best)
    return pairs, rest_old, [j for j in range(len(new)) if j not in used_new]


def sentence(text: str, start: int, end: int, reach: int = 60) -> str:
    """The sentence around [start, end), the span in brackets, at most `reach` characters a side."""
    a = start
    while a > 0 and start - a < reach and text[a - 1] not in SENTENCE_ENDS:
        a -= 1
    b = end
    while b < len(text) and b - end < reach:
        b += 1
        if text[b - 1] in SENTENCE_ENDS:
            break
    inner = text[start:end] if end - start <= 2 * reach else text[start:start + reach] + "…" + text[end - reach:end]
    before = "…" if a > 0 and text[a - 1] not in SENTENCE_ENDS else ""
    after = "…" if b < len(text) and text[b - 1] not in SENTENCE_ENDS else ""
    return (before + text[a:start] + "[" + inner + "]" + text[end:b] + after).replace("\n", "⏎")


def _records(page: dict, key: str) -> list[dict]:
    return [r for art in page.get("articles", []) for r in art.get(key, [])]


def diff(old_pages: dict, new_pages: dict) -> dict:
    """Every difference, as rows: kind (figure/quote), change (+, -, ~), group, page, context, what."""
    rows = []
    for pid in sorted(set(old_pages) & set(new_pages)):
        o, n = old_pages[pid], new_pages[pid]
        text = n["text"]
        for key, fields, span_of, what in (("figures", FIGURE_FIELDS, lambda r: _span(r, None), _fig_text),
                                           ("quotes", QUOTE_FIELDS, lambda r: _span(r, "content"), _quote_text)):
            old, new = _records(o, key), _records(n, key)
            pairs, gone, came = pair(old, new, span_of)
            kind = key[:-1]
            for i, j in pairs:
                a, b = _view(old[i], fields), _view(new[j], fields)
                changed = [f for f in fields if a[f] != b[f]]
                if changed:
                    group = b["rule"] if a["rule"] == b["rule"] else f"{a['rule']} -> {b['rule']}"
                    rows.append({"kind": kind, "change": "~", "group": group, "page": pid,
                                 "context": sentence(text, *span_of(new[j])), "entries": new[j].get("entries", []),
                                 "what": "; ".join(f"{f}: {a[f]!r} -> {b[f]!r}" for f in changed)})
            for i in gone:
                rows.append({"kind": kind, "change": "-", "group": old[i].get("rule"), "page": pid,
                             "context": sentence(o["text"], *span_of(old[i])),
                             "entries": old[i].get("entries", []), "what": what(old[i])})
            for j in came:
                rows.append({"kind": kind, "change": "+", "group": new[j].get("rule"), "page": pid,
                             "context": sentence(text, *span_of(new[j])),
                             "entries": new[j].get("entries", []), "what": what(new[j])})
    return {"pages_old": len(old_pages), "pages_new": len(new_pages),
            "only_old": sorted(set(old_pages) - set(new_pages)), "only_new": sorted(set(new_pages) - set(old_pages)),
            "text_differs": sorted(p for p in set(old_pages) & set(new_pages)
                                   if old_pages[p]["text"] != new_pages[p]["text"]),
            "records_old": _count(old_pages), "records_new": _count(new_pages),
            "rows": rows}


def _count(pages: dict) -> dict:
    return {k: sum(len(_records(p, k)) for p in pages.values()) for k in ("figures", "quotes")}


def _fig_text(f: dict) -> str:
    val = f.get("value") if f.get("value") is not None else f"{f.get('low')}..{f.get('high')}"
    return (f"{f['text']!r} {val} {f.get('unit')} {f.get('kind')} qualifier={f.get('qualifier')} "
            f"direction={f.get('direction')}")


def _quote_text(q: dict) -> str:
    sp = q.get("speaker") or {}
    return f"{q.get('kind')} speaker_name={q.get('speaker_name')!r} mention={sp.get('text')!r}"


def report(result: dict, old_label: str, new_label: str, show: int) -> None:
    rows = result["rows"]
    print(f"bulk diff: {old_label} -> {new_label}")
    print(f"pages: {result['pages_old']:,} old, {result['pages_new']:,} new; "
          f"only old {len(result['only_old'])}, only new {len(result['only_new'])}, "
          f"text differs {len(result['text_differs'])}")
    for kind in ("figure", "quote"):
        c = Counter(r["change"] for r in rows if r["kind"] == kind)
        print(f"{kind}s: {result['records_old'][kind + 's']:,} old, {result['records_new'][kind + 's']:,} new; "
              f"appeared {c['+']}, disappeared {c['-']}, changed {c['~']}")
    if not rows:
        print("no record appeared, disappeared or changed")
        return
    entries = Counter((r["change"], e) for r in rows if r["kind"] == "figure" for e in r["entries"])
    if entries:
        print("figure entries involved (rules/*.toml ids): " + ", ".join(
            f"{e} {ch}{n}" for (ch, e), n in sorted(entries.items(), key=lambda x: (-x[1], x[0]))[:30]))
    groups = defaultdict(list)
    for r in rows:
        groups[(r["kind"], r["group"])].append(r)
    for (kind, group), rs in sorted(groups.items(), key=lambda kv: (kv[0][0], -len(kv[1]), str(kv[0][1]))):
        c = Counter(r["change"] for r in rs)
        print(f"\n== {kind}s, rule {group}: +{c['+']} -{c['-']} ~{c['~']}")
        for r in rs[:show] if show else rs:
            ent = f" [{', '.join(r['entries'])}]" if r["entries"] else ""
            print(f"  {r['change']} {r['page']}  {r['context']}")
            print(f"      {r['what']}{ent}")
        if show and len(rs) > show:
            print(f"  … {len(rs) - show} more (--show 0 lists all)")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("old", help="git revision, checkout directory or extract output (JSONL)")
    ap.add_argument("new", help="git revision, checkout directory or extract output (JSONL)")
    ap.add_argument("--bulk", help="bulk corpus (default ../shared/corpus-bulk/pages.jsonl.gz from the repo root)")
    ap.add_argument("--jobs", type=int, default=2, help="worker processes per extract run (default 2)")
    ap.add_argument("--cache", help="keep each revision's output here as <sha>.jsonl and reuse it")
    ap.add_argument("--show", type=int, default=10, help="rows printed per rule group (0: all; default 10)")
    ap.add_argument("--json", help="write every difference here")
    args = ap.parse_args(argv)
    bulk = Path(args.bulk) if args.bulk else default_bulk()
    needs_bulk = not (Path(args.old).is_file() and Path(args.new).is_file())
    if needs_bulk and not bulk.is_file():
        print(f"bulk_diff: {bulk}: no such file (give it with --bulk)", file=sys.stderr)
        return 2
    cache = Path(args.cache) if args.cache else None
    with tempfile.TemporaryDirectory(prefix="bulk-diff-") as tmp:
        work = Path(tmp)
        try:
            old_out, old_label = output_of(args.old, bulk, work, args.jobs, cache)
            new_out, new_label = output_of(args.new, bulk, work, args.jobs, cache)
        except Failure as exc:
            print(f"bulk_diff: {exc}", file=sys.stderr)
            return exc.code
        result = diff(read_output(old_out), read_output(new_out))
    report(result, old_label, new_label, args.show)
    if args.json:
        Path(args.json).write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
