"""The summaries' tables take each column's header from one place (``COLUMNS``): the columns
the two tables share read the same."""

from django.utils import translation

from cabas.orders import summary_tables


def test_both_tables_take_their_headers_from_the_one_column_list():
    with translation.override("fr"):
        lines, _rows = summary_tables.customer_lines_table([], file_format="csv", zone=None)
        totals, _rows = summary_tables.producer_totals_table([], file_format="csv")

    assert lines == [
        "Point de retrait", "Date du retrait", "Créneau", "Commande n°", "Client", "Producteur",
        "Produit", "Unité", "Quantité", "Pesé (kg)", "Taux de TVA (%)", "Montant TTC", "Manquant",
    ]  # fmt: skip
    assert totals == [lines[5], lines[6], lines[7], lines[8], lines[9], lines[10],
                      "Montant HT", lines[11], lines[12]]  # fmt: skip
