"""A raw HTTP/1.1 client for loopback tests: any bytes as headers and body, declared or chunked.

Ordinary clients will not send a malformed request, and they write a large body to the end before
they read the answer. This one sends the body piece by piece and stops as soon as the server has
answered, so that a test can see a body refused before it was read in full, and how much was sent.
"""

from __future__ import annotations

import select
import socket
from collections.abc import Iterable
from dataclasses import dataclass

PIECE = 64 * 1024
TIMEOUT = 15.0


@dataclass(frozen=True)
class RawResponse:
    status: int  # 0 when the connection closed without an answer
    body: bytes
    sent: int  # body bytes written before the answer came (or the connection closed)


def post(
    port: int,
    path: str,
    body: bytes | Iterable[bytes],
    headers: Iterable[tuple[str, str | bytes]] = (),
    *,
    chunked: bool = False,
    timeout: float = TIMEOUT,
) -> RawResponse:
    """POST `body` to 127.0.0.1:`port`; bytes get a Content-Length unless `chunked` (or one is given)."""
    head = [b"POST " + path.encode() + b" HTTP/1.1", b"Host: 127.0.0.1", b"Connection: close"]
    named = {name.lower() for name, _ in headers}
    for name, value in headers:
        head.append(name.encode() + b": " + (value if isinstance(value, bytes) else value.encode()))
    if chunked:
        head.append(b"Transfer-Encoding: chunked")
    elif isinstance(body, bytes) and "content-length" not in named:
        head.append(b"Content-Length: " + str(len(body)).encode())
    pieces = _pieces(body) if isinstance(body, bytes) else body
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as connection:
        sent = _send(connection, b"\r\n".join(head) + b"\r\n\r\n", pieces, chunked)
        status, answer = _read(connection)
    return RawResponse(status, answer, sent)


def _pieces(body: bytes) -> Iterable[bytes]:
    return (body[start : start + PIECE] for start in range(0, len(body), PIECE)) if body else ()


def _send(connection: socket.socket, head: bytes, pieces: Iterable[bytes], chunked: bool) -> int:
    """Write the head, then the body until the server answers; how many body bytes went out."""
    sent = 0
    try:
        connection.sendall(head)
        for piece in pieces:
            if _answered(connection):
                return sent
            connection.sendall(b"%x\r\n%s\r\n" % (len(piece), piece) if chunked else piece)
            sent += len(piece)
        if chunked and not _answered(connection):
            connection.sendall(b"0\r\n\r\n")
    except (BrokenPipeError, ConnectionResetError):
        pass  # the server answered and closed while the body was on its way
    return sent


def _answered(connection: socket.socket) -> bool:
    readable, _, _ = select.select([connection], [], [], 0)
    return bool(readable)


def _read(connection: socket.socket) -> tuple[int, bytes]:
    """The status and body of the answer (the server closes the connection after it)."""
    received = bytearray()
    try:
        while chunk := connection.recv(PIECE):
            received += chunk
    except ConnectionResetError:
        pass  # the answer, if any, came before the reset
    head, _, body = bytes(received).partition(b"\r\n\r\n")
    status_line = head.split(b"\r\n", 1)[0].split()
    if len(status_line) < 2 or not status_line[1].isdigit():
        return 0, b""
    if b"transfer-encoding: chunked" in head.lower():
        body = _unchunked(body)
    return int(status_line[1]), body


def _unchunked(data: bytes) -> bytes:
    body = bytearray()
    while data:
        size_line, _, rest = data.partition(b"\r\n")
        size = int(size_line.split(b";")[0] or b"0", 16)
        if size == 0:
            break
        body += rest[:size]
        data = rest[size + 2 :]
    return bytes(body)
