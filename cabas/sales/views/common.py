"""What the sales screens share: the objects of the organisation, a refusal shown."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404

from cabas.core.errors import DomainError

from .. import selectors
from ..models import Pickup, Sale


def _sale(request, sale_id: int) -> Sale:
    return get_object_or_404(selectors.sales_of(request.organisation), pk=sale_id)


def _pickup(request, pickup_id: int) -> Pickup:
    return get_object_or_404(selectors.pickup_of(organisation=request.organisation), pk=pickup_id)


def _error(request, error: DomainError) -> None:
    messages.error(request, str(error))
