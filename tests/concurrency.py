"""Running commands at the same moment from several threads, to test what the database serialises."""

from __future__ import annotations

import threading

from bot.app import App
from bot.messages import Inbound, Reply


def race(app: App, inbound: list[Inbound]) -> list[Reply]:
    """Handle every item at once (a barrier releases the threads together); the replies, unordered."""
    barrier = threading.Barrier(len(inbound))
    replies: list[Reply] = []
    lock = threading.Lock()

    def run(item: Inbound) -> None:
        barrier.wait()
        reply = app.dispatcher.handle(item)
        assert reply is not None
        with lock:
            replies.append(reply)

    threads = [threading.Thread(target=run, args=(item,)) for item in inbound]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return replies
