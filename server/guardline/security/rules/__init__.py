"""Per-language security rule tables: one module per language, each exposing ``SPEC``."""
