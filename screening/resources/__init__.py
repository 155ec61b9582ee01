"""Reference tables for name normalisation, kept as Python data so that loading them needs no I/O.

Every table is written in the *folded* alphabet the normaliser produces: lower-case ASCII, with
dots and apostrophes removed and any other punctuation turned into a space.
"""
