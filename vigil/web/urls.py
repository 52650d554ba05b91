from django.contrib.auth import views as auth_views
from django.urls import path

from vigil.web import analysis as analyst_pages
from vigil.web import dashboard, reports, review, signin, views
from vigil.web import search as search_page

urlpatterns = [
    path("", views.home, name="home"),
    path("cases/", views.case_list, name="case-list"),
    # before case-detail: a reference may hold "/", so "<ref>/edit/" would read as a reference
    path("cases/new/", reports.new_report, name="case-new"),
    path("cases/new/preview/", reports.preview, name="case-preview"),
    path("cases/<path:reference>/edit/", reports.edit_report, name="case-edit"),
    path("cases/<path:reference>/", views.case_detail, name="case-detail"),
    path("login/", auth_views.LoginView.as_view(template_name="vigil/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("verify/", signin.verify, name="verify"),
    path("alerts/", analyst_pages.alert_list, name="alert-list"),
    path("alerts/<int:link_id>/", analyst_pages.alert_detail, name="alert-detail"),
    path("series/", analyst_pages.series_list, name="series-list"),
    path("series/<path:reference>/", analyst_pages.series_detail, name="series-detail"),
    path("search/", search_page.search, name="search"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("review/", review.queue, name="review-queue"),
    path("review/<path:reference>/", review.review_case, name="review-case"),
]
