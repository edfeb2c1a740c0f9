"""The value objects of a roll-up: a breakdown key and the figures (numerator and
denominator) behind one indicator value, summed into the four breakdowns."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

UNKNOWN = "onbekend"
# A breakdown key: (product_id or None for all, area_id or None for all or UNKNOWN)
Key = tuple[int | None, int | str | None]
ALL: Key = (None, None)


@dataclass
class Figures:
    numerator: Decimal = Decimal(0)
    denominator: Decimal | None = None

    def add(self, numerator, denominator=None) -> None:
        self.numerator += Decimal(numerator or 0)
        if denominator is not None:
            self.denominator = (self.denominator or Decimal(0)) + Decimal(denominator)


def _area_key(area_id) -> int | str:
    return area_id if area_id is not None else UNKNOWN


def expand(finest: dict[tuple[int, int | str], Figures], *, denominators: bool) -> dict:
    """Sum finest-grain (product, area) figures into all four breakdowns."""
    result: dict[Key, Figures] = defaultdict(
        lambda: Figures(denominator=Decimal(0) if denominators else None)
    )
    for (product_id, area), figures in finest.items():
        for key in ((product_id, area), (product_id, None), (None, area), ALL):
            result[key].add(figures.numerator, figures.denominator)
    return dict(result)
