"""OpenSanctions exports.

- FollowTheMoney entities as JSON lines (``entities.ftm.json``): one entity per line with
  ``id``, ``schema``, ``properties`` and ``target``. Targets (the listed persons, companies,
  vessels...) become entries; the ``Sanction``, ``Address`` and identification entities that
  point at them add programmes, listing dates and addresses.
- Delta files (``entities.delta.json``: ``{"op": "ADD"|"MOD"|"DEL", "entity": {...}}``), applied
  in the order of their version folders.
- ``targets.simple.csv``: one row per target with ``;``-separated aliases, birth dates,
  countries, addresses and identifiers.

OpenSanctions data is licensed CC BY-NC 4.0: non-commercial use only unless a commercial data
licence is obtained from OpenSanctions.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from pipelines.errors import ListError
from pipelines.lists.common import ListBuilder, Parsed, clean, exact_date, finish, join_name, read_csv_table

LIST_SOURCE = "OPENSANCTIONS"
SCHEMAS = {
    "person": "person",
    "organization": "organization",
    "company": "organization",
    "legalentity": "organization",
    "publicbody": "organization",
    "vessel": "vessel",
    "airplane": "aircraft",
}
ID_PROPS = {
    "idNumber": "national_id",
    "passportNumber": "passport",
    "registrationNumber": "registration",
    "ogrnCode": "registration",
    "okpoCode": "registration",
    "innCode": "tax",
    "taxNumber": "tax",
    "vatCode": "tax",
    "imoNumber": "imo",
    "leiCode": "lei",
    "swiftBic": "bic",
    "bicCode": "bic",
    "publicKey": "crypto",
}
IDENTIFICATION_SCHEMAS = {"passport": "passport", "identification": "national_id"}
_REFERENTS = (
    (re.compile(r"^ofac-(\d+)$"), ("OFAC-SDN:{}", "OFAC-CONS:{}")),
    (re.compile(r"^gb-hmt-(\d+)$"), ("UK-OFSI:{}",)),
    (re.compile(r"^gb-fcdo-([a-z]{3}\d+)$"), ("UK-SL:{}",)),
    (re.compile(r"^eu-fsf-eu-(\d+)-(\d+)$"), ("EU-FSF:EU.{}.{}",)),
)


def linked_from_referents(referents: Iterable[str]) -> list[str]:
    """Official list references behind an OpenSanctions entity, where its referent ids show them."""
    out: list[str] = []
    for referent in referents:
        for pattern, templates in _REFERENTS:
            m = pattern.match(referent)
            if m:
                groups = [g.upper() if g.isalpha() or not g.isdigit() else g for g in m.groups()]
                out.extend(t.format(*groups) for t in templates)
    return out


def _props(entity: dict[str, Any], name: str) -> list[str]:
    values = entity.get("properties", {}).get(name, [])
    return [v for v in values if isinstance(v, str) and v.strip()]


def _single(entity: dict[str, Any], *props: str) -> str | None:
    """The one value of a name-part property (several properties joined, repeats once); ``None``
    when absent or when the entity gives several values for one property (parts of different
    names)."""
    found: list[str] = []
    for prop in props:
        values = list(dict.fromkeys(clean(v) for v in _props(entity, prop)))
        if len(values) > 1:
            return None
        if values and values[0] and values[0] not in found:
            found.append(values[0])
    return join_name(*found)


def ftm_parts(entity: dict[str, Any]) -> tuple[str | None, str | None, str | None]:
    """Given, middle and family name of a Person: ``firstName``, ``middleName`` (with the
    patronymic ``fatherName``) and ``lastName``."""
    if str(entity.get("schema") or "").casefold() != "person":
        return None, None, None
    return _single(entity, "firstName"), _single(entity, "middleName", "fatherName"), _single(entity, "lastName")


def _emit(
    builder: ListBuilder,
    entity: dict[str, Any],
    helpers: dict[str, dict[str, Any]],
    sanctions: dict[str, list[dict[str, Any]]],
    location: str,
) -> None:
    ref = str(entity.get("id") or "")
    schema = str(entity.get("schema") or "")
    names = _props(entity, "name")
    if not ref or not names:
        builder.problem(ref or None, location, "target without id or name; not loaded")
        return
    programs: list[str] = []
    listed: list[date] = []
    for sanction in sanctions.get(ref, []):
        programs.extend(_props(sanction, "programId") or _props(sanction, "program"))
        for raw in _props(sanction, "listingDate") + _props(sanction, "startDate"):
            if day := exact_date(raw[:10]):
                listed.append(day)
    first_seen = exact_date(str(entity.get("first_seen") or "")[:10])
    gender = next(iter(_props(entity, "gender")), None)
    given, middle, family = ftm_parts(entity)
    uid = builder.entry(
        ref,
        entity_type=SCHEMAS.get(schema.casefold(), "unknown"),
        primary_name=str(entity.get("caption") or names[0]),
        programs=programs or [str(d) for d in entity.get("datasets", [])],
        listed_on=min(listed) if listed else first_seen,
        asset_freeze="sanction" in _props(entity, "topics"),
        gender=gender.lower() if gender else None,
        linked_refs=linked_from_referents(entity.get("referents", [])),
        remarks=clean(" ".join(_props(entity, "notes"))) or None,
        given_name=given,
        middle_name=middle,
        family_name=family,
    )
    for name in names:
        builder.name(uid, name)
    for name in _props(entity, "alias"):
        builder.name(uid, name)
    for name in _props(entity, "previousName"):
        builder.name(uid, name, name_type="former")
    for name in _props(entity, "weakAlias"):
        builder.name(uid, name, strength="weak")
    for raw in _props(entity, "birthDate"):
        if not builder.dob(uid, raw):
            builder.problem(ref, location, f"birth date not understood: {raw!r}")
    for place in _props(entity, "birthPlace"):
        builder.address(uid, place, kind="birth_place")
    for country in _props(entity, "birthCountry"):
        builder.country(uid, country, "birth")
    for prop, kind in (
        ("nationality", "nationality"),
        ("citizenship", "citizenship"),
        ("jurisdiction", "registration"),
        ("country", "residence"),
    ):
        for country in _props(entity, prop):
            builder.country(uid, country, kind)
    for prop, id_type in ID_PROPS.items():
        for value in _props(entity, prop):
            builder.identifier(uid, id_type, value)
    for address in _props(entity, "address"):
        builder.address(uid, address)
    for addr_id in _props(entity, "addressEntity"):
        addr = helpers.get(addr_id)
        if addr:
            full = next(iter(_props(addr, "full")), None)
            addr_country = next(iter(_props(addr, "country")), None)
            builder.address(uid, full, city=next(iter(_props(addr, "city")), None), country=addr_country)
    for doc in sanctions.get(f"doc:{ref}", []):
        id_type = IDENTIFICATION_SCHEMAS.get(str(doc.get("schema", "")).casefold(), "other")
        for number in _props(doc, "number"):
            builder.identifier(uid, id_type, number, next(iter(_props(doc, "country")), None))


def _build(entities: Iterable[tuple[str, dict[str, Any]]], path: Path) -> Parsed:
    targets: list[tuple[str, dict[str, Any]]] = []
    helpers: dict[str, dict[str, Any]] = {}
    linked: dict[str, list[dict[str, Any]]] = {}
    for location, entity in entities:
        schema = str(entity.get("schema", "")).casefold()
        if entity.get("target"):
            targets.append((location, entity))
        elif schema == "address":
            helpers[str(entity.get("id"))] = entity
        elif schema == "sanction":
            for target in _props(entity, "entity"):
                linked.setdefault(target, []).append(entity)
        elif schema in IDENTIFICATION_SCHEMAS:
            for holder in _props(entity, "holder"):
                linked.setdefault(f"doc:{holder}", []).append(entity)
    builder = ListBuilder(LIST_SOURCE)
    for location, entity in targets:
        _emit(builder, entity, helpers, linked, location)
    if not builder.entries:
        raise ListError(f"{path}: OpenSanctions file without any target entity")
    return finish(builder)


def _json_lines(path: Path) -> Iterable[tuple[int, dict[str, Any]]]:
    with path.open("rb") as fh:
        data = fh.read()
    if not data.strip():
        raise ListError(f"{path}: empty OpenSanctions file")
    lines = data.decode("utf-8").splitlines()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            if number == len(lines):
                raise ListError(f"{path}: truncated OpenSanctions JSON lines (last line: {exc})") from exc
            raise ListError(f"{path}:{number}: not a JSON object ({exc})") from exc
        if isinstance(obj, dict):
            yield number, obj


def parse_ftm(path: Path) -> Parsed:
    return _build(((f"{path}:{n}", e) for n, e in _json_lines(path)), path)


def parse_deltas(paths: list[Path]) -> Parsed:
    """Apply delta files in path order (version folders sort by time): ADD and MOD put an
    entity, DEL removes it."""
    state: dict[str, tuple[str, dict[str, Any]]] = {}
    for path in sorted(paths):
        for number, op in _json_lines(path):
            entity = op.get("entity") or {}
            ref = str(entity.get("id") or "")
            if op.get("op") == "DEL":
                state.pop(ref, None)
            elif ref:
                state[ref] = (f"{path}:{number}", entity)
    return _build(state.values(), paths[-1] if paths else Path("."))


def parse_targets_csv(path: Path) -> Parsed:
    header, raw_rows = read_csv_table(path, "targets.simple.csv")
    if not {"id", "schema", "name"} <= set(header):
        raise ListError(f"{path}: targets.simple.csv without columns id, schema, name (schema changed?)")
    reader = [(n, dict(zip(header, r, strict=False))) for n, r in raw_rows]
    builder = ListBuilder(LIST_SOURCE)

    def split(value: str | None) -> list[str]:
        return [v.strip() for v in (value or "").split(";") if v.strip()]

    for line, row in reader:
        location = f"{path}:{line}"
        ref, name = clean(row.get("id")), clean(row.get("name"))
        if not ref or not name:
            builder.problem(ref, location, "row without id or name")
            continue
        uid = builder.entry(
            ref,
            entity_type=SCHEMAS.get((row.get("schema") or "").casefold(), "unknown"),
            primary_name=name,
            programs=split(row.get("program_ids")) or split(row.get("dataset")),
            listed_on=exact_date((row.get("first_seen") or "")[:10]),
            asset_freeze=bool(split(row.get("sanctions"))),
            remarks=clean(row.get("sanctions")),
        )
        for alias in split(row.get("aliases")):
            builder.name(uid, alias)
        for raw in split(row.get("birth_date")):
            if not builder.dob(uid, raw):
                builder.problem(ref, location, f"birth date not understood: {raw!r}")
        for country in split(row.get("countries")):
            builder.country(uid, country, "residence")
        for address in split(row.get("addresses")):
            builder.address(uid, address)
        for value in split(row.get("identifiers")):
            builder.identifier(uid, "other", value)
    if not builder.entries:
        raise ListError(f"{path}: targets.simple.csv without any row")
    return finish(builder)
