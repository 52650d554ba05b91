"""How long a stored text may be: each bound written once, here.

The domain declares these on its fields (``Field(max_length=limits.SEAL_NUMBER)``) and the
Django models give their columns the same names (``CharField(max_length=limits.SEAL_NUMBER)``),
so a value the domain accepts always fits its column. Without them SQLite stores an over-long
value and PostgreSQL refuses it with an error that names no field; with them the value is
refused before anything is written, with the field and the reason. ``tests/domain/
test_bounds.py`` checks that each domain field and its column agree.
"""

from __future__ import annotations

REFERENCE = 64
"""A case reference, the force's own."""

USERNAME = 150
"""A user's name (Django's username column has 150), and every column saying who did something
(officer, by, owner, made_by, decided_by, recorded_by, ...), which may hold one."""

DISPLAY_NAME = 150
"""The name a user is shown by."""

PERSON_REF = 100
"""A person's ref, stable across cases."""

ITEM_REF = 64
"""The ref of an exhibit, action or referral within its case."""

PERSON_NAME = 200
"""A person's name, and the deceased's."""

IDENTIFIER = 300
"""An identifier's value, and its normalised form (which can be the longer: 'RD' becomes
'ROAD')."""

SUBSTANCE = 80
"""One substance found by toxicology, as stored (lower case)."""

PACKAGING = 200
SEAL_NUMBER = 64

HOLDER = 200
"""Who or where an exhibit passes from or to in its chain of custody."""

HASH = 64
"""A SHA-256 digest in hex."""

ACTION_KIND = 60
ACTION_TITLE = 300

TEAM = 200
"""The team a referral is made to."""

RULE_ID = 80
CHECKLIST_TITLE = 200

POLICY_VERSION = 60
"""A policy pack's 'name@version', stored on each case evaluated by it."""

UNIT_CODE = 20
"""A command unit's code (``EA``, ``MET``), as the force's units file gives it."""

UNIT_NAME = 200
"""A command unit's name."""

# --- free text: stored in unbounded columns, bounded here so that no one field can fill the
# store, a page or an export (a longer document is an exhibit, not a field). Each is checked
# by the domain model that holds it, so every face (web, API, CLI, import) refuses a longer
# text naming the field; ``tests/domain/test_bounds.py`` checks that no domain text is unbounded.

NARRATIVE = 20_000
"""A narrative: the circumstances, the first account, a person's statement, a liaison entry's
summary (about 3,000 words)."""

NOTE = 5_000
"""A note or a reason: a concern and its answer, a custody or action note, an action's result,
a referral's reason and answer, a category rationale and override reason, a judgement's reason,
and the report's descriptive texts (injuries, observations, medical history, cause, ...)."""

LINE = 500
"""A line: an address, an occupation, who gave the first account, a device or CCTV location,
where an exhibit was found, an examination."""
