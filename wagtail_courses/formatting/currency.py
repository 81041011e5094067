"""How a price reads on a page: "Free", "£120" or "120.00 CHF"."""

from decimal import Decimal

from django.utils.translation import gettext as _

SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$"}


def format_price(amount: Decimal, currency: str) -> str:
    if not amount:
        return _("Free")
    # Whole amounts read better without pence: "£120", not "£120.00".
    text = f"{amount:,.0f}" if amount == amount.to_integral_value() else f"{amount:,.2f}"
    symbol = SYMBOLS.get(currency)
    return f"{symbol}{text}" if symbol else f"{text} {currency}"
