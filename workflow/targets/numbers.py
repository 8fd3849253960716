"""A figure as a person writes it (``92,5``, ``1500``), read once for every way one enters."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from workflow.errors import InvalidInput
from workflow.i18n import N_

# Figures are kept as Numeric(12, 2): ten digits before the decimal point, two after.
FIGURE_LIMIT = Decimal(10) ** 10
CENT = Decimal("0.01")


def parse_figure(raw: object) -> Decimal | None:
    """The figure ``raw`` says, to the cent; ``None`` for an empty entry; a refusal in the
    reader's language for anything that is not a number from 0 up to the limit."""
    if raw is None or str(raw).strip() == "":
        return None
    text = str(raw).strip().replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise InvalidInput(
            N_("A target figure must be a number: %(value)s"), value=str(raw)
        ) from None
    if not value.is_finite() or value < 0:
        raise InvalidInput(N_("A target figure must be a number: %(value)s"), value=str(raw))
    if value >= FIGURE_LIMIT:
        raise InvalidInput(
            N_("A target figure must be less than %(limit)s: %(value)s"),
            limit=f"{FIGURE_LIMIT:,}",
            value=str(raw),
        )
    return value.quantize(CENT)
