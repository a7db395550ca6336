"""The load generator's process: ``python -m load.swarm`` runs the simulated officials with
locust as a library and writes every request as one JSON line.

Run by ``load.runner`` in a process of its own: locust patches the standard library with
gevent when it is imported, which the portal's code must never see. Each line is
``[seconds since the start, method, step, milliseconds, ok, error]``; the runner reads
them and computes the percentiles itself (exact ones, and by phase: ramp, hold).
"""

from __future__ import annotations

import argparse
import json
import time

import gevent
from locust.env import Environment

from .officials import OFFICIALS


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m load.swarm")
    parser.add_argument("--host", required=True)
    parser.add_argument("--ramp", type=float, required=True, help="seconds to reach all users")
    parser.add_argument("--hold", type=float, required=True, help="seconds at full load")
    parser.add_argument("--out", required=True, help="JSON lines, one per request")
    parser.add_argument("--counts", required=True, help='JSON: {"filer": 110, …}')
    return parser.parse_args()


def main() -> int:
    args = parse()
    counts = json.loads(args.counts)
    classes = []
    for kind, number in counts.items():
        if number:
            OFFICIALS[kind].fixed_count = number
            classes.append(OFFICIALS[kind])
    users = sum(counts.values())
    env = Environment(user_classes=classes, host=args.host)
    started = time.monotonic()
    stopping = False
    with open(args.out, "w", encoding="utf-8") as out:

        def record(request_type, name, response_time, exception=None, **_kwargs) -> None:
            if stopping:
                return  # a request cut off by the end of the run is not a measurement
            error = "" if exception is None else f"{type(exception).__name__}: {exception}"[:300]
            line = [
                round(time.monotonic() - started, 3),
                request_type,
                name,
                round(response_time, 2),
                exception is None,
                error,
            ]
            out.write(json.dumps(line, ensure_ascii=False) + "\n")

        env.events.request.add_listener(record)
        runner = env.create_local_runner()
        runner.start(users, spawn_rate=users / max(args.ramp, 1.0))
        gevent.sleep(args.ramp + args.hold)
        stopping = True
        runner.quit()
    print(json.dumps({"users": runner.user_count, "seconds": time.monotonic() - started}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
