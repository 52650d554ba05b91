"""The policy pack in force (from VIGIL_POLICY_PACK, else the default pack), loaded once."""

from __future__ import annotations

from functools import cache

from django.conf import settings

from vigil.policy import PolicyPack, default_pack, load_pack


@cache
def current_pack() -> PolicyPack:
    path = settings.VIGIL.policy_pack
    return load_pack(path) if path else default_pack()
