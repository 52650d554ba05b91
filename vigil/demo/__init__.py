"""Synthetic demo data: seeded, realistic, fictional death reports as interchange records."""

from vigil.demo.generate import (
    MIX,
    Scenario,
    generate,
    generate_labelled,
    to_line,
    write_jsonl,
)
from vigil.demo.users import DEMO_USERS

__all__ = [
    "DEMO_USERS",
    "MIX",
    "Scenario",
    "generate",
    "generate_labelled",
    "to_line",
    "write_jsonl",
]
