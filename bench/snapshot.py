"""Write every output a refactoring must keep byte-identical into one folder, for `diff -r`.

    python bench/snapshot.py /tmp/before      # on the old commit
    python bench/snapshot.py /tmp/after       # on the new one
    diff -r /tmp/before /tmp/after

It builds the samples (repo config) and the harbour fixture for every audience in md, html
and json, keeps the PDF's text and page count, and the `briefing extract` JSON of both (and
of PolNeAR's articles where ../shared/polnear is present).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from pypdf import PdfReader

ROOT = Path(__file__).resolve().parent.parent
STORIES = {
    "seeds": (ROOT / "config.yaml", ROOT / "seeds"),
    "harbour": (
        ROOT / "tests/fixtures/harbour/config.yaml",
        ROOT / "tests/fixtures/harbour/articles",
    ),
}
AUDIENCES = ("executive", "analyst", "press")
# Real news of many outlets, when the shared corpus is beside the repo: the extraction of
# every article must stay the same too.
POLNEAR = ROOT.parent / "shared" / "polnear" / "data"


def _run(args: list[str], cwd: Path) -> str:
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=True)
    return done.stdout


def snapshot(dest: Path) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    for story, (config, articles) in STORIES.items():
        extracted = _run(
            ["briefing", "extract", str(articles), "--format", "json", "--config", str(config)],
            ROOT,
        )
        (dest / f"{story}.extract.json").write_text(extracted)
        for audience in AUDIENCES:
            # The same output folder for every run: brief.json records the files' paths.
            # One folder per checkout, so that snapshots of two worktrees can run at once.
            out = Path(tempfile.gettempdir()) / "briefing-snapshot" / ROOT.name / story / audience
            _run(
                [
                    "briefing",
                    "build",
                    str(articles),
                    "--config",
                    str(config),
                    "--audience",
                    audience,
                    "--out",
                    str(out),
                    "--jobs",
                    "1",
                ],
                ROOT,
            )
            for ext in ("md", "html", "json"):
                (dest / f"{story}.{audience}.{ext}").write_bytes(
                    (out / f"brief.{ext}").read_bytes()
                )
            reader = PdfReader(out / "brief.pdf")
            text = "\n".join(page.extract_text() or "" for page in reader.pages)
            (dest / f"{story}.{audience}.pdf.txt").write_text(f"pages: {len(reader.pages)}\n{text}")
    for split in ("dev", "train"):
        folder = POLNEAR / split / "text"
        if folder.is_dir():
            extracted = _run(["briefing", "extract", str(folder), "--format", "json"], ROOT)
            (dest / f"polnear-{split}.extract.json").write_text(extracted)
        else:
            print(f"skipped PolNeAR {split}: {folder} is absent", file=sys.stderr)


if __name__ == "__main__":
    snapshot(Path(sys.argv[1]))
