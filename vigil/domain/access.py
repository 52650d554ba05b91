"""Who may do what: the roles and their permissions, declared as data in this one table.

Every service checks a permission through ``vigil.services.access.rules.require(actor,
permission)``;
nothing else decides what a role may do. Two further rules sit beside the table and apply to
every role alike:

- **Need-to-know.** A restricted case is visible only to the users named on it (administrators
  included: they are not exempt unless named). To anyone else it does not exist: opening it,
  listing, counting, searching, alerts, series and exports all behave as if it were not there.
- **Masking.** What a reader sees of a case depends on two permissions: without
  ``SEE_IDENTITIES`` (the advisory panel) the names and identifiers of every person are
  withheld; without ``SEE_SENSITIVE`` the sensitive fields (``vigil.domain.masking``) are
  withheld, and on a restricted case the deceased's identity too.

Columns: response officer, reviewing officer (sergeant / inspector), investigator, analyst,
advisory panel member, administrator, safeguarding officer (the specialist sexual-offences team
that triages the public portal's reports).

| permission        | resp | rev | inv | anl | pnl | adm | sfg |
|-------------------|:---:|:---:|:---:|:---:|:---:|:---:|:---:|
| view_case         | x | x | x | x | x | x | x |
| search            | x | x | x | x | x | x | x |
| record_case       | x | x | x |   |   |   | x |
| categorise        | x | x | x |   |   |   |   |
| investigate       | x | x | x |   |   |   | x |
| answer_referral   |   | x | x |   |   |   |   |
| view_alerts       |   | x | x | x |   |   | x |
| answer_alert      |   | x |   | x |   |   |   |
| view_series       |   | x | x | x | x |   | x |
| export            |   | x | x | x |   | x |   |
| import            |   |   |   |   |   | x |   |
| relink            |   |   |   | x |   | x |   |
| restrict_case     |   | x | x |   |   |   | x |
| manage_users      |   |   |   |   |   | x |   |
| see_identities    | x | x | x | x |   | x | x |
| see_sensitive     |   | x | x |   |   |   | x |
| read_audit        |   | x |   |   |   | x |   |
| triage_reports    |   |   |   |   |   |   | x |
| view_oversight    |   | x |   |   | x |   |   |
| refer_to_panel    |   | x |   |   |   |   |   |
| advise            |   |   |   |   | x |   |   |

``triage_reports`` opens (decrypts) the portal's sealed reports, replies to reporters and records
outcomes; every opening is audited. ``view_oversight`` is the consistency dashboard: figures per
command unit, aggregated, with no case, person or reference in them.

``refer_to_panel`` puts a case or a series before the independent advisory panel with a question,
and answers the panel's advice (accepted or not, with a reason); ``advise`` is the panel member's
one write, the advice itself. Neither passes need-to-know: a restricted case is referred only by
someone named on it, to a panel member named on it.

``read_audit`` is the audit reader (who viewed or changed a case, what a user did): the
administrator, and the reviewing officer who supervises the officers whose work it shows. It
passes no need-to-know: rows naming a case the reader may not see are left out.

Categorising below the policy floor also needs one of the policy pack's supervisor roles (the
pack decides that, with a recorded reason); ``categorise`` is only the right to decide at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType

from vigil.domain.enums import UserRole


class Permission(StrEnum):
    """Something a role may do. ``words`` completes the sentence "a <role> may not ..."."""

    VIEW_CASE = "view_case"
    SEARCH = "search"
    RECORD_CASE = "record_case"
    CATEGORISE = "categorise"
    INVESTIGATE = "investigate"
    ANSWER_REFERRAL = "answer_referral"
    VIEW_ALERTS = "view_alerts"
    ANSWER_ALERT = "answer_alert"
    VIEW_SERIES = "view_series"
    EXPORT = "export"
    IMPORT = "import"
    RELINK = "relink"
    RESTRICT_CASE = "restrict_case"
    MANAGE_USERS = "manage_users"
    SEE_IDENTITIES = "see_identities"
    SEE_SENSITIVE = "see_sensitive"
    READ_AUDIT = "read_audit"
    TRIAGE_REPORTS = "triage_reports"
    VIEW_OVERSIGHT = "view_oversight"
    REFER_TO_PANEL = "refer_to_panel"
    ADVISE = "advise"

    @property
    def words(self) -> str:
        return PERMISSION_WORDS[self]


PERMISSION_WORDS: Mapping[Permission, str] = MappingProxyType(
    {
        Permission.VIEW_CASE: "view cases",
        Permission.SEARCH: "list or search cases",
        Permission.RECORD_CASE: "open cases or record facts and persons",
        Permission.CATEGORISE: "decide a case's category",
        Permission.INVESTIGATE: "record liaison, exhibits, custody, actions or referrals",
        Permission.ANSWER_REFERRAL: "accept or decline referrals",
        Permission.VIEW_ALERTS: "see linkage alerts",
        Permission.ANSWER_ALERT: "judge links (answer alerts)",
        Permission.VIEW_SERIES: "see series",
        Permission.EXPORT: "export cases",
        Permission.IMPORT: "import cases",
        Permission.RELINK: "re-link the store",
        Permission.RESTRICT_CASE: "restrict cases or name users on them",
        Permission.MANAGE_USERS: "manage users, roles and sign-in devices",
        Permission.SEE_IDENTITIES: "see the names and identifiers of people",
        Permission.SEE_SENSITIVE: "see sensitive fields",
        Permission.READ_AUDIT: "read the audit trail",
        Permission.TRIAGE_REPORTS: "open, answer or close reports from the public portal",
        Permission.VIEW_OVERSIGHT: "see the consistency dashboard",
        Permission.REFER_TO_PANEL: "refer to the advisory panel or answer its advice",
        Permission.ADVISE: "give the advisory panel's advice",
    }
)

_P = Permission
_CASEWORK = frozenset(
    {
        _P.VIEW_CASE,
        _P.SEARCH,
        _P.RECORD_CASE,
        _P.CATEGORISE,
        _P.INVESTIGATE,
        _P.SEE_IDENTITIES,
    }
)

ROLE_PERMISSIONS: Mapping[UserRole, frozenset[Permission]] = MappingProxyType(
    {
        # Writes the death report at the scene; records exhibits, liaison and actions there.
        UserRole.RESPONSE_OFFICER: _CASEWORK,
        # Inspector or sergeant: categorises, signs off, overrides (per the pack), answers
        # referrals and alerts, decides who needs to know.
        UserRole.REVIEWING_OFFICER: _CASEWORK
        | {
            _P.ANSWER_REFERRAL,
            _P.VIEW_ALERTS,
            _P.ANSWER_ALERT,
            _P.VIEW_SERIES,
            _P.EXPORT,
            _P.RESTRICT_CASE,
            _P.SEE_SENSITIVE,
            _P.READ_AUDIT,
            _P.REFER_TO_PANEL,
            _P.VIEW_OVERSIGHT,
        },
        # Actions, persons, exhibits, liaison; the murder team that accepts referrals.
        UserRole.INVESTIGATOR: _CASEWORK
        | {
            _P.ANSWER_REFERRAL,
            _P.VIEW_ALERTS,
            _P.VIEW_SERIES,
            _P.EXPORT,
            _P.RESTRICT_CASE,
            _P.SEE_SENSITIVE,
        },
        # Linkage: alerts, judgements, series, batch re-linking; reads cases, writes none.
        UserRole.ANALYST: frozenset(
            {
                _P.VIEW_CASE,
                _P.SEARCH,
                _P.VIEW_ALERTS,
                _P.ANSWER_ALERT,
                _P.VIEW_SERIES,
                _P.EXPORT,
                _P.RELINK,
                _P.SEE_IDENTITIES,
            }
        ),
        # Independent advice: a redacted, read-only view of the cases, and advice on what is
        # referred to the panel.
        UserRole.PANEL_MEMBER: frozenset(
            {_P.VIEW_CASE, _P.SEARCH, _P.VIEW_SERIES, _P.ADVISE, _P.VIEW_OVERSIGHT}
        ),
        # Runs the system: users, imports, exports, batch re-linking; no casework, nothing
        # sensitive, and no way past need-to-know.
        UserRole.ADMINISTRATOR: frozenset(
            {
                _P.VIEW_CASE,
                _P.SEARCH,
                _P.EXPORT,
                _P.IMPORT,
                _P.RELINK,
                _P.MANAGE_USERS,
                _P.SEE_IDENTITIES,
                _P.READ_AUDIT,
            }
        ),
        # The specialist sexual-offences team: triages the portal's reports (opening one is
        # audited), replies to reporters, records drugging reports and intelligence as records
        # of their own, and sees their links to deaths; no categorising of deaths.
        UserRole.SAFEGUARDING_OFFICER: _CASEWORK - {_P.CATEGORISE}
        | {
            _P.TRIAGE_REPORTS,
            _P.VIEW_ALERTS,
            _P.VIEW_SERIES,
            _P.RESTRICT_CASE,
            _P.SEE_SENSITIVE,
        },
    }
)


def permissions_of(role: UserRole) -> frozenset[Permission]:
    """Everything ``role`` may do (nothing for a role the table does not name)."""
    return ROLE_PERMISSIONS.get(role, frozenset())


def allows(role: UserRole, permission: Permission) -> bool:
    return permission in permissions_of(role)
