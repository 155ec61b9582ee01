"""Settings: environment variables prefixed ``INTERDICT_`` plus one YAML configuration file.

Every value is parsed strictly: a malformed value is a :class:`ConfigError`, never a silent
fallback to the default.

| variable | meaning | default |
| --- | --- | --- |
| ``INTERDICT_HOME`` | working folder for DuckDB files, Parquet and the local object store | ``./var`` |
| ``INTERDICT_CONFIG`` | the YAML configuration (banks, buckets, thresholds, retention) | ``infra/interdict.yml`` |
| ``INTERDICT_LISTS_DIR`` | folder of official list files screened against | the bundled sample lists |
| ``INTERDICT_LISTS_FETCH`` | ``true``: fetch every enabled source from its publisher each night instead | ``false`` |
| ``INTERDICT_LIST_SOURCES`` | list sources: URLs, formats, sanity bounds | ``pipelines/lists/sources.yml`` |
| ``INTERDICT_S3_ENDPOINT`` | S3 endpoint URL; empty for AWS itself | ``http://127.0.0.1:8333`` |
| ``INTERDICT_S3_REGION`` | S3 region | ``us-east-1`` |
| ``INTERDICT_S3_ACCESS_KEY`` / ``INTERDICT_S3_SECRET_KEY`` | the pipeline's S3 identity | see below |
| ``INTERDICT_S3_IDENTITIES`` | the local object store's identities file | ``infra/s3-identities.json`` |
| ``INTERDICT_RETRIES`` / ``INTERDICT_RETRY_DELAY_SECONDS`` | Airflow task retries and delay | ``2`` / ``300`` |
| ``INTERDICT_DUCKDB_THREADS`` / ``INTERDICT_DUCKDB_MEMORY_LIMIT`` | DuckDB resources per task | ``2`` / ``4GB`` |

Without explicit keys, a loopback endpoint uses the local ``pipeline`` identity of
``infra/s3-identities.json`` and any other endpoint boto3's own credential chain. A bank's own
keys come from ``INTERDICT_<BANK>_S3_ACCESS_KEY`` / ``INTERDICT_<BANK>_S3_SECRET_KEY``, and those
of the read-only identity that signs its download links from
``INTERDICT_<BANK>_LINKS_S3_ACCESS_KEY`` / ``..._SECRET_KEY`` (any identity: its name upper-cased,
``-`` as ``_``).
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from urllib.parse import urlparse

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from pipelines.errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parents[1]
PREFIX = "INTERDICT_"
BANK_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")


class BankConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    name: str
    encoding: str | None = None  # extract encoding when it cannot be detected
    delimiter: str | None = None
    # The read-only identity that signs the download links in this bank's notifications
    # (default ``<id>-links``); revoking its key revokes every link it signed.
    link_identity: str | None = None

    @field_validator("id")
    @classmethod
    def _valid_id(cls, value: str) -> str:
        if not BANK_ID.match(value) or value in {"regulator", "registry", "inbox"}:
            raise ValueError(f"bank id {value!r} must be lower-case letters, digits and '-', not reserved")
        return value

    @field_validator("link_identity")
    @classmethod
    def _valid_identity(cls, value: str | None) -> str | None:
        if value is not None and (not BANK_ID.match(value) or value == "pipeline"):
            raise ValueError(f"link identity {value!r} must be lower-case letters, digits and '-', not 'pipeline'")
        return value

    @property
    def links_identity(self) -> str:
        return self.link_identity or f"{self.id}-links"


class Buckets(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    landing: str = "interdict-landing"
    reports: str = "interdict-reports"
    lists: str = "interdict-lists"
    work: str = "interdict-work"  # a night's intermediate shards and hits; pipeline identity only


class DecisionFileLimits(BaseModel):
    """The most one decision file a bank submits may hold; a larger file is refused whole."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    max_rows: int = Field(20_000, ge=1)
    max_bytes: int = Field(20 * 1024 * 1024, ge=1)


class Thresholds(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    person: float = Field(0.86, ge=0, le=1)
    organization: float = Field(0.86, ge=0, le=1)
    vessel: float = Field(0.90, ge=0, le=1)
    aircraft: float = Field(0.90, ge=0, le=1)
    unknown: float = Field(0.86, ge=0, le=1)


class Config(BaseModel):
    """The YAML configuration file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    banks: list[BankConfig]
    buckets: Buckets = Buckets()
    thresholds: Thresholds = Thresholds()
    retention_days: int = Field(400, ge=1)
    link_expiry_hours: int = Field(72, ge=1, le=168)  # presigned download links in notifications
    decision_files: DecisionFileLimits = DecisionFileLimits()
    ownership_threshold: float = Field(50.0, gt=0, le=100)
    shard_parties: int = Field(500_000, ge=1)  # target parties per screening shard (one task each)
    # Cores one screening task uses: 1 = one core per shard task, the shards being the night's
    # parallelism (worker slots = cores); -1 = every core of the worker, for one large task.
    screening_workers: int = Field(1, ge=-1)

    @field_validator("banks")
    @classmethod
    def _unique_banks(cls, banks: list[BankConfig]) -> list[BankConfig]:
        ids = [b.id for b in banks]
        if len(set(ids)) != len(ids):
            raise ValueError(f"bank ids must be unique, got {ids}")
        return banks

    def bank(self, bank_id: str) -> BankConfig:
        for bank in self.banks:
            if bank.id == bank_id:
                return bank
        raise ConfigError(f"bank {bank_id!r} is not configured (configured: {[b.id for b in self.banks]})")


def _env(name: str) -> str | None:
    value = os.environ.get(PREFIX + name)
    return value if value not in (None, "") else None


def _env_bool(name: str, default: bool) -> bool:
    raw = _env(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{PREFIX}{name}={raw!r} is not true or false")


def _env_int(name: str, default: int) -> int:
    raw = _env(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{PREFIX}{name}={raw!r} is not an integer") from None


def load_config(path: Path) -> Config:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read configuration {path}: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"configuration {path} is not valid YAML: {exc}") from None
    try:
        return Config.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(f"configuration {path} is invalid:\n{exc}") from None


@dataclass(frozen=True)
class S3Credentials:
    access_key: str
    secret_key: str


@dataclass(frozen=True)
class Settings:
    home: Path
    config_path: Path
    lists_dir: Path | None
    lists_fetch: bool
    list_sources_path: Path | None
    s3_endpoint: str | None
    s3_region: str
    s3_access_key: str | None
    s3_secret_key: str | None
    identities_path: Path
    retries: int
    retry_delay_seconds: int
    duckdb_threads: int
    duckdb_memory_limit: str

    @classmethod
    def from_env(cls) -> Settings:
        home = Path(_env("HOME") or Path.cwd() / "var").resolve()
        lists_dir = _env("LISTS_DIR")
        endpoint = os.environ.get(PREFIX + "S3_ENDPOINT", "http://127.0.0.1:8333") or None
        retries = _env_int("RETRIES", 2)
        delay = _env_int("RETRY_DELAY_SECONDS", 300)
        if retries < 0 or delay < 0:
            raise ConfigError(f"{PREFIX}RETRIES and {PREFIX}RETRY_DELAY_SECONDS must not be negative")
        return cls(
            home=home,
            config_path=Path(_env("CONFIG") or PROJECT_ROOT / "infra" / "interdict.yml"),
            lists_dir=Path(lists_dir) if lists_dir else None,
            lists_fetch=_env_bool("LISTS_FETCH", False),
            list_sources_path=Path(sources) if (sources := _env("LIST_SOURCES")) else None,
            s3_endpoint=endpoint,
            s3_region=_env("S3_REGION") or "us-east-1",
            s3_access_key=_env("S3_ACCESS_KEY"),
            s3_secret_key=_env("S3_SECRET_KEY"),
            identities_path=Path(_env("S3_IDENTITIES") or PROJECT_ROOT / "infra" / "s3-identities.json"),
            retries=retries,
            retry_delay_seconds=delay,
            duckdb_threads=_env_int("DUCKDB_THREADS", 2),
            duckdb_memory_limit=_env("DUCKDB_MEMORY_LIMIT") or "4GB",
        )

    @cached_property
    def config(self) -> Config:
        return load_config(self.config_path)

    @property
    def endpoint_is_local(self) -> bool:
        if not self.s3_endpoint:
            return False
        host = urlparse(self.s3_endpoint).hostname or ""
        return host in {"localhost", "::1"} or host.startswith("127.")

    def local_identity(self, name: str) -> S3Credentials:
        """Credentials of an identity of the local object store (``infra/s3-identities.json``)."""
        try:
            doc = json.loads(self.identities_path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise ConfigError(f"cannot read S3 identities {self.identities_path}: {exc}") from None
        for identity in doc.get("identities", []):
            if identity.get("name") == name and identity.get("credentials"):
                cred = identity["credentials"][0]
                return S3Credentials(cred["accessKey"], cred["secretKey"])
        raise ConfigError(f"no identity {name!r} in {self.identities_path}")

    def credentials(self, identity: str = "pipeline") -> S3Credentials | None:
        """The credentials for ``identity``: explicit environment variables for the pipeline, the
        local identities file for a loopback endpoint, else ``None`` (boto3's default chain)."""
        if identity == "pipeline" and self.s3_access_key and self.s3_secret_key:
            return S3Credentials(self.s3_access_key, self.s3_secret_key)
        if identity != "pipeline":
            key = _env(f"{identity.upper().replace('-', '_')}_S3_ACCESS_KEY")
            secret = _env(f"{identity.upper().replace('-', '_')}_S3_SECRET_KEY")
            if key and secret:
                return S3Credentials(key, secret)
        if self.endpoint_is_local:
            return self.local_identity(identity)
        return None

    def run_dir(self, run_date: str) -> Path:
        return self.home / "runs" / run_date
