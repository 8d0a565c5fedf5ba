"""Run the public aligners that mtcheck is compared with: hunalign, Vecalign and Bleualign.

None of their code lives in this project. They are cloned and built by hand under
benchmarks/_peers/ (git-ignored; see benchmarks/README.md, "Alignment"), and this module only
calls them and turns their output into links `(source ids, target ids)`:

- hunalign: its C++ binary, with an empty dictionary (it then bootstraps one from a first,
  length-based pass), output in its numeric ladder format.
- Vecalign: its own code, in its own virtual environment (it needs a Cython build), given the
  overlap file it asks for and the embeddings mtcheck's encoder makes of every overlap, so that
  the two dynamic programs see the same sentence vectors.
- Bleualign: its own code, imported from the clone (pure Python). It needs a machine translation
  of the source, which this machine cannot make; `benchmarks/align.py` gives it substitutes and
  says which.

Run as a script with the Vecalign environment's Python, this module is also the small driver
that aligns several documents with Vecalign in one process (`vecalign-batch JOBS.json`).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

PEERS_DIR = Path(__file__).resolve().parent / "_peers"
HUNALIGN_BIN = PEERS_DIR / "hunalign" / "src" / "hunalign" / "hunalign"
VECALIGN_DIR = PEERS_DIR / "vecalign"
VECALIGN_PYTHON = PEERS_DIR / "venv" / "bin" / "python"
BLEUALIGN_DIR = PEERS_DIR / "Bleualign"

# Separates documents in the output of `vecalign-batch`.
_DOC_MARK = "### end of document"

Link = tuple[tuple[int, ...], tuple[int, ...]]


class PeerMissing(RuntimeError):
    """A peer aligner is not built under benchmarks/_peers."""


def available() -> dict[str, bool]:
    """Which peers are built and runnable here."""
    return {
        "hunalign": HUNALIGN_BIN.is_file(),
        "vecalign": VECALIGN_PYTHON.is_file() and (VECALIGN_DIR / "vecalign").is_dir(),
        "bleualign": (BLEUALIGN_DIR / "bleualign" / "align.py").is_file(),
    }


def ladder_to_links(rungs: list[tuple[int, int]], n_src: int, n_tgt: int) -> list[Link]:
    """Turn hunalign's ladder (rungs where both texts may be cut) into links between rungs."""
    points = [(0, 0)] + [r for r in rungs if r != (0, 0)]
    if points[-1] != (n_src, n_tgt):
        points.append((n_src, n_tgt))
    links = []
    for (i0, j0), (i1, j1) in zip(points, points[1:]):
        if i1 == i0 and j1 == j0:
            continue
        links.append((tuple(range(i0, i1)), tuple(range(j0, j1))))
    return links


def run_hunalign(src_path: Path, tgt_path: Path, workdir: Path, realign: bool = False) -> list[Link]:
    """Align two one-sentence-per-line files with hunalign and an empty dictionary."""
    if not HUNALIGN_BIN.is_file():
        raise PeerMissing(f"hunalign is not built at {HUNALIGN_BIN}")
    workdir.mkdir(parents=True, exist_ok=True)
    empty_dictionary = workdir / "empty.dic"
    empty_dictionary.write_text("")
    cmd = [str(HUNALIGN_BIN), "-utf"]
    if realign:
        cmd.append("-realign")
    cmd += [str(empty_dictionary), str(src_path), str(tgt_path)]
    # hunalign leaves a translate.txt in its working folder: keep it in workdir.
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=workdir).stdout
    rungs = []
    for line in out.splitlines():
        parts = line.split("\t")
        if len(parts) >= 2:
            rungs.append((int(parts[0]), int(parts[1])))
    n_src = _count_lines(src_path)
    n_tgt = _count_lines(tgt_path)
    return ladder_to_links(rungs, n_src, n_tgt)


def _count_lines(path: Path) -> int:
    with open(path, encoding="utf-8") as f:
        return sum(1 for _ in f)


def vecalign_overlaps(paths: list[Path], out_path: Path, num_overlaps: int) -> list[str]:
    """Write Vecalign's overlap file (every run of 1..num_overlaps sentences) with its own tool."""
    if not VECALIGN_PYTHON.is_file():
        raise PeerMissing(f"Vecalign's environment is not built at {VECALIGN_PYTHON}")
    subprocess.run(
        [str(VECALIGN_PYTHON), "-m", "vecalign.overlap", "-i", *map(str, paths),
         "-o", str(out_path), "-n", str(num_overlaps)],
        check=True, cwd=VECALIGN_DIR, capture_output=True,
    )
    with open(out_path, encoding="utf-8") as f:
        return [line.rstrip("\n") for line in f]


def run_vecalign_batch(jobs: list[dict], workdir: Path, alignment_max_size: int) -> tuple[list[list[Link]], float]:
    """Align several documents with Vecalign in one process of its own environment.

    Each job names `src`, `tgt` (sentence files) and `src_overlaps`, `src_emb`, `tgt_overlaps`,
    `tgt_emb` (overlap text and float32 embedding files). Returns the links of each document and
    the seconds Vecalign spent aligning, measured inside its process.
    """
    jobs_path = workdir / "vecalign_jobs.json"
    jobs_path.write_text(json.dumps({"alignment_max_size": alignment_max_size, "jobs": jobs}))
    env = dict(os.environ, PYTHONPATH=str(VECALIGN_DIR))
    proc = subprocess.run(
        [str(VECALIGN_PYTHON), str(Path(__file__).resolve()), "vecalign-batch", str(jobs_path)],
        capture_output=True, text=True, check=True, env=env,
    )
    docs: list[list[Link]] = [[]]
    seconds = 0.0
    for line in proc.stdout.splitlines():
        if line.startswith(_DOC_MARK):
            seconds += float(line.split()[-1])
            docs.append([])
        elif line.startswith("["):
            src, tgt = line.split(":")[:2]
            docs[-1].append((tuple(json.loads(src)), tuple(json.loads(tgt))))
    return docs[:-1], seconds


def _vecalign_batch_main(jobs_path: str) -> None:
    """Inside Vecalign's environment: align each job with Vecalign's own functions."""
    import numpy as np
    from vecalign.dp_utils import (
        make_alignment_types, make_doc_embedding, read_in_embeddings, vecalign,
    )
    from math import ceil

    spec = json.loads(Path(jobs_path).read_text())
    max_size = spec["alignment_max_size"]
    np.random.seed(0)  # Vecalign samples for its normalisation: keep runs repeatable
    cache: dict[tuple[str, str], tuple] = {}
    for job in spec["jobs"]:
        start = time.perf_counter()
        sides = []
        for side in ("src", "tgt"):
            key = (job[f"{side}_overlaps"], job[f"{side}_emb"])
            if key not in cache:
                cache[key] = read_in_embeddings(*key)
            sent2line, line_embeddings = cache[key]
            with open(job[side], encoding="utf-8") as f:
                lines = f.readlines()
            sides.append(make_doc_embedding(sent2line, line_embeddings, lines, max_size))
        # The settings of Vecalign's command line defaults.
        stack = vecalign(
            vecs0=sides[0], vecs1=sides[1],
            final_alignment_types=make_alignment_types(max_size),
            del_percentile_frac=0.2,
            width_over2=ceil(max_size / 2.0) + 5,
            max_size_full_dp=300,
            costs_sample_size=20000,
            num_samps_for_norm=100,
        )
        elapsed = time.perf_counter() - start
        for src, tgt in stack[0]["final_alignments"]:
            print(f"{list(src)}:{list(tgt)}")
        print(f"{_DOC_MARK} {elapsed:.6f}", flush=True)


def bleualign_align(source: list[str], target: list[str], translation: list[str]) -> list[Link]:
    """Align with Bleualign's own algorithm, given a line-by-line 'translation' of the source.

    Bleualign only emits links with two non-empty sides; sentences it leaves out are not
    reported (as Bleualign itself reports them), so they count neither for nor against it.
    """
    if not (BLEUALIGN_DIR / "bleualign" / "align.py").is_file():
        raise PeerMissing(f"Bleualign is not cloned at {BLEUALIGN_DIR}")
    if str(BLEUALIGN_DIR) not in sys.path:
        sys.path.insert(0, str(BLEUALIGN_DIR))
    import io

    from bleualign.align import Aligner

    options = dict(Aligner.default_options)
    options.update(
        srcfile=io.StringIO("\n".join(source)),
        targetfile=io.StringIO("\n".join(target)),
        srctotarget=[io.StringIO("\n".join(translation))],
        output=None,
        verbosity=0,
        log_to=io.StringIO(),
        num_processes=1,
    )
    aligner = Aligner(options)
    beads = aligner.process(list(source), list(target), [list(translation)], [])
    links = sorted((tuple(src), tuple(tgt)) for (src, tgt), _kind in beads)
    return links


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "vecalign-batch":
        _vecalign_batch_main(sys.argv[2])
    else:
        sys.exit("usage: python peers.py vecalign-batch JOBS.json (with Vecalign's Python)")
