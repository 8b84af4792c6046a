"""Open board pages for bench.board, in a process of their own: each holds `/board/<token>/events` open as
a browser's EventSource would and notes when every event arrives (time.monotonic(), comparable with the
benchmark's clock on the same machine).

    python -m bench.board_pages OUTPUT PAGES_PER_LINK URL [URL …]

Prints `ready N` once every page has its first board, then records until SIGTERM or SIGINT, and writes
one JSON list of [page, link, seconds, event, crc32 of the data] to OUTPUT before it exits.

    python -m bench.board_pages get URL

One GET of URL (one kept-alive connection) for every line read on stdin; prints each one's milliseconds
to the last byte, so that the server's process can prepare each request (its cache emptied) between them.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import signal
import sys
import time
import zlib

import aiohttp

Record = tuple[int, int, float, str, int]


async def hold(
    session: aiohttp.ClientSession, url: str, page: int, link: int, records: list[Record], first: asyncio.Event
) -> None:
    async with session.get(url, timeout=aiohttp.ClientTimeout(total=None, sock_read=None)) as response:
        response.raise_for_status()
        name, data = "", bytearray()
        async for raw in response.content:
            line = raw.rstrip(b"\r\n")
            if line.startswith(b"event: "):
                name = line[7:].decode()
            elif line.startswith(b"data: "):
                data += line[6:] + b"\n"
            elif not line and name:
                records.append((page, link, time.monotonic(), name, zlib.crc32(data)))
                first.set()
                name, data = "", bytearray()


async def main(output: str, per_link: int, urls: list[str]) -> None:
    records: list[Record] = []
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for wanted in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(wanted, stop.set)
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
        firsts: list[asyncio.Event] = []
        tasks: list[asyncio.Task[None]] = []
        for link, url in enumerate(urls):
            for _ in range(per_link):
                first = asyncio.Event()
                firsts.append(first)
                page = len(tasks)
                tasks.append(asyncio.create_task(hold(session, url, page, link, records, first)))
        await asyncio.gather(*(first.wait() for first in firsts))
        print(f"ready {len(tasks)}", flush=True)
        await stop.wait()
        failed = [task for task in tasks if task.done() and task.exception() is not None]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    with open(output, "w") as file:
        json.dump({"records": records, "failed": len(failed)}, file)


def get(url: str) -> None:
    host, _, path = url.removeprefix("http://").partition("/")
    name, _, port = host.partition(":")
    connection = http.client.HTTPConnection(name, int(port or 80), timeout=60)
    for _ in sys.stdin:
        started = time.perf_counter()
        connection.request("GET", "/" + path)
        response = connection.getresponse()
        body = response.read()
        elapsed = (time.perf_counter() - started) * 1000
        if response.status != 200 or b"</html>" not in body:
            raise SystemExit(f"GET {path}: {response.status}")
        print(f"{elapsed:.3f}", flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "get":
        get(sys.argv[2])
    else:
        asyncio.run(main(sys.argv[1], int(sys.argv[2]), sys.argv[3:]))
