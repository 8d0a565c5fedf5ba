"""mtcheck: check a translated document sentence by sentence.

Public API: `check`, `check_files`, `Report`, `Flag`. Nothing here loads a model:
models load on first use.
"""
__version__ = "0.1.0"

from mtcheck.models import Flag, Link, Pair, Segment  # noqa: E402
from mtcheck.pipeline import check, check_files  # noqa: E402
from mtcheck.report import Report  # noqa: E402

__all__ = ["check", "check_files", "Report", "Flag", "Pair", "Link", "Segment", "__version__"]
