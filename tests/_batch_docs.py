"""Batches of real news articles for the batch, gate, compare and determinism tests.

The articles come from WMT newstest2014 English-French (../shared/data/parallel): each
document's English sentences make the source file and its French sentences the translation,
one paragraph per sentence, as a news article is laid out.
"""
from __future__ import annotations

import json
from collections import OrderedDict
from pathlib import Path
from typing import Optional

from conftest import SHARED_DATA

NEWSTEST = SHARED_DATA / "parallel" / "newstest2014_en-fr" / "newstest2014_en-fr.tsv"


def news_articles() -> "OrderedDict[str, list[tuple[str, str]]]":
    """Document id -> [(English, French)] in document order."""
    docs: "OrderedDict[str, list[tuple[str, str]]]" = OrderedDict()
    with NEWSTEST.open(encoding="utf-8") as handle:
        next(handle)  # header
        for line in handle:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 5:
                continue
            docs.setdefault(parts[0], []).append((parts[3], parts[4]))
    return docs


def write_batch(folder: Path, count: int, max_sentences: Optional[int] = None,
                min_sentences: int = 3, start: int = 0) -> Path:
    """Write `count` articles (cycling through the set with a varied cut when more are asked
    for than it holds) and a JSONL manifest naming them; return the manifest's path."""
    articles = [(k, v) for k, v in news_articles().items() if len(v) >= min_sentences]
    docs_dir = folder / "docs"
    docs_dir.mkdir(parents=True, exist_ok=True)
    rows = []
    for n in range(count):
        doc_id, sentences = articles[(start + n) % len(articles)]
        round_ = (start + n) // len(articles)
        if round_:
            # Repeats start a little later in the article, so that no two documents are the same.
            sentences = sentences[round_ % max(1, len(sentences) - min_sentences + 1):]
            doc_id = f"{doc_id}~{round_}"
        if max_sentences:
            sentences = sentences[:max_sentences]
        name = f"{n:04d}"
        (docs_dir / f"{name}.en.txt").write_text("\n\n".join(en for en, _ in sentences) + "\n", encoding="utf-8")
        (docs_dir / f"{name}.fr.txt").write_text("\n\n".join(fr for _, fr in sentences) + "\n", encoding="utf-8")
        rows.append({"id": doc_id, "source": f"docs/{name}.en.txt", "target": f"docs/{name}.fr.txt"})
    manifest = folder / "manifest.jsonl"
    manifest.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return manifest


def read_rows(path: Path) -> list[dict]:
    """Every line of a JSONL file, each required to be a whole JSON object."""
    raw = path.read_bytes()
    assert raw == b"" or raw.endswith(b"\n"), f"{path} ends with a half-written line"
    return [json.loads(line) for line in raw.decode("utf-8").splitlines() if line.strip()]
