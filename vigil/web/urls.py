from django.contrib.auth import views as auth_views
from django.urls import path

from vigil.web import analysis as analyst_pages
from vigil.web import (
    attachments,
    audittrail,
    casework,
    casework_tasks,
    dashboard,
    report_sections,
    reports,
    review,
    seriesmap,
    signin,
    views,
)
from vigil.web import search as search_page

urlpatterns = [
    path("", views.home, name="home"),
    path("cases/", views.case_list, name="case-list"),
    # before case-detail: a reference may hold "/", so "<ref>/edit/" would read as a reference
    path("cases/new/", reports.new_report, name="case-new"),
    path("cases/new/preview/", reports.preview, name="case-preview"),
    path("cases/<path:reference>/edit/", reports.edit_report, name="case-edit"),
    path(
        "cases/<path:reference>/edit/sections/",
        report_sections.section_list,
        name="case-sections",
    ),
    path(
        "cases/<path:reference>/edit/<slug:section>/",
        report_sections.section_edit,
        name="case-edit-section",
    ),
    # casework forms; an exhibit's or action's reference may hold "/" too ("JD/1")
    path("cases/<path:reference>/persons/new/", casework.new_person, name="case-person-new"),
    path("cases/<path:reference>/liaison/new/", casework.new_liaison, name="case-liaison-new"),
    path(
        "cases/<path:reference>/concerns/answer/",
        casework.answer_concern,
        name="case-concern-answer",
    ),
    path("cases/<path:reference>/exhibits/new/", casework.new_exhibit, name="case-exhibit-new"),
    path(
        "cases/<path:reference>/exhibits/<path:exhibit_ref>/custody/new/",
        casework.new_custody,
        name="case-custody-new",
    ),
    path("cases/<path:reference>/actions/new/", casework_tasks.new_action, name="case-action-new"),
    path(
        "cases/<path:reference>/actions/<path:action_ref>/move/",
        casework_tasks.move_action,
        name="case-action-move",
    ),
    path(
        "cases/<path:reference>/referrals/new/",
        casework_tasks.new_referral,
        name="case-referral-new",
    ),
    path(
        "cases/<path:reference>/referrals/<path:referral_ref>/answer/",
        casework_tasks.answer_referral,
        name="case-referral-answer",
    ),
    path("cases/<path:reference>/file.pdf", attachments.case_file_pdf, name="case-file-pdf"),
    path(
        "cases/<path:reference>/attachments/",
        attachments.attachment_list,
        name="case-attachments",
    ),
    path(
        "cases/<path:reference>/attachments/<int:attachment_id>/",
        attachments.attachment_download,
        name="case-attachment",
    ),
    path("cases/<path:reference>/", views.case_detail, name="case-detail"),
    path("login/", auth_views.LoginView.as_view(template_name="vigil/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("verify/", signin.verify, name="verify"),
    path("alerts/", analyst_pages.alert_list, name="alert-list"),
    path("alerts/<int:link_id>/", analyst_pages.alert_detail, name="alert-detail"),
    path("series/", analyst_pages.series_list, name="series-list"),
    path("series/map-background.geojson", seriesmap.background_file, name="series-map-background"),
    path("series/<path:reference>/", analyst_pages.series_detail, name="series-detail"),
    path("search/", search_page.search, name="search"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("dashboard/list/", dashboard.section, name="dashboard-section"),
    path("review/", review.queue, name="review-queue"),
    path("review/<path:reference>/", review.review_case, name="review-case"),
    path("audit/", audittrail.audit_page, name="audit-trail"),
]
