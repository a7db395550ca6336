"""What one measurement holds, and how the results are shown: an aligned table on stdout
and a JSON file that tools (and the test suite) read."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Measurement:
    """A timed operation of the portal and the baseline it is compared with.

    The ratio ``seconds / baseline_seconds`` is the figure to compare between machines and
    runs: both sides ran in the same process on the same data, interleaved, so the
    machine's speed cancels out.
    """

    key: str
    label: str
    seconds: float
    baseline_seconds: float | None = None
    baseline: str = ""  # a few words: what the baseline is
    queries: int | None = None
    aim: float | None = None  # the ratio the quality bars ask for, when they name one
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if self.baseline_seconds is None or self.baseline_seconds <= 0:
            return None
        return self.seconds / self.baseline_seconds

    @property
    def misses_aim(self) -> bool:
        ratio = self.ratio
        return self.aim is not None and ratio is not None and ratio > self.aim

    def as_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "seconds": self.seconds,
            "baseline": self.baseline,
            "baseline_seconds": self.baseline_seconds,
            "ratio": self.ratio,
            "aim": self.aim,
            "queries": self.queries,
            "details": self.details,
        }


def _ms(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds * 1000:,.1f}"


def _ratio(value: float | None) -> str:
    return "-" if value is None or math.isnan(value) else f"{value:.2f}"


def table(measurements: Sequence[Measurement]) -> str:
    """The measurements as an aligned text table; a ratio above its aim is marked ``!``."""
    header = ("measurement", "queries", "time ms", "baseline", "base ms", "ratio", "aim")
    rows = [
        (
            m.label,
            "-" if m.queries is None else str(m.queries),
            _ms(m.seconds),
            m.baseline or "-",
            _ms(m.baseline_seconds),
            _ratio(m.ratio) + (" !" if m.misses_aim else ""),
            "-" if m.aim is None else f"≤ {m.aim:g}",
        )
        for m in measurements
    ]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    left = {0, 3}  # text columns; numbers are right-aligned

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            c.ljust(w) if i in left else c.rjust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(header), rule, *(line(r) for r in rows)])


def write_json(path: Path, payload: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=2, default=str) + "\n", "utf-8")
