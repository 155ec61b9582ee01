"""Score (query, list entry) pairs with OpenSanctions' nomenklatura logic-v2 matcher.

Runs in its own interpreter where nomenklatura is installed (it is not a dependency of the
project): ``python nomenklatura_logic_v2.py PAIRS.parquet ENTITIES.parquet OUT.parquet``.
"""

from __future__ import annotations

import sys

import polars as pl
from followthemoney import model
from nomenklatura.matching import get_algorithm
from nomenklatura.matching.types import ScoringConfig

SCHEMA = {"person": "Person", "organization": "Organization", "vessel": "Vessel", "aircraft": "Airplane"}


def entity(entity_id: str, schema: str, names: list[str]):  # type: ignore[no-untyped-def]
    proxy = model.make_entity(schema)
    proxy.id = entity_id
    for name in names:
        proxy.add("name", name)
    return proxy


def main(pairs_path: str, entities_path: str, out_path: str) -> None:
    algo = get_algorithm("logic-v2")
    assert algo is not None
    config = ScoringConfig(weights={}, config={})
    entities = {
        row["uid"]: entity(
            row["uid"],
            SCHEMA.get(row["entity_type"] or "", "LegalEntity"),
            [row["primary_name"], *(row["aliases"] or [])],
        )
        for row in pl.read_parquet(entities_path).iter_rows(named=True)
    }
    out = []
    for row in pl.read_parquet(pairs_path).iter_rows(named=True):
        query = entity(row["record_id"], SCHEMA.get(row["entity_type"] or "", "LegalEntity"), [row["query"]])
        result = entities[row["uid"]]
        if not query.schema.can_match(result.schema):
            query = entity(row["record_id"], "LegalEntity", [row["query"]])
            if not query.schema.can_match(result.schema):
                continue
        out.append(
            {
                "record_id": row["record_id"],
                "uid": row["uid"],
                "score": float(algo.compare(query, result, config).score),
            }
        )
    pl.DataFrame(out, schema={"record_id": pl.String, "uid": pl.String, "score": pl.Float64}).write_parquet(out_path)


if __name__ == "__main__":
    main(*sys.argv[1:4])
