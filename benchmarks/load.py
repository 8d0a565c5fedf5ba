"""Load and fault figures for `mtcheck batch` on real news articles.

    python benchmarks/load.py throughput [--documents 1000] [--workers 1 2]
    python benchmarks/load.py kill-resume [--documents 200] [--workers 2]

The articles are WMT newstest2014 English-French (../shared/data/parallel): each document's
English sentences are the source and its French sentences the translation, one paragraph a
sentence. The set holds 176 articles; larger batches repeat them, each repeat starting a
little later in the article, so that no two documents are the same.

`throughput` runs `mtcheck batch` once per worker count, in a subprocess, with the embedding
cache off (every sentence embedded, as for documents never seen before), and reports documents
per minute (wall clock, model loading included) and the peak memory of the whole process tree
(the sum of the resident sizes of the batch process and its workers, sampled every 0.2 s).

`kill-resume` starts a batch, kills the whole run with SIGKILL once half of the documents are
finished, resumes it with `--resume`, and checks that every document is in the output exactly
once, with no half-written row and no finished document checked again.

Work files go to benchmarks/_work/load/ (git-ignored); results to results-<mode>.json there.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import subprocess
import sys
import time
from collections import OrderedDict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / "_work" / "load"
NEWSTEST = ROOT.parent / "shared" / "data" / "parallel" / "newstest2014_en-fr" / "newstest2014_en-fr.tsv"


def build_batch(folder: Path, count: int, min_sentences: int = 3) -> Path:
    """Write `count` articles and a JSONL manifest naming them; return the manifest."""
    docs: "OrderedDict[str, list]" = OrderedDict()
    with NEWSTEST.open(encoding="utf-8") as handle:
        next(handle)
        for line in handle:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 5:
                docs.setdefault(parts[0], []).append((parts[3], parts[4]))
    articles = [(k, v) for k, v in docs.items() if len(v) >= min_sentences]
    out = folder / "docs"
    out.mkdir(parents=True, exist_ok=True)
    rows = []
    for n in range(count):
        doc_id, sentences = articles[n % len(articles)]
        round_ = n // len(articles)
        if round_:
            sentences = sentences[round_ % max(1, len(sentences) - min_sentences + 1):]
            doc_id = f"{doc_id}~{round_}"
        (out / f"{n:04d}.en.txt").write_text("\n\n".join(en for en, _ in sentences) + "\n", encoding="utf-8")
        (out / f"{n:04d}.fr.txt").write_text("\n\n".join(fr for _, fr in sentences) + "\n", encoding="utf-8")
        rows.append({"id": doc_id, "source": f"docs/{n:04d}.en.txt", "target": f"docs/{n:04d}.fr.txt"})
    manifest = folder / "manifest.jsonl"
    manifest.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return manifest


# --- process-tree memory ------------------------------------------------------------------------


def _children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat[stat.rfind(")") + 2:].split()[1]) == pid:
                out.append(int(entry.name))
    return out


def _tree_rss(pid: int) -> int:
    """Resident bytes of `pid` and all its descendants."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
                    break
        except OSError:
            continue
        todo.extend(_children(current))
    return total


def _batch_command(manifest: Path, outdir: Path, workers: int, *extra: str) -> list[str]:
    return [sys.executable, "-m", "mtcheck", "batch", str(manifest), "-o", str(outdir),
            "--workers", str(workers), *extra]


def run_measured(manifest: Path, outdir: Path, workers: int) -> dict:
    env = dict(os.environ, MTCHECK_CACHE="0")
    started = time.monotonic()
    proc = subprocess.Popen(_batch_command(manifest, outdir, workers, "--no-progress"), cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, _tree_rss(proc.pid))
        time.sleep(0.2)
    elapsed = time.monotonic() - started
    out, err = proc.communicate()
    if proc.returncode != 0:
        raise SystemExit(f"batch failed ({proc.returncode}): {err[-2000:]}")
    summary = json.loads((outdir / "summary.json").read_text())
    documents = summary["documents"]["total"]
    return {
        "workers": workers,
        "documents": documents,
        "ok": summary["documents"]["ok"],
        "pairs": summary["pairs"],
        "seconds": round(elapsed, 1),
        "documents_per_minute": round(documents / elapsed * 60, 1),
        "pairs_per_second": round(summary["pairs"] / elapsed, 1),
        "peak_memory_mib": round(peak / 2**20),
    }


def machine() -> dict:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kib / 2**20:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return {"cpu": cpu, "cores": len(os.sched_getaffinity(0)), "memory": memory,
            "python": platform.python_version(), "date": time.strftime("%Y-%m-%d", time.gmtime())}


def throughput(args) -> dict:
    folder = WORK / f"news-{args.documents}"
    manifest = folder / "manifest.jsonl"
    if not manifest.exists():
        build_batch(folder, args.documents)
    rows = []
    for workers in args.workers:
        outdir = WORK / f"out-{args.documents}-w{workers}"
        if outdir.exists():
            import shutil

            shutil.rmtree(outdir)
        row = run_measured(manifest, outdir, workers)
        print(json.dumps(row), flush=True)
        rows.append(row)
    return {"machine": machine(), "runs": rows}


def kill_resume(args) -> dict:
    import shutil

    folder = WORK / f"news-{args.documents}"
    manifest = folder / "manifest.jsonl"
    if not manifest.exists():
        build_batch(folder, args.documents)
    outdir = WORK / f"kill-{args.documents}"
    if outdir.exists():
        shutil.rmtree(outdir)
    half = args.documents // 2
    # The progress bar goes to this terminal's stderr, as a user would see it.
    proc = subprocess.Popen(_batch_command(manifest, outdir, args.workers), cwd=ROOT, start_new_session=True)
    docs_file = outdir / "documents.jsonl"
    while not docs_file.exists() or docs_file.read_bytes().count(b"\n") < half:
        if proc.poll() is not None:
            raise SystemExit("the batch ended before it could be killed")
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    finished = [json.loads(line) for line in docs_file.read_text().splitlines() if line.strip()]
    print(f"\nkilled with SIGKILL after {len(finished)} of {args.documents} documents", file=sys.stderr)
    resumed = subprocess.run(_batch_command(manifest, outdir, args.workers, "--resume"), cwd=ROOT)
    if resumed.returncode != 0:
        raise SystemExit(f"--resume failed with exit code {resumed.returncode}")
    raw = docs_file.read_bytes()
    rows = [json.loads(line) for line in raw.decode().splitlines() if line.strip()]
    ids = [json.loads(line)["id"] for line in manifest.read_text().splitlines()]
    pairs = [json.loads(line) for line in (outdir / "pairs.jsonl").read_text().splitlines() if line.strip()]
    by_id = {r["id"]: r for r in rows}
    run = json.loads((outdir / "run.json").read_text())
    checks = {
        "every document exactly once, in manifest order": [r["id"] for r in rows] == ids,
        "no half-written row": raw.endswith(b"\n"),
        "finished rows kept unchanged": all(by_id.get(r["id"]) == r for r in finished),
        "finished documents not checked again": run["resumed"] == len(finished),
        "each pair once": len({(p["doc"], p["pair"]) for p in pairs}) == len(pairs)
                          == sum(r.get("pairs", 0) for r in rows if r["status"] == "ok"),
    }
    result = {"machine": machine(), "documents": args.documents, "killed_after": len(finished),
              "resumed_checked": run["checked"], "errors": sum(r["status"] != "ok" for r in rows),
              "checks": checks, "passed": all(checks.values())}
    for name, ok in checks.items():
        print(f"{'ok  ' if ok else 'FAIL'} {name}")
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="mode")
    p = sub.add_parser("throughput")
    p.add_argument("--documents", type=int, default=1000)
    p.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    p = sub.add_parser("kill-resume")
    p.add_argument("--documents", type=int, default=200)
    p.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    mode = args.mode or "throughput"
    if args.mode is None:
        args.documents, args.workers = 1000, [1, 2]
    WORK.mkdir(parents=True, exist_ok=True)
    result = throughput(args) if mode == "throughput" else kill_resume(args)
    (WORK / f"results-{mode}-{args.documents}.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    return 0 if result.get("passed", True) else 1


if __name__ == "__main__":
    sys.exit(main())
