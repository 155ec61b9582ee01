"""Screen a register against the watchlist and apply the 50 percent rule.

1. Every company name, beneficial owner (PSC, BODS person or entity) and officer is screened with
   :func:`screening.screen` — names with dates of birth and nationalities.
2. Hits on companies and owners scoring at least ``seed_min_score`` are the seeds: listed parties
   inside the register. Officers' hits are reported but do not seed: an officer holds no shares.
3. :func:`screening.ownership.resolve_ownership` propagates blocking down the ownership graph.

``flagged_companies_as_watchlist`` turns the flags into list entries (``list_source`` OWNERSHIP)
so that bank customers and payment counterparties matching a flagged company are found by the
normal matcher.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import polars as pl

from pipelines.registry.evidence import BASIS_PROGRAMMES
from pipelines.registry.load import Register, load_register
from pipelines.registry.model import is_company_number
from pipelines.tables import write_table
from screening import ScreeningConfig, screen
from screening.model import (
    ENTRY_SCHEMA,
    HIT_SCHEMA,
    IDENTIFIER_SCHEMA,
    NAME_SCHEMA,
    PARTY_SCHEMA,
    Watchlist,
    conform,
)
from screening.ownership import FLAG_SCHEMA, SEED_SCHEMA, OwnershipConfig, resolve_ownership

log = logging.getLogger(__name__)

OWNERSHIP_SOURCE: Final = "OWNERSHIP"
FLAG_COLUMNS: Final = tuple(FLAG_SCHEMA)
REGISTER_HIT_SCHEMA: Final[dict[str, pl.DataType]] = {
    **HIT_SCHEMA,
    "record_kind": pl.String(),  # company | owner | officer
    "node_id": pl.String(),  # company number or owner id in the register
    "company_id": pl.String(),  # the company the record belongs to (owned company, officer's company)
    "seed": pl.Boolean(),
}
DEFAULT_SEED_MIN_SCORE: Final = 0.9


@dataclass(frozen=True)
class RegisterResult:
    """What one register run wrote and counted."""

    flags_path: Path
    hits_path: Path
    quarantine_path: Path
    companies: int
    owners: int
    edges: int
    officers: int
    quarantined: int
    party_hits: int
    seeds: int
    flagged: dict[str, int] = field(default_factory=dict)  # basis -> companies


def register_parties(register: Register) -> pl.DataFrame:
    """Every screenable party of the register: PARTY_SCHEMA plus record_kind, node_id, company_id."""
    companies = register.companies.unique("company_id", keep="first", maintain_order=True).select(
        pl.concat_str(pl.lit("company:"), "company_id").alias("record_id"),
        pl.col("company_name").alias("name"),
        pl.lit("organization").alias("entity_type"),
        pl.col("country"),
        pl.lit("company").alias("record_kind"),
        pl.col("company_id").alias("node_id"),
        pl.col("company_id"),
    )
    owned = register.edges.group_by("owner_id").agg(pl.col("owned_id").first().alias("company_id"))
    owners = (
        register.persons.unique("person_id", keep="first", maintain_order=True)
        .join(owned, left_on="person_id", right_on="owner_id", how="left")
        .select(
            pl.concat_str(pl.lit("owner:"), "person_id").alias("record_id"),
            pl.col("name"),
            pl.col("entity_type"),
            pl.col("dob"),
            pl.coalesce("nationality", "country").alias("country"),
            pl.lit("owner").alias("record_kind"),
            pl.col("person_id").alias("node_id"),
            pl.col("company_id"),
        )
    )
    officers = register.officers.filter(pl.col("resigned_on").is_null()).select(
        pl.concat_str(pl.lit("officer:"), "officer_id").alias("record_id"),
        pl.col("name"),
        pl.when(pl.col("officer_role").fill_null("").str.contains("(?i)corporate"))
        .then(pl.lit("organization"))
        .otherwise(pl.lit("person"))
        .alias("entity_type"),
        pl.col("dob"),
        pl.coalesce("nationality", "country").alias("country"),
        pl.lit("officer").alias("record_kind"),
        pl.col("officer_id").alias("node_id"),
        pl.col("company_id"),
    )
    extra = {"record_kind": pl.String(), "node_id": pl.String(), "company_id": pl.String()}
    schema = {**PARTY_SCHEMA, **extra}
    frames = [conform(f, schema) for f in (companies, owners, officers)]
    return pl.concat(frames, how="vertical").filter(pl.col("name").is_not_null())


def screen_parties(
    parties: pl.DataFrame, watchlist: Watchlist, *, seed_min_score: float, config: ScreeningConfig | None = None
) -> pl.DataFrame:
    """Hits of the register's parties (REGISTER_HIT_SCHEMA); ``seed`` marks those that block."""
    if parties.is_empty() or len(watchlist) == 0:
        return pl.DataFrame(schema=REGISTER_HIT_SCHEMA)
    hits = screen(conform(parties, PARTY_SCHEMA), watchlist, config=config)
    joined = conform(hits, HIT_SCHEMA).join(
        parties.select("record_id", "record_kind", "node_id", "company_id"), on="record_id", how="left"
    )
    return joined.with_columns(
        ((pl.col("record_kind") != "officer") & (pl.col("score") >= seed_min_score)).alias("seed")
    ).select(list(REGISTER_HIT_SCHEMA))


def seeds_from_hits(hits: pl.DataFrame, watchlist: Watchlist) -> pl.DataFrame:
    """SEED_SCHEMA rows for the seeding hits: the register party, named as on the list."""
    listed = hits.filter(pl.col("seed"))
    primary = watchlist.entries.select("uid", pl.col("primary_name"), pl.col("entity_type").alias("list_type"))
    return (
        listed.join(primary, on="uid", how="left")
        .select(
            pl.col("node_id").alias("party_id"),
            pl.coalesce("primary_name", "matched_name", "party_name").alias("party_name"),
            pl.coalesce("list_type", "entity_type").alias("entity_type"),
            pl.concat_str("list_source", pl.lit(" "), "entry_id").alias("list_ref"),
        )
        .unique(maintain_order=True)
        .select(list(SEED_SCHEMA))
    )


def resolve_register(
    register: Register,
    watchlist: Watchlist,
    *,
    threshold: float = 50.0,
    seed_min_score: float = DEFAULT_SEED_MIN_SCORE,
    screening_config: ScreeningConfig | None = None,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(flags in FLAG_SCHEMA order, register-party hits)."""
    parties = register_parties(register)
    hits = screen_parties(parties, watchlist, seed_min_score=seed_min_score, config=screening_config)
    seeds = seeds_from_hits(hits, watchlist)
    nodes = register.nodes().select("node_id", "name")
    flags = resolve_ownership(register.graph_edges(), seeds, nodes, config=OwnershipConfig(threshold=threshold))
    log.info(
        "register screened: %d parties, %d hits, %d seeds, %d companies flagged",
        parties.height, hits.height, seeds["party_id"].n_unique(), flags.height,
    )  # fmt: skip
    return flags, hits


def screen_register(
    register_dir: Path,
    watchlist: Watchlist,
    out_dir: Path,
    *,
    threshold: float = 50.0,
    seed_min_score: float = DEFAULT_SEED_MIN_SCORE,
) -> RegisterResult:
    """Load, screen and resolve one register folder; write ``ownership_flags.parquet``,
    ``register_hits.parquet`` and ``register_quarantine.parquet`` under ``out_dir``."""
    return screen_loaded_register(
        load_register(register_dir), watchlist, out_dir, threshold=threshold, seed_min_score=seed_min_score
    )


def screen_loaded_register(
    register: Register,
    watchlist: Watchlist,
    out_dir: Path,
    *,
    threshold: float = 50.0,
    seed_min_score: float = DEFAULT_SEED_MIN_SCORE,
) -> RegisterResult:
    """:func:`screen_register` for a register already loaded (and validated)."""
    flags, hits = resolve_register(register, watchlist, threshold=threshold, seed_min_score=seed_min_score)
    flags_path = write_table(flags, out_dir / "ownership_flags.parquet")
    hits_path = write_table(hits, out_dir / "register_hits.parquet")
    quarantine_path = write_table(register.quarantine, out_dir / "register_quarantine.parquet")
    counts = flags.group_by("basis").len()
    return RegisterResult(
        flags_path=flags_path,
        hits_path=hits_path,
        quarantine_path=quarantine_path,
        companies=register.companies.height,
        owners=register.persons.height,
        edges=register.edges.height,
        officers=register.officers.height,
        quarantined=register.quarantine.height,
        party_hits=hits.height,
        seeds=int(hits.filter(pl.col("seed"))["node_id"].n_unique()),
        flagged={str(b): int(n) for b, n in counts.iter_rows()},
    )


def flagged_companies_as_watchlist(flags: pl.DataFrame) -> Watchlist:
    """Flagged companies as list entries (``list_source`` OWNERSHIP, ``entry_id`` the company
    number), so that the normal matcher finds bank customers and counterparties that are flagged
    companies. Only established ownership flags carry ``asset_freeze``; the evidence is the remark."""
    if flags.is_empty():
        return Watchlist()
    base = flags.select(
        pl.concat_str(pl.lit(f"{OWNERSHIP_SOURCE}:"), "company_id").alias("uid"),
        pl.lit(OWNERSHIP_SOURCE).alias("list_source"),
        pl.col("company_id").alias("entry_id"),
        pl.lit("organization").alias("entity_type"),
        pl.col("company_name").alias("primary_name"),
        pl.concat_list(pl.col("basis").replace_strict(BASIS_PROGRAMMES, default=pl.col("basis"))).alias("programs"),
        (pl.col("basis") == "ownership").alias("asset_freeze"),
        pl.lit([], dtype=pl.List(pl.String)).alias("linked_refs"),
        pl.col("evidence").alias("remarks"),
    )
    names = base.select(
        "uid",
        pl.col("primary_name").alias("name"),
        pl.lit("strong").alias("strength"),
        pl.lit("primary").alias("name_type"),
    )
    numbers = base.filter(pl.col("entry_id").map_elements(is_company_number, return_dtype=pl.Boolean)).select(
        "uid",
        pl.lit("registration").alias("id_type"),
        pl.col("entry_id").alias("value"),
        pl.lit("GB").alias("country"),
    )
    return Watchlist(
        entries=conform(base, ENTRY_SCHEMA),
        names=conform(names.filter(pl.col("name").is_not_null()), NAME_SCHEMA),
        identifiers=conform(numbers, IDENTIFIER_SCHEMA),
    )
