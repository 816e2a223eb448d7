"""Another local user (issue 16, part 4): jieba's cache is never read from the shared temp
directory, only from this user's private cache directory, and only when the file is ours and no
one else may write it. A cache we may not trust is neither read nor rewritten: no traceback, no
temp file left behind."""

import marshal
import os
import stat
import subprocess
import sys

import pytest

from conftest import ROOT

from cnextract import segment

SENTENCE = "全国人大代表、辽宁省委书记郝鹏表示，经济总量突破3万亿元。"


def poison(path):
    """A jieba cache that knows two words: read, it would cut every sentence differently."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        marshal.dump(({"郝": 1, "郝鹏": 0, "郝鹏表": 0, "郝鹏表示": 10 ** 9, "增": 1, "增长": 5}, 10 ** 9 + 6), fh)


def listing(root):
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


@pytest.fixture()
def fresh_tokenizer():
    """Each use builds segment's tokenizer again; the test's own build is dropped afterwards."""
    segment._jieba.cache_clear()
    yield
    segment._jieba.cache_clear()


def test_a_cache_planted_in_the_shared_temp_directory_is_never_read(tmp_path):
    shared, cache, home = tmp_path / "tmp", tmp_path / "cache", tmp_path / "home"
    home.mkdir()
    poison(shared / "jieba.cache")  # where jieba's default looks: tempfile.gettempdir()/jieba.cache
    env = dict(os.environ, TMPDIR=str(shared), XDG_CACHE_HOME=str(cache), HOME=str(home),
               PYTHONPATH=str(ROOT / "src"))
    code = ("from cnextract import segment; t = segment._jieba(); "
            f"print(len(t.FREQ)); print('|'.join(t.cut({SENTENCE!r})))")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    size, cut = out.stdout.split()
    assert int(size) > 300_000
    assert cut == "|".join(segment._jieba().cut(SENTENCE))
    # ours was written where it belongs, private to this user
    assert stat.S_IMODE((cache / "cnextract").stat().st_mode) == 0o700
    written = cache / "cnextract" / "jieba.cache"
    assert written.is_file() and not stat.S_IMODE(written.stat().st_mode) & 0o077
    assert out.stderr == ""


def test_a_cache_others_may_write_is_not_read_nor_rewritten(tmp_path, monkeypatch, fresh_tokenizer, capfd):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    planted = tmp_path / "cnextract" / "jieba.cache"
    poison(planted)
    planted.chmod(0o666)
    before, content = listing(tmp_path), planted.read_bytes()
    tok = segment._jieba()
    assert len(tok.FREQ) > 300_000 and "郝鹏表示" not in tok.FREQ
    assert listing(tmp_path) == before and planted.read_bytes() == content  # no temp file, nothing rewritten
    assert capfd.readouterr().err == ""


def test_a_cache_directory_owned_by_another_user_is_not_used(tmp_path, monkeypatch, fresh_tokenizer, capfd):
    """Files this test makes are its own, so another owner is simulated: our uid is made to differ
    from theirs (the check compares st_uid with os.geteuid())."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    planted = tmp_path / "cnextract" / "jieba.cache"
    poison(planted)
    planted.chmod(0o600)
    (tmp_path / "cnextract").chmod(0o700)
    uid = os.geteuid()
    monkeypatch.setattr(os, "geteuid", lambda: uid + 1)
    before = listing(tmp_path)
    assert segment.cache_dir() is None
    tok = segment._jieba()
    assert len(tok.FREQ) > 300_000 and "郝鹏表示" not in tok.FREQ
    assert listing(tmp_path) == before
    assert capfd.readouterr().err == ""


def test_a_private_directory_made_public_is_made_private_again(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    (tmp_path / "cnextract").mkdir(mode=0o777)
    (tmp_path / "cnextract").chmod(0o777)
    assert segment.cache_dir() == str(tmp_path / "cnextract")
    assert stat.S_IMODE((tmp_path / "cnextract").stat().st_mode) == 0o700
