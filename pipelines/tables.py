"""Writing a result table where a person or a script will read it."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from pipelines.errors import InputError


def flat(frame: pl.DataFrame) -> pl.DataFrame:
    """Lists joined with '; ' and structs as JSON, so that every column fits a CSV cell."""
    return frame.with_columns(
        pl.col(c).cast(pl.List(pl.String)).list.join("; ") if isinstance(t, pl.List) else pl.col(c).struct.json_encode()
        for c, t in frame.schema.items()
        if isinstance(t, (pl.List, pl.Struct))
    )


def write_table(frame: pl.DataFrame, path: Path) -> Path:
    """CSV or Parquet by the file's extension."""
    path.parent.mkdir(parents=True, exist_ok=True)
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        frame.write_parquet(path)
    elif suffix == ".csv":
        flat(frame).write_csv(path)
    else:
        raise InputError(path, f"unsupported output extension {suffix!r}: use .csv or .parquet")
    return path
