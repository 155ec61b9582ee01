"""Bulk name scoring of candidate pairs with rapidfuzz, and the secondary-attribute features."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from itertools import permutations

import numpy as np
import numpy.typing as npt
import polars as pl
from rapidfuzz import fuzz
from rapidfuzz.process import cpdist

from screening.config import ScreeningConfig
from screening.evidence import NICKNAME_SIMILARITY, NICKNAMES, TokenRarity, name_evidence, nicknamed
from screening.normalize import canonical_token, word_count
from screening.prepare import NameForms, PreparedWatchlist
from screening.resources.words import HONORIFICS, NOISE, PARTICLES

FloatArray = npt.NDArray[np.float64]
IndexArray = npt.NDArray[np.int64]

# How much each comparison form is worth relative to a plain match of the sorted tokens.
SKELETON_DISCOUNT = 0.90
SKELETON_MIN_LENGTH = 7
PHONETIC_DISCOUNT = 0.98
# The skeleton form counts only when every token of both names has a skeleton of at least this many
# consonants: short skeletons ("mn" for both Mona and Ayman) say too little.
SKELETON_MIN_TOKEN = 3
SECONDARY_GATE = 0.55
SPLIT_GATE = 0.45
SUBSET_ONE_MISSING = 0.92
SUBSET_MORE_MISSING = 0.80
# Token alignment (best one-to-one pairing of tokens) is computed for names of this many tokens at
# most, whose sorted-token score lies in [ALIGN_GATE, 1).
ALIGN_MAX_TOKENS = 4
ALIGN_GATE = 0.70
# Words a name's compared tokens leave out.
LEFT_OUT = HONORIFICS | NOISE | PARTICLES


def aligned_ratio(left: str, right: str) -> float:
    """Best one-to-one pairing of the tokens of two names with as many tokens, each pair scored
    with ``fuzz.ratio`` and weighted by its length: a changed letter in one token costs only that
    token, wherever sorting puts it ("ochoa yuan" against "juan ochoa").

    >>> round(aligned_ratio("carlos hernandez ochoa yuan", "carlos hernandez juan ochoa"), 3)
    0.958
    """
    n = len(left.split())
    return float(aligned_ratios([left], [right], n)[0]) if n else 0.0


def aligned_ratios(left: Sequence[str], right: Sequence[str], n: int, *, workers: int = 1) -> FloatArray:
    """:func:`aligned_ratio` of many pairs of names of ``n`` tokens each, in bulk (0 for a pair
    where either name has another number of tokens)."""
    a = [s.split() for s in left]
    b = [s.split() for s in right]
    fits = np.array([len(x) == n and len(y) == n for x, y in zip(a, b, strict=True)], dtype=np.bool_)
    if not fits.all():
        out = np.zeros(len(a), dtype=np.float64)
        if fits.any():
            keep = np.flatnonzero(fits)
            out[keep] = aligned_ratios([left[int(k)] for k in keep], [right[int(k)] for k in keep], n, workers=workers)
        return out
    ta = [np.array([t[i] for t in a], dtype=object) for i in range(n)]
    tb = [np.array([t[i] for t in b], dtype=object) for i in range(n)]
    la = [np.fromiter(map(len, t), dtype=np.float64, count=len(a)) for t in ta]
    lb = [np.fromiter(map(len, t), dtype=np.float64, count=len(b)) for t in tb]
    weight = [[la[i] + lb[j] for j in range(n)] for i in range(n)]
    sim = [
        [
            cpdist(ta[i], tb[j], scorer=fuzz.ratio, processor=None, workers=workers, dtype=np.float64)
            / 100.0
            * weight[i][j]
            for j in range(n)
        ]
        for i in range(n)
    ]
    best = np.zeros(len(a), dtype=np.float64)
    for perm in permutations(range(n)):
        total = sum(weight[i][j] for i, j in enumerate(perm))
        best = np.maximum(best, sum(sim[i][j] for i, j in enumerate(perm)) / total)
    return best


def _long_skeletons(forms: NameForms, idx: IndexArray) -> npt.NDArray[np.bool_]:
    """Whether every token of each name ``forms[idx]`` has a skeleton of SKELETON_MIN_TOKEN or more."""
    names, inverse = np.unique(idx, return_inverse=True)
    skeletons = forms.arrays["skeleton"]
    long = np.fromiter(
        (all(len(t) >= SKELETON_MIN_TOKEN for t in skeletons[i].split()) for i in names),
        dtype=np.bool_,
        count=len(names),
    )
    return long[inverse]


def name_scores(
    left: NameForms, li: IndexArray, right: NameForms, ri: IndexArray, *, workers: int, floor: float = 0.0
) -> FloatArray:
    """Name similarity in 0..1 of pairs (left[li[k]], right[ri[k]]), computed in bulk.

    The best of: the sorted tokens (any order), the best one-to-one alignment of the tokens (names
    with as many tokens; canonical and as-written tokens), the tokens as they sound (discounted
    slightly), the tokens run together (split and merged tokens), every token including particles
    run together, the consonant skeletons when either side was written in an abjad (discounted),
    and the token-set score when one name has tokens the other lacks (a dropped middle name;
    discounted, more so when two or more are missing).

    A form is not compared where the lengths of the two strings alone keep its score below both the
    pair's best so far and ``floor``: scores of ``floor`` or more are the same as with every form
    compared; scores below ``floor`` may be lower.
    """
    if len(li) == 0:
        return np.zeros(0, dtype=np.float64)

    def reachable(form: str, idx: IndexArray, discount: float = 1.0) -> IndexArray:
        """Those of the pairs ``idx`` whose ``form`` could lift them: fuzz.ratio is at most
        2 * min(len) / (sum of lengths)."""
        la, lb = left.lengths[form][li[idx]], right.lengths[form][ri[idx]]
        bound = 2.0 * np.minimum(la, lb) / np.maximum(la + lb, 1) * discount
        kept: IndexArray = idx[bound >= np.maximum(best[idx], floor)]
        return kept

    def ratio(form: str, a: IndexArray, b: IndexArray) -> FloatArray:
        out: FloatArray = cpdist(
            left.arrays[form][a],
            right.arrays[form][b],
            scorer=fuzz.ratio,
            processor=None,
            workers=workers,
            dtype=np.float64,
        )
        return out / 100.0

    best = ratio("sorted", li, ri)
    ln, rn = left.ntok[li], right.ntok[ri]
    # The other forms can lift a pair only so far above its sorted-token score: pairs far below
    # are not worth comparing again.
    near = best >= SECONDARY_GATE
    same = np.flatnonzero((best >= ALIGN_GATE) & (best < 1.0) & (ln == rn) & (ln >= 2) & (ln <= ALIGN_MAX_TOKENS))
    lp, rp, ls, rs = left.arrays["plain"], right.arrays["plain"], left.arrays["sorted"], right.arrays["sorted"]
    for n in range(2, ALIGN_MAX_TOKENS + 1):
        group = same[ln[same] == n]
        # As written too, where that differs from the canonical tokens ("yuan" and "juan").
        written = group[((lp[li[group]] != ls[li[group]]) | (rp[ri[group]] != rs[ri[group]])).astype(np.bool_)]
        for form, pairs in (("sorted", group), ("plain", written)):
            if len(pairs):
                aligned = aligned_ratios(
                    left.arrays[form][li[pairs]], right.arrays[form][ri[pairs]], n, workers=workers
                )
                best[pairs] = np.maximum(best[pairs], aligned)
    # As they sound, transliteration variants compare equal ("Dzhesus" and "Jesus").
    sound = reachable("phonetic", np.flatnonzero(near & (best < 1.0)), PHONETIC_DISCOUNT)
    if len(sound):
        best[sound] = np.maximum(best[sound], ratio("phonetic", li[sound], ri[sound]) * PHONETIC_DISCOUNT)
    # Run together, tokens compare equal across a split or merge: where the counts differ, or where
    # they are the same but the tokens are not (a split in one place and a merge in another).
    split = np.flatnonzero(((best >= SPLIT_GATE) & (ln != rn)) | (near & (best < 1.0) & (ln == rn) & (ln >= 2)))
    split = reachable("joined", split)
    if len(split):
        best[split] = np.maximum(best[split], ratio("joined", li[split], ri[split]))
    # With particles ("al", "bin") only where either side has some.
    particles = reachable("full", np.flatnonzero((best >= SPLIT_GATE) & (left.particles[li] | right.particles[ri])))
    if len(particles):
        best[particles] = np.maximum(best[particles], ratio("full", li[particles], ri[particles]))
    abjad = np.flatnonzero(
        (left.abjad[li] | right.abjad[ri])
        & (np.minimum(left.skeleton_len[li], right.skeleton_len[ri]) >= SKELETON_MIN_LENGTH)
    )
    abjad = reachable("skeleton", abjad, SKELETON_DISCOUNT)
    if len(abjad):
        abjad = abjad[_long_skeletons(left, li[abjad]) & _long_skeletons(right, ri[abjad])]
    if len(abjad):
        skel = ratio("skeleton", li[abjad], ri[abjad]) * SKELETON_DISCOUNT
        best[abjad] = np.maximum(best[abjad], skel)
    _spelt_out_scores(left, li, right, ri, best)
    uneven = np.flatnonzero(near & (ln != rn) & (np.minimum(ln, rn) >= 2))
    if len(uneven):
        tset: FloatArray = cpdist(
            left.arrays["sorted"][li[uneven]],
            right.arrays["sorted"][ri[uneven]],
            scorer=fuzz.token_set_ratio,
            processor=None,
            workers=workers,
            dtype=np.float64,
        )
        missing = np.abs(ln[uneven] - rn[uneven])
        subset = tset / 100.0 * np.where(missing == 1, SUBSET_ONE_MISSING, SUBSET_MORE_MISSING)
        best[uneven] = np.maximum(best[uneven], subset)
    return best


def _spelt_out(party: list[str], listed: list[str]) -> str | None:
    """The party's compared tokens (sorted, canonical, without particles, honorifics or initials) with
    each nickname replaced by the list name's token it stands for and each initial by the list
    name's token it abbreviates ("sandy totoonov" against "totoonov alexander": "alexander
    totoonov"; "haji m khan" against "khan haji mohammad": "khan muhammad"), or None when nothing
    was replaced."""
    out: list[str] = []
    free = list(listed)
    replaced = False
    for p in party:
        match = next((q for q in free if q != p and ((len(p) == 1 and q[0] == p) or nicknamed(p, q))), None)
        if match is not None:
            free.remove(match)
            replaced = True
            p = match
        out.extend(t for t in canonical_token(p) if len(t) > 1 and t not in LEFT_OUT)
    return " ".join(sorted(out)) if replaced else None


@lru_cache(maxsize=200_000)
def _stand_ins(written: str) -> tuple[str, ...]:
    """What a name's nicknames may stand for (the names) and its initials (as "m*")."""
    tokens = written.split()
    related = {
        name for t in tokens if len(t) > 1 for form in {t, *canonical_token(t)} for name in NICKNAMES.get(form, ())
    }
    return (*related, *(f"{t}*" for t in tokens if len(t) == 1))


@lru_cache(maxsize=200_000)
def _spelt_tokens(written: str) -> tuple[str, ...]:
    """A name's tokens (as written and canonical) and their first letters (as "m*")."""
    tokens = [t for t in written.split() if len(t) > 1]
    return (*{f for t in tokens for f in {t, *canonical_token(t)}}, *{f"{t[0]}*" for t in tokens})


def _token_table(
    forms: NameForms, idx: IndexArray, tokens: Callable[[str], tuple[str, ...]], name: str
) -> pl.DataFrame:
    """(``name``, token) rows of the names ``forms[idx]`` (distinct indexes)."""
    written = forms.arrays["written"]
    lists = [tokens(written[i]) for i in idx]
    return pl.DataFrame(
        {name: np.repeat(idx, [len(t) for t in lists]).astype(np.int64), "token": [t for ts in lists for t in ts]},
        schema={name: pl.Int64, "token": pl.String},
    )


def _spelt_out_scores(left: NameForms, li: IndexArray, right: NameForms, ri: IndexArray, best: FloatArray) -> None:
    """Lift in place the pairs whose party name has a nickname or an initial of a token of the list
    name, to the score of the names with those spelt out (discounted like a fuzzy token)."""
    maybe = np.flatnonzero((best >= SECONDARY_GATE) & (best < 1.0))
    if not len(maybe):
        return
    stand_ins = _token_table(left, np.unique(li[maybe]), _stand_ins, "pidx")
    listed = _token_table(right, np.unique(ri[maybe]), _spelt_tokens, "nid")
    found = (
        pl.DataFrame({"k": maybe, "pidx": li[maybe], "nid": ri[maybe]})
        .join(stand_ins, on="pidx")
        .join(listed, on=["nid", "token"])
        .get_column("k")
        .unique()
        .to_numpy()
    )
    lw, rw, rs = left.arrays["written"], right.arrays["written"], right.arrays["sorted"]
    for k in found:
        spelt = _spelt_out(lw[li[k]].split(), rw[ri[k]].split())
        if spelt is not None:
            score = fuzz.ratio(spelt, rs[ri[k]], processor=None) / 100.0 * NICKNAME_SIMILARITY
            best[k] = max(best[k], score)


def evidence_scores(
    left: NameForms, li: IndexArray, right: NameForms, ri: IndexArray, similarity: FloatArray, rarity: TokenRarity
) -> FloatArray:
    """The name score of each pair from its similarity and its token evidence
    (:func:`screening.evidence.name_evidence`)."""
    lw, rw = left.arrays["written"], right.arrays["written"]
    return np.fromiter(
        (
            name_evidence(lw[i].split(), rw[j].split(), float(s), rarity)
            for i, j, s in zip(li, ri, similarity, strict=True)
        ),
        dtype=np.float64,
        count=len(li),
    )


def attribute_features(pairs: pl.DataFrame, wl: PreparedWatchlist, config: ScreeningConfig) -> pl.DataFrame:
    """Add secondary-attribute features and the final ``score`` to scored (party, entry) pairs.

    ``pairs`` needs ``pid``, ``uid``, ``name_score``, ``id_match`` and the party columns
    ``entity_type``, ``dob``, ``dob_lo``, ``dob_hi``, ``country``, ``gender1``, ``ntok``.
    """
    w = config.weights
    dob = (
        pairs.filter(pl.col("dob_lo").is_not_null())
        .select("pid", "uid", "dob_lo", "dob_hi")
        .join(wl.dobs, on="uid", how="inner")
        .with_columns(
            pl.col("dob_from").fill_null(pl.col("dob_to")),
            pl.col("dob_to").fill_null(pl.col("dob_from")),
        )
        .group_by("pid", "uid")
        .agg(
            (
                (pl.col("dob_lo") == pl.col("dob_hi"))
                & (pl.col("dob_from") == pl.col("dob_to"))
                & (pl.col("dob_lo") == pl.col("dob_from"))
            )
            .any()
            .alias("dob_exact"),
            ((pl.col("dob_lo") <= pl.col("dob_to")) & (pl.col("dob_hi") >= pl.col("dob_from")))
            .any()
            .alias("dob_overlap"),
            pl.col("raw").drop_nulls().unique().sort().str.join(", ").alias("list_dobs"),
        )
    )
    entries = wl.entries.select(
        "uid",
        "list_source",
        "entry_id",
        pl.col("entity_type").alias("list_entity_type"),
        pl.col("gender").str.to_lowercase().str.slice(0, 1).alias("list_gender1"),
    )
    frame = (
        pairs.join(entries, on="uid", how="left")
        .join(dob, on=["pid", "uid"], how="left")
        .join(wl.countries, on="uid", how="left")
    )
    party_type = pl.col("entity_type")
    list_type = pl.col("list_entity_type").fill_null("unknown")
    typed = (party_type != "unknown") & (list_type != "unknown")
    person_vs_other = typed & ((party_type == "person") != (list_type == "person"))
    has_country = pl.col("country").is_not_null() & pl.col("countries").is_not_null()
    country_in = pl.col("countries").list.contains(pl.col("country"))
    frame = frame.with_columns(
        pl.col("dob_exact").fill_null(False),
        pl.col("dob_overlap").fill_null(False),
        (pl.col("dob_overlap").is_not_null() & ~pl.col("dob_overlap")).alias("dob_conflict"),
        (has_country & country_in).fill_null(False).alias("country_match"),
        (has_country & ~country_in & (pl.col("countries").list.len() > 0)).fill_null(False).alias("country_conflict"),
        (
            pl.col("gender1").is_in(["m", "f"])
            & pl.col("list_gender1").is_in(["m", "f"])
            & (pl.col("gender1") != pl.col("list_gender1"))
        )
        .fill_null(False)
        .alias("gender_conflict"),
        person_vs_other.alias("type_conflict"),
        (typed & ~person_vs_other & (party_type != list_type)).alias("type_mismatch"),
        # A list name written as one word ("Abdelrahman") found inside a party name of several
        # words ("Nour Abdelrahman") is one name among others, not the listed one.
        (
            (pl.col("name_score") < 1.0)
            & (pl.col("matched_name").map_elements(word_count, return_dtype=pl.Int64) == 1)
            & (pl.col("name").map_elements(word_count, return_dtype=pl.Int64) > 1)
        )
        .fill_null(False)
        .alias("one_word_list_name"),
    )
    adjust = (
        pl.when(pl.col("dob_exact"))
        .then(w.dob_exact)
        .when(pl.col("dob_overlap"))
        .then(w.dob_overlap)
        .when(pl.col("dob_conflict"))
        .then(w.dob_conflict)
        .otherwise(0.0)
        + pl.when(pl.col("country_match")).then(w.country_match).otherwise(0.0)
        + pl.when(pl.col("country_conflict")).then(w.country_conflict).otherwise(0.0)
        + pl.when(pl.col("gender_conflict")).then(w.gender_conflict).otherwise(0.0)
        + pl.when(pl.col("type_conflict")).then(w.type_conflict).otherwise(0.0)
        + pl.when(pl.col("type_mismatch")).then(w.type_mismatch).otherwise(0.0)
        + pl.when(((pl.col("ntok") == 1) & (pl.col("name_score") < 1.0)) | pl.col("one_word_list_name"))
        .then(w.single_token)
        .otherwise(0.0)
    )
    name_based = pl.col("name_score") + adjust
    by_id = w.identifier_match + (1.0 - w.identifier_match) * pl.col("name_score")
    score = pl.when(pl.col("id_match")).then(pl.max_horizontal(name_based, by_id)).otherwise(name_based)
    return frame.with_columns(score.clip(0.0, 1.0).alias("score"))


def explanation() -> pl.Expr:
    """A short sentence per hit: which names matched and which attributes agreed or conflicted."""
    pct = (pl.col("name_score") * 100).round(0).cast(pl.Int32).cast(pl.String)
    parts = [
        pl.concat_str(
            pl.lit("name '"),
            pl.col("party_name"),
            pl.lit("' ~ '"),
            pl.col("matched_name"),
            pl.lit("' "),
            pct,
            pl.lit("%"),
            pl.when(pl.col("strength") == "weak").then(pl.lit(" (weak alias, exact)")).otherwise(pl.lit("")),
        ),
        pl.when(pl.col("id_match")).then(pl.concat_str(pl.lit("identifier "), pl.col("id_value"), pl.lit(" matches"))),
        pl.when(pl.col("dob_exact")).then(pl.concat_str(pl.lit("dob "), pl.col("dob"), pl.lit(" matches exactly"))),
        pl.when(~pl.col("dob_exact") & pl.col("dob_overlap")).then(
            pl.concat_str(pl.lit("dob "), pl.col("dob"), pl.lit(" agrees with "), pl.col("list_dobs"))
        ),
        pl.when(pl.col("dob_conflict")).then(
            pl.concat_str(pl.lit("dob "), pl.col("dob"), pl.lit(" conflicts with "), pl.col("list_dobs"))
        ),
        pl.when(pl.col("country_match")).then(pl.concat_str(pl.lit("country "), pl.col("country"), pl.lit(" agrees"))),
        pl.when(pl.col("country_conflict")).then(
            pl.concat_str(pl.lit("country "), pl.col("country"), pl.lit(" not in "), pl.col("countries").list.join("/"))
        ),
        pl.when(pl.col("gender_conflict")).then(pl.lit("gender conflicts")),
        pl.when(pl.col("one_word_list_name")).then(pl.lit("one-word list name within a longer name")),
        pl.when(pl.col("type_conflict") | pl.col("type_mismatch")).then(
            pl.concat_str(pl.lit("entity type "), pl.col("entity_type"), pl.lit(" vs "), pl.col("list_entity_type"))
        ),
    ]
    return pl.concat_list(parts).list.drop_nulls().list.join("; ")
