"""GLEIF golden copy: LEI-CDF entity records and RR-CDF relationship records.

Entities registered at Companies House (registration authority ``RA000585``) are known by their
company number, so an LEI joins the UK register; any other entity is ``lei:<LEI>``. GLEIF
relationships carry no shares: an active ``IS_DIRECTLY_CONSOLIDATED_BY`` becomes a control edge
("consolidated-by-parent", parent over child). Fund-management and ultimate-parent relationships
are not ownership edges and are left out. Files are streamed, so a full golden copy fits in memory.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Final

from pipelines.registry.companies_house import parse_date
from pipelines.registry.countries import place_code
from pipelines.registry.model import Parsed, company_number

COMPANIES_HOUSE_RA: Final = "RA000585"
CONSOLIDATION: Final = "IS_DIRECTLY_CONSOLIDATED_BY"


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _find(element: ET.Element, *path: str) -> ET.Element | None:
    node: ET.Element | None = element
    for name in path:
        if node is None:
            return None
        node = next((child for child in node if _local(child.tag) == name), None)
    return node


def _text(element: ET.Element, *path: str) -> str | None:
    node = _find(element, *path)
    return node.text.strip() if node is not None and node.text and node.text.strip() else None


def read_lei(path: Path) -> Parsed:
    parsed = Parsed()
    for _, element in ET.iterparse(path, events=("end",)):
        if _local(element.tag) != "LEIRecord":
            continue
        lei = _text(element, "LEI")
        if not lei:
            parsed.skip("LEI record without LEI")
            element.clear()
            continue
        ra = _text(element, "Entity", "RegistrationAuthority", "RegistrationAuthorityID")
        ra_id = _text(element, "Entity", "RegistrationAuthority", "RegistrationAuthorityEntityID")
        node_id = company_number(ra_id) if ra == COMPANIES_HOUSE_RA and ra_id else f"lei:{lei}"
        if node_id != f"lei:{lei}":
            parsed.aliases[f"lei:{lei}"] = str(node_id)
        jurisdiction = _text(element, "Entity", "LegalJurisdiction")
        parsed.companies.append(
            {
                "company_id": node_id,
                "company_name": _text(element, "Entity", "LegalName"),
                "status": _text(element, "Entity", "EntityStatus"),
                "country": _text(element, "Entity", "LegalAddress", "Country")
                or (place_code(jurisdiction[:2]) if jurisdiction else None),
                "incorporated_on": parse_date((_text(element, "Entity", "EntityCreationDate") or "")[:10]),
                "dissolved_on": None,
                "source": f"{path.name}:LEI {lei}",
            }
        )
        element.clear()
    return parsed


def read_rr(path: Path) -> Parsed:
    parsed = Parsed()
    for _, element in ET.iterparse(path, events=("end",)):
        if _local(element.tag) != "RelationshipRecord":
            continue
        kind = _text(element, "Relationship", "RelationshipType")
        status = _text(element, "Relationship", "RelationshipStatus")
        child = _text(element, "Relationship", "StartNode", "NodeID")
        parent = _text(element, "Relationship", "EndNode", "NodeID")
        element.clear()
        if kind != CONSOLIDATION:
            parsed.skip(f"relationship {kind} is not ownership")
            continue
        if status != "ACTIVE" or not child or not parent:
            parsed.skip("inactive relationship")
            continue
        parsed.edges.append(
            {
                "owner_id": f"lei:{parent}",
                "owned_id": f"lei:{child}",
                "share_low": None,
                "share_high": None,
                "control": ["consolidated-by-parent"],
                "natures": [kind],
                "notified_on": None,
                "source": f"{path.name}:{child}->{parent}",
            }
        )
    return parsed
