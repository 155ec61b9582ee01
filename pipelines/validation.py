"""Data-quality gates: run a dataset's Great Expectations suite over an extract and split it into
clean rows and quarantined rows.

- Row-level rules (``meta.level == "row"``): every failing row goes to quarantine with its
  original values, ``_row``, the failed rules and a reason a person can read.
- Dataset-level rules (missing columns, a row count that dropped 90 % or more against the previous
  night, most rows failing one rule) refuse the whole extract with :class:`DatasetRejected`, a
  :class:`pipelines.errors.ValidationFailed` naming the file, the column and example values.

``rows_in == rows_loaded + rows_quarantined`` holds for every result.

The suites live in ``expectations/``; values are checked on a normalised view of the extract
(strings stripped, empty strings as null, derived typed columns such as parsed dates) handed to
Great Expectations as a pandas batch in an ephemeral context.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import os
import uuid
from dataclasses import dataclass, field
from typing import Any, Final

import polars as pl

from expectations import DatasetSpec, SuiteContext, spec
from pipelines.datadocs import render_data_docs as render_data_docs  # the published pages
from pipelines.errors import ValidationFailed
from screening.model import PARTY_SCHEMA, conform

log = logging.getLogger(__name__)

ROW: Final = "_row"
PROBLEM: Final = "_problem"
_POS: Final = "__pos"
_INTERNAL: Final = (ROW, PROBLEM)
# A row rule failing on more than this share of rows refuses the extract (a systematic format
# problem, not bad rows), once at least _MIN_SYSTEMATIC rows fail.
DEFAULT_MAX_REJECTED_SHARE: Final = 0.5
_MIN_SYSTEMATIC: Final = 10
_EXAMPLES: Final = 3
# Lists in Great Expectations results that grow with the data; dropped from the stored JSON.
_BULKY: Final = ("unexpected_list", "unexpected_index_list", "unexpected_index_query", "unexpected_rows")

QUARANTINE_EXTRA: Final = ("rule", "reason")
# Above this many rows the suite runs column by column (see _run_suite).
_SPLIT_ROWS: Final = 50_000


@dataclass(frozen=True)
class ValidationResult:
    """The outcome of validating one extract.

    ``clean`` has the input's columns; ``quarantine`` has them plus ``rule`` (the failed rules,
    ``;``-separated) and ``reason``; ``summary`` counts rows in, loaded, quarantined and per rule;
    ``gx_results`` is the Great Expectations validation result as JSON.
    """

    clean: pl.DataFrame
    quarantine: pl.DataFrame
    summary: dict[str, Any]
    gx_results: dict[str, Any] = field(default_factory=dict)


class DatasetRejected(ValidationFailed):
    """A dataset-level rule failed: the extract must not be screened."""

    def __init__(self, source: str, failures: list[str], gx_results: dict[str, Any] | None = None) -> None:
        self.source = source
        self.failures = failures
        self.gx_results = gx_results or {}
        super().__init__(f"{source}: " + "; ".join(failures))


def validate(
    frame: pl.DataFrame,
    kind: str,
    *,
    source: str,
    previous_rows: int | None = None,
    today: dt.date | None = None,
    max_rejected_share: float | None = DEFAULT_MAX_REJECTED_SHARE,
    column_batches: bool | None = None,
) -> ValidationResult:
    """Validate ``frame`` (as read by ``read_extract``) against the suite of dataset ``kind``.

    ``source`` names the file in messages; ``previous_rows`` is the same bank's row count of the
    previous night (a drop of 90 % or more refuses the extract); ``max_rejected_share`` refuses an
    extract where one row rule fails on more than that share of rows (None: never).
    ``column_batches`` runs the suite column by column (see ``_run_suite``; default: above
    50,000 rows) — the same results, faster on large extracts.
    Raises :class:`DatasetRejected` on a dataset-level failure.
    """
    dataset = spec(kind)
    frame = _with_internal_columns(frame)
    columns = [c for c in frame.columns if c not in _INTERNAL]
    missing = [c for c in dataset.required if c not in frame.columns]
    if missing:
        raise DatasetRejected(source, [_missing_columns(missing, columns)])

    ctx = SuiteContext(today=(today or dt.date.today()).isoformat(), previous_rows=previous_rows)
    view = _checked_view(frame, dataset, ctx)
    split = view.height > _SPLIT_ROWS if column_batches is None else column_batches
    gx_result = _run_suite(view, dataset, ctx, split=split)

    failures: list[pl.DataFrame] = []
    dataset_failures: list[str] = []
    rule_counts: dict[str, int] = {}
    rule_columns: dict[str, str | None] = {}
    for item in gx_result["results"]:
        meta = item["expectation_config"].get("meta") or {}
        rule = meta.get("rule", item["expectation_config"]["type"])
        if item.get("exception_info", {}).get("raised_exception"):
            message = item["exception_info"].get("exception_message")
            dataset_failures.append(f"rule {rule} could not be evaluated ({message})")
            continue
        if meta.get("level") == "row":
            positions = item["result"].get("unexpected_index_list") or []
            rule_counts[rule] = len(positions)
            rule_columns[rule] = meta.get("column")
            if positions:
                failures.append(_failure_rows(frame, positions, rule, meta))
        elif not item["success"]:
            dataset_failures.append(_dataset_message(rule, meta, item["result"]))
    stored = _slim(gx_result)
    if dataset_failures:
        raise DatasetRejected(source, dataset_failures, stored)

    failed = _combine(failures)
    rows_in = frame.height
    if max_rejected_share is not None:
        systematic = _systematic_failures(frame, failures, rule_counts, rule_columns, rows_in, max_rejected_share)
        if systematic:
            raise DatasetRejected(source, systematic, stored)

    positions = pl.int_range(0, frame.height, dtype=pl.UInt32, eager=True).alias(_POS)
    indexed = frame.with_columns(positions)
    clean = indexed.join(failed.select(_POS), on=_POS, how="anti").drop(_POS)
    quarantine = (
        indexed.join(failed, on=_POS, how="inner").sort(_POS).drop(_POS)
        if failed.height
        else frame.clear().with_columns(pl.lit(None, pl.String).alias(c) for c in QUARANTINE_EXTRA)
    )
    summary: dict[str, Any] = {
        "source": source,
        "kind": kind,
        "rows_in": rows_in,
        "rows_loaded": clean.height,
        "rows_quarantined": quarantine.height,
        "previous_rows": previous_rows,
        "rules": {rule: count for rule, count in rule_counts.items() if count},
        "rules_checked": len(gx_result["results"]),
        "success": quarantine.height == 0,
    }
    if rows_in != clean.height + quarantine.height:  # pragma: no cover
        raise AssertionError(f"{source}: rows do not reconcile: {summary}")
    log.info(
        "validated %s (%s): %d rows in, %d loaded, %d quarantined",
        source,
        kind,
        rows_in,
        clean.height,
        quarantine.height,
    )
    return ValidationResult(clean=clean, quarantine=quarantine, summary=summary, gx_results=stored)


def validate_parties(frame: pl.DataFrame, *, source: str, today: dt.date | None = None) -> ValidationResult:
    """The party gate of ad-hoc screening: ``frame`` has the PARTY_SCHEMA columns (record_id,
    name and entity_type required). Rows failing a rule are quarantined, never the whole file
    unless a required column is missing."""
    return validate(frame, "parties", source=source, today=today, max_rejected_share=None)


# -- parties ----------------------------------------------------------------------------------

_GENDERS: Final = {"M": "male", "F": "female"}


def to_parties(clean: pl.DataFrame, kind: str) -> pl.DataFrame:
    """Map validated rows of ``kind`` (customers, payments or parties) to PARTY_SCHEMA.

    Customers give ``customer:<id>``; payments give two parties each,
    ``payment:<id>:ordering`` and ``payment:<id>:beneficiary`` (entity type unknown).
    """
    if kind == "parties":
        parties = conform(clean, PARTY_SCHEMA).with_columns(
            pl.col("entity_type").str.strip_chars().str.to_lowercase(),
            pl.col("gender").str.strip_chars().str.to_lowercase(),
            pl.col("country").str.strip_chars().str.to_uppercase(),
        )
        return parties
    if kind == "customers":
        frame = _present(clean, ("full_name", "given_name", "family_name", "customer_type", "date_of_birth"))
        frame = _present(frame, ("nationality", "country", "id_number", "gender"))
        name = _strip("full_name")
        parts = pl.concat_str([_strip("given_name"), _strip("family_name")], separator=" ", ignore_nulls=True)
        entity = _strip("customer_type").str.to_lowercase()
        parties = frame.select(
            pl.concat_str([pl.lit("customer:"), _strip("customer_id")]).alias("record_id"),
            _one_line(pl.coalesce(name, pl.when(parts.str.len_chars() > 0).then(parts))).alias("name"),
            pl.when(entity.is_in(["person", "organization"]))
            .then(entity)
            .when(entity == "organisation")
            .then(pl.lit("organization"))
            .otherwise(pl.lit("unknown"))
            .alias("entity_type"),
            _strip("date_of_birth").alias("dob"),
            pl.coalesce(_strip("nationality"), _strip("country")).str.to_uppercase().alias("country"),
            _strip("id_number").alias("id_number"),
            _strip("gender").str.to_uppercase().replace_strict(_GENDERS, default=None).alias("gender"),
        )
        return conform(parties, PARTY_SCHEMA)
    if kind == "payments":
        frame = _present(clean, ("ordering_country", "beneficiary_country"))
        sides = []
        for order, side in enumerate(("ordering", "beneficiary")):
            sides.append(
                frame.select(
                    pl.concat_str([pl.lit("payment:"), _strip("payment_id"), pl.lit(f":{side}")]).alias("record_id"),
                    _one_line(_strip(f"{side}_name")).alias("name"),
                    pl.lit("unknown").alias("entity_type"),
                    _strip(f"{side}_country").str.to_uppercase().alias("country"),
                    pl.int_range(pl.len(), dtype=pl.Int64).alias("__order"),
                    pl.lit(order).alias("__side"),
                )
            )
        parties = pl.concat(sides).sort("__order", "__side")
        return conform(parties, PARTY_SCHEMA)
    raise ValueError(f"cannot map {kind!r} rows to parties (known: customers, payments, parties)")


def _present(frame: pl.DataFrame, columns: tuple[str, ...]) -> pl.DataFrame:
    absent = [c for c in columns if c not in frame.columns]
    return frame.with_columns(pl.lit(None, pl.String).alias(c) for c in absent) if absent else frame


def _one_line(name: pl.Expr) -> pl.Expr:
    """Line breaks and runs of spaces inside a name become one space."""
    return name.str.replace_all(r"\s+", " ")


def _strip(column: str) -> pl.Expr:
    value = pl.col(column).cast(pl.String).str.strip_chars()
    return pl.when(value.str.len_chars() > 0).then(value)


# -- the checked view and the suite run -------------------------------------------------------


def _with_internal_columns(frame: pl.DataFrame) -> pl.DataFrame:
    if ROW not in frame.columns:
        frame = frame.with_columns(pl.int_range(1, pl.len() + 1, dtype=pl.Int64).alias(ROW))
    if PROBLEM not in frame.columns:
        frame = frame.with_columns(pl.lit(None, pl.String).alias(PROBLEM))
    return frame


def _checked_view(frame: pl.DataFrame, dataset: DatasetSpec, ctx: SuiteContext) -> pl.DataFrame:
    """The values the rules see: the dataset's columns as stripped strings, empty as null
    (absent optional columns as all-null), ``_problem``, and the derived columns."""
    exprs = []
    for name in dataset.columns:
        if name in frame.columns:
            value = _text(name, frame.schema[name]).str.strip_chars()
            exprs.append(pl.when(value.str.len_chars() > 0).then(value).alias(name))
        else:
            exprs.append(pl.lit(None, pl.String).alias(name))
    view = frame.select(*exprs, pl.col(PROBLEM).cast(pl.String))
    derived = dataset.derived_columns(ctx)
    return view.with_columns(expr.alias(name) for name, expr in derived.items()) if derived else view


def _text(name: str, dtype: pl.DataType) -> pl.Expr:
    """A column as text: lists joined with ";", structs as JSON, anything else cast."""
    col = pl.col(name)
    if isinstance(dtype, pl.List | pl.Array):
        return col.cast(pl.List(pl.String)).list.join(";")
    if isinstance(dtype, pl.Struct):
        return col.struct.json_encode()
    return col.cast(pl.String)


@functools.cache
def _context() -> Any:
    """One ephemeral Great Expectations context per process, progress bars off."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    # Its INFO messages describe its own start-up, not the data; keep warnings and errors.
    logging.getLogger("great_expectations").setLevel(logging.WARNING)
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    context.data_sources.add_pandas("interdict")
    return context


def _batch_definition(kind: str) -> Any:
    source = _context().data_sources.get("interdict")
    try:
        asset = source.get_asset(kind)
    except LookupError:
        asset = source.add_dataframe_asset(kind)
    try:
        return asset.get_batch_definition("whole")
    except (LookupError, KeyError):
        return asset.add_batch_definition_whole_dataframe("whole")


def _run_suite(view: pl.DataFrame, dataset: DatasetSpec, ctx: SuiteContext, *, split: bool) -> dict[str, Any]:
    """Validate ``view`` with the dataset's suite; the result as JSON.

    Great Expectations filters the whole batch for every column rule, which costs most of the
    time on wide, long frames; with ``split`` the suite therefore runs as one
    sub-suite per column, each on a one-column batch, and the results are merged in suite order.
    """
    context = _context()  # before building: a suite needs an active context
    expectations = dataset.expectations(ctx)
    groups: dict[str | None, list[Any]] = {}
    for order, expectation in enumerate(expectations):
        expectation.meta = {**(expectation.meta or {}), "order": order}
        column = getattr(expectation, "column", None) if split else None
        groups.setdefault(column, []).append(expectation)
    results: list[dict[str, Any]] = []
    statistics: dict[str, Any] = {}
    for column, members in groups.items():
        batch_frame = view if column is None else view.select(column)
        part = _validate_batch(context, dataset.kind, batch_frame, members)
        results.extend(part["results"])
        statistics = part.get("statistics", statistics)
    results.sort(key=lambda item: item["expectation_config"]["meta"]["order"])
    evaluated = len(results)
    successful = sum(1 for item in results if item["success"])
    statistics = {
        **statistics,
        "evaluated_expectations": evaluated,
        "successful_expectations": successful,
        "unsuccessful_expectations": evaluated - successful,
        "success_percent": 100.0 * successful / evaluated if evaluated else None,
    }
    return {
        "success": successful == evaluated,
        "results": results,
        "statistics": statistics,
        "suite_name": dataset.kind,
        "meta": {"suite": dataset.kind, "rows": view.height, "batches": len(groups)},
    }


def _validate_batch(context: Any, kind: str, frame: pl.DataFrame, expectations: list[Any]) -> dict[str, Any]:
    from great_expectations.core.expectation_suite import ExpectationSuite

    suite = context.suites.add(ExpectationSuite(name=f"{kind}-{uuid.uuid4().hex[:12]}", expectations=expectations))
    try:
        batch = _batch_definition(kind).get_batch(batch_parameters={"dataframe": frame.to_pandas()})
        result = batch.validate(suite, result_format="COMPLETE")
    finally:
        context.suites.delete(suite.name)
    data: dict[str, Any] = result.to_json_dict()
    return data


# -- turning results into rows and messages ---------------------------------------------------


def _failure_rows(frame: pl.DataFrame, positions: list[int], rule: str, meta: dict[str, Any]) -> pl.DataFrame:
    idx = pl.Series(_POS, positions, dtype=pl.UInt32)
    column = meta.get("column")
    reason = meta.get("reason", rule)
    if column == PROBLEM:
        reasons = frame[PROBLEM].gather(idx).fill_null(reason)
    elif column in frame.columns:
        values = frame.select(_text(column, frame.schema[column]))[column].gather(idx)
        reasons = pl.Series(
            [reason if v is None else f"{reason}: {_show(v)}" for v in values.to_list()], dtype=pl.String
        )
    else:
        reasons = pl.Series([reason] * len(positions), dtype=pl.String)
    return pl.DataFrame({_POS: idx, "rule": pl.Series([rule] * len(positions), dtype=pl.String), "reason": reasons})


def _show(value: str) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:59] + "…"


def _combine(failures: list[pl.DataFrame]) -> pl.DataFrame:
    if not failures:
        return pl.DataFrame(schema={_POS: pl.UInt32, "rule": pl.String, "reason": pl.String})
    return (
        pl.concat(failures)
        .group_by(_POS, maintain_order=True)
        .agg(pl.col("rule").unique(maintain_order=True).str.join(";"), pl.col("reason").str.join("; "))
    )


def _systematic_failures(
    frame: pl.DataFrame,
    failures: list[pl.DataFrame],
    counts: dict[str, int],
    columns: dict[str, str | None],
    rows_in: int,
    share: float,
) -> list[str]:
    messages = []
    for failed in failures:
        rule = failed["rule"][0]
        count = counts[rule]
        if count >= _MIN_SYSTEMATIC and count > share * rows_in:
            examples = "; ".join(failed["reason"].head(_EXAMPLES).to_list())
            rows = ", ".join(str(r) for r in frame[ROW].gather(failed[_POS].head(_EXAMPLES)).to_list())
            messages.append(
                f"rule {rule}{_in_column(columns.get(rule))} fails on {count} of {rows_in} rows "
                f"({count / rows_in:.0%}), "
                f"a systematic problem, e.g. rows {rows}: {examples}"
            )
    return messages


def _in_column(column: str | None) -> str:
    return f" (column {column!r})" if column and column != PROBLEM else ""


def _missing_columns(missing: list[str], found: list[str]) -> str:
    noun = "column" if len(missing) == 1 else "columns"
    return f"missing required {noun} {', '.join(repr(m) for m in missing)} (found: {', '.join(found) or 'none'})"


def _dataset_message(rule: str, meta: dict[str, Any], result: dict[str, Any]) -> str:
    observed = result.get("observed_value")
    if rule == "row_count":
        return f"{meta.get('reason', rule)} (this extract: {observed} rows)"
    if rule == "required_columns":
        details = result.get("details", {}).get("mismatched", {})
        missing = details.get("missing") or []
        return f"missing required columns {missing} (found: {observed})"
    examples = result.get("partial_unexpected_list", [])[:_EXAMPLES]
    column = meta.get("column")
    where = f" in column {column!r}" if column else ""
    return f"{meta.get('reason', rule)}{where} (observed: {observed}; examples: {examples})"


def _slim(result: dict[str, Any]) -> dict[str, Any]:
    """The result without the lists that grow with the data (kept: counts and partial lists)."""
    slim = dict(result)
    slim["results"] = [
        {**item, "result": {k: v for k, v in (item.get("result") or {}).items() if k not in _BULKY}}
        for item in result["results"]
    ]
    return slim


# -- what limits screening quality ------------------------------------------------------------

_SCRIPTS: Final = ("Cyrillic", "Arabic", "Han", "Greek", "Hebrew", "Devanagari", "Hangul", "Thai", "Georgian",
                   "Armenian", "Hiragana", "Katakana")  # fmt: skip


def quality_summary(frame: pl.DataFrame) -> dict[str, Any]:
    """What in a set of parties limits screening quality: shares of persons with a date of birth
    and with a nationality, of names in a non-Latin script (and which scripts), and of rows whose
    name fields look swapped.

    ``frame`` is either parties (PARTY_SCHEMA: name, entity_type, dob, country) or a customer
    extract (full_name, customer_type, date_of_birth, nationality, given_name, family_name); the
    swapped-name check needs given_name and family_name, else it counts "Family, Given" names.
    """
    name = _first_column(frame, "name", "full_name")
    kind = _first_column(frame, "entity_type", "customer_type")
    dob = _first_column(frame, "dob", "date_of_birth")
    country = _first_column(frame, "nationality", "country")
    rows = frame.height
    view = frame.select(
        (_text(name, frame.schema[name]) if name else pl.lit(None, pl.String)).str.strip_chars().alias("name"),
        (pl.col(kind).cast(pl.String).str.strip_chars().str.to_lowercase() if kind else pl.lit("unknown")).alias(
            "kind"
        ),
        (
            pl.col(dob).cast(pl.String).str.strip_chars().str.len_chars().fill_null(0) > 0 if dob else pl.lit(False)
        ).alias("dob"),
        (
            pl.col(country).cast(pl.String).str.strip_chars().str.len_chars().fill_null(0) > 0
            if country
            else pl.lit(False)
        ).alias("country"),
        _swapped(frame).alias("swapped"),
    )
    persons = view.filter(pl.col("kind") == "person")
    letters = pl.col("name").str.contains(r"[\p{L}&&\P{Latin}]").fill_null(False)
    scripts = view.select(
        pl.col("name").str.contains(rf"\p{{{script}}}").fill_null(False).sum().alias(script) for script in _SCRIPTS
    ).row(0, named=True)
    non_latin = int(view.select(letters.sum()).item())
    swapped = int(view["swapped"].sum())

    def share(count: int, total: int) -> float | None:
        return round(count / total, 4) if total else None

    return {
        "rows": rows,
        "entity_types": dict(sorted(view.group_by("kind").len().iter_rows())),
        "persons": persons.height,
        "persons_with_dob": int(persons["dob"].sum()),
        "share_persons_with_dob": share(int(persons["dob"].sum()), persons.height),
        "persons_with_nationality": int(persons["country"].sum()),
        "share_persons_with_nationality": share(int(persons["country"].sum()), persons.height),
        "non_latin_names": non_latin,
        "share_non_latin_names": share(non_latin, rows),
        "scripts": {script: int(count) for script, count in scripts.items() if count},
        "swapped_looking_names": swapped,
        "share_swapped_looking_names": share(swapped, rows),
        "swapped_check": "given/family fields" if {"given_name", "family_name"} <= set(frame.columns) else "comma",
    }


def _first_column(frame: pl.DataFrame, *names: str) -> str | None:
    return next((n for n in names if n in frame.columns), None)


def _swapped(frame: pl.DataFrame) -> pl.Expr:
    """Name fields that look swapped.

    With given_name and family_name: the full name reads "family given" (when the two differ), or
    given_name is written in capitals — the surname convention — while family_name is not.
    Without them: a name in the form "Family, Given"."""

    def norm(expr: pl.Expr) -> pl.Expr:
        return expr.cast(pl.String).str.strip_chars().str.to_lowercase().str.replace_all(r"\s+", " ")

    if {"given_name", "family_name"} <= set(frame.columns):
        given, family = pl.col("given_name").cast(pl.String).str.strip_chars(), pl.col("family_name").cast(pl.String)
        family = family.str.strip_chars()
        full = norm(pl.col("full_name")) if "full_name" in frame.columns else pl.lit(None, pl.String)
        reversed_order = (full == pl.concat_str([norm(family), norm(given)], separator=" ")) & (
            norm(given) != norm(family)
        )
        capital_given = (
            (given.str.len_chars() > 1)
            & (given == given.str.to_uppercase())
            & (given != given.str.to_lowercase())
            & (family != family.str.to_uppercase())
        )
        return (reversed_order | capital_given).fill_null(False)
    if "name" in frame.columns:
        return pl.col("name").cast(pl.String).str.contains(r"^[^,]+,\s*[^,]+$").fill_null(False)
    return pl.lit(False)
