"""Command line: cnextract extract | show | export | import-gold | eval | explain | schema | spark-extract."""

from __future__ import annotations

import argparse
import functools
import io
import itertools
import json
import os
import signal
import stat
import sys
import threading
from pathlib import Path

from . import __version__
from .records import SCORED_KINDS, GoldDocument, PageResult, ProblemLine


def _progress(args):
    """A tqdm bar on a terminal (pages/s, chars/s, problems); None when piped or --quiet. Once
    the inputs are counted (batch.count) the bar has its total and an ETA: at once when that takes
    under a quarter of a second, else from a background thread while the run goes on."""
    if args.quiet or not sys.stderr.isatty():
        return None
    import time

    from tqdm import tqdm

    from . import batch

    bar = tqdm(unit=" pages", file=sys.stderr, dynamic_ncols=True, mininterval=0.25)
    try:
        bar.total = batch.count(args.paths, until=time.monotonic() + 0.25)
        return bar
    except TimeoutError:
        pass

    def count():
        n = batch.count(args.paths)
        if n is not None:
            bar.total = n
            bar.refresh()

    threading.Thread(target=count, name="cnextract-count", daemon=True).start()
    return bar


#: inputs with problems named one by one on standard error; the rest are counted
_SHOWN_PROBLEMS = 20


class _OutputError(Exception):
    """The output could not be written (a full disk …): the run cannot go on."""


def _write(out, text: str) -> None:
    try:
        out.write(text)
        out.flush()  # a killed run keeps every line it finished
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise _OutputError(exc.strerror or str(exc)) from exc


def _cmd_extract(args) -> int:
    import time

    from . import batch, tables
    from .pipeline import Options
    from .segment import SegmenterUnavailable

    targets = []
    try:
        targets = [tables.parse_target(spec) for spec in args.table or ()]
    except tables.TableError as exc:
        print(f"cnextract extract: {exc}", file=sys.stderr)
        return 2
    wanted = {what for what, _, _ in targets}
    for what, flag in (("figures", "--no-figures"), ("quotes", "--no-quotes"), ("speakers", "--no-quotes")):
        if what in wanted and getattr(args, flag[2:].replace("-", "_")):
            print(f"cnextract extract: a {what} table needs what {flag} switches off", file=sys.stderr)
            return 2
    # --kinds given: the page records and the tables alike; not given: tables keep the scored kinds
    # and the page records every kind, as before
    kinds = args.kinds or "scored"
    options = Options(segmenter=args.segmenter, figures=not args.no_figures, quotes=not args.no_quotes,
                      unscored_kinds=args.kinds != "scored")
    cores = _cores()
    if args.jobs < 1:
        args.jobs = cores
    elif args.jobs > cores:
        # more workers than cores only adds memory (a loaded worker is about 170 MB) and start-up
        print(f"cnextract extract: warning: --jobs {args.jobs} is more than the {cores} cores "
              f"here; using {cores}", file=sys.stderr)
        args.jobs = cores
    write_pages = not targets or bool(args.output)
    encode = (tables.Encoder(tuple(w for w, _, _ in targets), kinds, args.drop_text, write_pages)
              if targets else functools.partial(batch.to_line, drop_text=args.drop_text))
    outs = ([args.output] if args.output else []) + [path for _, path, _ in targets]
    if write_pages and not args.output:
        outs += _redirected_stdout()
    for out_path in outs:
        clash = batch.output_clash(args.paths, out_path)
        if clash is not None:  # checked before the output is opened (and so truncated)
            print(f"cnextract extract: {clash}; write it elsewhere", file=sys.stderr)
            return 2
    items = batch.inputs(args.paths, text_field=args.text_field, id_field=args.id_field,
                         stdin=sys.stdin.buffer.read)
    try:
        writers = [tables.Writer(what, path, fmt, args.drop_text) for what, path, fmt in targets]
    except OSError as exc:
        print(f"cnextract extract: cannot write the table: {exc}", file=sys.stderr)
        return 2
    try:
        out = (open(args.output, "w", encoding="utf-8") if args.output else sys.stdout) if write_pages else None
    except OSError as exc:  # a missing directory, a directory, no permission: one line
        print(f"cnextract extract: cannot write the output {args.output}: {exc.strerror or exc}",
              file=sys.stderr)
        return 2
    bar = _progress(args)
    pages = figures = quotes = problems = notices = failed = chars = written = 0
    interrupted = False
    started = time.perf_counter()
    first = True
    results = batch.run(items, options, args.jobs, encode=encode)
    guard = _WholeLines()
    try:
        if args.format == "json" and out is not None:
            _write(out, "[\n")
        for item, line in results:
            with guard:
                if targets:
                    line, rows = line
                    for w in writers:
                        if w.what in rows:
                            w.write(rows[w.what])
                if out is not None:
                    _write(out, (("" if first else ",\n") + line.text) if args.format == "json"
                           else line.text + "\n")
            first = False
            written += 1
            pages += line.is_page
            figures += line.figures
            quotes += line.quotes
            problems += line.problems
            notices += line.notices
            failed += bool(line.problems)
            chars += line.chars
            if line.problems and not args.quiet and failed <= _SHOWN_PROBLEMS:
                # named here too, not only inside the output file
                more = f" (and {len(line.issues) - 1} more)" if len(line.issues) > 1 else ""
                shown = " ".join(line.issues[0].split())
                shown = shown if len(shown) <= 200 else shown[:199] + "…"
                msg = f"cnextract extract: {item.name or '-'}: {shown}{more}"
                if bar is None:
                    print(msg, file=sys.stderr)
                else:
                    bar.write(msg, file=sys.stderr)
            if bar is not None:
                elapsed = max(time.perf_counter() - started, 1e-9)
                bar.set_postfix_str(f"{_si(chars / elapsed)} chars/s, {problems} problems", refresh=False)
                bar.update(1)
        if args.format == "json" and out is not None:
            _write(out, "\n]\n" if not first else "]\n")
    except SegmenterUnavailable as exc:
        print(f"cnextract extract: {exc}", file=sys.stderr)
        return 2
    except _OutputError as exc:
        print(f"cnextract extract: cannot write the output {args.output or 'standard output'}: {exc}",
              file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        interrupted = True
        if args.format == "json" and out is not None:
            _write(out, "\n]\n" if not first else "]\n")
    finally:
        guard.restore()
        results.close()
        if bar is not None:
            bar.close()
        if out is not None and out is not sys.stdout:
            try:
                out.close()
            except OSError:  # every line was flushed as it was written; already reported
                pass
        for w in writers:
            w.close()
    if not args.quiet and failed > _SHOWN_PROBLEMS:
        print(f"cnextract extract: … and {failed - _SHOWN_PROBLEMS} more inputs with problems "
              "(each is in the output)", file=sys.stderr)
    if interrupted:
        if not args.quiet:
            where = ("standard output" if out is sys.stdout else args.output if out is not None
                     else ", ".join(path for _, path, _ in targets))
            print(f"cnextract extract: interrupted; {written} records written to {where}", file=sys.stderr)
        return 130
    elapsed = max(time.perf_counter() - started, 1e-9)
    if not args.quiet:
        print(f"cnextract extract: {pages} pages, {figures} figures, {quotes} quotes, {problems} problems "
              f"({failed} inputs with problems), {notices} notices; {chars} chars in {elapsed:.1f} s = "
              f"{_si(chars / elapsed)} chars/s with {args.jobs} job(s)", file=sys.stderr)
        for w, (_, path, _) in zip(writers, targets):
            print(f"cnextract extract: {w.count} {w.what} rows in {path}", file=sys.stderr)
    return 1 if failed else 0

def _redirected_stdout() -> list[str]:
    """The file standard output was redirected to (``extract DIR > DIR/out.jsonl``), where the
    platform names it, so the same output check applies; nothing for a terminal or a pipe."""
    try:
        fd = sys.stdout.fileno()
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return []
        path = os.readlink(f"/proc/self/fd/{fd}")
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        return []
    return [path] if os.path.isabs(path) else []


def _cores() -> int:
    """CPUs this process may run on (its affinity mask where the platform has one)."""
    if hasattr(os, "process_cpu_count"):  # Python 3.13
        return os.process_cpu_count() or 1
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


class _WholeLines:
    """Ctrl-C never cuts an output line in two: a SIGINT that arrives while a line is being
    written is held until the line is out (a write to a pipe can be interrupted part-way), then
    raised as KeyboardInterrupt. Only the main thread may set a handler; elsewhere this does nothing."""

    def __init__(self):
        self.writing = self.held = self.installed = False
        if threading.current_thread() is threading.main_thread():
            self.old = signal.signal(signal.SIGINT, self._on_sigint)
            self.installed = True

    def _on_sigint(self, signum, frame):
        if self.writing:
            self.held = True
        else:
            raise KeyboardInterrupt

    def __enter__(self):
        self.writing = True

    def __exit__(self, *exc):
        self.writing = False
        if self.held and exc[0] is None:
            self.held = False
            raise KeyboardInterrupt

    def restore(self):
        if self.installed:
            # None: the old handler was not set from Python; Python's own is the usual one
            signal.signal(signal.SIGINT, signal.default_int_handler if self.old is None else self.old)
            self.installed = False


def _si(x: float) -> str:
    for unit, size in (("M", 1e6), ("k", 1e3)):
        if x >= size:
            return f"{x / size:.2f}{unit}"
    return f"{x:.0f}"


def output_schema() -> dict:
    """The JSON Schema of one output line of ``cnextract extract``: a page or a problem line,
    told apart by ``schema``."""
    from typing import Annotated, Union

    from pydantic import Field, TypeAdapter

    line = Annotated[Union[PageResult, ProblemLine], Field(discriminator="schema_")]
    schema = TypeAdapter(line).json_schema(by_alias=True)
    return {"title": "cnextract output line", "description": "One line of `cnextract extract` output: a "
            "cnextract.page record, or a cnextract.problem line for an input that gave no page.", **schema}


def _cmd_schema(args) -> int:
    schema = GoldDocument.model_json_schema(by_alias=True) if args.gold else output_schema()
    print(json.dumps(schema, ensure_ascii=False, indent=2))
    return 0


def _cmd_explain(args) -> int:
    from .pipeline import Pipeline
    from .speakers import QuoteDecision

    # the text goes through the pipeline as extract reads it: the decisions explain its records
    page, decisions = Pipeline().explain(args.text if args.text != "-" else sys.stdin.read())
    for p in page.problems:  # an argument that is not UTF-8 arrives with lone surrogates
        if p.code == "lone-surrogate":  # they were replaced with U+FFFD, so the text can be printed
            print(f"cnextract explain: {p.message}", file=sys.stderr)
    for d in decisions:
        if isinstance(d, QuoteDecision):
            _print_quote_decision(d)
        elif d.made is not None:
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
    if not any(not isinstance(d, QuoteDecision) for d in decisions):
        print("no numeral candidates")
    if not any(isinstance(d, QuoteDecision) for d in decisions):
        print("no quote candidates")
    return 0


def _print_quote_decision(d) -> None:
    """A quote candidate (`quote cue`, `quote label`, `quote marks`: a quote-mark span) and the rules
    that fired, each quote made, then each rule that declined and why."""
    fired = f"rule={', '.join(d.fired)}" if d.fired else "no rule fired"
    print(f"[{d.start}:{d.end}] {d.text!r}  quote {d.candidate} {fired}")
    for q in d.quotes:
        who = f"{q.speaker_name} ({q.speaker.text!r} [{q.speaker.start}:{q.speaker.end}])" if q.speaker \
            else q.speaker_name
        content = q.content.text if len(q.content.text) <= 60 else q.content.text[:60] + "…"
        print(f"    {q.rule} -> {q.kind} quote by {who}: {content!r} [{q.content.start}:{q.content.end}]")
        print(f"    entries: {', '.join(q.entries) or '-'}")
    for why in d.declined:
        print(f"    declined {why}")


def _print_prf(label: str, d: dict) -> None:
    print(f"  {label:<28} P {d['p']:.3f}  R {d['r']:.3f}  F1 {d['f1']:.3f}   (tp {d['tp']}, fp {d['fp']}, fn {d['fn']})")


def predict_gold(gold) -> dict[str, PageResult]:
    """The pipeline run over each gold text: the predictions ``eval`` scores when no --pred is given
    (the scorer scores records and never runs the pipeline itself)."""
    from .pipeline import Pipeline

    nlp = Pipeline()
    return {g.doc.id: nlp(g.text, name=g.doc.id) for g in gold}


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
            pages = predict_gold(gold)

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


def _cmd_export(args) -> int:
    from . import batch
    from . import evaluate as ev
    from . import exchange
    from .pipeline import Options

    if bool(args.paths) == bool(args.gold):
        print("cnextract export: give PAGES to export predictions or --gold CORPUS to export gold, "
              "not both and not neither", file=sys.stderr)
        return 2
    tasks, failed = [], 0
    if args.gold:
        try:
            docs = ev.load_gold(Path(args.gold))
        except ev.GoldError as exc:
            print(f"cnextract export: {exc}", file=sys.stderr)
            return 2
        tasks = [exchange.gold_task(g.doc, g.text, args.format) for g in docs]
    else:
        items = batch.inputs(args.paths, text_field=args.text_field, id_field=args.id_field,
                             stdin=sys.stdin.buffer.read)
        for _, res in batch.run(items, Options(segmenter=args.segmenter), max(args.jobs, 1)):
            if isinstance(res, batch.Failure):
                print(f"cnextract export: {res.name}: {res.problem.code}: {res.problem.message}", file=sys.stderr)
                failed += 1
                continue
            failed += any(p.level == "error" for p in res.problems)
            tasks.append(exchange.page_task(res, args.format))
    out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
    try:
        exchange.write_tasks(tasks, args.format, out)
    finally:
        if out is not sys.stdout:
            out.close()
    if not args.quiet:
        print(f"cnextract export: {len(tasks)} tasks ({args.format})", file=sys.stderr)
    return 1 if failed else 0


def _cmd_import_gold(args) -> int:
    import hashlib

    from . import exchange

    path = Path(args.export)
    try:
        tasks = exchange.read_tasks(path)
    except exchange.ExchangeError as exc:
        print(f"cnextract import-gold: {exc}", file=sys.stderr)
        return 2
    out_dir = Path(args.output)
    raw_dir = Path(args.raw) if args.raw else out_dir.parent / "raw"

    def check_raw(meta: dict, text: str) -> str | None:
        raw = raw_dir / f"{meta['id']}.txt"
        if not raw.is_file():
            return None
        sha = hashlib.sha256(raw.read_bytes().decode("utf-8").encode("utf-8")).hexdigest()
        if sha != hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest():
            return f"the task's text is not the raw page {raw}"
        return None

    errors: list[str] = []
    docs, skipped = [], 0
    for k, task in enumerate(tasks):
        where = f"{path.name}: task {k + 1}"
        if not exchange.has_annotation(task, args.format):
            skipped += 1
            print(f"cnextract import-gold: {where}: no finished annotation; skipped", file=sys.stderr)
            continue
        doc = exchange.task_to_gold(task, args.format, where, errors, check_raw)
        if doc is not None:
            docs.append(doc)
    if errors:
        for line in errors:
            print(f"cnextract import-gold: {line}", file=sys.stderr)
        print(f"cnextract import-gold: refused ({len(errors)} problems); nothing written", file=sys.stderr)
        return 1
    names = [exchange.safe_name(d.id) for d in docs]
    if len(set(names)) != len(names):
        print("cnextract import-gold: two tasks have the same gold id; nothing written", file=sys.stderr)
        return 1
    out_dir.mkdir(parents=True, exist_ok=True)
    for doc, name in zip(docs, names):
        (out_dir / f"{name}.json").write_text(exchange.gold_json(doc), encoding="utf-8")
    if not args.quiet:
        print(f"cnextract import-gold: {len(docs)} gold files in {out_dir}"
              + (f"; {skipped} tasks without annotation skipped" if skipped else ""), file=sys.stderr)
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
    try:
        from .spark import run_cli
    except ImportError as exc:  # the optional extra is not installed: one line, not a traceback
        missing = getattr(exc, "name", None) or str(exc)
        print(f"cnextract spark-extract: needs the spark extra ({missing} is not installed): "
              "pip install 'cnextract[spark]'", file=sys.stderr)
        return 2
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
    e.add_argument("--table", action="append", metavar="[TABLE=]PATH",
                   help="also write one row per figure, quote or speaker to PATH (.csv, .jsonl or "
                   ".parquet); TABLE is figures, quotes or speakers, or the file name starts with it "
                   "(figures.csv); repeat for several; with --table the page records are written only "
                   "with -o")
    e.add_argument("--kinds", choices=["scored", "all"], help="figure kinds written: the six scored "
                   "kinds or all (default: scored in tables; every kind in the page records)")
    e.add_argument("--drop-text", action="store_true", help="leave the page text out of the page "
                   "records and the sentence text out of the tables (offsets stay)")
    e.add_argument("--no-figures", action="store_true", help="do not extract figures")
    e.add_argument("--no-quotes", action="store_true", help="do not extract quotes and speakers")
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
    xp = sub.add_parser("export", help="write figures and quotes as Label Studio or doccano tasks")
    xp.add_argument("paths", nargs="*", metavar="PAGES", help="pages to extract and export as "
                   "predictions (as for extract)")
    xp.add_argument("--gold", metavar="CORPUS", help="export this corpus directory's gold (gold/, raw/) "
                   "as finished annotations instead")
    xp.add_argument("--format", choices=["label-studio", "doccano"], required=True,
                   help="label-studio: a JSON array of tasks, offsets in UTF-16 code units; doccano: "
                   "JSON lines, offsets in code points")
    xp.add_argument("-o", "--output", help="write here instead of standard output")
    xp.add_argument("-j", "--jobs", type=int, default=1, help="worker processes (default 1)")
    xp.add_argument("--text-field", default="text", help="as for extract")
    xp.add_argument("--id-field", default="id", help="as for extract")
    xp.add_argument("--segmenter", choices=["jieba", "rjieba"], default="jieba", help="as for extract")
    xp.add_argument("-q", "--quiet", action="store_true", help="no summary")
    xp.set_defaults(func=_cmd_export)
    g = sub.add_parser("import-gold", help="turn corrected Label Studio or doccano annotations into gold files")
    g.add_argument("export", metavar="EXPORT", help="the tool's export (Label Studio JSON, doccano JSONL)")
    g.add_argument("--format", choices=["label-studio", "doccano"], required=True, help="the tool it came from")
    g.add_argument("-o", "--output", required=True, metavar="DIR", help="directory for the gold files "
                   "(<id>.json), e.g. corpus/gold")
    g.add_argument("--raw", metavar="DIR", help="raw pages (<id>.txt) each task's text must equal "
                   "(default: raw/ beside DIR, when it exists)")
    g.add_argument("-q", "--quiet", action="store_true", help="no summary")
    g.set_defaults(func=_cmd_import_gold)
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
    from .tables import add_spark_arguments  # no pyspark needed to declare them

    add_spark_arguments(k)
    k.set_defaults(func=_cmd_spark_extract)
    p.subcommands = sub.choices  # name -> subparser, for errors found after parsing
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args, rest = parser.parse_known_args(argv)
    if rest:  # argparse would report these with the top-level usage, not the subcommand's
        parser.subcommands[args.command].error(f"unrecognized arguments: {' '.join(rest)}")
    try:
        code = args.func(args)
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:  # Ctrl-C outside extract's own handling: no traceback
        code = 130
    if code == 130 and argv is None:
        # interrupted, and we are the program (not a caller's function): every line is written
        # and closed, so leave now. A normal exit would first wait for the pool's threads, which
        # wait for the pages still in flight; the workers end with us (workers._die_with_parent).
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        os._exit(130)
    return code


if __name__ == "__main__":
    sys.exit(main())
