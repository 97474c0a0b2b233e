"""A download's name in its header: a plain ASCII name quoted, any other in UTF-8 (RFC 5987),
never able to end the header or add one."""

import pytest

from cabas.core.downloads import content_disposition


@pytest.mark.parametrize(
    ("name", "inline", "header"),
    [
        ("collectif-a-membres.csv", False, 'attachment; filename="collectif-a-membres.csv"'),
        ("recu-vente-3.pdf", True, 'inline; filename="recu-vente-3.pdf"'),
        ("reçu été.pdf", False, "attachment; filename*=utf-8''re%C3%A7u%20%C3%A9t%C3%A9.pdf"),
        ('a"b\r\nX-Evil: 1;.csv', False,
         "attachment; filename*=utf-8''a%22b%0D%0AX-Evil%3A%201%3B.csv"),
        ('a"b.csv', False, 'attachment; filename="a\\"b.csv"'),
        ("«»", False, "attachment; filename*=utf-8''%C2%AB%C2%BB"),
    ],
)  # fmt: skip
def test_a_file_name_is_safe_in_its_header(name, inline, header):
    assert content_disposition(name, inline=inline) == header
