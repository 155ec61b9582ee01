"""Root exceptions. A *terminal* error will fail again on retry (bad input, bad configuration);
a *transient* one may succeed on retry (object store unavailable, network hiccup)."""

from __future__ import annotations


class InterdictError(Exception):
    """Base of every error Interdict raises on purpose. Its message is meant for a person."""

    transient = False


class ConfigError(InterdictError):
    """A setting or configuration file is invalid."""


class InputError(InterdictError):
    """An input file cannot be used at all: unreadable, wrong format, missing required column."""

    def __init__(self, path: object, problem: str) -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


class ListError(InterdictError):
    """A sanctions list file was refused (empty, truncated, changed schema, failed sanity bounds)."""


class ValidationFailed(InterdictError):
    """A dataset-level data-quality rule failed: the extract must not be screened."""


class StorageError(InterdictError):
    """The object store refused or failed an operation."""

    transient = True
