"""Saturation throughput: requests per second of the main pages when nobody waits.

wrk (Debian's package, written in C: the load generator costs the shared cores little)
keeps ``connections`` requests open at once against one page for ``seconds``, logged in
as a provincial staff member (session cookie) or with an API token. The figure sizes a
deployment: how many requests a second the 2-core host serves at most.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from typing import Any

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def available() -> bool:
    return shutil.which("wrk") is not None


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip()).groups()
    return float(number) * UNITS[unit]


def parse(output: str) -> dict[str, Any]:
    def find(pattern: str) -> re.Match | None:
        return re.search(pattern, output)

    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", output, re.M))
    total = find(r"(\d+) requests in")
    non_2xx = find(r"Non-2xx or 3xx responses: (\d+)")
    socket = find(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")
    return {
        "rps": float(find(r"Requests/sec:\s+([\d.]+)").group(1)),
        "p50_ms": _ms(latency["50"]) if "50" in latency else float("nan"),
        "p99_ms": _ms(latency["99"]) if "99" in latency else float("nan"),
        "requests": int(total.group(1)) if total else 0,
        "errors": (int(non_2xx.group(1)) if non_2xx else 0)
        + (sum(int(g) for g in socket.groups()) if socket else 0),
    }


def run(
    url: str, headers: dict[str, str], connections: int, seconds: int, threads: int = 2
) -> dict[str, Any]:
    command = [
        "wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency",
        "--timeout", "30s",
        *(item for name, value in headers.items() for item in ("-H", f"{name}: {value}")),
        url,
    ]  # fmt: skip
    done = subprocess.run(  # noqa: S603 - wrk from PATH with our own arguments
        command, capture_output=True, text=True, timeout=seconds + 60, check=True
    )
    return {**parse(done.stdout), "output": done.stdout}
