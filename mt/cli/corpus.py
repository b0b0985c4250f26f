"""``mt corpus list``, ``mt corpus show`` and ``mt corpus search``."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import typer

from mt.cli.common import DbOption, write_output

app = typer.Typer(help="Look inside the corpus store.", no_args_is_help=True)


def _open(db: Path):
    from mt.errors import StoreError
    from mt.store import Store

    if not db.exists():
        raise StoreError(f"no corpus store at {db}; run `mt ingest` first or pass --db")
    return Store(db)


@app.command("list")
def list_(
    db: Path = DbOption,
    lang: str | None = typer.Option(None, "--lang", help="Only articles in this language (ar or en)."),
    as_json: bool = typer.Option(False, "--json", help="JSON lines instead of a table."),
) -> None:
    """List the stored articles."""
    with _open(db) as store:
        rows = store.list_articles(lang)
    if as_json:
        write_output("".join(json.dumps(asdict(r), ensure_ascii=False) + "\n" for r in rows), None)
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{len(rows)} articles in {db}", title_justify="left")
    for col in ("id", "lang", "date", "turns", "questions", "dropped", "title"):
        table.add_column(col, overflow="fold", no_wrap=col in ("id", "date"))
    for r in rows:
        table.add_row(r.id, r.lang, r.date or "", str(r.turns), str(r.questions), str(r.dropped), r.title or "")
    Console(highlight=False).print(table)


@app.command("show")
def show(
    article_id: str = typer.Argument(..., metavar="ID"),
    db: Path = DbOption,
    as_json: bool = typer.Option(False, "--json", help="The article as JSON (the shape `mt ingest` prints)."),
    dropped: bool = typer.Option(False, "--dropped", help="Also list what was removed and why."),
) -> None:
    """Show one stored article: metadata and turns."""
    with _open(db) as store:
        art = store.get_article(article_id)
    if as_json:
        write_output(json.dumps(art.to_dict(), ensure_ascii=False, indent=2) + "\n", None)
        return
    from rich.console import Console
    from rich.text import Text

    c = Console(highlight=False)
    c.print(Text(art.title or "(no title)", style="bold"))
    meta = [f"id {art.id}", f"lang {art.lang}", f"date {art.date or '?'}"]
    if art.byline.interviewer:
        meta.append(f"interviewer {art.byline.interviewer}")
    if art.byline.interviewee:
        meta.append(f"interviewee {art.byline.interviewee}")
    meta.append(f"file {art.source.path} ({art.source.format}, {art.source.encoding})")
    c.print(Text(" · ".join(meta), style="dim"))
    for t in art.turns:
        head = f"[{t.index}] {t.role}" + (f" ({t.speaker})" if t.speaker else "")
        c.print(Text(head, style="cyan"))
        c.print(Text(t.text))  # Text(): article text is never read as rich markup
    if dropped:
        c.print(Text(f"dropped ({len(art.dropped)})", style="yellow"))
        for d in art.dropped:
            c.print(Text(f"- {d.reason}: ", style="yellow") + Text(d.text))


@app.command("search")
def search(
    term: str = typer.Argument(..., metavar="TERM"),
    db: Path = DbOption,
    lang: str | None = typer.Option(None, "--lang", help="Search one side only: ar or en."),
    status: str | None = typer.Option(None, "--status", help="Only beads with this status (accepted, edited, unreviewed, rejected)."),
    limit: int = typer.Option(50, "--limit", min=1, help="Show at most this many beads."),
    as_json: bool = typer.Option(False, "--json", help="JSON lines (one bead each, with the matched spans) instead of a table."),
) -> None:
    """Find sentence beads by either side: Arabic matched without diacritics and letter variants, accepted beads first.

    The first search of a store builds its index; later ones update it for what changed."""
    from mt.review.search import merge_spans
    from mt.review.search import search as find

    with _open(db) as store:
        res = find(store, term, lang=lang, status=status, limit=limit)
    if as_json:
        write_output("".join(json.dumps(asdict(h), ensure_ascii=False) + "\n" for h in res.hits), None)
        return
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    def marked(text: str, spans) -> Text:
        t = Text(text)  # Text(): article text is never read as rich markup
        for a, b in merge_spans(spans, len(text)):
            t.stylize("bold reverse", a, b)
        return t

    shown = f"the first {len(res.hits)}" if len(res.hits) < res.total else "all"
    table = Table(title=f"{res.total} beads match {term!r} ({shown} shown)", title_justify="left")
    for col in ("id", "article", "status", "Arabic", "English"):
        table.add_column(col, overflow="fold", no_wrap=col in ("id", "status"))
    for h in res.hits:
        table.add_row(str(h.id), h.en_id, h.status, marked(h.ar, h.ar_spans), marked(h.en, h.en_spans))
    Console(highlight=False).print(table)
