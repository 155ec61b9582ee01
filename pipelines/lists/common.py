"""Building blocks shared by the list parsers: a row builder for the harmonised tables, country
names to ISO codes, publication dates to ranges, and the script of a name."""

from __future__ import annotations

import calendar
import csv
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import polars as pl

from pipelines.errors import ListError
from screening.model import (
    ADDRESS_SCHEMA,
    COUNTRY_SCHEMA,
    DOB_SCHEMA,
    ENTRY_SCHEMA,
    IDENTIFIER_SCHEMA,
    NAME_SCHEMA,
    PROBLEM_SCHEMA,
    Watchlist,
)

ENTITY_TYPES = frozenset({"person", "organization", "vessel", "aircraft", "unknown"})

# ---------------------------------------------------------------------------------------------
# countries


def _country_key(name: str) -> str:
    text = unicodedata.normalize("NFKD", name.casefold().replace("&", " and "))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


_NOISE = re.compile(
    r"\b(?:possibly|stateless|citizenship|citizen|nationality|national|dual|believed|origin|of origin)\b"
)


@cache
def _country_table() -> dict[str, str]:
    table: dict[str, str] = {}
    with resources.files("pipelines.lists").joinpath("countries.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            table[_country_key(row["name"])] = row["code"]
            table.setdefault(_country_key(row["code"]), row["code"])
    return table


@lru_cache(maxsize=1 << 16)
def country_code(name: str | None) -> str | None:
    """ISO 3166-1 alpha-2 code of a country as lists write it ("Korea, North", "Iran (Islamic
    Republic of)", "RU"), or ``None`` when it is not a country name."""
    if not name:
        return None
    key = _NOISE.sub(" ", _country_key(name)).strip()
    key = " ".join(key.split())
    if not key:
        return None
    table = _country_table()
    if key in table:
        return table[key]
    # "Tehran, Iran" or "Iran (Islamic Republic of)" with extra words around
    for part in reversed(re.split(r"[,;/()]", name)):
        part_key = _country_key(part)
        if len(part_key) > 2 and part_key in table:
            return table[part_key]
    return None


# ---------------------------------------------------------------------------------------------
# dates

MONTHS = {name.casefold(): i for i, name in enumerate(calendar.month_abbr) if name}
MONTHS.update({name.casefold(): i for i, name in enumerate(calendar.month_name) if name})
MONTHS["sept"] = 9

_DAY_MON_YEAR = re.compile(r"^(\d{1,2})[ -]([A-Za-z]{3,9})\.?[ -](\d{4})$")
_MON_YEAR = re.compile(r"^([A-Za-z]{3,9})\.?[ -](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:T.*)?$")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_DMY_NUM = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")
_YEAR = re.compile(r"^(\d{4})$")
_YEAR_SPAN = re.compile(r"^(.*\d{4})\s*[-–]\s*(\d{4})$")


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


@lru_cache(maxsize=1 << 16)
def date_range(text: str | None) -> tuple[date, date] | None:
    """The first and last day a published date can mean: "09 Feb 1951", "Feb 1951", "1951",
    "1951-02-09", "09/02/1951" (day first), "circa 1951" (one year either side), "1950 to 1952".
    ``None`` when the text is not a date."""
    if not text:
        return None
    value = text.strip().rstrip(".").strip()
    lowered = value.casefold()
    for suffix in ("(approximative)", "(approximately)", "(approx.)", "(circa)"):
        if lowered.endswith(suffix):
            return date_range("circa " + value[: -len(suffix)].strip())
    if m := _YEAR_SPAN.match(lowered):
        lowered = f"{m[1]} to {m[2]}"
    for sep in (" to ", " - ", " – "):
        if sep in lowered:
            left, right = lowered.split(sep, 1)
            start, end = date_range(left), date_range(right)
            if start and end and start[0] <= end[1]:
                return start[0], end[1]
            return None
    for prefix in ("circa ", "approximately ", "approx. ", "approx ", "ca. ", "c. ", "about "):
        if lowered.startswith(prefix):
            inner = date_range(value[len(prefix) :])
            if inner is None:
                return None
            return date(inner[0].year - 1, 1, 1), date(inner[1].year + 1, 12, 31)
    try:
        if m := _ISO.match(value):
            d = date(int(m[1]), int(m[2]), int(m[3]))
            return d, d
        if m := _DAY_MON_YEAR.match(value):
            month = MONTHS.get(m[2].casefold())
            if month is None:
                return None
            d = date(int(m[3]), month, int(m[1]))
            return d, d
        if m := _DMY_NUM.match(value):
            d = date(int(m[3]), int(m[2]), int(m[1]))
            return d, d
        if m := _MON_YEAR.match(value):
            month = MONTHS.get(m[1].casefold())
            if month is None:
                return None
            year = int(m[2])
            return date(year, month, 1), _month_end(year, month)
        if m := _ISO_MONTH.match(value):
            year, month = int(m[1]), int(m[2])
            return date(year, month, 1), _month_end(year, month)
        if m := _YEAR.match(value):
            year = int(m[1])
            return date(year, 1, 1), date(year, 12, 31)
    except ValueError:
        return None
    return None


def exact_date(text: str | None) -> date | None:
    """A single published day ("2012-12-31", "31/12/2012", "31 Dec 2012"), else ``None``."""
    found = date_range(text)
    if found and found[0] == found[1]:
        return found[0]
    return None


# ---------------------------------------------------------------------------------------------
# names

_SCRIPT_PREFIXES = (
    ("LATIN", "Latin"),
    ("CYRILLIC", "Cyrillic"),
    ("ARABIC", "Arabic"),
    ("CJK", "Han"),
    ("HANGUL", "Hangul"),
    ("HIRAGANA", "Japanese"),
    ("KATAKANA", "Japanese"),
    ("GREEK", "Greek"),
    ("HEBREW", "Hebrew"),
    ("GEORGIAN", "Georgian"),
    ("ARMENIAN", "Armenian"),
    ("THAI", "Thai"),
    ("DEVANAGARI", "Devanagari"),
    ("BENGALI", "Bengali"),
    ("ETHIOPIC", "Ethiopic"),
    ("MYANMAR", "Myanmar"),
    ("KHMER", "Khmer"),
    ("TAMIL", "Tamil"),
)


@cache
def _char_script(ch: str) -> str | None:
    try:
        char_name = unicodedata.name(ch)
    except ValueError:
        return None
    for prefix, script in _SCRIPT_PREFIXES:
        if char_name.startswith(prefix):
            return script
    return "Other"


def name_script(name: str) -> str | None:
    """The script most letters of ``name`` are written in (Latin, Cyrillic, Arabic, Han, ...)."""
    if name.isascii():
        return "Latin" if any(ch.isalpha() for ch in name) else None
    counts: dict[str, int] = {}
    for ch in name:
        if ch.isalpha():
            script = _char_script(ch)
            if script:
                counts[script] = counts.get(script, 0) + 1
    if not counts:
        return None
    return max(counts.items(), key=lambda kv: kv[1])[0]


def clean(value: str | None) -> str | None:
    """Collapse whitespace; empty strings and the usual null markers become ``None``."""
    if value is None:
        return None
    text = " ".join(value.split())
    if not text or text in {"-0-", "na", "n/a", "N/A", "NA"}:
        return None
    return text


def join_name(*parts: str | None) -> str | None:
    return clean(" ".join(p for p in parts if p))


NameParts = tuple[str | None, str | None, str | None]
"""Given, middle and family name of a person as a source gives them (``None`` where it does not)."""


# ---------------------------------------------------------------------------------------------
# the builder


@dataclass
class ListBuilder:
    """Collects the rows of one source's harmonised tables.

    Every row carries the entry's ``uid`` (``"<list_source>:<entry_id>"``), so every value can be
    traced back to the record it came from; problems carry the file and record location.
    """

    list_source: str
    entries: list[dict[str, Any]] = field(default_factory=list)
    names: list[tuple[Any, ...]] = field(default_factory=list)
    dobs: list[tuple[Any, ...]] = field(default_factory=list)
    countries: list[tuple[Any, ...]] = field(default_factory=list)
    identifiers: list[tuple[Any, ...]] = field(default_factory=list)
    addresses: list[tuple[Any, ...]] = field(default_factory=list)
    problems: list[tuple[Any, ...]] = field(default_factory=list)
    _name_rows: dict[tuple[str, str], int] = field(default_factory=dict)
    _entity_types: dict[str, str] = field(default_factory=dict)
    _seen: set[tuple[Any, ...]] = field(default_factory=set)

    def uid(self, entry_id: str) -> str:
        return f"{self.list_source}:{entry_id}"

    def entry(
        self,
        entry_id: str,
        *,
        entity_type: str,
        primary_name: str,
        programs: Iterable[str] = (),
        listed_on: date | None = None,
        asset_freeze: bool | None = True,
        gender: str | None = None,
        linked_refs: Iterable[str] = (),
        remarks: str | None = None,
        list_source: str | None = None,
        given_name: str | None = None,
        middle_name: str | None = None,
        family_name: str | None = None,
    ) -> str:
        """Add an entry and its primary name; name parts as in :meth:`name`."""
        source = list_source or self.list_source
        uid = f"{source}:{entry_id}"
        if entity_type not in ENTITY_TYPES:
            raise ValueError(f"unknown entity type {entity_type!r}")
        self.entries.append(
            {
                "uid": uid,
                "list_source": source,
                "entry_id": entry_id,
                "entity_type": entity_type,
                "primary_name": primary_name,
                "programs": sorted({p for p in programs if p}),
                "listed_on": listed_on,
                "asset_freeze": asset_freeze,
                "gender": gender,
                "linked_refs": sorted(set(linked_refs)),
                "remarks": remarks,
            }
        )
        self._entity_types[uid] = entity_type
        self.name(
            uid,
            primary_name,
            name_type="primary",
            given_name=given_name,
            middle_name=middle_name,
            family_name=family_name,
        )
        return uid

    def name(
        self,
        uid: str,
        name: str | None,
        *,
        strength: str = "strong",
        name_type: str = "alias",
        script: str | None = None,
        given_name: str | None = None,
        middle_name: str | None = None,
        family_name: str | None = None,
    ) -> None:
        """Add a name of an entry. ``given_name``, ``middle_name`` and ``family_name`` are the
        parts as the source gives them (``None`` when it does not); they are kept only for
        persons. A name seen before for the same entry is not added again, but gains the parts
        when it had none."""
        text = clean(name)
        if not text:
            return
        parts: NameParts = (None, None, None)
        if self._entity_types.get(uid, "person") == "person":
            parts = (clean(given_name), clean(middle_name), clean(family_name))
        key = (uid, text)
        if key in self._name_rows:
            index = self._name_rows[key]
            row = self.names[index]
            if any(parts) and not any(row[5:8]):
                self.names[index] = (*row[:5], *parts)
            return
        self._name_rows[key] = len(self.names)
        detected = name_script(text)
        if name_type == "alias" and detected not in (None, "Latin"):
            name_type = "original_script"
        self.names.append((uid, text, strength, name_type, script or detected, *parts))

    def dob(self, uid: str, raw: str | None, span: tuple[date, date] | None = None) -> bool:
        """Record a date of birth; returns False (and records nothing) when it is not a date."""
        text = clean(raw)
        if not text:
            return True
        found = span or date_range(text)
        if found is None:
            return False
        self._add(self.dobs, (uid, found[0], found[1], text))
        return True

    def country(self, uid: str, name_or_code: str | None, kind: str) -> str | None:
        code = country_code(name_or_code)
        if code:
            self._add(self.countries, (uid, code, kind))
        return code

    def identifier(self, uid: str, id_type: str, value: str | None, country: str | None = None) -> None:
        text = clean(value)
        if text:
            self._add(self.identifiers, (uid, id_type, text, country_code(country) if country else None))

    def address(
        self,
        uid: str,
        address: str | None,
        *,
        city: str | None = None,
        country: str | None = None,
        kind: str = "address",
    ) -> None:
        full, town = clean(address), clean(city)
        code = country_code(country) if country else None
        if not (full or town or code):
            return
        self._add(self.addresses, (uid, full, town, code, kind))
        if code:
            self._add(self.countries, (uid, code, "birth" if kind == "birth_place" else "address"))

    def problem(self, entry_id: str | None, location: str, problem: str) -> None:
        self.problems.append((self.list_source, entry_id, location, problem))

    def _add(self, rows: list[tuple[Any, ...]], row: tuple[Any, ...]) -> None:
        if row not in self._seen:
            self._seen.add(row)
            rows.append(row)

    def watchlist(self) -> Watchlist:
        return Watchlist(
            entries=pl.DataFrame(self.entries, schema=ENTRY_SCHEMA),
            names=pl.DataFrame(self.names, schema=NAME_SCHEMA, orient="row"),
            dobs=pl.DataFrame(self.dobs, schema=DOB_SCHEMA, orient="row"),
            countries=pl.DataFrame(self.countries, schema=COUNTRY_SCHEMA, orient="row"),
            identifiers=pl.DataFrame(self.identifiers, schema=IDENTIFIER_SCHEMA, orient="row"),
            addresses=pl.DataFrame(self.addresses, schema=ADDRESS_SCHEMA, orient="row"),
        )

    def problem_frame(self) -> pl.DataFrame:
        return pl.DataFrame(self.problems, schema=PROBLEM_SCHEMA, orient="row")


@dataclass(frozen=True)
class Parsed:
    """One parser's output for one publication (which may span several files)."""

    watchlist: Watchlist
    problems: pl.DataFrame
    entries_by_source: dict[str, int]


def finish(builder: ListBuilder) -> Parsed:
    counts: dict[str, int] = {}
    for entry in builder.entries:
        counts[entry["list_source"]] = counts.get(entry["list_source"], 0) + 1
    return Parsed(builder.watchlist(), builder.problem_frame(), counts)


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 as the older UK and OFAC files use."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_csv_table(
    path: Path, what: str, *, delimiter: str = ",", skip_lines: int = 0
) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and rows (with their line numbers) of a CSV list file.

    Refused with ListError when empty, or when the last row is cut short (a truncated
    download); rows of the wrong width elsewhere are returned as they are for the parser to
    report.
    """
    body = decode_text(path.read_bytes())
    if not body.strip():
        raise ListError(f"{path}: empty {what}")
    lines = body.splitlines(keepends=True)[skip_lines:]
    try:
        rows = list(csv.reader(io.StringIO("".join(lines)), delimiter=delimiter, strict=True))
    except csv.Error as exc:
        raise ListError(f"{path}: truncated or malformed {what} ({exc})") from exc
    if not rows:
        raise ListError(f"{path}: empty {what}")
    header = rows[0]
    numbered_rows = [(i + skip_lines + 1, r) for i, r in enumerate(rows) if i and any(v.strip() for v in r)]
    if numbered_rows and len(numbered_rows[-1][1]) < len(header):
        line, last = numbered_rows[-1]
        raise ListError(
            f"{path}: truncated {what}: last row (line {line}) has {len(last)} fields, expected {len(header)}"
        )
    return header, numbered_rows
