"""The services: the only writers, and the read models the faces show. Every use case runs in one
transaction with its audit row; faces (web, API, CLI, import) call what this package exports
(``__all__`` is the whole surface they use, checked by import-linter) and never write models.

Inside, the modules are grouped by what they are: ``casework`` (the use cases that change a case),
``linkage`` (profiles, links and alerts, clusters, series), ``readmodels`` (what the faces show,
masked), ``interchange`` (import, export, backup) and ``access`` (permissions, masking, users).
"""

from vigil.oversight.rates import RateVerdict
from vigil.services.access.restriction import (
    name_on_case,
    restrict_case,
    unname_from_case,
    unrestrict_case,
    who_may_see,
)
from vigil.services.access.rules import may, require, visible_case, visible_cases
from vigil.services.access.units import set_user_unit, user_unit
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
from vigil.services.casework.escalation import (
    EscalationRun,
    escalate,
    notifications_for,
    set_duty_inspector,
    set_supervisor,
)
from vigil.services.casework.investigation import (
    active_users,
    answer_concern,
    answer_notice,
    answer_referral,
    log_liaison,
    make_referral,
    move_action,
    open_notices,
    raise_action,
    record_custody,
    record_exhibit,
)
from vigil.services.casework.panel import (
    ADVICE_WITHIN,
    ANSWER_WITHIN,
    answer_advice,
    record_advice,
    refer_to_panel,
)
from vigil.services.casework.policy import current_pack
from vigil.services.casework.reviews import (
    close_review,
    define_review,
    record_outcome,
    relink_review,
)
from vigil.services.casework.unit import CaseDocument, CaseState, case_document, case_record
from vigil.services.casework.units import UnitsLoaded, load_units
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
from vigil.services.linkage.rates import STATUSES as RATE_STATUSES
from vigil.services.linkage.rates import (
    RateAlertPage,
    RateAlertRow,
    ScreenSummary,
    judge_rate_alert,
    list_rate_alerts,
    rate_alert,
    screen_rates,
)
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
from vigil.services.portal.keys import make_team_key, team_key_exists
from vigil.services.portal.questions import QUESTIONS as PORTAL_QUESTIONS
from vigil.services.portal.questions import Question as PortalQuestion
from vigil.services.portal.questions import answer_rows as portal_answer_rows
from vigil.services.portal.queue import (
    TRIAGE_KINDS,
    TRIAGE_STATUSES,
    TriageFilters,
    TriageRow,
    triage_item,
    triage_queue,
    unanswered_portal_concerns,
)
from vigil.services.portal.records import RECORD_KINDS as PORTAL_RECORD_KINDS
from vigil.services.portal.records import MadeRecord as PortalMadeRecord
from vigil.services.portal.records import RecordPreview as PortalRecordPreview
from vigil.services.portal.records import RecordSpec as PortalRecordSpec
from vigil.services.portal.records import make_record as make_record_from_report
from vigil.services.portal.records import preview_record as preview_record_from_report
from vigil.services.portal.submissions import Conversation as PortalConversation
from vigil.services.portal.submissions import add_message as portal_add_message
from vigil.services.portal.submissions import come_back as portal_come_back
from vigil.services.portal.submissions import portal_form_token, portal_ready
from vigil.services.portal.submissions import submit as portal_submit
from vigil.services.portal.triage import OpenedReport, open_submission, record_as_case
from vigil.services.portal.triage import close as close_submission
from vigil.services.portal.triage import reply as reply_to_reporter
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
from vigil.services.readmodels.clearance import StoreClearance, StoreGroup, store_clearance
from vigil.services.readmodels.consistency import INDICATORS, Consistency, consistency
from vigil.services.readmodels.dashboard import (
    SECTION_TITLES,
    SECTIONS,
    Dashboard,
    Section,
    dashboard,
    dashboard_section,
)
from vigil.services.readmodels.listing import Listing, page_of
from vigil.services.readmodels.panel import STATUSES as PANEL_STATUSES
from vigil.services.readmodels.panel import (
    AdviceShown,
    AnswerShown,
    ReferralShown,
    panel_members,
    panel_queue,
    panel_referrals,
)
from vigil.services.readmodels.panelpack import PackDocument, ReviewPack, as_panel, review_pack
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
from vigil.services.readmodels.review_selection import PERMISSION as REVIEW_PERMISSION
from vigil.services.readmodels.reviews import (
    ItemNeverDone,
    OutcomeShown,
    ReviewDeath,
    ReviewPage,
    ReviewSummary,
    list_reviews,
    review_page,
)
from vigil.services.readmodels.search import MAX_LENGTH, Results, search_cases
from vigil.services.readmodels.seriespage import SeriesChart, metres, series_chart
from vigil.services.readmodels.seriespage import background_file as map_background_file
from vigil.services.readmodels.shapes import Window
from vigil.services.readmodels.units import ALL_UNITS, UnitRow, list_units, unit_choices
from vigil.services.readmodels.workbench import Access, CaseConcern, case_access, case_concerns
from vigil.services.readmodels.workbench import overdue as case_overdue

__all__ = [
    "ADVICE_WITHIN",
    "ALERT_KINDS",
    "ALERT_STATUSES",
    "ALL_UNITS",
    "ANSWER_WITHIN",
    "CASE_STATUSES",
    "EXPORT_FORMATS",
    "INDICATORS",
    "MAX_LENGTH",
    "MAX_PAGE",
    "PAGE",
    "PANEL_STATUSES",
    "PORTAL_QUESTIONS",
    "PORTAL_RECORD_KINDS",
    "RATE_STATUSES",
    "REVIEW_PERMISSION",
    "SECTIONS",
    "SECTION_TITLES",
    "SERIES_STATUSES",
    "TRIAGE_KINDS",
    "TRIAGE_STATUSES",
    "Access",
    "AdviceShown",
    "AlertFilters",
    "AlertSummary",
    "AnswerShown",
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
    "Consistency",
    "Dashboard",
    "EscalationRun",
    "Forbidden",
    "ImportReport",
    "Invalid",
    "ItemNeverDone",
    "LineError",
    "LinkJudgement",
    "Listing",
    "NotFound",
    "OpenedReport",
    "OutcomeShown",
    "OverdueItem",
    "PackDocument",
    "PortalConversation",
    "PortalMadeRecord",
    "PortalQuestion",
    "PortalRecordPreview",
    "PortalRecordSpec",
    "QueueRow",
    "RateAlertPage",
    "RateAlertRow",
    "RateVerdict",
    "Reason",
    "ReferralShown",
    "Results",
    "ReviewDeath",
    "ReviewPack",
    "ReviewPage",
    "ReviewSummary",
    "ScreenSummary",
    "Section",
    "SeriesChart",
    "SeriesLink",
    "SeriesPage",
    "SeriesSummary",
    "ServiceError",
    "StaleVersion",
    "StoreClearance",
    "StoreGroup",
    "TriageFilters",
    "TriageRow",
    "UnitRow",
    "UnitsLoaded",
    "Verdict",
    "Window",
    "active_users",
    "actor_for",
    "alert_listing",
    "answer_advice",
    "answer_concern",
    "answer_notice",
    "answer_referral",
    "as_panel",
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
    "close_review",
    "close_submission",
    "compare",
    "consistency",
    "create_user",
    "current_pack",
    "dashboard",
    "dashboard_section",
    "decide_category",
    "define_review",
    "enrol_totp",
    "escalate",
    "export_cases",
    "fetch_attachment",
    "from_records",
    "from_store",
    "import_lines",
    "judge_alert",
    "judge_cluster",
    "judge_rate_alert",
    "link_pending",
    "link_store",
    "list_alerts",
    "list_attachments",
    "list_cases",
    "list_cluster_alerts",
    "list_rate_alerts",
    "list_reviews",
    "list_series",
    "list_units",
    "load_units",
    "log_liaison",
    "make_record_from_report",
    "make_referral",
    "make_team_key",
    "map_background_file",
    "may",
    "metres",
    "move_action",
    "name_on_case",
    "name_on_case_at_version",
    "notifications_for",
    "open_case",
    "open_notices",
    "open_submission",
    "overdue_items",
    "page_of",
    "panel_members",
    "panel_queue",
    "panel_referrals",
    "parse_line",
    "plan_bulk_import",
    "portal_add_message",
    "portal_answer_rows",
    "portal_come_back",
    "portal_form_token",
    "portal_ready",
    "portal_submit",
    "preview_record_from_report",
    "preview_report",
    "raise_action",
    "rate_alert",
    "read_lines",
    "rebuild_profiles",
    "record_advice",
    "record_as_case",
    "record_custody",
    "record_exhibit",
    "record_facts",
    "record_outcome",
    "record_person",
    "refer_to_panel",
    "relink_review",
    "replay",
    "reply_to_reporter",
    "report_as_read",
    "report_for_editing",
    "report_problems",
    "require",
    "restore_store",
    "restrict_case",
    "restrict_case_at_version",
    "review_listing",
    "review_pack",
    "review_page",
    "review_queue",
    "revise_report",
    "revise_since",
    "scan_store",
    "screen_rates",
    "search_cases",
    "series_chart",
    "series_listing",
    "series_of",
    "set_active",
    "set_duty_inspector",
    "set_password",
    "set_role",
    "set_supervisor",
    "set_user_unit",
    "signed",
    "still_to_record",
    "store_clearance",
    "store_is_empty",
    "team_key_exists",
    "triage_item",
    "triage_queue",
    "unanswered_portal_concerns",
    "unit_choices",
    "unname_from_case",
    "unname_from_case_at_version",
    "unrestrict_case",
    "unrestrict_case_at_version",
    "user_exists",
    "user_unit",
    "utcnow",
    "versions_of_records",
    "view_case",
    "visible_case",
    "visible_cases",
    "who_may_see",
    "write_bulk_import",
]
