"""Reporting's side of the outbox (`meerwaarde.outbox`): after a transaction that recorded
changes commits, ask a worker to recompute the periods they fall in. If the broker is
unreachable the change is still saved and the outbox rows wait for the next periodic run
or the nightly full run."""

import logging

logger = logging.getLogger(__name__)


def enqueue_processing() -> bool:
    """Ask a worker to process the recorded changes; False when the broker cannot be reached."""
    from .tasks import process_dirty_periods

    try:
        process_dirty_periods.delay()
    except Exception:  # kombu/redis raise several types; a registration must never fail on it
        logger.warning(
            "Herberekening kon niet in de wachtrij; de periodieke run haalt haar in.",
            exc_info=True,
        )
        return False
    return True


def kick() -> None:
    """The outbox's consumer (looked up at call time, so a test can replace it)."""
    enqueue_processing()
