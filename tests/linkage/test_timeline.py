"""The batch replay's timing rule: a pair alerts at the first moment the versions of both
cases standing then score at or above the threshold."""

from datetime import UTC, datetime, timedelta

from vigil.linkage import timeline
from vigil.linkage.profile import Profile

T0 = datetime(2014, 6, 19, tzinfo=UTC)


def version(ref: str, index: int, day: int, end: int | None) -> timeline.Version:
    return timeline.Version(
        ref,
        index,
        T0 + timedelta(days=day),
        None if end is None else T0 + timedelta(days=end),
        Profile({"unique_id": ref}, {}, {}),
    )


def test_versions_stand_until_the_next_moment():
    moments = [T0 + timedelta(days=d) for d in (3, 0, 3, 10)]
    made = timeline.versions_of("A", moments, lambda at: Profile({"at": at}, {}, {}))
    assert [(v.index, v.start, v.end) for v in made] == [
        (0, T0, T0 + timedelta(days=3)),
        (1, T0 + timedelta(days=3), T0 + timedelta(days=10)),
        (2, T0 + timedelta(days=10), None),
    ]
    assert made[1].id == "A#1"


def test_overlap_is_strict_at_the_ends():
    a0, a1 = version("A", 0, 0, 5), version("A", 1, 5, None)
    b0 = version("B", 0, 5, None)
    assert not timeline.overlap(a0, b0)  # A's first version ended as B began
    assert timeline.overlap(a1, b0)
    assert timeline.overlap(version("C", 0, 0, None), b0)
