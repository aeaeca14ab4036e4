#!/usr/bin/env python3
"""Prints the medians of the last `cargo bench` run and the DESIGN section 5 checks as
Markdown (the tables of docs/performance.md).

Usage (from the crate root, after the benches ran):

    python3 benches/summarize.py [--since EPOCH_SECONDS]

Reads criterion's `target/criterion/**/new/{benchmark,estimates}.json`; with
`--since`, results written before that time (left over from older runs) are ignored.
Standard library only.
"""

import argparse
import json
import os
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "target", "criterion")


def load(since):
    results = {}
    for directory, _subdirs, files in os.walk(ROOT):
        if os.path.basename(directory) != "new" or "estimates.json" not in files:
            continue
        estimates = os.path.join(directory, "estimates.json")
        if since is not None and os.path.getmtime(estimates) < since:
            continue
        with open(os.path.join(directory, "benchmark.json")) as f:
            full_id = json.load(f)["full_id"]
        with open(estimates) as f:
            results[full_id] = json.load(f)["median"]["point_estimate"]
    return results


def fmt(ns):
    if ns < 1.0:
        return f"{ns * 1000:.0f} ps"
    if ns < 1000.0:
        return f"{ns:.2f} ns"
    return f"{ns / 1000:.2f} µs"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--since", type=float, default=None)
    args = parser.parse_args()
    r = load(args.since)
    if not r:
        sys.exit("no criterion results found: run the benches first")

    print("### Medians\n")
    print("| benchmark | median |")
    print("|---|---:|")
    for name in sorted(r):
        print(f"| `{name}` | {fmt(r[name])} |")

    def get(name):
        if name not in r:
            sys.exit(f"missing result: {name}")
        return r[name]

    rows = []

    def ratio(what, num, den, limit):
        value = get(num) / get(den)
        rows.append((what, f"{fmt(get(num))} / {fmt(get(den))} = **{value:.2f}x**",
                     f"≤ {limit}x", "met" if value <= limit else f"missed by {value / limit:.2f}x"))

    def extra(what, num, den, clocks, limit):
        spent = get(num) - get(den) - (get(clocks) if clocks else 0.0)
        formula = f"{fmt(get(num))} − {fmt(get(den))}"
        if clocks:
            formula += f" − {fmt(get(clocks))} (clock reads)"
        rows.append((what, f"{formula} = **{spent:+.2f} ns**", f"≤ +{limit} ns",
                     "met" if spent <= limit else f"missed by {spent - limit:.2f} ns"))

    def under(what, name, limit):
        value = get(name)
        rows.append((what, f"**{fmt(value)}**", f"< {limit} ns",
                     "met" if value < limit else f"missed by {value - limit:.2f} ns"))

    for hook, shared_limit in (("noop", 2.0), ("counting", 1.3)):
        g = f"dispatch/{hook}/"
        ratio(f"{hook}: `with_ref` vs direct", g + "shared_with_ref", g + "direct", shared_limit)
        ratio(f"{hook}: statically typed vs direct", g + "static_typed", g + "direct", 1.1)
        ratio(f"{hook}: observer switched off vs `with_ref`", g + "observer_switched_off",
              g + "shared_with_ref", 1.1)
        ratio(f"{hook}: `with_ref_observed`, `metrics: None`, vs `with_ref`",
              g + "with_ref_observed_metrics_none", g + "shared_with_ref", 1.1)
        ratio(f"{hook}: typed observer switched off vs typed", g + "typed_observer_switched_off",
              g + "static_typed", 1.1)
        extra(f"{hook}: observer counting", g + "observer_counting", g + "shared_with_ref", None, 5)
        extra(f"{hook}: `with_ref_observed` counting", g + "with_ref_observed_counting",
              g + "shared_with_ref", None, 5)
        extra(f"{hook}: observer timing", g + "observer_timing", g + "shared_with_ref",
              "clock/two_runtime_clock_reads", 10)
        extra(f"{hook}: observer counting, null sink (library overhead alone)",
              g + "observer_counting_null_sink", g + "shared_with_ref", None, 5)
        extra(f"{hook}: observer timing, null sink (library overhead alone)",
              g + "observer_timing_null_sink", g + "shared_with_ref",
              "clock/two_runtime_clock_reads", 10)
        extra(f"{hook}: `with_ref_observed` timing", g + "with_ref_observed_timing",
              g + "shared_with_ref", "clock/two_runtime_clock_reads", 10)
    under("`handle`, 4 `'static` tags, no-op, not observed",
          "root/observation/noop/not_observed/handle", 50)
    under("`handle`, 4 `'static` tags, no-op, observed, switched off",
          "root/observation/noop/observed_switched_off/handle", 50)
    under("`handle`, 4 `'static` tags, no-op, observed, counting",
          "root/observation/noop/observed_counting/handle", 50)

    print("\n### DESIGN §5 targets\n")
    print("| what | measured | target | verdict |")
    print("|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
