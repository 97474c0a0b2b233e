"""Distribution day's changes of orders (the orders' services, called by the check-in
screens): statuses, weighing, corrections with their history (missing items:
test_missing.py; arrivals: test_arrivals.py). Moved with the services from distribution's tests."""

from decimal import Decimal

import pytest
from django.utils import translation

from cabas.orders import errors, services
from cabas.orders.models import Order, OrderEvent
from cabas.orders.tests.factories import distribution_day, line_of
from cabas.sales.models import SaleItem

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def day():
    return distribution_day()


def test_weighing_recomputes_the_line_and_the_total_and_keeps_the_vat(day):
    order = day.orders[0]  # 2 chickens estimated 1.6 kg at 11.90 €/kg (19.04 each) + bread
    assert order.total == D("38.08") + D("4.20")

    services.order_line_weigh(line=line_of(order, "Poulet"), weighed_kg=D("3.412"),
                              by=day.volunteer)  # fmt: skip

    line = line_of(order, "Poulet")
    assert (line.weighed_kg, line.amount, line.vat_rate) == (D("3.412"), D("40.60"), D("5.50"))
    assert Order.objects.get(pk=order.pk).total == D("44.80")
    event = OrderEvent.objects.get(order=order, kind="weighed")
    assert (event.by, event.detail["before"]["amount"], event.detail["after"]["amount"]) == (
        day.volunteer,
        "38.08",
        "40.60",
    )


@pytest.mark.parametrize(
    ("name", "weight", "error"),
    [
        ("Pain de campagne", "1", errors.NotWeighable),
        ("Poulet", "0", errors.WeightInvalid),
        ("Poulet", "-1", errors.WeightInvalid),
        ("Poulet", "400", errors.WeightNeedsConfirmation),  # > 100 × 3.2 kg
        ("Poulet", "10000", errors.WeightTooHigh),
        ("Poulet", "0.0004", errors.WeightTooPrecise),  # never rounded to nothing
        ("Poulet", "1.2345", errors.WeightTooPrecise),
    ],
)
def test_bad_weights_are_refused_and_change_nothing(day, name, weight, error):
    order = day.orders[0]
    with pytest.raises(error):
        services.order_line_weigh(line=line_of(order, name), weighed_kg=D(weight),
                                  by=day.volunteer)  # fmt: skip
    assert Order.objects.get(pk=order.pk).total == D("42.28")
    assert not OrderEvent.objects.filter(kind="weighed").exists()


def test_a_weight_too_high_says_the_limit_not_above_zero(day):
    with translation.override("fr"), pytest.raises(errors.WeightTooHigh) as refused:
        services.order_line_weigh(line=line_of(day.orders[0], "Poulet"), weighed_kg=D("99999"),
                                  by=day.volunteer, confirm=True)  # fmt: skip
    assert str(refused.value) == "Indiquez un poids inférieur à 10\xa0000 kg (par ex. 1,35)."
    assert refused.value.code == "weight_invalid"


def test_a_weight_finer_than_the_gram_names_the_smallest_step(day):
    with translation.override("fr"), pytest.raises(errors.WeightTooPrecise) as refused:
        services.order_line_weigh(line=line_of(day.orders[0], "Poulet"), weighed_kg=D("1.2345"),
                                  by=day.volunteer)  # fmt: skip
    assert str(refused.value) == (
        "Indiquez un poids au gramme près : le plus petit pas est 0,001 kg."
    )


def test_an_absurd_weight_passes_once_confirmed(day):
    services.order_line_weigh(line=line_of(day.orders[0], "Poulet"), weighed_kg=D("400"),
                              by=day.volunteer, confirm=True)  # fmt: skip
    assert line_of(day.orders[0], "Poulet").amount == D("4760.00")


def test_statuses_follow_distribution_day_and_record_who(day):
    order = day.orders[0]
    services.order_set_status(order=order, status="ready", by=day.volunteer)
    services.order_set_status(order=order, status="collected", by=day.volunteer)

    order.refresh_from_db()
    assert order.status == "collected" and order.collected_at is not None
    kinds = list(OrderEvent.objects.filter(order=order).values_list("kind", "by"))
    assert kinds[-2:] == [("ready", day.volunteer.pk), ("collected", day.volunteer.pk)]
    with pytest.raises(errors.StatusChangeInvalid):
        services.order_set_status(order=order, status="picking", by=day.volunteer)


def test_drive_orders_are_taken_picked_and_made_ready(day):
    order = day.orders[2]
    services.order_set_status(order=order, status="picking", by=day.volunteer)
    services.order_set_status(order=order, status="ready", by=day.volunteer)
    assert Order.objects.get(pk=order.pk).status == "ready"


def test_coordinators_correct_orders_after_the_cutoff_with_a_reason(day):
    order = day.orders[0]
    coordinator = day.member()
    with pytest.raises(errors.ReasonRequired):
        services.order_line_add(order=order, product=day.products["soap"], quantity=D(1),
                                by=coordinator, reason="")  # fmt: skip

    services.order_line_add(order=order, product=day.products["soap"], quantity=D(1),
                            by=coordinator, reason="Demandé par téléphone")  # fmt: skip
    services.order_line_remove(line=line_of(order, "Pain de campagne"), by=coordinator,
                               reason="Erreur")  # fmt: skip
    count = services.sale_item_set_price(item=day.item("cheese"), price=D("6.00"), by=coordinator,
                                         reason="Erreur de prix du producteur")  # fmt: skip

    assert Order.objects.get(pk=order.pk).total == D("38.08") + D("5.00")
    assert count == 2
    assert Order.objects.get(pk=day.orders[1].pk).total == D("12.00") + D("8.40")
    assert SaleItem.objects.get(pk=day.item("bread").pk).quantity_ordered == 2  # 3 − 1 removed
    history = list(OrderEvent.objects.filter(order=order).values_list("kind", "reason"))
    assert history[-2:] == [("line_added", "Demandé par téléphone"), ("line_removed", "Erreur")]
    price_event = OrderEvent.objects.get(order=day.orders[1], kind="price_changed")
    assert price_event.detail["before"]["unit_price"] == "6.50"
    assert price_event.detail["after"]["unit_price"] == "6.00"
