"""outputs/report/summary.md: the findings in a few lines of plain text."""

from __future__ import annotations

from typing import Any

from pipeline.report.sections.comparison import distinguishable_rows


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def render(title: str, overview: dict[str, Any], themes: dict[str, Any], comparison: dict[str, Any],
           entities: dict[str, Any], method: dict[str, Any], inputs: Any,
           effects: dict[str, Any] | None = None) -> str:
    """Markdown summary: corpus, largest topics, clear differences, caveats, most-named entities, provenance."""
    lines = [f"# {_one_line(title)}", ""]
    lines.append(f"{overview['n_documents']:,} documents, {overview['n_passages']:,} passages, "
                 f"{overview['n_words']:,} words in {overview['n_languages']} language(s); "
                 f"{overview['n_skipped']} document(s) skipped at ingest; "
                 f"{overview.get('n_ocr_passages', 0):,} passage(s) from OCR.")
    groups = ", ".join(f"{g}: {v['documents']} doc(s)" for g, v in overview["per_group"].items())
    lines += [f"Groups: {groups}.", "", "## Largest topics", ""]
    for card in themes["cards"][:5]:
        if card["outlier"]:
            continue
        terms = next((t["terms"] for t in card["terms"] if t["terms"]), [])
        lines.append(f"- {_one_line(card['label'])} ({card['size']} passages): {', '.join(terms[:6])}")
    lines += ["", "## Differences between groups", ""]
    clear = distinguishable_rows(inputs, comparison["too_small"]).head(5)
    if clear.empty:
        lines.append("- No difference in topic prevalence between groups is distinguishable from noise.")
    for r in clear.itertuples():
        label = comparison["labels"].get(int(r.topic_id), str(r.topic_id))
        lines.append(f"- {_one_line(label)}: {r.group_a} − {r.group_b} = {100 * r.diff:+.1f} points "
                     f"(95% interval {100 * r.ci_low:+.1f} to {100 * r.ci_high:+.1f})")
    for note in comparison["notes"]:
        lines.append(f"- Note: {_one_line(note)}")
    if effects is not None:
        lines += ["", "## Covariate effects", ""]
        clear = [r for r in effects["table"].rows if "excludes zero" in str(r.cells[5])][:5]
        if effects["available"]:
            lines.append(f"- {effects['n_clear']} of {len(effects['table'].rows)} effects have intervals that "
                         f"exclude zero (model on {effects['summary'].get('n_docs')} documents).")
        lines += [f"- {_one_line(r.cells[0])}, {r.cells[1]} {r.cells[2]}: {r.cells[3]} ({r.cells[4]})" for r in clear]
        lines += [f"- Note: {_one_line(n)}" for n in effects["notes"]]
    lines += ["", "## Most-named entities", ""]
    for block in entities["blocks"]:
        for g in block["groups"]:
            names = ", ".join(f"{_one_line(e['name'])} ({e['mentions']})" for e in g["entities"][:3])
            lines.append(f"- {block['title']}, {g['group']}: {names or 'none'}")
    prov = method["provenance"]
    lines += ["", "## Provenance", "",
              f"- pipeline state (sha256 of the outputs dvc.lock records for the other stages) {prov.pipeline_sha256}"]
    for m in method["metrics"]:
        if m["missing"]:
            lines.append(f"- {m['title']}: {m['missing']}")
    for message in inputs.stale:
        lines.append(f"- STALE: {_one_line(message)}")
    return "\n".join(lines) + "\n"
