"""List sources: where each official publication is fetched and the sanity bounds it must meet.

Read from ``sources.yml`` beside this module (or another file of the same shape) and validated
strictly: an unknown key or a bad value is a :class:`~pipelines.errors.ConfigError`.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pipelines.errors import ConfigError

FORMATS = (
    "ofac-csv",
    "ofac-xml",
    "ofac-advanced-xml",
    "csl-csv",
    "un-xml",
    "eu-fsf-xml",
    "eu-fsf-csv",
    "ofsi-csv",
    "uk-sl-xml",
    "uk-sl-csv",
    "ftm-json",
    "os-targets-csv",
)


class SourceConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    list_source: str
    publisher: str = ""
    format: str
    files: dict[str, str] = Field(min_length=1)  # file name -> URL
    enabled: bool = True
    min_entries: int = Field(default=1, ge=0)
    min_persons: int = Field(default=0, ge=0)
    max_drop_share: float = Field(default=0.10, ge=0.0, le=1.0)
    timeout_seconds: float = Field(default=60.0, gt=0)
    retries: int = Field(default=4, ge=0)
    backoff_seconds: float = Field(default=2.0, ge=0)

    def model_post_init(self, _context: Any) -> None:
        if self.format not in FORMATS:
            raise ValueError(f"unknown format {self.format!r}; one of {', '.join(FORMATS)}")


def default_sources_file() -> Path:
    return Path(str(resources.files("pipelines.lists").joinpath("sources.yml")))


def load_sources(path: Path | None = None) -> dict[str, SourceConfig]:
    """Every configured source by list source name, defaults applied."""
    file = path or default_sources_file()
    try:
        raw = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{file}: cannot read list sources: {exc}") from exc
    if not isinstance(raw, dict) or not isinstance(raw.get("sources"), dict):
        raise ConfigError(f"{file}: expected a 'sources' mapping")
    defaults = raw.get("defaults") or {}
    out: dict[str, SourceConfig] = {}
    for name, body in raw["sources"].items():
        try:
            out[name] = SourceConfig(list_source=name, **{**defaults, **(body or {})})
        except (ValidationError, ValueError, TypeError) as exc:
            raise ConfigError(f"{file}: source {name}: {exc}") from exc
    return out
