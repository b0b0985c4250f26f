// mt review: every piece of article text is set with textContent, never parsed as HTML.
"use strict";

let csrf = document.querySelector('meta[name="mt-csrf"]').content;
const statusLine = document.getElementById("status");

function say(text, kind) {
  statusLine.textContent = text;
  statusLine.className = kind || "";
}

function reviewer() {
  return localStorage.getItem("mt-reviewer") || "";
}

async function refreshCsrf() {
  try {
    const r = await fetch("/api/csrf");
    if (!r.ok) return false;
    csrf = (await r.json()).csrf;
    return true;
  } catch (e) {
    return false;
  }
}

async function api(path, body, retried) {
  // the reviewer's name goes in the body: headers cannot carry non-Latin-1 names such as Arabic ones
  const init = body === undefined ? {} : {
    method: "POST",
    headers: {"Content-Type": "application/json", "X-MT-CSRF": csrf},
    body: JSON.stringify(Object.assign({reviewer: reviewer()}, body)),
  };
  let r;
  try {
    r = await fetch(path, init);
  } catch (e) {
    const err = new Error("the review server did not answer (is `mt review` still running?); your change is kept on this page");
    err.status = 0;
    err.data = {};
    throw err;
  }
  let data;
  try { data = await r.json(); } catch (e) { data = {error: r.statusText}; }
  if (r.status === 403 && body !== undefined && !retried && /CSRF/.test(data.error || "") && await refreshCsrf()) {
    return api(path, body, true);  // the server's token changed under this tab: fetch it, try once more
  }
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

// A word-level difference of two texts (longest common subsequence): [{op: "same"|"del"|"ins", text}].
function diffWords(a, b) {
  const x = a.split(/(\s+)/).filter(t => t !== ""), y = b.split(/(\s+)/).filter(t => t !== "");
  if (x.length * y.length > 4e6) return [{op: "del", text: a}, {op: "ins", text: b}];  // too long to compare word by word
  const n = x.length, m = y.length;
  const L = Array.from({length: n + 1}, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) L[i][j] = x[i] === y[j] ? L[i + 1][j + 1] + 1 : Math.max(L[i + 1][j], L[i][j + 1]);
  const out = [];
  const push = (op, text) => { if (out.length && out[out.length - 1].op === op) out[out.length - 1].text += text; else out.push({op, text}); };
  let i = 0, j = 0;
  while (i < n && j < m) {
    if (x[i] === y[j]) { push("same", x[i]); i++; j++; }
    else if (L[i + 1][j] >= L[i][j + 1]) push("del", x[i++]);
    else push("ins", y[j++]);
  }
  while (i < n) push("del", x[i++]);
  while (j < m) push("ins", y[j++]);
  return out;
}

// One side of a difference: the words only this side has are marked.
// A three-way merge of one side (chunks from the server): their changes and yours marked, each overlap a choice
// between the two that fills ``picks`` (the caller's array, one slot per conflict) and calls ``onPick``.
function mergeView(m, side, picks, onPick) {
  const box = el("div", {class: `diff merged ${side}`, lang: side, dir: side === "ar" ? "rtl" : "ltr"});
  const shown = t => m.bound ? t.split(m.bound).join("¶") : t;  // where one of the reviewer's beads ends
  const whole = m.chunks.map(c => c.theirs).join("");
  const lo = m.context ? m.context[0] : 0, hi = whole.length - (m.context ? m.context[1] : 0);
  let at = 0, k = 0;
  for (const c of m.chunks) {
    if (c.kind === "same" || c.kind === "both") {
      // the rest of a merged bead is the same in all three: shown greyed, outside the reviewer's sentence
      const t = c.theirs, a = Math.max(0, Math.min(t.length, lo - at)), b = Math.max(a, Math.min(t.length, hi - at));
      if (a > 0) box.append(el("span", {class: "context"}, t.slice(0, a)));
      box.append(document.createTextNode(t.slice(a, b)));
      if (b < t.length) box.append(el("span", {class: "context"}, t.slice(b)));
    } else if (c.kind === "theirs" || c.kind === "mine") {
      const now = c.kind === "theirs" ? c.theirs : c.mine, whose = c.kind === "theirs" ? "their" : "your";
      if (c.base.trim()) box.append(el("del", {class: c.kind, title: `${whose} change removed this`}, c.base));
      if (shown(now).trim() || !c.base.trim()) box.append(el("ins", {class: c.kind, title: `${whose} change`}, shown(now)));
    } else {
      const i = k++;
      const choice = el("span", {class: "choice", role: "group"});
      for (const [who, text] of [["theirs", c.theirs], ["mine", c.mine]]) {
        const opt = el("button", {type: "button", class: `pick ${who}`, "aria-pressed": "false", "data-side": side, "data-pick": who},
                       `${who === "mine" ? "yours" : "theirs"}: ${shown(text).trim() || "(nothing)"}`);
        opt.addEventListener("click", () => {
          picks[i] = who;
          for (const o of choice.querySelectorAll("button")) o.setAttribute("aria-pressed", String(o === opt));
          onPick();
        });
        choice.append(opt);
      }
      box.append(choice);
    }
    at += c.theirs.length;
  }
  return box;
}

function diffView(parts, keep, lang) {
  const box = el("div", {class: `diff ${lang}`, lang, dir: lang === "ar" ? "rtl" : "ltr"});
  for (const p of parts) {
    if (p.op === "same") box.append(document.createTextNode(p.text));
    else if (p.op === keep) box.append(el(keep === "del" ? "del" : "ins", {}, p.text));
  }
  return box;
}

const nameBox = document.getElementById("reviewer");
if (nameBox) {
  nameBox.value = reviewer();
  nameBox.addEventListener("change", () => localStorage.setItem("mt-reviewer", nameBox.value.trim()));
}

const help = document.getElementById("help");
function showKeys(on) {
  if (!help) return;
  help.classList.toggle("hidden", !on);
  document.body.classList.toggle("keys-hidden", !on);  // the columns take the width the panel leaves
  localStorage.setItem("mt-keys", on ? "1" : "0");
}
if (help) showKeys(localStorage.getItem("mt-keys") !== "0");

const root = document.getElementById("article");
if (root) articlePage(root.dataset.id);

function articlePage(articleId) {
  const list = document.getElementById("beads");
  const fStatus = document.getElementById("f-status");
  const fBelow = document.getElementById("f-below");
  const fSort = document.getElementById("f-sort");
  const fMt = document.getElementById("f-mt");
  const counts = document.getElementById("counts");
  const conflict = document.getElementById("conflict");
  const conflictHome = conflict.parentNode;
  const undoButton = document.getElementById("undo-button");
  let beads = [];
  const rows = new Map();  // bead id → its row
  let selected = 0;
  let mode = null;         // null | "edit" | "split" | "comment"
  let editing = null;      // {id, version}: the bead and the version the reviewer started from
  let pendingRetry = null;
  let undoEntry = null;
  let knownChanges = null;  // the article's number of changes as this page last saw it: re-align refuses if it moved on
  let translating = new Set();
  window.__mtTimings = [];  // what each change cost in this tab: eval/bench_review.py reads it
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", "aligned beads");
  let wantedId = location.hash.startsWith("#bead-") ? Number(location.hash.slice(6)) : null;
  fMt.checked = localStorage.getItem("mt-show-mt") !== "0";

  const draftKey = id => `mt-draft:${articleId}:${id}`;
  function saveDraft(id, draft) { localStorage.setItem(draftKey(id), JSON.stringify(draft)); }
  function loadDraft(id) { try { return JSON.parse(localStorage.getItem(draftKey(id)) || "null"); } catch (e) { return null; } }
  function dropDraft(id) { localStorage.removeItem(draftKey(id)); }

  function tallies(data) {
    const c = data.counts;
    counts.textContent = `${c.accepted} accepted · ${c.rejected} rejected · ${c.edited || 0} edited · ${c.unreviewed} to review · ${data.total} beads`;
    undoEntry = data.undo ? data.undo.id : null;
    knownChanges = data.changes;
    undoButton.disabled = !data.can_undo;
    // say what u will undo, and whose change it is: undo is per article, shared by all reviewers
    undoButton.textContent = data.undo ? `undo ${data.undo.action} by ${data.undo.who}` : "undo";
  }

  async function load() {
    const q = new URLSearchParams();
    if (fStatus.value) q.set("status", fStatus.value);
    if (fBelow.value !== "") q.set("below", fBelow.value);
    q.set("sort", fSort.value);
    const data = await api(`/api/articles/${encodeURIComponent(articleId)}?${q}`);
    // the reviewer may have moved on while the request ran: keep what is selected now
    const keep = wantedId !== null ? wantedId : beads[selected] ? beads[selected].id : null;
    beads = data.beads;
    tallies(data);
    const k = beads.findIndex(b => b.id === keep);
    selected = k >= 0 ? k : Math.min(selected, Math.max(0, beads.length - 1));
    wantedId = null;
    mtLabel();
    render();
    restoreDrafts();
  }

  function restoreDrafts() {
    // an edit typed before a reload, a restart or a lost connection is still here
    if (mode) return;
    for (let i = 0; i < beads.length; i++) {
      const d = loadDraft(beads[i].id);
      if (!d) continue;
      selected = i;
      mode = d.kind === "comment" ? "comment" : "edit";
      editing = {id: beads[i].id, version: d.version, base: d.base || null};
      redraw(beads[i].id);
      applySelection();
      say(beads[i].version === d.version ? "your unsaved change is back: save it, or Esc to drop it"
        : "your unsaved change is back, but the bead changed since: saving will show both versions", "error");
      return;
    }
  }

  function filtered() {
    return fStatus.value !== "" || fBelow.value !== "" || fSort.value !== "position";
  }

  function typeLabel(b) {
    // the bead type in the order of the columns on screen: English first
    const [ar, en] = b.kind.split("-");
    return `${en} English : ${ar} Arabic`;
  }

  function scoreClass(s) {
    return s < 0.5 ? "low" : s < 0.8 ? "mid" : "high";
  }

  function buildRow(b, i) {
    const prev = i > 0 ? beads[i - 1] : null;
    const row = el("div", {class: `bead status-${b.status}` + (i === selected ? " selected" : ""), id: `bead-${b.id}`,
                           "data-id": b.id, "data-status": b.status, tabindex: "-1", role: "option",
                           "aria-selected": i === selected ? "true" : "false"});
    if (!filtered() && (!prev || prev.turn !== b.turn)) {
      row.classList.add("turn-start");  // a new turn of the interview starts here
      row.append(el("div", {class: "turn-label"}, `turn ${b.turn === null ? "?" : b.turn + 1} · ${b.role}`));
    }
    const meta = el("div", {class: "meta"});
    // a synthetic bead was made, not aligned: it has no aligner's score to colour
    const score = b.origin === "synthetic"
      ? el("span", {class: "score none", title: "made by machine, not aligned: no alignment score"}, "no score")
      : el("span", {class: `score ${scoreClass(b.score)}`, title: "the aligner's probability that this bead is right"}, `score ${b.score.toFixed(2)}`);
    meta.append(el("span", {class: `badge ${b.status}`}, b.status), score,
                el("span", {class: "role"}, `role: ${b.role}`),
                el("span", {class: "kind", title: "how many sentences each side has"}, `type: ${typeLabel(b)}`));
    if (b.origin === "synthetic") meta.append(el("span", {class: "tag synthetic"}, "synthetic"));
    if (b.gloss) meta.append(el("span", {class: "tag gloss", role: "note"}, "word glosses: not a translation; edit before accepting"));
    const actions = el("span", {class: "actions"});
    for (const [key, label, title] of [["a", "accept", "accept (a)"], ["r", "reject", "reject (r)"], ["e", "edit", "edit (e)"],
                                       ["s", "split", "split (s)"], ["m", "merge ↓", "merge with the next bead (m)"],
                                       ["c", "comment", "comment (c)"]]) {
      actions.append(el("button", {type: "button", "data-key": key, title, "aria-label": `${title}, bead ${b.id}`}, label));
    }
    meta.append(actions);
    const en = el("div", {class: "side en", lang: "en", dir: "ltr"});
    const ar = el("div", {class: "side ar", lang: "ar", dir: "rtl"});
    const mine = i === selected && editing && editing.id === b.id;
    if (mine && (mode === "edit" || mode === "split")) {
      const draft = mode === "edit" ? loadDraft(b.id) : null;
      const ta = (side, dir, lang) => {
        const label = (side === "en" ? "English" : "Arabic") + (mode === "split" ? ": put the cursor where it splits" : "");
        const t = el("textarea", {class: `edit-${side}`, dir, lang, rows: "4", "aria-label": label});
        t.value = draft && draft.kind === "edit" && typeof draft[side] === "string" ? draft[side] : b[side];
        if (mode === "split") t.readOnly = true;
        else t.addEventListener("input", keepDraft);
        return t;
      };
      en.append(ta("en", "ltr", "en"));
      ar.append(ta("ar", "rtl", "ar"));
      const hint = mode === "edit" ? "Ctrl+Enter saves · Esc cancels" : "put the cursor where each side breaks · Enter splits · Esc cancels";
      meta.append(el("span", {class: "hint"}, hint));
    } else {
      en.append(b.en ? el("p", {class: "text"}, b.en) : el("p", {class: "empty"}, "(no English)"));
      if (fMt.checked && b.mt) {
        // glosses are named as glosses: never passed off as a translation
        const line = el("p", {class: `mt ${b.mt_kind}`, title: `made by ${b.mt_label}`});
        line.append(el("span", {class: "mt-label"}, b.mt_kind === "gloss" ? "word glosses: " : "MT: "), document.createTextNode(b.mt));
        en.append(line);
      } else if (fMt.checked && translating.has(b.id)) {
        en.append(el("p", {class: "mt pending"}, "translating the new Arabic…"));
      }
      ar.append(b.ar ? el("p", {class: "text"}, b.ar) : el("p", {class: "empty", lang: "en", dir: "ltr"}, "(no Arabic)"));
    }
    row.append(meta, en, ar);
    if (b.comment || (mine && mode === "comment")) {
      const box = el("div", {class: "comment"});
      if (mine && mode === "comment") {
        const input = el("input", {class: "comment-input", placeholder: "comment (Enter saves, Esc cancels)", maxlength: "2000",
                                   "aria-label": "comment"});
        const draft = loadDraft(b.id);
        input.value = draft && draft.kind === "comment" ? draft.text : b.comment;
        input.addEventListener("input", keepDraft);
        box.append(input);
      } else {
        box.textContent = "💬 " + b.comment;
      }
      row.append(box);
    }
    return row;
  }

  function keepDraft() {
    // every keystroke of an edit is kept in this browser until the server has it
    const row = editing && rows.get(editing.id);
    if (!row) return;
    if (mode === "comment") saveDraft(editing.id, {kind: "comment", version: editing.version, text: row.querySelector(".comment-input").value});
    else saveDraft(editing.id, {kind: "edit", version: editing.version, base: editing.base, en: row.querySelector(".edit-en").value,
                                ar: row.querySelector(".edit-ar").value});
  }

  function render() {
    // the whole list: on load and when a filter changes; a change redraws only its own beads
    conflictHome.append(conflict);
    rows.clear();
    const frag = document.createDocumentFragment();
    beads.forEach((b, i) => { const row = buildRow(b, i); rows.set(b.id, row); frag.append(row); });
    list.replaceChildren(frag);
    applySelection();
  }

  function redraw(id) {
    const k = beads.findIndex(b => b.id === id);
    const old = rows.get(id);
    if (k < 0 || !old) return;
    const row = buildRow(beads[k], k);
    const conflictHere = old.nextSibling === conflict;
    old.replaceWith(row);
    rows.set(id, row);
    if (conflictHere) row.after(conflict);
  }

  function applySelection(scroll = true) {
    for (const row of list.querySelectorAll(".bead.selected")) { row.classList.remove("selected"); row.setAttribute("aria-selected", "false"); }
    const b = beads[selected];
    const row = b && rows.get(b.id);
    if (!row) return;
    row.classList.add("selected");
    row.setAttribute("aria-selected", "true");
    if (scroll) row.scrollIntoView({block: "nearest"});
    const focus = mode ? row.querySelector(mode === "comment" ? ".comment-input" : mode === "split" ? "textarea.edit-en" : "textarea") : null;
    if (focus) focus.focus(); else row.focus({preventScroll: true});
  }

  function select(i) {
    // moving the selection only restyles two rows: no redraw of a long article
    if (i < 0 || i >= beads.length) return;
    selected = i;
    applySelection();
  }

  // Put a change's answer on screen: only the beads it changed, removed or added, and their neighbours' turn marks.
  function applyAnswer(data) {
    const keep = beads[selected] ? beads[selected].id : null;
    const gone = new Set(data.deleted || []);
    const added = [];
    for (const c of data.changed || []) {
      const k = beads.findIndex(b => b.id === c.id);
      if (k >= 0) beads[k] = c; else added.push(c);
    }
    if ((added.length || gone.size) && filtered()) return load();  // where a new bead goes in a filtered list is the server's to say
    const touched = new Set((data.changed || []).map(c => c.id));
    if (gone.size) {
      beads.forEach((b, i) => { if (gone.has(b.id) && beads[i + 1]) touched.add(beads[i + 1].id); });  // turn marks after a removed bead
      beads = beads.filter(b => !gone.has(b.id));
      for (const id of gone) { const row = rows.get(id); if (row) { if (row.nextSibling === conflict) conflictHome.append(conflict); row.remove(); } rows.delete(id); }
    }
    for (const c of added) {
      let k = beads.findIndex(b => b.pos > c.pos);
      if (k < 0) k = beads.length;
      beads.splice(k, 0, c);
      const row = buildRow(c, k);
      rows.set(c.id, row);
      const next = beads[k + 1] && rows.get(beads[k + 1].id);
      if (next) next.before(row); else list.append(row);
    }
    if (data.counts) tallies(data);
    for (const c of data.changed || []) {
      const k = beads.findIndex(b => b.id === c.id);
      if (beads[k + 1]) touched.add(beads[k + 1].id);  // its neighbour's turn mark may change
    }
    const k = beads.findIndex(b => b.id === keep);
    selected = k >= 0 ? k : Math.min(selected, Math.max(0, beads.length - 1));
    for (const id of touched) if (rows.has(id)) redraw(id);
    applySelection(false);
  }

  let busy = 0;
  function working(delta) {
    busy += delta;
    root.dataset.busy = busy > 0 ? "1" : "0";  // tests and scripts wait for "0"
  }

  // Changes run one after another in the order their keys were pressed; a failed one stops those after it.
  let queue = Promise.resolve();
  let waiting = 0;
  let generation = 0;
  function enqueue(task) {
    const gen = generation;
    waiting++;
    working(1);
    queue = queue.then(async () => {
      if (gen !== generation) return;
      try {
        await task();
      } catch (err) {
        generation++;
        const dropped = waiting - 1;
        if (err.status === 409 && task.op) await showConflict(err, task);  // a bead's conflict; others say so in the status line
        say(err.message + (dropped > 0 ? ` — stopped: the ${dropped} change${dropped > 1 ? "s" : ""} pressed after it ${dropped > 1 ? "were" : "was"} not made` : ""), "error");
      }
    }).finally(() => { waiting--; working(-1); });
    return queue;
  }

  // An operation on one bead, taken by id when its turn comes (earlier queued changes may have changed its version).
  function change(id, op, makeBody, label, session) {
    const t0 = performance.now();
    const task = async () => {
      const k = beads.findIndex(b => b.id === id);
      if (k < 0) throw Object.assign(new Error(`bead ${id} is no longer on the page`), {status: 0});
      const body = Object.assign({article: articleId}, makeBody(beads[k], k));
      task.body = body;
      task.op = op;
      task.id = id;
      task.session = session;
      const data = await api(`/api/beads/${id}/${op}`, body);
      const t1 = performance.now();
      // only the save of this very edit ends it: another change to the bead, queued before, leaves the typing alone
      if (session && editing === session) { dropDraft(id); mode = null; editing = null; }
      conflict.hidden = true;
      translating = new Set([...translating, ...(data.translating || [])]);
      await applyAnswer(data);
      window.__mtTimings.push({op, total: performance.now() - t0, redraw: performance.now() - t1, beads: beads.length});
      say(label, "ok");
      if (["merge", "split", "move"].includes(op) && autoRealign.checked && data.changed && data.changed.length) {
        // the beads after a structural fix, up to the next reviewed one, aligned again around it; the fixed bead is
        // the first the change touched (a merge's bead, a split's first half, the bead a sentence was moved into or out of)
        const first = data.changed.map(c => beads.findIndex(b => b.id === c.id)).filter(k => k >= 0).sort((x, y) => x - y)[0];
        if (first !== undefined) realignRest({after: beads[first].id});
      }
      if (data.translating && data.translating.length) setTimeout(() => fetchTranslations(data.translating, 6), 700);
    };
    task.retry = fresh => change(id, op, b => Object.assign(makeBody(b, beads.findIndex(x => x.id === id)), fresh), label, session);
    return enqueue(task);
  }

  async function fetchTranslations(ids, tries) {
    const left = [];
    for (const id of ids) {
      try {
        const b = await api(`/api/beads/${id}`);
        const k = beads.findIndex(x => x.id === id);
        if (k < 0) continue;
        if (b.mt !== null && b.version === beads[k].version) { beads[k] = b; translating.delete(id); redraw(id); }
        else if (b.mt === null) left.push(id);
      } catch (e) { /* the bead went away: nothing to show */ }
    }
    if (left.length && tries > 1) setTimeout(() => fetchTranslations(left, tries - 1), 1000);
    else for (const id of left) { translating.delete(id); redraw(id); }
  }

  // An edit refused because someone changed the bead first: the two edits combined word by word against the text
  // this reviewer loaded. What does not overlap is taken from both; each place both changed is the reviewer's choice.
  async function showCombined(err, task) {
    const mine = {};
    for (const side of ["en", "ar"]) if (typeof task.body[side] === "string") mine[side] = task.body[side];
    const r = await api(`/api/beads/${task.id}/combine`, {base: task.session.base, mine});
    const target = r.target;
    const picks = {};
    const facts = el("p", {class: "theirs-state"});
    facts.textContent = r.moved
      ? `Bead ${task.id} is gone: ${r.moved.who} did a ${r.moved.action} (change #${r.moved.change}) after you loaded it. Your sentence is now in bead ${target.id}; the rest of that bead is greyed.`
      : `Bead ${target.id} was saved by someone else after you loaded it (status now ${target.status}).`;
    const parts = [facts];
    if (r.moved) {
      const go = el("button", {type: "button", id: "conflict-show-target"}, `show bead ${target.id}`);
      go.addEventListener("click", async () => { wantedId = target.id; await load(); const row = rows.get(target.id); if (row) row.scrollIntoView({block: "center"}); });
      facts.append(" ", go);
    }
    const cols = el("div", {class: "pair"});
    const button = document.getElementById("conflict-mine-btn");
    const update = () => {
      let open = 0, theirsN = 0, mineN = 0;
      for (const [side, m] of Object.entries(r.sides)) {
        open += m.conflicts - picks[side].filter(x => x).length;
        theirsN += m.theirs_changes;
        mineN += m.my_changes;
      }
      const conflicts = Object.values(r.sides).reduce((n, m) => n + m.conflicts, 0);
      button.disabled = open > 0;
      button.textContent = conflicts === 0
        ? (theirsN ? `combine: keep their ${theirsN} change${theirsN === 1 ? "" : "s"} and add your ${mineN} to bead ${target.id}`
          : `combine: add your ${mineN} change${mineN === 1 ? "" : "s"} to bead ${target.id}, keeping the rest of it`)
        : open > 0 ? `choose theirs or yours at ${open} place${open === 1 ? "" : "s"} above` : `apply to bead ${target.id}: both sides' changes, your choices where they overlap`;
    };
    for (const [side, m] of Object.entries(r.sides)) {
      picks[side] = new Array(m.conflicts).fill(null);
      const col = el("div", {class: `side-diff ${side}`});
      col.append(el("h3", {}, side === "en" ? "English" : "العربية"),
                 el("h4", {}, m.conflicts ? `both changed the same words at ${m.conflicts} place${m.conflicts > 1 ? "s" : ""}: choose` : "combined"));
      col.append(mergeView(m, side, picks[side], update));
      cols.append(col);
    }
    parts.push(cols);
    document.getElementById("conflict-body").replaceChildren(...parts);
    document.getElementById("conflict-theirs").textContent = `EN: ${target.en}\nAR: ${target.ar}\nstatus: ${target.status}`;
    document.getElementById("conflict-yours").textContent = Object.entries(mine).map(([k, v]) => `${k}: ${v}`).join("\n");
    update();
    conflict.hidden = false;
    const row = rows.get(task.id) || rows.get(target.id);
    if (row) row.after(conflict);
    conflict.scrollIntoView({block: "nearest"});
    pendingRetry = async () => {
      const texts = {};
      for (const [side, m] of Object.entries(r.sides)) {
        let j = 0;
        const out = m.chunks.map(c => c.kind === "conflict" ? (picks[side][j++] === "mine" ? c.mine : c.theirs)
          : (c.kind === "mine" ? c.mine : c.theirs)).join("");
        if (out !== target[side]) texts[side] = out;
      }
      if (task.session && editing === task.session) { dropDraft(task.id); mode = null; editing = null; }
      if (!Object.keys(texts).length) { await load(); say(`bead ${target.id} already holds your change`, "ok"); return; }
      if (!beads.some(b => b.id === target.id)) await load();
      return change(target.id, "edit", () => Object.assign({version: target.version}, texts), "saved (combined with theirs)");
    };
  }

  async function showConflict(err, task) {
    if (task.op === "edit" && task.session && task.session.base) {
      try { return await showCombined(err, task); } catch (e) { /* the plain view below still shows both */ }
    }
    const data = err.data || {};
    const theirs = el("div", {class: "pair"});
    const yours = task.body || {};
    const own = (data.current || []).find(c => c.id === task.id);
    const gone = !own && /is gone/.test(data.error || "");  // merged away by someone else: its text is in another bead
    const neighbourChanged = !own && !gone && (data.current || []).length > 0;
    // a neighbour changed (merge, move): this bead is as the page shows it; the neighbour's new text is what to compare
    const current = own || (neighbourChanged ? Object.assign({}, beads.find(b => b.id === task.id) || {}) : (data.current || [])[0]);
    for (const side of ["en", "ar"]) {
      const mineText = typeof yours[side] === "string" ? yours[side] : null;
      const saved = current ? current[side] : "";
      const col = el("div", {class: `side-diff ${side}`});
      col.append(el("h3", {}, side === "en" ? "English" : "العربية"));
      if (mineText !== null && current) {
        const parts = diffWords(saved, mineText);
        col.append(el("h4", {}, "theirs (saved)"), diffView(parts, "del", side), el("h4", {}, "yours (not saved)"), diffView(parts, "ins", side));
      } else {
        col.append(el("h4", {}, "theirs (saved)"), el("div", {class: "diff", lang: side, dir: side === "ar" ? "rtl" : "ltr"}, saved || "—"));
      }
      theirs.append(col);
    }
    const facts = el("p", {class: "theirs-state"});
    facts.textContent = neighbourChanged ? `the neighbouring bead changed since you loaded it: ${(data.current || []).map(c => c.en || c.ar).join(" · ")}`
      : current ? `saved: status ${current.status}${current.comment ? ` · comment “${current.comment}”` : ""} · yours: ${task.op}`
      + (yours.status ? ` ${yours.status}` : "") + (typeof yours.text === "string" ? ` “${yours.text}”` : "") : "the bead is gone";
    document.getElementById("conflict-body").replaceChildren(facts, theirs);
    document.getElementById("conflict-theirs").textContent = current ? `EN: ${current.en}\nAR: ${current.ar}\nstatus: ${current.status}` : "(the bead is gone: merged or deleted)";
    document.getElementById("conflict-yours").textContent = Object.entries(yours).filter(([k]) => !k.endsWith("version") && k !== "article")
      .map(([k, v]) => `${k}: ${v}`).join("\n");
    const mineBtn = document.getElementById("conflict-mine-btn");
    const holder = gone ? (data.current || [])[0] : null;
    mineBtn.disabled = !current || (gone && !(holder && (task.op === "status" || task.op === "comment")));
    mineBtn.textContent = gone && holder ? `apply your ${task.op} to bead ${holder.id}, which holds the text now` : `apply your ${task.op} on top of theirs`;
    conflict.hidden = false;
    const row = rows.get(task.id) || (current && rows.get(current.id));
    if (row) row.after(conflict);
    conflict.scrollIntoView({block: "nearest"});
    if (gone && holder) {
      pendingRetry = () => change(holder.id, task.op, () => Object.assign({}, task.body, {version: holder.version, article: articleId}), `${task.op} applied to bead ${holder.id}`);
      return;
    }
    pendingRetry = current && !gone ? () => {
      const fresh = {version: current.version};  // the bead's own saved version (or, for a neighbour's change, the page's)
      for (const c of data.current || []) if (c.id !== task.id) { fresh.next_version = c.version; fresh.other_version = c.version; }
      return task.retry(fresh);
    } : null;
  }

  document.getElementById("conflict-theirs-btn").addEventListener("click", async () => {
    conflict.hidden = true;
    pendingRetry = null;
    if (editing) { dropDraft(editing.id); mode = null; editing = null; }
    working(1);
    try { await load(); } finally { working(-1); }
  });
  document.getElementById("conflict-mine-btn").addEventListener("click", async () => {
    conflict.hidden = true;
    const retry = pendingRetry;
    pendingRetry = null;
    if (retry) await retry();
  });

  // the unreviewed beads aligned again around the reviewed ones: the whole article, or what follows one fix
  function realignRest(extra) {
    enqueue(async () => {
      const r = await api(`/api/articles/${encodeURIComponent(articleId)}/realign`, Object.assign({changes: knownChanges}, extra || {}));
      if (r.history !== null) await load(); else tallies(r);
      say(r.history !== null ? `${r.line} (u undoes it)` : "re-aligned: nothing to change", "ok");
      if (r.translating && r.translating.length) setTimeout(() => fetchTranslations(r.translating, 6), 700);
    });
  }
  document.getElementById("realign-button").addEventListener("click", () => realignRest());
  const autoRealign = document.getElementById("auto-realign");
  autoRealign.checked = localStorage.getItem("mt-auto-realign") === "1";
  autoRealign.addEventListener("change", () => localStorage.setItem("mt-auto-realign", autoRealign.checked ? "1" : "0"));

  function undo() {
    const t0 = performance.now();
    enqueue(async () => {
      // the change to undo is the last one on screen when its turn comes (a change queued before it included)
      const entry = undoEntry;
      const r = await api(`/api/articles/${encodeURIComponent(articleId)}/undo`, entry === null ? {} : {entry});
      await applyAnswer(r);
      window.__mtTimings.push({op: "undo", total: performance.now() - t0, beads: beads.length});
      say(`undone (change #${r.undid})`, "ok");
    }).then(() => undefined);
  }

  function neighbour(k, step) {
    return beads[k + step] || null;
  }

  function move(id, side, direction) {
    const step = direction === "next" ? 1 : -1;
    change(id, "move", (b, k) => {
      const o = neighbour(k, step);
      return {side, direction, version: b.version, other_version: o ? o.version : 0, other_id: o ? o.id : null};
    }, `moved a sentence ${direction === "next" ? "forward" : "back"}`);
  }

  function nextUnreviewed() {
    for (let k = selected + 1; k < beads.length; k++) {
      if (beads[k].status === "unreviewed" || beads[k].status === "edited") { select(k); return; }
    }
    location.href = `/next?after=${encodeURIComponent(articleId)}`;
  }

  function enter(newMode) {
    const b = beads[selected];
    if (!b) return;
    mode = newMode;
    editing = {id: b.id, version: b.version, base: {en: b.en, ar: b.ar}};  // what a three-way merge starts from
    redraw(b.id);
    applySelection();
  }

  function leave() {
    const id = editing ? editing.id : null;
    if (id !== null) dropDraft(id);
    mode = null;
    editing = null;
    if (id !== null) redraw(id);
    applySelection();
  }

  undoButton.addEventListener("click", undo);
  for (const f of [fStatus, fBelow, fSort]) {
    f.addEventListener("change", () => { working(1); load().catch(e => say(e.message, "error")).finally(() => working(-1)); });
  }
  function mtLabel() {
    // what the line under the English is: a translation, glosses, or both kinds in this article
    const kinds = new Set(beads.filter(b => b.mt).map(b => b.mt_kind));
    document.getElementById("f-mt-label").textContent = kinds.size === 1 && kinds.has("gloss") ? "word glosses"
      : kinds.has("gloss") ? "machine translation or glosses" : kinds.size ? "machine translation" : "machine translation (none here)";
  }
  fMt.addEventListener("change", () => { localStorage.setItem("mt-show-mt", fMt.checked ? "1" : "0"); render(); });
  document.getElementById("filters").addEventListener("submit", e => e.preventDefault());

  // mouse users: the buttons on each row do what the keys do, on that row's bead
  list.addEventListener("click", e => {
    const row = e.target.closest(".bead");
    if (!row || mode !== null) return;
    const k = beads.findIndex(b => b.id === Number(row.dataset.id));
    if (k < 0) return;
    if (k !== selected) select(k);
    const btn = e.target.closest("button[data-key]");
    if (btn) act(btn.dataset.key);
  });

  function act(key) {
    const b = beads[selected];
    const neighbourOps = "m[]{}";
    if (neighbourOps.includes(key) && filtered()) {
      say("merging and moving need every bead in order: set status to all, clear the score, sort by position", "error");
      return true;
    }
    const status = s => {
      let sure = false;
      if (s === "accepted" && b.gloss) {
        // word glosses are not a translation: accepting them unedited is a decision, not a keystroke
        sure = confirm("This bead's Arabic is word glosses from a lexicon, not a translation. Accept it unedited anyway?");
        if (!sure) { say("not accepted: edit the glosses (e) into a translation first"); return; }
      }
      change(b.id, "status", x => Object.assign({status: s, version: x.version}, sure ? {confirm_gloss: true} : {}), s);
      if (selected < beads.length - 1) select(selected + 1);  // on to the next bead at once; the change saves behind
    };
    const keys = {
      j: () => select(selected + 1),
      k: () => select(selected - 1),
      a: () => b && status("accepted"),
      r: () => b && status("rejected"),
      e: () => b && enter("edit"),
      s: () => b && enter("split"),
      c: () => b && enter("comment"),
      m: () => b && change(b.id, "merge", (x, k) => {
        const o = neighbour(k, 1);
        return {version: x.version, next_version: o ? o.version : 0, next_id: o ? o.id : null};
      }, "merged with the next bead"),
      "]": () => b && move(b.id, "en", "next"),
      "[": () => b && move(b.id, "en", "prev"),
      "}": () => b && move(b.id, "ar", "next"),
      "{": () => b && move(b.id, "ar", "prev"),
      u: undo,
      l: () => realignRest(),
      n: nextUnreviewed,
      g: () => { fMt.checked = !fMt.checked; fMt.dispatchEvent(new Event("change")); },
      "?": () => showKeys(help.classList.contains("hidden")),
    };
    const fn = keys[key];
    if (!fn) return false;
    fn();
    return true;
  }

  function save() {
    const b = beads[selected];
    const row = b && rows.get(b.id);
    if (!row || !editing) return;
    const base = editing.version;
    if (mode === "edit") {
      // only the sides that were changed: a conflict resolved "mine on top" keeps the other reviewer's other side
      const texts = {};
      for (const side of ["ar", "en"]) {
        const value = row.querySelector(`.edit-${side}`).value;
        if (value !== b[side]) texts[side] = value;
      }
      if (!("ar" in texts) && !("en" in texts)) { leave(); say("nothing changed"); return; }
      change(b.id, "edit", () => Object.assign({version: base}, texts), "saved", editing);
    } else if (mode === "split") {
      // the server counts characters; the browser counts UTF-16 units (an emoji is two)
      const at = ta => [...ta.value.slice(0, ta.selectionStart)].length;
      const ar = at(row.querySelector(".edit-ar")), en = at(row.querySelector(".edit-en"));
      change(b.id, "split", () => ({ar_at: ar, en_at: en, version: base}), "split", editing);
    } else if (mode === "comment") {
      const text = row.querySelector(".comment-input").value;
      change(b.id, "comment", () => ({text, version: base}), "comment saved", editing);
    }
  }

  document.addEventListener("keydown", e => {
    if (mode === "edit" || mode === "split" || mode === "comment") {
      if (e.key === "Escape") { e.preventDefault(); leave(); say("cancelled"); }
      else if (e.key === "Enter" && (mode !== "edit" || e.ctrlKey || e.metaKey)) { e.preventDefault(); save(); }
      return;
    }
    if (e.target.matches("input, select, textarea") || e.ctrlKey || e.metaKey || e.altKey) return;
    if (act(e.key)) e.preventDefault();
  });

  // reviewed work on an earlier version of this article's file that a re-ingest could not carry
  const strandedBox = document.getElementById("stranded");
  async function loadStranded() {
    const data = await api(`/api/articles/${encodeURIComponent(articleId)}/stranded`);
    strandedBox.hidden = data.stranded.length === 0;
    const items = data.stranded.map(w => {
      const item = el("div", {class: "stranded-item", "data-id": w.id});
      item.append(el("p", {class: "why"}, `From ${w.old}: ${w.reason}.`));
      const pair = el("div", {class: "pair three"});
      const column = (title, beadsOf) => {
        const col = el("div");
        col.append(el("h4", {}, title));
        for (const b of beadsOf) {
          const box = el("div", {class: "stranded-bead"});
          box.append(el("p", {lang: "en", dir: "ltr"}, b.en || "(no English)"), el("p", {lang: "ar", dir: "rtl"}, b.ar || "(no Arabic)"),
                     el("p", {class: "meta"}, `status ${b.status}` + (b.comment ? ` · comment “${b.comment}”` : "")));
          col.append(box);
        }
        return col;
      };
      pair.append(column("as it was aligned", w.original), column("as the reviewers left it", w.final),
                  column(w.target.length ? `as the corrected source has it now (bead${w.target.length > 1 ? "s" : ""} ${w.target.join(", ")})` : "nothing like it now", w.current || []));
      item.append(pair);
      const picks = {};
      const reapply = el("button", {type: "button", class: "reapply"});
      const update = () => {
        const open = Object.entries(w.merge || {}).reduce((n, [side, m]) => n + m.conflicts - picks[side].filter(x => x).length, 0);
        reapply.disabled = !w.target.length || !w.final.length || open > 0;
        reapply.textContent = !w.target.length ? "reapply" : open > 0
          ? `choose theirs or yours at ${open} place${open === 1 ? "" : "s"} above`
          : `reapply your work onto bead${w.target.length > 1 ? "s" : ""} ${w.target.join(", ")} (${Math.round(100 * w.likeness)}% alike): the corrected text with your changes`;
      };
      if (w.result) {
        const col = column("reapply writes (your changes onto the corrected text)", w.result);
        col.classList.add("result");
        w.result.forEach((b, k) => {
          if (w.final[k] && w.final[k].status === "accepted" && b.status === "edited") {
            col.append(el("p", {class: "why"}, "accepted before, but the text changed underneath: it comes back as edited, to look at again"));
          }
        });
        item.append(col);
      } else if (w.merge && Object.keys(w.merge).length) {
        const cols = el("div", {class: "pair"});
        for (const [side, m] of Object.entries(w.merge)) {
          picks[side] = new Array(m.conflicts).fill(null);
          const col = el("div", {class: `side-diff ${side}`});
          col.append(el("h4", {}, m.conflicts ? `your work and the correction changed the same words: choose (${side === "en" ? "English" : "Arabic"})` : `combined (${side === "en" ? "English" : "Arabic"})`),
                     mergeView(m, side, picks[side], update));
          cols.append(col);
        }
        item.append(el("p", {class: "why"}, "Reapply writes the corrected text with your changes; ¶ marks where your beads end."), cols);
      }
      for (const side of Object.keys(w.merge || {})) picks[side] = picks[side] || [];
      update();
      const discard = el("button", {type: "button", class: "discard"}, "discard (the earlier version keeps it)");
      reapply.addEventListener("click", () => resolve(w.id, "reapply", {target: w.versions, choices: picks}));
      discard.addEventListener("click", () => resolve(w.id, "discard", {}));
      item.append(reapply, discard);
      return item;
    });
    document.getElementById("stranded-list").replaceChildren(...items);
  }
  function resolve(id, action, extra) {
    enqueue(async () => {
      // reapply goes onto the beads it offered, at the versions shown: if someone changed them since, it is refused
      await api(`/api/stranded/${id}/${action}`, Object.assign({article: articleId}, extra));
      await load();
      await loadStranded();
      say(action === "reapply" ? "reapplied (u undoes it)" : "discarded from this list", "ok");
    });
  }

  // who did what, on every version of the article's file (carried work says where it was first done)
  const historyBox = document.getElementById("history");
  historyBox.addEventListener("toggle", async () => {
    if (!historyBox.open) return;
    try {
      const data = await api(`/api/articles/${encodeURIComponent(articleId)}/history`);
      const items = data.history.slice().reverse().map(h => el("li", {"data-id": h.id},
        `#${h.id} · version ${h.version} · ${h.action} by ${h.who} · ${h.at}${h.undoes ? ` · undoes #${h.undoes}` : ""}${h.note ? ` · ${h.note}` : ""}`));
      document.getElementById("history-list").replaceChildren(...(items.length ? items : [el("li", {}, "no changes yet")]));
    } catch (err) { say(err.message, "error"); }
  });

  const assignBtn = document.getElementById("assign-me");
  assignBtn.addEventListener("click", () => enqueue(async () => {
    const mine = document.getElementById("assignee").textContent === reviewer() && reviewer();
    if (!reviewer() && !mine) throw Object.assign(new Error("type your name under ‘reviewer’ first"), {status: 0});
    const r = await api(`/api/articles/${encodeURIComponent(articleId)}/assign`, {assignee: mine ? "" : reviewer()});
    document.getElementById("assignee").textContent = r.assignee || "nobody";
    assignBtn.textContent = r.assignee ? "give it back" : "assign to me";
    say(r.assignee ? `assigned to ${r.assignee}` : "unassigned", "ok");
  }));
  if (document.getElementById("assignee").textContent === reviewer() && reviewer()) assignBtn.textContent = "give it back";

  working(1);
  Promise.all([load(), loadStranded()]).catch(err => say(err.message, "error")).finally(() => working(-1));
}
