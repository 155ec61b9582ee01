"""Screening configuration: thresholds per entity type, feature weights, candidate-generation limits."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Final

from screening.model import ENTITY_TYPES

ALGORITHM_VERSION: Final = "interdict-match-3"


def _default_thresholds() -> MappingProxyType[str, float]:
    return MappingProxyType({"person": 0.86, "organization": 0.86, "vessel": 0.90, "aircraft": 0.90, "unknown": 0.86})


@dataclass(frozen=True)
class Weights:
    """Adjustments added to the name score when a secondary attribute agrees (positive) or
    conflicts (negative). The score is clipped to 0..1 afterwards."""

    dob_exact: float = 0.06
    dob_overlap: float = 0.03
    dob_conflict: float = -0.12
    country_match: float = 0.02
    country_conflict: float = -0.04
    gender_conflict: float = -0.10
    type_conflict: float = -0.25
    type_mismatch: float = -0.08
    single_token: float = 0.0
    identifier_match: float = 0.97


@dataclass(frozen=True)
class ScreeningConfig:
    """How parties are screened.

    ``thresholds`` are the minimum final score for a hit, per entity type of the party (an
    ``unknown`` party uses the threshold of the list entry's type when that is stricter).
    ``max_key_frequency`` caps how many list names one blocking key may point at: keys more common
    than that ("muhammad", "bank") only take part through pairs of tokens;
    ``max_misspelling_key_frequency`` caps the keys of a token with one consonant left out, which
    find misspelt tokens and are many per name. ``workers`` is handed to
    rapidfuzz (``-1`` = all cores). ``chunk_size`` bounds memory: parties are screened in chunks.
    """

    thresholds: Mapping[str, float] = field(default_factory=_default_thresholds)
    weights: Weights = field(default_factory=Weights)
    max_key_frequency: int = 150
    max_misspelling_key_frequency: int = 10
    min_name_score: float = 0.70
    workers: int = -1
    chunk_size: int = 250_000

    def __post_init__(self) -> None:
        unknown = set(self.thresholds) - set(ENTITY_TYPES)
        if unknown:
            raise ValueError(f"thresholds for unknown entity types: {sorted(unknown)}")
        merged = dict(_default_thresholds())
        merged.update({k: float(v) for k, v in self.thresholds.items()})
        # A plain dict (copied) so that the configuration can be written to a run manifest as JSON.
        object.__setattr__(self, "thresholds", merged)
        for name, value in self.thresholds.items():
            if not 0.0 < value <= 1.0:
                raise ValueError(f"threshold for {name} must be in (0, 1], got {value}")

    @property
    def lowest_threshold(self) -> float:
        return min(self.thresholds.values())

    def with_thresholds(self, **thresholds: float) -> ScreeningConfig:
        merged = dict(self.thresholds)
        merged.update(thresholds)
        return replace(self, thresholds=merged)
