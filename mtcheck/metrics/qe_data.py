"""Readers for the public human judgments used to train and measure the quality estimate.

Each reader returns a list of `Judgment`: a source, its machine translation, the human
score (higher is better) and the group it belongs to (language pair, document), so
that the training code and `benchmarks/qe.py` read the data the same way.

- MLQE-PE direct assessments (WMT20 QE task 1): the `z_mean` column.
- WMT19 QE task 2 en-fr: the segment score is computed from the MQM error spans the
  same way the task computes its document score, per segment:
  100 * (1 - penalty / words), penalty = sum of span severity weights
  (minor 1, major 5, critical 10), words = whitespace tokens of the translation.
- Google's MQM annotations of TED talks en-de: the average segment score per system
  (0 is perfect, more negative is worse).
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

MLQE_PAIRS = ("en-de", "en-zh", "et-en", "ne-en", "ro-en", "ru-en", "si-en")

# Published WMT20 task 1 test Pearson (MLQE-PE test split), for comparison only.
PUBLISHED_PEARSON = {
    "OpenKiwi baseline": {
        "ro-en": 0.685, "et-en": 0.477, "ne-en": 0.386, "si-en": 0.374,
        "ru-en": 0.548, "en-de": 0.146, "en-zh": 0.168,
    },
    "SiameseTransQuest": {
        "ro-en": 0.850, "et-en": 0.680, "ne-en": 0.608, "si-en": 0.596,
        "ru-en": 0.713, "en-de": 0.399, "en-zh": 0.407,
    },
}


@dataclass(frozen=True)
class Judgment:
    """One human-scored translation."""

    src: str
    tgt: str
    score: float
    lang_pair: str
    doc: str = ""


def read_mlqe(root: Path, lang_pair: str, split: str) -> list[Judgment]:
    """MLQE-PE direct assessments of one language pair and split ('train' or 'dev')."""
    folder = Path(root) / "mlqe-pe" / "direct-assessments" / split / f"{lang_pair}-{split}"
    path = folder / f"{split}.{lang_pair.replace('-', '')}.df.short.tsv"
    out = []
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            out.append(Judgment(row["original"], row["translation"], float(row["z_mean"]), lang_pair))
    return out


def _wmt19_split_folder(root: Path, split: str) -> Path:
    base = Path(root) / "wmt19-task2_en-fr"
    if split == "dev0":
        return base / "dev0" / "task2_en-fr_dev0"
    return base / "traindev" / "train_dev" / f"task2_en-fr_{split}"


def _read_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n")[:-1] if path.exists() else []


def read_wmt19(root: Path, split: str) -> tuple[list[Judgment], dict[str, float]]:
    """WMT19 task 2 en-fr ('train', 'dev' or 'dev0'): segment judgments and document MQM."""
    folder = _wmt19_split_folder(root, split)
    segments: list[Judgment] = []
    documents: dict[str, float] = {}
    for doc in sorted(p for p in folder.iterdir() if p.is_dir()):
        src = _read_lines(doc / "source.segments")
        mt = _read_lines(doc / "mt.segments")
        penalty = [0.0] * len(mt)
        with open(doc / "annotations.tsv", encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))[1:]
        for row in rows:
            if len(row) < 5:
                continue
            # one annotation may cover several spans: space-separated segment ids, and
            # the weight is counted once, in the first segment it touches
            seg_ids = [int(s) for s in row[0].split()]
            if seg_ids and 0 <= seg_ids[0] < len(penalty):
                penalty[seg_ids[0]] += float(row[4])
        for k, (s, t) in enumerate(zip(src, mt)):
            words = max(1, len(t.split()))
            segments.append(Judgment(s, t, 100.0 * (1.0 - penalty[k] / words), "en-fr", doc.name))
        mqm_file = doc / "document_mqm"
        if mqm_file.exists():
            documents[doc.name] = float(mqm_file.read_text().strip())
    return segments, documents


_TAG = re.compile(r"</?v>")


def read_ted_mqm(root: Path) -> list[Judgment]:
    """Google MQM of TED talks en-de: one judgment per (system, segment) with its text."""
    folder = Path(root) / "mqm_ted_en-de"
    texts: dict[tuple[str, str], tuple[str, str, str]] = {}
    with open(folder / "mqm_ted_ende.tsv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            key = (row["system"], row["seg_id"])
            if key not in texts:
                texts[key] = (row["source"], _TAG.sub("", row["target"]), row["doc"])
    out = []
    with open(folder / "mqm_ted_ende.avg_seg_scores.tsv", encoding="utf-8") as handle:
        next(handle)
        for line in handle:
            parts = line.split()
            if len(parts) < 3:
                continue
            key = (parts[0], parts[2])
            if key in texts:
                src, tgt, doc = texts[key]
                out.append(Judgment(src, tgt, float(parts[1]), "en-de", doc))
    return out
