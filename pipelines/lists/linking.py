"""Link the same person, company or vessel across lists, so a hit can say "also listed by ...".

Evidence, strongest first:

- a reference one list gives to another: EU and UK cite the UN reference number
  (``UN-SC:QDi.001``), the UK Sanctions List cites the OFSI group id, OpenSanctions names the
  OFAC entry number behind its record;
- two entries that cite the same UN reference (EU and UK, even without the UN file loaded);
- the same unique identifier: IMO number, LEI, BIC or digital currency address.

Only links between entries of *different* list sources are kept.
"""

from __future__ import annotations

import polars as pl

from screening.model import Watchlist

LINK_SCHEMA: dict[str, pl.DataType] = {
    "uid": pl.String(),
    "other_uid": pl.String(),
    "other_list_source": pl.String(),
    "reason": pl.String(),
}
UNIQUE_ID_TYPES = ("imo", "lei", "bic", "crypto")


def _keys(watchlist: Watchlist) -> pl.DataFrame:
    """Every key an entry can be referred to by: its uid and, for EU entries, the EU reference."""
    entries = watchlist.entries.select("uid", "list_source")
    own = entries.select("uid", pl.col("uid").alias("key"))
    eu_refs = (
        watchlist.identifiers.filter(pl.col("id_type") == "other", pl.col("value").str.starts_with("EU reference "))
        .join(entries, on="uid")
        .select("uid", (pl.col("list_source") + ":" + pl.col("value").str.strip_prefix("EU reference ")).alias("key"))
    )
    return pl.concat([own, eu_refs]).unique()


def also_listed(watchlist: Watchlist) -> pl.DataFrame:
    """Pairs (uid, other_uid) of entries on different lists that are the same party, with the
    evidence; symmetric (each pair appears both ways), one row per pair."""
    entries = watchlist.entries.select("uid", "list_source")
    refs = watchlist.entries.select("uid", pl.col("linked_refs").alias("ref")).explode("ref").drop_nulls("ref")
    keys = _keys(watchlist)
    # 1. a reference that resolves to an entry loaded here
    direct = refs.join(keys, left_on="ref", right_on="key", suffix="_other").select(
        "uid", pl.col("uid_other").alias("other_uid"), pl.format("cites {}", "ref").alias("reason")
    )
    # 2. two entries citing the same reference
    shared = (
        refs.join(refs, on="ref", suffix="_other")
        .filter(pl.col("uid") != pl.col("uid_other"))
        .select("uid", pl.col("uid_other").alias("other_uid"), pl.format("both cite {}", "ref").alias("reason"))
    )
    # 3. the same unique identifier
    ids = watchlist.identifiers.filter(pl.col("id_type").is_in(UNIQUE_ID_TYPES)).select(
        "uid", "id_type", pl.col("value").str.to_uppercase().str.replace_all(r"\s", "")
    )
    same_id = (
        ids.join(ids, on=["id_type", "value"], suffix="_other")
        .filter(pl.col("uid") != pl.col("uid_other"))
        .select(
            "uid",
            pl.col("uid_other").alias("other_uid"),
            pl.format("same {} {}", "id_type", "value").alias("reason"),
        )
    )
    pairs = pl.concat([direct, shared, same_id])
    pairs = pl.concat(
        [pairs, pairs.select(pl.col("other_uid").alias("uid"), pl.col("uid").alias("other_uid"), "reason")]
    )
    return (
        pairs.join(entries, on="uid")
        .join(entries.rename({"uid": "other_uid", "list_source": "other_list_source"}), on="other_uid")
        .filter(pl.col("list_source") != pl.col("other_list_source"))
        .group_by("uid", "other_uid", "other_list_source")
        .agg(pl.col("reason").unique().sort().str.join("; "))
        .select(list(LINK_SCHEMA))
        .sort("uid", "other_uid")
    )


def link(watchlist: Watchlist) -> Watchlist:
    """The watchlist with each entry's ``linked_refs`` extended by the uids of the same party on
    other lists loaded beside it."""
    pairs = also_listed(watchlist)
    if pairs.is_empty():
        return watchlist
    found = pairs.group_by("uid").agg(pl.col("other_uid").unique().alias("found"))
    entries = (
        watchlist.entries.join(found, on="uid", how="left")
        .with_columns(
            pl.concat_list(pl.col("linked_refs"), pl.col("found").fill_null([]))
            .list.unique()
            .list.sort()
            .alias("linked_refs")
        )
        .drop("found")
    )
    return Watchlist(
        entries=entries.select(watchlist.entries.columns),
        names=watchlist.names,
        dobs=watchlist.dobs,
        countries=watchlist.countries,
        identifiers=watchlist.identifiers,
        addresses=watchlist.addresses,
    )


def also_listed_by(watchlist: Watchlist, uid: str) -> list[str]:
    """The other list sources on which the party of ``uid`` is listed, e.g. ``["UN-SC", "UK-SL"]``."""
    pairs = also_listed(watchlist).filter(pl.col("uid") == uid)
    return sorted(set(pairs["other_list_source"].to_list()))
