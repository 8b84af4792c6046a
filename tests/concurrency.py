"""Running commands at the same moment from several threads, to test what the database serialises."""

from __future__ import annotations

import threading
import time

from bot.app import App
from bot.messages import Inbound, Reply

HANG = 60.0  # seconds after which a thread still running fails the test (a deadlock, a lost wake-up)


def race(app: App, inbound: list[Inbound], hang: float = HANG) -> list[Reply]:
    """Handle every item at once (a barrier releases the threads together); the replies in `inbound`'s order.

    What a thread raised is raised here, and a thread still running after `hang` seconds fails the test.
    """
    barrier = threading.Barrier(len(inbound))
    replies: list[Reply | None] = [None] * len(inbound)
    raised: list[BaseException] = []

    def run(index: int, item: Inbound) -> None:
        try:
            barrier.wait(hang)
            reply = app.dispatcher.handle(item)
            if reply is None:
                raise AssertionError(f"no reply to {item!r}")
            replies[index] = reply
        except BaseException as error:
            raised.append(error)
            barrier.abort()  # the others are not left waiting for this one

    threads = [threading.Thread(target=run, args=pair, daemon=True) for pair in enumerate(inbound)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + hang
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    if raised:  # the cause, rather than the broken barrier it left the others
        raise next((e for e in raised if not isinstance(e, threading.BrokenBarrierError)), raised[0])
    running = sum(thread.is_alive() for thread in threads)
    if running:
        raise AssertionError(f"{running} of {len(threads)} threads still running after {hang} s")
    return [reply for reply in replies if reply is not None]
