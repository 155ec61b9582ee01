"""Token evidence: how much of each name the other accounts for, weighted by how rare each token is.

Two names can look alike letter for letter and still say little: "Amina Mohamed" and "AMIN,
Muhammad" share a very common token and differ in the other; "Jorge Sánchez" is contained in
"COSTILLA SANCHEZ, Jorge", but so is every Jorge Sánchez. The best one-to-one pairing of the tokens
of both names (exact, fuzzy, as they sound, or an initial against a name) is weighed with the
rarity of each token on the watchlist (its inverse document frequency over the list's names), and
a small logistic model (:data:`MODEL`, fitted by ``benchmarks/fit_evidence.py`` on a labelled set
built with another seed than the one it is evaluated on) turns these measures into the name score
of a pair.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Final

from rapidfuzz import fuzz

from screening.normalize import NormalName, canonical_token, phonetic, skeleton, without_article
from screening.resources.given_names import nickname_relations
from screening.resources.words import HONORIFICS, NOISE

# An initial ("J.") carries about as much as this many nats.
INITIAL_WEIGHT: Final = 1.0
# A nickname and a name it stands for ("Mike" and "Michael") are this alike.
NICKNAME_SIMILARITY: Final = 0.95
NICKNAMES: Final = nickname_relations()
# Token pairs less alike than this are not paired (short forms aside); tokens of SHORT_TOKEN
# letters or fewer must be more alike: one letter of four changes a name ("Gang" and "Jang").
MIN_TOKEN_SIMILARITY: Final = 0.70
SHORT_TOKEN: Final = 4
MIN_SHORT_TOKEN_SIMILARITY: Final = 0.80
# Two adjacent tokens run together pair with one token when at least this alike ("Abdu llah").
MERGE_SIMILARITY: Final = 0.90
# Tokens with the same consonant skeleton of at least SKELETON_TOKEN consonants are this alike.
SKELETON_TOKEN: Final = 3
SKELETON_SIMILARITY: Final = 0.90
# Below this many list names, token frequencies say nothing: every token weighs TYPICAL_WEIGHT.
MIN_NAMES: Final = 1000
TYPICAL_WEIGHT: Final = 8.0
PATRONYMIC_ENDINGS: Final = ("ovich", "evich", "ovych", "evych", "ovna", "evna", "ichna", "ovic", "evic")
PATRONYMIC_WORDS: Final = frozenset({"ogly", "oglu", "ogli", "kyzy", "kizi", "uly", "uulu"})
# Measures are divided by this many nats so that the model's coefficients stay near one.
NATS: Final = 10.0

FEATURES: Final = (
    "name_score",
    "matched",
    "missing",
    "extra",
    "fuzzy_loss",
    "short_forms",
    "stray_initials",
    "single_token",
)


@dataclass(frozen=True)
class TokenRarity:
    """How many list names carry each token: rare tokens say more than common ones."""

    frequency: Mapping[str, int]
    names: int
    _weights: dict[str, float] = field(default_factory=dict, compare=False, repr=False)

    @staticmethod
    def of(names: Iterable[Iterable[str]]) -> TokenRarity:
        """Counts over names given as their canonical tokens (``NormalName.tokens``)."""
        counts: Counter[str] = Counter()
        total = 0
        for tokens in names:
            total += 1
            counts.update(set(tokens))
        return TokenRarity(frequency=dict(counts), names=total)

    def weight(self, token: str) -> float:
        """Inverse document frequency in nats of a written token (of its rarest canonical part)."""
        known = self._weights.get(token)
        if known is not None:
            return known
        if len(token) == 1:
            weight = INITIAL_WEIGHT
        elif self.names < MIN_NAMES:
            # Too few names to tell common from rare (one entry given to ``compare``).
            weight = TYPICAL_WEIGHT
        else:
            weight = max(math.log((self.names + 1) / (self.frequency.get(t, 0) + 1)) for t in canonical_token(token))
        self._weights[token] = weight
        return weight


def evidence_tokens(name: NormalName) -> tuple[str, ...]:
    """The tokens of a name as written (initials and honorifics kept, particles and legal forms not)."""
    return name.written or name.tokens


def _canonical(token: str) -> str:
    return " ".join(canonical_token(token))


@lru_cache(maxsize=500_000)
def _short_form(a: str, b: str) -> bool:
    """An initial or an abbreviation of the other token ("J" and "Jamal", "Al" and "Alexander",
    "Jos" and "Joshua")."""
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) == 1:
        return short == long_[0]
    return len(short) <= 4 and long_.startswith(short)


def nicknamed(a: str, b: str) -> bool:
    """Whether one token is a nickname of the other, or both of one name ("Sandy", "Alexander")."""
    return b in NICKNAMES.get(a, ()) or _canonical(b) in NICKNAMES.get(_canonical(a), ())


@lru_cache(maxsize=300_000)
def token_similarity(a: str, b: str) -> float:
    """Similarity of two written tokens in 0..1: the same canonical spelling (given-name variants),
    a nickname, letter for letter, or as they sound."""
    if a == b or _canonical(a) == _canonical(b):
        return 1.0
    if len(a) == 1 or len(b) == 1:
        return 0.0
    if without_article(a) == b or without_article(b) == a:
        # An article run into the name ("Alnajdi" and "al-Najdi" written without it).
        return 1.0
    if nicknamed(a, b):
        return NICKNAME_SIMILARITY
    letters = (
        max(
            fuzz.ratio(a, b),
            fuzz.ratio(phonetic(a), phonetic(b)),
            fuzz.ratio(_canonical(a), _canonical(b)),
        )
        / 100.0
    )
    # Vowels of names transliterated from Arabic, Persian or Hebrew vary freely ("Ladin", "Laden").
    skel = skeleton(a)
    if len(skel) >= SKELETON_TOKEN and abs(len(a) - len(b)) <= 1 and skel == skeleton(b):
        return max(letters, SKELETON_SIMILARITY)
    return letters


@dataclass(frozen=True, slots=True)
class Evidence:
    """The measures of one pair of names (see :data:`FEATURES`)."""

    matched: float
    missing: float
    extra: float
    fuzzy_loss: float
    short_forms: int
    stray_initials: int
    single_token: bool

    @property
    def complete(self) -> bool:
        """Every token of both names paired with an equal one: nothing missing, extra or fuzzy."""
        return (
            self.missing == 0.0
            and self.extra == 0.0
            and self.fuzzy_loss == 0.0
            and self.short_forms == 0
            and self.stray_initials == 0
            and self.matched > 0.0
        )

    def vector(self, name_score: float) -> tuple[float, ...]:
        return (
            name_score,
            self.matched / NATS,
            self.missing / NATS,
            self.extra / NATS,
            self.fuzzy_loss / NATS,
            float(self.short_forms),
            float(self.stray_initials),
            float(self.single_token),
        )


def _candidates(party: Sequence[str], listed: Sequence[str]) -> list[tuple[float, tuple[int, ...], tuple[int, ...]]]:
    """Token pairings worth making, as (similarity, party token indexes, list token indexes): one
    token against one, two adjacent tokens run together against one (split and merged tokens), and
    short forms (similarity 0: paired only when nothing better is left)."""
    out: list[tuple[float, tuple[int, ...], tuple[int, ...]]] = []
    for i, p in enumerate(party):
        for j, q in enumerate(listed):
            sim = token_similarity(p, q)
            if sim >= _min_similarity(p, q):
                out.append((sim, (i,), (j,)))
            elif _short_form(p, q):
                out.append((0.0, (i,), (j,)))
    for a, b, flip in ((party, listed, False), (listed, party, True)):
        for i in range(len(a) - 1):
            run = a[i] + a[i + 1]
            for j, q in enumerate(b):
                sim = fuzz.ratio(run, q) / 100.0
                if sim >= MERGE_SIMILARITY:
                    out.append((sim, (j,), (i, i + 1)) if flip else (sim, (i, i + 1), (j,)))
    out.sort(key=lambda c: (c[0], len(c[1]) + len(c[2])), reverse=True)
    return out


def _min_similarity(a: str, b: str) -> float:
    """How alike two tokens must be to pair: a two-letter token only with its own spelling ("Li" is
    not "Liu"), short tokens one letter apart at most, longer ones MIN_TOKEN_SIMILARITY."""
    if min(len(a), len(b)) <= 2:
        return 1.0
    if len(a) <= SHORT_TOKEN and len(b) <= SHORT_TOKEN:
        return MIN_SHORT_TOKEN_SIMILARITY
    return MIN_TOKEN_SIMILARITY


def _left_out(token: str, rarity: TokenRarity) -> float:
    """What a token one name has and the other lacks weighs: its rarity, except for patronymics
    ("Antonovich", "Markovna", "Ogly"), honorifics and noise words, which are left out of a name as
    often as not."""
    if token.endswith(PATRONYMIC_ENDINGS) or token in PATRONYMIC_WORDS or token in HONORIFICS or token in NOISE:
        return INITIAL_WEIGHT
    return rarity.weight(token)


def token_evidence(party: Sequence[str], listed: Sequence[str], rarity: TokenRarity) -> Evidence:
    """Pair the tokens of both names, best pairs first, and weigh what was paired (``matched``:
    rarity times similarity), what the list name has that the party lacks (``missing``), what the
    party has that the list name lacks (``extra``), how much the fuzzy pairs fall short
    (``fuzzy_loss``), short forms paired with a name, and initials left over.
    """
    used_p: set[int] = set()
    used_l: set[int] = set()
    matched = fuzzy_loss = 0.0
    short = 0
    for sim, pi, lj in _candidates(party, listed):
        if used_p.intersection(pi) or used_l.intersection(lj):
            continue
        used_p.update(pi)
        used_l.update(lj)
        if sim == 0.0:
            short += 1
            continue
        w = min(sum(rarity.weight(party[i]) for i in pi), sum(rarity.weight(listed[j]) for j in lj))
        matched += w * sim
        fuzzy_loss += w * (1.0 - sim)
    missing = sum(_left_out(q, rarity) for j, q in enumerate(listed) if j not in used_l and len(q) > 1)
    extra = sum(_left_out(p, rarity) for i, p in enumerate(party) if i not in used_p and len(p) > 1)
    stray = sum(1 for i, p in enumerate(party) if i not in used_p and len(p) == 1) + sum(
        1 for j, q in enumerate(listed) if j not in used_l and len(q) == 1
    )
    spelled = [t for t in listed if len(t) > 1]
    return Evidence(
        matched=matched,
        missing=missing,
        extra=extra,
        fuzzy_loss=fuzzy_loss,
        short_forms=short,
        stray_initials=stray,
        single_token=len(spelled) <= 1,
    )


# Logistic model over FEATURES: intercept first. Refitted with benchmarks/fit_evidence.py.
MODEL: Final[tuple[float, ...]] = (-9.859, 7.669, 4.091, -1.745, -3.384, -7.935, 1.107, 0.229, 1.566)
# Pairs whose best comparison form scores below this are not weighed (nor can they be hits).
EVIDENCE_GATE: Final = 0.75


def evidence_score(vector: Sequence[float], model: Sequence[float] = MODEL) -> float:
    """The model's probability that the two names name one party."""
    z = model[0] + sum(c * x for c, x in zip(model[1:], vector, strict=True))
    return 1.0 / (1.0 + math.exp(-z))


def name_evidence(party: Sequence[str], listed: Sequence[str], similarity: float, rarity: TokenRarity) -> float:
    """The name score of a pair of names (their :func:`evidence_tokens`): 1.0 for names equal once
    normalised, else the model's probability."""
    if similarity >= 0.999:
        return 1.0
    evidence = token_evidence(party, listed, rarity)
    score = evidence_score(evidence.vector(similarity))
    if evidence.complete:
        # Every token of each name is one of the other's, spelt the same way or sounding the same
        # ("Мохаммед Вали" and "MOHAMMED, Wali"): the names agree as far as the tokens can tell.
        return max(score, similarity)
    return score
