"""Every write of the catalog: producers, their link to an organisation, products, stock."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.db.models.fields.files import FieldFile
from stdnum.fr import siret as siret_number

from cabas.core.errors import DomainError
from cabas.core.money import format_percent
from cabas.core.search import search_text

from . import errors, photos, selectors
from . import lock_objects as locks
from .models import Producer, ProducerLink, Product, StockMovement

PRODUCER_FIELDS = (
    "name",
    "legal_name",
    "siret",
    "description",
    "contact_name",
    "email",
    "phone",
    "address",
    "latitude",
    "longitude",
    "photo",
    "is_organic",
    "labels",
)

PRODUCT_FIELDS = (
    "name",
    "description",
    "category",
    "unit_kind",
    "unit_label",
    "content_quantity",
    "content_unit",
    "content_count",
    "price",
    "vat_rate",
    "variable_weight",
    "price_per_kg",
    "estimated_weight_kg",
    "min_quantity",
    "quantity_step",
    "is_organic",
    "is_local",
    "image",
    "reference",
    "stock_mode",
    "default_quantity_per_sale",
    "stock_quantity",
    "stock_minimum",
    "is_active",
)


def _full_clean(instance, *, exclude=None) -> None:
    """Model validation as a domain error (the first message, on its field). Uniqueness and
    constraints are left to the explicit checks and to the database (each would cost a query)."""
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise DomainError(messages[0], field=None if field == "__all__" else field) from exc


# --- Producers -------------------------------------------------------------------------------


def _check_producer(producer: Producer) -> None:
    if producer.siret:
        compact = siret_number.compact(producer.siret)
        if not siret_number.is_valid(compact):
            raise errors.SiretInvalid(field="siret")
        producer.siret = compact
    _full_clean(producer)


def _check_link(status: str, end_date: date | None) -> None:
    if status == ProducerLink.Status.TEMPORARY and end_date is None:
        raise errors.EndDateRequired(field="end_date")


@transaction.atomic
def producer_create(
    *,
    organisation,
    status: str = ProducerLink.Status.ACTIVE,
    end_date: date | None = None,
    **fields,
) -> Producer:
    """Create a producer supplying the organisation (active, or temporary until a date)."""
    _check_link(status, end_date)
    producer = Producer(**{name: fields[name] for name in PRODUCER_FIELDS if name in fields})
    _check_producer(producer)
    producer.save()
    ProducerLink.objects.create(
        organisation=organisation,
        producer=producer,
        status=status,
        end_date=end_date if status == ProducerLink.Status.TEMPORARY else None,
    )
    return producer


@transaction.atomic
def producer_update(*, producer: Producer, **fields) -> Producer:
    """Change a producer's own details (its links to organisations are not touched); a new
    name is searched in its products from now on."""
    renamed = "name" in fields and fields["name"] != producer.name
    for name, value in fields.items():
        if name not in PRODUCER_FIELDS:
            raise ValueError(f"not a producer field: {name}")
        setattr(producer, name, value)
    _check_producer(producer)
    producer.save()
    if renamed:
        products = list(producer.products.all())
        for product in products:
            product.producer = producer
            product.search_text = product_search_text(product)
        Product.objects.bulk_update(products, ["search_text"], batch_size=500)
    return producer


@transaction.atomic
def producer_link_set_status(
    *, link: ProducerLink, status: str, end_date: date | None = None
) -> ProducerLink:
    """Active, temporary until ``end_date`` (hidden from new sales after it), or left."""
    _check_link(status, end_date)
    link.status = status
    link.end_date = end_date if status == ProducerLink.Status.TEMPORARY else None
    link.save(update_fields=["status", "end_date", "updated_at"])
    return link


# --- Products --------------------------------------------------------------------------------


def product_search_text(product: Product) -> str:
    """What the shop's search reads: the product's name, description and producer's name,
    normalised (core.search). Every write of a product sets it (services, imports, demo)."""
    return search_text(product.name, product.description, product.producer.name)


def product_rules_check(product: Product, *, vat_rates: list[Decimal]) -> None:
    """The rules a product must follow whatever the screen or the import it comes from;
    raises the first one broken (``product_rules_problems`` lists them all).

    No query: the organisation's ``vat_rates`` are given, the reference is checked apart."""
    problems = product_rules_problems(product, vat_rates=vat_rates)
    if problems:
        raise problems[0]


def product_rules_problems(
    product: Product, *, vat_rates: list[Decimal], fields_checked: bool = False
) -> list[DomainError]:
    """Every rule ``product`` breaks, in the order of the form, one per field (an import
    reports all the problems of a line at once). Clears the per-kg fields of a product that
    is not of variable weight.

    ``fields_checked``: every value is the stored product's, whose fields were checked when
    it was saved, so the model's check of each field (``full_clean``, most of the time of an
    import's check) is skipped; the rules, which depend on the organisation (its VAT rates),
    are not."""
    problems: list[DomainError] = []
    for rule in (_vat_rule, _price_rule, _quantity_rule, _weight_rule, _content_rule, _stock_rule):
        try:
            rule(product, vat_rates)
        except DomainError as exc:
            problems.append(exc)
    if fields_checked:
        return problems
    named = {problem.field for problem in problems}
    # The foreign keys are set by the caller; validating them would cost a query each.
    try:
        product.full_clean(
            exclude=["organisation", "producer"], validate_unique=False, validate_constraints=False
        )
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            name = None if field == "__all__" else field
            if name not in named:
                problems.append(DomainError(messages[0], field=name))
    return problems


def _vat_rule(product: Product, vat_rates: list[Decimal]) -> None:
    if product.vat_rate is None:
        return  # a value the file could not give: full_clean says it is required
    if Decimal(product.vat_rate).quantize(Decimal("0.01")) not in vat_rates:
        raise errors.VatRateNotAllowed(
            field="vat_rate", rates=", ".join(format_percent(rate) for rate in vat_rates)
        )


def _price_rule(product: Product, vat_rates) -> None:
    if product.price is not None and product.price <= 0:
        raise errors.PriceNotPositive(field="price")


def _quantity_rule(product: Product, vat_rates) -> None:
    if product.unit_kind == Product.UnitKind.PIECE:
        for name in ("min_quantity", "quantity_step"):
            value = getattr(product, name)
            if value is None or value != value.to_integral_value() or value < 1:
                raise errors.QuantityRuleInvalid(field=name)
    if product.quantity_step is None or product.quantity_step <= 0:
        raise DomainError(errors.QuantityRuleInvalid.default_message, field="quantity_step")


def _weight_rule(product: Product, vat_rates) -> None:
    if product.variable_weight and not (product.price_per_kg and product.estimated_weight_kg):
        raise errors.VariableWeightIncomplete(
            field="price_per_kg" if not product.price_per_kg else "estimated_weight_kg"
        )
    if not product.variable_weight:
        product.price_per_kg = None
        product.estimated_weight_kg = None


def _stock_rule(product: Product, vat_rates) -> None:
    if product.stock_mode == Product.StockMode.PER_SALE:
        if product.default_quantity_per_sale is None or product.default_quantity_per_sale < 0:
            raise errors.StockModeIncomplete(field="default_quantity_per_sale")
    if product.stock_mode == Product.StockMode.SHOP:
        if product.stock_quantity is None or product.stock_quantity < 0:
            raise errors.StockModeIncomplete(field="stock_quantity")


def _content_rule(product: Product, vat_rates=None) -> None:
    """A content (quantity and unit, both or neither) belongs to a piece of fixed weight; a
    product sold by weight or loose by the litre, or weighed, has none."""
    if product.unit_kind != Product.UnitKind.PIECE or product.variable_weight:
        product.content_quantity, product.content_unit, product.content_count = None, "", 1
        return
    if (product.content_quantity is None) != (not product.content_unit):
        raise errors.ContentIncomplete(
            field="content_unit" if product.content_quantity is not None else "content_quantity"
        )
    if product.content_quantity is None or not product.content_count:
        product.content_count = 1


def _check_product(product: Product) -> None:
    product_rules_check(product, vat_rates=selectors.vat_rates(organisation=product.organisation))
    if (
        product.reference
        and Product.objects.filter(
            organisation=product.organisation,
            producer_id=product.producer_id,
            reference=product.reference,
        )
        .exclude(pk=product.pk)
        .exists()
    ):
        raise errors.ReferenceTaken(field="reference")


# Every field a product form writes but the shop stock, which moves only with a movement of
# its ledger (``stock_set``), under the row's lock: saving a whole row read a moment ago
# would write back a stock that orders have changed since.
_SAVED_WITHOUT_STOCK = [
    field.name
    for field in Product._meta.concrete_fields
    if not field.primary_key and field.name != "stock_quantity"
]


def _save_product(product: Product) -> Product:
    try:
        with transaction.atomic():
            if product.pk is None:
                product.save()
            else:
                product.save(update_fields=_SAVED_WITHOUT_STOCK)
    except IntegrityError as exc:  # a concurrent write took the reference
        raise errors.ReferenceTaken(field="reference") from exc
    return product


@transaction.atomic
def _product_write(product: Product, fields: dict) -> Product:
    for name, value in fields.items():
        if name not in PRODUCT_FIELDS:
            raise ValueError(f"not a product field: {name}")
        # A form's "clear" box gives False for the photo: no photo.
        setattr(product, name, "" if name == "image" and value is False else value)
    _check_product(product)
    product.search_text = product_search_text(product)
    photo = fields.get("image", None if "image" not in fields else "")
    if photo is not None and (not photo or not isinstance(photo, FieldFile)):
        product.thumbnail = ""  # a new photo, or none: the old thumbnail goes
    is_new = product.pk is None
    _save_product(product)
    if product.stock_mode == Product.StockMode.SHOP:
        if is_new:
            stock_openings_record(products=[product])
        elif "stock_quantity" in fields:
            stock_set(
                product=product,
                quantity=fields["stock_quantity"],
                made_by=None,
                reason=StockMovement.Reason.CORRECTION,
            )
    if product.image and not product.thumbnail:
        product.thumbnail = photos.thumbnail_make(product.image)
        product.save(update_fields=["thumbnail"])
    return product


def product_create(*, organisation, producer: Producer, **fields) -> Product:
    """Add a product of ``producer`` to the organisation's catalog."""
    return _product_write(Product(organisation=organisation, producer=producer), fields)


@transaction.atomic
def product_update(*, product: Product, stock_shown: Decimal | None = None, **fields) -> Product:
    """Change a product; all or nothing. A shop stock sent back as the page showed it
    (``stock_shown``) is left as it is: orders may have moved it since, and the person did
    not change it; a different one is a counted stock (a correction in the ledger)."""
    if stock_shown is not None and fields.get("stock_quantity") == stock_shown:
        fields.pop("stock_quantity")
    return _product_write(product, fields)


@transaction.atomic
def product_duplicate(*, product: Product) -> Product:
    """A copy to adapt (e.g. another size): inactive, without reference or photo."""
    copy = Product.objects.get(pk=product.pk)
    copy.pk = None
    copy.name = f"{product.name} (copie)"[:200]
    copy.reference = ""
    copy.image = ""
    copy.thumbnail = ""
    copy.is_active = False
    if copy.stock_mode == Product.StockMode.SHOP:
        copy.stock_quantity = Decimal("0")  # its own stock starts empty, its ledger with it
    _check_product(copy)
    copy.search_text = product_search_text(copy)
    copy.save()
    return copy


Reason = StockMovement.Reason


def stock_openings_record(*, products) -> list[StockMovement]:
    """The first movement of new shop-stock products: the stock they start with (products
    made in bulk, by the demo, record theirs here too)."""
    return StockMovement.objects.bulk_create(
        StockMovement(
            organisation_id=product.organisation_id,
            product_id=product.pk,
            delta=product.stock_quantity,
            quantity_after=product.stock_quantity,
            reason=Reason.OPENING,
        )
        for product in products
        if product.stock_mode == Product.StockMode.SHOP and product.stock_quantity
    )


def stock_movements_record(
    changes: dict[int, Decimal],
    *,
    reason: str,
    organisation_id: int,
    note: str = "",
    order_id: int | None = None,
    made_by=None,
    made_by_id: int | None = None,
) -> list[StockMovement]:
    """The ledger's rows of stock changes just applied (``{product_id: delta}``), each with
    the stock after it, read back in the same transaction: the conditional UPDATEs hold the
    rows until the commit, so no other change can come between."""
    after = dict(Product.objects.filter(pk__in=list(changes)).values_list("pk", "stock_quantity"))
    return _movements_create(
        changes, after, reason=reason, organisation_id=organisation_id, note=note,
        order_id=order_id, made_by_id=made_by.pk if made_by is not None else made_by_id,
    )  # fmt: skip


def _movements_create(
    changes: dict[int, Decimal], after: dict[int, Decimal], *, reason: str, organisation_id: int,
    note: str = "", order_id: int | None = None, made_by_id: int | None = None,
) -> list[StockMovement]:  # fmt: skip
    """The ledger's rows of ``changes`` (``{product_id: delta}``), the stock ``after`` each."""
    return StockMovement.objects.bulk_create(
        StockMovement(
            organisation_id=organisation_id,
            product_id=product_id,
            delta=delta,
            quantity_after=after[product_id],
            reason=reason,
            note=note[:200],
            order_id=order_id,
            made_by_id=made_by_id,
        )
        for product_id, delta in sorted(changes.items())
    )


def whole_pieces(product: Product, quantity: Decimal, *, field: str) -> None:
    """A product sold per piece is counted in whole pieces (1, 2, 3…), in stock as in orders."""
    if product.unit_kind == Product.UnitKind.PIECE and quantity != quantity.to_integral_value():
        raise errors.QuantityRuleInvalid(field=field)


@transaction.atomic
def stock_adjust(
    *,
    product: Product,
    delta: Decimal,
    made_by,
    reason: str = Reason.CORRECTION,
    note: str = "",
) -> StockMovement:
    """Add (or remove, with a negative ``delta``) shop stock by hand, with its reason
    (reception, loss, breakage, expired, gift, correction); never below zero.

    One conditional UPDATE: two volunteers adjusting at once both count."""
    if product.stock_mode != Product.StockMode.SHOP:
        raise errors.NotShopStock()
    delta = Decimal(delta)
    whole_pieces(product, delta, field="delta")
    rows = Product.objects.filter(pk=product.pk, stock_quantity__gte=-delta)
    if not rows.update(stock_quantity=F("stock_quantity") + delta):
        available = Product.objects.values_list("stock_quantity", flat=True).get(pk=product.pk)
        raise errors.StockNegative(field="delta", available=available)
    (movement,) = stock_movements_record(
        {product.pk: delta},
        reason=reason,
        organisation_id=product.organisation_id,
        note=note,
        made_by=made_by,
    )
    product.stock_quantity = movement.quantity_after
    return movement


@transaction.atomic
def stock_set(
    *, product: Product, quantity: Decimal, made_by, note: str = "", reason=Reason.INVENTORY
) -> Product:
    """Set the shop stock to a counted ``quantity`` (an inventory): the difference is
    recorded as a movement. The product row is locked so a concurrent order or adjustment
    cannot slip between the reading and the writing."""
    if product.stock_mode != Product.StockMode.SHOP:
        raise errors.NotShopStock()
    if quantity < 0:
        raise errors.StockNegative(field="quantity", available=quantity)
    whole_pieces(product, Decimal(quantity), field="quantity")
    locked = locks.product_stock_lock(product_id=product.pk)
    delta = quantity - (locked.stock_quantity or Decimal("0"))
    if delta:
        Product.objects.filter(pk=product.pk).update(stock_quantity=quantity)
        stock_movements_record(
            {product.pk: delta},
            reason=reason,
            organisation_id=product.organisation_id,
            note=note,
            made_by=made_by,
        )
    product.refresh_from_db(fields=["stock_quantity"])
    return product


@transaction.atomic
def product_stock_minimum_set(*, product: Product, stock_minimum: Decimal | None) -> Product:
    """The supply team's minimum of a shop-stock product (None: no minimum); only that
    field is written, so nothing else read before is written back."""
    if product.stock_mode != Product.StockMode.SHOP:
        raise errors.NotShopStock()
    if stock_minimum is not None and stock_minimum < 0:
        raise errors.StockMinimumNegative(field="stock_minimum")
    if stock_minimum is not None:
        whole_pieces(product, Decimal(stock_minimum), field="stock_minimum")
    Product.objects.filter(pk=product.pk).update(stock_minimum=stock_minimum)
    product.stock_minimum = stock_minimum
    return product


@transaction.atomic
def product_quick_update(
    *,
    product: Product,
    price: Decimal,
    is_active: bool,
    quantity: Decimal | None,
    made_by,
    quantity_shown: Decimal | None = None,
) -> Product:
    """The list's inline edit: price, active, and the quantity its stock mode uses
    (shop stock: a counted stock, unless sent back as the row showed it, ``quantity_shown``;
    limited per sale: the default quantity per sale)."""
    changed = quantity_shown is None or quantity != quantity_shown
    if product.stock_mode == Product.StockMode.SHOP and quantity is not None and changed:
        stock_set(product=product, quantity=quantity, made_by=made_by)
    fields = {"price": price, "is_active": is_active}
    if product.stock_mode == Product.StockMode.PER_SALE:
        fields["default_quantity_per_sale"] = quantity
    return product_update(product=product, **fields)


_STOCK_FIELD = Product._meta.get_field("stock_quantity")


def _stock_change_sql(*, take: bool) -> str:
    """One product's conditional UPDATE, with the stock after it: plain SQL, as the sales
    app's counters (building it with the ORM cost more CPU than the database spends). Taking
    needs the quantity in stock; giving back does not."""
    table = connection.ops.quote_name(Product._meta.db_table)
    condition = " AND stock_quantity >= %s" if take else ""
    return (
        f"UPDATE {table} SET stock_quantity = stock_quantity - %s"  # noqa: S608
        f" WHERE id = %s AND stock_mode = %s{condition} RETURNING stock_quantity"
    )


def shop_stock_take(
    *,
    changes: dict[int, Decimal],
    reason: str,
    organisation_id: int,
    order_id: int | None = None,
    made_by_id: int | None = None,
    note: str = "",
) -> None:
    """Orders take (+q) or give back (-q) shop stock, a reception gives it: ``{product_id: q}``,
    conditional UPDATEs in primary-key order, never below zero (raises StockNegative with
    what is left), each change written in the ledger with its ``reason``, order and
    ``note``. The caller's transaction rolls everything back on a refusal."""
    changes = {product_id: delta for product_id, delta in changes.items() if delta}
    after = {}
    take, give_back = _stock_change_sql(take=True), _stock_change_sql(take=False)
    with connection.cursor() as cursor:
        for product_id in sorted(changes):
            delta = changes[product_id]
            if delta > 0:
                cursor.execute(take, [delta, product_id, Product.StockMode.SHOP.value, delta])
            else:
                cursor.execute(give_back, [delta, product_id, Product.StockMode.SHOP.value])
            row = cursor.fetchone()
            if row is None:
                product = Product.objects.get(pk=product_id)
                raise errors.StockNegative(
                    product=product.name, available=product.stock_quantity, product_id=product_id
                )
            after[product_id] = _STOCK_FIELD.to_python(row[0])
    if changes:
        _movements_create(
            {product_id: -delta for product_id, delta in changes.items()},
            after,
            reason=reason,
            organisation_id=organisation_id,
            order_id=order_id,
            made_by_id=made_by_id,
            note=note,
        )
