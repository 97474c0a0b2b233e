"""The main pages each role opens, for the page tests (titles, phone width, accessibility):
organisation A of the test world with an open sale, a product of the world's producer in it,
an order of the member and a pickup point with coordinates."""

from decimal import Decimal

from django.urls import reverse

from cabas.catalog.tests.factories import ProductFactory
from cabas.orders import services as order_services
from cabas.orders.tests.factories import open_shop
from cabas.sales.models import SaleItem
from cabas.work import services as work_services
from cabas.work.tests.duty_helpers import duty_at, put_on
from cabas.work.tests.factories import DutyFactory


# long: one flat list of pages per role reads better than pieces of it in helpers
def main_pages(world) -> dict[str, list[str]]:
    """``{role: [url, …]}`` in the order a person would meet them."""
    shop = open_shop(organisation=world.org_a, extra_products=3)
    own = ProductFactory(
        organisation=world.org_a, producer=world.producer, name="Miel de châtaignier"
    )
    SaleItem.objects.create(organisation=world.org_a, sale=shop.sale, product=own)
    order = order_services.order_place(
        user=world.users["member"], sale=shop.sale, pickup_id=shop.pickup.pk,
        slot_id=shop.slots[0].pk,
        lines=[(shop.products["bread"].pk, Decimal(2)), (shop.products["cheese"].pk, Decimal(1))],
    )  # fmt: skip
    # A duty at the pickup, so the check-in page shows its "Permanences" with a form.
    put_on(duty_at(shop.pickup), world.memberships["volunteer"], by=world.users["coordinator"])
    slug = world.org_a.slug

    def url(name, **kwargs):
        return reverse(name, kwargs={"slug": slug, **kwargs})

    sale, pickup = {"sale_id": shop.sale.pk}, {"pickup_id": shop.pickup.pk}
    work_services.signup_create(
        period=DutyFactory(
            organisation=world.org_a, pickup=shop.pickup, starts_at=shop.pickup.starts_at
        ),
        membership=world.memberships["volunteer"],
    )
    return {
        "member": [
            url("site:member_home"),
            url("orders:sale_shop", **sale),
            url("orders:product", **sale, product_id=shop.products["cheese"].pk),
            url("orders:my_orders"),
            url("orders:order", code=order.code),
            url("money:my_account"),
            url("sales:pickup_points_public"),
            reverse("profile"),
        ],
        "producer": [
            url("catalog:products"),
            url("catalog:product_edit", pk=own.pk),
            url("sales:producer_sales"),
            url("sales:producer_sale", **sale),
        ],
        "volunteer": [
            url("distribution:checkin_home"),
            url("distribution:checkin_pickup", **pickup),
            url("distribution:checkin_order", code=order.code),
            url("money:cash_report", **pickup),
            url("work:duties"),
            url("work:my_duties"),
        ],
        "coordinator": [
            url("site:member_home"),
            url("catalog:products"),
            url("catalog:product_create"),
            url("catalog:producers"),
            url("sales:sale_list"),
            url("sales:sale_detail", **sale),
            url("sales:pickup_detail", **pickup),
            url("orders:pickup_orders", **pickup),
            url("sales:schedule_list"),
            url("sales:pickup_point_list"),
            url("sales:pickup_point_create"),
            url("money:member_list"),
            url("orgs:invitations"),
            url("money:balances"),
            url("money:share_register"),
            url("money:settings"),
            url("money:sale_money", **sale),
            url("distribution:sale_summary", **sale),
            url("orgs:settings"),
            url("sales:sales_settings"),
            url("work:reports"),
        ],
    }
