"""`fogmap serve`: the analyst's desk over a store, on this machine by default."""

from __future__ import annotations

import ipaddress
import os
import secrets
from pathlib import Path
from typing import Annotated

import typer

from fogmap.cli._app import DbOption, app, err, out
from fogmap.cli._output import line
from fogmap.errors import UsageError

TOKEN_VARIABLE = "FOGMAP_TOKEN"


def _token(token_file: Path | None, new_token: bool) -> str | None:
    """The operator's write token: from a file, the environment, or made now."""
    if token_file is not None:
        try:
            token = token_file.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise UsageError(f"cannot read the token file {token_file}: {exc.strerror}") from exc
        if len(token) < 16:
            raise UsageError(f"{token_file}: a token of at least 16 characters")
        return token
    if new_token:
        return secrets.token_urlsafe(24)
    token = os.environ.get(TOKEN_VARIABLE, "").strip()
    if token and len(token) < 16:
        raise UsageError(f"{TOKEN_VARIABLE}: a token of at least 16 characters")
    return token or None


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[
        str, typer.Option(help="Address to listen on; another than loopback shares the desk.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    token_file: Annotated[
        Path | None,
        typer.Option(
            "--token-file",
            help=f"A file holding the token that lets coders review and upload (or set "
            f"{TOKEN_VARIABLE}); without one the desk only reads.",
        ),
    ] = None,
    new_token: Annotated[
        bool, typer.Option("--new-token", help="Make a token for this run and print it.")
    ] = False,
    tiles: Annotated[
        str | None,
        typer.Option(
            help="An online tile URL ({z}/{x}/{y}) for the map; by default the packaged "
            "offline tiles (zoom 0-6) and country outlines."
        ),
    ] = None,
) -> None:
    """The analyst's desk: map, timeline, incidents, articles and reviews in a browser,
    with an HTTP API under /api/."""
    import uvicorn

    from fogmap.web import DeskSettings, create_app

    token = _token(token_file, new_token)
    if tiles is not None and not tiles.startswith(("https://", "http://")):
        raise UsageError("--tiles: an http(s) URL with {z}, {x} and {y}")
    application = create_app(DeskSettings(db=db, token=token, tile_url=tiles))
    if not _loopback(host):
        err.print(line(("note", "yellow"), f" listening on {host}: others on the network can read"))
    shown = f"[{host}]" if ":" in host else host
    out.print(line(("fogmap desk", "bold"), f" on http://{shown}:{port}/"))
    if new_token:
        out.print(line("write token for this run: ", (token or "", "bold")))
    elif token is None:
        out.print(line(("read-only", "dim"), f": give --token-file or {TOKEN_VARIABLE} to review"))
    uvicorn.run(application, host=host, port=port, log_level="warning", server_header=False)
