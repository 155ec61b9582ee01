"""UK lists.

- OFSI consolidated list CSV (``ConList.csv``) and its predecessor, the HM Treasury
  "Consolidated List of Financial Sanctions Targets" CSV (``sanctionsconlist.csv``, Windows-1252):
  a ``Last Updated,<date>`` line, then a header (``Name 6,Name 1,...,Group ID``) and one row per
  name, grouped by ``Group ID``. Newer files add ``Alias Quality``, non-Latin names, passport and
  national identification numbers in their own columns.
- UK Sanctions List (FCDO) XML (``<Designations>`` of ``<Designation>``, keyed by ``UniqueID``,
  citing ``OFSIGroupID`` and ``UNReferenceNumber``) and CSV (a ``Report Date`` line, then one row
  per name, keyed by ``Unique ID``).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import date
from functools import cache
from pathlib import Path

from pipelines.errors import ListError
from pipelines.lists.common import (
    ListBuilder,
    NameParts,
    Parsed,
    clean,
    country_code,
    date_range,
    finish,
    join_name,
    read_csv_table,
)
from pipelines.lists.formats.xmlutil import iter_records, text, texts

TYPES = {"individual": "person", "entity": "organization", "ship": "vessel", "aircraft": "aircraft"}
_UN_REF = re.compile(r"\b([A-Z]{2}[ie]\.\d{3})\b")
_NUMBERED = re.compile(r"\(\d+\)")
_IMO = re.compile(r"(\d{7})")


def uk_date(value: str | None) -> tuple[date, date] | None:
    """``12/11/1967``, ``00/00/1968`` or ``dd/mm/1968`` (unknown day and month), ``1968``."""
    raw = clean(value)
    if not raw:
        return None
    parts = raw.split("/")
    if len(parts) == 3:
        day, month, year = parts
        if not year.isdigit():
            return None
        if not month.isdigit() or int(month) == 0:
            return date_range(year)
        if not day.isdigit() or int(day) == 0:
            return date_range(f"{year}-{int(month):02d}")
        return date_range(f"{year}-{int(month):02d}-{int(day):02d}")
    return date_range(raw)


def numbered(value: str | None) -> list[str]:
    """Split the HMT convention ``(1) Tripoli (2) Tunis`` into its values."""
    raw = clean(value)
    if not raw:
        return []
    return [p.strip().strip(",").strip() for p in _NUMBERED.split(raw) if p.strip().strip(",").strip()]


@cache
def _key(header: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", header.casefold())


def _read_rows(path: Path, what: str) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    with path.open("rb") as fh:
        first = fh.readline().decode("utf-8-sig", errors="replace").casefold()
    skip = 1 if first.startswith(("last updated,", "report date", '"report date')) and "unique id" not in first else 0
    raw_header, raw_rows = read_csv_table(path, what, skip_lines=skip)
    header = [_key(h) for h in raw_header]

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        for number, row in raw_rows:
            if len(row) != len(header):
                yield number, {"__malformed__": f"{len(row)} fields, expected {len(header)}"}
                continue
            yield number, dict(zip(header, row, strict=True))

    return header, rows()


def _get(row: dict[str, str], *names: str) -> str | None:
    for name in names:
        value = clean(row.get(_key(name)))
        if value:
            return value
    return None


def uk_parts(names: list[str | None]) -> NameParts:
    """Given, middle and family name from the six UK name fields: Name 1 is the forename,
    Names 2 to 5 further forenames (joined as the middle name), Name 6 the surname."""
    return names[0], join_name(*names[1:5]), names[5]


def _name(row: dict[str, str]) -> tuple[str | None, NameParts]:
    names = [_get(row, f"Name {i}") for i in range(1, 7)]
    return join_name(*names), uk_parts(names)


def _csv(path: Path, list_source: str, id_col: str, what: str) -> Parsed:
    header, rows = _read_rows(path, what)
    if _key(id_col) not in header or _key("Name 6") not in header:
        raise ListError(f"{path}: {what} without the {id_col!r} and 'Name 6' columns (schema changed?)")
    builder = ListBuilder(list_source)
    uids: dict[str, str] = {}
    for line, row in rows:
        location = f"{path}:{line}"
        if "__malformed__" in row:
            builder.problem(None, location, f"malformed row: {row['__malformed__']}")
            continue
        ref = _get(row, id_col)
        name, (given, middle, family) = _name(row)
        if not ref or not name:
            builder.problem(ref, location, f"row without {id_col} or name")
            continue
        alias_type = (_get(row, "Alias Type", "Name type") or "").casefold()
        quality = (_get(row, "Alias Quality", "Alias strength") or "").casefold()
        if ref not in uids:
            entity_type = TYPES.get(
                (_get(row, "Group Type", "Designation Type", "Individual, Entity, Ship") or "").casefold(), "unknown"
            )
            other = _get(row, "Other Information")
            un_refs = set(_UN_REF.findall(other or ""))
            if un := _get(row, "UN Reference Number"):
                un_refs.add(un)
            linked = [f"UN-SC:{r}" for r in sorted(un_refs)]
            if group := _get(row, "OFSI Group ID"):
                linked.append(f"UK-OFSI:{group}")
            listed = uk_date(_get(row, "Listed On", "Date Designated", "UK Sanctions List Date Designated"))
            uids[ref] = builder.entry(
                ref,
                entity_type=entity_type,
                primary_name=name,
                programs=[_get(row, "Regime", "Regime Name") or ""],
                listed_on=listed[0] if listed else None,
                asset_freeze="asset freeze" in (_get(row, "Sanctions Imposed") or "asset freeze").casefold(),
                gender=(_get(row, "Gender") or "").lower() or None,
                linked_refs=linked,
                remarks=other,
            )
        uid = uids[ref]
        primary_row = alias_type.startswith("prim") and not alias_type.endswith("variation")
        builder.name(
            uid,
            name,
            strength="strong" if primary_row or not quality.startswith("low") else "weak",
            name_type="former" if not primary_row and alias_type == "fka" else "alias",
            given_name=given,
            middle_name=middle,
            family_name=family,
        )
        builder.name(uid, _get(row, "Name Non-Latin Script"), name_type="original_script")
        for raw in numbered(_get(row, "DOB", "D.O.B")):
            span = uk_date(raw)
            if span:
                builder.dob(uid, raw, span)
            else:
                builder.problem(ref, location, f"date of birth not understood: {raw!r}")
        towns = numbered(_get(row, "Town of Birth"))
        for i, country in enumerate(numbered(_get(row, "Country of Birth")) or [None]):
            town = towns[i] if i < len(towns) else None
            if town or country:
                builder.address(uid, join_name(town, country), city=town, country=country, kind="birth_place")
        for nat in numbered(_get(row, "Nationality", "Nationality(/ies)")):
            builder.country(uid, nat, "nationality")
        passports = _get(row, "Passport Number", "Passport number")
        for number in numbered(passports):
            builder.identifier(uid, "passport", number.split(",")[0].split(" ")[0])
        if passports is None:
            for detail in numbered(_get(row, "Passport Details")):
                number = detail.split(",")[0].split(" ")[0].strip()
                if any(ch.isdigit() for ch in number):
                    builder.identifier(uid, "passport", number)
        for number in numbered(_get(row, "National Identification Number", "National Identifier number", "NI Number")):
            token = number.split(",")[0].split(" ")[0]
            if any(ch.isdigit() for ch in token):
                builder.identifier(uid, "national_id", token)
        for number in numbered(_get(row, "Business registration number (s)", "Business Registration Number")):
            builder.identifier(uid, "registration", number)
        for imo in _IMO.findall(_get(row, "IMO number", "IMO Number") or ""):
            builder.identifier(uid, "imo", imo)
        street = ", ".join(p for p in (_get(row, f"Address {i}", f"Address Line {i}") for i in range(1, 7)) if p)
        postcode = _get(row, "Post/Zip Code", "Address Postal Code")
        country = _get(row, "Country", "Address Country")
        if street or country:
            builder.address(uid, join_name(street, postcode) if street else None, country=country)
    if not builder.entries:
        raise ListError(f"{path}: {what} without any entry")
    return finish(builder)


def parse_ofsi_csv(path: Path) -> Parsed:
    return _csv(path, "UK-OFSI", "Group ID", "OFSI consolidated list CSV")


def parse_uk_sl_csv(path: Path) -> Parsed:
    return _csv(path, "UK-SL", "Unique ID", "UK Sanctions List CSV")


def _designation(builder: ListBuilder, el: ET.Element, path: Path) -> None:
    ref = text(el, "UniqueID")
    location = f"{path}:Designation[UniqueID={ref}]"
    names: list[tuple[str, str, str, NameParts]] = []
    for n in el.findall("Names/Name"):
        fields = [text(n, f"Name{i}") for i in range(1, 7)]
        full = join_name(*fields)
        if not full:
            continue
        kind = (text(n, "NameType") or "").casefold()
        quality = (text(n, "AliasStrength") or "").casefold()
        if kind == "primary name":
            names.append((full, "strong", "primary", uk_parts(fields)))
        else:
            names.append((full, "weak" if quality.startswith("low") else "strong", "alias", uk_parts(fields)))
    if not ref or not names:
        builder.problem(ref, location, "Designation without UniqueID or name; not loaded")
        return
    primary = next((n for n, _, t, _ in names if t == "primary"), names[0][0])
    kind = (text(el, "IndividualEntityShip") or "").casefold()
    linked = [f"UN-SC:{r}" for r in texts(el, "UNReferenceNumber")]
    if group := text(el, "OFSIGroupID"):
        linked.append(f"UK-OFSI:{group}")
    asset_freeze = text(el, "SanctionsImposedIndicators/AssetFreeze")
    imposed = (text(el, "SanctionsImposed") or "").casefold()
    designated = uk_date(text(el, "DateDesignated"))
    gender = (text(el, "IndividualDetails/Individual/Genders/Gender") or "").lower() or None
    uid = builder.entry(
        ref,
        entity_type=TYPES.get(kind, "unknown"),
        primary_name=primary,
        programs=texts(el, "RegimeName"),
        listed_on=designated[0] if designated else None,
        asset_freeze=asset_freeze == "true" if asset_freeze else "asset freeze" in imposed,
        gender=gender,
        linked_refs=linked,
        remarks=text(el, "OtherInformation"),
    )
    for name, strength, name_type, (given, middle, family) in names:
        builder.name(
            uid,
            name,
            strength=strength,
            name_type=name_type if name_type != "primary" else "alias",
            given_name=given,
            middle_name=middle,
            family_name=family,
        )
    for non_latin in texts(el, "NonLatinNames/NonLatinName/NameNonLatinScript"):
        builder.name(uid, non_latin, name_type="original_script")
    for addr in el.findall("Addresses/Address"):
        lines = [text(addr, f"AddressLine{i}") for i in range(1, 7)]
        street = ", ".join(p for p in [*lines, text(addr, "AddressPostalCode")] if p)
        builder.address(uid, street or None, country=text(addr, "AddressCountry"))
    person = el.find("IndividualDetails/Individual")
    if person is not None:
        for raw in texts(person, "DOBs/DOB"):
            span = uk_date(raw)
            if span:
                builder.dob(uid, raw, span)
            else:
                builder.problem(ref, location, f"date of birth not understood: {raw!r}")
        for nat in texts(person, "Nationalities/Nationality"):
            builder.country(uid, nat, "nationality")
        for passport in person.findall("PassportDetails/Passport"):
            builder.identifier(uid, "passport", text(passport, "PassportNumber"))
        for nid in person.findall("NationalIdentifierDetails/NationalIdentifier"):
            builder.identifier(uid, "national_id", text(nid, "NationalIdentifierNumber"))
        for loc in person.findall("BirthDetails/Location"):
            town, country = text(loc, "TownOfBirth"), text(loc, "CountryOfBirth")
            builder.address(uid, join_name(town, country), city=town, country=country, kind="birth_place")
    for number in texts(el, "EntityDetails/Entity/BusinessRegistrationNumbers/BusinessRegistrationNumber"):
        builder.identifier(uid, "registration", number)
    for imo in texts(el, "ShipDetails/Ship/IMONumbers/IMONumber"):
        found = _IMO.search(imo)
        builder.identifier(uid, "imo", found[1] if found else imo)
    for flag in texts(el, "ShipDetails/Ship/CurrentBelievedFlagOfShips/CurrentBelievedFlagOfShip"):
        if code := country_code(flag):
            builder.country(uid, code, "registration")


def parse_uk_sl_xml(path: Path) -> Parsed:
    builder = ListBuilder("UK-SL")
    seen: set[str] = set()
    for el in iter_records(path, {"Designation"}, {"Designations"}, "UK Sanctions List XML"):
        ref = text(el, "UniqueID") or ""
        if ref and ref in seen:
            builder.problem(ref, f"{path}:Designation", "duplicate UniqueID; first kept")
            continue
        seen.add(ref)
        _designation(builder, el, path)
    if not builder.entries:
        raise ListError(f"{path}: UK Sanctions List XML without any Designation")
    return finish(builder)
