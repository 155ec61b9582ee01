"""Great Expectations suites as code, one module per dataset.

``spec(kind)`` returns the :class:`DatasetSpec` of a dataset; ``spec(kind).build_suite(ctx)``
builds its Great Expectations suite. Importing this package does not import Great Expectations.
"""

from __future__ import annotations

import importlib

from expectations._base import DatasetSpec, SuiteContext

# dataset kind -> module holding its SPEC (a module may hold several, as SPECS)
_MODULES = {
    "customers": "expectations.customers",
    "payments": "expectations.payments",
    "parties": "expectations.parties",
    "companies": "expectations.companies",
    "officers": "expectations.officers",
    "psc": "expectations.psc",
    "ownership": "expectations.ownership",
    "register_companies": "expectations.ownership",
    "register_persons": "expectations.ownership",
    "register_officers": "expectations.ownership",
    "list_entries": "expectations.lists",
    "list_names": "expectations.lists",
}

KINDS: tuple[str, ...] = tuple(_MODULES)


def spec(kind: str) -> DatasetSpec:
    """The spec of dataset ``kind``; ``KeyError`` naming the known kinds if there is none."""
    if kind not in _MODULES:
        raise KeyError(f"unknown dataset kind {kind!r} (known: {', '.join(KINDS)})")
    module = importlib.import_module(_MODULES[kind])
    specs: dict[str, DatasetSpec] = getattr(module, "SPECS", None) or {module.SPEC.kind: module.SPEC}
    return specs[kind]


__all__ = ["KINDS", "DatasetSpec", "SuiteContext", "spec"]
