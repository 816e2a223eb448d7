"""Processes and signals (issue 16, part 3): the workers of a ``--jobs 2`` run end with their
parent however it ends; Ctrl-C always ends a run promptly, quietly, with whole lines and exit 130;
``--jobs`` above the core count is capped with a warning. Runs are real processes: signals and
process trees cannot be seen in-process. Waiting has a limit (a hang fails), never a timing bound."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from conftest import ROOT

from cnextract import cli

pytestmark = pytest.mark.skipif(not hasattr(os, "killpg"), reason="POSIX process groups and signals")

PAGE = ("记者在现场看到，工人们正在紧张施工，车间里处处忙碌景象。" * 12 + "产值增长5%，利润近3亿元。"
        "厂长李明说：“今年订单已经排到了年底。”\n") * 6


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """A JSONL file of 400 pages (about 2 M characters): a --jobs 2 run takes several seconds."""
    path = tmp_path_factory.mktemp("signals") / "pages.jsonl"
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(400):
            fh.write(json.dumps({"id": f"p{i}", "text": f"第{i}页。" + PAGE}, ensure_ascii=False) + "\n")
    return path


def start(pages, out, *extra):
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    return subprocess.Popen([sys.executable, "-m", "cnextract.cli", "extract", str(pages), "-o", str(out),
                             "--jobs", "2", *extra], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, start_new_session=True)


def wait_for_lines(proc, out, n=1, limit=120.0):
    """Wait until the run has written n lines (so its workers are up and extracting)."""
    end = time.monotonic() + limit
    while time.monotonic() < end:
        if out.exists() and out.read_bytes().count(b"\n") >= n:
            return
        if proc.poll() is not None:
            raise AssertionError(f"the run ended early: {proc.returncode} {proc.stderr.read()!r}")
        time.sleep(0.05)
    raise AssertionError("no output")


def children(pid):
    rows = subprocess.run(["ps", "-A", "-o", "pid=,ppid="], capture_output=True, text=True, check=True).stdout
    return [int(a) for a, b in (r.split() for r in rows.splitlines()) if int(b) == pid]


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = f"/proc/{pid}/stat"
    if os.path.exists(stat):  # a zombie (dead, not yet reaped by its new parent) is not alive
        try:
            with open(stat) as fh:
                return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
        except OSError:
            return False
    return True


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_workers_end_with_their_parent(pages, tmp_path, sig):
    out = tmp_path / "out.jsonl"
    proc = start(pages, out, "--quiet")
    try:
        wait_for_lines(proc, out)
        workers = children(proc.pid)
        assert len(workers) >= 2, workers
        os.kill(proc.pid, sig)
        proc.wait(timeout=30)
        end = time.monotonic() + 20
        while any(alive(w) for w in workers) and time.monotonic() < end:
            time.sleep(0.1)
        left = [w for w in workers if alive(w)]
    finally:
        for w in children(proc.pid) + workers:
            if alive(w):
                os.kill(w, signal.SIGKILL)
        if proc.poll() is None:
            proc.kill()
    assert not left, f"workers {left} outlived their parent"


def test_ctrl_c_always_ends_the_run_promptly_quietly_with_whole_lines(pages, tmp_path):
    """20 runs (one in twelve hung before), Ctrl-C at different moments after the first line.
    rjieba (in the test extra) only shortens each run's start: the signal path is the same."""
    for run in range(20):
        out = tmp_path / f"out{run}.jsonl"
        proc = start(pages, out, "--segmenter", "rjieba")
        try:
            wait_for_lines(proc, out)
            time.sleep((run % 5) * 0.07)
            os.killpg(proc.pid, signal.SIGINT)  # what a terminal sends: the whole process group
            try:
                code = proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                raise AssertionError(f"run {run} hung after Ctrl-C") from None
            err = proc.stderr.read().decode("utf-8", "replace")
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        assert code == 130, (run, code, err)
        assert "Traceback" not in err and "KeyboardInterrupt" not in err, (run, err)
        assert err.strip().splitlines()[-1].startswith("cnextract extract: interrupted;"), (run, err)
        data = out.read_text(encoding="utf-8")
        assert data.endswith("\n")
        records = [json.loads(line) for line in data.splitlines()]
        assert records and all(r["schema"] == "cnextract.page" for r in records)
        assert [r["source"]["name"] for r in records] == [f"{pages}:p{i}" for i in range(len(records))]
        assert len(records) < 400, "the run finished before Ctrl-C: the test needs more pages"


def test_jobs_above_the_core_count_are_capped_with_one_warning(tmp_path, monkeypatch, capsys):
    page = tmp_path / "a.txt"
    page.write_text("规模以上工业增加值增长5%。", encoding="utf-8")
    monkeypatch.setattr(cli, "_cores", lambda: 2)
    assert cli.main(["extract", str(page), "-o", str(tmp_path / "o.jsonl"), "--jobs", "3"]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err[0] == "cnextract extract: warning: --jobs 3 is more than the 2 cores here; using 2"
    assert err[1].endswith("with 2 job(s)") and len(err) == 2


WATCHED = """
import os, sys, time
from cnextract import workers
middle = os.fork()
if middle == 0:
    worker = os.fork()
    if worker == 0:
        sys.platform = "darwin"  # no PR_SET_PDEATHSIG: only the portable watch thread is left
        workers._die_with_parent(os.getppid())
        time.sleep(60)
        os._exit(0)
    print(worker, flush=True)
    time.sleep(1)
    os._exit(0)  # the worker's parent ends; the worker is re-parented
os.waitpid(middle, 0)
"""


def test_without_prctl_the_watch_thread_ends_a_worker_whose_parent_died():
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    out = subprocess.run([sys.executable, "-c", WATCHED], env=env, capture_output=True, text=True, timeout=60)
    worker = int(out.stdout.split()[0])
    end = time.monotonic() + 20
    while alive(worker) and time.monotonic() < end:
        time.sleep(0.1)
    still = alive(worker)
    if still:
        os.kill(worker, signal.SIGKILL)
    assert not still, "the worker outlived its parent"
