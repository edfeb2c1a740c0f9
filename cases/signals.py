"""Signals other apps subscribe to; cases never imports them (reporting sits above)."""

from django.dispatch import Signal

# Sent after commit whenever hour registrations were added, changed or removed.
# kwargs: dates (set of datetime.date), product_ids (set of int), model (the label of the
# model whose rows changed: "cases.HourRegistration" or "volunteers.VolunteerHours")
hours_changed = Signal()


def send_hours_changed(*, dates, product_ids, model: str = "cases.HourRegistration") -> None:
    """Call inside the writing transaction: the signal goes out once the rows are committed."""
    from django.db import transaction

    dates, product_ids = set(dates), set(product_ids)
    transaction.on_commit(
        lambda: hours_changed.send(
            sender="cases", dates=dates, product_ids=product_ids, model=model
        )
    )
