"""``core.qr`` draws segno's own QR codes: the same modules, mask and version as
``segno.make``, on texts of every size the labels could hold and at each error level."""

import random
import string
import uuid

import pytest
import segno

from cabas.core import qr

_RANDOM = random.Random(21)
_TEXTS = [
    "".join(_RANDOM.choice(string.ascii_letters + string.digits + "/:.-") for _ in range(size))
    for size in (1, 5, 14, 20, 33, 40, 60, 80, 85, 100, 150, 200, 300, 600)
    for _ in range(6)
] + [
    f"https://cabas.example.org/o/amap-du-bourg/checkin/orders/{uuid.UUID(int=_RANDOM.getrandbits(128))}/"
    for _ in range(40)
]


@pytest.mark.parametrize("error", ["l", "m", "q", "h"])
def test_the_codes_are_segnos_own(error):
    masks = set()
    for text in _TEXTS:
        expected = segno.make(text, error=error, micro=False)

        code = qr.make(text, error=error)

        assert (code.matrix, code.mask, code.version, code.error) == (
            expected.matrix,
            expected.mask,
            expected.version,
            expected.error,
        ), text
        masks.add(code.mask)
    assert masks == set(range(8))  # every mask chosen at least once: all are compared


def test_the_svg_is_segnos_own():
    text = "https://cabas.example.org/o/amap-du-bourg/checkin/orders/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0/"
    options = {"scale": 3, "omitsize": True, "svgclass": "qr"}

    assert qr.make(text).svg_inline(**options) == segno.make(text, error="m").svg_inline(**options)
