"""What an attacker can work out from published cells, beyond "a line with one hidden entry".

Two checks, both on the linear system that the published tables define (every line that adds up is one
equation; published cells are constants, hidden cells are unknowns, and every unknown is at least 1 because a
zero is always published as 0):

* ``ones_lines``: a line whose total is published and whose hidden entries add up to no more than their number
  – every hidden entry must then be exactly 1 (e.g. "divers" 1 and "ohne Angabe" 1 beside a published total).
* ``determined``: a hidden cell whose value follows from a combination of several lines, possibly across
  tables (e.g. two 2×2 blocks of hidden cells in a two-way table joined by one more hidden cell: every line
  has two hidden entries, yet the joining cell is the sum of the block's rows minus the block's columns).
  Exact: Gauss–Jordan elimination over fractions; a cell is determined iff its unit vector is a reduced row.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Mapping, Sequence
from fractions import Fraction
from typing import Any, TypeVar

Key = tuple[str, ...]
Line = Sequence[Key]   # the keys of one line that adds up, the total last


def ones_lines(lines: Sequence[Line], hidden: Collection[Key], values: Mapping[Key, int]) -> list[int]:
    """Indices of the lines that pin every hidden entry to 1 (see the module docstring)."""
    found = []
    for n, line in enumerate(lines):
        inner = [key for key in line[:-1] if key in hidden]
        if line[-1] not in hidden and inner and sum(values[key] for key in inner) <= len(inner):
            found.append(n)
    return found


def determined(lines: Sequence[Line], hidden: Collection[Key]) -> list[Key]:
    """Hidden keys whose value the lines fix exactly, in a stable order."""
    pivots: dict[Key, dict[Key, Fraction]] = {}   # pivot key → reduced row (Gauss–Jordan form)
    for line in lines:
        row: dict[Key, Fraction] = {}
        for key in line[:-1]:
            if key in hidden:
                row[key] = row.get(key, Fraction(0)) + 1
        if line[-1] in hidden:
            row[line[-1]] = row.get(line[-1], Fraction(0)) - 1
        _add_row(pivots, row)
    return sorted(pivot for pivot, row in pivots.items() if len(row) == 1)


H = TypeVar("H", bound=Hashable)
Basis = dict[H, dict[H, Fraction]]   # generic over the vectors' key type


def basis(vectors: Sequence[Mapping[H, int]]) -> Basis[H]:
    """The reduced rows spanning ``vectors`` (sparse), for repeated ``in_span`` tests."""
    pivots: Basis[H] = {}
    for vector in vectors:
        _add_row(pivots, {key: Fraction(v) for key, v in vector.items()})
    return pivots


def in_span(target: Mapping[H, int], span: Basis[H]) -> bool:
    """True when ``target`` is a linear combination of the vectors behind ``span`` (exact): e.g. a period's
    count is the sum or difference of counts published for other periods."""
    return not _reduce(span, {key: Fraction(v) for key, v in target.items()})


def _reduce(pivots: Mapping[Any, Mapping[Any, Fraction]], row: dict[Any, Fraction]) -> dict[Any, Fraction]:
    """``row`` minus its components along the reduced rows (whose pivot columns are zero in every other one)."""
    for pivot, reduced in pivots.items():
        factor = row.get(pivot)
        if factor:
            for key, coef in reduced.items():
                row[key] = row.get(key, Fraction(0)) - factor * coef
    return {key: coef for key, coef in row.items() if coef}


def _add_row(pivots: dict[Any, dict[Any, Fraction]], row: dict[Any, Fraction]) -> None:
    """Gauss–Jordan step: reduce ``row``, make it a new pivot row and clear its pivot column elsewhere."""
    row = _reduce(pivots, row)
    if not row:
        return
    pivot = min(row, key=repr)   # any stable choice
    scale = row[pivot]
    row = {key: coef / scale for key, coef in row.items()}
    for other in pivots.values():
        factor = other.get(pivot)
        if factor:
            for key, coef in row.items():
                other[key] = other.get(key, Fraction(0)) - factor * coef
            for key in [key for key, coef in other.items() if not coef]:
                del other[key]
    pivots[pivot] = row
