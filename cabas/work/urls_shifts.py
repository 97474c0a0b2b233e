"""URL patterns of the work app: the coop's shifts (gathered by urls.py)."""

from django.urls import path

from . import views_my_shifts, views_shifts

_O = "o/<slug:slug>/"

urlpatterns = [
    # Coordinators
    path(f"{_O}shifts/cycle/", views_shifts.shift_templates, name="shift_templates"),
    path(f"{_O}shifts/cycle/new/", views_shifts.shift_template_add, name="shift_template_add"),
    path(
        f"{_O}shifts/cycle/<id:pk>/", views_shifts.shift_template_edit, name="shift_template_edit"
    ),
    path(f"{_O}shifts/prepare/", views_shifts.shifts_prepare, name="shifts_prepare"),
    path(f"{_O}shifts/", views_shifts.shift_list, name="shift_list"),
    path(f"{_O}shifts/<id:pk>/", views_shifts.shift_detail, name="shift_detail"),
    path(
        f"{_O}shifts/signups/<id:signup_id>/attendance/",
        views_shifts.shift_attendance,
        name="shift_attendance",
    ),
    path(
        f"{_O}shifts/signups/<id:signup_id>/replacement/",
        views_shifts.shift_replacement,
        name="shift_replacement",
    ),
    path(f"{_O}shifts/members/", views_shifts.shift_members, name="shift_members"),
    path(f"{_O}shifts/members/new/", views_shifts.shift_member_add, name="shift_member_add"),
    path(
        f"{_O}shifts/members/<id:membership_id>/",
        views_shifts.shift_member,
        name="shift_member",
    ),
    path(
        f"{_O}shifts/members/<id:membership_id>/correct/",
        views_shifts.shift_member_correct,
        name="shift_member_correct",
    ),
    path(
        f"{_O}shifts/members/<id:membership_id>/exemptions/",
        views_shifts.shift_exemption_add,
        name="shift_exemption_add",
    ),
    path(
        f"{_O}shifts/exemptions/<id:pk>/delete/",
        views_shifts.shift_exemption_delete,
        name="shift_exemption_delete",
    ),
    # Members
    path(f"{_O}my-shifts/", views_my_shifts.my_shifts, name="my_shifts"),
    path(f"{_O}my-shifts/take/<id:pk>/", views_my_shifts.my_shift_take, name="my_shift_take"),
    path(f"{_O}my-shifts/offer/<id:pk>/", views_my_shifts.my_shift_offer, name="my_shift_offer"),
    path(
        f"{_O}my-shifts/withdraw/<id:pk>/",
        views_my_shifts.my_shift_withdraw,
        name="my_shift_withdraw",
    ),
    path(
        f"{_O}my-shifts/take-over/<id:pk>/",
        views_my_shifts.my_shift_take_over,
        name="my_shift_take_over",
    ),
]
