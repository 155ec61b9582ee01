"""OFAC legacy CSV: ``sdn.csv`` with its companions ``alt.csv``, ``add.csv`` and
``sdn_comments.csv`` (the non-SDN consolidated list uses the same layout as ``cons_prim.csv``,
``cons_alt.csv``, ``cons_add.csv``, ``cons_comments.csv``).

No header row; ``-0-`` (with a trailing space) means null; the official files end with the DOS
end-of-file byte ``0x1A``. Columns:

- sdn: ent_num, SDN_Name, SDN_Type, Program, Title, Call_Sign, Vess_type, Tonnage, GRT, Vess_flag,
  Vess_owner, Remarks
- alt: ent_num, alt_num, alt_type (aka/fka/nka), alt_name, alt_remarks
- add: ent_num, add_num, address, city/state/postal code, country, add_remarks
- comments: ent_num, remarks continued (remarks longer than the sdn column are cut and go on here)

Weak (low-quality) aliases appear only in the remarks, quoted: ``a.k.a. 'BNC'``.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

from pipelines.errors import ListError
from pipelines.lists.common import ListBuilder, Parsed, clean, finish
from pipelines.lists.formats.ofac_remarks import parse_remarks

ROLES = ("sdn", "alt", "add", "comments")
WIDTHS = {"sdn": 12, "alt": 5, "add": 6, "comments": 2}
TYPES = {"individual": "person", "vessel": "vessel", "aircraft": "aircraft", "": "organization"}
NAME_TYPES = {"aka": "alias", "fka": "former", "nka": "alias"}

_ROW_START = re.compile(rb"^\d+,")


def read_text(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def sniff_role(head: bytes) -> str | None:
    """Which companion file of the legacy CSV set ``head`` (the first bytes) belongs to, if any."""
    first = head.split(b"\n", 1)[0].rstrip(b"\r")
    if not _ROW_START.match(first):
        return None
    try:
        row = next(csv.reader([first.decode("utf-8", errors="replace")]))
    except (csv.Error, StopIteration):
        return None
    width = len(row)
    if width == 12 and row[2].strip() in {"individual", "vessel", "aircraft", "-0-"}:
        return "sdn"
    if width == 5 and row[1].strip().isdigit() and row[2].strip() in {"aka", "fka", "nka", "-0-"}:
        return "alt"
    if width == 6 and row[1].strip().isdigit():
        return "add"
    if width == 2:
        return "comments"
    return None


def _rows(path: Path, role: str, builder: ListBuilder) -> Iterator[tuple[int, list[str]]]:
    text = read_text(path)
    body = text.rstrip("\x1a")
    if not body.strip():
        raise ListError(f"{path}: empty OFAC {role} file")
    try:
        rows = list(csv.reader(io.StringIO(body), strict=True))
    except csv.Error as exc:
        raise ListError(f"{path}: truncated or malformed OFAC {role} file ({exc})") from exc
    width = WIDTHS[role]
    last = len(rows)
    for line, row in enumerate(rows, start=1):
        if not row or row == [""]:
            continue
        if len(row) != width or not row[0].strip().isdigit():
            if line == last:
                raise ListError(
                    f"{path}: truncated OFAC {role} file: last record has {len(row)} fields, expected {width}"
                )
            builder.problem(
                row[0].strip() if row and row[0].strip().isdigit() else None,
                f"{path}:{line}",
                f"malformed {role} record: {len(row)} fields, expected {width}",
            )
            continue
        yield line, [clean(v) or "" for v in row]


def ofac_csv_parts(name: str) -> tuple[str | None, str | None, str | None]:
    """Given, middle and family name of an individual written ``LAST, First Middle``: the family
    name before the comma, the first word after it the given name, the rest the middle name.
    Nothing when the name has no comma or more than one (no reliable split)."""
    if name.count(",") != 1:
        return None, None, None
    family, rest = (" ".join(p.split()) for p in name.split(","))
    words = rest.split()
    if not family or not words:
        return None, None, None
    return words[0], " ".join(words[1:]) or None, family


def parse(files: dict[str, Path], list_source: str) -> Parsed:
    """Parse one legacy CSV set; ``files`` maps role (sdn, alt, add, comments) to its path."""
    if "sdn" not in files:
        raise ListError(f"{next(iter(files.values())).parent}: OFAC companion file without its main sdn file")
    builder = ListBuilder(list_source)
    extra: dict[str, str] = {}
    if "comments" in files:
        for _, row in _rows(files["comments"], "comments", builder):
            extra[row[0]] = extra.get(row[0], "") + row[1]

    uids: dict[str, str] = {}
    persons: set[str] = set()
    sdn_path = files["sdn"]
    for line, row in _rows(sdn_path, "sdn", builder):
        ent_num, name, sdn_type, program = row[0], row[1], row[2], row[3]
        location = f"{sdn_path}:{line}"
        if ent_num in uids:
            builder.problem(ent_num, location, "duplicate entry number; first record kept")
            continue
        if not name:
            builder.problem(ent_num, location, "entry without a name")
            continue
        entity_type = TYPES.get(sdn_type.lower())
        if entity_type is None:
            builder.problem(ent_num, location, f"unknown SDN type {sdn_type!r}; read as unknown")
            entity_type = "unknown"
        remarks = (row[11] + extra.get(ent_num, "")).strip() or None
        uid = builder.uid(ent_num)
        facts = parse_remarks(builder, uid, ent_num, remarks or "", location)
        for alias in facts.weak_aliases:
            builder.name(uid, alias, strength="weak")
        extras = [f"Title: {row[4]}" if row[4] else "", f"Vessel owner: {row[10]}" if row[10] else ""]
        full_remarks = "; ".join(p for p in [remarks or "", *extras] if p) or None
        given, middle, family = ofac_csv_parts(name) if entity_type == "person" else (None, None, None)
        builder.entry(
            ent_num,
            entity_type=entity_type,
            primary_name=name,
            given_name=given,
            middle_name=middle,
            family_name=family,
            programs=[p.strip() for p in program.strip("[] ").split("] [")],
            asset_freeze=True,
            gender=facts.gender,
            linked_refs=[f"UN-SC:{ref}" for ref in facts.un_refs],
            remarks=full_remarks,
        )
        uids[ent_num] = uid
        if entity_type == "person":
            persons.add(uid)
        if row[5]:
            builder.identifier(uid, "other", f"call sign {row[5]}")
        if row[9]:
            builder.country(uid, row[9], "registration")

    if "alt" in files:
        for line, row in _rows(files["alt"], "alt", builder):
            uid = uids.get(row[0], "")
            if not uid:
                builder.problem(row[0], f"{files['alt']}:{line}", "alias for an unknown entry number")
                continue
            given, middle, family = ofac_csv_parts(row[3]) if uid in persons else (None, None, None)
            builder.name(
                uid,
                row[3],
                name_type=NAME_TYPES.get(row[2].lower(), "alias"),
                given_name=given,
                middle_name=middle,
                family_name=family,
            )
    if "add" in files:
        for line, row in _rows(files["add"], "add", builder):
            uid = uids.get(row[0], "")
            if not uid:
                builder.problem(row[0], f"{files['add']}:{line}", "address for an unknown entry number")
                continue
            builder.address(uid, ", ".join(p for p in row[2:4] if p) or None, city=row[3] or None, country=row[4])
    return finish(builder)
