"""Beneficial Ownership Data Standard statements, versions 0.2/0.3 and 0.4.

0.2/0.3: ``statementType`` entityStatement / personStatement / ownershipOrControlStatement;
subjects and interested parties point at statement ids; ``replacesStatements`` retires older ones.
0.4: ``recordType`` entity / person / relationship with a stable ``recordId``; the latest statement
of a record wins and ``recordStatus: closed`` removes it.

Only *direct* interests become edges (an interest marked indirect summarises a path that the graph
already walks; counting it too would count the same shares twice). Interests with an end date have
ended and are left out. An entity with a GB-COH identifier is known by its company number.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final

from pipelines.registry.companies_house import parse_date
from pipelines.registry.countries import nationality_code, place_code
from pipelines.registry.model import Parsed, company_number, is_company_number

SHARE_TYPES: Final = frozenset({"shareholding", "rights-to-surplus-assets", "rightsToSurplusAssetsOnDissolution",
                                "rights-to-surplus-assets-on-dissolution"})  # fmt: skip
VOTE_TYPES: Final = frozenset({"voting-rights", "votingRights"})
APPOINT_TYPES: Final = frozenset({"appointment-of-board", "appointmentOfBoard"})
INFLUENCE_TYPES: Final = frozenset({
    "influence-or-control", "otherInfluenceOrControl", "other-influence-or-control",
    "controlViaCompanyRulesOrArticles", "control-via-company-rules-or-articles",
})  # fmt: skip


def is_bods(record: Mapping[str, Any]) -> bool:
    return "statementType" in record or ("recordType" in record and "recordDetails" in record)


def share_bounds(share: Mapping[str, Any] | None) -> tuple[float | None, float | None]:
    """(lower, upper) of a BODS share: exact, or minimum/exclusiveMinimum to maximum/exclusiveMaximum."""
    if not share:
        return None, None
    if share.get("exact") is not None:
        exact = float(share["exact"])
        return exact, exact
    low = share.get("minimum", share.get("exclusiveMinimum"))
    high = share.get("maximum", share.get("exclusiveMaximum"))
    if low is None and high is None:
        return None, None
    return float(low or 0.0), float(100.0 if high is None else high)


def _entity_id(statement_id: str, identifiers: Iterable[Mapping[str, Any]] | None) -> str:
    for ident in identifiers or ():
        scheme = str(ident.get("scheme") or "")
        number = company_number(str(ident.get("id") or ""))
        if scheme == "GB-COH" and is_company_number(number):
            return str(number)
    return f"bods:{statement_id}"


def _country(jurisdiction: Mapping[str, Any]) -> str | None:
    """ISO alpha-2 of a BODS jurisdiction; a subdivision code ("US-DE") gives its country."""
    code = str(jurisdiction.get("code") or "")
    if len(code) >= 2 and code[:2].isalpha() and (len(code) == 2 or code[2] == "-"):
        return code[:2].upper()
    return place_code(jurisdiction.get("name"))


def _person_name(names: Iterable[Mapping[str, Any]] | None) -> str | None:
    for name in names or ():
        full = name.get("fullName") or " ".join(str(p) for p in (name.get("givenName"), name.get("familyName")) if p)
        if full:
            return " ".join(str(full).split())
    return None


def _company(company_id: str, details: Mapping[str, Any], jurisdiction: Any, source: str) -> dict[str, Any]:
    """A company row from a BODS entity statement (0.2) or the details of an entity record (0.4)."""
    return {
        "company_id": company_id,
        "company_name": details.get("name"),
        "status": "dissolved" if details.get("dissolutionDate") else None,
        "country": _country(jurisdiction or {}),
        "incorporated_on": parse_date(details.get("foundingDate")),
        "dissolved_on": parse_date(details.get("dissolutionDate")),
        "source": source,
    }


def _person(person_id: str, details: Mapping[str, Any], source: str) -> dict[str, Any]:
    """A person row from a BODS person statement (0.2) or the details of a person record (0.4)."""
    nats = details.get("nationalities") or []
    return {
        "person_id": person_id,
        "name": _person_name(details.get("names")),
        "entity_type": "person",
        "kind": details.get("personType") or "person",
        "dob": details.get("birthDate"),
        "nationality": (nats[0].get("code") or nationality_code(nats[0].get("name"))) if nats else None,
        "country": None,
        "registration_number": None,
        "source": source,
    }


def _holding(interests: Iterable[Mapping[str, Any]], parsed: Parsed) -> dict[str, Any] | None:
    low: float | None = None
    high: float | None = None
    control: set[str] = set()
    natures: list[str] = []
    for interest in interests:
        kind = str(interest.get("type") or "unknown")
        if interest.get("endDate"):
            parsed.skip("interest ended")
            continue
        level = interest.get("directOrIndirect") or interest.get("interestLevel")
        if level == "indirect":
            parsed.skip("indirect interest (walked by the graph)")
            continue
        natures.append(kind)
        lo, hi = share_bounds(interest.get("share"))
        if kind in SHARE_TYPES and lo is not None and hi is not None:
            low = lo if low is None else max(low, lo)
            high = hi if high is None else max(high, hi)
        elif kind in VOTE_TYPES and lo is not None and lo >= 50:
            control.add("voting-majority")
        elif kind in APPOINT_TYPES:
            control.add("appoint-directors")
        elif kind in INFLUENCE_TYPES:
            control.add("significant-influence")
    if not natures:
        return None
    return {"share_low": low, "share_high": high, "control": sorted(control), "natures": natures}


def read_bods(name: str, records: Iterable[Mapping[str, Any]]) -> Parsed:
    statements = list(records)
    if any("recordType" in s for s in statements):
        return _read_v04(name, statements)
    return _read_v02(name, statements)


def _read_v02(name: str, statements: list[Mapping[str, Any]]) -> Parsed:
    parsed = Parsed()
    replaced = {r for s in statements for r in s.get("replacesStatements") or ()}
    entity_ids: dict[str, str] = {}
    live = [s for s in statements if s.get("statementID") not in replaced]
    for pos, s in enumerate(live, start=1):
        sid = str(s.get("statementID"))
        stype = s.get("statementType")
        source = f"{name}:{pos}"
        if stype == "entityStatement":
            entity_ids[sid] = _entity_id(sid, s.get("identifiers"))
            parsed.companies.append(_company(entity_ids[sid], s, s.get("incorporatedInJurisdiction"), source))
        elif stype == "personStatement":
            parsed.persons.append(_person(f"bods:{sid}", s, source))
    for pos, s in enumerate(live, start=1):
        if s.get("statementType") != "ownershipOrControlStatement":
            continue
        subject = (s.get("subject") or {}).get("describedByEntityStatement")
        party = s.get("interestedParty") or {}
        owner_ref = party.get("describedByEntityStatement") or party.get("describedByPersonStatement")
        if not subject or not owner_ref:
            parsed.skip("unspecified interested party")
            continue
        holding = _holding(s.get("interests") or (), parsed)
        if holding is None:
            continue
        if "describedByEntityStatement" in party:
            owner_id = entity_ids.get(str(owner_ref), f"bods:{owner_ref}")
        else:
            owner_id = f"bods:{owner_ref}"
        parsed.edges.append(
            {
                "owner_id": owner_id,
                "owned_id": entity_ids.get(str(subject), f"bods:{subject}"),
                **holding,
                "notified_on": parse_date(s.get("statementDate")),
                "source": f"{name}:{pos}",
            }
        )
    return parsed


def _read_v04(name: str, statements: list[Mapping[str, Any]]) -> Parsed:
    parsed = Parsed()
    latest: dict[str, tuple[int, Mapping[str, Any]]] = {}
    for pos, s in enumerate(statements, start=1):
        rid = str(s.get("recordId"))
        previous = latest.get(rid)
        if previous is None or str(s.get("statementDate") or "") >= str(previous[1].get("statementDate") or ""):
            latest[rid] = (pos, s)
    entity_ids: dict[str, str] = {}
    for rid, (pos, s) in latest.items():
        details = s.get("recordDetails") or {}
        if s.get("recordStatus") == "closed":
            parsed.skip("record closed")
            continue
        source = f"{name}:{pos}"
        if s.get("recordType") == "entity":
            entity_ids[rid] = _entity_id(rid, details.get("identifiers"))
            parsed.companies.append(_company(entity_ids[rid], details, details.get("jurisdiction"), source))
        elif s.get("recordType") == "person":
            parsed.persons.append(_person(f"bods:{rid}", details, source))
    for pos, s in latest.values():
        details = s.get("recordDetails") or {}
        if s.get("recordType") != "relationship" or s.get("recordStatus") == "closed":
            continue
        subject, party = details.get("subject"), details.get("interestedParty")
        if not isinstance(subject, str) or not isinstance(party, str):
            parsed.skip("unspecified subject or interested party")
            continue
        holding = _holding(details.get("interests") or (), parsed)
        if holding is None:
            continue
        parsed.edges.append(
            {
                "owner_id": entity_ids.get(party, f"bods:{party}"),
                "owned_id": entity_ids.get(subject, f"bods:{subject}"),
                **holding,
                "notified_on": parse_date(s.get("statementDate")),
                "source": f"{name}:{pos}",
            }
        )
    return parsed
