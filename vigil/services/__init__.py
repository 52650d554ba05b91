"""The services: the only writers, and the read models the faces show. Every use case runs in one
transaction with its audit row; faces (web, API, CLI, import) call what this package exports
(``__all__`` is the whole surface they use, checked by import-linter) and never write models.

Inside, the modules are grouped by what they are: ``casework`` (the use cases that change a case),
``linkage`` (profiles, links and alerts, clusters, series), ``readmodels`` (what the faces show,
masked), ``interchange`` (import, export, backup) and ``access`` (permissions, masking, users).
"""

from vigil.services.access.restriction import (
    name_on_case,
    restrict_case,
    unname_from_case,
    unrestrict_case,
    who_may_see,
)
from vigil.services.access.rules import may, require, visible_case, visible_cases
from vigil.services.access.users import (
    Authenticator,
    actor_for,
    create_user,
    enrol_totp,
    set_active,
    set_password,
    set_role,
    signed,
    user_exists,
)
from vigil.services.casework.attachments import AttachmentInfo, list_attachments
from vigil.services.casework.attachments import Tampered as AttachmentTampered
from vigil.services.casework.attachments import attach as attach_file
from vigil.services.casework.attachments import fetch as fetch_attachment
from vigil.services.casework.attachments import megabytes as attachment_megabytes
from vigil.services.casework.cases import open_case, record_facts, record_person
from vigil.services.casework.categorisation import decide_category
from vigil.services.casework.conflicts import Changes as CaseChanges
from vigil.services.casework.conflicts import changes_since, report_as_read, revise_since
from vigil.services.casework.investigation import (
    active_users,
    answer_concern,
    answer_referral,
    log_liaison,
    make_referral,
    move_action,
    raise_action,
    record_custody,
    record_exhibit,
)
from vigil.services.casework.policy import current_pack
from vigil.services.casework.unit import CaseDocument, CaseState, case_document, case_record
from vigil.services.casework.versioned import name_on_case as name_on_case_at_version
from vigil.services.casework.versioned import restrict_case as restrict_case_at_version
from vigil.services.casework.versioned import unname_from_case as unname_from_case_at_version
from vigil.services.casework.versioned import unrestrict_case as unrestrict_case_at_version
from vigil.services.clock import utcnow
from vigil.services.errors import Forbidden, Invalid, NotFound, ServiceError, StaleVersion
from vigil.services.interchange.backup import backup as back_up_store
from vigil.services.interchange.backup import manifest_path as backup_manifest_path
from vigil.services.interchange.backup import restore as restore_store
from vigil.services.interchange.bulk import Importer as BulkImporter
from vigil.services.interchange.bulk import plan as plan_bulk_import
from vigil.services.interchange.bulk import write as write_bulk_import
from vigil.services.interchange.exporting import FORMATS as EXPORT_FORMATS
from vigil.services.interchange.exporting import export_cases
from vigil.services.interchange.importing import (
    ImportReport,
    LineError,
    import_lines,
    parse_line,
    read_lines,
)
from vigil.services.linkage.batchlink import link_pending, link_store
from vigil.services.linkage.clusters import list_cluster_alerts, scan_store
from vigil.services.linkage.comparison import Comparison, compare
from vigil.services.linkage.profiles import rebuild_profiles
from vigil.services.linkage.replay import replay, versions_of_records
from vigil.services.linkage.series import (
    AlertSummary,
    LinkJudgement,
    Reason,
    SeriesLink,
    SeriesPage,
    SeriesSummary,
    Verdict,
    judge_cluster,
    list_alerts,
    list_series,
    series_of,
)
from vigil.services.linkage.series import judge as judge_alert
from vigil.services.linkage.training import from_records, from_store
from vigil.services.readmodels.alertlist import (
    ALERT_KINDS,
    ALERT_STATUSES,
    SERIES_STATUSES,
    AlertFilters,
    alert_listing,
    series_listing,
)
from vigil.services.readmodels.auditreader import MAX_PAGE, PAGE, audit_trail
from vigil.services.readmodels.casepage import CaseLinks, CasePage, case_page
from vigil.services.readmodels.dashboard import (
    SECTION_TITLES,
    SECTIONS,
    Dashboard,
    Section,
    dashboard,
    dashboard_section,
)
from vigil.services.readmodels.listing import Listing, page_of
from vigil.services.readmodels.queues import QueueRow, review_listing, review_queue
from vigil.services.readmodels.reading import (
    CASE_STATUSES,
    CaseFilters,
    CaseSummary,
    OverdueItem,
    case_listing,
    list_cases,
    overdue_items,
    store_is_empty,
    view_case,
)
from vigil.services.readmodels.reporting import (
    changed_values,
    preview_report,
    report_for_editing,
    report_problems,
    revise_report,
    still_to_record,
)
from vigil.services.readmodels.search import MAX_LENGTH, Results, search_cases
from vigil.services.readmodels.seriespage import SeriesChart, metres, series_chart
from vigil.services.readmodels.seriespage import background_file as map_background_file
from vigil.services.readmodels.shapes import Window
from vigil.services.readmodels.workbench import Access, CaseConcern, case_access, case_concerns
from vigil.services.readmodels.workbench import overdue as case_overdue

__all__ = [
    "ALERT_KINDS",
    "ALERT_STATUSES",
    "CASE_STATUSES",
    "EXPORT_FORMATS",
    "MAX_LENGTH",
    "MAX_PAGE",
    "PAGE",
    "SECTIONS",
    "SECTION_TITLES",
    "SERIES_STATUSES",
    "Access",
    "AlertFilters",
    "AlertSummary",
    "AttachmentInfo",
    "AttachmentTampered",
    "Authenticator",
    "BulkImporter",
    "CaseChanges",
    "CaseConcern",
    "CaseDocument",
    "CaseFilters",
    "CaseLinks",
    "CasePage",
    "CaseState",
    "CaseSummary",
    "Comparison",
    "Dashboard",
    "Forbidden",
    "ImportReport",
    "Invalid",
    "LineError",
    "LinkJudgement",
    "Listing",
    "NotFound",
    "OverdueItem",
    "QueueRow",
    "Reason",
    "Results",
    "Section",
    "SeriesChart",
    "SeriesLink",
    "SeriesPage",
    "SeriesSummary",
    "ServiceError",
    "StaleVersion",
    "Verdict",
    "Window",
    "active_users",
    "actor_for",
    "alert_listing",
    "answer_concern",
    "answer_referral",
    "attach_file",
    "attachment_megabytes",
    "audit_trail",
    "back_up_store",
    "backup_manifest_path",
    "case_access",
    "case_concerns",
    "case_document",
    "case_listing",
    "case_overdue",
    "case_page",
    "case_record",
    "changed_values",
    "changes_since",
    "compare",
    "create_user",
    "current_pack",
    "dashboard",
    "dashboard_section",
    "decide_category",
    "enrol_totp",
    "export_cases",
    "fetch_attachment",
    "from_records",
    "from_store",
    "import_lines",
    "judge_alert",
    "judge_cluster",
    "link_pending",
    "link_store",
    "list_alerts",
    "list_attachments",
    "list_cases",
    "list_cluster_alerts",
    "list_series",
    "log_liaison",
    "make_referral",
    "map_background_file",
    "may",
    "metres",
    "move_action",
    "name_on_case",
    "name_on_case_at_version",
    "open_case",
    "overdue_items",
    "page_of",
    "parse_line",
    "plan_bulk_import",
    "preview_report",
    "raise_action",
    "read_lines",
    "rebuild_profiles",
    "record_custody",
    "record_exhibit",
    "record_facts",
    "record_person",
    "replay",
    "report_as_read",
    "report_for_editing",
    "report_problems",
    "require",
    "restore_store",
    "restrict_case",
    "restrict_case_at_version",
    "review_listing",
    "review_queue",
    "revise_report",
    "revise_since",
    "scan_store",
    "search_cases",
    "series_chart",
    "series_listing",
    "series_of",
    "set_active",
    "set_password",
    "set_role",
    "signed",
    "still_to_record",
    "store_is_empty",
    "unname_from_case",
    "unname_from_case_at_version",
    "unrestrict_case",
    "unrestrict_case_at_version",
    "user_exists",
    "utcnow",
    "versions_of_records",
    "view_case",
    "visible_case",
    "visible_cases",
    "who_may_see",
    "write_bulk_import",
]
