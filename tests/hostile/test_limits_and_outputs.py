"""Files over ingest.max_file_mb are skipped with one warning; a failed build leaves the
previous brief as it was, with no temporary or partial file beside it."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.cli import cli
from briefing.errors import RenderError

from .story import STORY_YAML

ARTICLE = """\
Fishing pact signed on the northern banks

Published: May 14, 2033

Tarvos and Quellin signed the fishing pact on Tuesday, setting quotas for the trawlers of \
both fleets.

"The pact opens the banks to our trawlers," said Tarvosian Foreign Minister Ilse Varga.

Ardenne condemned the fishing pact, its foreign ministry said in a statement.
"""

FORMATS = ["md", "html", "json", "pdf"]


def _workspace(root: Path, extra_config: str = "") -> Path:
    (root / "config.yaml").write_text(STORY_YAML + extra_config, encoding="utf-8")
    (root / "articles").mkdir()
    (root / "articles" / "banks.txt").write_text(ARTICLE, encoding="utf-8")
    return root


def _build(root: Path, *args: str) -> object:
    command = ["build", str(root / "articles"), "--config", str(root / "config.yaml")]
    return CliRunner().invoke(cli, [*command, "--out", str(root / "out"), *args])


# --- size limit -------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["build", "extract"])
def test_file_over_the_size_limit_is_skipped_with_one_warning(tmp_path: Path, command: str) -> None:
    root = _workspace(tmp_path, "ingest:\n  max_file_mb: 0.002\n")  # 2,097 bytes
    big = root / "articles" / "long-read.txt"
    big.write_text(ARTICLE + "\nThe trawlers sailed at dawn on Wednesday.\n" * 60, encoding="utf-8")
    size = big.stat().st_size
    args = [command, str(root / "articles"), "--config", str(root / "config.yaml"), "--jobs", "1"]
    if command == "build":
        args += ["--out", str(root / "out"), "--format", "md"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if line.startswith("briefing:")]
    assert warnings == [f"briefing: skipped {big}: too large ({size:,} bytes; the limit is 2,097)"]
    if command == "build":
        assert "from 1 source" in (root / "out" / "brief.md").read_text(encoding="utf-8")


def test_size_limit_applies_in_worker_processes(tmp_path: Path) -> None:
    """Over a megabyte of input and --jobs 2 take the process pool; the skip is the same."""
    root = _workspace(tmp_path, "ingest:\n  max_file_mb: 0.4\n")
    filler = "The trawlers sailed at dawn on Wednesday and came back at night.\n\n"
    for n in range(4):
        (root / "articles" / f"log-{n}.txt").write_text(
            f"Harbour log {n}\n\n" + filler * (300_000 // len(filler)), encoding="utf-8"
        )
    big = root / "articles" / "log-big.txt"
    big.write_text("Harbour log\n\n" + filler * (500_000 // len(filler)), encoding="utf-8")
    result = CliRunner().invoke(
        cli,
        ["extract", str(root / "articles"), "--config", str(root / "config.yaml"), "--jobs", "2"],
    )
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if line.startswith("briefing:")]
    assert len(warnings) == 1
    assert warnings[0].startswith(f"briefing: skipped {big}: too large (")


# --- atomic output ----------------------------------------------------------------------------


@pytest.fixture
def previous(tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    """A workspace with a brief already built in all four formats; the article then changes,
    so that a new build would write different bytes."""
    root = _workspace(tmp_path)
    result = _build(root, "--format", ",".join(FORMATS), "--jobs", "1")
    assert result.exit_code == 0, result.output
    before = {fmt: (root / "out" / f"brief.{fmt}").read_bytes() for fmt in FORMATS}
    article = root / "articles" / "banks.txt"
    article.write_text(ARTICLE + "\nMorrow welcomed the quotas on Thursday.\n", encoding="utf-8")
    return root, before


def _visible(out: Path) -> list[str]:
    return sorted(name for name in os.listdir(out) if not name.startswith("."))


def _unchanged(root: Path, before: dict[str, bytes]) -> None:
    from briefing.deliver.files import stale_entries

    out = root / "out"
    assert _visible(out) == sorted(f"brief.{fmt}" for fmt in FORMATS)
    assert stale_entries(out) == []
    for fmt, content in before.items():
        assert (out / f"brief.{fmt}").read_bytes() == content, fmt


def test_pdf_failure_after_markdown_and_html_keeps_the_previous_brief(
    previous: tuple[Path, dict[str, bytes]], monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefing.render import pdf

    root, before = previous

    def broken_pdf(*args: object, **kwargs: object) -> bytes:
        raise RenderError("PDF engine failed")

    monkeypatch.setattr(pdf, "render_pdf", broken_pdf)
    result = _build(root, "--format", "md,html,pdf,json", "--jobs", "1")
    assert result.exit_code == 1
    assert "briefing: error: PDF engine failed" in result.output
    _unchanged(root, before)


def test_template_error_keeps_the_previous_brief(previous: tuple[Path, dict[str, bytes]]) -> None:
    root, before = previous
    broken = root / "broken-templates"
    broken.mkdir()
    (broken / "brief.html.j2").write_text("{{ brief.title }} {{ brief.nothing_here }}")
    result = _build(root, "--format", "md,html,pdf,json", "--templates", str(broken))
    assert result.exit_code == 1
    assert "brief.html.j2" in result.output
    _unchanged(root, before)


def test_disk_full_while_writing_keeps_the_previous_brief(
    previous: tuple[Path, dict[str, bytes]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The third file cannot be written: none of the four changes, no temporary is left."""
    from briefing.deliver import files

    root, before = previous
    real_fsync = os.fsync
    calls: list[int] = []

    def fsync_until_full(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_fsync(fd)

    monkeypatch.setattr(files.os, "fsync", fsync_until_full)
    result = _build(root, "--format", ",".join(FORMATS), "--jobs", "1")
    assert result.exit_code == 1
    assert f"cannot write {root / 'out' / 'brief.json'}: No space left on device" in result.output
    _unchanged(root, before)


def _as_plain_files(out: Path) -> None:
    """The folder as the earlier one-file-at-a-time writer left it: plain files only."""
    import shutil

    for fmt in FORMATS:
        path = out / f"brief.{fmt}"
        content = path.read_bytes()
        path.unlink()
        path.write_bytes(content)
    for name in os.listdir(out):
        if name.startswith(".brief-"):
            target = out / name
            target.unlink() if target.is_symlink() else shutil.rmtree(target)


@pytest.mark.parametrize("plain", [False, True], ids=["links", "plain-files"])
@pytest.mark.parametrize("renames_before_interrupt", range(7))
def test_interrupt_between_renames_leaves_one_whole_brief(
    previous: tuple[Path, dict[str, bytes]],
    monkeypatch: pytest.MonkeyPatch,
    renames_before_interrupt: int,
    plain: bool,
) -> None:
    """Ctrl-C after any number of renames, from a folder of links or of the earlier
    writer's plain files: the four files are all the previous brief or all the new one,
    never a mix; the next build removes what was left."""
    from briefing.deliver import files

    root, before = previous
    out = root / "out"
    if plain:
        _as_plain_files(out)
    real_replace = os.replace
    renamed: list[str] = []
    interrupted: list[bool] = []

    def replace_then_interrupt(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        # Only the renames of the brief's own set count; others (the layout cache, the
        # extraction spool) go through the same os.replace and pass untouched.
        if not Path(dst).name.startswith(("brief.", ".brief-")):
            real_replace(src, dst)
            return
        if len(renamed) == renames_before_interrupt:
            interrupted.append(True)
            raise KeyboardInterrupt
        renamed.append(str(dst))
        real_replace(src, dst)

    monkeypatch.setattr(files.os, "replace", replace_then_interrupt)
    result = _build(root, "--format", ",".join(FORMATS), "--jobs", "1")
    assert result.exit_code == (1 if interrupted else 0)
    assert _visible(out) == sorted(f"brief.{fmt}" for fmt in FORMATS)
    now = {fmt: (out / f"brief.{fmt}").read_bytes() for fmt in FORMATS}
    all_new = all(now[fmt] != before[fmt] for fmt in ("md", "html", "json"))
    assert now == before if interrupted else all_new
    monkeypatch.setattr(files.os, "replace", real_replace)
    again = _build(root, "--format", "md", "--jobs", "1")
    assert again.exit_code == 0
    assert files.stale_entries(out) == []
    assert _visible(out) == ["brief.md"]


def test_without_symbolic_links_files_are_replaced_one_by_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file system without symlinks (FAT, some network shares): whole plain files, the
    links of an earlier build replaced by them."""
    from briefing.deliver import files

    files.write_outputs({"md": b"first", "json": b"{}"}, tmp_path)
    assert (tmp_path / "brief.md").is_symlink()
    monkeypatch.setattr(files, "_symlinks_work", lambda target: False)
    files.write_outputs({"md": b"second", "json": b"[]"}, tmp_path)
    for name, content in (("brief.md", b"second"), ("brief.json", b"[]")):
        assert not (tmp_path / name).is_symlink()
        assert (tmp_path / name).read_bytes() == content
    assert _visible(tmp_path) == ["brief.json", "brief.md"]


def test_a_build_removes_what_killed_runs_left(tmp_path: Path) -> None:
    """Temporaries of the earlier writer, a set no link points to, a half-made link."""
    from briefing.deliver import files

    (tmp_path / ".brief.md.k3j2.tmp").write_bytes(b"half")
    (tmp_path / ".brief-orphan1").mkdir()
    (tmp_path / ".brief-orphan1" / "brief.md").write_bytes(b"never switched")
    os.symlink(".brief-orphan1", tmp_path / ".brief-current.4242.link-tmp")
    (tmp_path / ".keep-me.tmp").write_bytes(b"not ours")
    assert files.stale_entries(tmp_path) == [
        ".brief-current.4242.link-tmp",
        ".brief-orphan1",
        ".brief.md.k3j2.tmp",
    ]
    files.write_outputs({"md": b"new"}, tmp_path)
    assert files.stale_entries(tmp_path) == []
    assert (tmp_path / ".keep-me.tmp").exists()
    assert (tmp_path / "brief.md").read_bytes() == b"new"
