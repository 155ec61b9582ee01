"""The harmonised data model shared by list parsers, the matcher and the reports.

A watchlist is a handful of polars tables keyed by ``uid`` (``"<list_source>:<entry_id>"``).
``entry_id`` is the list's own reference (OFAC entry number, UN reference number, EU logical id,
UK group id); ``list_source`` names the publication it came from.

Parties are what gets screened: one row per record with at least ``record_id``, ``name`` and
``entity_type``; ``dob``, ``country``, ``id_number`` and ``gender`` are optional.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar, Final

import polars as pl

ENTITY_TYPES: Final = ("person", "organization", "vessel", "aircraft", "unknown")

ENTRY_SCHEMA: Final[dict[str, pl.DataType]] = {
    "uid": pl.String(),
    "list_source": pl.String(),
    "entry_id": pl.String(),
    "entity_type": pl.String(),
    "primary_name": pl.String(),
    "programs": pl.List(pl.String()),
    "listed_on": pl.Date(),
    "asset_freeze": pl.Boolean(),
    "gender": pl.String(),
    "linked_refs": pl.List(pl.String()),
    "remarks": pl.String(),
}

NAME_SCHEMA: Final[dict[str, pl.DataType]] = {
    "uid": pl.String(),
    "name": pl.String(),
    "strength": pl.String(),  # strong | weak
    "name_type": pl.String(),  # primary | alias | former | original_script
    "script": pl.String(),  # Latin, Cyrillic, Arabic, ... of the name as published
    # name parts where the source gives them (persons only; null otherwise)
    "given_name": pl.String(),
    "middle_name": pl.String(),
    "family_name": pl.String(),
}

DOB_SCHEMA: Final[dict[str, pl.DataType]] = {
    "uid": pl.String(),
    "dob_from": pl.Date(),
    "dob_to": pl.Date(),
    "raw": pl.String(),
}

COUNTRY_SCHEMA: Final[dict[str, pl.DataType]] = {
    "uid": pl.String(),
    "country": pl.String(),  # ISO 3166-1 alpha-2
    "kind": pl.String(),  # nationality | citizenship | residence | registration | birth | address
}

IDENTIFIER_SCHEMA: Final[dict[str, pl.DataType]] = {
    "uid": pl.String(),
    "id_type": pl.String(),  # passport | national_id | registration | imo | lei | bic | crypto | tax | other
    "value": pl.String(),
    "country": pl.String(),
}

ADDRESS_SCHEMA: Final[dict[str, pl.DataType]] = {
    "uid": pl.String(),
    "address": pl.String(),
    "city": pl.String(),
    "country": pl.String(),
    "kind": pl.String(),  # address | birth_place
}

PROBLEM_SCHEMA: Final[dict[str, pl.DataType]] = {
    "list_source": pl.String(),
    "entry_id": pl.String(),
    "location": pl.String(),  # file and line / element path
    "problem": pl.String(),
}

PARTY_SCHEMA: Final[dict[str, pl.DataType]] = {
    "record_id": pl.String(),
    "name": pl.String(),
    "entity_type": pl.String(),
    "dob": pl.String(),  # YYYY, YYYY-MM or YYYY-MM-DD
    "country": pl.String(),
    "id_number": pl.String(),
    "gender": pl.String(),
}

HIT_SCHEMA: Final[dict[str, pl.DataType]] = {
    "record_id": pl.String(),
    "party_name": pl.String(),
    "uid": pl.String(),
    "list_source": pl.String(),
    "entry_id": pl.String(),
    "entity_type": pl.String(),
    "matched_name": pl.String(),
    "name_score": pl.Float64(),
    "score": pl.Float64(),
    "explanation": pl.String(),
    "features": pl.List(pl.String()),  # secondary-attribute features that fired, e.g. dob_exact
    "algorithm": pl.String(),  # version of the matching algorithm that produced the hit
}


def empty(schema: dict[str, pl.DataType]) -> pl.DataFrame:
    return pl.DataFrame(schema=schema)


def conform(frame: pl.DataFrame, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """Select and cast ``frame`` to ``schema``; columns it lacks are added as nulls."""
    cols = [
        (pl.col(name) if name in frame.columns else pl.lit(None)).cast(dtype).alias(name)
        for name, dtype in schema.items()
    ]
    return frame.select(cols)


@dataclass(frozen=True)
class Watchlist:
    """A consolidated list: every table keyed by ``uid``."""

    entries: pl.DataFrame = field(default_factory=lambda: empty(ENTRY_SCHEMA))
    names: pl.DataFrame = field(default_factory=lambda: empty(NAME_SCHEMA))
    dobs: pl.DataFrame = field(default_factory=lambda: empty(DOB_SCHEMA))
    countries: pl.DataFrame = field(default_factory=lambda: empty(COUNTRY_SCHEMA))
    identifiers: pl.DataFrame = field(default_factory=lambda: empty(IDENTIFIER_SCHEMA))
    addresses: pl.DataFrame = field(default_factory=lambda: empty(ADDRESS_SCHEMA))

    TABLES: ClassVar[tuple[str, ...]] = ("entries", "names", "dobs", "countries", "identifiers", "addresses")
    SCHEMAS: ClassVar[tuple[dict[str, pl.DataType], ...]] = (
        ENTRY_SCHEMA,
        NAME_SCHEMA,
        DOB_SCHEMA,
        COUNTRY_SCHEMA,
        IDENTIFIER_SCHEMA,
        ADDRESS_SCHEMA,
    )

    @classmethod
    def concat(cls, parts: list[Watchlist]) -> Watchlist:
        if not parts:
            return cls()
        tables = {
            table: pl.concat([conform(getattr(p, table), schema) for p in parts], how="vertical")
            for table, schema in zip(cls.TABLES, cls.SCHEMAS, strict=True)
        }
        return cls(**tables)

    def conformed(self) -> Watchlist:
        tables = {
            table: conform(getattr(self, table), schema)
            for table, schema in zip(self.TABLES, self.SCHEMAS, strict=True)
        }
        return Watchlist(**tables)

    def __len__(self) -> int:
        return self.entries.height
