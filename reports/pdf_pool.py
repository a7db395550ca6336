"""Several processes rendering the parts of a long annex at once (``reports.pdf``).

Each is ``python -m reports.pdf_pool``: it reads a part (plain data) from its standard input
and writes the PDF back, one part after another, until its input closes — which also
happens when its parent dies, so none is left behind. They are started as soon as the
pool is entered and parse the stylesheet and load the fonts while the parent renders the
document's body. Plain subprocesses rather than
``multiprocessing``: they start the same way from a Celery pool process (which
``multiprocessing`` does not let have children), from a thread of the web server and from a
test, and they import nothing of the parent's main script.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import struct
import subprocess
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, BinaryIO

_HEADER = struct.Struct("!Q")


def _send(stream: BinaryIO, value: Any) -> None:
    data = pickle.dumps(value)
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def _receive(stream: BinaryIO) -> Any:
    header = stream.read(_HEADER.size)
    if len(header) < _HEADER.size:
        raise EOFError
    (size,) = _HEADER.unpack(header)
    data = stream.read(size)
    if len(data) < size:
        raise EOFError
    # Both ends of the pipe are this module, in this process and its child.
    return pickle.loads(data)  # noqa: S301


class RenderingFailed(RuntimeError):
    pass


class Renderers:
    """``processes`` rendering processes; ``map`` gives the parts' PDFs in order.
    A context manager: on leaving it, idle processes are told to stop, and on an error
    (or a time limit) running ones are killed."""

    def __init__(self, processes: int) -> None:
        self._threads = ThreadPoolExecutor(max_workers=processes, thread_name_prefix="pdf")
        self._processes = [
            subprocess.Popen(
                [sys.executable, "-m", "reports.pdf_pool"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                cwd=Path(__file__).resolve().parent.parent,
            )
            for _n in range(processes)
        ]
        # One process per thread, for good: a thread never waits for another's process
        # (which may have died), it fails on its own.
        self._unclaimed = list(self._processes)
        self._lock = threading.Lock()
        self._own = threading.local()

    def __enter__(self) -> Renderers:
        return self

    def __exit__(self, kind, error, traceback) -> None:
        self._threads.shutdown(wait=False, cancel_futures=True)
        for process in self._processes:
            if error is not None:
                process.kill()
            else:
                process.stdin.close()
        for process in self._processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self._threads.shutdown(wait=True)

    def map(self, parts: list[Any]) -> Iterator[bytes]:
        futures = [self._threads.submit(self._render, part) for part in parts]
        for future in futures:
            yield future.result()

    def _render(self, part: Any) -> bytes:
        process = getattr(self._own, "process", None)
        if process is None:
            with self._lock:
                process = self._own.process = self._unclaimed.pop()
        try:
            _send(process.stdin, part)
            status, value = _receive(process.stdout)
        except (EOFError, BrokenPipeError) as error:
            raise RenderingFailed(
                f"A rendering process ended (exit status {process.wait()})."
            ) from error
        if status != "ok":
            raise RenderingFailed(value)
        return value


def main() -> None:
    # The protocol has standard output to itself; whatever else prints goes to stderr.
    replies = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    requests = sys.stdin.buffer
    import django

    django.setup()
    from reports.pdf import render_part, warm_up

    # A failure here (a font missing) fails the first part again, with its message.
    with contextlib.suppress(Exception):
        warm_up()
    while True:
        try:
            part = _receive(requests)
        except EOFError:
            return
        try:
            pdf = render_part(part)
        except Exception as error:  # reported to the parent, which fails the export
            _send(replies, ("error", f"{type(error).__name__}: {error}"))
        else:
            _send(replies, ("ok", pdf))


if __name__ == "__main__":
    main()
