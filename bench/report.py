"""Collects bench/results/*.json into bench/results/summary.md: the tables of docs/benchmarks.md
with every ratio checked against the targets of the Benchmarks issue.

Usage: python -m bench.report
"""

import json

from bench.common import RESULTS

PAGE_NAMES = {
    "case_list": "Trajectenlijst, eerste pagina",
    "case_list_deep": "Trajectenlijst, laatste pagina",
    "client_search": "Cliënt zoeken (htmx)",
    "intake_get": "Aanmelding (GET)",
    "intake_post": "Aanmelding (POST)",
    "catalogue": "Catalogus",
    "suggestions": "Suggesties coördinator",
    "dashboard": "Dashboard (jaar)",
    "indicator_export": "Export indicatoren (CSV, jaar)",
}


def load(name: str):
    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else None


def mark(ok: bool) -> str:
    return "gehaald" if ok else "**niet gehaald**"


def scales() -> list[int]:
    found = set()
    for path in RESULTS.glob("*_scale*.json"):
        found.add(int(path.stem.rsplit("scale", 1)[1]))
    return sorted(found)


def main() -> None:
    lines = ["# Benchmarkresultaten", ""]
    first = next((load(f"{kind}_scale{s}") for s in scales() for kind in ("rollup", "pages")), None)
    if first and "machine" in first:
        m = first["machine"]
        lines += [
            f"Machine: {m['cpu_model']}, {m['cores']} cores, {m['memory']}; {m['postgresql']}; "
            f"Python {m['python']}; load average bij de meting {m['load_average']}.",
            "",
        ]
    lines += ["## Gegevens bouwen (`generate_data`)", "", "| schaal | seconden |", "|---|---|"]
    for s in scales():
        if data := load(f"generate_scale{s}"):
            lines.append(f"| {s} | {data['seconds']:.0f} |")
    lines += [
        "",
        "## Volledige roll-up van een jaar (mediaan, min–max, seconden)",
        "",
        "| schaal | uurregels | floor (SQL) | pandas | rollup_year alle indicatoren | "
        "rollup_year alleen uren | alle ÷ floor | uren ÷ floor | alle ÷ pandas | "
        "uren ÷ pandas | doel (schaal 10) |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for s in scales():
        data = load(f"rollup_scale{s}")
        if not data:
            continue
        r, q = data["results"], data["ratios"]

        def cell(key, r=r):
            return f"{r[key]['median']:.2f} ({r[key]['min']:.2f}–{r[key]['max']:.2f})"

        if s == 10:
            target = (
                f"≤ 1,5× floor: {mark(q['rollup_all_vs_floor'] <= 1.5)}; sneller dan pandas: "
                f"alle {mark(q['rollup_all_vs_pandas'] < 1)}, "
                f"uren {mark(q['rollup_hours_vs_pandas'] < 1)}"
            )
        else:
            target = "—"
        lines.append(
            f"| {s} | {data['staff_hour_rows'] + data['volunteer_hour_rows']:,} | "
            f"{cell('floor')} | "
            f"{cell('pandas')} | {cell('rollup_all')} | {cell('rollup_hours')} | "
            f"{q['rollup_all_vs_floor']:.1f}× | {q['rollup_hours_vs_floor']:.1f}× | "
            f"{q['rollup_all_vs_pandas']:.1f}× | {q['rollup_hours_vs_pandas']:.1f}× | {target} |"
        )
    lines += [
        "",
        "## Incrementeel: van commit tot dashboard (seconden)",
        "",
        "| schaal | mediaan | min–max | n | doel < 2 s |",
        "|---|---|---|---|---|",
    ]
    for s in scales():
        if data := load(f"incremental_scale{s}"):
            c = data["commit_to_dashboard"]
            lines.append(
                f"| {s} | {c['median']:.2f} | {c['min']:.2f}–{c['max']:.2f} | {c['n']} | "
                f"{mark(c['median'] < 2 and c['max'] < 2)} |"
            )
    for s in scales():
        data = load(f"pages_scale{s}")
        if not data:
            continue
        lines += [
            "",
            f"## Pagina's via gunicorn, schaal {s} ({data['gunicorn_workers']} workers, "
            f"{data['seconds_per_page']:.0f} s per pagina per belasting)",
            "",
            "| pagina | p50 8 cl. (ms) | p95 8 cl. (ms) | p50 32 cl. (ms) | p95 32 cl. (ms) | "
            "p95 ÷ triviaal (32) | doel ≤ 3× |",
            "|---|---|---|---|---|---|---|",
        ]
        r8, r32 = data["results"]["8"], data["results"]["32"]
        t = r32["trivial"]
        lines.append(
            f"| Triviale ingelogde view `/bench/ping/` | {r8['trivial']['p50_ms']:.0f} | "
            f"{r8['trivial']['p95_ms']:.0f} | {t['p50_ms']:.0f} | {t['p95_ms']:.0f} | 1,0× | — |"
        )
        for name, label in PAGE_NAMES.items():
            if name not in r32:
                continue
            ratio = data["ratios"]["32"][name]["p95"]
            errors = r8[name]["errors"] + r32[name]["errors"]
            note = f" ({errors} fouten)" if errors else ""
            lines.append(
                f"| {label}{note} | {r8[name]['p50_ms']:.0f} | {r8[name]['p95_ms']:.0f} | "
                f"{r32[name]['p50_ms']:.0f} | {r32[name]['p95_ms']:.0f} | {ratio:.1f}× | "
                f"{mark(ratio <= 3)} |"
            )
    counts = {s: load(f"queries_scale{s}") for s in scales()}
    counts = {s: c["queries"] for s, c in counts.items() if c}
    if counts:
        header = " | ".join(f"schaal {s}" for s in counts)
        lines += [
            "",
            "## Databasequeries per pagina",
            "",
            f"| pagina | {header} | gelijk |",
            "|---|" + "---|" * len(counts) + "---|",
        ]
        for name in ["trivial", *PAGE_NAMES]:
            values = [c.get(name) for c in counts.values()]
            same = len(set(values)) == 1
            label = PAGE_NAMES.get(name, "Triviale view")
            lines.append(
                f"| {label} | " + " | ".join(str(v) for v in values) + f" | {mark(same)} |"
            )
    lines += [
        "",
        "## Import van urenregels",
        "",
        "| schaal | regels | seconden (mediaan) | regels/s (mediaan) | piekgeheugen (MB) | "
        "doel ≥ 20.000/s en < 400 MB |",
        "|---|---|---|---|---|---|",
    ]
    for s in scales():
        if data := load(f"import_scale{s}"):
            rate = data["rows_per_second"]["median"]
            ok = rate >= 20_000 and data["peak_rss_mb"] < 400
            lines.append(
                f"| {s} | {data['rows']:,} | {data['seconds']['median']:.1f} | {rate:,.0f} | "
                f"{data['peak_rss_mb']:.0f} | {mark(ok)} |"
            )
    text = "\n".join(lines) + "\n"
    (RESULTS / "summary.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
