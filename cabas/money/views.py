"""A member's account (their own), a coordinator's view of a member's account with its
actions (payments, refunds, membership, shares), the money settings, and payments taken at
check-in. Thin: parse, call the services, render."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cabas.core.errors import DomainError
from cabas.core.forms import add_domain_error
from cabas.core.money import format_money
from cabas.core.paging import page_of
from cabas.core.params import posted_object
from cabas.orders.models import Order
from cabas.orgs.models import Membership
from cabas.orgs.permissions import Action, org_view

from . import selectors, services
from .forms import MoneySettingsForm, PaymentForm, RefundForm, SharesForm
from .models import AccountEntry

ENTRIES_PER_PAGE = 50  # two years of weekly orders and their payments


def _account_context(request, organisation, membership) -> dict:
    user = membership.user
    page = page_of(
        selectors.entries(organisation=organisation, user=user),
        ENTRIES_PER_PAGE,
        request.GET.get("page"),
    )
    return {
        "account_user": user,
        "membership": membership,
        "balance": selectors.balance(organisation=organisation, user=user),
        "entries": page,
        "open_orders": list(selectors.undebited_orders(organisation=organisation, user=user)),
        "status": selectors.membership_status(membership=membership),
        "period": selectors.current_period(membership=membership),
        "shares": selectors.shares_held(organisation=organisation, user=user),
        "settings": selectors.settings_of(organisation),
        "transfer_reference": selectors.transfer_reference(membership),
    }


@org_view(Action.USE_MEMBER_AREA)
def my_account(request):
    """What I owe or have in credit, how, my membership and my shares."""
    context = _account_context(request, request.organisation, request.membership)
    return render(request, "money/account.html", {**context, "own": True})


def _member(request, user_id: int) -> Membership:
    return get_object_or_404(
        Membership.objects.select_related("user", "organisation"),
        organisation=request.organisation,
        user_id=user_id,
    )


@org_view(Action.MANAGE_MEMBERS)
def member_account(request, user_id: int):
    """A coordinator sees a member's account and records what happened."""
    membership = _member(request, user_id)
    if request.method == "POST":
        try:
            text = _account_action(request, membership)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, text)
        return redirect(request.path)
    context = _account_context(request, request.organisation, membership)
    return render(
        request,
        "money/account.html",
        {**context, "own": False, "payment_form": PaymentForm(), "refund_form": RefundForm(),
         "shares_form": SharesForm()},
    )  # fmt: skip


def _account_action(request, membership: Membership) -> str:
    organisation, user, by = request.organisation, membership.user, request.user
    action = request.POST.get("action")
    if action == "payment":
        form = PaymentForm(request.POST)
        if not form.is_valid():
            raise DomainError(" ".join(e for errors in form.errors.values() for e in errors))
        data = form.cleaned_data
        services.payment_record(
            organisation=organisation, user=user, amount=data["amount"], method=data["method"],
            by=by, reference=data["reference"],
        )  # fmt: skip
        return _("Payment recorded.")
    if action == "refund":
        form = RefundForm(request.POST)
        if not form.is_valid():
            raise DomainError(" ".join(e for errors in form.errors.values() for e in errors))
        services.refund_record(organisation=organisation, user=user, by=by,
                               amount=form.cleaned_data["amount"],
                               reason=form.cleaned_data["reason"])  # fmt: skip
        return _("Refund recorded.")
    if action == "renew":
        method = request.POST.get("method") or None
        services.membership_renew(membership=membership, by=by, method=method)
        return _("Membership renewed.")
    if action in ("shares_subscribe", "shares_refund"):
        form = SharesForm(request.POST)
        if not form.is_valid():
            raise DomainError(_("Enter a number of shares above zero."))
        quantity = form.cleaned_data["quantity"]
        if action == "shares_subscribe":
            services.shares_subscribe(organisation=organisation, user=user, quantity=quantity,
                                      by=by)  # fmt: skip
            return _("Shares recorded.")
        services.shares_refund(organisation=organisation, user=user, quantity=quantity, by=by,
                               reason=request.POST.get("reason", ""))  # fmt: skip
        return _("Shares bought back and refunded.")
    if action == "resolve":
        entry = posted_object(request, AccountEntry, "entry", organisation=organisation,
                              user=user)  # fmt: skip
        services.payment_resolve(entry=entry, method=request.POST.get("method", ""), by=by)
        return _("Payment method recorded.")
    raise DomainError(_("This action is not possible."))


@org_view(Action.MANAGE_ORGANISATION)
def money_settings(request):
    current = selectors.settings_of(request.organisation)
    form = MoneySettingsForm(request.POST if request.method == "POST" else None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.money_settings_update(organisation=request.organisation,
                                           **form.cleaned_data)  # fmt: skip
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The settings have been saved."))
            return redirect(request.path)
    return render(request, "money/settings.html", {"form": form})


@require_POST
@org_view(Action.RUN_DISTRIBUTION)
def order_payment(request, code):
    """At check-in: take one payment for an order (several if needed); for cash, the change
    to give back is shown."""
    order = get_object_or_404(
        Order.objects.select_related("pickup"), organisation=request.organisation, code=code
    )
    form = PaymentForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    else:
        data = form.cleaned_data
        try:
            services.payment_record(
                organisation=request.organisation, user=order.user, amount=data["amount"],
                method=data["method"], by=request.user, order=order, pickup=order.pickup,
                reference=data["reference"],
            )  # fmt: skip
        except DomainError as error:
            messages.error(request, str(error))
        else:
            text = _("Payment of %(amount)s recorded.") % {"amount": format_money(data["amount"])}
            if data["method"] == AccountEntry.Method.CASH and data["received"]:
                change = data["received"] - data["amount"]
                text += " " + _("Give back %(change)s.") % {"change": format_money(change)}
            messages.success(request, text)
    return redirect("distribution:checkin_order", request.organisation.slug, order.code)


@org_view(Action.MANAGE_MEMBERS)
def share_register(request):
    holders, movements = selectors.share_register(organisation=request.organisation)
    return render(
        request,
        "money/share_register.html",
        {"holders": holders, "movements": movements,
         "settings": selectors.settings_of(request.organisation)},
    )  # fmt: skip
