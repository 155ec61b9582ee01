"""What a dataset suite is made of.

Each dataset module in this package defines one or more :class:`DatasetSpec`: the columns an
extract must have, the key, derived columns computed in polars before validation, and a builder
returning the Great Expectations suite. Every expectation carries ``meta``:

- ``rule``: a short stable name (``customer_id_unique``), used in quarantine and summaries;
- ``level``: ``row`` (failing rows go to quarantine) or ``dataset`` (the extract is refused);
- ``reason``: one sentence for a person, shown beside each quarantined row;
- ``column``: the input column the rule is about (for messages).

Great Expectations is imported only inside the builders: importing it takes seconds.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

import polars as pl

if TYPE_CHECKING:
    from great_expectations.core.expectation_suite import ExpectationSuite
    from great_expectations.expectations.expectation import Expectation

# A drop of this share of rows or more against the previous night refuses the extract.
MAX_ROW_DROP = 0.9

# Names longer than this are not names (pasted addresses, notes, corrupt exports).
MAX_NAME_LENGTH = 500

# The column read_extract adds when a record could not be parsed cleanly (ragged, NUL bytes...).
PROBLEM_COLUMN = "_problem"
ROW_COLUMN = "_row"

ISO_DATE = r"^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])$"
PARTIAL_DATE = r"^\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?$"
ENTITY_TYPES = ("person", "organization", "vessel", "aircraft", "unknown")
# Earliest plausible date of birth; anything parsed but impossible is mapped before it.
EARLIEST_DOB = "1900-01-01"


@dataclass(frozen=True)
class SuiteContext:
    """What a suite builder may depend on besides the data itself."""

    today: str  # ISO date of the run
    previous_rows: int | None = None


@dataclass(frozen=True)
class DatasetSpec:
    kind: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    key: tuple[str, ...] = ()
    # Columns the data is checked against, computed in polars from the normalised view
    # (strings stripped, empty strings as null). Names start with "__".
    derived: Callable[[SuiteContext], Mapping[str, pl.Expr]] = field(default=lambda ctx: {})
    rules: Callable[[SuiteContext], list[Expectation]] = field(default=lambda ctx: [])
    # Name columns: each gets a derived ``__<column>__has_letter`` for ``name_rules``.
    names: tuple[str, ...] = ()
    # The smallest acceptable extract when there is no previous night to compare with.
    min_rows: int = 1
    description: str = ""

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional

    def derived_columns(self, ctx: SuiteContext) -> dict[str, pl.Expr]:
        """Every derived column: the spec's own and one letter test per name column."""
        columns = {has_letter_column(name): pl.col(name).str.contains(r"\p{L}") for name in self.names}
        columns.update(self.derived(ctx))
        return columns

    def build_suite(self, ctx: SuiteContext) -> ExpectationSuite:
        from great_expectations.core.expectation_suite import ExpectationSuite

        suite = ExpectationSuite(name=self.kind, meta={"description": self.description})
        for expectation in self.expectations(ctx):
            suite.add_expectation(expectation)
        return suite

    def expectations(self, ctx: SuiteContext) -> list[Expectation]:
        """The suite's expectations, fresh (not yet bound to a suite), in order."""
        return self.table_rules(ctx) + self.rules(ctx)

    def table_rules(self, ctx: SuiteContext) -> list[Expectation]:
        gxe = _gxe()

        min_rows = self.min_rows
        reason = f"the extract has fewer than {min_rows} rows"
        if ctx.previous_rows:
            min_rows = max(min_rows, math.floor(round(ctx.previous_rows * (1 - MAX_ROW_DROP), 6)) + 1)
            reason = (
                f"the extract has fewer than {min_rows} rows: a drop of {MAX_ROW_DROP:.0%} or more "
                f"against the previous night's {ctx.previous_rows} rows"
            )
        return [
            gxe.ExpectTableColumnsToMatchSet(
                column_set=list(self.required),
                exact_match=False,
                meta=meta("required_columns", "dataset", "required columns are missing"),
            ),
            gxe.ExpectTableRowCountToBeBetween(
                min_value=min_rows,
                meta=meta("row_count", "dataset", reason),
            ),
            gxe.ExpectColumnValuesToBeNull(
                column=PROBLEM_COLUMN,
                meta=meta("well_formed_record", "row", "the record could not be read cleanly", PROBLEM_COLUMN),
            ),
        ]


def _gxe() -> Any:
    """The Great Expectations expectation classes, imported on first use (the import is slow)."""
    import great_expectations.expectations as gxe

    return gxe


def _expectation(made: Any) -> Expectation:
    return cast("Expectation", made)


def meta(rule: str, level: str, reason: str, column: str | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {"rule": rule, "level": level, "reason": reason}
    if column is not None:
        data["column"] = column
    return data


def not_null(column: str, rule: str, reason: str) -> Expectation:
    gxe = _gxe()

    return _expectation(gxe.ExpectColumnValuesToNotBeNull(column=column, meta=meta(rule, "row", reason, column)))


def unique(column: str, rule: str, reason: str) -> Expectation:
    gxe = _gxe()

    return _expectation(gxe.ExpectColumnValuesToBeUnique(column=column, meta=meta(rule, "row", reason, column)))


def in_set(column: str, values: tuple[str, ...], rule: str, reason: str, *, source: str | None = None) -> Expectation:
    gxe = _gxe()
    return _expectation(
        gxe.ExpectColumnValuesToBeInSet(
            column=column, value_set=list(values), meta=meta(rule, "row", reason, source or column)
        )
    )


def matches(column: str, regex: str, rule: str, reason: str) -> Expectation:
    gxe = _gxe()

    return _expectation(
        gxe.ExpectColumnValuesToMatchRegex(column=column, regex=regex, meta=meta(rule, "row", reason, column))
    )


def not_matches(column: str, regex: str, rule: str, reason: str) -> Expectation:
    gxe = _gxe()

    return _expectation(
        gxe.ExpectColumnValuesToNotMatchRegex(column=column, regex=regex, meta=meta(rule, "row", reason, column))
    )


def max_length(column: str, length: int, rule: str, reason: str) -> Expectation:
    gxe = _gxe()

    return _expectation(
        gxe.ExpectColumnValueLengthsToBeBetween(column=column, max_value=length, meta=meta(rule, "row", reason, column))
    )


def between(
    column: str,
    rule: str,
    reason: str,
    *,
    min_value: Any = None,
    max_value: Any = None,
    source: str | None = None,
    strict_min: bool = False,
) -> Expectation:
    gxe = _gxe()

    return _expectation(
        gxe.ExpectColumnValuesToBeBetween(
            column=column,
            min_value=min_value,
            max_value=max_value,
            strict_min=strict_min,
            meta=meta(rule, "row", reason, source or column),
        )
    )


def has_letter_column(column: str) -> str:
    return f"__{column}__has_letter"


def name_rules(column: str, prefix: str, *, required: bool = True) -> list[Expectation]:
    """A name is present, has a letter (of any script: not only digits and punctuation), and is
    not absurdly long. The spec must list ``column`` in ``names``."""
    rules = [
        holds(has_letter_column(column), f"{prefix}_not_numeric", f"{column} has no letters", source=column),
        max_length(
            column, MAX_NAME_LENGTH, f"{prefix}_length", f"{column} is longer than {MAX_NAME_LENGTH} characters"
        ),
    ]
    if required:
        rules.insert(0, not_null(column, f"{prefix}_present", f"{column} is empty"))
    return rules


def parsed_date(column: str, fmt: str = "%Y-%m-%d", shape: str = ISO_DATE) -> pl.Expr:
    """The column's date as the number YYYYMMDD (numbers are range-checked fast; dates are not).

    A value of the right shape that is no real date (30 February) becomes 0, so that the range
    rule refuses it; a value of the wrong shape stays null (the format rule reports it), and so
    does a missing value."""
    parsed = pl.col(column).str.to_date(fmt, strict=False)
    number = parsed.dt.year() * 10000 + parsed.dt.month().cast(pl.Int32) * 100 + parsed.dt.day().cast(pl.Int32)
    impossible = pl.col(column).str.contains(shape) & parsed.is_null()
    return pl.when(impossible).then(pl.lit(0, pl.Int64)).otherwise(number.cast(pl.Int64))


def date_number(iso: str) -> int:
    """``"1900-01-01"`` as ``19000101``, the form ``parsed_date`` compares."""
    return int(iso.replace("-", ""))


def date_rules(
    column: str,
    prefix: str,
    ctx: SuiteContext,
    *,
    earliest: str,
    latest: str | None = None,
    regex: str = ISO_DATE,
    what: str = "YYYY-MM-DD",
) -> list[Expectation]:
    """Format (regex) on the column, then a range on its parsed ``__<column>`` twin."""
    latest = latest or ctx.today
    return [
        matches(column, regex, f"{prefix}_format", f"{column} is not a date in the form {what}"),
        between(
            f"__{column}",
            f"{prefix}_plausible",
            f"{column} is not a real date, is before {earliest} or after {latest}",
            min_value=date_number(earliest),
            max_value=date_number(latest),
            source=column,
        ),
    ]


def holds(column: str, rule: str, reason: str, *, source: str) -> Expectation:
    """A derived boolean column (computed in polars) is true; ``source`` is the input column."""
    gxe = _gxe()
    return _expectation(
        gxe.ExpectColumnValuesToBeInSet(column=column, value_set=[True], meta=meta(rule, "row", reason, source))
    )
