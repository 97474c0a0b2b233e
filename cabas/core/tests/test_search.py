"""The words a search compares: no accents, no case, ligatures split, the plural folded."""

import pytest

from cabas.core.search import search_text, search_words


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Chèvre frais", ["chevre", "frai"]),
        ("ŒUFS de poules", ["oeuf", "de", "poule"]),
        ("Pommes de terre", ["pomme", "de", "terre"]),
        ("Choux, poireaux", ["chou", "poireau"]),
        ("Cæsar", ["caesar"]),
        ("Crottin d’Affinois 75 cl", ["crottin", "d", "affinoi", "75", "cl"]),
        ("pois noix jus", ["pois", "noix", "jus"]),  # short words keep their s or x
        ("  ", []),
    ],
)
def test_search_words_ignore_accents_case_ligatures_and_plural(text, words):
    assert search_words(text) == words


def test_search_text_puts_a_space_before_every_word_for_word_start_matching():
    assert search_text("Œufs frais", "", "Ferme du Cérou") == " oeuf frai ferme du cerou"


def test_a_search_box_text_is_trimmed_and_cut_at_the_one_length():
    from django.test import RequestFactory

    from cabas.core.search import QUERY_MAX_LENGTH, search_query

    long = RequestFactory().get("/", {"q": "  " + "a" * (QUERY_MAX_LENGTH + 50)})
    assert search_query(long) == "a" * QUERY_MAX_LENGTH
    assert search_query(RequestFactory().get("/", {"q": " chèvre "})) == "chèvre"
    assert search_query(RequestFactory().get("/")) == ""
