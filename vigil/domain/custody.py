"""Chain of custody: append-only, hash-linked, and without gaps."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence

from vigil.domain.enums import CustodyEventKind
from vigil.domain.errors import DomainError
from vigil.domain.investigation import CustodyEvent

GENESIS = "0" * 64


def event_hash(prev_hash: str, event: CustodyEvent) -> str:
    body = event.model_dump(mode="json", exclude={"prev_hash", "hash"})
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(f"{prev_hash}|{canonical}".encode()).hexdigest()


def append(chain: Sequence[CustodyEvent], event: CustodyEvent) -> CustodyEvent:
    """The event, checked against the chain and sealed with its hash; DomainError if it breaks
    the chain (a gap in custody, an event after destruction, a first event that is not a seizure,
    or time running backwards)."""
    if not chain:
        if event.kind is not CustodyEventKind.SEIZED:
            raise DomainError("custody.kind", "the first custody event must be 'seized'")
        prev_hash = GENESIS
    else:
        last = chain[-1]
        if last.kind is CustodyEventKind.DESTROYED:
            raise DomainError("custody.kind", "the exhibit was destroyed; nothing can follow")
        if event.kind is CustodyEventKind.SEIZED:
            raise DomainError("custody.kind", "an exhibit is seized once")
        if event.from_holder != last.to_holder:
            raise DomainError(
                "custody.from_holder",
                f"gap in custody: the exhibit was last with '{last.to_holder}', "
                f"not '{event.from_holder}'",
            )
        if event.at < last.at:
            raise DomainError("custody.at", f"is before the previous event ({last.at.isoformat()})")
        prev_hash = last.hash
    return event.model_copy(update={"prev_hash": prev_hash, "hash": event_hash(prev_hash, event)})


def broken_link(chain: Sequence[CustodyEvent]) -> int | None:
    """Index of the first event whose hash or link does not check, or None if all do."""
    prev = GENESIS
    for index, event in enumerate(chain):
        if event.prev_hash != prev or event.hash != event_hash(prev, event):
            return index
        prev = event.hash
    return None
