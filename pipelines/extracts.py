"""Read bank and register extracts into all-string polars frames, robustly.

``read_extract`` accepts CSV (any common delimiter, quoted newlines, CRLF, spreadsheet-export
quirks), Parquet (any column types) and JSON (an array or JSON lines, such as the Companies
House PSC snapshot). It returns one row per record with every column as a string, plus:

- ``_row``: where the record starts in the file — the 1-based line number for CSV and JSON lines,
  the 1-based record number for Parquet and JSON arrays;
- ``_problem``: null, or why the record could not be read cleanly (wrong number of fields, NUL
  bytes, malformed quoting, bytes not valid in the file's encoding). Validation quarantines
  such rows with that reason, so no record is ever dropped silently.

A file that cannot be used at all raises :class:`pipelines.errors.InputError` naming the file and
the problem. Blank lines are not records and are skipped.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import gzip
import io
import json
import logging
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

import polars as pl

from expectations import spec
from pipelines.errors import InputError

log = logging.getLogger(__name__)

ROW: Final = "_row"
PROBLEM: Final = "_problem"

DELIMITERS: Final = (",", ";", "\t", "|")
# Python's csv module refuses fields above a limit; long fields are a row-level matter
# (validation's length rules), not a reason to refuse the file.
_FIELD_LIMIT: Final = 2**31 - 1
_MAX_SHOWN: Final = 120

_BOMS: Final = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")


def read_extract(path: Path, kind: str, *, encoding: str | None = None, delimiter: str | None = None) -> pl.DataFrame:
    """Read ``path`` as an extract of dataset ``kind`` (customers, payments, parties, companies,
    officers, psc, ...): all-string columns plus ``_row`` and ``_problem``.

    ``encoding`` and ``delimiter`` override detection (a bank's configured values).
    Raises ``InputError`` for a file that cannot be read at all or lacks a required column.
    """
    path = Path(path)
    dataset = spec(kind)
    data = _read_bytes(path)
    sample = ""
    if data[:4] == b"PAR1":
        frame = _read_parquet(path, data)
    else:
        text, replaced = _decode(path, data, encoding)
        sample = text[:65536]
        if text.lstrip()[:1] in ("[", "{"):
            frame = _read_json(path, text)
        else:
            try:
                frame = _read_csv(path, text, delimiter)
            except InputError:
                _refuse_binary(path, sample)  # the clearer message when it is not text at all
                raise
        if replaced:
            frame = _flag_replacement_chars(frame, encoding or "utf-8")
    frame = _canonical_columns(path, frame, dataset.columns)
    missing = [c for c in dataset.required if c not in frame.columns]
    if missing:
        _refuse_binary(path, sample)
        found = [c for c in frame.columns if c not in (ROW, PROBLEM)]
        raise InputError(path, _missing_message(missing, found))
    log.info("read %s: %d records, %d columns", path, frame.height, frame.width - 2)
    return frame


# -- bytes and text ---------------------------------------------------------------------------


def _read_bytes(path: Path) -> bytes:
    if not path.exists():
        raise InputError(path, "file not found")
    if not path.is_file():
        raise InputError(path, "not a file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot read the file: {exc.strerror or exc}") from exc
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise InputError(path, f"damaged gzip file: {exc}") from exc
    if not data or (len(data) < 65536 and not data.strip()):
        raise InputError(path, "the file is empty")
    if data[:4] == b"PK\x03\x04" or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise InputError(
            path, "not a CSV or Parquet file: it looks like a spreadsheet workbook or ZIP archive; export it as CSV"
        )
    return data


def detect_encoding(data: bytes) -> str:
    """The encoding of ``data``: from its byte-order mark, UTF-16 without one (NUL pattern),
    else UTF-8 if it decodes, else Windows-1252, else Latin-1."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    sample = data[:4096]
    if sample.count(0) > len(sample) // 4:
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        if odd > even * 4:
            return "utf-16-le"
        if even > odd * 4:
            return "utf-16-be"
        return "binary"
    if _valid_utf8(data) or _mostly_utf8(data):
        return "utf-8"
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return "latin-1"
    return "cp1252"


def _valid_utf8(data: bytes) -> bool:
    if data.isascii():
        return True
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _mostly_utf8(data: bytes) -> bool:
    """True when the non-ASCII bytes are mostly well-formed UTF-8 sequences: a UTF-8 file with a
    few bad bytes, not a single-byte encoding."""
    valid = len(re.findall(rb"[\xc2-\xf4][\x80-\xbf]+", data))
    high = len(re.findall(rb"[\x80-\xff]", data))
    return valid > 0 and valid * 2 >= high - valid * 2


def _decode(path: Path, data: bytes, encoding: str | None) -> tuple[str, bool]:
    """The text of ``data`` and whether undecodable bytes were replaced (U+FFFD)."""
    if encoding is None and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and 0 not in data[:4096]:
        try:  # the common case, decoded once
            return data.decode("utf-8").removeprefix("\ufeff"), False
        except UnicodeDecodeError:
            pass
    name = encoding or detect_encoding(data)
    if name == "binary":
        raise InputError(path, "not a CSV or Parquet file: binary content")
    try:
        text = data.decode(name)
    except LookupError as exc:
        raise InputError(path, f"unknown encoding {name!r}") from exc
    except UnicodeDecodeError as exc:
        if encoding is None and name == "utf-8":
            text = data.decode("utf-8", errors="replace")
            return text.removeprefix("\ufeff"), True
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(path, f"line {line}: bytes {data[exc.start : exc.end + 3]!r} are not valid {name}") from exc
    return text.removeprefix("\ufeff"), False


def _refuse_binary(path: Path, sample: str) -> None:
    """Binary content gets its own message; called once the text has failed to read as an extract
    (a real extract with NUL bytes in a few fields is read, and those rows are quarantined)."""
    controls = len(_CONTROL.findall(sample))
    if controls > max(8, len(sample) // 20):
        raise InputError(path, "not a CSV or Parquet file: binary content")


def _flag_replacement_chars(frame: pl.DataFrame, encoding: str) -> pl.DataFrame:
    columns = [c for c in frame.columns if c not in (ROW, PROBLEM)]
    if not columns:
        return frame
    bad = pl.any_horizontal([pl.col(c).str.contains("\ufffd", literal=True).fill_null(False) for c in columns])
    message = pl.format("line {}: bytes that are not valid {}", pl.col(ROW), pl.lit(encoding))
    combined = (
        pl.when(pl.col(PROBLEM).is_null()).then(message).otherwise(pl.concat_str(PROBLEM, message, separator="; "))
    )
    return frame.with_columns(pl.when(bad).then(combined).otherwise(pl.col(PROBLEM)).alias(PROBLEM))


# -- CSV --------------------------------------------------------------------------------------


def detect_delimiter(header_line: str) -> str:
    """The candidate delimiter occurring most often in the header line (comma if none does)."""
    counts = {d: _count_outside_quotes(header_line, d) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


def _count_outside_quotes(line: str, char: str) -> int:
    count, quoted = 0, False
    for c in line:
        if c == '"':
            quoted = not quoted
        elif c == char and not quoted:
            count += 1
    return count


def _read_csv(path: Path, text: str, delimiter: str | None) -> pl.DataFrame:
    """Split into physical lines, group them into records by quote parity (a record continues
    while a quoted field is open), split quote-free one-line records column-wise in polars and
    parse the others with the csv module. ``_row`` is the line a record starts on."""
    if "\n" not in text and "\r" in text:  # classic Mac line ends
        text = text.replace("\r", "\n")
    lines = pl.DataFrame({"text": [text]}).select(pl.col("text").str.split("\n")).explode("text")
    del text
    lines = lines.with_row_index("line", offset=1).with_columns(pl.col("line").cast(pl.Int64))
    quotes = pl.col("text").str.count_matches('"', literal=True)
    open_after = ((quotes % 2).cum_sum() % 2) == 1  # a quoted field is open at the end of this line
    starts = ~pl.col("open_after").shift(1, fill_value=False)  # the line begins a record
    lines = (
        lines.with_columns(quotes.alias("quotes"), open_after.alias("open_after"))
        .with_columns(starts.alias("starts"))
        .with_columns(
            pl.col("starts").cum_sum().alias("record"),
            # a one-line record: it starts here and the next line starts another
            pl.when(pl.col("starts") & pl.col("starts").shift(-1, fill_value=True)).then(1).otherwise(2).alias("span"),
        )
    )
    if lines["open_after"][-1]:
        start = lines.filter(pl.col("record") == lines["record"][-1])["line"][0]
        raise InputError(path, f"line {start}: unterminated quoted field (it runs to the end of the file)")
    blank = pl.col("text").str.strip_chars().str.len_bytes() == 0
    content = lines.filter(~(blank & (pl.col("span") == 1)))
    if content.is_empty():
        raise InputError(path, "the file has no header row")

    first_record = content["record"][0]
    first_text = "\n".join(content.filter(pl.col("record") == first_record)["text"].to_list())
    if first_text.strip().lower().startswith("sep=") and len(first_text.strip()) == 5:
        delimiter = delimiter or first_text.strip()[4]
        content = content.filter(pl.col("record") != first_record)
        if content.is_empty():
            raise InputError(path, "the file has no header row")
        first_record = content["record"][0]
        first_text = "\n".join(content.filter(pl.col("record") == first_record)["text"].to_list())
    delimiter = delimiter or detect_delimiter(first_text.split("\n")[0])
    if len(delimiter) != 1 or delimiter in ('"', "\n", "\r"):
        raise InputError(path, f"the delimiter must be one character other than a quote or line end, got {delimiter!r}")
    header_line = content["line"][0]
    try:
        header = _header(path, _parse_record(first_text, delimiter), header_line)
    except csv.Error as exc:
        raise InputError(path, f"line {header_line}: malformed header ({exc})") from exc
    content = content.filter(pl.col("record") != first_record)

    simple_mask = (pl.col("span") == 1) & (pl.col("quotes") == 0)
    only_delimiters = pl.col("text").str.replace_all(delimiter, "", literal=True).str.strip_chars() == ""
    content = content.filter(~(simple_mask & only_delimiters))
    simple = _split_simple(content.filter(simple_mask), header, delimiter)
    complex_records = (
        content.filter(~simple_mask)
        .group_by("record", maintain_order=True)
        .agg(pl.col("line").first(), pl.col("text").str.join("\n"))
    )
    parsed = _parse_complex(complex_records, header, delimiter).filter(~_all_empty(header))
    frame = pl.concat([simple, parsed], how="vertical").sort(ROW) if parsed.height else simple
    return _tidy_strings(_drop_unnamed_empty(frame, header))


def _all_empty(header: list[str]) -> pl.Expr:
    """A record whose every field is empty or spaces, and which read cleanly: a blank row."""
    empty = [pl.col(c).fill_null("").str.strip_chars().str.len_bytes() == 0 for c in header]
    return pl.all_horizontal(empty) & pl.col(PROBLEM).is_null()


def _split_simple(lines: pl.DataFrame, header: list[str], delimiter: str) -> pl.DataFrame:
    """Quote-free one-line records, split column-wise."""
    width = len(header)
    fields = pl.col("text").str.strip_suffix("\r").str.split(delimiter)
    frame = lines.select(pl.col("line").alias(ROW), fields.alias("fields")).with_columns(
        pl.col("fields").list.len().alias("n")
    )
    frame = frame.with_columns(
        pl.when(pl.col("n") > width)
        .then(pl.col("fields").list.slice(width).list.eval(pl.element().str.strip_chars() != "").list.any())
        .otherwise(pl.col("n") < width)
        .alias("ragged"),
        pl.col("fields").list.join("").str.contains("\x00", literal=True).alias("nul"),
    )
    problems: list[str | None] = [None] * frame.height
    flagged = frame.with_row_index("i").filter(pl.col("ragged") | pl.col("nul"))
    for i, line, record, ragged in flagged.select("i", ROW, "fields", "ragged").iter_rows():
        values = list(record)
        if ragged:
            problems[i] = _fit(values, width, line)[1]
        else:
            problems[i] = _nul_problem(values[:width], header, line)
    columns = [pl.col("fields").list.get(i, null_on_oob=True).alias(name) for i, name in enumerate(header)]
    return frame.select(*columns, pl.col(ROW), pl.Series(PROBLEM, problems, dtype=pl.String))


def _parse_record(text: str, delimiter: str) -> list[str]:
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    if len(rows) != 1:
        raise csv.Error(f"the record splits into {len(rows)} rows")
    return rows[0]


def _parse_complex(records: pl.DataFrame, header: list[str], delimiter: str) -> pl.DataFrame:
    """Records with quotes or spanning lines, through the csv module one by one."""
    width = len(header)
    rows: list[list[str]] = []
    lines: list[int] = []
    problems: list[str | None] = []
    csv.field_size_limit(_FIELD_LIMIT)
    texts = records["text"].to_list()
    parsed: list[list[str] | csv.Error] = []
    try:  # all at once: each record is quote-balanced, so they parse one row each...
        parsed.extend(csv.reader(io.StringIO("\n".join(texts) + "\n", newline=""), delimiter=delimiter, strict=True))
    except csv.Error:
        parsed = []
    if len(parsed) != len(texts):  # ...unless one is malformed: then record by record
        parsed = []
        for text in texts:
            try:
                parsed.append(_parse_record(text, delimiter))
            except csv.Error as exc:
                parsed.append(exc)
    for line, text, outcome in zip(records["line"].to_list(), texts, parsed, strict=True):
        problem = None
        if isinstance(outcome, csv.Error):
            values, problem = [""] * width, f"line {line}: malformed quoting ({outcome}): {_shorten(text.rstrip())}"
        else:
            values = outcome
            if len(values) != width:
                values, problem = _fit(values, width, line)
            elif "\x00" in "".join(values):
                problem = _nul_problem(values, header, line)
        rows.append(values)
        lines.append(line)
        problems.append(problem)
    schema = dict.fromkeys(header, pl.String())
    frame = pl.DataFrame(rows, schema=schema, orient="row") if rows else pl.DataFrame(schema=schema)
    return frame.with_columns(pl.Series(ROW, lines, dtype=pl.Int64), pl.Series(PROBLEM, problems, dtype=pl.String))


def _header(path: Path, record: list[str], line: int) -> list[str]:
    names = []
    for i, raw in enumerate(record):
        name = raw.strip().strip('"').strip().removeprefix("\ufeff")
        names.append(name if name and not _special_name(name) else f"column_{i + 1}")
    while len(names) > 1 and re.fullmatch(r"column_\d+", names[-1]) and not record[len(names) - 1].strip():
        names.pop()  # trailing delimiters after the last name
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise InputError(path, f"line {line}: duplicate column {name!r} in the header")
        seen.add(name)
    for reserved in (ROW, PROBLEM):
        if reserved in seen:
            raise InputError(path, f"line {line}: the header uses the reserved column name {reserved!r}")
    return names


def _special_name(name: str) -> bool:
    """Names polars reads as a wildcard or a regex (``*``, ``^…$``): renamed ``column_<n>``."""
    return name == "*" or (name.startswith("^") and name.endswith("$"))


def _fit(record: list[str], width: int, line: int) -> tuple[list[str], str | None]:
    if len(record) > width:
        extra = record[width:]
        if all(not v.strip() for v in extra):  # trailing delimiters, as spreadsheets write them
            return record[:width], None
        return record[:width], (
            f"line {line}: {len(record)} fields, expected {width}; extra values: {_shorten(repr(extra))}"
        )
    return record + [""] * (width - len(record)), f"line {line}: {len(record)} fields, expected {width}"


def _nul_problem(record: list[str], header: Sequence[str], line: int) -> str:
    columns = [name for name, value in zip(header, record, strict=False) if "\x00" in value]
    return f"line {line}: NUL byte in {', '.join(columns)}"


def _drop_unnamed_empty(frame: pl.DataFrame, header: list[str]) -> pl.DataFrame:
    """Spreadsheet exports add unnamed columns; drop those that hold nothing."""
    drop = [
        name
        for name in header
        if re.fullmatch(r"column_\d+", name) and frame[name].str.strip_chars().str.len_chars().fill_null(0).sum() == 0
    ]
    return frame.drop(drop)


def _tidy_strings(frame: pl.DataFrame) -> pl.DataFrame:
    """Empty strings become null; a spreadsheet's ``="0123"`` (kept leading zeros) becomes ``0123``."""
    columns = [c for c in frame.columns if c not in (ROW, PROBLEM)]
    exprs = []
    for c in columns:
        col = pl.col(c)
        if frame[c].str.starts_with('="').any():
            col = col.str.replace(r'^="(.*)"$', "$1")
        exprs.append(pl.when(col.str.len_bytes() == 0).then(None).otherwise(col).alias(c))
    return frame.with_columns(exprs)


def _shorten(text: str) -> str:
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 1] + "…"


# -- JSON -------------------------------------------------------------------------------------


def _read_json(path: Path, text: str) -> pl.DataFrame:
    records: list[tuple[int, dict[str, str | None] | None, str | None]] = []
    stripped = text.lstrip()
    if stripped.startswith("["):
        try:
            items = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(path, f"line {exc.lineno}: invalid JSON ({exc.msg})") from exc
        for number, item in enumerate(items, start=1):
            records.append(_json_record(item, f"record {number}", number))
    else:
        for number, line in enumerate(io.StringIO(text), start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as exc:
                records.append((number, None, f"line {number}: invalid JSON ({exc.msg}): {_shorten(line.strip())}"))
                continue
            records.append(_json_record(item, f"line {number}", number))
    kept = [r for r in records if r[1] is None or not _is_trailer(r[1])]
    columns: dict[str, None] = {}
    for _, flat, _ in kept:
        if flat:
            columns.update(dict.fromkeys(flat))
    data: dict[str, list[Any]] = {c: [] for c in columns}
    rows: list[int] = []
    problems: list[str | None] = []
    for number, flat, problem in kept:
        for c in columns:
            data[c].append(flat.get(c) if flat else None)
        rows.append(number)
        problems.append(problem)
    if not columns and problems:
        raise InputError(path, f"no record could be read: {problems[0]}")
    schema: dict[str, pl.DataType] = {**dict.fromkeys(columns, pl.String()), ROW: pl.Int64(), PROBLEM: pl.String()}
    frame = pl.DataFrame({**data, ROW: rows, PROBLEM: problems}, schema=schema)
    return _tidy_strings(frame)


def _json_record(item: object, where: str, number: int) -> tuple[int, dict[str, str | None] | None, str | None]:
    if not isinstance(item, dict):
        return number, None, f"{where}: not a JSON object: {_shorten(json.dumps(item))}"
    flat: dict[str, str | None] = {}
    _flatten(item, "", flat)
    # The Companies House PSC snapshot wraps each record as {"company_number", "data": {...}}.
    renamed = {k.removeprefix("data."): v for k, v in flat.items()}
    return number, {(f"column_{k}" if _special_name(k) else k): v for k, v in renamed.items()}, None


def _flatten(value: object, prefix: str, out: dict[str, str | None]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _flatten(item, f"{prefix}{key}.", out)
    elif isinstance(value, list):
        if all(not isinstance(v, dict | list) for v in value):
            out[prefix[:-1]] = ";".join("" if v is None else str(v) for v in value)
        else:
            out[prefix[:-1]] = json.dumps(value, ensure_ascii=False)
    elif value is None:
        out[prefix[:-1]] = None
    elif isinstance(value, bool):
        out[prefix[:-1]] = "true" if value else "false"
    else:
        out[prefix[:-1]] = str(value)


def _is_trailer(flat: dict[str, str | None]) -> bool:
    """The snapshot's closing ``totals#...`` record describes the file, it is not a record."""
    kind = flat.get("kind") or ""
    return kind.startswith("totals#")


# -- Parquet ----------------------------------------------------------------------------------


def _read_parquet(path: Path, data: bytes) -> pl.DataFrame:
    try:
        frame = pl.read_parquet(io.BytesIO(data))
    except (pl.exceptions.PolarsError, OSError, ValueError) as exc:
        raise InputError(path, f"not a readable Parquet file: {_shorten(str(exc))}") from exc
    for reserved in (ROW, PROBLEM):
        if reserved in frame.columns:
            raise InputError(path, f"the file uses the reserved column name {reserved!r}")
    special = {name: f"column_{i + 1}" for i, name in enumerate(frame.columns) if _special_name(name)}
    frame = frame.rename(special) if special else frame
    exprs = []
    for name, dtype in frame.schema.items():
        try:
            exprs.append(_as_string(frame[name], dtype).alias(name))
        except (pl.exceptions.PolarsError, ValueError) as exc:
            raise InputError(path, f"column {name!r} of type {dtype} cannot be read as text: {exc}") from exc
    frame = frame.select(exprs) if exprs else frame
    frame = frame.with_columns(
        pl.int_range(1, frame.height + 1, dtype=pl.Int64).alias(ROW),
        pl.lit(None, dtype=pl.String).alias(PROBLEM),
    )
    return _tidy_strings(frame)


def _as_string(series: pl.Series, dtype: pl.DataType) -> pl.Expr:
    col = pl.col(series.name)
    if dtype == pl.String:
        return col
    if dtype.is_float():
        finite = series.drop_nulls().drop_nans()
        if finite.len() and (finite == finite.round(0)).all() and finite.abs().max() < 2**53:  # type: ignore[operator]
            return col.fill_nan(None).cast(pl.Int64).cast(pl.String)
        return col.fill_nan(None).cast(pl.String)
    if dtype == pl.Date:
        return col.dt.strftime("%Y-%m-%d")
    if isinstance(dtype, pl.Datetime):
        times = series.drop_nulls()
        if times.len() == 0 or (times.dt.time() == dt.time(0)).all():
            return col.dt.strftime("%Y-%m-%d")
        return col.dt.strftime("%Y-%m-%dT%H:%M:%S")
    if isinstance(dtype, pl.List | pl.Array):
        return col.cast(pl.List(pl.String)).list.join(";")
    if isinstance(dtype, pl.Struct):
        return col.struct.json_encode()
    if dtype == pl.Binary:
        return col.cast(pl.String)
    return col.cast(pl.String)


# -- columns ----------------------------------------------------------------------------------


def _key(name: str) -> str:
    return re.sub(r"[\s_.\-]+", "", name).lower()


def _canonical_columns(path: Path, frame: pl.DataFrame, expected: Sequence[str]) -> pl.DataFrame:
    """Rename columns that match an expected one but for case, spaces or underscores."""
    present = set(frame.columns)
    by_key = {_key(c): c for c in frame.columns if c not in (ROW, PROBLEM)}
    renames = {}
    for name in expected:
        if name in present:
            continue
        found = by_key.get(_key(name))
        if found is not None and found not in expected and found not in renames:
            renames[found] = name
    return frame.rename(renames) if renames else frame


def _missing_message(missing: list[str], found: list[str]) -> str:
    what = ", ".join(repr(m) for m in missing)
    noun = "column" if len(missing) == 1 else "columns"
    shown = ", ".join(found[:20]) + (", …" if len(found) > 20 else "")
    message = f"missing required {noun} {what} (found: {shown or 'no columns'})"
    if len(found) == 1 and re.search(r"[^\w .\-]", found[0]):
        message += "; is the delimiter right?"
    return message
