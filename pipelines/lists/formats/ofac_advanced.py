"""OFAC "advanced" XML (``SDN_ADVANCED.XML``, ``CONS_ADVANCED.XML``; root ``<Sanctions>``).

Reference value sets first (countries, feature types, document types, lists, party sub-types),
then ``Locations``, ``IDRegDocuments``, ``DistinctParties`` (one ``Profile`` each, with
``Identity/Alias/DocumentedName`` names carrying ``LowQuality`` and the name-part types, and
``Feature``s for birth dates, places, nationalities, addresses, gender, vessel flags...) and
finally ``SanctionsEntries`` that say on which list (SDN or one of the non-SDN lists) a profile
sits, under which programmes and since when. Each profile becomes one entry, in OFAC-SDN when
any of its sanctions entries is on the SDN list, else in OFAC-CONS.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pipelines.errors import ListError
from pipelines.lists.common import ListBuilder, NameParts, Parsed, clean, finish, join_name
from pipelines.lists.formats.ofac_remarks import id_type_for
from pipelines.lists.formats.xmlutil import iter_records, text

PARTY_TYPES = {"individual": "person", "entity": "organization", "vessel": "vessel", "aircraft": "aircraft"}


@dataclass
class _Refs:
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # set name -> id -> text
    iso2: dict[str, str] = field(default_factory=dict)  # country id -> ISO2
    party_type: dict[str, str] = field(default_factory=dict)  # party sub-type id -> entity type

    def get(self, kind: str, ref: str | None) -> str:
        return self.values.get(kind, {}).get(ref or "", "")


@dataclass
class _Location:
    country: str | None
    parts: list[str]


def _date(el: ET.Element | None) -> date | None:
    if el is None:
        return None
    try:
        return date(int(text(el, "Year") or 0), int(text(el, "Month") or 1), int(text(el, "Day") or 1))
    except ValueError:
        return None


def _reference_sets(el: ET.Element, refs: _Refs) -> None:
    for values in el:
        for value in values:
            ref = value.get("ID")
            if ref is None:
                continue
            refs.values.setdefault(value.tag, {})[ref] = clean(value.text) or ""
            if value.tag == "Country" and value.get("ISO2"):
                refs.iso2[ref] = value.get("ISO2", "")
    party_types = refs.values.get("PartyType", {})
    for value in el.iter("PartySubType"):
        sub = (clean(value.text) or "").casefold()
        parent = party_types.get(value.get("PartyTypeID", ""), "").casefold()
        refs.party_type[value.get("ID", "")] = PARTY_TYPES.get(sub) or PARTY_TYPES.get(parent, "unknown")


def _location(el: ET.Element, refs: _Refs) -> _Location:
    country = None
    lc = el.find("LocationCountry")
    if lc is not None:
        country = refs.iso2.get(lc.get("CountryID", ""))
    parts = [v for v in (text(p, "LocationPartValue/Value") for p in el.findall("LocationPart")) if v]
    return _Location(country, parts)


@dataclass
class _Profile:
    ref: str
    entity_type: str
    names: list[tuple[str, str, str, NameParts]]  # name, strength, name_type, name parts
    features: list[tuple[str, ET.Element]]
    identity_ids: list[str]


def _profile(el: ET.Element, refs: _Refs) -> _Profile | None:
    profile = el.find("Profile")
    ref = el.get("FixedRef")
    if profile is None or ref is None:
        return None
    names: list[tuple[str, str, str, NameParts]] = []
    identity_ids: list[str] = []
    for identity in profile.findall("Identity"):
        identity_ids.append(identity.get("ID", ""))
        part_types = {
            g.get("ID", ""): refs.get("NamePartType", g.get("NamePartTypeID")) for g in identity.iter("NamePartGroup")
        }
        for alias in identity.findall("Alias"):
            alias_type = refs.get("AliasType", alias.get("AliasTypeID")).casefold()
            primary = alias.get("Primary") == "true"
            strength = "weak" if alias.get("LowQuality") == "true" else "strong"
            for documented in alias.findall("DocumentedName"):
                parts: dict[str, str] = {}
                for value in documented.iter("NamePartValue"):
                    kind = part_types.get(value.get("NamePartGroupID", ""), "")
                    if value.text:
                        parts[kind] = value.text.strip()
                name_parts = (
                    parts.get("First Name"),
                    join_name(parts.get("Middle Name"), parts.get("Patronymic")),
                    parts.get("Last Name"),
                )
                last = parts.pop("Last Name", None)
                rest = " ".join(v for k, v in parts.items() if k != "Last Name")
                name = f"{last}, {rest}" if last and rest else (last or rest)
                if not name:
                    continue
                name_type = "primary" if primary else ("former" if alias_type.startswith("f.k.a") else "alias")
                names.append((name, strength, name_type, name_parts))
                primary = False  # script variants of the primary name are aliases
    features = [(refs.get("FeatureType", f.get("FeatureTypeID")), f) for f in profile.findall("Feature")]
    entity_type = refs.party_type.get(profile.get("PartySubTypeID", ""), "unknown")
    return _Profile(ref, entity_type, names, features, identity_ids)


def _feature(
    builder: ListBuilder,
    uid: str,
    ref: str,
    kind: str,
    feature: ET.Element,
    refs: _Refs,
    locations: dict[str, _Location],
    location: str,
) -> str | None:
    """Add one feature; returns the gender when the feature is one."""
    lowered = kind.casefold()
    for version in feature.findall("FeatureVersion"):
        detail = version.find("VersionDetail")
        value = clean(detail.text) if detail is not None and detail.text else None
        if detail is not None and not value and detail.get("DetailReferenceID"):
            value = refs.get("DetailReference", detail.get("DetailReferenceID"))
        loc = None
        vloc = version.find("VersionLocation")
        if vloc is not None:
            loc = locations.get(vloc.get("LocationID", ""))
        if lowered == "birthdate":
            period = version.find("DatePeriod")
            if period is None:
                continue
            start = _date(period.find("Start/From"))
            end = _date(period.find("End/To")) or start
            if start and end:
                raw = start.isoformat() if start == end else f"{start.isoformat()} to {end.isoformat()}"
                builder.dob(uid, raw, (start, end))
            else:
                builder.problem(ref, location, "birth date without a readable period")
        elif lowered == "place of birth":
            builder.address(uid, value, country=(value or "").rsplit(",", 1)[-1], kind="birth_place")
        elif lowered == "gender":
            return (value or "").lower() or None
        elif lowered in ("nationality country", "citizenship country", "nationality of registration", "vessel flag"):
            code = loc.country if loc else None
            target = {"nationality country": "nationality", "citizenship country": "citizenship"}
            if code:
                builder.country(uid, code, target.get(lowered, "registration"))
        elif lowered == "location":
            if loc and (loc.parts or loc.country):
                builder.address(uid, ", ".join(loc.parts) or None, country=loc.country)
        elif lowered == "vessel call sign" and value:
            builder.identifier(uid, "other", f"call sign {value}")
        elif value:
            id_type = id_type_for(kind)
            if id_type == "crypto":
                value = f"{kind.rsplit('-', 1)[-1].strip()}:{value}"
            if id_type and id_type != "other":
                builder.identifier(uid, id_type, value)
    return None


def parse(path: Path) -> Parsed:
    refs = _Refs()
    locations: dict[str, _Location] = {}
    documents: dict[str, list[tuple[str, str, str | None]]] = {}  # identity id -> (type, no, iso2)
    profiles: list[_Profile] = []
    listings: dict[str, list[tuple[str, list[str], date | None, bool]]] = {}
    tags = {"ReferenceValueSets", "Location", "IDRegDocument", "DistinctParty", "SanctionsEntry"}
    for el in iter_records(path, tags, {"Sanctions"}, "OFAC advanced XML"):
        if el.tag == "ReferenceValueSets":
            _reference_sets(el, refs)
        elif el.tag == "Location":
            locations[el.get("ID", "")] = _location(el, refs)
        elif el.tag == "IDRegDocument":
            number = text(el, "IDRegistrationNo")
            if number:
                doc_type = refs.get("IDRegDocType", el.get("IDRegDocTypeID"))
                documents.setdefault(el.get("IdentityID", ""), []).append(
                    (doc_type, number, refs.iso2.get(el.get("IssuedBy-CountryID", "")))
                )
        elif el.tag == "DistinctParty":
            found = _profile(el, refs)
            if found:
                profiles.append(found)
        elif el.tag == "SanctionsEntry":
            list_name = refs.get("List", el.get("ListID"))
            programs, blocking = [], False
            for measure in el.findall("SanctionsMeasure"):
                measure_type = refs.get("SanctionsType", measure.get("SanctionsTypeID"))
                if measure_type == "Program" and (program := text(measure, "Comment")):
                    programs.append(program)
                blocking = blocking or measure_type == "Block"
            listed = _date(el.find("EntryEvent/Date"))
            listings.setdefault(el.get("ProfileID", ""), []).append((list_name, programs, listed, blocking))
    if not profiles:
        raise ListError(f"{path}: OFAC advanced XML without any DistinctParty")

    builder = ListBuilder("OFAC-SDN")
    for profile in profiles:
        location = f"{path}:DistinctParty[FixedRef={profile.ref}]"
        entries = listings.get(profile.ref, [])
        if not entries:
            builder.problem(profile.ref, location, "profile without a sanctions entry; not loaded")
            continue
        if not profile.names:
            builder.problem(profile.ref, location, "profile without a name; not loaded")
            continue
        on_sdn = any(name == "SDN List" for name, *_ in entries)
        source = "OFAC-SDN" if on_sdn else "OFAC-CONS"
        uid = f"{source}:{profile.ref}"
        gender = None
        for kind, feature in profile.features:
            gender = _feature(builder, uid, profile.ref, kind, feature, refs, locations, location) or gender
        dates = [d for _, _, d, _ in entries if d]
        primary = next((n for n, _, t, _ in profile.names if t == "primary"), profile.names[0][0])
        builder.entry(
            profile.ref,
            entity_type=profile.entity_type,
            primary_name=primary,
            programs=[p for _, progs, _, _ in entries for p in progs],
            listed_on=min(dates) if dates else None,
            asset_freeze=any(block for *_, block in entries) or on_sdn,
            gender=gender,
            remarks="; ".join(sorted({name for name, *_ in entries})),
            list_source=source,
        )
        for name, strength, name_type, (given, middle, family) in profile.names:
            builder.name(
                uid,
                name,
                strength=strength,
                name_type=name_type,
                given_name=given,
                middle_name=middle,
                family_name=family,
            )
        for identity in profile.identity_ids:
            for doc_type, number, iso2 in documents.get(identity, []):
                id_type = id_type_for(doc_type) or "other"
                if id_type == "imo":
                    number = number.removeprefix("IMO").strip()
                builder.identifier(uid, id_type, number, iso2)
    return finish(builder)
