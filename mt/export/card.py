"""The dataset card (README.md with Hugging Face YAML metadata) written next to every export."""

from __future__ import annotations

from mt import __version__
from mt.export.base import SPLITS, SYNTHETIC, ExportInfo


def _size_category(n: int) -> str:
    for limit, name in ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M")):
        if n < limit:
            return name
    return "1M<n<10M"


def _configs(files: list[str], hf: bool) -> tuple[dict[str, str], str | None, str]:
    """What ``load_dataset(folder)`` should read: split → file for the human part, the synthetic file, a usage line.

    Without configs, datasets would load every data file of the folder as one split, synthetic rows
    and test rows included, so the card always names them.
    """
    names = set(files)
    if hf and any(f"{s}.jsonl" in names for s in SPLITS):
        splits = {s: f"{s}.jsonl" for s in SPLITS if f"{s}.jsonl" in names}
        syn = "synthetic.jsonl" if "synthetic.jsonl" in names else None
        args = ", ".join(f'"{s}": "{f}"' for s, f in splits.items())
        return splits, syn, f'ds = load_dataset("json", data_files={{{args}}})'
    for ext, builder in ((".jsonl", "json"), (".csv", "csv")):
        if f"corpus{ext}" in names:
            syn = f"synthetic{ext}" if f"synthetic{ext}" in names else None
            usage = (f'ds = load_dataset("{builder}", data_files="corpus{ext}")["train"]\n'
                     'train = ds.filter(lambda r: r["split"] == "train")')
            return {"corpus": f"corpus{ext}"}, syn, usage
    return {}, None, ""


def dataset_card(info: ExportInfo, files: list[str], *, hf: bool = False) -> str:
    """Counts, languages, splits, filters and the caveats users hit with the usual training scripts."""
    splits, syn, usage = _configs(files, hf)
    total = sum(info.counts.get(s, 0) for s in SPLITS)
    lines = ["---", "language:", "- ar", "- en", "task_categories:", "- translation", "multilinguality:", "- translation",
             "size_categories:", f"- {_size_category(total)}", "pretty_name: mt interview corpus (Arabic–English)"]
    if splits:
        lines += ["configs:", "- config_name: default", "  data_files:"]
        lines += [f"  - split: {s}\n    path: {f}" for s, f in splits.items()]
        if syn:
            lines += ["- config_name: synthetic", "  data_files:", f"  - split: train\n    path: {syn}"]
    lines += ["---", "", "# mt interview corpus: Arabic–English", "",
              "Interview articles aligned by [mt](https://example.invalid/mt) " + f"{__version__}: Arabic source articles and their",
              "published English translations, aligned turn by turn (question, answer, intro) and then sentence by sentence.",
              f"Each row is one aligned {info.level} pair.", "",
              "## Splits", "",
              "Splits are by article (no article has rows in two splits), decided by a hash of the article id and",
              f"the seed ({info.seed}), so a rerun gives the same splits. Duplicates are removed from training data,",
              "never from validation or test, and a training row whose Arabic or English appears in validation or test",
              "is removed.", "",
              "| split | rows | articles |", "|---|---:|---:|"]
    for s in (*SPLITS, SYNTHETIC):
        if s in info.counts:
            lines.append(f"| {s} | {info.counts[s]} | {info.articles.get(s, 0)} |")
    lines += ["", "## Human and synthetic data", "",
              "`origin` is `human` when the Arabic is the published source. English articles that have no Arabic",
              "source were machine-translated into Arabic; those rows are `origin: synthetic`, kept in files of",
              "their own (`synthetic.*`" + (", the `synthetic` config" if syn else "") + ") and never mixed into train,",
              "validation or test." + (" `synthetic_by` says what made their Arabic:" if info.synthetic_by else ""), ""]
    for maker, n in sorted(info.synthetic_by.items()):
        gloss = maker.startswith("word glosses")
        lines.append(f"- {maker}: {n} rows" + (". **This Arabic is word-by-word glosses from a lexicon, not a translation**: "
                                              "use these rows to try a pipeline out, never to train or evaluate a model." if gloss else "."))
    if info.synthetic_by:
        lines.append("")
    lines += ["## Fields", "",
              "- `translation`: `{\"ar\": …, \"en\": …}`, the layout of Hugging Face translation datasets.",
              "- `id` (`<article>:<bead>`), `article`, `ar_article`, `split`, `date`.",
              "- `role`: the interview turn (`intro`, `question`, `answer`; `a+b` when a bead spans turns).",
              "- `kind`: how many Arabic and English segments the bead joins (`1-1`, `2-1`, …).",
              "- `score`: the aligner's probability that the bead is right; filter on it for cleaner data.",
              "- `status`: review state (`unreviewed`, `accepted`); rejected beads are never exported.",
              "- `origin`: `human` or `synthetic`.",
              "- `synthetic_by`: for synthetic rows, what made the Arabic (a model, or word glosses); empty otherwise.", "",
              "## Filtering", "",
              f"{info.selected} beads were considered" + (" (accepted ones only)" if info.only_accepted else "") + ". Removed:", ""]
    lines += [f"- {name}: {n}" for name, n in info.removed.items()] or ["- nothing"]
    lines += ["", "## Using it", ""]
    if usage:
        lines += ["```python", "from datasets import load_dataset", usage, "```", "",
                  "`load_dataset(\"<this folder>\")` reads the configs above. datasets caches a folder's data by its",
                  "name: after exporting again into the same folder, load the files by path as above, or pass",
                  "`download_mode=\"force_redownload\", verification_mode=\"no_checks\"`.", ""]
    lines += ["Files: " + ", ".join(f"`{f}`" for f in sorted(files)) + ".", "",
              "The transformers example `run_translation.py` accepts train files only with a `.json` or `.csv`",
              "extension: copy or link the `.jsonl` file you train on to a `.json` name (the content is already JSON lines).",
              "It also cuts",
              "targets at `--max_target_length` 128 tokens by default; answers in interviews run longer, so raise it",
              "or train on the sentence-level export.", ""]
    return "\n".join(lines)
