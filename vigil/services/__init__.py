"""The only writers. Every use case runs in one transaction with its audit row; faces (web, API,
CLI, import) call these functions and never write models themselves."""

from vigil.services.access import require, visible_case, visible_cases
from vigil.services.cases import open_case, record_facts, record_person
from vigil.services.categorisation import decide_category
from vigil.services.errors import Forbidden, Invalid, NotFound, ServiceError, StaleVersion
from vigil.services.exporting import export_cases
from vigil.services.importing import ImportReport, LineError, import_lines
from vigil.services.investigation import (
    answer_concern,
    answer_referral,
    log_liaison,
    make_referral,
    move_action,
    raise_action,
    record_custody,
    record_exhibit,
)
from vigil.services.reading import case_listing, list_cases, overdue_items, view_case
from vigil.services.restriction import (
    name_on_case,
    restrict_case,
    unname_from_case,
    unrestrict_case,
    who_may_see,
)
from vigil.services.unit import CaseState
from vigil.services.users import (
    Authenticator,
    actor_for,
    create_user,
    enrol_totp,
    set_active,
    set_password,
    set_role,
)

__all__ = [
    "Authenticator",
    "CaseState",
    "Forbidden",
    "ImportReport",
    "Invalid",
    "LineError",
    "NotFound",
    "ServiceError",
    "StaleVersion",
    "actor_for",
    "answer_concern",
    "answer_referral",
    "case_listing",
    "create_user",
    "decide_category",
    "enrol_totp",
    "export_cases",
    "import_lines",
    "list_cases",
    "log_liaison",
    "make_referral",
    "move_action",
    "name_on_case",
    "open_case",
    "overdue_items",
    "raise_action",
    "record_custody",
    "record_exhibit",
    "record_facts",
    "record_person",
    "require",
    "restrict_case",
    "set_active",
    "set_password",
    "set_role",
    "unname_from_case",
    "unrestrict_case",
    "view_case",
    "visible_case",
    "visible_cases",
    "who_may_see",
]
