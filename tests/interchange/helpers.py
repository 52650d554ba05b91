from vigil.domain import facts as factlog
from vigil.domain.report import DeathReport
from vigil.interchange.record import CaseRecord


def final_report(record: CaseRecord) -> DeathReport:
    """The report once every update in the record is applied."""
    values = factlog.report_facts(record.report)
    for update in sorted(record.updates, key=lambda u: u.known_at):
        values.update(factlog.report_facts(update.report))
    return factlog.report_from_values(values)


def signature(record: CaseRecord) -> dict:
    """What must survive import and export unchanged."""
    return {
        "report": final_report(record),
        "persons": sorted((p.ref, tuple(sorted(p.roles))) for p in record.persons),
        "identifiers": sorted(
            (p.ref, i.kind, i.normalised)
            for p in record.persons
            for i in p.identifiers
            if i.kind != "name"
        ),
        "liaison": sorted((e.person_ref, e.at, len(e.concerns)) for e in record.liaison),
        "exhibits": sorted((x.ref, len(x.custody)) for x in record.exhibits),
        "actions": sorted((a.ref, a.state) for a in record.actions),
        "referrals": sorted((r.ref, r.state) for r in record.referrals),
        "decisions": sorted((d.category, d.decided_at) for d in record.decisions),
    }
