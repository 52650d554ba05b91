"""The death's analyst told of a link to a record only the safeguarding team may see (issue 13:
"a report linked to a death alerts the death's analyst"): a notice on the death, allocated to
them, due in three days, naming whom to ask and nothing of the record; one per alert however
often the cases are linked again; none when someone who may see the death may see the record;
answered by the analyst with what the team said. Need-to-know: the record's reference and every
fact of it (``tests.notices.MARKERS``) reach nobody outside the team through any service.
Synthetic people only."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest

from tests.conftest import make_user
from tests.notices import RECORD, TEAM_WORDS, leaked, linked, make_team_record, open_death
from vigil import services
from vigil.audit.models import AuditEntry
from vigil.domain import Action, DeathReport, UserRole
from vigil.domain.access import Permission
from vigil.records import models as m
from vigil.services.linkage import linkwriter
from vigil.services.linkage.notices import ASK_WITHIN, LINKAGE, notice_title


def notices(reference: str = "D-1") -> list[m.Action]:
    return list(m.Action.objects.filter(case__reference=reference, kind="restricted_link"))


def made_by(username: str):
    return services.actor_for(username)


def everything_seen(actor, reference: str = "D-1", *, later=None) -> str:
    """What ``actor`` can read through the services that could hold a trace of the record."""
    seen = []
    for read in (
        lambda: services.case_document(services.view_case(actor, reference, face="test")),
        lambda: services.case_page(actor, reference, face="test"),
        lambda: services.list_alerts(actor, face="test", answered=True),
        lambda: services.dashboard(actor, face="test", now=later),
        lambda: services.overdue_items(actor, now=later),
        lambda: [(n.case_reference, n.title) for n in services.notifications_for(actor)],
        lambda: services.search_cases(actor, "quietfox_test", face="test").hits,
        lambda: services.search_cases(actor, "Quincemarker", face="test").total,
    ):
        try:
            seen.append(repr(read()))
        except (services.Forbidden, services.NotFound) as refused:
            seen.append(type(refused).__name__)  # the case named back is the reader's own word
    if services.may(actor, Permission.EXPORT):
        out = io.StringIO()
        services.export_cases(actor, out)
        seen.append(out.getvalue())
    return "\n".join(seen)


@pytest.fixture
def team(db, settings):
    """sergeant1 (who opens the death) and analyst1; the team's officer comes with its record."""
    make_user("sergeant1", UserRole.REVIEWING_OFFICER)
    return make_user("analyst1", UserRole.ANALYST)


def test_the_deaths_analyst_is_told_that_a_record_is_linked_and_nothing_of_it(team, settings):
    made = linked(settings)

    assert len(notices()) == 1
    assert made.alert.analyst == ""  # the alert itself still waits for the team
    view = services.view_case(team, "D-1", face="test").view
    (notice,) = view.actions
    assert (notice.ref, notice.kind, notice.owner) == (made.notice, "restricted_link", "analyst1")
    assert notice.title == TEAM_WORDS
    assert notice.state == "allocated" and notice.result is None
    assert [(s.state, s.by) for s in notice.history] == [
        ("raised", LINKAGE),
        ("allocated", LINKAGE),
    ]
    assert notice.deadline == notice.history[0].at + ASK_WITHIN
    (raised,) = AuditEntry.objects.filter(event="case.action_raised", target_ref="D-1")
    assert (raised.actor, json.loads(raised.payload)) == (LINKAGE, {"action": made.notice})
    # the analyst and the death's reviewing officer read the notice and nothing of the record
    later = notice.deadline + timedelta(hours=1)
    services.escalate(now=later)  # overdue: on the checklist, and up the chain to its owner
    assert any(i.reference == "D-1" for i in services.overdue_items(team, now=later))
    assert any(n.case_reference == "D-1" for n in services.notifications_for(team))
    sergeant = services.actor_for("sergeant1")
    for reader in (team, sergeant):
        seen = everything_seen(reader, later=later)
        assert TEAM_WORDS in seen
        assert leaked(seen) == [], reader.username
    trail = services.audit_trail(sergeant, case="D-1", face="test")
    assert trail is not None and leaked(repr(trail)) == []
    # the team still sees the alert in full
    assert [a.b for a in services.list_alerts(made_by("safeguarding1"), face="test")] == [RECORD]


def test_a_user_who_may_see_neither_sees_nothing(team, settings):
    sergeant = services.actor_for("sergeant1")
    other = make_user("analyst2", UserRole.ANALYST)
    open_death(sergeant)
    services.restrict_case(sergeant, "D-1", ["analyst1"])
    make_team_record(settings)

    (row,) = notices()
    assert row.owner == "analyst1"  # named on the restricted death: analyst2 is not
    seen = everything_seen(other)
    assert seen.startswith("Unseen\nUnseen\n")  # the case and its page: not found
    assert "D-1" not in seen and "restricted_link" not in seen and TEAM_WORDS not in seen
    assert leaked(seen) == []
    with pytest.raises(services.NotFound):
        services.answer_notice(other, "D-1", row.ref, "Asked.")


def test_linking_again_raises_no_second_notice(team, settings):
    made = linked(settings)
    sergeant, team_officer = made_by("sergeant1"), made_by("safeguarding1")
    services.record_facts(sergeant, "D-1", DeathReport(circumstances="Found by a wall."))
    more = DeathReport.model_validate({"kind": "drugging", "circumstances": "She wrote again."})
    services.record_facts(team_officer, RECORD, more)
    services.link_store(team)  # the whole store, in batch

    assert [n.ref for n in notices()] == [made.notice]
    assert AuditEntry.objects.filter(event="case.action_raised", target_ref="D-1").count() == 1


def test_an_alert_raised_before_notices_existed_gets_one_when_linked_again(
    team, settings, monkeypatch
):
    with monkeypatch.context() as before:  # linking as it was before notices existed
        before.setattr(linkwriter, "tell_death_analysts", lambda links, now: [])
        made = linked(settings)
    assert notices() == []
    services.link_store(team)
    assert [(n.ref, n.owner) for n in notices()] == [(made.notice, "analyst1")]


def test_none_when_someone_who_may_see_the_death_may_see_the_record(team, settings):
    team_officer = make_team_record(settings)
    services.name_on_case(team_officer, RECORD, "analyst1")  # the team chose to tell them
    open_death(made_by("sergeant1"))

    alert = m.Alert.objects.get(link__case_b__reference=RECORD)
    assert alert.analyst == "analyst1" and notices() == []


def test_a_reviewing_officer_is_told_when_there_is_no_analyst(db, settings):
    make_user("sergeant1", UserRole.REVIEWING_OFFICER)
    linked(settings)
    assert [n.owner for n in notices()] == ["sergeant1"]


def test_the_analyst_answers_the_notice_with_what_the_team_said(team, settings, investigator):
    made = linked(settings)
    sergeant = made_by("sergeant1")
    cctv = Action.model_validate(
        {
            "ref": "A-1",
            "kind": "cctv",
            "title": "Seek CCTV",
            "history": [{"state": "raised", "at": "2015-06-02T09:00:00Z", "by": "sergeant1"}],
        }
    )
    services.raise_action(sergeant, "D-1", cctv)
    for who, error in (
        (investigator, services.Forbidden),  # moves it on as any action instead
        (made_by("safeguarding1"), services.Forbidden),
    ):
        with pytest.raises(error):
            services.answer_notice(who, "D-1", made.notice, "Asked.")
    with pytest.raises(services.Invalid) as empty:
        services.answer_notice(team, "D-1", made.notice, "  ")
    assert empty.value.field == "result"
    with pytest.raises(services.NotFound) as not_a_notice:
        services.answer_notice(team, "D-1", "A-1", "Asked.")
    assert not_a_notice.value.field == "notice"
    view = services.view_case(team, "D-1", face="test").view
    assert services.open_notices(team, view) == {made.notice}
    assert services.open_notices(investigator, view) == frozenset()

    said = "safeguarding1: the reporter has not agreed yet; they will name me if she does."
    state = services.answer_notice(team, "D-1", made.notice, said)

    notice = next(a for a in state.view.actions if a.ref == made.notice)
    assert (notice.state, notice.result) == ("resulted", said)
    assert [(s.state, s.by) for s in notice.history[2:]] == [
        ("completed", "analyst1"),
        ("resulted", "analyst1"),
    ]
    assert services.open_notices(team, state.view) == frozenset()
    moved = AuditEntry.objects.get(event="case.action_moved", target_ref="D-1")
    assert json.loads(moved.payload) == {"action": made.notice, "state": "resulted"}
    with pytest.raises(services.Invalid, match="answered already"):
        services.answer_notice(team, "D-1", made.notice, "Again.")
    assert [n.state for n in notices()] == ["resulted"]  # linking again reopens nothing


def test_only_the_linkage_engine_raises_a_notice(team, settings, investigator):
    open_death(made_by("sergeant1"))
    forged = Action.model_validate(
        {
            "ref": "RL-1",
            "kind": "restricted_link",
            "title": "A record is linked",
            "history": [{"state": "raised", "at": "2015-06-02T09:00:00Z", "by": "x"}],
        }
    )
    with pytest.raises(services.Invalid) as refused:
        services.raise_action(investigator, "D-1", forged)
    assert refused.value.field == "kind" and notices() == []


def test_the_title_names_as_many_holders_as_it_holds():
    few = notice_title(["sg1", "sg2"], team=True)
    assert few.endswith("what may be shared (named on it: sg1, sg2).")
    many = notice_title([f"safeguarding-officer-{n:02}" for n in range(20)], team=True)
    assert len(many) <= 300 and many.endswith(" more).") and "officer-00" in many
    assert notice_title([], team=True).endswith("ask the safeguarding team what may be shared.")
    others = notice_title(["inspector1"], team=False)
    assert others.startswith("A restricted record is linked") and "safeguarding" not in others
