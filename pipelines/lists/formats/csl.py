"""US Consolidated Screening List CSV (trade.gov): the Treasury lists (SDN, SSI, PLC, CAPTA...)
together with the Commerce and State export-control lists, one row per party.

Columns: source, entity_number, type, programs, name, title, addresses, ..., alt_names,
citizenships, dates_of_birth, nationalities, places_of_birth, ids (``;``-separated within a
cell; ``ids`` items as ``country, number, type``). Rows from the Treasury SDN list become
``OFAC-SDN`` entries, other Treasury lists ``OFAC-CONS``; rows of the export-control lists
(Entity List, Denied Persons...) have no entry number and are keyed by a hash of source and name
under ``US-CSL``.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from pipelines.errors import ListError
from pipelines.lists.common import ListBuilder, Parsed, clean, exact_date, finish, read_csv_table
from pipelines.lists.formats.ofac_remarks import id_type_for

TYPES = {"individual": "person", "entity": "organization", "vessel": "vessel", "aircraft": "aircraft"}


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(";") if v.strip()]


def parse(path: Path) -> Parsed:
    header, raw_rows = read_csv_table(path, "Consolidated Screening List CSV")
    if not {"source", "name", "entity_number"} <= set(header):
        raise ListError(
            f"{path}: Consolidated Screening List CSV without columns source, name, entity_number (schema changed?)"
        )
    reader = [(n, dict(zip(header, r, strict=False))) for n, r in raw_rows]
    builder = ListBuilder("US-CSL")
    seen: set[str] = set()
    for line, row in reader:
        location = f"{path}:{line}"
        source, name = clean(row.get("source")) or "", clean(row.get("name"))
        if not name:
            builder.problem(clean(row.get("entity_number")), location, "row without a name")
            continue
        number = clean(row.get("entity_number"))
        treasury = "Treasury Department" in source
        if number and treasury:
            list_source = "OFAC-SDN" if source.startswith("Specially Designated Nationals") else "OFAC-CONS"
            ref = number
        else:
            list_source = "US-CSL"
            ref = number or hashlib.sha1(f"{source}|{name}".encode()).hexdigest()[:12]
        if f"{list_source}:{ref}" in seen:
            builder.problem(ref, location, "duplicate row; first kept")
            continue
        seen.add(f"{list_source}:{ref}")
        uid = builder.entry(
            ref,
            entity_type=TYPES.get((row.get("type") or "").casefold(), "organization"),
            primary_name=name,
            programs=_split(row.get("programs")) or [source],
            listed_on=exact_date(row.get("start_date")),
            asset_freeze=list_source == "OFAC-SDN",
            remarks=clean(f"{source}. {row.get('remarks') or ''}"),
            list_source=list_source,
        )
        for alias in _split(row.get("alt_names")):
            builder.name(uid, alias)
        for raw in _split(row.get("dates_of_birth")):
            if not builder.dob(uid, raw):
                builder.problem(ref, location, f"date of birth not understood: {raw!r}")
        for country in _split(row.get("nationalities")):
            builder.country(uid, country, "nationality")
        for country in _split(row.get("citizenships")):
            builder.country(uid, country, "citizenship")
        for place in _split(row.get("places_of_birth")):
            builder.address(uid, place, country=place.rsplit(",", 1)[-1], kind="birth_place")
        for address in _split(row.get("addresses")):
            builder.address(uid, address, country=address.rsplit(",", 1)[-1])
        for item in _split(row.get("ids")):
            parts = [p.strip() for p in item.split(",")]
            if len(parts) >= 3:
                country, value, label = parts[0], ", ".join(parts[1:-1]), parts[-1]
                kind = id_type_for(label)
                if kind:
                    builder.identifier(uid, kind, value, country)
    if not builder.entries:
        raise ListError(f"{path}: Consolidated Screening List CSV without any row")
    return finish(builder)
