"""Command line: cnextract extract | show | eval | explain | schema | spark-extract."""

from __future__ import annotations

import argparse
import itertools
import json
import os
import sys
from pathlib import Path

from . import __version__
from .records import SCORED_KINDS, GoldDocument, PageResult


def _progress(args):
    """A tqdm bar on a terminal (pages/s, chars/s); None when piped or --quiet."""
    if args.quiet or not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return tqdm(unit=" pages", file=sys.stderr, dynamic_ncols=True, mininterval=0.25)


def _cmd_extract(args) -> int:
    import time

    from . import batch
    from .pipeline import Options
    from .segment import SegmenterUnavailable

    options = Options(segmenter=args.segmenter)
    if args.jobs < 1:
        args.jobs = os.cpu_count() or 1
    items = batch.inputs(args.paths, text_field=args.text_field, id_field=args.id_field,
                         stdin=sys.stdin.buffer.read)
    out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
    bar = _progress(args)
    pages = figures = quotes = problems = notices = failed = chars = 0
    started = time.perf_counter()
    first = True
    try:
        if args.format == "json":
            out.write("[\n")
        for _, line in batch.run(items, options, args.jobs, encode=batch.to_line):
            if args.format == "json":
                out.write(("" if first else ",\n") + line.text)
            else:
                out.write(line.text + "\n")
            out.flush()  # a killed run keeps every line it finished
            first = False
            pages += line.is_page
            figures += line.figures
            quotes += line.quotes
            problems += line.problems
            notices += line.notices
            failed += bool(line.problems)
            chars += line.chars
            if bar is not None:
                elapsed = max(time.perf_counter() - started, 1e-9)
                bar.set_postfix_str(f"{_si(chars / elapsed)} chars/s, {failed} failed", refresh=False)
                bar.update(1)
        if args.format == "json":
            out.write("\n]\n" if not first else "]\n")
    except SegmenterUnavailable as exc:
        print(f"cnextract extract: {exc}", file=sys.stderr)
        return 2
    finally:
        if bar is not None:
            bar.close()
        if out is not sys.stdout:
            out.close()
    elapsed = max(time.perf_counter() - started, 1e-9)
    if not args.quiet:
        print(f"cnextract extract: {pages} pages, {figures} figures, {quotes} quotes, {problems} problems "
              f"({failed} inputs with problems), {notices} notices; {chars} chars in {elapsed:.1f} s = "
              f"{_si(chars / elapsed)} chars/s with {args.jobs} job(s)", file=sys.stderr)
    return 1 if failed else 0


def _si(x: float) -> str:
    for unit, size in (("M", 1e6), ("k", 1e3)):
        if x >= size:
            return f"{x / size:.2f}{unit}"
    return f"{x:.0f}"


def _cmd_schema(args) -> int:
    target = GoldDocument if args.gold else PageResult
    print(json.dumps(target.model_json_schema(by_alias=True), ensure_ascii=False, indent=2))
    return 0


def _cmd_explain(args) -> int:
    from .figures import FigureFinder
    from .normalise import fold

    text = args.text if args.text != "-" else sys.stdin.read()
    decisions = []
    FigureFinder().find(text, fold(text), decisions=decisions)
    decisions.sort(key=lambda d: (d.start, d.end))
    for d in decisions:
        if d.made is not None:
            f = d.made
            scored = "" if f.kind in SCORED_KINDS else "  (not scored)"
            val = f.value if f.value is not None else f"{f.low}..{f.high}"
            print(f"[{d.start}:{d.end}] {d.text!r}  rule={d.rule} -> {f.kind} {val} {f.unit or ''}"
                  f" qualifier={f.qualifier} direction={f.direction} basis={f.basis}{scored}")
            print(f"    entries: {', '.join(f.entries) or '-'}")
            why = dict(r.split(":", 1) for r in d.context)  # field -> the ctx-* rule that read it
            for name in ("metric", "subject", "period"):
                s = getattr(f, name)
                if s is not None:
                    print(f"    {name}: {s.text!r} [{s.start}:{s.end}]" + (f"  ({why[name]})" if name in why else ""))
        else:
            print(f"[{d.start}:{d.end}] {d.text!r}  rule={d.rule} declined: {'; '.join(d.declined)}")
    if not decisions:
        print("no numeral candidates")
    return 0


def _print_prf(label: str, d: dict) -> None:
    print(f"  {label:<28} P {d['p']:.3f}  R {d['r']:.3f}  F1 {d['f1']:.3f}   (tp {d['tp']}, fp {d['fp']}, fn {d['fn']})")


def _context_line(acc: dict) -> str:
    """metric/subject/period accuracy on matched figures, and how many pairs were judged."""
    if not acc["pairs"]:
        return "none annotated"
    return f"metric {acc['metric']:.3f} subject {acc['subject']:.3f} period {acc['period']:.3f} (n {acc['pairs']})"


def _cmd_eval(args) -> int:
    from . import evaluate as ev

    root = Path(args.gold_dir)
    try:
        ids = ev.load_splits(root)
        names = [*ids, "all"]
        if args.split and args.split not in names:
            raise ev.GoldError(f"split {args.split!r} is not in {root / 'splits.toml'} (splits: {', '.join(names)})")
        gold = ev.load_gold(root, None if args.split in (None, "all") else args.split)
        if args.pred:
            pages = ev.pair_predictions(gold, ev.load_predictions(Path(args.pred)))
        else:
            pages = ev.run_pipeline(gold)

        def score(split):  # every page is extracted once; a split scores its own pages
            return ev.evaluate(gold if split == "all" else [g for g in gold if g.doc.id in ids[split]], pages)

        results = {split: score(split) for split in (names if args.update else [args.split or "all"])}
        by_split = {} if args.split or args.update else {split: results.get(split) or score(split) for split in names}
    except ev.GoldError as exc:
        print(f"cnextract eval: {exc}", file=sys.stderr)
        return 2
    if args.update:
        if args.pred:
            print("cnextract eval: --update pins the pipeline's own scores; drop --pred", file=sys.stderr)
            return 2
        lowered = ev.update_baseline(root / "baseline.json", results, ev.gold_digest(root), args.allow_regression)
        if lowered:
            print("cnextract eval: refusing to lower floors (use --allow-regression):", file=sys.stderr)
            for line in lowered:
                print("  " + line, file=sys.stderr)
            return 1
        print(f"re-pinned {root / 'baseline.json'}")
    for split, res in results.items():
        print(f"== split: {split}  ({len(res['articles'])} articles)")
        print("figures")
        _print_prf("detection", res["figures"]["detect"])
        _print_prf("full match", res["figures"]["full"])
        print(f"  qualifier accuracy {res['figures']['qualifier_accuracy']}   "
              f"direction accuracy {res['figures']['direction_accuracy']}")
        print(f"  context accuracy {_context_line(res['figures']['context'])}")
        print("quotes")
        _print_prf("content detection", res["quotes"]["detect"])
        _print_prf("attribution", res["quotes"]["attribution"])
        _print_prf("direct (content)", res["quotes"]["direct"])
        _print_prf("indirect+mixed (content)", res["quotes"]["indirect"])
        print("per article (figures full-match F1, quotes attribution F1, context accuracy)")
        for row in res["articles"]:
            flag = "  NO PREDICTION" if row["missing_prediction"] else ""
            ctx = f"   context {_context_line(row['context'])}" if row["context"] else ""
            print(f"  {row['id']:<10} figures {row['figures_full']['f1']:.3f} "
                  f"(fp {row['figures_full']['fp']}, fn {row['figures_full']['fn']})   "
                  f"quotes {row['quotes_attribution']['f1']:.3f}{ctx}{flag}")
        n = args.show
        misses = [(r["id"], m) for r in res["articles"] for m in r["misses"]][:n]
        fps = [(r["id"], m) for r in res["articles"] for m in r["false_positives"]][:n]
        wrong = [(r["id"], m) for r in res["articles"] for m in r["wrong"]][:n]
        if misses:
            print(f"first {len(misses)} missed figures")
            for aid, m in misses:
                print(f"  {aid} {m['context']}  {m['value'] or (m['low'], m['high'])} {m['unit']} {m['kind']}")
        if fps:
            print(f"first {len(fps)} false positives")
            for aid, m in fps:
                print(f"  {aid} {m['context']}  {m['value'] or (m['low'], m['high'])} {m['unit']} {m['kind']}")
        if wrong:
            print(f"first {len(wrong)} matched with a wrong value, unit or kind")
            for aid, m in wrong:
                g, p = m["gold"], m["pred"]
                print(f"  {aid} {g['context']}  gold {g['value'] or (g['low'], g['high'])} {g['unit']} {g['kind']}"
                      f"  pred {p['text']!r} {p['value'] or (p['low'], p['high'])} {p['unit']} {p['kind']}")
        if args.verbose:
            ctx_misses = [(r["id"], m) for r in res["articles"] for m in r["context_misses"]]
            print(f"context misses ({len(ctx_misses)}): field, figure, gold vs predicted, sentence")
            for aid, m in ctx_misses:
                print(f"  {aid} {m['field']:<7} {m['figure']}  gold {m['gold']!r}  pred {m['pred']!r}  | {m['sentence']}")
    if by_split:
        print("per split (figures: detection F1, full-match P/R/F1, qualifier and direction accuracy; "
              "quotes: content detection F1, attribution P/R/F1)")
        for split, res in by_split.items():
            fig, quo = res["figures"], res["quotes"]
            print(f"  {split:<6} {len(res['articles']):>3} articles  figures {fig['detect']['f1']:.3f}  "
                  f"{fig['full']['p']:.3f}/{fig['full']['r']:.3f}/{fig['full']['f1']:.3f}  "
                  f"qual {fig['qualifier_accuracy']}  dir {fig['direction_accuracy']}   "
                  f"quotes {quo['detect']['f1']:.3f}  {quo['attribution']['p']:.3f}/"
                  f"{quo['attribution']['r']:.3f}/{quo['attribution']['f1']:.3f}   "
                  f"context {_context_line(fig['context'])}")
    if args.json:
        payload = results[next(iter(results))] if len(results) == 1 else results
        Path(args.json).write_text(json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


def _gold_root(path: str) -> Path | None:
    """A corpus directory (gold/ and raw/ inside) or its gold/ directory -> the corpus root."""
    p = Path(path)
    if (p / "gold").is_dir():
        return p
    if p.is_dir() and (p.parent / "raw").is_dir():
        return p.parent
    return None


def _cmd_show(args) -> int:
    from . import batch, show
    from . import evaluate as ev
    from .pipeline import Pipeline

    gold: list = []
    if args.gold:
        root = _gold_root(args.gold)
        if root is None:
            print(f"cnextract show: --gold {args.gold}: not a corpus directory (gold/ and raw/) nor its "
                  "gold/ directory", file=sys.stderr)
            return 2
        try:
            gold = ev.load_gold(root)
        except ev.GoldError as exc:
            print(f"cnextract show: --gold: {exc}", file=sys.stderr)
            return 2
    try:
        out = open(args.output, "w", encoding="utf-8")
    except OSError as exc:
        print(f"cnextract show: cannot write {args.output}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    by_sha = {g.doc.sha256: g for g in gold}
    by_id = {g.doc.id: g for g in gold}
    nlp = Pipeline()
    reviews: list[show.Review] = []
    for path in batch.expand(args.paths):
        if isinstance(path, batch.Failure):
            reviews.append(show.Review(path.name or "", problems=(path.problem,)))
            continue
        if path != "-" and batch._kind(path) == "jsonl" and batch._regular(path) is None:
            try:
                with batch._open(path) as fh:
                    first = next((ln for ln in fh if ln.strip()), b"")
                    if show.is_page_records(first):
                        reviews.extend(show.page_records(itertools.chain([first], fh), path))
                        continue
            except batch._GZIP_ERRORS as exc:
                reviews.append(show.Review(path, problems=(batch._read_failure(path, exc).problem,)))
                continue
        items = batch.inputs([path], text_field=args.text_field, id_field=args.id_field,
                             stdin=sys.stdin.buffer.read)
        for _, res in batch.run(items, pipeline=nlp):
            if isinstance(res, batch.Failure):
                reviews.append(show.Review(res.name or "", problems=(res.problem,)))
            else:
                reviews.append(show.Review(res.source.name or "", page=res))
    for rv in reviews:
        if rv.page is None or not gold:
            continue
        rv.gold = by_sha.get(rv.page.source.sha256)
        name = rv.page.source.name or ""
        stem = Path(name.rsplit(":", 1)[-1] if ":" in name and not os.path.exists(name) else name).stem
        if rv.gold is None and stem in by_id:
            rv.note = (f"gold {stem} was written for another text (its sha256 differs: an HTML page or an "
                       "edited copy); not compared")
    with out:
        out.write(show.render(reviews, title=args.title))
    failed = sum(any(p.level == "error" for p in (rv.page.problems if rv.page else rv.problems)) for rv in reviews)
    if not args.quiet:
        compared = sum(rv.gold is not None for rv in reviews)
        print(f"cnextract show: {len(reviews)} page(s){f', {compared} compared with gold' if gold else ''}"
              f" -> {args.output}", file=sys.stderr)
    return 1 if failed else 0


def _cmd_spark_extract(args) -> int:
    from .spark import run_cli

    return run_cli(args)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="cnextract", description=__doc__)
    p.add_argument("--version", action="version", version=f"cnextract {__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    e = sub.add_parser("extract", help="extract records from files, directories, globs or stdin; "
                       "one JSON line per page")
    e.add_argument("paths", nargs="+", help="files (.txt, .html, .json, .jsonl), directories (searched "
                   "recursively), globs, or - for standard input")
    e.add_argument("-o", "--output", help="write here instead of standard output")
    e.add_argument("-j", "--jobs", type=int, default=1, help="worker processes (0: one per core; default 1)")
    e.add_argument("--format", choices=["jsonl", "json"], default="jsonl",
                   help="jsonl: one record per line (default); json: the same lines inside a JSON array")
    e.add_argument("--text-field", default="text", help="field holding the page text in .json/.jsonl "
                   "records (dots reach inside objects: item.content); default text")
    e.add_argument("--id-field", default="id", help="field naming a .json/.jsonl record in source.name "
                   "(file:id); records without it are named file:line; default id")
    e.add_argument("--segmenter", choices=["jieba", "rjieba"], default="jieba",
                   help="word segmenter backend (rjieba needs pip install 'cnextract[fast]')")
    e.add_argument("-q", "--quiet", action="store_true", help="no progress bar and no summary")
    e.set_defaults(func=_cmd_extract)
    s = sub.add_parser("schema", help="print the JSON Schema of the output records")
    s.add_argument("--gold", action="store_true", help="print the gold-file schema instead")
    s.set_defaults(func=_cmd_schema)
    x = sub.add_parser("explain", help="show candidate spans, the rule that fired and the rules that declined")
    x.add_argument("text", help="the text to explain, or - for standard input")
    x.set_defaults(func=_cmd_explain)
    v = sub.add_parser("eval", help="score against a gold corpus (P/R/F1)")
    v.add_argument("gold_dir", help="corpus directory holding gold/, raw/ and splits.toml")
    v.add_argument("--pred", help="score this JSONL of cnextract.page records instead of running the pipeline")
    v.add_argument("--json", help="write the scores as JSON here")
    v.add_argument("--split", help="score one split of splits.toml only (dev, test, dev2), or all; "
                   "without it, all pages are scored and each split is summarised")
    v.add_argument("--show", type=int, default=15, help="how many misses and false positives to list")
    v.add_argument("--verbose", action="store_true", help="list every context miss (metric, subject, period): "
                   "gold vs predicted text, with the figure's sentence")
    v.add_argument("--update", action="store_true", help="re-pin corpus/baseline.json to the measured scores")
    v.add_argument("--allow-regression", action="store_true", help="let --update lower a floor")
    v.set_defaults(func=_cmd_eval)
    w = sub.add_parser("show", help="one self-contained HTML review page of the records (optionally "
                       "diffed against gold)")
    w.add_argument("paths", nargs="+", help="inputs as extract takes them, or JSON lines that extract wrote")
    w.add_argument("-o", "--output", required=True, help="the HTML file to write")
    w.add_argument("--gold", help="corpus directory (gold/ and raw/) or its gold/ directory: mark true "
                   "positives, false positives and misses, and score each article")
    w.add_argument("--text-field", default="text", help="as for extract")
    w.add_argument("--id-field", default="id", help="as for extract")
    w.add_argument("--title", default="cnextract review", help="the page's title")
    w.add_argument("-q", "--quiet", action="store_true", help="no summary line")
    w.set_defaults(func=_cmd_show)
    k = sub.add_parser("spark-extract", help="extract with Apache Spark; Parquet out (needs cnextract[spark])")
    k.add_argument("input", help="a directory or glob of .txt files, JSON lines, or Parquet")
    k.add_argument("output", help="Parquet directory (with --flat: OUTPUT/figures and OUTPUT/quotes)")
    k.add_argument("--format", choices=["text", "json", "parquet"], help="input format (default: from the name)")
    k.add_argument("--text-field", default="text", help="column holding the page text (json, parquet)")
    k.add_argument("--id-field", default="id", help="column holding the page id, if present (json, parquet)")
    k.add_argument("--flat", action="store_true", help="one row per figure and one per quote")
    k.add_argument("--drop-text", action="store_true", help="leave the page text out of the rows")
    k.add_argument("--overwrite", action="store_true", help="replace OUTPUT if it exists")
    k.set_defaults(func=_cmd_spark_extract)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
