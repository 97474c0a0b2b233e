"""The one way a date is written for a person: « 1er » for the first of the month in French."""

from datetime import UTC, date, datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from cabas.core.dates import date_text


@pytest.mark.parametrize(
    ("day", "format_name", "french"),
    [
        (date(2026, 6, 1), None, "1er juin 2026"),
        (date(2026, 9, 1), "j F Y", "1er septembre 2026"),
        (date(2026, 6, 1), "l j F", "lundi 1er juin"),
        (date(2026, 6, 2), None, "2 juin 2026"),
        (date(2026, 6, 1), "SHORT_DATE_FORMAT", "01/06/2026"),  # a numeric date has no « er »
        (date(2026, 6, 1), "D j/m", "lun 1/06"),
        (datetime(2026, 9, 1, 10, 30, tzinfo=UTC), "l j F, H:i", "mardi 1er septembre, 10:30"),
    ],
)
def test_the_first_of_the_month_is_written_1er_in_french(day, format_name, french):
    with translation.override("fr"):
        assert date_text(day, format_name) == french


def test_english_keeps_its_own_format():
    with translation.override("en"):
        assert date_text(date(2026, 6, 1), "j F Y") == "1 June 2026"


def test_every_template_date_filter_writes_it():
    template = Template('{{ day|date }} · {{ day|date:"l j F Y" }} · {{ none|date }}')
    with translation.override("fr"):
        shown = template.render(Context({"day": date(2026, 6, 1), "none": None}))
    assert shown == "1er juin 2026 · lundi 1er juin 2026 · "
