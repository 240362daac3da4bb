"""Benchmark briefing on synthetic corpora: speed, memory and how cost grows with size.

Not a test: it prints figures. Usage (from the repo root, with briefing installed):

    python bench/bench.py                      # 100, 1,000 and 10,000 articles
    python bench/bench.py --sizes 200,2000 --jobs 1,2
    python bench/bench.py --sizes 10000,100000 --jobs 2 --formats md,json --stages build
    python bench/bench.py --sizes 10000 --stages none --pythons pure/bin/python,mypyc/bin/python

For each corpus size it generates varied articles from seeds/ (names and numbers changed,
paragraphs reordered, no two files alike), then times `briefing extract` (ingest + extract)
and `briefing build` (the whole pipeline) as separate processes, reading each process's wall
time, the peak RSS of its largest process (os.wait4: "peak MB"), the peak of its
processes' RSS summed (the parent and its workers, sampled every 0.2 s: "all MB"; a page
that processes share counts once in each) and the peak of their PSS summed (the same
samples, a shared page split between its processes: "PSS MB", the memory the whole build
takes from the machine, where /proc gives smaps_rollup). It ends
with the growth exponent of time against corpus size (1.0 = linear), the time per article of
each size against the smallest, the in-process extraction rate on one core (ingest
excluded), `briefing --help` start-up and the build of the samples (medians).
"""

from __future__ import annotations

import argparse
import math
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIRST = ["Alden", "Bora", "Cyrus", "Dana", "Elio", "Farah", "Goran", "Hana", "Ivo", "Jun"]
LAST = ["Marek", "Soto", "Okafor", "Lindqvist", "Haddad", "Ferreira", "Novak", "Tanaka"]
NAME = re.compile(r"\b[A-Z][a-z]+ [A-Z][a-z]+(?:-[a-z]+)?\b")
NUMBER = re.compile(r"\b\d{1,2}\b")


def _vary(text: str, rng: random.Random, serial: int) -> str:
    """A new article from a seed: other names, other small numbers, paragraphs reordered."""
    lines = text.splitlines()
    head, body = lines[:8], lines[8:]
    paragraphs = [p for p in "\n".join(body).split("\n\n") if p.strip()]
    rng.shuffle(paragraphs)
    text = "\n".join(head) + "\n\n" + "\n\n".join(paragraphs)
    text = NAME.sub(lambda _: f"{rng.choice(FIRST)} {rng.choice(LAST)}", text)
    text = NUMBER.sub(lambda _: str(rng.randint(1, 28)), text)
    return f"{text}\n\nReference {serial}-{rng.getrandbits(32):08x}.\n"


def make_corpus(size: int, folder: Path, seed: int = 7) -> int:
    """Write `size` articles into `folder`; return their total size in bytes."""
    rng = random.Random(seed)
    seeds = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    folder.mkdir(parents=True, exist_ok=True)
    total = 0
    for i in range(size):
        data = _vary(seeds[i % len(seeds)], rng, i).encode("utf-8")
        (folder / f"article_{i:05d}.txt").write_bytes(data)
        total += len(data)
    return total


def timed(cmd: list[str]) -> tuple[float, float]:
    """Run `cmd`; return (wall seconds, peak RSS in MB of its largest process)."""
    wall, peak, _ = timed_cpu(cmd)
    return wall, peak


def _tree_memory_mb(root: int) -> tuple[float, float]:
    """RSS and PSS of a process and all its descendants, each summed (Linux /proc), in MB
    (PSS 0 where the kernel gives no smaps_rollup)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    parent = int(stat.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry))
    rss_kb = pss_kb = 0
    todo = [root]
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, []))
        rss_kb += _status_kb(f"/proc/{pid}/status", "VmRSS:")
        pss_kb += _status_kb(f"/proc/{pid}/smaps_rollup", "Pss:")
    return rss_kb / 1024, pss_kb / 1024


def _status_kb(path: str, key: str) -> int:
    """The kB figure of the line of a /proc file opening with `key` (0: no such line, or the
    process is gone)."""
    try:
        with open(path) as lines:
            return next((int(line.split()[1]) for line in lines if line.startswith(key)), 0)
    except (OSError, ValueError):
        return 0


def timed_tree(cmd: list[str]) -> tuple[float, float, float, float]:
    """Run `cmd`; return (wall seconds, peak RSS in MB of its largest process, peak of the RSS
    of all its processes together, peak of their PSS together: both sampled every 0.2 s)."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak_tree = peak_pss = 0.0
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        rss, pss = _tree_memory_mb(proc.pid)
        peak_tree, peak_pss = max(peak_tree, rss), max(peak_pss, pss)
        time.sleep(0.2)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        err = proc.stderr.read().decode() if proc.stderr else ""
        sys.exit(f"failed: {' '.join(cmd)}\n{err}")
    return wall, usage.ru_maxrss / 1024, peak_tree, peak_pss


def timed_cpu(cmd: list[str]) -> tuple[float, float, float]:
    """Run `cmd`; return (wall seconds, peak RSS in MB, CPU seconds: user + system)."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        err = proc.stderr.read().decode() if proc.stderr else ""
        sys.exit(f"failed: {' '.join(cmd)}\n{err}")
    return wall, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def growth_exponent(points: list[tuple[int, float]]) -> float:
    """Least-squares slope of log(time) against log(size)."""
    xs = [math.log(n) for n, _ in points]
    ys = [math.log(t) for _, t in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    num = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    den = sum((x - mx) ** 2 for x in xs)
    return num / den if den else float("nan")


def extraction_rate(corpus: Path) -> tuple[float, float]:
    """(MB of article text, MB/s) of extract_document alone, in this process, on one core."""
    from briefing.config import load_config
    from briefing.extract import ExtractContext, extract_document
    from briefing.ingest import iter_input_files, read_file

    config = load_config(ROOT / "config.yaml")
    ctx = ExtractContext.from_config(config)
    docs = [
        doc for path in iter_input_files([str(corpus)], corpus) for doc in read_file(path, 10**8)
    ]
    megabytes = sum(len(doc.text.encode("utf-8")) for doc in docs) / 1e6
    started = time.process_time()
    for doc in docs:
        extract_document(doc, ctx)
    return megabytes, megabytes / (time.process_time() - started)


def whole_extract_rates(
    pythons: str, corpus: Path, megabytes: float, runs: int
) -> list[tuple[str, float, float]]:
    """(interpreter, MB/s by CPU time, MB/s by wall time) of input through `briefing extract
    --jobs 1` as a whole process (start-up, ingest, extraction, merge, JSON) for each
    interpreter, runs alternating between them (medians). CPU time is the figure to compare
    on a shared machine: other processes' load stretches wall time most."""
    chosen = [p for p in pythons.split(",") if p]
    walls: dict[str, list[float]] = {p: [] for p in chosen}
    cpus: dict[str, list[float]] = {p: [] for p in chosen}
    config = str(ROOT / "config.yaml")
    for _ in range(runs):
        for python in chosen:
            # -P: the installed briefing (a compiled one), not the repo's sources, which the
            # working directory would put first on the path.
            cmd = [python, "-P", "-m", "briefing", "extract", str(corpus), "--config", config]
            wall, _, cpu = timed_cpu([*cmd, "--jobs", "1"])
            walls[python].append(wall)
            cpus[python].append(cpu)
    return [
        (p, megabytes / statistics.median(cpus[p]), megabytes / statistics.median(walls[p]))
        for p in chosen
    ]


def median_wall(cmd: list[str], runs: int) -> float:
    return statistics.median(timed(cmd)[0] for _ in range(runs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--jobs", default="1,2", help="comma-separated --jobs values")
    parser.add_argument("--formats", default="md,html,pdf,json")
    parser.add_argument("--keep", action="store_true", help="keep the generated corpora")
    parser.add_argument(
        "--corpora",
        type=Path,
        help="a folder of corpora made before (cSIZE, as --keep leaves them): used, not remade",
    )
    parser.add_argument(
        "--stages", default="extract,build", help="extract, build (comma-separated), or none"
    )
    parser.add_argument(
        "--pythons",
        default="",
        help="interpreters (comma-separated) whose `briefing extract --jobs 1` on the last corpus "
        "is timed as a whole process, in alternating runs: a pure and a compiled install",
    )
    parser.add_argument("--runs", type=int, default=3, help="runs of each --pythons timing")
    parser.add_argument("--quick", action="store_true", help="skip the in-process and sample runs")
    args = parser.parse_args()
    stages_wanted = {s for s in args.stages.split(",") if s in ("extract", "build")}
    sizes = [int(s) for s in args.sizes.split(",")]
    jobs_list = [int(j) for j in args.jobs.split(",")]
    exe = [sys.executable, "-P", "-m", "briefing"]  # -P: the installed briefing, not ./briefing
    config = str(ROOT / "config.yaml")
    work = Path(tempfile.mkdtemp(prefix="briefing-bench-"))
    growth: dict[str, list[tuple[int, float]]] = {}
    peaks: dict[str, list[tuple[int, float]]] = {}
    corpus_mb: dict[int, float] = {}
    print(
        f"{'articles':>8} {'MB':>6} {'stage':<14} {'jobs':>4} {'wall s':>7} "
        f"{'art/s':>8} {'MB/s':>6} {'peak MB':>8} {'all MB':>8} {'PSS MB':>8}"
    )
    corpora: dict[int, Path] = {}
    for size in sizes:
        corpus = work / f"c{size}"
        if args.corpora and (args.corpora / f"c{size}").is_dir():
            corpus = args.corpora / f"c{size}"
            megabytes = sum(p.stat().st_size for p in corpus.iterdir()) / 1e6
        else:
            megabytes = make_corpus(size, corpus) / 1e6
        corpora[size] = corpus
        corpus_mb[size] = megabytes
        for jobs in jobs_list:
            stages = {
                "ingest+extract": [*exe, "extract", str(corpus), "--config", config],
                "build": [
                    *exe,
                    "build",
                    str(corpus),
                    "--config",
                    config,
                    "--out",
                    str(work / "out"),
                    "--format",
                    args.formats,
                ],
            }
            for stage, cmd in stages.items():
                if stage.split("+")[-1] not in stages_wanted:
                    continue
                wall, peak, tree, pss = timed_tree([*cmd, "--jobs", str(jobs)])
                peaks.setdefault(f"{stage} jobs={jobs}", []).append((size, peak))
                together = f"{stage} jobs={jobs}, all processes"
                peaks.setdefault(together, []).append((size, tree))
                peaks.setdefault(f"{together} (PSS)", []).append((size, pss))
                growth.setdefault(f"{stage} jobs={jobs}", []).append((size, wall))
                print(
                    f"{size:>8} {megabytes:>6.1f} {stage:<14} {jobs:>4} {wall:>7.2f} "
                    f"{size / wall:>8.0f} {megabytes / wall:>6.2f} {peak:>8.0f} {tree:>8.0f} "
                    f"{pss:>8.0f}",
                    flush=True,
                )
    if len(sizes) > 1:
        for label, points in growth.items():
            print(f"growth exponent of time against size, {label}: {growth_exponent(points):.2f}")
            first_size, first_wall = points[0]
            for size, wall in points[1:]:
                ratio = (wall / size) / (first_wall / first_size)
                print(f"  time per article, {size} vs {first_size} articles: {ratio:.2f}x")
        for label, points in peaks.items():
            kind = "PSS" if label.endswith(" (PSS)") else "RSS"
            shown = label.removesuffix(" (PSS)")
            first_size, first_peak = points[0]
            for size, peak in points[1:]:
                if not first_peak:  # no PSS where the kernel gives no smaps_rollup
                    continue
                # Unrounded enough to tell a ratio on a target's line (1.30x) from one over it.
                print(
                    f"peak {kind}, {shown}: {peak:.1f} MB at {size} articles, "
                    f"{first_peak:.1f} MB at {first_size}: {peak / first_peak:.3f}x"
                )
    last = corpora[sizes[-1]]
    rates = whole_extract_rates(args.pythons, last, corpus_mb[sizes[-1]], args.runs)
    for python, by_cpu, by_wall in rates:
        print(
            f"briefing extract --jobs 1, whole process, median of {args.runs}: {by_cpu:.2f} MB/s"
            f" of CPU time, {by_wall:.2f} MB/s of wall time  ({python})"
        )
    if not args.quick:
        megabytes, rate = extraction_rate(last)
        print(f"extraction in process, one core, {megabytes:.1f} MB of text: {rate:.2f} MB/s")
        print(f"briefing --help, median of 5: {median_wall([*exe, '--help'], 5):.3f} s")
        sample_build = [*exe, "build", "--config", config, "--out", str(work / "out-samples")]
        print(
            f"build of the samples, four formats, median of 3: {median_wall(sample_build, 3):.2f} s"
        )
    if not args.keep:
        subprocess.run(["rm", "-rf", str(work)], check=False)
    else:
        print(f"corpora kept in {work} (reuse them with --corpora {work})")


if __name__ == "__main__":
    main()
