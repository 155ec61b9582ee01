"""Normalise a watchlist once (``prepare``) and a batch of parties, into the columns scoring uses."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt
import polars as pl

from screening.config import ScreeningConfig
from screening.evidence import TokenRarity, evidence_tokens
from screening.model import PARTY_SCHEMA, Watchlist, conform
from screening.normalize import blocking_keys, normalise

FORM_COLUMNS: Final = ("sorted", "joined", "full", "skeleton", "plain", "phonetic", "written")

ObjectArray = npt.NDArray[np.object_]


@dataclass(frozen=True)
class NameForms:
    """Normalised forms of a set of distinct names, indexed by position.

    ``frame`` has one row per name: ``idx`` and ``name``. The forms (:data:`FORM_COLUMNS`) are held
    as object arrays so that pairs can be gathered by index for rapidfuzz, with their lengths in
    characters (``lengths``). ``keys`` has one row per (``idx``, blocking ``key``).
    """

    frame: pl.DataFrame
    keys: pl.DataFrame
    arrays: dict[str, ObjectArray]
    lengths: dict[str, npt.NDArray[np.int32]]
    ntok: npt.NDArray[np.int32]
    abjad: npt.NDArray[np.bool_]
    skeleton_len: npt.NDArray[np.int32]
    particles: npt.NDArray[np.bool_]


def name_forms(names: pl.Series) -> NameForms:
    """Forms of the distinct values of ``names`` (nulls and blank names dropped), each normalised once."""
    values = [v for v in names.drop_nulls().unique(maintain_order=True).to_list() if v.strip()]
    normal = [normalise(v) for v in values]
    name_keys = [blocking_keys(n) for n in normal]
    forms = {
        "sorted": [n.sorted for n in normal],
        "joined": [n.joined for n in normal],
        "full": [n.full for n in normal],
        "skeleton": [n.skeleton for n in normal],
        "plain": [n.plain for n in normal],
        "phonetic": [n.phonetic for n in normal],
        "written": [" ".join(evidence_tokens(n)) for n in normal],
    }
    key_idx = np.repeat(np.arange(len(values), dtype=np.uint32), [len(k) for k in name_keys])
    return NameForms(
        frame=pl.DataFrame(
            {"idx": pl.Series(np.arange(len(values), dtype=np.uint32)), "name": pl.Series(values, dtype=pl.String)}
        ),
        keys=pl.DataFrame(
            {
                "idx": pl.Series(key_idx, dtype=pl.UInt32),
                "key": pl.Series([k for keys in name_keys for k in keys], dtype=pl.String),
            }
        ),
        arrays={k: np.array(forms[k], dtype=object) for k in FORM_COLUMNS},
        lengths={k: np.fromiter(map(len, forms[k]), dtype=np.int32, count=len(values)) for k in FORM_COLUMNS},
        ntok=np.array([len(set(n.tokens)) for n in normal], dtype=np.int32),
        abjad=np.array([n.abjad for n in normal], dtype=np.bool_),
        particles=np.array([n.full != n.joined for n in normal], dtype=np.bool_),
        skeleton_len=np.array([len(n.skeleton.replace(" ", "")) for n in normal], dtype=np.int32),
    )


def clean_identifier(expr: pl.Expr) -> pl.Expr:
    """Identifiers compared without spaces, dashes or case: "AB 123-45" equals "ab12345"."""
    return expr.str.to_uppercase().str.replace_all(r"[^0-9A-Z]", "").str.replace(r"^IMO(\d{7})$", "$1")


@dataclass(frozen=True)
class PreparedWatchlist:
    """A watchlist normalised once, reusable for every batch of parties screened against it.

    ``names`` has one row per distinct (uid, name): ``nid`` (index into ``forms``), ``uid``,
    ``name``, ``strength``, ``name_type``. ``keys`` maps each blocking key to the name forms
    carrying it, with keys more frequent than the configured cap removed. ``rarity`` counts how
    many list names carry each token, for the token evidence.
    """

    forms: NameForms
    names: pl.DataFrame
    keys: pl.DataFrame
    entries: pl.DataFrame
    dobs: pl.DataFrame
    countries: pl.DataFrame
    identifiers: pl.DataFrame
    max_key_frequency: int
    rarity: TokenRarity

    @property
    def size(self) -> int:
        return self.entries.height


def prepare(watchlist: Watchlist, config: ScreeningConfig | None = None) -> PreparedWatchlist:
    """Normalise every name of ``watchlist`` and build its blocking index."""
    config = config or ScreeningConfig()
    wl = watchlist.conformed()
    primary = wl.entries.select(
        "uid",
        pl.col("primary_name").alias("name"),
        pl.lit("strong").alias("strength"),
        pl.lit("primary").alias("name_type"),
    )
    all_names = (
        pl.concat([primary, wl.names.select("uid", "name", "strength", "name_type")], how="vertical")
        .filter(pl.col("name").is_not_null() & (pl.col("name").str.strip_chars() != ""))
        .with_columns(pl.col("strength").fill_null("strong"))
        # A name both strong and weak on one entry counts as strong.
        .sort("strength")
        .unique(subset=["uid", "name"], keep="first", maintain_order=True)
    )
    forms = name_forms(all_names["name"])
    names = all_names.join(forms.frame.select("name", pl.col("idx").alias("nid")), on="name", how="inner")
    keys = forms.keys.rename({"idx": "nid"}).unique()
    # Exact-name keys ("w:") are never capped: an exact match is always a candidate.
    frequent = (
        keys.group_by("key")
        .len()
        .filter(
            pl.when(pl.col("key").str.starts_with("d:") | pl.col("key").str.starts_with("e:"))
            .then(pl.col("len") > config.max_misspelling_key_frequency)
            .otherwise((pl.col("len") > config.max_key_frequency) & ~pl.col("key").str.starts_with("w:"))
        )
        .select("key")
    )
    keys = keys.join(frequent, on="key", how="anti")
    # One row per entry: a watchlist assembled from several copies of a list may repeat a uid (its
    # names are all kept above), and each hit is one row per (party, entry).
    entries = wl.entries.select("uid", "list_source", "entry_id", "entity_type", "gender", "primary_name").unique(
        subset="uid", keep="first", maintain_order=True
    )
    dobs = wl.dobs.select("uid", "dob_from", "dob_to", "raw").filter(
        pl.col("dob_from").is_not_null() | pl.col("dob_to").is_not_null()
    )
    countries = (
        wl.countries.filter(pl.col("country").is_not_null())
        .group_by("uid")
        .agg(pl.col("country").str.to_uppercase().unique().sort().alias("countries"))
    )
    identifiers = (
        wl.identifiers.filter(pl.col("value").is_not_null())
        .with_columns(clean_identifier(pl.col("value")).alias("id_clean"))
        .filter(pl.col("id_clean").str.len_chars() >= 4)
        .select("uid", "id_type", "value", "id_clean")
        .unique()
    )
    return PreparedWatchlist(
        forms=forms,
        names=names,
        keys=keys,
        entries=entries,
        dobs=dobs,
        countries=countries,
        identifiers=identifiers,
        max_key_frequency=config.max_key_frequency,
        rarity=TokenRarity.of(form.split() for form in forms.arrays["sorted"]),
    )


def dob_bounds(dob: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """First and last day a "YYYY", "YYYY-MM" or "YYYY-MM-DD" string can stand for."""
    text = dob.str.strip_chars()
    year = text.str.slice(0, 4)
    month = text.str.slice(5, 2)
    lo = (
        pl.when(text.str.len_chars() >= 10)
        .then(text.str.slice(0, 10))
        .when(text.str.len_chars() == 7)
        .then(pl.concat_str(year, pl.lit("-"), month, pl.lit("-01")))
        .otherwise(pl.concat_str(year, pl.lit("-01-01")))
        .str.to_date("%Y-%m-%d", strict=False)
    )
    hi = (
        pl.when(text.str.len_chars() >= 10)
        .then(lo)
        .when(text.str.len_chars() == 7)
        .then(lo.dt.month_end())
        .otherwise(pl.concat_str(year, pl.lit("-12-31")).str.to_date("%Y-%m-%d", strict=False))
    )
    return lo, hi


def prepare_parties(parties: pl.DataFrame) -> pl.DataFrame:
    """Parties conformed to PARTY_SCHEMA with a row index ``pid`` and parsed attributes."""
    frame = conform(parties, PARTY_SCHEMA)
    lo, hi = dob_bounds(pl.col("dob"))
    return frame.with_row_index("pid").with_columns(
        pl.col("entity_type").str.to_lowercase().fill_null("unknown"),
        lo.alias("dob_lo"),
        hi.alias("dob_hi"),
        pl.col("country").str.to_uppercase().str.strip_chars(),
        clean_identifier(pl.col("id_number")).alias("id_clean"),
        pl.col("gender").str.to_lowercase().str.slice(0, 1).alias("gender1"),
    )
