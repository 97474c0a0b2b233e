"""The dashboards' snapshot: the figures a dashboard shows (its selectors' results and
charts), computed once and kept in the shared cache (``CACHES["default"]``: the database's
table, or Redis) for at most ``MAX_AGE``, so the next visits read them in two queries
instead of computing them again (seconds of SQL at ten times our size).

An entry is keyed by everything its figures depend on:
- the page (the coordinators' dashboard, or a producer's), the organisation, and for a
  producer's page the producer (the person's membership's, checked before the read);
- the validated filters (period, pickup point, producer) and the day they were resolved on
  (the default period ends today);
- the language (charts and some rows carry translated words);
- a data version (``data_version``): the organisation's rollups' last refresh, how many
  there are and how many are stale. A closed sale rolled up, or changed after its rollup,
  changes it; the sales read live (the open sale, a closed sale before its rollup) do not:
  their orders show in the figures at most ``MAX_AGE`` late, and the page says when its
  figures were computed, with a button to compute them again now.

The worker keeps the default view (no filter, the default period) of every active
organisation's dashboards fresh: ``dashboards_refresh`` after each periodic sweep
(``tasks.rollups_sweep``, every 15 minutes) and after a sale's rollup, so a coordinator's
or a producer's first visit is usually a hit. ``MAX_AGE`` is the sweep's period plus five
minutes for the sweep's own run: the default view never expires between two sweeps.

Entries are never shared between organisations, pages, producers or filters: the key holds
them all (``test_snapshots.py``)."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import logging
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

from django.core.cache import cache
from django.db.models import Count, Max, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from cabas.orgs.context import organisation_context
from cabas.orgs.models import Membership, Organisation

from . import charts, drive, selectors
from . import memberships as membership_figures
from . import producer as producer_figures
from .forms import FiltersForm
from .models import SaleRollup
from .selectors import Filters

logger = logging.getLogger(__name__)
MAX_MINUTES = 20
MAX_AGE = timedelta(minutes=MAX_MINUTES)
COORDINATORS = "coordinators"
PRODUCER = "producer"


@dataclasses.dataclass(frozen=True)
class Snapshot:
    computed_at: datetime
    figures: dict
    # The figures' part of the page, rendered once (most of a visit's time): a SafeString
    # (the template escaped it; pickled by the cache, it stays one, else it is escaped).
    html: str


FRAGMENTS = {
    COORDINATORS: "insights/_dashboard_figures.html",
    PRODUCER: "insights/_producer_figures.html",
}


def filters_query(page: str, filters: Filters) -> str:
    """The page's filters as its links' query (the files' links): from the validated filters,
    never the visitor's own address, so the kept HTML is the same for everyone it is shown to
    (a producer's page never names its producer: it is the person's)."""
    query = {"start": filters.start.isoformat(), "end": filters.end.isoformat()}
    if page == COORDINATORS and filters.pickup_point_id:
        query["point"] = filters.pickup_point_id
    if page == COORDINATORS and filters.producer_id:
        query["producer"] = filters.producer_id
    return urlencode(query)


def _fragment(page: str, filters: Filters, figures: dict) -> str:
    context = {**figures, "query": filters_query(page, filters)}
    return render_to_string(FRAGMENTS[page], context)


def data_version(organisation: Organisation) -> str:
    """What the rolled-up figures last changed by (one query): the rollups' latest refresh,
    their number and the stale ones'."""
    row = SaleRollup.objects.filter(sale__organisation=organisation).aggregate(
        latest=Max("refreshed_at"), count=Count("pk"), stale=Count("pk", filter=Q(fresh=False))
    )
    latest = row["latest"].isoformat() if row["latest"] else "-"
    return f"{latest}/{row['count']}/{row['stale']}"


@functools.cache
def code_version() -> str:
    """This app's code and templates (read once a process): a deployment that changes the
    figures' classes or the pages never reads an entry pickled by the previous one."""
    digest = hashlib.sha256()
    root = Path(__file__).resolve().parent
    for path in sorted([*root.glob("*.py"), *root.glob("templates/insights/*.html")]):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _key(page: str, organisation: Organisation, filters: Filters, today: date, version: str,
         producer_id: int | None) -> str:  # fmt: skip
    parts = [page, organisation.pk, producer_id, filters.start, filters.end,
             filters.pickup_point_id, filters.producer_id, today, translation.get_language(),
             version, code_version()]  # fmt: skip
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:32]
    return f"insights:snapshot:{page}:{organisation.pk}:{digest}"


def _snapshot(page: str, organisation: Organisation, filters: Filters, today: date,
              compute: Callable[[], dict], *, producer_id: int | None, now: datetime | None,
              recompute: bool) -> Snapshot:  # fmt: skip
    now = now or timezone.now()
    key = _key(page, organisation, filters, today, data_version(organisation), producer_id)
    if not recompute:
        try:
            found = cache.get(key)
        except Exception:  # an entry that no longer unpickles: computed again, never a 500
            logger.exception("Dashboard snapshot %s unreadable", key)
            found = None
        if isinstance(found, Snapshot) and timedelta(0) <= now - found.computed_at <= MAX_AGE:
            return found
    figures = compute()
    snapshot = Snapshot(computed_at=now, figures=figures, html=_fragment(page, filters, figures))
    # The cache drops it a little after the bound (checked above, against ``now``).
    cache.set(key, snapshot, timeout=int((MAX_AGE + timedelta(minutes=5)).total_seconds()))
    return snapshot


def coordinators_figures(*, organisation: Organisation, filters: Filters, today: date) -> dict:
    """The coordinators' dashboard's figures and charts (what its page and files show)."""
    activity = selectors.weekly_activity(organisation=organisation, filters=filters)
    points = selectors.points_activity(organisation=organisation, filters=filters)
    members = selectors.members_activity(organisation=organisation, filters=filters)
    fees = membership_figures.memberships_activity(organisation=organisation, filters=filters)
    drive_figures = (
        drive.drive_figures(organisation=organisation, filters=filters, today=today)
        if drive.has_drive(organisation)
        else None
    )
    return {
        "activity": activity,
        "weekly_chart": charts.weekly(activity),
        "members_chart": charts.members(members),
        "points": points,
        "producers": selectors.producers_activity(organisation=organisation, filters=filters),
        "members": members,
        "slots": selectors.slots_activity(organisation=organisation, filters=filters),
        "memberships": fees,
        "memberships_chart": charts.memberships(fees),
        "points_map": selectors.points_map(points),
        "drive": drive_figures,
        "drive_days_chart": charts.drive_days(drive_figures) if drive_figures else None,
        "drive_stock_chart": charts.drive_stock(drive_figures) if drive_figures else None,
        "lapsed_weeks": selectors.LAPSED_AFTER_WEEKS,
    }


def producer_page_figures(*, organisation: Organisation, filters: Filters) -> dict:
    """A producer's dashboard's figures (``filters.producer_id`` is theirs)."""
    products = selectors.products_activity(organisation=organisation, filters=filters)
    sales = producer_figures.producer_sales(organisation=organisation, filters=filters)
    months = producer_figures.producer_months(sales, filters=filters)
    best, worst = producer_figures.best_and_worst(products)
    adjusted, adjusted_total = producer_figures.adjusted(sales)
    return {
        "activity": selectors.weekly_activity(organisation=organisation, filters=filters),
        "products": products,
        "best": best,
        "worst": worst,
        "unsold": producer_figures.unsold_products(
            organisation=organisation, filters=filters, sold=products
        ),
        "points": selectors.points_activity(organisation=organisation, filters=filters),
        "sales": sales,
        "months": months,
        "months_chart": charts.producer_months(months),
        "adjusted": adjusted,
        "adjusted_total": adjusted_total,
    }


def coordinators_snapshot(
    *, organisation: Organisation, filters: Filters, today: date, now=None, recompute=False
) -> Snapshot:
    """The coordinators' dashboard's figures: the cache's while at most ``MAX_AGE`` old and
    the data version unchanged, else computed (and kept); ``recompute`` computes them now."""
    return _snapshot(
        COORDINATORS, organisation, filters, today,
        lambda: coordinators_figures(organisation=organisation, filters=filters, today=today),
        producer_id=None, now=now, recompute=recompute,
    )  # fmt: skip


def producer_snapshot(
    *, organisation: Organisation, filters: Filters, today: date, now=None, recompute=False
) -> Snapshot:
    """A producer's dashboard's figures (``filters.producer_id``), as ``coordinators_snapshot``."""
    return _snapshot(
        PRODUCER, organisation, filters, today,
        lambda: producer_page_figures(organisation=organisation, filters=filters),
        producer_id=filters.producer_id, now=now, recompute=recompute,
    )  # fmt: skip


def default_filters(organisation: Organisation, today: date) -> Filters:
    """The filters of a dashboard visited without any: the form's, with no data."""
    form = FiltersForm({}, organisation=organisation, today=today)
    form.is_valid()
    return form.filters()


def organisation_dashboards_refresh(*, organisation: Organisation, now=None) -> int:
    """Compute again the default view of the organisation's dashboards (the coordinators',
    each of its active producers'), in its time zone and language, as a visit without
    filters reads them: the worker's step after its rollups (the bench's after its build).
    Returns the snapshots written."""
    now = now or timezone.now()
    with organisation_context(organisation):
        today = timezone.localdate(now)
        filters = default_filters(organisation, today)
        coordinators_snapshot(
            organisation=organisation, filters=filters, today=today, now=now, recompute=True
        )
        producer_ids = sorted(
            set(
                Membership.objects.active()
                .filter(organisation=organisation, is_producer=True, producer__isnull=False)
                .values_list("producer_id", flat=True)
            )
        )
        for producer_id in producer_ids:
            producer_snapshot(
                organisation=organisation,
                filters=dataclasses.replace(filters, producer_id=producer_id),
                today=today, now=now, recompute=True,
            )  # fmt: skip
    return 1 + len(producer_ids)


def dashboards_refresh(*, now: datetime | None = None) -> int:
    """``organisation_dashboards_refresh`` for every active organisation (the sweep's step).
    One organisation's error is logged and the others are still served (the next sweep, or
    a visit, computes it again)."""
    written = 0
    for organisation in Organisation.objects.filter(is_active=True).order_by("pk"):
        try:
            written += organisation_dashboards_refresh(organisation=organisation, now=now)
        except Exception:
            logger.exception("Dashboards' snapshots failed for organisation %s", organisation.pk)
    return written
