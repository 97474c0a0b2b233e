from django.urls import path

from . import views

urlpatterns = [
    path("o/<slug:slug>/money/account/", views.my_account, name="my_account"),
    path("o/<slug:slug>/money/members/<id:user_id>/account/", views.member_account,
         name="member_account"),
    path("o/<slug:slug>/money/settings/", views.money_settings, name="settings"),
    path("o/<slug:slug>/money/shares/", views.share_register, name="share_register"),
    path("o/<slug:slug>/checkin/orders/<uuid:code>/payment/", views.order_payment,
         name="order_payment"),
]  # fmt: skip
