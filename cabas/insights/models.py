"""The dashboards' rollup: each closed sale's figures at the grain where they sum exactly,
written by the worker (``rollup.sale_rollup_refresh``) and read for the sales whose rollup
is fresh; the others are computed live (``selectors``).

- ``SaleRollup``: one row per sale that has a rollup, ``fresh`` while its figures equal the
  live ones. Any change to a closed sale's lines or active orders marks it stale in the same
  transaction (``rollup.sales_mark_stale``); the worker recomputes it in one transaction.
- ``SaleFigures``: per sale × pickup point × producer × VAT rate, the active orders' lines'
  amount; ``orders`` the active orders with a line of the producer, each counted once in the
  row of its lowest rate (so rows sum over rates, points and sales, never over producers);
  ``point_orders`` the active orders, each counted once in the row of its lowest (producer,
  rate), an order without lines in a row without producer (rows sum over everything).
- ``SaleBuyer``: the distinct (sale, point, producer, member) of the active orders' lines:
  buyers are counted distinct over them. Each row also holds the cutoff of the previous row
  of its (producer, member) and of its (point, producer, member) (``producer_previous``,
  ``point_previous``; rows in (cutoff, sale, point) order, None for the first): the distinct
  pairs of a period are its rows whose previous is before it, counted without a DISTINCT
  (``rolled.first_counts``). ``rollup.chains_link`` keeps them exact when a sale is rolled
  up again.
- ``SaleMember``: the (sale, point, member) of the active orders, ``with_lines`` when one
  of them has lines: the members' weeks (buyers, first and last week of each) and the
  buyers per point; ``point_previous`` the cutoff of the previous row with lines of its
  (point, member) (rows with lines only).
- ``SalePointFigures`` and ``SaleProducerFigures``: ``SaleFigures`` summed per sale ×
  point × rate (``point_orders``; the orders without lines in the row without rate) and per
  sale × producer × rate (``orders``): what the dashboards read when a filter does not need
  the other (a sale has ~15,000 figure rows at ten times our size, ~250 of these).
- ``SaleProductBuyer``: per sale × point × product × member, their active orders' lines'
  amount and the orders with the product (rows sum over everything; the buyers counted
  distinct): a producer's products on their dashboard (``selectors.products_activity``)
  read from their few rows a sale, not through the period's orders and lines.
- ``SalePickupHandouts``: per sale × pickup, its active orders collected or not collected
  (``handed``) and the no-shows among them, and whether the pickup was ``closed`` when they
  were counted: a closed pickup refuses every change of its orders, so only a closed
  pickup's counts are read (the no-show rates); the others are read live, and the sweep
  refreshes a rollup whose pickup closed since (``rollup.rollups_due``).
The cutoff is on every row (its local week on most): no join to the sales.
"""

from django.db import models


class SaleRollup(models.Model):
    sale = models.OneToOneField(
        "sales.Sale", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    fresh = models.BooleanField(default=False)
    refreshed_at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"sale {self.sale_id} ({'fresh' if self.fresh else 'stale'})"


class _Sale(models.Model):
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    rollup = models.ForeignKey(SaleRollup, on_delete=models.CASCADE, related_name="+")
    closes_at = models.DateTimeField()
    week = models.DateField()  # the Monday of the cutoff's week, the organisation's zone

    class Meta:
        abstract = True


class _Row(_Sale):
    pickup_point = models.ForeignKey(
        "sales.PickupPoint", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    producer = models.ForeignKey(
        "catalog.Producer", on_delete=models.CASCADE, null=True, related_name="+", db_index=False
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"sale {self.rollup_id}, point {self.pickup_point_id}, {self.producer_id}"


class SaleFigures(_Row):
    vat_rate = models.DecimalField(max_digits=4, decimal_places=2, null=True)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    orders = models.PositiveIntegerField()
    point_orders = models.PositiveIntegerField()
    # What changed on distribution day (``producer``'s figures): the missing lines and what
    # they were ordered for; the weighed lines, their estimated and weighed weights and
    # amounts.
    missing_lines = models.PositiveIntegerField(default=0)
    missing_amount = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    weighed_lines = models.PositiveIntegerField(default=0)
    estimated_kg = models.DecimalField(max_digits=20, decimal_places=6, default=0)
    weighed_kg = models.DecimalField(max_digits=16, decimal_places=3, default=0)
    estimated_amount = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    weighed_amount = models.DecimalField(max_digits=14, decimal_places=2, default=0)

    class Meta:
        indexes = [
            models.Index(fields=["organisation", "closes_at"], name="insights_fig_org_cut"),
            # A producer's rows (their dashboard, the filter): a few hundred of the period's.
            models.Index(
                fields=["organisation", "producer", "closes_at"], name="insights_fig_org_prod"
            ),
        ]


class SaleBuyer(_Row):
    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    producer_previous = models.DateTimeField(null=True)
    point_previous = models.DateTimeField(null=True)

    class Meta:
        indexes = [
            # The period's rows (the first rows of their pairs counted, ``rolled.first_rows``)
            # from the index alone.
            models.Index(
                fields=["organisation", "closes_at"],
                include=[
                    "producer",
                    "pickup_point",
                    "rollup",
                    "producer_previous",
                    "point_previous",
                ],
                name="insights_buy_org_cut_prev",
            ),  # fmt: skip
            # A producer's rows (their dashboard, the filter), their first rows from the index.
            models.Index(
                fields=["organisation", "producer", "closes_at"],
                include=["pickup_point", "rollup", "user", "producer_previous", "point_previous"],
                name="insights_buy_org_prod_prev",
            ),
            # The distinct buyers (``rolled.distinct_counts``): the pairs in order, each looked
            # up, from the index alone.
            models.Index(
                fields=["organisation", "producer", "user"],
                include=["closes_at", "rollup", "pickup_point"],
                name="insights_buy_org_prod_user",
            ),
        ]


class SaleMember(models.Model):
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    rollup = models.ForeignKey(SaleRollup, on_delete=models.CASCADE, related_name="+")
    closes_at = models.DateTimeField()
    week = models.DateField()
    pickup_point = models.ForeignKey(
        "sales.PickupPoint", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    with_lines = models.BooleanField()
    point_previous = models.DateTimeField(null=True)

    class Meta:
        indexes = [
            # The period's rows (their first rows, the buyers per week) from the index alone.
            models.Index(
                fields=["organisation", "closes_at"],
                include=["pickup_point", "rollup", "with_lines", "point_previous", "week", "user"],
                name="insights_mem_org_cut_prev",
            ),  # fmt: skip
            models.Index(fields=["organisation", "user", "week"], name="insights_mem_org_user"),
            models.Index(
                fields=["organisation", "pickup_point", "user"],
                include=["closes_at", "rollup", "with_lines"],
                name="insights_mem_org_point_user",
            ),
        ]

    def __str__(self) -> str:
        return f"sale {self.rollup_id}, member {self.user_id}"


class SalePointFigures(_Sale):
    pickup_point = models.ForeignKey(
        "sales.PickupPoint", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    vat_rate = models.DecimalField(max_digits=4, decimal_places=2, null=True)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    point_orders = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["organisation", "closes_at"], name="insights_pfig_org_cut")]

    def __str__(self) -> str:
        return f"sale {self.rollup_id}, point {self.pickup_point_id}, {self.vat_rate}"


class SaleProducerFigures(_Sale):
    producer = models.ForeignKey(
        "catalog.Producer", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    vat_rate = models.DecimalField(max_digits=4, decimal_places=2)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    orders = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["organisation", "closes_at"], name="insights_rfig_org_cut")]

    def __str__(self) -> str:
        return f"sale {self.rollup_id}, producer {self.producer_id}, {self.vat_rate}"


class SaleProductBuyer(models.Model):
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    rollup = models.ForeignKey(SaleRollup, on_delete=models.CASCADE, related_name="+")
    closes_at = models.DateTimeField()
    pickup_point = models.ForeignKey(
        "sales.PickupPoint", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    producer = models.ForeignKey(
        "catalog.Producer", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    product = models.ForeignKey(
        "catalog.Product", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    orders = models.PositiveIntegerField()

    class Meta:
        indexes = [
            # A producer's rows of the period (their dashboard's products) from the index.
            models.Index(
                fields=["organisation", "producer", "closes_at"],
                include=["rollup", "pickup_point", "product", "user", "amount", "orders"],
                name="insights_prb_org_prod",
            ),
        ]

    def __str__(self) -> str:
        return f"sale {self.rollup_id}, product {self.product_id}, member {self.user_id}"


class SalePickupHandouts(models.Model):
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    rollup = models.ForeignKey(SaleRollup, on_delete=models.CASCADE, related_name="+")
    closes_at = models.DateTimeField()
    pickup = models.ForeignKey("sales.Pickup", on_delete=models.CASCADE, related_name="+")
    pickup_point = models.ForeignKey(
        "sales.PickupPoint", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    closed = models.BooleanField()
    handed = models.PositiveIntegerField()
    no_shows = models.PositiveIntegerField()

    class Meta:
        indexes = [
            models.Index(
                fields=["organisation", "closes_at"],
                include=["rollup", "pickup_point", "closed", "handed", "no_shows"],
                name="insights_hand_org_cut",
            ),
        ]

    def __str__(self) -> str:
        return f"sale {self.rollup_id}, pickup {self.pickup_id}"
