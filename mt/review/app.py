"""The review web app (FastAPI, imported only when ``mt review`` runs): pages, a JSON API for every operation, and the security around them.

Article text is untrusted: templates autoescape, the page script only ever sets ``textContent``,
and a strict Content-Security-Policy forbids inline scripts. State-changing requests need a
per-store CSRF token (the same across restarts, so an open tab's pending edit still saves) in a
header and a same-origin ``Origin``; with ``token`` set (any non-local bind) every request needs
the access token. Nothing is served from the file system but the
app's own static files (script, style sheet, the Arabic webfont and its licence), chosen by name from a fixed table.
"""

from __future__ import annotations

import hmac
import threading
from collections import Counter
from dataclasses import asdict
from importlib import resources
from pathlib import Path
from urllib.parse import quote, urlparse

from fastapi import BackgroundTasks, FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from mt.errors import ConflictError, InputError, MtError, NotFoundError, StoreError
from mt.records import BEAD_STATUSES, CorpusBead
from mt.review import ops

PAGE = 50  # search results a page
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
# the Arabic face is shipped (Noto Naskh Arabic, SIL OFL 1.1, from the @fontsource package): a reviewer's machine
# may have no Naskh at all, and Arabic set in a fallback Latin font is hard to review
STATIC = {"app.js": "application/javascript", "app.css": "text/css", "noto-naskh-arabic-400.woff2": "font/woff2",
          "noto-naskh-arabic-700.woff2": "font/woff2", "noto-naskh-arabic-OFL.txt": "text/plain; charset=utf-8"}
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; "
       "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")


def hostname(host_header: str) -> str:
    """The host part of a Host header: ``[::1]:8000`` → ``[::1]``, ``localhost:8000`` → ``localhost``."""
    if host_header.startswith("["):
        return host_header.split("]")[0] + "]"
    return host_header.rsplit(":", 1)[0] if host_header.count(":") == 1 else host_header


def bead_json(b: CorpusBead | dict, glosses: set[int] | frozenset[int] = frozenset()) -> dict:
    """A bead for the page; ``glosses``: the article's beads whose Arabic is still a lexicon's word glosses."""
    from mt.translate.base import mt_label

    if isinstance(b, dict):  # a bead as the history keeps it
        b = CorpusBead.from_dict(b)
    kind, label = mt_label(b.mt_model)
    return {"gloss": b.stored_id in glosses, "id": b.id, "version": b.version, "ar": b.ar, "en": b.en, "mt": b.mt, "score": round(b.score, 4),
            "status": b.status, "role": b.role, "kind": b.kind, "comment": b.comment, "origin": b.origin,
            "turn": b.parent, "pos": b.pos, "mt_kind": kind if b.mt is not None else "none", "mt_label": label}


def _templates():
    from jinja2 import Environment, PackageLoader, select_autoescape

    return Environment(loader=PackageLoader("mt.review", "templates"), autoescape=select_autoescape(default=True))


def create_app(db: str | Path, *, token: str | None = None, local_only: bool = True, csrf: str | None = None):
    """The app over one store. ``token``: required on every request; ``local_only``: refuse other Host headers."""
    from mt.store import Store

    db = Path(db)
    if not db.exists():
        raise InputError("no such store; run `mt pipeline` first", str(db))
    with Store(db) as s:  # migrate once, before any request
        # one token per store, not per start: a tab opened before a restart still saves
        csrf = csrf or s.secret("csrf")
    env = _templates()
    app = FastAPI(title="mt review", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.csrf = csrf

    def store() -> Store:
        return Store(db)

    def error(status: int, message: str, **extra) -> JSONResponse:
        return JSONResponse({"error": message, **extra}, status_code=status)

    @app.middleware("http")
    async def guard(request: Request, call_next):
        host = hostname(request.headers.get("host") or "")
        if local_only and host not in LOCAL_HOSTS:
            return error(400, "this review server answers on localhost only")  # DNS rebinding
        if token:
            cookie = f"mt_token_{request.url.port or 80}"  # cookies ignore ports: one name per server
            auth = request.headers.get("authorization", "")
            given = (request.query_params.get("token") or (auth[7:] if auth.startswith("Bearer ") else "")
                     or request.cookies.get(cookie) or "")
            if not hmac.compare_digest(given.encode(), token.encode()):
                return error(401, "an access token is needed: open the address the server printed (with ?token=…)")
            if request.query_params.get("token") and request.method == "GET":
                # trade the token in the address for a cookie, so it does not stay in history or referrers
                resp = RedirectResponse(request.url.remove_query_params("token"), status_code=303)
                resp.set_cookie(cookie, token, httponly=True, samesite="strict")
                return resp
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            origin = request.headers.get("origin")
            if origin and urlparse(origin).netloc != request.headers.get("host"):
                return error(403, "cross-site request refused")
            if not hmac.compare_digest(request.headers.get("x-mt-csrf", "").encode(), csrf.encode()):
                return error(403, "missing or wrong CSRF token; reload the page")
            if not request.headers.get("content-type", "").startswith("application/json"):
                return error(415, "send JSON")
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cache-Control"] = "no-store"
        return response

    @app.exception_handler(MtError)
    async def mt_error(request: Request, exc: MtError):
        if isinstance(exc, ConflictError):
            return error(409, str(exc), current=[bead_json(b) for b in exc.current])
        if isinstance(exc, NotFoundError):
            return error(404, str(exc).replace(f" in {db}", ""))  # never the store's path
        if isinstance(exc, InputError):
            return error(400, str(exc))
        if isinstance(exc, StoreError):
            return error(500, str(exc))
        return error(400, str(exc))

    # -- pages ------------------------------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse)
    def index(done: int = 0, assignee: str | None = None):
        with store() as s:
            rows = article_rows(s)
            left = unpaired(s)
        names = sorted({r["assignee"] for r in rows if r["assignee"]})
        if assignee == "__all":
            assignee = None
        if assignee is not None:
            rows = [r for r in rows if r["assignee"] == assignee.strip() or (assignee == "" and not r["assignee"])]
        return env.get_template("index.html").render(articles=rows, csrf=csrf, done=bool(done), unpaired=left,
                                                     assignees=names, assignee=assignee)

    def run_search(q: str, lang: str | None, status: str | None, page: int):
        from mt.review.search import search

        with store() as s:  # search() refuses an unknown side or status
            return search(s, q, lang=lang or None, status=status or None, limit=PAGE, offset=max(page, 0) * PAGE)

    @app.get("/search", response_class=HTMLResponse)
    def search_page(q: str = "", lang: str = "", status: str = "", page: int = 0):
        from markupsafe import Markup

        from mt.review.search import highlight_html

        result, error = None, None
        if q.strip():
            try:
                result = run_search(q, lang, status, page)
            except InputError as e:
                error = str(e)
        hits = [{"hit": h, "ar": Markup(highlight_html(h.ar, h.ar_spans)),  # escaped by highlight_html, then marked
                 "en": Markup(highlight_html(h.en, h.en_spans))} for h in (result.hits if result else [])]
        return env.get_template("search.html").render(csrf=csrf, q=q, lang=lang, status=status, page=page, hits=hits,
                                                      total=result.total if result else 0, error=error, page_size=PAGE,
                                                      statuses=BEAD_STATUSES)

    @app.get("/api/search")
    def api_search(q: str, lang: str | None = None, status: str | None = None, page: int = 0):
        result = run_search(q, lang, status, page)
        return {"term": result.term, "total": result.total, "hits": [asdict(h) for h in result.hits]}

    @app.get("/progress", response_class=HTMLResponse)
    def progress_page():
        with store() as s:
            data = progress(s)
        return env.get_template("progress.html").render(csrf=csrf, **data)

    @app.get("/api/progress")
    def api_progress():
        with store() as s:
            return progress(s)

    @app.get("/articles/{en_id}", response_class=HTMLResponse)
    def article_page(en_id: str):
        with store() as s:
            art = s.get_article(en_id)
            line = lineage(s, en_id)
            if line[0] != en_id:
                # one address per article: any version's id leads to it, and it shows the current version
                return RedirectResponse(f"/articles/{quote(line[0], safe='')}", status_code=301)
            current = s.get_article(line[-1])
            pairs = s.pairs()
            pair = next((p for p in pairs if p.en_id == current.id), None)
            beads = s.beads(current.id) if art.lang == "en" else []
            has_beads = bool(beads)
            glossed = bool(unedited_glosses(s, current.id, beads)) if pair and pair.ar_id is None else False
            assignee = assignee_of(s.assignments(), line)
        if art.lang != "en" or not has_beads:
            # an Arabic id, or an English article the pairing left out: say what it is
            source_of = next((p.en_id for p in pairs if p.ar_id == en_id), None)
            return env.get_template("other.html").render(article=current, csrf=csrf, source_of=source_of, later=[],
                                                         pair=pair, key=line[0], earlier=line[:-1])
        return env.get_template("article.html").render(article=current, key=line[0], versions=line, glossed=glossed,
                                                       ar_id=pair.ar_id if pair else None, csrf=csrf, assignee=assignee)

    @app.get("/versions/{en_id}", response_class=HTMLResponse)
    def version_page(en_id: str):
        """An earlier version of a corrected file, as it was; the article's own page shows the current one."""
        with store() as s:
            art = s.get_article(en_id)
            line = lineage(s, en_id)
            later = line[line.index(en_id) + 1:]
        if not later:
            return RedirectResponse(f"/articles/{quote(line[0], safe='')}", status_code=303)
        return env.get_template("other.html").render(article=art, csrf=csrf, source_of=None, later=later, pair=None,
                                                     key=line[0], version=line.index(en_id) + 1)

    @app.get("/static/{name}")
    def static(name: str):
        if name not in STATIC:
            return error(404, "not found")
        data = resources.files("mt.review").joinpath("static", name).read_bytes()
        return Response(data, media_type=STATIC[name])

    @app.get("/next")
    def next_unreviewed(after: str | None = None):
        with store() as s:
            rows = article_rows(s)
            order = [(r["id"], r["current"]) for r in rows]
            k = next((i + 1 for i, (key, cur) in enumerate(order) if after in (key, cur)), 0)
            order = order[k:] + order[:k]  # the articles after this one first, this one last
            for key, en_id in order:
                for b in s.beads(en_id):
                    if b.status in ("unreviewed", "edited"):
                        return RedirectResponse(f"/articles/{quote(key, safe='')}#bead-{b.id}", status_code=303)
        return RedirectResponse("/?done=1", status_code=303)

    # -- machine translation of edited Arabic, in the background ---------------------------------------

    engines: dict[str, object] = {}
    translating = threading.Lock()

    def engine_for(s, tag: str):
        """The engine that made the article's other translations, if it still loads as the same engine here."""
        from mt.translate import load_engine

        if tag not in engines:
            spec, eng = s.engine_spec(tag), None
            if spec is not None:
                try:
                    eng = load_engine(spec["name"], spec["model"], spec["src"], spec["tgt"])
                except MtError:
                    eng = None
                if eng is not None and eng.tag != tag:
                    eng = None  # the model changed since: its output would not be what the label says
            engines[tag] = eng
        return engines[tag]

    def untranslated(s, en_id: str) -> tuple[list[CorpusBead], str | None]:
        beads = s.beads(en_id)
        tags = Counter(b.mt_model for b in beads if b.mt_model and b.origin == "human")
        todo = [b for b in beads if b.origin == "human" and b.ar.strip() and b.mt is None]
        return todo, tags.most_common(1)[0][0] if tags else None

    def retranslate(en_id: str) -> None:
        from mt.translate import Translator

        with translating, store() as s:  # one at a time: the models are shared
            todo, tag = untranslated(s, en_id)
            eng = engine_for(s, tag) if todo and tag else None
            if eng is None or tag is None:
                return
            out = Translator(eng, s).translate([b.ar for b in todo])
            s.set_bead_mt_if_same([(b.stored_id, b.ar, t.text, tag) for b, t in zip(todo, out)])

    def schedule(en_id: str, background: BackgroundTasks) -> list[int]:
        """Start translating the article's beads whose Arabic changed; the ids the page should fetch again."""
        with store() as s:
            todo, tag = untranslated(s, en_id)
            if not todo or not tag or engine_for(s, tag) is None:
                return []
        background.add_task(retranslate, en_id)
        return [b.stored_id for b in todo]

    # -- API --------------------------------------------------------------------------------------

    @app.get("/api/beads/{bead_id}")
    def api_bead(bead_id: int):
        with store() as s:
            b = s.bead(bead_id)
            return bead_json(b, unedited_glosses(s, b.en_id))

    @app.get("/api/csrf")
    def api_csrf():
        # for a page whose token no longer matches (the store was replaced): other sites cannot read this answer
        return {"csrf": csrf}

    @app.get("/api/articles")
    def api_articles():
        with store() as s:
            return {"articles": article_rows(s)}

    @app.get("/api/articles/{en_id}")
    def api_article(en_id: str, status: str | None = None, below: float | None = None, sort: str = "position"):
        with store() as s:
            s.get_article(en_id)  # 404 for an unknown article
            beads = s.beads(en_id)
            summary = tallies(s, en_id)
            glosses = unedited_glosses(s, en_id, beads)
        if status and status not in BEAD_STATUSES:
            raise InputError(f"unknown status {status!r}")
        shown = [b for b in beads if (not status or b.status == status) and (below is None or b.score < below)]
        if sort == "score":
            shown.sort(key=lambda b: b.score)
        elif sort != "position":
            raise InputError("sort must be 'position' or 'score'")
        return {"article": en_id, "beads": [bead_json(b, glosses) for b in shown], **summary}

    @app.get("/api/articles/{en_id}/history")
    def api_history(en_id: str):
        with store() as s:
            s.get_article(en_id)
            line = lineage(s, en_id)
            # the article's history is every version's: the work done on an earlier one stays where it was done
            return {"history": [{**asdict(h), "version": k} for k, v in enumerate(line, 1) for h in s.history(v)]}

    async def body(request: Request) -> dict:
        try:
            data = await request.json()
        except ValueError:
            raise InputError("the request body is not JSON") from None
        if not isinstance(data, dict):
            raise InputError("the request body must be a JSON object")
        return data

    def who(data: dict, request: Request) -> str:
        # in the JSON body: a header cannot carry an Arabic name (fetch allows only Latin-1 there)
        reviewer = data.get("reviewer")
        raw = reviewer if isinstance(reviewer, str) else request.headers.get("x-reviewer") or ""
        name = " ".join(raw.split())[:80]
        return name or "anonymous"

    def number(data: dict, key: str) -> int:
        v = data.get(key)
        if not isinstance(v, int) or isinstance(v, bool) or not -2**62 < v < 2**62:
            raise InputError(f"'{key}' must be an integer")
        return v

    def neighbour_checked(s, b, step: int, data: dict, key: str):
        """The bead next to ``b`` in article order, which must be the one the reviewer saw there."""
        other = s.neighbour(b, step)
        seen = data.get(key)
        if other is not None and seen is not None and seen != other.id:
            raise ConflictError("the neighbouring bead is not the one on your screen (a filter or sort hides beads "
                                "between them, or the article changed); show all beads by position and try again")
        return other

    def operate(bead_id: int, op: str, data: dict, request: Request) -> dict:
        if not 0 < bead_id < 2**62:
            raise NotFoundError(f"no bead {bead_id}")
        with store() as s:
            found = s.bead_or_none(bead_id)
            if found is None:
                gone = s.removed_by(bead_id)
                if gone is None:
                    raise NotFoundError(f"no bead {bead_id}")
                # merged away or emptied by someone else: a conflict to resolve, not a missing page
                now = [c for d in gone.after if (c := s.bead_or_none(d["id"])) is not None]
                raise ConflictError(f"bead {bead_id} is gone: {gone.who} did a {gone.action} (change #{gone.id}) after you "
                                    f"loaded it; its text is now in {', '.join(f'bead {c.id}' for c in now) or 'no bead'}", now)
            b = found
            current_version(s, b.en_id)
            if b.level != "sentence":
                raise InputError("only sentence beads are reviewed here")
            if isinstance(data.get("article"), str) and data["article"] != b.en_id:
                raise ConflictError(f"bead {bead_id} is not in article {data['article']}; reload the page")
            # never the whole article: on a long one, loading every bead was most of a change's time
            if op == "status":
                if data.get("status") == "accepted" and data.get("confirm_gloss") is not True and b.origin == "synthetic" \
                        and b.stored_id in unedited_glosses(s, b.en_id):
                    raise InputError("this bead's Arabic is word glosses, not a translation: edit it before accepting "
                                     "(or confirm that you accept glosses)")
                change = ops.set_status(b, data.get("status"), number(data, "version"))
                if data.get("status") == b.status and number(data, "version") == b.version:
                    # accepting what is already accepted changes nothing: no new version, no history
                    glosses = unedited_glosses(s, b.en_id) if b.origin == "synthetic" else set()
                    return {"ok": True, "history": None, "changed": [bead_json(b, glosses)],
                            "article": b.en_id, "deleted": [], **tallies(s, b.en_id)}
            elif op == "edit":
                change = ops.edit(b, {k: data[k] for k in ops.SIDES if k in data}, number(data, "version"),
                                  editor=who(data, request), approver=s.status_setter(b.en_id, b.stored_id))
            elif op == "merge":
                nxt = neighbour_checked(s, b, +1, data, "next_id")
                change = ops.merge(b, nxt, number(data, "version"), number(data, "next_version") if nxt else 0)
            elif op == "split":
                change = ops.split(b, s.neighbour(b, +1), number(data, "ar_at"), number(data, "en_at"),
                                   number(data, "version"))
            elif op == "move":
                direction = data.get("direction")
                other = neighbour_checked(s, b, +1 if direction == "next" else -1, data, "other_id")
                change = ops.move(b, other, data.get("side"), direction, number(data, "version"),
                                  number(data, "other_version") if other else 0)
            elif op == "comment":
                change = ops.comment(b, data.get("text"), number(data, "version"))
            else:
                raise NotFoundError(f"no operation {op!r}")
            entry = s.apply_change(b.en_id, change.action, who(data, request), expected=change.expected,
                                   upserts=change.upserts, deletes=change.deletes, note=change.note)
            # the page reloads the article with its own filters; the changed beads are what this answer carries
            # what the page needs to redraw only these beads: the changed ones, the removed ones, the article's tallies
            after = {d["id"] for d in entry.after}
            glosses = unedited_glosses(s, b.en_id) if b.origin == "synthetic" else set()
            return {"ok": True, "history": entry.id, "changed": [bead_json(d, glosses) for d in entry.after], "article": b.en_id,
                    "deleted": [d["id"] for d in entry.before if d["id"] not in after], **tallies(s, b.en_id)}

    def holder(s, bead_id: int, base: dict[str, str], hops: int = 0):
        """Where a bead's text is now: the bead itself, or (merged away) the bead that took it; and the change that moved it."""
        from mt.review.merge import locate

        b = s.bead_or_none(bead_id)
        if b is not None:
            return b, None
        gone = s.removed_by(bead_id)
        if gone is None or hops > 8:
            raise NotFoundError(f"no bead {bead_id}")
        now = []
        for d in gone.after:  # a bead that took the text may itself have been merged on since
            c, _ = holder(s, d["id"], base, hops + 1) if d["id"] != bead_id else (None, None)
            if c is not None and c.en_id == gone.en_id:
                now.append(c)
        if not now:
            raise ConflictError(f"bead {bead_id} is gone: {gone.who} did a {gone.action} (change #{gone.id}); its text is in no bead now")

        def share(c) -> float:  # how much of the reviewer's text the bead holds
            got = 0
            for side, text in base.items():
                lo, hi = locate(text, getattr(c, side))
                got += min(hi - lo, len(text)) if text.strip() else 0
            return got
        return max(now, key=share), gone

    def combine(bead_id: int, data: dict) -> dict:
        """A reviewer's edit that was refused (someone changed the bead first) combined with what is saved now."""
        from mt.review.merge import as_json, locate, merge3

        def texts(name: str) -> dict[str, str]:
            d = data.get(name)
            if not isinstance(d, dict) or not d or any(k not in ops.SIDES or not isinstance(v, str) or len(v) > ops.MAX_TEXT
                                                       for k, v in d.items()):
                raise InputError(f"'{name}' must map 'en' and/or 'ar' to the text")
            return d

        base, mine = texts("base"), texts("mine")
        if set(mine) - set(base):
            raise InputError("'base' must hold each side of 'mine' as it was loaded")
        with store() as s:
            target, gone = holder(s, bead_id, {k: base[k] for k in mine})
            current_version(s, target.en_id)
        sides = {}
        for side, text in mine.items():
            theirs = getattr(target, side)
            lo, hi = locate(base[side], theirs) if gone is not None else (0, len(theirs))
            # inside a merged bead the rest of its text is the same in all three: only the reviewer's sentence differs
            m = merge3(theirs[:lo] + base[side] + theirs[hi:], theirs[:lo] + text + theirs[hi:], theirs)
            sides[side] = {**as_json(m), "context": [lo, len(theirs) - hi]}
        return {"target": bead_json(target), "moved": None if gone is None else
                {"who": gone.who, "action": gone.action, "change": gone.id}, "sides": sides}

    @app.post("/api/beads/{bead_id}/combine")
    async def api_combine(bead_id: int, request: Request):
        data = await body(request)
        return await run_in_threadpool(combine, bead_id, data)

    @app.post("/api/beads/{bead_id}/{op}")
    async def api_op(bead_id: int, op: str, request: Request, background: BackgroundTasks):
        data = await body(request)
        # the store may wait on a lock (a pipeline run): in a worker thread, so other requests go on
        answer = await run_in_threadpool(operate, bead_id, op, data, request)
        if answer.get("history") is not None and op in ("edit", "merge", "split", "move"):
            answer["translating"] = await run_in_threadpool(schedule, answer["article"], background)
        return answer

    def undo(en_id: str, data: dict, request: Request) -> dict:
        with store() as s:
            s.get_article(en_id)
            current_version(s, en_id)
            entry_id = data.get("entry")
            change, undone = ops.undo_change(s, en_id, number(data, "entry") if entry_id is not None else None)
            entry = s.apply_change(en_id, "undo", who(data, request), expected=change.expected, upserts=change.upserts,
                                   deletes=change.deletes, note=change.note, undoes=undone)
            after = {d["id"] for d in entry.after}
            glosses = unedited_glosses(s, en_id) if any(d.get("origin") == "synthetic" for d in entry.after) else set()
            return {"ok": True, "history": entry.id, "undid": undone, "changed": [bead_json(d, glosses) for d in entry.after],
                    "deleted": [d["id"] for d in entry.before if d["id"] not in after], **tallies(s, en_id)}

    def assign(en_id: str, data: dict, request: Request) -> dict:
        name = data.get("assignee")
        if not isinstance(name, str):
            raise InputError("'assignee' must be a name (empty to unassign)")
        name = " ".join(name.split())[:80]
        with store() as s:
            s.get_article(en_id)
            line = lineage(s, en_id)
            for v in line[1:]:
                s.assign(v, "", who(data, request))  # an article is assigned once, under its first id, across versions
            s.assign(line[0], name, who(data, request))
        return {"ok": True, "assignee": name or None}

    @app.post("/api/articles/{en_id}/assign")
    async def api_assign(en_id: str, request: Request):
        data = await body(request)
        return await run_in_threadpool(assign, en_id, data, request)

    # -- work a re-ingest could not carry to this version -------------------------------------------

    def stranded_json(s, en_id: str) -> list[dict]:
        from mt.review.carry import BOUND, Work, best_run, merge_work, merged_texts, reapplied
        from mt.review.merge import as_json

        beads = s.beads(en_id)
        out = []
        for w in s.stranded([en_id, *s.earlier_versions(en_id)]):
            work = Work(w.old_en_id, tuple(w.beads), tuple(w.entries), (), (),
                        tuple(map(CorpusBead.from_dict, w.original)), tuple(map(CorpusBead.from_dict, w.final)))
            run, likeness = best_run(beads, work) if work.original else ((), 0.0)
            shown = {b.stored_id: b.version for b in run}
            side = lambda d: {k: d[k] for k in ("ar", "en", "status", "comment")}  # noqa: E731
            merged, result = {}, None
            if run and work.final:
                # the work onto the corrected text: what reapply will write, and where a person must choose
                merges = merge_work(work, run)
                merged = {k: {**as_json(m), "bound": BOUND} for k, m in merges.items()}
                if all(m.clean for m in merges.values()):
                    result = [side(asdict(b)) for b in reapplied(work, merged_texts(merges, len(work.final)))]
            out.append({"id": w.id, "old": w.old_en_id, "reason": w.reason, "entries": w.entries, "created_at": w.created_at,
                        "original": [side(d) for d in w.original], "final": [side(d) for d in w.final],
                        "current": [side(asdict(b)) for b in run], "merge": merged, "result": result,
                        "target": [b.id for b in run], "versions": shown, "likeness": round(likeness, 3)})
        return out

    @app.get("/api/articles/{en_id}/stranded")
    def api_stranded(en_id: str):
        with store() as s:
            s.get_article(en_id)
            return {"stranded": stranded_json(s, en_id)}

    def resolve(item_id: int, action: str, data: dict, request: Request) -> dict:
        from mt.review.carry import reapply

        with store() as s:
            item = s.stranded_item(item_id)
            en_id = data.get("article")
            if not isinstance(en_id, str) or en_id not in (item.new_en_id, *s.later_versions(item.new_en_id)):
                raise InputError("say which article (a version of the one the work was meant for) it goes to")
            if action == "discard":
                s.resolve_stranded(item_id, "discarded", who(data, request))
                return {"ok": True, "discarded": item_id}
            if action != "reapply":
                raise NotFoundError(f"no operation {action!r}")
            seen = data.get("target")
            if seen is not None and (not isinstance(seen, dict) or not all(isinstance(v, int) for v in seen.values())):
                raise InputError("'target' must map the offered bead ids to the versions shown")
            choices = data.get("choices")
            if choices is not None and (not isinstance(choices, dict) or not all(
                    k in ops.SIDES and isinstance(v, list) and all(isinstance(x, str) for x in v) for k, v in choices.items())):
                raise InputError("'choices' must map a side to a list of 'mine' or 'theirs', one for each conflict")
            entry, run, likeness = reapply(s, item_id, en_id, who(data, request),
                                           {int(k): v for k, v in seen.items()} if seen else None, choices)
            return {"ok": True, "history": entry.id, "replaced": [b.id for b in run], "likeness": round(likeness, 3),
                    "changed": [bead_json(d) for d in entry.after]}

    @app.post("/api/stranded/{item_id}/{action}")
    async def api_resolve(item_id: int, action: str, request: Request):
        data = await body(request)
        return await run_in_threadpool(resolve, item_id, action, data, request)

    def realign_article(en_id: str, data: dict, request: Request) -> dict:
        from mt.review.realign import realign

        turn = number(data, "turn") if data.get("turn") is not None else None
        after = number(data, "after") if data.get("after") is not None else None
        with store() as s:
            s.get_article(en_id)
            current_version(s, en_id)
            seen = data.get("changes")
            if seen is not None and number(data, "changes") != s.history_count(en_id):
                # someone changed the article since this page loaded it: what it would re-align around is not what is shown
                raise ConflictError("the article changed since you loaded it; reload it, then re-align", [])
            before = {b.stored_id for b in s.beads(en_id)}
            plan, entry = realign(s, en_id, who(data, request), turn=turn, after=after)
            now = s.beads(en_id)
            glosses = unedited_glosses(s, en_id, now) if any(b.origin == "synthetic" for b in now) else set()
            return {"ok": True, "history": entry.id if entry else None, "realigned": plan.changed, "line": plan.line(),
                    "changed": [bead_json(b, glosses) for b in now if b.stored_id not in before],
                    "deleted": list(plan.deletes), **tallies(s, en_id)}

    @app.post("/api/articles/{en_id}/realign")
    async def api_realign(en_id: str, request: Request, background: BackgroundTasks):
        data = await body(request)
        answer = await run_in_threadpool(realign_article, en_id, data, request)
        if answer["history"] is not None:
            answer["translating"] = await run_in_threadpool(schedule, en_id, background)
        return answer

    @app.post("/api/articles/{en_id}/undo")
    async def api_undo(en_id: str, request: Request):
        data = await body(request)
        return await run_in_threadpool(undo, en_id, data, request)

    return app


def unedited_glosses(s, en_id: str, beads: list[CorpusBead] | None = None) -> set[int]:
    """The beads of a synthetic article whose Arabic is still the lexicon's word glosses: nobody has edited it."""
    from mt.translate.base import mt_label

    beads = s.beads(en_id) if beads is None else beads
    glossed = {b.stored_id for b in beads if b.origin == "synthetic" and mt_label(b.mt_model)[0] == "gloss"}
    if not glossed:
        return glossed
    history = s.history(en_id)
    undone = {h.undoes for h in history if h.undoes}
    # an edit of the Arabic that stands (not undone) made the bead a person's text
    edited = {d["id"] for h in history if h.action == "edit" and h.id not in undone and "ar" in h.note.split("+")
              for d in h.after}
    return glossed - edited


def lineage(s, en_id: str) -> list[str]:
    """An article's versions, first to current: the first one's id is the article's id in the app."""
    return [*s.earlier_versions(en_id), en_id, *s.later_versions(en_id)]


def assignee_of(assigned: dict[str, str], line: list[str]) -> str | None:
    return next((assigned[v] for v in reversed(line) if v in assigned), None)


def current_version(s, en_id: str) -> None:
    """Refuse changes to an earlier version of a corrected file: its work would be neither exported nor carried."""
    later = s.later_versions(en_id)
    if later:
        raise ConflictError(f"{en_id} is an earlier version of a corrected file; review the current version, {later[-1]}, "
                            "instead (its page lists this version's work that could not be carried)")


def tallies(s, en_id: str) -> dict:
    """An article's counts by status, its number of changes, and the change ``u`` would undo."""
    counts = {**dict.fromkeys(BEAD_STATUSES, 0), **s.status_counts(en_id)}
    undo = s.undoable(en_id)
    return {"total": sum(counts.values()), "counts": counts, "changes": s.history_count(en_id), "can_undo": undo is not None,
            "undo": {"id": undo.id, "action": undo.action, "who": undo.who, "at": undo.at} if undo else None}


def article_rows(s) -> list[dict]:
    """The review overview: every paired or synthetic article with its progress, who it is assigned to, and
    how much reviewed work a re-ingest left to reapply."""
    rows = []
    assigned = s.assignments()
    open_work: dict[str, int] = {}
    for w in s.stranded():
        open_work[w.new_en_id] = open_work.get(w.new_en_id, 0) + 1
    touched = s.last_touched_by()
    for p in s.pairs():
        if s.later_versions(p.en_id):
            continue  # an earlier version: its article is listed once, as its current version
        beads = s.beads(p.en_id)
        if not beads:
            continue
        art = s.get_article(p.en_id)
        line = lineage(s, p.en_id)
        counts = {k: sum(1 for b in beads if b.status == k) for k in BEAD_STATUSES}
        stranded = sum(open_work.get(v, 0) for v in line)
        rows.append({"id": line[0], "current": p.en_id, "version": len(line), "ar_id": p.ar_id, "title": art.title or p.en_id,
                     "date": art.date, "beads": len(beads),
                     "synthetic": p.ar_id is None, **counts, "assignee": assignee_of(assigned, line), "stranded": stranded,
                     "reviewed": sum(1 for b in beads if b.stored_id in touched),
                     "reviewers": sorted({touched[b.stored_id] for b in beads if b.stored_id in touched}),
                     "done": round(100 * (counts["accepted"] + counts["rejected"]) / len(beads))})
    return rows


def unpaired(s) -> list[dict]:
    """Articles the pairing left out: English ones with no Arabic source and no synthetic beads, Arabic ones no English
    article came from."""
    pairs = s.pairs()
    paired_en = {p.en_id for p in pairs if p.ar_id}
    used_ar = {p.ar_id for p in pairs if p.ar_id}
    out = []
    for a in s.list_articles():
        if (a.lang == "en" and a.id not in paired_en and not s.beads(a.id)) or (a.lang == "ar" and a.id not in used_ar):
            if s.later_versions(a.id):
                continue  # an earlier version of a corrected file, not a missed pair
            out.append({"id": a.id, "lang": a.lang, "title": a.title or a.id, "date": a.date, "turns": a.turns})
    return out


def progress(s) -> dict:
    """Per reviewer and per article: beads reviewed (a person changed them last), and how many of those are accepted,
    rejected or edited now."""
    by = s.last_touched_by()
    titles = {a.id: a.title or a.id for a in s.list_articles("en")}
    reviewers: dict[str, dict] = {}
    articles: dict[tuple[str, str], dict] = {}
    lines: dict[str, list[str]] = {}
    for b in s.beads():
        name = by.get(b.stored_id)
        if name is None:
            continue
        line = lines.get(b.en_id) or lines.setdefault(b.en_id, lineage(s, b.en_id))
        if line[-1] != b.en_id:
            continue  # an earlier version's beads: the work counts where it is now (carried, or listed to reapply)
        for row in (reviewers.setdefault(name, dict.fromkeys(("reviewed", *BEAD_STATUSES), 0)),
                    articles.setdefault((b.en_id, name), dict.fromkeys(("reviewed", *BEAD_STATUSES), 0))):
            row["reviewed"] += 1
            row[b.status] += 1
    assigned = s.assignments()
    return {"reviewers": [{"reviewer": k, **v} for k, v in sorted(reviewers.items())],
            "articles": [{"article": lines[e][0], "title": titles.get(e, e), "reviewer": n,
                          "assigned": assignee_of(assigned, lines[e]) == n, **v} for (e, n), v in sorted(articles.items())],
            "assignments": [{"article": e, "reviewer": n} for e, n in sorted(assigned.items())]}
