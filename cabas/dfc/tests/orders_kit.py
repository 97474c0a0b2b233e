"""What the DFC order tests share: an open shop whose hub account holds a token, the test
vectors (``vectors/*.json``, ids filled in), and a snapshot of everything an order writes."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from string import Template

from django.conf import settings
from django.test import Client
from django.urls import reverse

from cabas.accounts.tests.factories import UserFactory
from cabas.dfc.models import ExternalOrder, Scope
from cabas.dfc.services import dfc_token_create
from cabas.orders.models import Order, OrderLine
from cabas.orders.tests.factories import Shop, open_shop
from cabas.orgs.tests.factories import OrganisationFactory
from cabas.sales.models import Pickup, SaleItem, Slot

VECTORS = Path(__file__).resolve().parent / "vectors"
SLUG = "cabas-albi"
ENTERPRISE = f"{settings.SITE_URL}/api/dfc/enterprises/{SLUG}"
SESSIONS = f"{ENTERPRISE}/sale_sessions"
ORDERS = f"{ENTERPRISE}/orders"
HUB_ORDER = "https://hub.example.net/api/dfc/enterprises/epicerie-du-coin/orders/1001"
WRITE = [Scope.ORDERS_READ, Scope.ORDERS_WRITE]


@dataclass
class Hub:
    """An open shop (``open_shop``) and the account another platform orders as."""

    shop: Shop
    user: object
    secret: str
    client: Client

    def ids(self, **extra) -> dict:
        shop = self.shop
        ids = {
            "enterprise": ENTERPRISE,
            "sessions": SESSIONS,
            "orders": ORDERS,
            "sale": shop.sale.pk,
            "pickup": shop.open_pickup.pk,
            "slot": shop.slots[0].pk,
            "slotted_pickup": shop.pickup.pk,
        }
        for name, product in shop.products.items():
            ids[name] = product.pk
            ids[f"{name}_item"] = shop.item(name).pk
        return {**ids, **extra}

    def vector(self, name: str, **extra) -> dict:
        """A test vector with this shop's ids (``${name}`` placeholders)."""
        text = (VECTORS / name).read_text(encoding="utf-8")
        return json.loads(Template(text).substitute(self.ids(**extra)))

    def send(self, method: str, url: str, document=None, *, secret: str | None = None, body=None):
        if body is None:
            body = json.dumps(document) if document is not None else ""
        if method == "get":
            body = {}
        headers = {"Authorization": f"Bearer {secret or self.secret}"}
        return getattr(self.client, method)(
            url, body, content_type="application/ld+json", headers=headers
        )

    def post(self, document, **kwargs):
        return self.send("post", ORDERS, document, **kwargs)


def make_hub(*, scopes=WRITE, member=True, members_only=False, **shop_kwargs) -> Hub:
    """An open shop of the organisation ``SLUG`` and a token of the hub's account (an active
    member unless ``member=False``)."""
    organisation = OrganisationFactory(slug=SLUG, members_only=members_only)
    shop = open_shop(organisation=organisation, **shop_kwargs)
    email = "hub@epicerie-du-coin.example"
    user = shop.member(email=email) if member else UserFactory(email=email)
    token = dfc_token_create(organisation=organisation, user=user, name="Hub", scopes=scopes)
    return Hub(shop, user, token.secret, Client(enforce_csrf_checks=True))


def order_url(order) -> str:
    return reverse("dfc:order", kwargs={"slug": SLUG, "code": order.code})


def snapshot() -> dict:
    """Everything placing, changing or cancelling an order writes."""
    return {
        "orders": list(Order.objects.order_by("pk").values_list("pk", "status", "total")),
        "lines": list(OrderLine.objects.order_by("pk").values_list("pk", "quantity")),
        "external": list(ExternalOrder.objects.order_by("pk").values_list("pk", "external_id")),
        "items": list(SaleItem.objects.order_by("pk").values_list("pk", "quantity_ordered")),
        "slots": list(Slot.objects.order_by("pk").values_list("pk", "booked")),
        "pickups": list(Pickup.objects.order_by("pk").values_list("pk", "booked")),
    }


def lines_of(order) -> dict[str, str]:
    """The order's lines as {product name: quantity}."""
    return {
        line.product_name: str(line.quantity.normalize())
        for line in OrderLine.objects.filter(order=order)
    }


def nodes_of(document: dict, kind: str) -> list[dict]:
    return [node for node in document["@graph"] if node["@type"] == f"dfc-b:{kind}"]
