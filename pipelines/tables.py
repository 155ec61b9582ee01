"""Writing a result table where a person or a script will read it.

Every CSV the product writes goes through :func:`write_csv`: lists and structs flattened into
cells, control characters escaped, and spreadsheet formulas neutralised. Values in these tables
come from banks, registers and list publishers, so a cell such as ``=HYPERLINK(...)`` must never
run when an analyst opens the file, and a stray NUL or escape character must not reach a
reader's terminal or spreadsheet.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Final

import polars as pl

from pipelines.errors import InputError

# A text cell starting with one of these is run as a formula by spreadsheet programs.
FORMULA_START: Final = ("=", "+", "-", "@", "\t", "\r")
# Control characters (C0, DEL and C1) except tab, line feed and carriage return, which are
# ordinary whitespace inside a quoted CSV cell.
CONTROL: Final = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def escape_controls(value: str) -> str:
    """``value`` with each control character written as ``\\xNN``: visible, and harmless."""
    return CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", value)


def flat(frame: pl.DataFrame) -> pl.DataFrame:
    """Lists joined with '; ' and structs as JSON, so that every column fits a CSV cell."""
    return frame.with_columns(
        pl.col(c).cast(pl.List(pl.String)).list.join("; ") if isinstance(t, pl.List) else pl.col(c).struct.json_encode()
        for c, t in frame.schema.items()
        if isinstance(t, (pl.List, pl.Struct))
    )


def neutralise_formulas(frame: pl.DataFrame) -> pl.DataFrame:
    """Prefix text cells that a spreadsheet would run as a formula with an apostrophe."""
    return frame.with_columns(
        pl.when(pl.any_horizontal([pl.col(c).str.starts_with(s) for s in FORMULA_START]))
        .then(pl.lit("'") + pl.col(c))
        .otherwise(pl.col(c))
        .alias(c)
        for c, dtype in frame.schema.items()
        if dtype == pl.String
    )


def escape_control_characters(frame: pl.DataFrame) -> pl.DataFrame:
    """Text columns with control characters escaped (see :func:`escape_controls`); columns
    without any are left as they are."""
    text = [c for c, t in frame.schema.items() if t == pl.String]
    if not text:
        return frame
    found = frame.select(pl.col(c).str.contains(CONTROL.pattern).any() for c in text).row(0)
    dirty = [c for c, hit in zip(text, found, strict=True) if hit]
    return frame.with_columns(
        pl.col(c).map_elements(escape_controls, return_dtype=pl.String) for c in dirty
    )


def csv_cells(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` as it is written to CSV: flat, control characters escaped, formulas neutralised."""
    return neutralise_formulas(escape_control_characters(flat(frame)))


def write_csv(frame: pl.DataFrame, path: Path) -> Path:
    """The one CSV writer: :func:`csv_cells`, then UTF-8 CSV with a header line."""
    path.parent.mkdir(parents=True, exist_ok=True)
    csv_cells(frame).write_csv(path)
    return path


def write_table(frame: pl.DataFrame, path: Path) -> Path:
    """CSV (through :func:`write_csv`) or Parquet by the file's extension."""
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        path.parent.mkdir(parents=True, exist_ok=True)
        frame.write_parquet(path)
        return path
    if suffix == ".csv":
        return write_csv(frame, path)
    raise InputError(path, f"unsupported output extension {suffix!r}: use .csv or .parquet")
