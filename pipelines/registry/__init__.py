"""Company registers: load extracts, build the ownership graph, apply the 50 percent rule."""

from pipelines.registry.load import Register, detect, load_register
from pipelines.registry.resolve import (
    OWNERSHIP_SOURCE,
    RegisterResult,
    flagged_companies_as_watchlist,
    resolve_register,
    screen_register,
)

__all__ = [
    "OWNERSHIP_SOURCE",
    "Register",
    "RegisterResult",
    "detect",
    "flagged_companies_as_watchlist",
    "load_register",
    "resolve_register",
    "screen_register",
]
