// mt review: every piece of article text is set with textContent, never parsed as HTML.
"use strict";

const csrf = document.querySelector('meta[name="mt-csrf"]').content;
const statusLine = document.getElementById("status");

function say(text, kind) {
  statusLine.textContent = text;
  statusLine.className = kind || "";
}

function reviewer() {
  return localStorage.getItem("mt-reviewer") || "";
}

async function api(path, body) {
  // the reviewer's name goes in the body: headers cannot carry non-Latin-1 names such as Arabic ones
  const init = body === undefined ? {} : {
    method: "POST",
    headers: {"Content-Type": "application/json", "X-MT-CSRF": csrf},
    body: JSON.stringify(Object.assign({reviewer: reviewer()}, body)),
  };
  const r = await fetch(path, init);
  let data;
  try { data = await r.json(); } catch (e) { data = {error: r.statusText}; }
  if (!r.ok) {
    const err = new Error(data.error || r.statusText);
    err.status = r.status;
    err.data = data;
    throw err;
  }
  return data;
}

function el(tag, attrs, text) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

const nameBox = document.getElementById("reviewer");
if (nameBox) {
  nameBox.value = reviewer();
  nameBox.addEventListener("change", () => localStorage.setItem("mt-reviewer", nameBox.value.trim()));
}

const root = document.getElementById("article");
if (root) articlePage(root.dataset.id);

function articlePage(articleId) {
  const list = document.getElementById("beads");
  const fStatus = document.getElementById("f-status");
  const fBelow = document.getElementById("f-below");
  const fSort = document.getElementById("f-sort");
  const counts = document.getElementById("counts");
  const conflict = document.getElementById("conflict");
  let beads = [];
  let selected = 0;
  let mode = null;        // null | "edit" | "split" | "comment"
  let pendingRetry = null;
  let undoEntry = null;
  const undoButton = document.getElementById("undo-button");
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", "aligned beads");
  let wantedId = location.hash.startsWith("#bead-") ? Number(location.hash.slice(6)) : null;

  async function load() {
    const q = new URLSearchParams();
    if (fStatus.value) q.set("status", fStatus.value);
    if (fBelow.value !== "") q.set("below", fBelow.value);
    q.set("sort", fSort.value);
    const data = await api(`/api/articles/${encodeURIComponent(articleId)}?${q}`);
    // the reviewer may have moved on while the request ran: keep what is selected now
    const keep = wantedId !== null ? wantedId : beads[selected] ? beads[selected].id : null;
    beads = data.beads;
    counts.textContent = `${data.counts.accepted} accepted · ${data.counts.rejected} rejected · ${data.counts.unreviewed} to review · ${data.total} beads`;
    undoEntry = data.undo ? data.undo.id : null;
    undoButton.disabled = !data.can_undo;
    // say what u will undo, and whose change it is: undo is per article, shared by all reviewers
    undoButton.textContent = data.undo ? `undo ${data.undo.action} by ${data.undo.who}` : "undo";
    const k = beads.findIndex(b => b.id === keep);
    selected = k >= 0 ? k : Math.min(selected, Math.max(0, beads.length - 1));
    wantedId = null;
    render();
  }

  function filtered() {
    return fStatus.value !== "" || fBelow.value !== "" || fSort.value !== "position";
  }

  function drafts() {
    // what the reviewer is typing survives a redraw (another request finishing, a reload of the list)
    const row = list.querySelector(".bead.selected");
    if (!row) return null;
    const get = sel => { const x = row.querySelector(sel); return x ? {value: x.value, start: x.selectionStart, end: x.selectionEnd} : null; };
    return {id: Number(row.dataset.id), en: get(".edit-en"), ar: get(".edit-ar"), comment: get(".comment-input")};
  }

  function render() {
    const draft = mode ? drafts() : null;
    list.replaceChildren();
    beads.forEach((b, i) => {
      const row = el("div", {class: `bead status-${b.status}` + (i === selected ? " selected" : ""), id: `bead-${b.id}`,
                             "data-id": b.id, "data-status": b.status, tabindex: "-1", role: "option",
                             "aria-selected": i === selected ? "true" : "false"});
      const meta = el("div", {class: "meta"});
      meta.append(el("span", {class: `badge ${b.status}`}, b.status),
                  el("span", {class: "score", title: "aligner's probability that this bead is right"}, b.score.toFixed(2)),
                  el("span", {class: "role"}, b.role), el("span", {class: "kind"}, b.kind));
      if (b.origin === "synthetic") meta.append(el("span", {class: "tag synthetic"}, "synthetic"));
      const en = el("div", {class: "side en", lang: "en", dir: "ltr"});
      const ar = el("div", {class: "side ar", lang: "ar", dir: "rtl"});
      if (i === selected && (mode === "edit" || mode === "split")) {
        const ta = (side, dir, lang) => {
          const label = (side === "en" ? "English" : "Arabic") + (mode === "split" ? ": put the cursor where it splits" : "");
          const t = el("textarea", {class: `edit-${side}`, dir, lang, rows: "4", "aria-label": label});
          const d = draft && draft.id === b.id ? draft[side] : null;
          t.value = d ? d.value : b[side];
          if (d) { t.selectionStart = d.start; t.selectionEnd = d.end; }
          if (mode === "split") t.readOnly = true;
          return t;
        };
        en.append(ta("en", "ltr", "en"));
        ar.append(ta("ar", "rtl", "ar"));
        const hint = mode === "edit" ? "Ctrl+Enter saves · Esc cancels" : "put the cursor where each side breaks · Enter splits · Esc cancels";
        meta.append(el("span", {class: "hint"}, hint));
      } else {
        en.append(b.en ? el("p", {class: "text"}, b.en) : el("p", {class: "empty"}, "(no English)"));
        if (b.mt) en.append(el("p", {class: "mt", title: "machine translation of the Arabic"}, b.mt));
        ar.append(b.ar ? el("p", {class: "text"}, b.ar) : el("p", {class: "empty", lang: "en", dir: "ltr"}, "(no Arabic)"));
      }
      row.append(meta, en, ar);
      if (b.comment || (i === selected && mode === "comment")) {
        const box = el("div", {class: "comment"});
        if (i === selected && mode === "comment") {
          const input = el("input", {class: "comment-input", placeholder: "comment (Enter saves, Esc cancels)", maxlength: "2000",
                                     "aria-label": "comment"});
          input.value = draft && draft.id === b.id && draft.comment ? draft.comment.value : b.comment;
          box.append(input);
        } else {
          box.textContent = "💬 " + b.comment;
        }
        row.append(box);
      }
      row.addEventListener("click", () => { if (mode === null && selected !== i) select(i); });
      list.append(row);
    });
    const current = list.children[selected];
    if (current) {
      current.scrollIntoView({block: "nearest"});
      const focus = current.querySelector(mode === "comment" ? ".comment-input" : "textarea");
      if (focus) focus.focus(); else current.focus({preventScroll: true});
    }
  }

  let busy = 0;
  function working(delta) {
    busy += delta;
    root.dataset.busy = busy > 0 ? "1" : "0";  // tests and scripts wait for "0"
  }

  function select(i) {
    // moving the selection only restyles two rows: no redraw of a long article
    const rows = list.children;
    if (rows[selected]) { rows[selected].classList.remove("selected"); rows[selected].setAttribute("aria-selected", "false"); }
    selected = i;
    const row = rows[selected];
    if (row) {
      row.classList.add("selected");
      row.setAttribute("aria-selected", "true");
      row.scrollIntoView({block: "nearest"});
      row.focus({preventScroll: true});
    }
  }

  async function run(op, body, label) {
    const b = beads[selected];
    if (!b) return;
    working(1);
    try {
      await api(`/api/beads/${b.id}/${op}`, Object.assign({article: articleId}, body));
      conflict.hidden = true;
      mode = null;  // the edit, split or comment is saved: leave its mode
      await load();
      say(label, "ok");
    } catch (err) {
      if (err.status === 409) showConflict(err.data, body, () => run(op, refreshVersions(op, body, err.data), label));
      else say(err.message, "error");
    } finally {
      working(-1);
    }
  }

  function refreshVersions(op, body, data) {
    const fresh = Object.assign({}, body);
    for (const cur of data.current || []) {
      if (beads[selected] && cur.id === beads[selected].id) fresh.version = cur.version;
      else if ("next_version" in fresh) fresh.next_version = cur.version;
      else if ("other_version" in fresh) fresh.other_version = cur.version;
    }
    return fresh;
  }

  function showConflict(data, body, retry) {
    const theirs = (data.current || []).map(c => `EN: ${c.en}\nAR: ${c.ar}\nstatus: ${c.status}`).join("\n\n");
    const yours = Object.entries(body).filter(([k]) => !k.endsWith("version")).map(([k, v]) => `${k}: ${v}`).join("\n");
    document.getElementById("conflict-theirs").textContent = theirs || "(the bead is gone: merged or deleted)";
    document.getElementById("conflict-yours").textContent = yours;
    conflict.hidden = false;
    pendingRetry = retry;
    say(data.error, "error");
  }

  document.getElementById("conflict-theirs-btn").addEventListener("click", async () => { conflict.hidden = true; pendingRetry = null; await load(); });
  document.getElementById("conflict-mine-btn").addEventListener("click", async () => {
    conflict.hidden = true;
    const retry = pendingRetry;
    pendingRetry = null;
    if (retry) await retry();
  });

  async function undo() {
    working(1);
    try {
      const r = await api(`/api/articles/${encodeURIComponent(articleId)}/undo`, undoEntry === null ? {} : {entry: undoEntry});
      await load();
      say(`undone (change #${r.undid})`, "ok");
    } catch (err) {
      say(err.message, "error");
      if (err.status === 409) await load();
    } finally { working(-1); }
  }

  function neighbourVersion(step) {
    const k = selected + step;
    return beads[k] ? beads[k].version : 0;
  }

  function neighbourId(step) {
    const k = selected + step;
    return beads[k] ? beads[k].id : null;
  }

  function move(side, direction) {
    const b = beads[selected];
    const step = direction === "next" ? 1 : -1;
    run("move", {side, direction, version: b.version, other_version: neighbourVersion(step), other_id: neighbourId(step)},
        `moved a sentence ${direction === "next" ? "forward" : "back"}`);
  }

  function nextUnreviewed() {
    for (let k = selected + 1; k < beads.length; k++) {
      if (beads[k].status === "unreviewed") { select(k); return; }
    }
    location.href = `/next?after=${encodeURIComponent(articleId)}`;
  }

  undoButton.addEventListener("click", undo);
  for (const f of [fStatus, fBelow, fSort]) {
    f.addEventListener("change", () => { working(1); load().catch(e => say(e.message, "error")).finally(() => working(-1)); });
  }
  document.getElementById("filters").addEventListener("submit", e => e.preventDefault());

  document.addEventListener("keydown", e => {
    const b = beads[selected];
    if (mode === "edit") {
      if (e.key === "Escape") { mode = null; render(); }
      else if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        const row = list.children[selected];
        // only the sides that were changed: a conflict resolved "mine on top" keeps the other reviewer's other side
        const body = {version: b.version};
        for (const side of ["ar", "en"]) {
          const value = row.querySelector(`.edit-${side}`).value;
          if (value !== b[side]) body[side] = value;
        }
        if (!("ar" in body) && !("en" in body)) { mode = null; render(); say("nothing changed"); return; }
        run("edit", body, "saved");
      }
      return;
    }
    if (mode === "split") {
      if (e.key === "Escape") { mode = null; render(); }
      else if (e.key === "Enter") {
        e.preventDefault();
        const row = list.children[selected];
        // the server counts characters; the browser counts UTF-16 units (an emoji is two)
        const at = ta => [...ta.value.slice(0, ta.selectionStart)].length;
        run("split", {ar_at: at(row.querySelector(".edit-ar")), en_at: at(row.querySelector(".edit-en")), version: b.version}, "split");
      }
      return;
    }
    if (mode === "comment") {
      if (e.key === "Escape") { mode = null; render(); }
      else if (e.key === "Enter") {
        e.preventDefault();
        run("comment", {text: list.children[selected].querySelector(".comment-input").value, version: b.version}, "comment saved");
      }
      return;
    }
    if (e.target.matches("input, select, textarea") || e.ctrlKey || e.metaKey || e.altKey) return;
    const neighbourOps = "m[]{}";
    if (neighbourOps.includes(e.key) && filtered()) {
      e.preventDefault();
      say("merging and moving need every bead in order: set status to all, clear the score, sort by position", "error");
      return;
    }
    if (busy > 0 && !"jk?".includes(e.key)) {
      // one change at a time: the next one needs the version the last one produced
      e.preventDefault();
      say("saving… one moment", "");
      return;
    }
    const keys = {
      j: () => { if (selected < beads.length - 1) select(selected + 1); },
      k: () => { if (selected > 0) select(selected - 1); },
      a: () => b && run("status", {status: "accepted", version: b.version}, "accepted"),
      r: () => b && run("status", {status: "rejected", version: b.version}, "rejected"),
      e: () => { if (b) { mode = "edit"; render(); } },
      s: () => { if (b) { mode = "split"; render(); } },
      c: () => { if (b) { mode = "comment"; render(); } },
      m: () => b && run("merge", {version: b.version, next_version: neighbourVersion(1), next_id: neighbourId(1)}, "merged with the next bead"),
      "]": () => b && move("en", "next"),
      "[": () => b && move("en", "prev"),
      "}": () => b && move("ar", "next"),
      "{": () => b && move("ar", "prev"),
      u: undo,
      n: nextUnreviewed,
      "?": () => document.getElementById("help").classList.toggle("hidden"),
    };
    const fn = keys[e.key];
    if (fn) { e.preventDefault(); fn(); }
  });

  working(1);
  load().catch(err => say(err.message, "error")).finally(() => working(-1));
}
