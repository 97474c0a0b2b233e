"""QR codes as inline SVG: exactly the codes ``segno.make(text, error=…)`` draws, made faster.

segno chooses the best of the eight data masks of the standard by applying and scoring each
one module by module in pure Python: 80 % of its time, 6 ms a code, 1.6 s for the labels of a
pickup of 275 orders. Here segno encodes the text once with the first mask; the data are
unmasked and the eight candidates are scored on whole rows and columns at once (rows as
integers for the 2×2 blocks and the count of dark modules, as strings for the runs and the
finder-like patterns, with segno's own rules, see ``_penalty``), and segno finishes the chosen
one (format and version information). ``core/tests/test_qr.py`` checks the result is segno's own
code, module for module, on texts of many lengths and every error level.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import segno
from segno import encoder

_AS_DIGITS = bytes.maketrans(b"\x00\x01", b"01")
_AS_MODULES = bytes.maketrans(b"01", b"\x00\x01")


@lru_cache(maxsize=16)
def _layout(version: int) -> _Layout:
    """What every symbol of this version shares (see ``_Layout``)."""
    width = encoder.calc_matrix_size(version)
    template = encoder.make_matrix(width, width)
    encoder.add_finder_patterns(template, width, width)
    encoder.add_alignment_patterns(template, width, width)
    cells = range(width)
    region = [["1" if cell == 2 else "0" for cell in row] for row in template]  # 2: not placed
    fixed = [["1" if cell == 1 else "0" for cell in row] for row in template]
    masks, masks_across = [], []
    for pattern in encoder.get_data_mask_functions(False):
        bits = [
            ["1" if pattern(i, j) and region[i][j] == "1" else "0" for j in cells] for i in cells
        ]
        masks.append(_whole(bits))
        masks_across.append(_whole(zip(*bits, strict=True)))
    full = ["1"] * width
    return _Layout(
        width=width,
        region=_whole(region),
        region_across=_whole(zip(*region, strict=True)),
        fixed=_whole(fixed),
        fixed_across=_whole(zip(*fixed, strict=True)),
        masks=tuple(masks),
        masks_across=tuple(masks_across),
        modules=_whole([full] * width),
        blocks=_whole([["0"] * width] + [["0"] + full[1:]] * (width - 1)),
    )


def _whole(lines) -> int:
    """The lines of modules (strings or sequences of "0"/"1") as one integer: line after line,
    each followed by a light separator module that keeps runs and patterns within a line."""
    return int("0".join("".join(line) for line in lines), 2)


@dataclass(frozen=True, slots=True)
class _Layout:
    """A version's symbol as integers (``_whole``): its data region, the function patterns'
    dark modules as they stand while the masks are scored (format and version areas light),
    each mask within the data region (by rows; by columns in the ``_across`` ones), every
    module, and the modules that close a 2×2 block (not in the first row or column)."""

    width: int
    region: int
    region_across: int
    fixed: int
    fixed_across: int
    masks: tuple[int, ...]
    masks_across: tuple[int, ...]
    modules: int
    blocks: int


def _runs(dark: int, modules: int) -> int:
    """N1 of the lines: 3 points for 5 modules of one colour in a row, 1 more for each further
    one; counted on the windows of 5 alike (a run of n holds n - 4 and scores n - 2)."""
    penalty = 0
    for alike in (dark, ~dark & modules):
        windows = alike & alike >> 1 & alike >> 2 & alike >> 3 & alike >> 4
        penalty += windows.bit_count() + 2 * (windows & ~(windows >> 1)).bit_count()
    return penalty


def _finders(dark: int, modules: int, width: int) -> int:
    """N3 of the lines: 40 points for a dark-light-dark×3-light-dark pattern with four light
    modules before or after it, as segno's ``mask_scores`` counts them (the search resumes
    past a counted pattern, or at its middle dark module otherwise)."""
    light = ~dark & modules
    found = dark & light >> 1 & dark >> 2 & dark >> 3 & dark >> 4 & light >> 5 & dark >> 6
    if not found:
        return 0
    stride = width + 1
    length = width * stride - 1
    digits = format(dark, f"0{length}b")
    penalty, resume = 0, -1
    # From the text's start: the highest bit first, each pattern's first module at ``at``.
    for at in sorted(length - 7 - bit.bit_length() + 1 for bit in _bits(found)):
        line_start = at - at % stride
        if at < resume:
            continue
        column = at - line_start
        before = digits[max(at - 4, line_start) : at]
        after = digits[at + 7 : min(at + 11, line_start + width)]
        if column in (0, width - 7) or "1" not in before or "1" not in after:
            penalty += 40
            resume = at + 7
        else:
            resume = at + 4
    return penalty


def _bits(number: int):
    """Each set bit of ``number`` as an integer of its own."""
    while number:
        bit = number & -number
        yield bit
        number ^= bit


def _penalty(rows: int, columns: int, layout: _Layout) -> int:
    """The penalty of a masked symbol (ISO/IEC 18004 7.8.3.1), the one segno's
    ``encoder.evaluate_mask`` gives, computed on the whole symbol at once."""
    width, modules = layout.width, layout.modules
    penalty = _runs(rows, modules) + _runs(columns, modules)
    # N2: 3 points for each 2×2 block of one colour
    across = ~(rows ^ rows >> 1)
    down = ~(rows ^ rows >> (width + 1))
    penalty += 3 * (across & down & down >> 1 & layout.blocks).bit_count()
    penalty += _finders(rows, modules, width) + _finders(columns, modules, width)
    # N4: 10 points for each 5 % of dark modules away from half
    dark = rows.bit_count()
    return penalty + 10 * int(abs(float(dark) / (width**2) * 100 - 50) / 5)


def make(text: str, *, error: str = "m") -> segno.QRCode:
    """The QR code of ``text``: the one ``segno.make(text, error=error)`` makes (a QR code,
    never a Micro QR code; the error level raised where the size allows, as segno does)."""
    first = encoder.encode(text, error=error, mask=0, micro=False)
    layout = _layout(first.version)
    lines = [row.translate(_AS_DIGITS).decode() for row in first.matrix]
    # The data unmasked (the first mask undone), the function patterns as while scoring.
    rows = (_whole(lines) & layout.region) ^ layout.masks[0] | layout.fixed
    columns = _whole(zip(*lines, strict=True))
    columns = (columns & layout.region_across) ^ layout.masks_across[0] | layout.fixed_across
    best, best_penalty = 0, None
    for number in range(len(layout.masks)):
        masked = rows ^ layout.masks[number]
        penalty = _penalty(masked, columns ^ layout.masks_across[number], layout)
        if best_penalty is None or penalty < best_penalty:
            best, best_penalty, best_rows = number, penalty, masked
    if best == 0:
        return segno.QRCode(first)
    width = layout.width
    digits = format(best_rows, f"0{width * (width + 1) - 1}b").encode()
    matrix = tuple(
        bytearray(digits[start : start + width].translate(_AS_MODULES))
        for start in range(0, len(digits), width + 1)
    )
    encoder.add_format_info(matrix, first.version, first.error, best)
    encoder.add_version_info(matrix, first.version)
    return segno.QRCode(encoder.Code(matrix, first.version, first.error, best, first.segments))
