#!/usr/bin/env python3
"""Turn JMH JSON results (-rf json) into Markdown tables and SVG charts.

Python 3 standard library only (no matplotlib): the SVG is written by hand.

    python3 jmh_report.py results/*.json [--heap results/heap.csv] \
        [--out results/report.md] [--svg-dir ../docs/perf] [--svg-prefix perf/]

Ratios are always against the baseline of the SAME run and the same other parameters: the row
whose `impl` parameter is `abq` (override with --baseline). For throughput (higher is better) the
ratio is score / baseline ("x abq"); for average time (lower is better, e.g. ping-pong) it is
score / baseline as a fraction of the baseline's time.
"""
import argparse
import csv
import html
import json
import math
import os
import sys
from collections import OrderedDict

PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
           "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#637939"]

# (benchmark suffix, fixed params, target, description): checked for impl=pipeline unless the
# fixed params name another impl
TARGETS = [
    ("ChannelThroughputBenchmark.spsc", {}, ">=", 10.0, "SPSC throughput >= 10x abq"),
    ("ChannelThroughputBenchmark.mpsc4to1", {}, ">=", 2.0, "4->1 throughput >= 2x abq"),
    ("ChannelThroughputBenchmark.mpmc2to2", {}, ">=", 1.5, "2->2 throughput >= 1.5x abq"),
    ("PingPongBenchmark.roundTrip", {}, "<=", 0.1, "ping-pong time <= 1/10 of abq"),
    ("ThreeStagePipelineBenchmark.generateSquareSum", {"impl": "dsl"}, ">=", 20.0,
     "3-stage DSL >= 20x abq, platform threads"),
    ("ThreeStagePipelineBenchmark.generateSquareSum", {"impl": "dsl_virtual"}, ">=", 20.0,
     "3-stage DSL on virtual threads (beside it)"),
    ("LogAggregationBenchmark.logAggregation", {"impl": "dsl"}, ">=", 5.0,
     "log aggregation >= 5x abq, platform threads"),
]


def load(paths):
    rows = []
    for path in paths:
        with open(path) as f:
            for r in json.load(f):
                bench = r["benchmark"]
                cls, method = bench.rsplit(".", 1)
                pm = r["primaryMetric"]
                rows.append({
                    "file": os.path.basename(path),
                    "bench": cls.rsplit(".", 1)[-1] + "." + method,
                    "mode": r["mode"],
                    "params": r.get("params", {}) or {},
                    "score": float(pm["score"]),
                    "error": float(pm["scoreError"]) if pm.get("scoreError") not in (None, "NaN") else float("nan"),
                    "unit": pm["scoreUnit"],
                })
    return rows


def other_params(row):
    return tuple(sorted((k, v) for k, v in row["params"].items() if k != "impl"))


def with_ratios(rows, baseline):
    base = {}
    for r in rows:
        if r["params"].get("impl") == baseline:
            base[(r["file"], r["bench"], other_params(r))] = r["score"]
    for r in rows:
        b = base.get((r["file"], r["bench"], other_params(r)))
        r["ratio"] = r["score"] / b if b else None
    return rows


def fmt_num(x):
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    a = abs(x)
    if a >= 1e9:
        return "%.2fG" % (x / 1e9)
    if a >= 1e6:
        return "%.2fM" % (x / 1e6)
    if a >= 1e4:
        return "%.1fk" % (x / 1e3)
    if a >= 100:
        return "%.0f" % x
    return "%.3g" % x


def fmt_ratio(r, mode):
    if r is None:
        return "-"
    return ("%.2fx" % r) if mode == "thrpt" else ("%.3f of abq time" % r)


def tables(rows, baseline):
    out = []
    by_bench = OrderedDict()
    for r in rows:
        by_bench.setdefault(r["bench"], []).append(r)
    for bench, rs in by_bench.items():
        keys = sorted({k for r in rs for k in r["params"] if k != "impl"})
        mode = rs[0]["mode"]
        what = "items/s, higher is better" if mode == "thrpt" else "time per op, lower is better"
        out.append("### %s (%s)\n" % (bench, what))
        head = keys + ["impl", "score", "error (99.9%)", "unit", "vs " + baseline]
        out.append("| " + " | ".join(head) + " |")
        out.append("|" + "---|" * len(head))
        rs = sorted(rs, key=lambda r: ([sort_key(r["params"].get(k, "")) for k in keys],
                                       r["params"].get("impl") != baseline))
        for r in rs:
            cells = [str(r["params"].get(k, "")) for k in keys]
            cells += [r["params"].get("impl", ""), fmt_num(r["score"]), fmt_num(r["error"]),
                      r["unit"], fmt_ratio(r["ratio"], r["mode"])]
            out.append("| " + " | ".join(cells) + " |")
        out.append("")
    return "\n".join(out)


def sort_key(v):
    try:
        return (0, float(v), "")
    except ValueError:
        return (1, 0.0, v)


def targets(rows):
    out = ["| target | threads | ratio | met |", "|---|---|---|---|"]
    found = False
    for suffix, fixed, op, goal, desc in TARGETS:
        for r in rows:
            impl = fixed.get("impl", "pipeline")
            if r["bench"] != suffix or r["params"].get("impl") != impl or r["ratio"] is None:
                continue
            if any(r["params"].get(k) != v for k, v in fixed.items()):
                continue
            ok = r["ratio"] >= goal if op == ">=" else r["ratio"] <= goal
            out.append("| %s | %s | %.3g | %s |" % (desc, r["params"].get("threads", "-"),
                                                     r["ratio"], "yes" if ok else "**no**"))
            found = True
    return "\n".join(out) + "\n" if found else ""


# ------------------------------------------------------------------ SVG

def svg_doc(width, height, body, title):
    return ('<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
            'viewBox="0 0 %d %d" font-family="sans-serif" font-size="11">\n'
            '<rect width="100%%" height="100%%" fill="white"/>\n'
            '<text x="%d" y="18" text-anchor="middle" font-size="14">%s</text>\n%s</svg>\n'
            % (width, height, width, height, width // 2, html.escape(title), body))


def nice_max(v):
    if v <= 0:
        return 1.0
    e = 10 ** math.floor(math.log10(v))
    for m in (1, 2, 2.5, 5, 10):
        if v <= m * e:
            return m * e
    return 10 * e


def bar_chart(title, groups, series, values, ylabel, ref=None):
    """Horizontal bars, one row per (group, series), the value printed at the end of each bar.

    values[(g, s)] -> float or None. A log axis when the values span more than 50x (a sequential
    floor next to a slow peer); ref draws a dashed line (the baseline, 1.0).
    """
    rows = [(g, s) for g in groups for s in series if values.get((g, s)) is not None]
    left, right, top, bottom, rh = 230, 90, 40, 40, 18
    width = 760
    pw = width - left - right
    height = top + bottom + rh * len(rows) + 8 * len(groups)
    vals = [values[k] for k in rows if values[k] > 0] or [1.0]
    log = max(vals) / min(vals) > 50
    if log:
        lo = math.floor(math.log10(min(vals + ([ref] if ref else []))))
        hi = math.ceil(math.log10(max(vals + ([ref] if ref else []))))
        hi = hi if hi > lo else lo + 1

        def px(v):
            return left + pw * (math.log10(max(v, 10.0 ** lo)) - lo) / (hi - lo)
        ticks = [10.0 ** e for e in range(lo, hi + 1)]
        zero = left
    else:
        vmax = nice_max(max(vals + [ref or 0]))

        def px(v):
            return left + pw * v / vmax
        ticks = [vmax * i / 5 for i in range(6)]
        zero = left
    body = []
    plot_bottom = height - bottom
    for t in ticks:
        x = px(t)
        body.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#ddd"/>' % (x, top, x, plot_bottom))
        body.append('<text x="%.1f" y="%d" text-anchor="middle">%s</text>' % (x, plot_bottom + 14, fmt_num(t)))
    y = top
    colors = {s: PALETTE[i % len(PALETTE)] for i, s in enumerate(series)}
    for g in groups:
        for s in series:
            v = values.get((g, s))
            if v is None:
                continue
            label = s if len(groups) == 1 else "%s | %s" % (g, s)
            x1 = px(v)
            body.append('<text x="%d" y="%.1f" text-anchor="end">%s</text>' % (left - 6, y + rh - 5, html.escape(label)))
            body.append('<rect x="%d" y="%.1f" width="%.1f" height="%d" fill="%s"/>' % (zero, y + 2, max(1.0, x1 - zero), rh - 4, colors[s]))
            body.append('<text x="%.1f" y="%.1f">%s</text>' % (x1 + 4, y + rh - 5, fmt_num(v)))
            y += rh
        y += 8
    if ref is not None:
        x = px(ref)
        body.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="black" stroke-dasharray="4,3"/>' % (x, top, x, plot_bottom))
    body.append('<text x="%d" y="%d" text-anchor="middle">%s</text>' % (left + pw // 2, height - 8, html.escape(ylabel + (" (log scale)" if log else ""))))
    return svg_doc(width, height, "\n".join(body), title)


def legend(series, x, y):
    out = []
    for i, s in enumerate(series):
        out.append('<rect x="%d" y="%d" width="10" height="10" fill="%s"/>' % (x, y + 16 * i, PALETTE[i % len(PALETTE)]))
        out.append('<text x="%d" y="%d">%s</text>' % (x + 14, y + 16 * i + 9, html.escape(s)))
    return out


def line_chart(title, xs, series, values, xlabel, ylabel, log_x=True):
    """xs: numeric x values; values[(x, s)] -> float."""
    left, right, top, bottom = 70, 150, 35, 50
    width, height = 640, 360
    pw, ph = width - left - right, height - top - bottom
    vals = [v for v in values.values() if v is not None and v > 0]
    vmax = nice_max(max(vals + [1e-12]))
    # a log y axis when the values span more than 50x (scaling curves), else linear from 0
    log_y = bool(vals) and max(vals) / min(vals) > 50
    if log_y:
        y_lo = math.floor(math.log10(min(vals)))
        y_hi = math.ceil(math.log10(max(vals)))
        if y_hi == y_lo:
            y_hi += 1
    fx = (lambda v: math.log2(v)) if log_x and min(xs) > 0 else (lambda v: v)
    x_lo, x_hi = fx(min(xs)), fx(max(xs))
    span = (x_hi - x_lo) or 1.0

    def px(v):
        return left + pw * (fx(v) - x_lo) / span

    def py(v):
        if log_y:
            return top + ph - ph * (math.log10(max(v, 1e-300)) - y_lo) / (y_hi - y_lo)
        return top + ph - ph * v / vmax

    body = []
    ticks = [10.0 ** e for e in range(y_lo, y_hi + 1)] if log_y else [vmax * i / 5 for i in range(6)]
    for t in ticks:
        y = py(t)
        body.append('<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#ddd"/>' % (left, y, left + pw, y))
        body.append('<text x="%d" y="%.1f" text-anchor="end">%s</text>' % (left - 5, y + 4, fmt_num(t)))
    if log_y:
        ylabel += " (log scale)"
    for x in xs:
        body.append('<text x="%.1f" y="%d" text-anchor="middle">%s</text>' % (px(x), top + ph + 15, fmt_num(x)))
    for si, s in enumerate(series):
        pts = [(px(x), py(values[(x, s)])) for x in xs if values.get((x, s)) is not None]
        if not pts:
            continue
        color = PALETTE[si % len(PALETTE)]
        body.append('<polyline fill="none" stroke="%s" stroke-width="2" points="%s"/>' % (color, " ".join("%.1f,%.1f" % p for p in pts)))
        for p in pts:
            body.append('<circle cx="%.1f" cy="%.1f" r="3" fill="%s"/>' % (p[0], p[1], color))
    body.append('<text x="%d" y="%d" text-anchor="middle">%s</text>' % (left + pw // 2, height - 10, html.escape(xlabel)))
    body.append('<text transform="translate(15,%d) rotate(-90)" text-anchor="middle">%s</text>' % (top + ph // 2, html.escape(ylabel)))
    body += legend(series, width - right + 10, top)
    return svg_doc(width, height, "\n".join(body), title)


def is_number(v):
    try:
        float(v)
        return True
    except (TypeError, ValueError):
        return False


def charts(rows, baseline, svg_dir):
    """Writes one chart per benchmark; returns [(title, file name)]."""
    made = []
    by_bench = OrderedDict()
    for r in rows:
        by_bench.setdefault(r["bench"], []).append(r)
    for bench, rs in by_bench.items():
        impls = list(OrderedDict.fromkeys(r["params"].get("impl", "?") for r in rs))
        keys = sorted({k for r in rs for k in r["params"] if k != "impl"})
        varying = [k for k in keys if len({r["params"].get(k) for r in rs}) > 1]
        name = bench.replace(".", "_") + ".svg"
        if len(varying) == 1 and all(is_number(r["params"][varying[0]]) for r in rs) \
                and len({r["params"][varying[0]] for r in rs}) > 2:
            k = varying[0]
            xs = sorted({float(r["params"][k]) for r in rs})
            vals = {(float(r["params"][k]), r["params"].get("impl", "?")): r["score"] for r in rs}
            svg = line_chart("%s: %s vs %s" % (bench, rs[0]["unit"], k), xs, impls, vals, k, rs[0]["unit"])
        else:
            def label(r):
                return ", ".join("%s=%s" % (k, r["params"].get(k)) for k in varying) or "all"
            groups = list(OrderedDict.fromkeys(label(r) for r in rs))
            vals = {(label(r), r["params"].get("impl", "?")): r["ratio"] for r in rs}
            if all(v is None for v in vals.values()):
                vals = {(label(r), r["params"].get("impl", "?")): r["score"] for r in rs}
                ylabel, ref = rs[0]["unit"], None
            else:
                ylabel = ("throughput / %s" if rs[0]["mode"] == "thrpt" else "time / %s") % baseline
                ref = 1.0
            svg = bar_chart("%s (vs %s, same run)" % (bench, baseline), groups, impls, vals, ylabel, ref)
        with open(os.path.join(svg_dir, name), "w") as f:
            f.write(svg)
        made.append((bench, name))
    return made


def heap_section(path, svg_dir):
    with open(path) as f:
        rows = list(csv.DictReader(f))
    out = ["| impl | capacity | items | payload (B) | retained heap (MiB) | peak used (MiB) |",
           "|---|---|---|---|---|---|"]
    for r in rows:
        out.append("| %s | %s | %s | %s | %.2f | %.1f |" % (
            r["impl"], r["capacity"], r["items"], r["payload_bytes"],
            int(r["retained_bytes"]) / 2 ** 20, int(r["peak_used_bytes"]) / 2 ** 20))
    bounded = [r for r in rows if r["capacity"] != "unbounded"]
    made = None
    if bounded and svg_dir:
        xs = sorted({float(r["capacity"]) for r in bounded})
        impls = list(OrderedDict.fromkeys(r["impl"] for r in bounded))
        vals = {(float(r["capacity"]), r["impl"]): int(r["retained_bytes"]) / 2 ** 20 for r in bounded}
        svg = line_chart("retained heap vs capacity, slow consumer", xs, impls, vals, "capacity", "MiB")
        with open(os.path.join(svg_dir, "heap_vs_capacity.svg"), "w") as f:
            f.write(svg)
        made = "heap_vs_capacity.svg"
    return "\n".join(out) + "\n", made


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("json", nargs="+", help="JMH result files (-rf json)")
    ap.add_argument("--heap", help="CSV written by dev.pipeline.bench.HeapVsCapacity")
    ap.add_argument("--baseline", default="abq", help="impl value of the baseline (default abq)")
    ap.add_argument("--out", help="Markdown output file (default: standard output)")
    ap.add_argument("--svg-dir", help="where to write SVG charts (none if omitted)")
    ap.add_argument("--svg-prefix", default="", help="path prefix of the charts in the Markdown")
    a = ap.parse_args(argv)

    rows = with_ratios(load(a.json), a.baseline)
    md = ["## Results\n"]
    t = targets(rows)
    if t:
        md += ["### Targets (impl=pipeline vs %s, same run)\n" % a.baseline, t]
    md.append(tables(rows, a.baseline))
    if a.svg_dir:
        os.makedirs(a.svg_dir, exist_ok=True)
        md.append("### Charts\n")
        for bench, name in charts(rows, a.baseline, a.svg_dir):
            md.append("![%s](%s%s)\n" % (bench, a.svg_prefix, name))
    if a.heap:
        table, chart = heap_section(a.heap, a.svg_dir)
        md += ["### Peak heap vs capacity (slow consumer)\n", table]
        if chart:
            md.append("![heap vs capacity](%s%s)\n" % (a.svg_prefix, chart))
    text = "\n".join(md)
    if a.out:
        with open(a.out, "w") as f:
            f.write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main(sys.argv[1:])
