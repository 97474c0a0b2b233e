"""URL patterns of the work app: reports (gathered by urls.py)."""

from django.urls import path

from . import views_reports

_REPORTS = "o/<slug:slug>/work/reports/"

urlpatterns = [
    path(_REPORTS, views_reports.work_reports, name="reports"),
    path(f"{_REPORTS}defraiements/", views_reports.compensation_report, name="compensations"),
    path(f"{_REPORTS}<str:table>.<str:file_format>", views_reports.report_file, name="report_file"),
]
