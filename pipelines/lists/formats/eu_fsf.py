"""EU Financial Sanctions Files (FSF).

- XML v1.1 (``<export xmlns="http://eu.europa.ec/fpi/fsd/export">``): one ``sanctionEntity``
  per listing with ``logicalId``, ``euReferenceNumber``, ``unitedNationId``, ``regulation``
  (programme, publication date), ``subjectType`` (person / enterprise), ``nameAlias`` (whole
  name and name parts, ``strong``), ``birthdate`` (exact, year, year range, circa),
  ``citizenship``, ``address`` and ``identification``.
- the legacy XML (``<WHOLE>`` of ``<ENTITY>`` with NAME / BIRTH / PASSPORT / CITIZEN / ADDRESS),
  published until 2018.
- CSV (``;``-separated, UTF-8 with BOM, one row per name alias / birth date / document...,
  columns such as ``Entity_LogicalId``, ``NameAlias_WholeName``, ``BirthDate_BirthDate``).

Every entry is an asset-freeze listing; ``entry_id`` is the EU logical id and the UN reference
the EU cites goes into ``linked_refs``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

from pipelines.errors import ListError
from pipelines.lists.common import (
    ListBuilder,
    NameParts,
    Parsed,
    clean,
    date_range,
    exact_date,
    finish,
    join_name,
    read_csv_table,
)
from pipelines.lists.formats.xmlutil import iter_records, text

LIST_SOURCE = "EU-FSF"
SUBJECT_TYPES = {"person": "person", "enterprise": "organization", "p": "person", "e": "organization"}
ID_TYPES = {
    "passport": "passport",
    "id": "national_id",
    "regnumber": "registration",
    "fiscalcode": "tax",
    "swiftbic": "bic",
    "imo": "imo",
    "other": "other",
    "ssn": "national_id",
}


def _un_refs(value: str | None) -> list[str]:
    return [f"UN-SC:{v.strip()}" for v in (value or "").replace(",", ";").split(";") if v.strip()]


def _birth(builder: ListBuilder, uid: str, ref: str, a: dict[str, str], location: str) -> None:
    exact, year = clean(a.get("birthdate")), clean(a.get("year"))
    start, end = clean(a.get("yearRangeFrom")), clean(a.get("yearRangeTo"))
    circa = a.get("circa") == "true"
    span: tuple[date, date] | None = None
    raw = exact or year or (f"{start} to {end}" if start or end else None)
    if exact:
        span = date_range(exact)
    elif year:
        span = date_range(year)
    elif start or end:
        span = date_range(f"{start or end} to {end or start}")
    if raw and span is None:
        builder.problem(ref, location, f"birth date not understood: {raw!r}")
    if span and raw:
        if circa:
            span = (date(span[0].year - 1, 1, 1), date(span[1].year + 1, 12, 31))
        builder.dob(uid, f"circa {raw}" if circa else raw, span)
    city = clean(a.get("city"))
    place = ", ".join(p for p in (city, clean(a.get("region")), clean(a.get("place"))) if p and p != "-")
    country = a.get("countryIso2Code")
    if place or (country and country != "00"):
        builder.address(
            uid,
            place or None,
            city=city if city != "-" else None,
            country=country if country != "00" else None,
            kind="birth_place",
        )


def _entity(builder: ListBuilder, el: ET.Element, path: Path) -> None:
    ref = el.get("logicalId")
    location = f"{path}:sanctionEntity[logicalId={ref}]"
    if not ref:
        builder.problem(None, location, "sanctionEntity without logicalId; not loaded")
        return
    names: list[tuple[str, bool, NameParts]] = []
    gender = None
    for alias in el.findall("nameAlias"):
        parts = (alias.get("firstName"), alias.get("middleName"), alias.get("lastName"))
        whole = clean(alias.get("wholeName")) or join_name(*parts)
        if whole:
            names.append((whole, alias.get("strong", "true") != "false", parts))
        gender = gender or {"M": "male", "F": "female"}.get(alias.get("gender", ""))
    if not names:
        builder.problem(ref, location, "sanctionEntity without a name; not loaded")
        return
    subject = el.find("subjectType")
    code = (subject.get("code", "") if subject is not None else "").casefold()
    regulations = el.findall("regulation")
    listed = [d for d in (exact_date(r.get("publicationDate")) for r in regulations) if d]
    designated = exact_date(el.get("designationDate"))
    primary = next((n for n, strong, _ in names if strong), names[0][0])
    uid = builder.entry(
        ref,
        entity_type=SUBJECT_TYPES.get(code, "unknown"),
        primary_name=primary,
        programs=[r.get("programme", "") for r in regulations],
        listed_on=designated or (min(listed) if listed else None),
        asset_freeze=True,
        gender=gender,
        linked_refs=_un_refs(el.get("unitedNationId")),
        remarks=join_name(*(r.text for r in el.findall("remark"))),
    )
    if eu_ref := clean(el.get("euReferenceNumber")):
        builder.identifier(uid, "other", f"EU reference {eu_ref}")
    for name, strong, (given, middle, family) in names:
        builder.name(
            uid,
            name,
            strength="strong" if strong else "weak",
            given_name=given,
            middle_name=middle,
            family_name=family,
        )
    for birth in el.findall("birthdate"):
        _birth(builder, uid, ref, dict(birth.attrib), location)
    for cit in el.findall("citizenship"):
        if cit.get("countryIso2Code") not in (None, "", "00"):
            builder.country(uid, cit.get("countryIso2Code"), "citizenship")
    for addr in el.findall("address"):
        street = ", ".join(
            p for p in (clean(addr.get(k)) for k in ("street", "poBox", "zipCode", "city", "region", "place")) if p
        )
        country = addr.get("countryIso2Code")
        builder.address(uid, street or None, city=clean(addr.get("city")), country=country if country != "00" else None)
    for doc in el.findall("identification"):
        number = clean(doc.get("number")) or clean(doc.get("latinNumber"))
        kind = ID_TYPES.get((doc.get("identificationTypeCode") or "").casefold(), "other")
        country = doc.get("countryIso2Code")
        if number:
            builder.identifier(uid, kind, number, country if country != "00" else None)


def parse_xml(path: Path) -> Parsed:
    builder = ListBuilder(LIST_SOURCE)
    seen: set[str] = set()
    for el in iter_records(path, {"sanctionEntity"}, {"export"}, "EU FSF XML"):
        ref = el.get("logicalId", "")
        if ref in seen:
            builder.problem(ref, f"{path}:sanctionEntity", "duplicate logicalId; first kept")
            continue
        seen.add(ref)
        _entity(builder, el, path)
    if not builder.entries:
        raise ListError(f"{path}: EU FSF XML without any sanctionEntity")
    return finish(builder)


def _legacy_entity(builder: ListBuilder, el: ET.Element, path: Path) -> None:
    ref = el.get("Id")
    location = f"{path}:ENTITY[Id={ref}]"
    names: list[tuple[str, NameParts]] = []
    for x in el.findall("NAME"):
        parts = (text(x, "FIRSTNAME"), text(x, "MIDDLENAME"), text(x, "LASTNAME"))
        whole = text(x, "WHOLENAME") or join_name(*parts)
        if whole:
            names.append((whole, parts))
    if not ref or not names:
        builder.problem(ref, location, "ENTITY without Id or name; not loaded")
        return
    gender = {"M": "male", "F": "female"}.get(text(el, "NAME/GENDER") or "")
    uid = builder.entry(
        ref,
        entity_type=SUBJECT_TYPES.get((el.get("Type") or "").casefold(), "unknown"),
        primary_name=names[0][0],
        programs=[el.get("programme", "")],
        listed_on=exact_date(el.get("reg_date")),
        asset_freeze=True,
        gender=gender,
        remarks=clean(el.get("remark")),
    )
    for name, (given, middle, family) in names:
        builder.name(uid, name, given_name=given, middle_name=middle, family_name=family)
    for birth in el.findall("BIRTH"):
        raw = text(birth, "DATE")
        if raw and not builder.dob(uid, raw):
            builder.problem(ref, location, f"birth date not understood: {raw!r}")
        place = text(birth, "PLACE")
        if place or text(birth, "COUNTRY"):
            builder.address(uid, place, country=text(birth, "COUNTRY"), kind="birth_place")
    for passport in el.findall("PASSPORT"):
        number = re.sub(r"\s*\(.*$", "", text(passport, "NUMBER") or "")
        builder.identifier(uid, "passport", number, text(passport, "COUNTRY"))
    for cit in el.findall("CITIZEN"):
        builder.country(uid, text(cit, "COUNTRY"), "citizenship")
    for addr in el.findall("ADDRESS"):
        full = ", ".join(p for p in (text(addr, k) for k in ("STREET", "NUMBER", "ZIPCODE", "CITY", "OTHER")) if p)
        builder.address(uid, full or None, city=text(addr, "CITY"), country=text(addr, "COUNTRY"))


def parse_legacy_xml(path: Path) -> Parsed:
    builder = ListBuilder(LIST_SOURCE)
    for el in iter_records(path, {"ENTITY"}, {"WHOLE"}, "EU FSF legacy XML"):
        _legacy_entity(builder, el, path)
    if not builder.entries:
        raise ListError(f"{path}: EU FSF legacy XML without any ENTITY")
    return finish(builder)


def parse_csv(path: Path) -> Parsed:
    """The FSF CSV: one row per alias / birth date / citizenship / address / document, repeated
    entity columns; rows are grouped by ``Entity_LogicalId``."""
    header, rows = read_csv_table(path, "EU FSF CSV", delimiter=";")
    required = {"Entity_LogicalId", "NameAlias_WholeName"}
    if not required <= set(header):
        raise ListError(f"{path}: EU FSF CSV without columns {sorted(required - set(header))} (schema changed?)")
    builder = ListBuilder(LIST_SOURCE)
    uids: dict[str, str] = {}
    for line, values in rows:
        if len(values) != len(header):
            builder.problem(
                values[1] if len(values) > 1 else None,
                f"{path}:{line}",
                f"malformed row: {len(values)} fields, expected {len(header)}",
            )
            continue
        row = dict(zip(header, values, strict=True))
        ref = clean(row.get("Entity_LogicalId"))
        location = f"{path}:{line}"
        if not ref:
            builder.problem(None, location, "row without Entity_LogicalId")
            continue
        given, middle, family = (
            row.get("NameAlias_FirstName"),
            row.get("NameAlias_MiddleName"),
            row.get("NameAlias_LastName"),
        )
        name = clean(row.get("NameAlias_WholeName")) or join_name(given, middle, family)
        if ref not in uids:
            if not name:
                builder.problem(ref, location, "first row of an entity without a name")
                continue
            subject = row.get("Entity_SubjectType") or row.get("Entity_SubjectType_ClassificationCode") or ""
            uids[ref] = builder.entry(
                ref,
                entity_type=SUBJECT_TYPES.get(subject.casefold(), "unknown"),
                primary_name=name,
                programs=[clean(row.get("Entity_Regulation_Programme")) or ""],
                listed_on=exact_date(row.get("Entity_DesignationDate")),
                asset_freeze=True,
                linked_refs=_un_refs(row.get("Entity_UnitedNationId")),
                remarks=clean(row.get("Entity_Remark")),
            )
            if eu_ref := clean(row.get("Entity_EU_ReferenceNumber")):
                builder.identifier(uids[ref], "other", f"EU reference {eu_ref}")
        uid = uids[ref]
        builder.name(
            uid,
            name,
            strength="weak" if row.get("NameAlias_Strong") == "false" else "strong",
            given_name=given,
            middle_name=middle,
            family_name=family,
        )
        dob = clean(row.get("BirthDate_BirthDate")) or clean(row.get("BirthDate_Year"))
        if dob and not builder.dob(uid, dob):
            builder.problem(ref, location, f"birth date not understood: {dob!r}")
        if country := clean(row.get("Citizenship_CountryIso2Code")):
            builder.country(uid, country, "citizenship")
        if number := clean(row.get("Identification_Number")):
            kind = ID_TYPES.get((row.get("Identification_TypeCode") or "").casefold(), "other")
            builder.identifier(uid, kind, number, clean(row.get("Identification_CountryIso2Code")))
        if (street := clean(row.get("Address_Street"))) or clean(row.get("Address_City")):
            builder.address(
                uid, street, city=clean(row.get("Address_City")), country=clean(row.get("Address_CountryIso2Code"))
            )
    if not builder.entries:
        raise ListError(f"{path}: EU FSF CSV without any entity")
    return finish(builder)
