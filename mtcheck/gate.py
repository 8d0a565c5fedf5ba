"""The gate: judge a report or a whole batch against thresholds, for CI.

Rules come from `[tool.mtcheck.gate]` in pyproject.toml, from a TOML file (`--config`), or from
flags (`--min chrf=40`, `--max-flags major=0`); flags add to, or override, the file's rules. With no
rule configured at all, the default applies: no critical and no major flag (`config.DEFAULT_GATE`).

```toml
[tool.mtcheck.gate]
min_scores = {chrf = 40.0, quality = 0.4}   # each document's score must reach this
max_scores = {ter = 60.0}                   # for scores where lower is better
max_flags = {critical = 0, major = 0, duplication = 2}   # per document, by severity or code
max_flag_rate = {duplication = 2.0}         # per 100 pairs of a document
max_failing_share = 0.05                    # a batch passes when at most 5% of documents fail
max_regression = {chrf = 1.0, major = 0}    # read by `mtcheck compare` (see compare.py)
```

Every document is judged on its own (a JUnit test case each); a broken rule is a `Failure`
that says which rule, the value and the limit. A batch fails when the share of failing
documents (documents that could not be checked count as failing) is above
`max_failing_share` (0 when not set). A flag rule on a code (or a severity, or all) whose
check failed on some pairs cannot be verified and fails, as a rule on a missing score does.
Outputs: JUnit XML, GitHub Actions annotations
(`::error file=...,line=...::`), a Markdown summary, and the exit code (1 when the gate fails).
"""
from __future__ import annotations

import json
import math
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Sequence, Union
from xml.sax.saxutils import escape, quoteattr

from mtcheck.errors import ConfigError, InputError
from mtcheck.models import SEVERITIES

# DESIGN.md's flag codes; codes of checks added later are accepted too (see `_known_codes`).
FLAG_CODES = (
    "duplication", "omission", "addition", "untranslated", "wrong_language", "number_mismatch",
    "entity_mismatch", "mistranslation", "truncation", "punctuation", "casing", "encoding",
)
RULE_KEYS = ("min_scores", "max_scores", "max_flags", "max_flag_rate", "max_failing_share",
             "max_regression")
ALL_FLAGS = "all"  # a max_flags / max_flag_rate key counting every flag


# --- rules -----------------------------------------------------------------------------------


@dataclass
class GateRules:
    """Thresholds, checked and typed once."""

    min_scores: dict[str, float] = field(default_factory=dict)
    max_scores: dict[str, float] = field(default_factory=dict)
    max_flags: dict[str, int] = field(default_factory=dict)
    max_flag_rate: dict[str, float] = field(default_factory=dict)
    max_failing_share: float = 0.0
    max_regression: dict[str, float] = field(default_factory=dict)

    def describe(self) -> list[str]:
        """One short line per rule, for summaries."""
        out = [f"{name} >= {_num(v)}" for name, v in self.min_scores.items()]
        out += [f"{name} <= {_num(v)}" for name, v in self.max_scores.items()]
        out += [f"{key} flags <= {v}" for key, v in self.max_flags.items()]
        out += [f"{key} flags <= {_num(v)} per 100 pairs" for key, v in self.max_flag_rate.items()]
        out.append(f"failing documents <= {self.max_failing_share:.0%}")
        return out


def parse_rules(rules: Optional[dict]) -> GateRules:
    """Typed rules from a `[tool.mtcheck.gate]` table; an empty table means the default gate."""
    from mtcheck.config import DEFAULT_GATE

    if isinstance(rules, GateRules):
        return rules
    table = dict(rules or {})
    if not any(k in table for k in RULE_KEYS if k != "max_regression"):
        table = {**DEFAULT_GATE, **table}
    unknown = sorted(set(table) - set(RULE_KEYS))
    if unknown:
        raise ConfigError(f"unknown gate rule(s) {', '.join(unknown)}; known: {', '.join(RULE_KEYS)}")
    codes = _known_codes()
    out = GateRules()
    out.min_scores = _number_table(table.get("min_scores"), "min_scores")
    out.max_scores = _number_table(table.get("max_scores"), "max_scores")
    out.max_flags = {k: int(v) for k, v in _number_table(table.get("max_flags"), "max_flags").items()}
    out.max_flag_rate = _number_table(table.get("max_flag_rate"), "max_flag_rate")
    for rule in ("max_flags", "max_flag_rate"):
        for key in getattr(out, rule):
            if key not in SEVERITIES and key not in codes and key != ALL_FLAGS:
                raise ConfigError(
                    f"gate rule {rule}: {key!r} is neither a severity ({', '.join(SEVERITIES)}), "
                    f"'{ALL_FLAGS}' nor a flag code ({', '.join(codes)})"
                )
    share = table.get("max_failing_share", 0.0)
    if not isinstance(share, (int, float)) or isinstance(share, bool) or not 0 <= share <= 1:
        raise ConfigError(f"gate rule max_failing_share must be a number from 0 to 1, not {share!r}")
    out.max_failing_share = float(share)
    regression = table.get("max_regression")
    if isinstance(regression, (int, float)) and not isinstance(regression, bool):
        regression = {"*": regression}
    out.max_regression = _number_table(regression, "max_regression")
    return out


def rules_with_flags(rules: Optional[dict], minimums: Sequence[str] = (),
                     max_flags: Sequence[str] = ()) -> dict:
    """`rules` (or the default gate when empty) with command-line thresholds laid over them.

    `--min NAME=VALUE` sets a minimum score (or, for a score where lower is better such as
    ter, a maximum); `--max-flags KEY=N` a count, and `KEY=N%` a rate per 100 pairs.
    """
    from mtcheck.config import DEFAULT_GATE, SCORE_DIRECTIONS

    table = {k: (dict(v) if isinstance(v, dict) else v) for k, v in (rules or {}).items()}
    if not any(k in table for k in RULE_KEYS if k != "max_regression"):
        table.update({k: dict(v) for k, v in DEFAULT_GATE.items()})
    for text in minimums:
        name, value = _split_assignment(text, "--min")
        rule = "max_scores" if SCORE_DIRECTIONS.get(name) is False else "min_scores"
        table.setdefault(rule, {})[name] = _to_number(value, f"--min {text}")
    for text in max_flags:
        key, value = _split_assignment(text, "--max-flags")
        if value.endswith("%"):
            table.setdefault("max_flag_rate", {})[key] = _to_number(value[:-1], f"--max-flags {text}")
        else:
            table.setdefault("max_flags", {})[key] = _to_number(value, f"--max-flags {text}")
    return table


def _split_assignment(text: str, option: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name.strip() or not value.strip():
        raise ConfigError(f"{option} wants NAME=VALUE, not {text!r}")
    return name.strip(), value.strip()


def _to_number(value, where: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{where}: {value!r} is not a number") from None
    if not math.isfinite(number):
        raise ConfigError(f"{where}: {value!r} is not a finite number")
    return number


def _number_table(value, rule: str) -> dict[str, float]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ConfigError(f"gate rule {rule} must be a table such as {{name = value}}, not {value!r}")
    out = {}
    for key, number in value.items():
        if isinstance(number, bool) or not isinstance(number, (int, float)):
            raise ConfigError(f"gate rule {rule}.{key}: {number!r} is not a number")
        out[str(key)] = _to_number(number, f"gate rule {rule}.{key}")
    return out


def _known_codes() -> tuple[str, ...]:
    try:
        from mtcheck.checks import ALL_CHECKS

        extra = tuple(c for c in ALL_CHECKS if c not in FLAG_CODES)
    except Exception:  # the checks are optional here: the gate also reads finished results
        extra = ()
    return FLAG_CODES + extra


# --- what is judged ----------------------------------------------------------------------------


@dataclass
class DocumentResult:
    """The parts of one document's result the gate reads, from any of the result formats."""

    id: str
    path: Optional[str]  # the translation
    source_path: Optional[str] = None
    status: str = "ok"
    error: Optional[str] = None
    scores: dict = field(default_factory=dict)
    flags: dict = field(default_factory=dict)
    severities: dict = field(default_factory=dict)
    pairs: int = 0
    pair_rows: Optional[list] = None  # per-pair dicts (scores, flags), when known
    check_errors: dict = field(default_factory=dict)  # {check code: pairs it failed on}

    def count(self, key: str) -> int:
        if key == ALL_FLAGS:
            return int(sum(self.flags.values()))
        if key in SEVERITIES:
            return int(self.severities.get(key, 0))
        return int(self.flags.get(key, 0))


def result_from_report(report, doc_id: Optional[str] = None) -> DocumentResult:
    """A DocumentResult from a `Report` or from the JSON object of `mtcheck check --format json`."""
    data = report.to_dict() if hasattr(report, "to_dict") else report
    if not isinstance(data, dict) or "pairs" not in data or "document" not in data:
        raise InputError("not an mtcheck report (it needs 'pairs' and 'document')")
    pairs = data.get("pairs") or []
    document = data.get("document") or {}
    severities = document.get("severities")
    if severities is None:
        severities = {s: 0 for s in SEVERITIES}
        for pair in pairs:
            for flag in pair.get("flags") or []:
                severities[flag.get("severity")] = severities.get(flag.get("severity"), 0) + 1
    target = (data.get("target") or {}).get("path")
    source = (data.get("source") or {}).get("path")
    return DocumentResult(
        id=doc_id or target or "document",
        path=target,
        source_path=source,
        scores=dict(document.get("scores") or {}),
        flags=dict(document.get("flags") or {}),
        severities=dict(severities),
        pairs=len(pairs),
        pair_rows=pairs,
        check_errors=dict(document.get("check_errors") or {}),
    )


def result_from_row(row: dict, pair_rows: Optional[list] = None) -> DocumentResult:
    """A DocumentResult from a row of a batch's documents.jsonl."""
    return DocumentResult(
        id=str(row.get("id")),
        path=row.get("target"),
        source_path=row.get("source"),
        status=row.get("status", "ok"),
        error=row.get("error"),
        scores=dict(row.get("scores") or {}),
        flags=dict(row.get("flags") or {}),
        severities=dict(row.get("severities") or {}),
        pairs=int(row.get("pairs") or 0),
        pair_rows=pair_rows,
        check_errors=dict(row.get("check_errors") or {}),
    )


def load_results(path: Union[str, os.PathLike]) -> list[DocumentResult]:
    """The documents of RESULTS: a report JSON, a batch's folder, or its documents.jsonl."""
    from mtcheck.batch import DOCUMENTS_FILE, PAIRS_FILE, read_jsonl

    path = Path(path)
    if path.is_dir():
        docs_file = path / DOCUMENTS_FILE
        if not docs_file.is_file():
            raise InputError(f"{path}: no {DOCUMENTS_FILE} here (is it a batch's output folder?)")
        path = docs_file
    if not path.is_file():
        raise InputError(f"{path}: no such file or folder")
    if path.suffix == ".jsonl":
        rows = read_jsonl(path)
        if not rows:
            raise InputError(f"{path}: no document rows")
        if not all("id" in r and "status" in r for r in rows):
            raise InputError(f"{path}: not a batch's {DOCUMENTS_FILE} (rows need 'id' and 'status')")
        pairs_by_doc: dict[str, list] = {}
        for row in read_jsonl(path.parent / PAIRS_FILE):
            pairs_by_doc.setdefault(row.get("doc"), []).append(row)
        return [result_from_row(r, pairs_by_doc.get(r["id"])) for r in rows]
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: not a JSON report ({exc})") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    reports = data if isinstance(data, list) else [data]
    try:
        return [result_from_report(r) for r in reports]
    except InputError as exc:
        raise InputError(f"{path}: {exc}") from None


# --- verdicts ------------------------------------------------------------------------------------


@dataclass
class Failure:
    """One broken rule: which, on what, the value found and the limit."""

    rule: str
    key: str
    actual: float
    limit: float
    message: str
    pair: Optional[int] = None  # the pair that shows it best, when known

    def to_dict(self) -> dict:
        return {"rule": self.rule, "key": self.key, "actual": _plain(self.actual),
                "limit": _plain(self.limit), "message": self.message, "pair": self.pair}


@dataclass
class Verdict:
    """The gate's verdict on one document."""

    name: str
    passed: bool
    failures: list[Failure] = field(default_factory=list)
    path: Optional[str] = None
    source_path: Optional[str] = None
    error: Optional[str] = None  # the document could not be checked
    pairs: int = 0
    pair_rows: Optional[list] = None

    def to_dict(self) -> dict:
        out = {"passed": self.passed, "failures": [f.to_dict() for f in self.failures]}
        if self.error:
            out["error"] = self.error
        return out


@dataclass
class BatchVerdict:
    """The gate's verdict on a batch: one Verdict per document and the batch-wide rule."""

    documents: list[Verdict]
    failures: list[Failure]
    passed: bool
    rules: GateRules

    @property
    def failing(self) -> list[Verdict]:
        return [v for v in self.documents if not v.passed]

    def to_dict(self) -> dict:
        return {
            "passed": self.passed,
            "documents": len(self.documents),
            "failing_documents": len(self.failing),
            "failures": [f.to_dict() for f in self.failures],
            "verdicts": {v.name: v.to_dict() for v in self.documents},
        }


def judge_document(result: DocumentResult, rules: GateRules) -> Verdict:
    """Judge one document against every per-document rule."""
    verdict = Verdict(name=result.id, passed=True, path=result.path, source_path=result.source_path,
                      pairs=result.pairs, pair_rows=result.pair_rows)
    if result.status != "ok":
        verdict.passed = False
        verdict.error = result.error or "the document could not be checked"
        return verdict
    failures = verdict.failures
    for name, limit in rules.min_scores.items():
        value = result.scores.get(name)
        if not _is_number(value):
            failures.append(Failure("min_scores", name, float("nan"), limit,
                                    f"score {name} is missing, so min {name} >= {_num(limit)} cannot hold"))
        elif value < limit:
            failures.append(Failure("min_scores", name, value, limit,
                                    f"{name} {_num(value)} is below the minimum {_num(limit)}",
                                    _worst_pair(result, name, higher_better=True)))
    for name, limit in rules.max_scores.items():
        value = result.scores.get(name)
        if not _is_number(value):
            failures.append(Failure("max_scores", name, float("nan"), limit,
                                    f"score {name} is missing, so max {name} <= {_num(limit)} cannot hold"))
        elif value > limit:
            failures.append(Failure("max_scores", name, value, limit,
                                    f"{name} {_num(value)} is above the maximum {_num(limit)}",
                                    _worst_pair(result, name, higher_better=False)))
    for key, limit in rules.max_flags.items():
        count = result.count(key)
        if count > limit:
            first, example = _first_flag(result, key)
            what = "flags" if key == ALL_FLAGS else f"{key} flag{'s' if count != 1 else ''}"
            failures.append(Failure("max_flags", key, count, limit,
                                    f"{count} {what} (at most {int(limit)} allowed){example}", first))
        elif _unchecked(result, key):
            failures.append(_unverified("max_flags", key, limit, f"<= {int(limit)}", result))
    for key, limit in rules.max_flag_rate.items():
        count = result.count(key)
        rate = 100.0 * count / result.pairs if result.pairs else 0.0
        if rate > limit:
            first, example = _first_flag(result, key)
            failures.append(Failure("max_flag_rate", key, round(rate, 4), limit,
                                    f"{key} flags {rate:.2f} per 100 pairs ({count} in {result.pairs}; "
                                    f"at most {_num(limit)} allowed){example}", first))
        elif _unchecked(result, key):
            failures.append(_unverified("max_flag_rate", key, limit, f"<= {_num(limit)} per 100 pairs", result))
    verdict.passed = not failures
    return verdict


def _unchecked(result: DocumentResult, key: str) -> dict[str, int]:
    """The failed checks whose flags a count of `key` (a code, a severity or all) would include."""
    if key == ALL_FLAGS or key in SEVERITIES:
        return dict(result.check_errors)
    return {key: result.check_errors[key]} if key in result.check_errors else {}


def _unverified(rule: str, key: str, limit: float, bound: str, result: DocumentResult) -> Failure:
    # like a missing score: a check that failed on some pairs flagged nothing there, so a
    # count within the limit proves nothing (disable the check to gate without it)
    failed = ", ".join(f"{code} on {n} pair{'s' if n != 1 else ''}"
                       for code, n in sorted(_unchecked(result, key).items()))
    return Failure(rule, key, float("nan"), limit,
                   f"checks failed ({failed}), so {key} flags {bound} cannot be verified")


def judge_report(report, rules: Optional[dict] = None) -> Verdict:
    """Judge one report (a `Report` or its JSON object) against `rules` (a gate table)."""
    parsed = parse_rules(rules)
    verdict = judge_document(result_from_report(report), parsed)
    if not verdict.passed and parsed.max_failing_share >= 1.0:
        # A gate that tolerates every document failing lets this one pass too.
        verdict.passed = True
    return verdict


def judge_results(results: Sequence[DocumentResult], rules: Optional[dict] = None) -> BatchVerdict:
    """Judge every document, then the share of failing documents."""
    parsed = parse_rules(rules)
    verdicts = [judge_document(r, parsed) for r in results]
    failing = sum(1 for v in verdicts if not v.passed)
    share = failing / len(verdicts) if verdicts else 0.0
    failures = []
    if share > parsed.max_failing_share:
        failures.append(Failure(
            "max_failing_share", "documents", round(share, 6), parsed.max_failing_share,
            f"{failing} of {len(verdicts)} documents fail ({share:.1%}; at most "
            f"{parsed.max_failing_share:.1%} allowed)",
        ))
    return BatchVerdict(documents=verdicts, failures=failures, passed=not failures, rules=parsed)


def judge_batch(outdir: Union[str, os.PathLike], rules: Optional[dict] = None) -> BatchVerdict:
    """Judge a batch's output folder (or its documents.jsonl, or a report JSON)."""
    return judge_results(load_results(outdir), rules)


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _worst_pair(result: DocumentResult, name: str, higher_better: bool) -> Optional[int]:
    best = None
    for k, pair in enumerate(result.pair_rows or []):
        value = (pair.get("scores") or {}).get(name)
        if not _is_number(value):
            continue
        if best is None or (value < best[0] if higher_better else value > best[0]):
            best = (value, k)
    return best[1] if best else None


def _first_flag(result: DocumentResult, key: str) -> tuple[Optional[int], str]:
    """The first pair carrying a flag that `key` counts, and its message as an example."""
    for k, pair in enumerate(result.pair_rows or []):
        for flag in pair.get("flags") or []:
            if key == ALL_FLAGS or flag.get("severity") == key or flag.get("code") == key:
                return k, f"; first: {flag.get('code')} ({flag.get('severity')}): {flag.get('message')}"
    return None, ""


def _num(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def _plain(value):
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


# --- outputs -------------------------------------------------------------------------------------


def _as_batch(verdicts) -> tuple[list[Verdict], list[Failure]]:
    if isinstance(verdicts, BatchVerdict):
        return verdicts.documents, verdicts.failures
    if isinstance(verdicts, Verdict):
        return [verdicts], []
    return list(verdicts), []


def junit_xml(verdicts) -> str:
    """JUnit XML: a test case per document, a <failure> per broken rule, <error> when unchecked."""
    documents, batch_failures = _as_batch(verdicts)
    cases = []
    failures = errors = 0
    for v in documents:
        attrs = f'classname="mtcheck.gate" name={quoteattr(_clean(v.name))}'
        if v.path:
            attrs += f" file={quoteattr(_clean(v.path))}"
        body = []
        if v.error:
            errors += 1
            body.append(f"    <error type=\"unchecked\" message={quoteattr(_clean(v.error))}/>")
        for f in v.failures:
            failures += 1
            detail = f"rule {f.rule}.{f.key}: value {_num(f.actual)}, limit {_num(f.limit)}"
            if f.pair is not None:
                detail += f", pair {f.pair}"
            body.append(
                f"    <failure type={quoteattr(f'{f.rule}.{f.key}')} "
                f"message={quoteattr(_clean(f'{f.rule}.{f.key}: {f.message}'))}>{escape(_clean(detail))}</failure>"
            )
        if body:
            cases.append(f"  <testcase {attrs}>\n" + "\n".join(body) + "\n  </testcase>")
        else:
            cases.append(f"  <testcase {attrs}/>")
    if batch_failures or len(documents) > 1:
        body = [
            f"    <failure type={quoteattr(f'{f.rule}')} message={quoteattr(_clean(f'{f.rule}: {f.message}'))}>"
            f"{escape(_clean(f'value {_num(f.actual)}, limit {_num(f.limit)}'))}</failure>"
            for f in batch_failures
        ]
        failures += len(body)
        name = 'classname="mtcheck.gate" name="batch: share of failing documents"'
        cases.append(f"  <testcase {name}>\n" + "\n".join(body) + "\n  </testcase>" if body
                     else f"  <testcase {name}/>")
    tests = len(cases)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<testsuites name="mtcheck" tests="{tests}" failures="{failures}" errors="{errors}">\n'
        f'<testsuite name="mtcheck gate" tests="{tests}" failures="{failures}" errors="{errors}">\n'
        + "\n".join(cases)
        + "\n</testsuite>\n</testsuites>\n"
    )


def write_junit(verdicts, path: Union[str, os.PathLike]) -> Path:
    """Write the verdict(s) as JUnit XML at `path` (atomically)."""
    from mtcheck.journal import write_atomic

    path = Path(path)
    if path.parent and not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
    return write_atomic(path, junit_xml(verdicts))


def github_annotations(verdicts, limit: int = 50) -> list[str]:
    """GitHub Actions workflow commands: one `::error` per broken rule, at the line it concerns."""
    documents, batch_failures = _as_batch(verdicts)
    lines = []
    for v in documents:
        if v.error:
            lines.append(_annotation(v.path, 1, "mtcheck: document not checked", v.error))
        for f in v.failures:
            line, where = _line_for(v, f.pair)
            lines.append(_annotation(where, line, f"mtcheck {f.rule}.{f.key}", f.message))
    for f in batch_failures:
        lines.append(_annotation(None, None, f"mtcheck {f.rule}", f.message))
    if len(lines) > limit:
        rest = len(lines) - limit
        lines = lines[:limit] + [f"::warning title=mtcheck::{rest} more gate failures (see the JUnit report)"]
    return lines


def _annotation(path: Optional[str], line: Optional[int], title: str, message: str) -> str:
    props = []
    if path:
        props.append(f"file={_escape_property(_repo_relative(path))}")
        if line:
            props.append(f"line={line}")
    props.append(f"title={_escape_property(title)}")
    return f"::error {','.join(props)}::{_escape_data(message)}"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _repo_relative(path: str) -> str:
    """GitHub wants paths relative to the checkout; a path outside it stays as it is."""
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return path
    return path if relative.startswith("..") else relative


def _line_for(verdict: Verdict, pair_index: Optional[int]) -> tuple[Optional[int], Optional[str]]:
    """The 1-based line of the file where pair `pair_index` starts (translation, else source)."""
    if pair_index is None or not verdict.pair_rows or pair_index >= len(verdict.pair_rows):
        return (1 if verdict.path else None), verdict.path
    pair = verdict.pair_rows[pair_index]
    for side, path in (("tgt", verdict.path), ("src", verdict.source_path)):
        text = (pair.get(side) or "").strip()
        if text and path:
            line = _find_line(path, text)
            if line:
                return line, path
    return 1, verdict.path


def _find_line(path: str, text: str) -> Optional[int]:
    try:
        content = Path(path).read_bytes().decode("utf-8", errors="replace")
    except OSError:
        return None
    # The pair text is its sentences joined by spaces; the first few words locate it.
    probe = text[:60]
    pos = content.find(probe)
    while pos < 0 and len(probe) > 12:
        probe = probe[: len(probe) // 2]
        pos = content.find(probe)
    if pos < 0:
        return None
    return content.count("\n", 0, pos) + 1


def markdown_summary(verdicts, rules: Optional[GateRules] = None, limit: int = 50) -> str:
    """A Markdown summary for the job page: the verdict, the rules and the failing documents."""
    documents, batch_failures = _as_batch(verdicts)
    passed = (verdicts.passed if isinstance(verdicts, BatchVerdict)
              else all(v.passed for v in documents) and not batch_failures)
    failing = [v for v in documents if not v.passed]
    head = "passed" if passed else "FAILED"
    lines = [f"## mtcheck gate: {head}", ""]
    lines.append(f"{len(documents) - len(failing)} of {len(documents)} documents pass.")
    for f in batch_failures:
        lines.append(f"**{f.rule}**: {f.message}.")
    if rules is not None:
        lines += ["", "Rules: " + "; ".join(f"`{r}`" for r in rules.describe())]
    if failing:
        lines += ["", "| document | rule | value | limit | details |", "|---|---|---|---|---|"]
        shown = 0
        for v in failing:
            if v.error:
                lines.append(f"| {_md(v.name)} | not checked | | | {_md(v.error)} |")
                shown += 1
            for f in v.failures:
                lines.append(f"| {_md(v.name)} | {f.rule}.{f.key} | {_num(f.actual)} | {_num(f.limit)} | {_md(f.message)} |")
                shown += 1
            if shown >= limit:
                lines.append("\n... and more; see the JUnit report.")
                break
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    return _clean(str(text)).replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")


def _clean(text: str) -> str:
    # XML 1.0 cannot hold most control characters, whatever the escaping.
    return "".join(ch if ch in "\t\n" or ord(ch) >= 32 else " " for ch in str(text))


def verdict_text(verdicts, limit: int = 20) -> str:
    """The verdict for the terminal: a headline and the broken rules."""
    documents, batch_failures = _as_batch(verdicts)
    failing = [v for v in documents if not v.passed]
    passed = (verdicts.passed if isinstance(verdicts, BatchVerdict)
              else not failing and not batch_failures)
    lines = [f"gate: {'passed' if passed else 'FAILED'} ({len(documents) - len(failing)} of "
             f"{len(documents)} documents pass)"]
    shown = 0
    for v in failing:
        for message in ([f"not checked: {v.error}"] if v.error else []) + [f"{f.rule}.{f.key}: {f.message}" for f in v.failures]:
            if shown < limit:
                lines.append(f"  {v.name}: {message}")
            shown += 1
    if shown > limit:
        lines.append(f"  ... and {shown - limit} more")
    for f in batch_failures:
        lines.append(f"  batch: {f.message}")
    return "\n".join(lines) + "\n"


# --- command line --------------------------------------------------------------------------------


def gate_rules_from_args(args) -> dict:
    from mtcheck.settings import load_settings

    settings = load_settings(getattr(args, "config", None))
    return rules_with_flags(settings.gate_rules, getattr(args, "min", []) or [],
                            getattr(args, "max_flags", []) or [])


def report_verdict(results, rules, junit: Optional[str] = None, github: bool = False,
                   summary: Optional[str] = None) -> bool:
    """Judge RESULTS and report it everywhere asked: JUnit, annotations (also when
    GITHUB_ACTIONS=true), a Markdown summary (also to $GITHUB_STEP_SUMMARY), the terminal."""
    rules = parse_rules(rules)
    verdict = judge_results(load_results(results), rules)
    if junit:
        write_junit(verdict, junit)
    if github or os.environ.get("GITHUB_ACTIONS") == "true":
        for line in github_annotations(verdict):
            print(line)
    summary_path = summary or os.environ.get("GITHUB_STEP_SUMMARY")
    if summary_path:
        try:
            with open(summary_path, "a", encoding="utf-8") as handle:
                handle.write(markdown_summary(verdict, rules))
        except OSError as exc:
            raise InputError(f"cannot write the summary to {summary_path}: {exc.strerror}") from None
    sys.stdout.write(verdict_text(verdict))
    return verdict.passed


def run_gate_command(args) -> int:
    """`mtcheck gate RESULTS`: exit 0 when every rule holds, 1 when one breaks, 2 on bad input."""
    passed = report_verdict(args.results, gate_rules_from_args(args), junit=args.junit,
                            github=getattr(args, "github", False), summary=getattr(args, "summary", None))
    return 0 if passed else 1
