"""The harmonised register tables every loader produces.

Node ids: a UK company is its Companies House number (``"08209948"``, ``"SC123456"``); any other
entity or person gets a prefixed id (``"bods:<record id>"``, ``"lei:<LEI>"``,
``"psc:<company number>/<psc id>"``) so ids from different sources cannot collide.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final

import polars as pl

from screening.model import empty

COMPANY_SCHEMA: Final[dict[str, pl.DataType]] = {
    "company_id": pl.String(),
    "company_name": pl.String(),
    "status": pl.String(),
    "country": pl.String(),  # ISO 3166-1 alpha-2 of registration, when known
    "incorporated_on": pl.String(),  # ISO date as published after parsing; raw text when unparseable
    "dissolved_on": pl.String(),
    "source": pl.String(),  # file name and line / record
}

PERSON_SCHEMA: Final[dict[str, pl.DataType]] = {
    "person_id": pl.String(),
    "name": pl.String(),
    "entity_type": pl.String(),  # person | organization
    "kind": pl.String(),  # the register's own kind, e.g. individual-person-with-significant-control
    "dob": pl.String(),  # YYYY or YYYY-MM or YYYY-MM-DD
    "nationality": pl.String(),  # ISO alpha-2 when recognised, else as published
    "country": pl.String(),  # residence or registration country, ISO alpha-2 when recognised
    "registration_number": pl.String(),
    "source": pl.String(),
}

EDGE_SCHEMA: Final[dict[str, pl.DataType]] = {
    "owner_id": pl.String(),
    "owned_id": pl.String(),
    "share_low": pl.Float64(),
    "share_high": pl.Float64(),
    "control": pl.List(pl.String()),
    "natures": pl.List(pl.String()),  # as published: natures_of_control, BODS interest types
    "notified_on": pl.String(),
    "source": pl.String(),
}

OFFICER_SCHEMA: Final[dict[str, pl.DataType]] = {
    "officer_id": pl.String(),
    "company_id": pl.String(),
    "name": pl.String(),
    "officer_role": pl.String(),
    "dob": pl.String(),
    "nationality": pl.String(),
    "country": pl.String(),
    "appointed_on": pl.String(),
    "resigned_on": pl.String(),
    "source": pl.String(),
}

TABLES: Final = ("companies", "persons", "edges", "officers")
SCHEMAS: Final = {
    "companies": COMPANY_SCHEMA,
    "persons": PERSON_SCHEMA,
    "edges": EDGE_SCHEMA,
    "officers": OFFICER_SCHEMA,
}

_CH_NUMBER = re.compile(r"^(?:[A-Z]{2}\d{6}|\d{8})$")


def company_number(raw: str | None) -> str | None:
    """A Companies House number in its published eight-character form ("686734" → "00686734")."""
    if raw is None:
        return None
    text = "".join(raw.split()).upper()
    if not text:
        return None
    if text.isdigit() and len(text) < 8:
        text = text.zfill(8)
    return text


def is_company_number(value: str | None) -> bool:
    return bool(value) and bool(_CH_NUMBER.match(value or ""))


@dataclass
class Parsed:
    """What one register file yields, before validation."""

    companies: list[dict[str, object]] = field(default_factory=list)
    persons: list[dict[str, object]] = field(default_factory=list)
    edges: list[dict[str, object]] = field(default_factory=list)
    officers: list[dict[str, object]] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)
    # Another id of the same node, e.g. "lei:<LEI>" of a company known by its register number.
    aliases: dict[str, str] = field(default_factory=dict)

    def skip(self, reason: str) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + 1

    def frames(self) -> dict[str, pl.DataFrame]:
        out: dict[str, pl.DataFrame] = {}
        for table in TABLES:
            rows = getattr(self, table)
            schema = SCHEMAS[table]
            out[table] = pl.DataFrame(rows, schema=schema) if rows else empty(schema)
        return out
