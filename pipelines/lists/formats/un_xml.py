"""UN Security Council consolidated list XML (``<CONSOLIDATED_LIST>``, sc-sanctions.xsd).

``INDIVIDUALS/INDIVIDUAL`` and ``ENTITIES/ENTITY`` records keyed by ``REFERENCE_NUMBER``
(e.g. ``QDi.001``); names in ``FIRST_NAME`` … ``FOURTH_NAME`` and ``NAME_ORIGINAL_SCRIPT``;
aliases with ``QUALITY`` Good / a.k.a. (strong), Low (weak) or f.k.a. (former); dates of birth
as an exact ``DATE``, a ``YEAR``, or ``FROM_YEAR``/``TO_YEAR`` with ``TYPE_OF_DATE`` EXACT,
APPROXIMATELY or BETWEEN; nationalities, places of birth, addresses and documents.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

from pipelines.errors import ListError
from pipelines.lists.common import ListBuilder, Parsed, clean, exact_date, finish, join_name

LIST_SOURCE = "UN-SC"
_IMO = re.compile(r"IMO\)?\s*(?:Number|No\.?)?[:\s]*(\d{7})\b")


def _text(el: ET.Element | None, tag: str) -> str | None:
    if el is None:
        return None
    child = el.find(tag)
    return clean(child.text) if child is not None and child.text else None


def _values(el: ET.Element, tag: str) -> list[str]:
    out: list[str] = []
    for holder in el.findall(tag):
        for value in holder.findall("VALUE"):
            text = clean(value.text)
            if text:
                out.append(text)
    return out


def _document_type(kind: str | None) -> str:
    lowered = (kind or "").casefold()
    if "passport" in lowered or "pasaporte" in lowered or "passeport" in lowered:
        return "passport"
    if "identi" in lowered or "national" in lowered:
        return "national_id"
    if "fiscal" in lowered or "tax" in lowered:
        return "tax"
    return "other"


def _dob(builder: ListBuilder, uid: str, ref: str, el: ET.Element, location: str) -> None:
    kind = (_text(el, "TYPE_OF_DATE") or "EXACT").upper()
    exact, year = _text(el, "DATE"), _text(el, "YEAR")
    start, end = _text(el, "FROM_YEAR"), _text(el, "TO_YEAR")
    span: tuple[date, date] | None = None
    raw: str | None = None
    try:
        if exact:
            day = exact_date(exact)
            raw = exact
            if day is None:
                builder.problem(ref, location, f"date of birth not understood: {exact!r}")
                return
            span = (day, day)
        elif year:
            raw = year
            span = (date(int(year), 1, 1), date(int(year), 12, 31))
        elif start or end:
            raw = f"{start or '?'} to {end or '?'}"
            first, last = int(start or end or 0), int(end or start or 0)
            span = (date(first, 1, 1), date(last, 12, 31))
    except ValueError:
        builder.problem(ref, location, f"date of birth not understood: {exact or year or raw!r}")
        return
    if span is None:
        return
    if kind == "APPROXIMATELY":
        raw = f"approximately {raw}"
        span = (date(span[0].year - 1, 1, 1), date(span[1].year + 1, 12, 31))
    builder.dob(uid, raw, span)


def _record(builder: ListBuilder, el: ET.Element, path: Path, is_person: bool) -> None:
    ref = _text(el, "REFERENCE_NUMBER")
    data_id = _text(el, "DATAID")
    location = f"{path}:{'INDIVIDUAL' if is_person else 'ENTITY'}[DATAID={data_id}]"
    if not ref:
        builder.problem(data_id, location, "record without REFERENCE_NUMBER; not loaded")
        return
    fields = [_text(el, t) for t in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")]
    name = join_name(*fields)
    if not name:
        builder.problem(ref, location, "record without a name; not loaded")
        return
    listed = _text(el, "LISTED_ON")
    comments = _text(el, "COMMENTS1")
    uid = builder.uid(ref)
    gender = (_text(el, "GENDER") or "").lower() or None
    builder.entry(
        ref,
        entity_type="person" if is_person else "organization",
        primary_name=name,
        programs=[p for p in [_text(el, "UN_LIST_TYPE")] if p],
        listed_on=exact_date(listed),
        asset_freeze=True,
        gender=gender if gender in {"male", "female"} else None,
        remarks=comments,
        # The UN writes names in FIRST_NAME ... FOURTH_NAME in the order they are written and
        # does not mark the family name (it is FIRST_NAME in Korean entries, often SECOND_NAME
        # in Persian ones, a later one in Arabic ones): FIRST_NAME is kept as given name, the
        # others as middle name, no family name.
        given_name=fields[0] if is_person and " ; " not in name else None,
        middle_name=join_name(*fields[1:]) if is_person and " ; " not in name else None,
    )
    if " ; " in name:
        for part in name.split(" ; "):
            builder.name(uid, part)
    builder.name(uid, _text(el, "NAME_ORIGINAL_SCRIPT"), name_type="original_script")
    alias_tag = "INDIVIDUAL_ALIAS" if is_person else "ENTITY_ALIAS"
    for alias in el.findall(alias_tag):
        quality = (_text(alias, "QUALITY") or "").casefold()
        builder.name(
            uid,
            _text(alias, "ALIAS_NAME"),
            strength="weak" if quality == "low" else "strong",
            name_type="former" if quality == "f.k.a." else "alias",
        )
        alias_dob = _text(alias, "DATE_OF_BIRTH")
        if alias_dob and not builder.dob(uid, alias_dob):
            builder.problem(ref, location, f"date of birth not understood: {alias_dob!r}")
    for nationality in _values(el, "NATIONALITY"):
        if not builder.country(uid, nationality, "nationality"):
            builder.problem(ref, location, f"nationality not a known country: {nationality!r}")
    address_tag = "INDIVIDUAL_ADDRESS" if is_person else "ENTITY_ADDRESS"
    for addr in el.findall(address_tag):
        street = join_name(_text(addr, "STREET"), _text(addr, "STATE_PROVINCE"), _text(addr, "ZIP_CODE"))
        builder.address(uid, street, city=_text(addr, "CITY"), country=_text(addr, "COUNTRY"))
    for dob in el.findall("INDIVIDUAL_DATE_OF_BIRTH"):
        _dob(builder, uid, ref, dob, location)
    for pob in el.findall("INDIVIDUAL_PLACE_OF_BIRTH"):
        place = ", ".join(p for p in (_text(pob, t) for t in ("CITY", "STATE_PROVINCE", "COUNTRY")) if p)
        builder.address(uid, place or None, city=_text(pob, "CITY"), country=_text(pob, "COUNTRY"), kind="birth_place")
    for doc in el.findall("INDIVIDUAL_DOCUMENT"):
        number = _text(doc, "NUMBER")
        if number:
            kind = _text(doc, "TYPE_OF_DOCUMENT") or _text(doc, "TYPE_OF_DOCUMENT2")
            country = _text(doc, "ISSUING_COUNTRY") or _text(doc, "COUNTRY_OF_ISSUE")
            builder.identifier(uid, _document_type(kind), number, country)
    for imo in _IMO.findall(comments or ""):
        builder.identifier(uid, "imo", imo)


def parse(path: Path) -> Parsed:
    builder = ListBuilder(LIST_SOURCE)
    seen: set[str] = set()
    root_seen = False
    try:
        for event, el in ET.iterparse(path, events=("start", "end")):
            if event == "start":
                if not root_seen:
                    root_seen = True
                    if el.tag != "CONSOLIDATED_LIST":
                        raise ListError(f"{path}: not a UN consolidated list (root <{el.tag}>)")
                continue
            if el.tag in ("INDIVIDUAL", "ENTITY"):
                ref = _text(el, "REFERENCE_NUMBER")
                if ref and ref in seen:
                    builder.problem(ref, f"{path}:{el.tag}", "duplicate reference number; first kept")
                else:
                    _record(builder, el, path, el.tag == "INDIVIDUAL")
                    if ref:
                        seen.add(ref)
                el.clear()
    except ET.ParseError as exc:
        raise ListError(f"{path}: truncated or malformed UN XML ({exc})") from exc
    if not builder.entries:
        raise ListError(f"{path}: UN consolidated list without any INDIVIDUAL or ENTITY")
    return finish(builder)
