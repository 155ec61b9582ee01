"""Company registers: load extracts, build the ownership graph, apply the 50 percent rule."""

from pipelines.registry.load import Register, detect, load_register

__all__ = ["Register", "detect", "load_register"]
