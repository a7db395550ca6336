"""The run's figures: percentiles and errors by step, the server's CPU and memory, the
exports, the saturation throughput; a text table and a JSON file."""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

# The aims of issue 18, for pages and API requests (not the export jobs' own time).
AIM_P95_MS = 300.0
AIM_MAX_MS = 5000.0


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (the value below which ``share`` of the values lie)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


def read_samples(path: Path) -> list[list[Any]]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def step_table(samples: list[list[Any]]) -> list[dict[str, Any]]:
    """One row per step (method and name), then ``all pages and API``."""
    by_step: dict[tuple[str, str], list[list[Any]]] = defaultdict(list)
    for sample in samples:
        by_step[(sample[1], sample[2])].append(sample)
    ordered = sorted(by_step.items(), key=lambda item: item[0][1])
    rows = [_row(f"{method} {name}", group) for (method, name), group in ordered]
    requests = [s for s in samples if s[1] != "JOB"]
    rows.append(_row("all pages and API", requests))
    return rows


def _row(label: str, group: list[list[Any]]) -> dict[str, Any]:
    times = [s[3] for s in group]
    return {
        "step": label,
        "requests": len(group),
        "errors": sum(1 for s in group if not s[4]),
        "p50_ms": percentile(times, 0.50),
        "p95_ms": percentile(times, 0.95),
        "p99_ms": percentile(times, 0.99),
        "max_ms": max(times) if times else math.nan,
        "over_5s": sum(1 for t in times if t > AIM_MAX_MS),
    }


def errors(samples: list[list[Any]], limit: int = 10) -> list[tuple[str, int]]:
    counted = Counter(f"{s[1]} {s[2]}: {s[5]}" for s in samples if not s[4])
    return counted.most_common(limit)


def _ms(value: float) -> str:
    return "—" if math.isnan(value) else f"{value:,.0f}"


def format_steps(rows: list[dict[str, Any]], title: str) -> str:
    width = max(len(r["step"]) for r in rows)
    lines = [
        title,
        f"{'step':<{width}}  {'requests':>8} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'p99 ms':>8} {'max ms':>8} {'>5 s':>5}",
    ]
    for r in rows:
        if r["step"] == "all pages and API":
            lines.append("-" * (width + 58))
        lines.append(
            f"{r['step']:<{width}}  {r['requests']:>8} {r['errors']:>6} {_ms(r['p50_ms']):>8} "
            f"{_ms(r['p95_ms']):>8} {_ms(r['p99_ms']):>8} {_ms(r['max_ms']):>8} {r['over_5s']:>5}"
        )
    return "\n".join(lines)


def format_resources(resources: dict[str, dict[str, float]], title: str) -> str:
    lines = [
        title,
        f"{'processes':<24} {'CPU mean %':>10} {'CPU max %':>10} {'RSS mean MB':>12} "
        f"{'RSS max MB':>11}",
    ]
    for name, r in resources.items():
        if "cpu_mean" in r:
            lines.append(
                f"{name:<24} {r['cpu_mean']:>10.0f} {r['cpu_max']:>10.0f} "
                f"{r['rss_mean_mb']:>12.0f} {r['rss_max_mb']:>11.0f}"
            )
    if "load average (1 min)" in resources:
        la = resources["load average (1 min)"]
        lines.append(f"machine load average (1 min): mean {la['mean']:.2f}, max {la['max']:.2f}")
    lines.append("(CPU in percent of one core; the machine has its cores shared with others)")
    return "\n".join(lines)


def format_saturation(rows: list[dict[str, Any]], title: str) -> str:
    lines = [
        title,
        f"{'page':<34} {'req/s':>7} {'p50 ms':>8} {'p99 ms':>8} {'requests':>9} {'errors':>7}",
    ]
    for r in rows:
        lines.append(
            f"{r['page']:<34} {r['rps']:>7.1f} {r['p50_ms']:>8.0f} {r['p99_ms']:>8.0f} "
            f"{r['requests']:>9} {r['errors']:>7}"
        )
    return "\n".join(lines)


def verdict(rows: list[dict[str, Any]], exports: dict[str, Any]) -> list[str]:
    """What misses the aims, one line each (empty: every aim met)."""
    misses = []
    for r in rows:
        if r["step"].startswith("JOB"):
            continue
        if r["p95_ms"] > AIM_P95_MS:
            misses.append(f"{r['step']}: p95 {r['p95_ms']:.0f} ms > {AIM_P95_MS:.0f} ms")
        if r["errors"]:
            misses.append(f"{r['step']}: {r['errors']} errors")
        if r["over_5s"]:
            misses.append(f"{r['step']}: {r['over_5s']} requests over 5 s")
    if exports.get("requested") and exports.get("unfinished_at_end_of_hold"):
        misses.append(
            f"exports: {exports['unfinished_at_end_of_hold']} of {exports['requested']} not "
            "finished by the end of the hold"
        )
    if exports.get("failed"):
        misses.append(f"exports: {exports['failed']} failed")
    return misses


def write(text: str, payload: dict[str, Any], text_path: Path, json_path: Path) -> None:
    text_path.parent.mkdir(parents=True, exist_ok=True)
    text_path.write_text(text + "\n", encoding="utf-8")
    json_path.write_text(json.dumps(payload, indent=2, ensure_ascii=False, default=str) + "\n")
