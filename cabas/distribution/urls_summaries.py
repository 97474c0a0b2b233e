"""A sale's summaries, for producers (their own) and coordinators (see views_summaries)."""

from django.urls import path

from . import views_summaries

urlpatterns = [
    path(
        "o/<slug:slug>/sales/<id:sale_id>/summary/",
        views_summaries.sale_summary,
        name="sale_summary",
    ),
    path(
        "o/<slug:slug>/sales/<id:sale_id>/summary.<str:file_format>",
        views_summaries.sale_summary_export,
        name="sale_summary_export",
    ),
]
