"""The documents of a batch: read from a manifest (CSV, TSV, JSONL) or matched across folders.

A manifest names one document a row, with the columns `source`, `target`, and optionally
`reference` and `id`. Relative paths are read against the manifest's folder, and a path that
leads out of that folder (`../`, an absolute path elsewhere, a symbolic link pointing out) is
refused unless `allow_outside` is set: a manifest may come from someone else, and its rows are
data, never a way to make the checker read arbitrary files.

Folders: two or three folders (source, target[, reference]) whose files share their names.
"""
from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional, Sequence, Union

from mtcheck.errors import InputError

PathLike = Union[str, os.PathLike]

MANIFEST_SUFFIXES = {".csv": "csv", ".tsv": "tsv", ".jsonl": "jsonl", ".ndjson": "jsonl"}
KNOWN_COLUMNS = ("id", "source", "target", "reference")


@dataclass(frozen=True)
class BatchItem:
    """One document of a batch: its id and the paths of its files."""

    id: str
    source: str
    target: str
    reference: Optional[str] = None

    def paths(self) -> dict:
        return {"source": self.source, "target": self.target, "reference": self.reference}


def collect_items(inputs: Sequence[PathLike], allow_outside: bool = False) -> list[BatchItem]:
    """The documents named by the command line: one manifest, or two or three folders."""
    inputs = [Path(p) for p in inputs]
    if not inputs:
        raise InputError("give a manifest or two or three folders")
    if len(inputs) == 1:
        path = inputs[0]
        if path.is_dir():
            raise InputError(
                f"{path}: a folder alone is not a batch; give a manifest or the source and target folders"
            )
        return read_manifest(path, allow_outside=allow_outside)
    if len(inputs) > 3:
        raise InputError("give at most three folders: source, target and reference")
    return items_from_folders(*inputs)


def read_manifest(path: PathLike, allow_outside: bool = False) -> list[BatchItem]:
    """Read a CSV, TSV or JSONL manifest; see the module docstring for the rules."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such manifest")
    if not path.is_file():
        raise InputError(f"{path}: not a file")
    kind = MANIFEST_SUFFIXES.get(path.suffix.lower())
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{path}: the manifest is not UTF-8 text") from None
    if kind is None:
        kind = _sniff_kind(text)
    rows = _parse_jsonl(text, path) if kind == "jsonl" else _parse_delimited(text, path, kind)
    if not rows:
        raise InputError(f"{path}: the manifest names no document")
    base = path.resolve().parent
    items = [_item_from_row(row, line, base, path, allow_outside) for line, row in rows]
    _require_unique_ids(items, path)
    return items


def items_from_folders(
    source_dir: PathLike, target_dir: PathLike, reference_dir: Optional[PathLike] = None
) -> list[BatchItem]:
    """Pair the files of two or three folders by name; the id is the relative file name."""
    folders = [Path(source_dir), Path(target_dir)] + ([Path(reference_dir)] if reference_dir else [])
    for folder in folders:
        if not folder.is_dir():
            raise InputError(f"{folder}: not a folder (with several inputs, each must be a folder)")
    names = [_relative_files(folder) for folder in folders]
    common = set(names[0]) & set(names[1])
    if reference_dir:
        missing_refs = sorted(common - set(names[2]))
        if missing_refs:
            raise InputError(
                f"{folders[2]}: no reference for {len(missing_refs)} document(s), e.g. {missing_refs[0]}"
            )
    if not common:
        raise InputError(f"{folders[0]} and {folders[1]}: no file names in common")
    only_source = sorted(set(names[0]) - common)
    only_target = sorted(set(names[1]) - common)
    if only_source or only_target:
        example = (only_source or only_target)[0]
        where = folders[1] if only_source else folders[0]
        raise InputError(
            f"{where}: {len(only_source) + len(only_target)} file(s) have no counterpart, e.g. {example}"
        )
    return [
        BatchItem(
            id=name,
            source=str(folders[0] / name),
            target=str(folders[1] / name),
            reference=str(folders[2] / name) if reference_dir else None,
        )
        for name in sorted(common)
    ]


def write_manifest(items: Iterable[BatchItem], path: PathLike) -> Path:
    """Write items as a JSONL manifest (paths as given); handy for building batches."""
    path = Path(path)
    lines = []
    for item in items:
        row = {"id": item.id, "source": item.source, "target": item.target}
        if item.reference:
            row["reference"] = item.reference
        lines.append(json.dumps(row, ensure_ascii=False))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# --- parsing ---------------------------------------------------------------------------


def _sniff_kind(text: str) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")
    if first.lstrip().startswith("{"):
        return "jsonl"
    return "tsv" if "\t" in first else "csv"


def _parse_jsonl(text: str, path: Path) -> list[tuple[int, dict]]:
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}:{number}: not a JSON object ({exc.msg})") from None
        if not isinstance(row, dict):
            raise InputError(f"{path}:{number}: each line must be a JSON object")
        rows.append((number, row))
    return rows


def _parse_delimited(text: str, path: Path, kind: str) -> list[tuple[int, dict]]:
    delimiter = "\t" if kind == "tsv" else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        return []
    except csv.Error as exc:
        raise InputError(f"{path}:1: {exc}") from None
    header = [h.strip().lower() for h in header]
    if "source" not in header or "target" not in header:
        raise InputError(f"{path}:1: the header must name the columns source and target (got {', '.join(header)})")
    rows = []
    try:
        for record in reader:
            if not any(cell.strip() for cell in record):
                continue
            number = reader.line_num
            if len(record) != len(header):
                raise InputError(f"{path}:{number}: {len(record)} fields where the header has {len(header)}")
            rows.append((number, dict(zip(header, record))))
    except csv.Error as exc:
        raise InputError(f"{path}:{reader.line_num}: {exc}") from None
    return rows


def _item_from_row(row: dict, number: int, base: Path, manifest: Path, allow_outside: bool) -> BatchItem:
    where = f"{manifest}:{number}"
    values = {}
    for column in KNOWN_COLUMNS:
        value = row.get(column)
        if value is None or (isinstance(value, str) and not value.strip()):
            values[column] = None
            continue
        if not isinstance(value, (str, int)) or isinstance(value, bool):
            raise InputError(f"{where}: the {column} must be a string")
        values[column] = str(value).strip()
    for column in ("source", "target"):
        if not values[column]:
            raise InputError(f"{where}: no {column} path")
    paths = {
        column: _resolve(values[column], base, where, allow_outside)
        for column in ("source", "target", "reference")
        if values[column]
    }
    doc_id = values["id"] or values["target"]
    if any(ch in doc_id for ch in "\n\r\x00"):
        raise InputError(f"{where}: the id contains a line break or NUL")
    return BatchItem(id=doc_id, source=paths["source"], target=paths["target"], reference=paths.get("reference"))


def _resolve(value: str, base: Path, where: str, allow_outside: bool) -> str:
    """The path of a manifest cell, refused when it leads out of the manifest's folder."""
    if "\x00" in value:
        raise InputError(f"{where}: a path contains a NUL character")
    candidate = Path(value).expanduser() if allow_outside else Path(value)
    joined = candidate if candidate.is_absolute() else base / candidate
    if not allow_outside:
        # Resolve symbolic links too: a link inside the folder that points out is still out.
        real = Path(os.path.realpath(joined))
        if real != base and base not in real.parents:
            raise InputError(
                f"{where}: {value} is outside the manifest's folder (use --allow-outside to permit it)"
            )
    return str(joined)


def _relative_files(folder: Path) -> list[str]:
    """Every regular, non-hidden file under `folder`, as a POSIX path relative to it."""
    out = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith("."):
                continue
            out.append((Path(root) / name).relative_to(folder).as_posix())
    return out


def _require_unique_ids(items: list[BatchItem], path: Path) -> None:
    seen = set()
    for item in items:
        if item.id in seen:
            raise InputError(f"{path}: the id {item.id!r} appears more than once")
        seen.add(item.id)
