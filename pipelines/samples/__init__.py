"""Deterministic sample extracts for demos, tests and benchmarks."""
