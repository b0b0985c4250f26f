"""``mt review``."""

from __future__ import annotations

from pathlib import Path

import typer

from mt.cli.common import DbOption, missing_store, say


def review(
    db: Path = DbOption,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on. Anything but localhost needs a token."),
    port: int = typer.Option(8000, "--port", help="Port to listen on."),
    token: str | None = typer.Option(None, "--token", envvar="MT_REVIEW_TOKEN",
                                     help="Access token every request must carry; generated and printed for a non-local --host."),
) -> None:
    """Review aligned beads in the browser: side by side, keyboard-driven, every change saved with its history."""
    import secrets

    from mt.review.app import LOCAL_HOSTS, create_app

    missing_store(db)
    local = host in LOCAL_HOSTS
    if not local and not token:
        token = secrets.token_urlsafe(18)
    app = create_app(db, token=token, local_only=local)
    import uvicorn

    shown = f"[{host}]" if ":" in host and not host.startswith("[") else host
    url = f"http://{shown}:{port}/" + (f"?token={token}" if token else "")
    say(f"mt: reviewing {db} at {url} (Ctrl+C stops)")
    if not local:
        say("mt: warning: listening beyond this machine; share the address with the token only with reviewers")
    uvicorn.run(app, host=host, port=port, log_level="warning")
