"""OFAC list XML in the ``sdn.xml`` schema (``<sdnList>`` of ``<sdnEntry>``), used for both the
SDN list and the consolidated non-SDN list (``consolidated.xml``).

Entries carry ``uid``, ``firstName``/``lastName``, ``sdnType`` (Individual, Entity, Vessel,
Aircraft), programs, ``akaList`` (``category`` strong / weak), ``idList`` (passports,
registration numbers, IMO, digital currency addresses...), addresses, nationalities,
citizenships, dates and places of birth and ``vesselInfo``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from pipelines.errors import ListError
from pipelines.lists.common import ListBuilder, Parsed, finish, join_name
from pipelines.lists.formats.ofac_remarks import id_type_for, parse_remarks
from pipelines.lists.formats.xmlutil import iter_records, text, texts

TYPES = {"individual": "person", "entity": "organization", "vessel": "vessel", "aircraft": "aircraft"}
_IMO = re.compile(r"(\d{7})")


def ofac_name(first: str | None, last: str | None) -> str | None:
    """OFAC writes individuals as ``LAST, First``; entities have only a last name."""
    if last and first:
        return f"{last}, {first}"
    return join_name(last, first)


def ofac_parts(first: str | None, last: str | None) -> tuple[str | None, str | None, str | None]:
    """Given, middle and family name from ``firstName`` / ``lastName`` of an individual:
    ``lastName`` is the family name, the first word of ``firstName`` the given name and the
    rest of it the middle name (as the legacy CSV's ``LAST, First Middle``); nothing when one
    of the two is missing."""
    words = (first or "").split()
    if not words or not last:
        return None, None, None  # a name in one field only is not split into parts
    return words[0], " ".join(words[1:]) or None, last


def _entry(builder: ListBuilder, el: ET.Element, path: Path, asset_freeze: bool) -> None:
    ref = text(el, "uid")
    location = f"{path}:sdnEntry[uid={ref}]"
    name = ofac_name(text(el, "firstName"), text(el, "lastName"))
    if not ref or not name:
        builder.problem(ref, location, "sdnEntry without uid or name; not loaded")
        return
    sdn_type = (text(el, "sdnType") or "").casefold()
    entity_type = TYPES.get(sdn_type, "unknown")
    if sdn_type not in TYPES:
        builder.problem(ref, location, f"unknown sdnType {sdn_type!r}; read as unknown")
    uid = builder.uid(ref)
    remarks = text(el, "remarks")
    facts = parse_remarks(builder, uid, ref, remarks or "", location)
    gender = facts.gender
    for item in el.findall("idList/id"):
        label, number = text(item, "idType") or "", text(item, "idNumber")
        if label.casefold() == "gender":
            gender = (number or "").lower() or None
            continue
        if label.casefold().startswith("nationality of registration"):
            builder.country(uid, text(item, "idCountry") or number, "registration")
            continue
        kind = id_type_for(label)
        if kind is None or not number:
            continue
        if kind == "crypto":
            ticker = label.rsplit("-", 1)[-1].strip()
            number = f"{ticker}:{number}"
        elif kind == "imo":
            found = _IMO.search(number)
            number = found[1] if found else number
        builder.identifier(uid, kind, number, text(item, "idCountry"))
    builder.entry(
        ref,
        entity_type=entity_type,
        primary_name=name,
        programs=texts(el, "programList/program"),
        asset_freeze=asset_freeze,
        gender=gender,
        linked_refs=[f"UN-SC:{r}" for r in facts.un_refs],
        remarks=remarks,
    )
    if entity_type == "person":
        given, middle, family = ofac_parts(text(el, "firstName"), text(el, "lastName"))
        builder.name(uid, name, given_name=given, middle_name=middle, family_name=family)
    for alias in facts.weak_aliases:
        builder.name(uid, alias, strength="weak")
    for aka in el.findall("akaList/aka"):
        kind = (text(aka, "type") or "").casefold()
        first, last = text(aka, "firstName"), text(aka, "lastName")
        given, middle, family = ofac_parts(first, last) if entity_type == "person" else (None, None, None)
        builder.name(
            uid,
            ofac_name(first, last),
            strength="weak" if (text(aka, "category") or "").casefold() == "weak" else "strong",
            name_type="former" if kind.startswith("f.k.a") else "alias",
            given_name=given,
            middle_name=middle,
            family_name=family,
        )
    for addr in el.findall("addressList/address"):
        street = ", ".join(texts(addr, "address1") + texts(addr, "address2") + texts(addr, "address3"))
        region = join_name(text(addr, "stateOrProvince"), text(addr, "postalCode"))
        builder.address(
            uid,
            ", ".join(p for p in (street, text(addr, "city"), region) if p) or None,
            city=text(addr, "city"),
            country=text(addr, "country"),
        )
    for nat in texts(el, "nationalityList/nationality/country"):
        builder.country(uid, nat, "nationality")
    for cit in texts(el, "citizenshipList/citizenship/country"):
        builder.country(uid, cit, "citizenship")
    for dob in texts(el, "dateOfBirthList/dateOfBirthItem/dateOfBirth"):
        if not builder.dob(uid, dob):
            builder.problem(ref, location, f"date of birth not understood: {dob!r}")
    for pob in texts(el, "placeOfBirthList/placeOfBirthItem/placeOfBirth"):
        builder.address(uid, pob, country=pob.rsplit(",", 1)[-1], kind="birth_place")
    vessel = el.find("vesselInfo")
    if vessel is not None:
        if flag := text(vessel, "vesselFlag"):
            builder.country(uid, flag, "registration")
        if call_sign := text(vessel, "callSign"):
            builder.identifier(uid, "other", f"call sign {call_sign}")


# programmes that only ever appear on the non-SDN lists (sectoral, CMIC, PLC, FSE, menu-based)
NON_SDN_PROGRAMS = frozenset(
    {
        "NS-PLC",
        "UKRAINE-EO13662",
        "CMIC-EO13959",
        "NS-MBS",
        "561-RELATED",
        "FSE-IR",
        "FSE-SY",
        "FSE-WMD",
        "FSE-SDGT",
        "NS-ISA",
        "CAPTA",
        "SSI",
    }
)


def which_list(path: Path) -> str:
    """OFAC-CONS when most entries sit only under non-SDN programmes, else OFAC-SDN: the two
    publications share one schema and say nothing else about which list they are."""
    total = non_sdn = 0
    for el in iter_records(path, {"programList"}, {"sdnList"}, "OFAC sdnList XML"):
        programs = {p.upper() for p in texts(el, "program")}
        total += 1
        non_sdn += bool(programs) and programs <= NON_SDN_PROGRAMS
    return "OFAC-CONS" if total and non_sdn * 2 > total else "OFAC-SDN"


def parse(path: Path, list_source: str | None = None) -> Parsed:
    list_source = list_source or which_list(path)
    builder = ListBuilder(list_source)
    seen: set[str] = set()
    for el in iter_records(path, {"sdnEntry"}, {"sdnList"}, "OFAC sdnList XML"):
        ref = text(el, "uid")
        if ref in seen:
            builder.problem(ref, f"{path}:sdnEntry", "duplicate uid; first kept")
            continue
        seen.add(ref or "")
        _entry(builder, el, path, asset_freeze=list_source == "OFAC-SDN")
    if not builder.entries:
        raise ListError(f"{path}: OFAC XML without any sdnEntry")
    return finish(builder)
