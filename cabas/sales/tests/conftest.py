import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_messages():
    """Error messages are asserted in English (the source language); French is checked by
    the catalogue test and the view tests."""
    with translation.override("en"):
        yield
