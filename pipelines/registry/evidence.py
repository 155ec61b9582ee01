"""The ownership evidence of each flagged company as links a page can draw as a tree.

The flags' ``evidence`` is one sentence; where several owners contribute and some of them are
blocked through owners of their own, a sentence cannot say which holding belongs to which level.
These links can: one row per holding that makes a company blocked (or possibly blocked, or
controlled), from the owner, with the owner's status, so that a reviewer follows each branch from
the customer's company up to the listed parties.

Which holdings count follows :mod:`screening.ownership`: for an established flag, holdings (by
their lower bound) of listed parties and of companies blocked in an earlier round; for a possible
flag, holdings up to their upper bound, of possibly blocked owners too; for a control flag, the
control rights held by blocked parties.
"""

from __future__ import annotations

from typing import Final

import polars as pl

# How each basis of a flag reads as the programme of its list entry (list_source OWNERSHIP).
BASIS_PROGRAMMES: Final = {
    "ownership": "owned 50 % or more by listed parties",
    "control": "controlled by a listed party (no blocking share)",
    "possible": "possibly owned 50 % or more (share bands' upper bounds)",
}

LINK_SCHEMA: Final[dict[str, pl.DataType]] = {
    "company_id": pl.String(),
    "owner_id": pl.String(),
    "owner_name": pl.String(),
    "owner_status": pl.String(),  # listed | blocked | possibly blocked
    "owner_refs": pl.String(),  # the listed party's list references
    "share_low": pl.Float64(),
    "share_high": pl.Float64(),
    "control": pl.String(),  # control rights held, comma-separated
}


def ownership_links(
    flags: pl.DataFrame, edges: pl.DataFrame, seeds: pl.DataFrame, nodes: pl.DataFrame
) -> pl.DataFrame:
    """Links (:data:`LINK_SCHEMA`) behind every flag of ``flags`` (``screening.ownership.FLAG_SCHEMA``).

    ``edges`` is the ownership graph (``EDGE_SCHEMA``), ``seeds`` the listed parties found in the
    register (``SEED_SCHEMA``) and ``nodes`` the display names (``node_id``, ``name``).
    """
    if flags.is_empty() or edges.is_empty():
        return pl.DataFrame(schema=LINK_SCHEMA)
    listed = seeds.group_by("party_id").agg(
        pl.col("party_name").first().alias("seed_name"), pl.col("list_ref").unique().sort().str.join(", ").alias("refs")
    )
    owners = (
        flags.select(
            pl.col("company_id").alias("owner_id"),
            pl.col("basis").alias("owner_basis"),
            pl.col("depth").alias("owner_depth"),
        )
        .join(listed.rename({"party_id": "owner_id"}), on="owner_id", how="full", coalesce=True)
        .join(nodes.select(pl.col("node_id").alias("owner_id"), pl.col("name").alias("node_name")),
              on="owner_id", how="left")
        .unique("owner_id", keep="first", maintain_order=True)
    )
    candidates = (
        flags.select("company_id", "basis", "depth")
        .join(edges.rename({"owned_id": "company_id"}), on="company_id", how="inner")
        .join(owners, on="owner_id", how="inner")
        .with_columns(pl.col("control").list.join(", ").fill_null("").alias("control"))
    )
    seed = pl.col("refs").is_not_null()
    established = seed | (pl.col("owner_basis") == "ownership")
    earlier = pl.col("owner_depth") < pl.col("depth")
    counts = (
        pl.when(pl.col("basis") == "ownership")
        .then((seed | ((pl.col("owner_basis") == "ownership") & earlier)) & (pl.col("share_low").fill_null(0) > 0))
        .when(pl.col("basis") == "possible")
        .then(
            (established | ((pl.col("owner_basis") == "possible") & earlier))
            & (pl.col("share_high").fill_null(0) > 0)
        )
        .when(pl.col("basis") == "control")
        .then(established & (pl.col("control") != ""))
        .otherwise(pl.lit(False))
    )
    status = (
        pl.when(seed)
        .then(pl.lit("listed"))
        .when(pl.col("owner_basis") == "ownership")
        .then(pl.lit("blocked"))
        .otherwise(pl.lit("possibly blocked"))
    )
    return (
        candidates.filter(counts)
        .select(
            "company_id",
            "owner_id",
            pl.coalesce("seed_name", "node_name", "owner_id").alias("owner_name"),
            status.alias("owner_status"),
            pl.col("refs").alias("owner_refs"),
            "share_low",
            "share_high",
            "control",
        )
        .sort(["company_id", "share_low", "owner_id"], descending=[False, True, False], nulls_last=True)
        .select(list(LINK_SCHEMA))
    )
