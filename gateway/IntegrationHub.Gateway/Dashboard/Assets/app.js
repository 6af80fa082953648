// IntegrationHub dashboard: sync operations, findings (worklists) and charts.
// Signs in with an API key (kept in sessionStorage, sent as "Authorization: Bearer"), reads the JSON API under
// /dashboard/api/, and shows the views the key may use. Operations poll every two seconds while shown and the tab is
// visible. Person-level reads (findings) carry the purpose chosen for the session in "X-Purpose". Every value from the
// API is put into the page with textContent or DOM APIs, never as HTML (the Content-Security-Policy allows no inline
// script either); charts are SVG built the same way.
"use strict";

(() => {
  const KEY_STORAGE = "integrationhub.dashboard.key";
  const JOB_STORAGE = "integrationhub.dashboard.job";
  const PURPOSE_STORAGE = "integrationhub.dashboard.purpose";
  const FINDINGS_STORAGE = "integrationhub.dashboard.findings";
  const API = "/dashboard/api";
  const POLL_MS = 2000;
  const RUNS_SHOWN = 30;
  const QUARANTINE_PAGE = 25;
  const FINDINGS_PAGE = 25;
  const NOTE_MAX = 2000;
  const VIEWS = ["operations", "findings", "charts"];
  const AGENCIES = ["police", "justice", "civil-affairs", "hr"];
  const SVG_NS = "http://www.w3.org/2000/svg";

  // Where a run's records went (CONVENTIONS.md): every record read lands in exactly one of these.
  const SERIES = [
    { key: "inserted", label: "inserted", cls: "s-inserted" },
    { key: "updated", label: "updated", cls: "s-updated" },
    { key: "unchanged", label: "unchanged", cls: "s-unchanged" },
    { key: "withdrawn", label: "withdrawn", cls: "s-withdrawn" },
    { key: "outOfScope", label: "out of scope", cls: "s-out-of-scope" },
    { key: "quarantined", label: "quarantined", cls: "s-quarantined" },
    { key: "heldForReview", label: "held for review", cls: "s-held" },
  ];

  const OUTCOMES = {
    "running": { cls: "o-running", icon: "●" },
    "succeeded": { cls: "o-succeeded", icon: "✓" },
    "succeeded with warnings": { cls: "o-warnings", icon: "⚠" },
    "failed": { cls: "o-failed", icon: "✗" },
    "cancelled": { cls: "o-cancelled", icon: "■" },
    "interrupted": { cls: "o-interrupted", icon: "↯" },
  };

  const state = {
    key: null,
    session: null,
    skewMs: 0,
    jobs: [],
    selectedJob: null,
    runs: [],
    alerts: [],
    finishedSignature: null,
    charted: null,
    quarantine: { filter: { agency: "", reason: "", dataset: "" }, after: null, previous: [], page: null },
    view: null,
    purpose: null,
    findings: { filter: defaultFindingsFilter(), after: null, previous: [], page: null, open: null, detail: null, acting: false },
    charts: { days: 30, rule: "" },
    timer: null,
    inflight: false,
    again: false,
    lastUpdate: null,
    problem: null,
    busy: new Set(),
  };

  const $ = (id) => document.getElementById(id);

  // ---- DOM helpers --------------------------------------------------------------------------------------------

  /** An element with a class, attributes and children (strings become text nodes). */
  function el(tag, options, ...children) {
    const node = document.createElement(tag);
    applyOptions(node, options);
    append(node, children);
    return node;
  }

  function svg(tag, attributes, ...children) {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      node.setAttribute(name, String(value));
    }
    append(node, children);
    return node;
  }

  function applyOptions(node, options) {
    if (!options) {
      return;
    }
    if (typeof options === "string") {
      node.className = options;
      return;
    }
    for (const [name, value] of Object.entries(options)) {
      if (value === undefined || value === null || value === false) {
        continue;
      }
      if (name === "class") {
        node.className = value;
      } else if (name === "text") {
        node.textContent = value;
      } else if (name === "onclick") {
        node.addEventListener("click", value);
      } else {
        node.setAttribute(name, value === true ? "" : String(value));
      }
    }
  }

  function append(node, children) {
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) {
        continue;
      }
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }

  function clear(node) {
    node.replaceChildren();
  }

  /**
   * Puts freshly built rows into a table body, keeping every existing row (matched by its key attribute) and every
   * cell that has not changed: a button under the pointer or keyboard focus is not swapped away by a poll.
   */
  function patchRows(body, rows, keyAttribute) {
    const existing = new Map([...body.rows].map((row) => [row.getAttribute(keyAttribute), row]));
    const kept = rows.map((fresh) => {
      const old = existing.get(fresh.getAttribute(keyAttribute));
      if (!old || old.cells.length !== fresh.cells.length) {
        return fresh;
      }
      for (const { name, value } of [...fresh.attributes]) {
        if (old.getAttribute(name) !== value) {
          old.setAttribute(name, value);
        }
      }
      const oldCells = [...old.cells];
      [...fresh.cells].forEach((cell, i) => {
        if (!cell.isEqualNode(oldCells[i])) {
          old.replaceChild(cell, oldCells[i]);
        }
      });
      return old;
    });
    const current = [...body.rows];
    if (kept.length !== current.length || kept.some((row, i) => row !== current[i])) {
      body.replaceChildren(...kept);
    }
  }

  function show(node, visible) {
    node.hidden = !visible;
  }

  // ---- Formatting ---------------------------------------------------------------------------------------------

  const numberFormat = new Intl.NumberFormat(undefined);
  const fmtNumber = (n) => numberFormat.format(n);
  const pad = (n) => String(n).padStart(2, "0");
  const NBSP = "\u00a0"; // between a number and its unit: "0.4 s" never breaks

  /** The server's "now", so that ages do not depend on this computer's clock. */
  function serverNow() {
    return Date.now() + state.skewMs;
  }

  /** Local time: "14:03:07" today, else "2026-11-28 14:03:07". */
  function fmtTime(iso) {
    const d = new Date(iso);
    const today = new Date(serverNow());
    const time = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
    const sameDay = d.getFullYear() === today.getFullYear() && d.getMonth() === today.getMonth() && d.getDate() === today.getDate();
    return sameDay ? time : `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${time}`;
  }

  /** "5 s", "3 min", "2 h 10 min", "4 d 3 h". */
  function fmtSpan(seconds) {
    const s = Math.abs(seconds);
    if (s < 1) {
      return "under a second";
    }
    if (s < 60) {
      return `${Math.round(s)}${NBSP}s`;
    }
    if (s < 3600) {
      return `${Math.floor(s / 60)}${NBSP}min`;
    }
    if (s < 86400) {
      const m = Math.floor((s % 3600) / 60);
      return `${Math.floor(s / 3600)}${NBSP}h${m ? ` ${m}${NBSP}min` : ""}`;
    }
    const h = Math.floor((s % 86400) / 3600);
    return `${Math.floor(s / 86400)}${NBSP}d${h ? ` ${h}${NBSP}h` : ""}`;
  }

  /** A run's duration: "0.8 s", "42 s", "2 min 05 s". */
  function fmtDuration(seconds) {
    if (seconds < 10) {
      return `${seconds.toFixed(1)}${NBSP}s`;
    }
    if (seconds < 60) {
      return `${Math.round(seconds)}${NBSP}s`;
    }
    if (seconds < 3600) {
      return `${Math.floor(seconds / 60)}${NBSP}min ${pad(Math.round(seconds % 60))}${NBSP}s`;
    }
    return fmtSpan(seconds);
  }

  function relative(iso) {
    const seconds = (new Date(iso).getTime() - serverNow()) / 1000;
    if (Math.abs(seconds) < 5) {
      return "just now";
    }
    return seconds < 0 ? `${fmtSpan(seconds)} ago` : `in ${fmtSpan(seconds)}`;
  }

  /** A <time> showing local time and how long ago; the full timestamp in its tooltip. */
  function timeEl(iso, options) {
    if (!iso) {
      return el("span", { class: "muted", text: (options && options.none) || "never" });
    }
    const node = el("time", { datetime: iso, title: new Date(iso).toString() });
    node.append(el("span", { class: "abs", text: fmtTime(iso) }), " ", el("span", { class: "rel", text: `(${relative(iso)})` }));
    return node;
  }

  function outcomeBadge(outcome) {
    const known = OUTCOMES[outcome] || { cls: "o-unknown", icon: "?" };
    return el("span", { class: `badge ${known.cls}`, "data-outcome": outcome }, el("span", { class: "icon", "aria-hidden": "true", text: known.icon }), outcome);
  }

  function badge(cls, text, title) {
    return el("span", { class: `badge ${cls}`, text, title });
  }

  /** "2,991 inserted · 9 quarantined": the counts that are not zero, each with its chart colour. */
  function countsList(counts) {
    const list = el("ul", "counts");
    for (const s of SERIES) {
      if (counts[s.key] > 0) {
        list.append(el("li", null, el("span", { class: `swatch ${s.cls}`, "aria-hidden": "true" }), `${fmtNumber(counts[s.key])} ${s.label}`));
      }
    }
    if (counts.left > 0) {
      list.append(el("li", null, el("span", { class: "swatch s-left", "aria-hidden": "true" }), `${fmtNumber(counts.left)} left the roster`));
    }
    if (!list.childElementCount) {
      list.append(el("li", { class: "muted", text: "nothing new" }));
    }
    return list;
  }

  // ---- API ----------------------------------------------------------------------------------------------------

  class ApiError extends Error {
    constructor(status, code, message) {
      super(message);
      this.status = status;
      this.code = code;
    }
  }

  /** Options: key (sign-in), method, purpose (X-Purpose of person-level reads), json (a request body). */
  async function api(path, options) {
    const o = options || {};
    const headers = { "Authorization": `Bearer ${o.key || state.key}`, "Accept": "application/json" };
    if (o.purpose) {
      headers["X-Purpose"] = o.purpose;
    }
    if (o.json !== undefined) {
      headers["Content-Type"] = "application/json";
    }
    let response;
    try {
      response = await fetch(API + path, {
        method: o.method || "GET",
        headers,
        body: o.json === undefined ? undefined : JSON.stringify(o.json),
        cache: "no-store",
        credentials: "omit",
      });
    } catch {
      throw new ApiError(0, "UNREACHABLE", "the hub does not answer (is it running?)");
    }
    let body = null;
    try {
      body = await response.json();
    } catch {
      body = null;
    }
    if (!response.ok) {
      const code = body && body.error ? body.error : `HTTP_${response.status}`;
      const message = body && body.message ? body.message : `the hub answered ${response.status} ${response.statusText}`;
      throw new ApiError(response.status, code, message);
    }
    if (body && body.now) {
      state.skewMs = new Date(body.now).getTime() - Date.now();
    }
    return body;
  }

  const query = (params) => {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(params)) {
      if (value !== null && value !== undefined && value !== "") {
        search.set(name, String(value));
      }
    }
    const text = search.toString();
    return text ? `?${text}` : "";
  };

  // ---- Sign-in ------------------------------------------------------------------------------------------------

  async function signIn(key, remembered) {
    const error = $("sign-in-error");
    show(error, false);
    show($("sign-in"), !remembered); // a reload goes straight back to the data
    $("sign-in-button").disabled = true;
    try {
      const session = await api("/session", { key });
      state.key = key;
      state.session = session;
      sessionStorage.setItem(KEY_STORAGE, key);
      $("api-key").value = "";
      showDashboard();
    } catch (e) {
      sessionStorage.removeItem(KEY_STORAGE);
      error.textContent = signInMessage(e, remembered);
      show(error, true);
      show($("sign-in"), true);
    } finally {
      $("sign-in-button").disabled = false;
    }
  }

  function signInMessage(e, remembered) {
    if (e.status === 401) {
      return remembered
        ? `Your key is no longer accepted (${e.code}): ${e.message}. Sign in again.`
        : `Sign-in failed (${e.code}): ${e.message}. Check the key and try again.`;
    }
    if (e.status === 403) {
      return `This key may not use the dashboard (${e.code}): ${e.message}.`;
    }
    return `Sign-in failed (${e.code}): ${e.message}.`;
  }

  function signOut(message) {
    sessionStorage.removeItem(KEY_STORAGE);
    clearTimeout(state.timer);
    state.timer = null;
    state.key = null;
    state.session = null;
    state.jobs = [];
    state.runs = [];
    state.alerts = [];
    state.finishedSignature = null;
    state.charted = null;
    state.quarantine.after = null;
    state.quarantine.previous = [];
    state.quarantine.page = null;
    state.view = null;
    forgetFindings();
    sessionStorage.removeItem(PURPOSE_STORAGE);
    sessionStorage.removeItem(FINDINGS_STORAGE);
    for (const id of ["jobs", "runs", "quarantine", "findings", "finding-evidence", "grades-table", "trend-table"]) {
      clear($(id).tBodies[0]);
    }
    for (const id of ["alerts", "chart-records", "chart-lag", "legend-records", "q-summary", "who-name", "who-roles",
      "f-summary", "finding-facts", "finding-history", "chart-grades", "legend-grades", "chart-findings", "legend-findings"]) {
      clear($(id));
    }
    for (const id of ["f-purpose", "f-rule", "t-rule", "f-agency"]) {
      const select = $(id);
      select.replaceChildren(select.options[0]);
    }
    show($("finding"), false);
    show($("dashboard"), false);
    show($("who"), false);
    show($("live"), false);
    show($("sign-in"), true);
    const error = $("sign-in-error");
    error.textContent = message || "";
    show(error, Boolean(message));
    $("api-key").focus();
  }

  function showDashboard() {
    $("who-name").textContent = state.session.name;
    $("who-roles").textContent = `(${state.session.roles.join(", ")})`;
    show($("sign-in"), false);
    show($("who"), true);
    show($("dashboard"), true);
    state.selectedJob = sessionStorage.getItem(JOB_STORAGE);
    state.finishedSignature = null;
    for (const name of VIEWS) {
      show($(`tab-${name}`), Boolean(state.session.views[name]));
    }
    for (const id of ["f-rule", "t-rule"]) {
      $(id).append(...state.session.rules.map((rule) => el("option", { value: rule, text: rule })));
    }
    $("f-agency").append(...AGENCIES.map((agency) => el("option", { value: agency, text: agency })));
    $("f-purpose").append(...state.session.purposes.map((p) => el("option", { value: p.name, text: `${p.name}: ${p.description}` })));
    route();
  }

  // ---- Views: #operations, #findings (#findings/ID opens one), #charts ---------------------------------------

  function route() {
    if (!state.session) {
      return;
    }
    const [name, argument] = location.hash.replace(/^#/, "").split("/");
    const allowed = VIEWS.filter((view) => state.session.views[view]);
    const view = allowed.includes(name) ? name : allowed[0];
    const entered = state.view !== view;
    state.view = view;
    for (const other of VIEWS) {
      show($(`view-${other}`), other === view);
      if (other === view) {
        $(`tab-${other}`).setAttribute("aria-current", "page");
      } else {
        $(`tab-${other}`).removeAttribute("aria-current");
      }
    }
    show($("live"), view === "operations");
    if (view === "operations" && entered) {
      state.finishedSignature = null;
      refreshNow();
      loadQuarantine();
    } else if (view !== "operations") {
      clearTimeout(state.timer);
      state.timer = null;
    }
    if (view === "findings") {
      enterFindings(entered, argument && /^\d+$/.test(argument) ? Number(argument) : null);
    } else if (view === "charts" && entered) {
      loadCharts();
    }
  }

  window.addEventListener("hashchange", route);

  // ---- Live updates -------------------------------------------------------------------------------------------

  function schedule() {
    clearTimeout(state.timer);
    state.timer = null;
    if (state.key && document.visibilityState === "visible" && state.view === "operations") {
      state.timer = setTimeout(tick, POLL_MS);
    }
  }

  function refreshNow() {
    if (state.inflight) {
      state.again = true;
      return;
    }
    clearTimeout(state.timer);
    state.timer = null;
    tick();
  }

  async function tick() {
    state.timer = null;
    if (!state.key || document.visibilityState !== "visible" || state.view !== "operations") {
      renderLive();
      return;
    }
    state.inflight = true;
    try {
      await refresh();
      state.problem = null;
      state.lastUpdate = Date.now();
    } catch (e) {
      if (e.status === 401 || e.status === 403) {
        state.inflight = false;
        signOut(signInMessage(e, true));
        return;
      }
      state.problem = `${e.message} (${e.code}); retrying`;
    } finally {
      state.inflight = false;
    }
    renderLive();
    if (state.again) {
      state.again = false;
      tick();
    } else {
      schedule();
    }
  }

  const runsOf = (job) => api(`/runs${query({ job, limit: RUNS_SHOWN })}`)
    .catch((e) => (e.status === 404 ? null : Promise.reject(e))); // a job gone from the configuration

  async function refresh() {
    const selected = state.selectedJob;
    const [jobs, alerts, selectedRuns] = await Promise.all([
      api("/jobs"), api(`/alerts${query({ limit: 10 })}`), selected ? runsOf(selected) : null,
    ]);
    state.jobs = jobs.jobs;
    state.alerts = alerts.alerts;
    let runs = selectedRuns;
    if (!state.jobs.some((j) => j.name === state.selectedJob)) {
      state.selectedJob = state.jobs.length ? state.jobs[0].name : null;
      runs = state.selectedJob ? await runsOf(state.selectedJob) : null;
    } else if (state.selectedJob !== selected) {
      runs = await runsOf(state.selectedJob); // chosen while this refresh was under way
    }
    state.runs = runs ? runs.runs : [];
    renderJobs();
    renderHistory();
    renderAlerts();

    // A run that ended may have quarantined records: look again (on the newest page, which the operator reads).
    const signature = state.jobs.map((j) => (j.lastFinishedRun ? j.lastFinishedRun.runId : "")).join("|");
    if (state.finishedSignature !== null && signature !== state.finishedSignature && state.quarantine.after === null) {
      loadQuarantine();
    }
    state.finishedSignature = signature;
  }

  function renderLive() {
    const live = $("live");
    if (!state.key) {
      return;
    }
    live.classList.toggle("problem", Boolean(state.problem));
    if (document.visibilityState !== "visible") {
      live.textContent = "Live updates paused while this tab is hidden";
    } else if (state.problem) {
      live.textContent = `Cannot update: ${state.problem}`;
    } else if (state.lastUpdate) {
      const at = new Date(state.lastUpdate);
      live.textContent = `● Live · updated ${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}`;
    } else {
      live.textContent = "Loading…";
    }
  }

  document.addEventListener("visibilitychange", () => {
    if (!state.key) {
      return;
    }
    if (document.visibilityState === "visible") {
      if (state.view === "operations") {
        refreshNow();
      }
    } else {
      clearTimeout(state.timer);
      state.timer = null;
      renderLive();
    }
  });

  // ---- Notices and actions ------------------------------------------------------------------------------------

  let noticeTimer = null;

  function notify(text, isError) {
    const notice = $("notice");
    notice.textContent = text;
    notice.classList.toggle("error", Boolean(isError));
    show(notice, true);
    clearTimeout(noticeTimer);
    noticeTimer = setTimeout(() => show(notice, false), isError ? 15000 : 8000);
  }

  async function act(job, action) {
    const busyKey = `${job}:${action}`;
    if (state.busy.has(busyKey)) {
      return;
    }
    state.busy.add(busyKey);
    renderJobs();
    try {
      const result = await api(`/jobs/${encodeURIComponent(job)}/${action}`, { method: "POST" });
      if (action === "trigger") {
        notify(`Run ${result.runId} of ${job} asked for: it shows below as running once it starts.`);
        selectJob(job);
      } else {
        state.jobs = state.jobs.map((j) => (j.name === job ? result : j));
        notify(action === "pause"
          ? `${job} is paused: no scheduled runs until it is resumed (Run now still works).`
          : `${job} is resumed: it runs on its schedule again.`);
      }
    } catch (e) {
      if (e.status === 401 || e.status === 403) {
        signOut(signInMessage(e, true));
        return;
      }
      notify(`Could not ${action === "trigger" ? "start a run of" : action} ${job} (${e.code}): ${e.message}`, true);
    } finally {
      state.busy.delete(busyKey);
    }
    renderJobs();
    refreshNow();
  }

  function selectJob(name) {
    if (state.selectedJob !== name) {
      state.selectedJob = name;
      state.runs = [];
      sessionStorage.setItem(JOB_STORAGE, name);
      renderJobs();
      renderHistory();
    }
    refreshNow();
  }

  // ---- Jobs table ---------------------------------------------------------------------------------------------

  function renderJobs() {
    show($("jobs-empty"), state.jobs.length === 0);
    patchRows($("jobs").tBodies[0], state.jobs.map(jobRow), "data-job");
  }

  function jobRow(job) {
    const selected = job.name === state.selectedJob;
    return el("tr", { "data-job": job.name, class: selected ? "selected" : "" },
      el("th", { scope: "row" },
        el("button", {
          type: "button", class: "link job-name", text: job.name, "aria-pressed": String(selected),
          title: `Show the runs of ${job.name}`, onclick: () => selectJob(job.name),
        }),
        el("div", { class: "muted small nowrap", text: `agency: ${job.agency}` })),
      el("td", null, scheduleCell(job)),
      el("td", { class: "state" }, stateCell(job)),
      el("td", { class: "last-run" }, lastRunCell(job)),
      el("td", { class: "freshness" }, freshnessCell(job)),
      el("td", { class: "health" }, healthCell(job)),
      el("td", { class: "actions" }, actionsCell(job)));
  }

  function scheduleCell(job) {
    const parts = [el("code", { text: job.schedule, title: "Quartz cron (seconds first), Asia/Shanghai" })];
    if (job.schedule !== job.configuredSchedule) {
      parts.push(el("div", { class: "muted small", text: `configured: ${job.configuredSchedule}` }));
    }
    parts.push(el("div", { class: "small" }, job.paused
      ? el("span", { class: "muted", text: "no scheduled run while paused" })
      : ["next: ", timeEl(job.nextRunAt, { none: "none scheduled" })]));
    return parts;
  }

  function stateCell(job) {
    const parts = [job.paused ? badge("st-paused", "⏸ Paused", "Scheduled runs are paused") : badge("st-active", "Scheduled", "Runs on its schedule")];
    const run = job.lastRun && job.lastRun.outcome === "running" ? job.lastRun : null;
    if (run || job.running) {
      parts.push(" ", badge("o-running", "● Running"));
    }
    if (run) {
      const c = run.counts;
      parts.push(el("div", { class: "progress small", "data-run": run.runId },
        el("div", null, `${fmtNumber(c.read)} records read · ${fmtNumber(run.batches)} batch${run.batches === 1 ? "" : "es"}`),
        el("div", null, run.currentDataset ? `dataset ${run.currentDataset}` : "between datasets",
          ` · ${fmtNumber(run.retries)} retr${run.retries === 1 ? "y" : "ies"}`),
        el("div", { class: "muted" }, `started ${relative(run.startedAt)} (${run.trigger})`)));
    }
    return parts;
  }

  function lastRunCell(job) {
    const run = job.lastFinishedRun;
    if (!run) {
      return el("span", { class: "muted", text: "no run has ended yet" });
    }
    const parts = [
      outcomeBadge(run.outcome),
      el("div", { class: "small" }, "ended ", timeEl(run.endedAt), ` · took ${fmtDuration(run.durationSeconds)}`),
      el("div", { class: "small" }, `${fmtNumber(run.counts.read)} read`),
      countsList(run.counts),
    ];
    if (run.failureMessage) {
      parts.push(el("div", { class: "failure small", text: run.failureMessage }));
    }
    return parts;
  }

  function freshnessCell(job) {
    const parts = [];
    if (job.stale) {
      parts.push(badge("stale", "STALE", "Older than its freshness target"), " ");
    }
    parts.push(el("div", { class: "small" }, "last success: ", timeEl(job.lastSuccessAt)));
    if (job.ageSeconds !== null) {
      parts.push(el("div", { class: "small" }, `age ${fmtSpan(job.ageSeconds)} of a ${fmtSpan(job.freshnessTargetSeconds)} target`));
    } else {
      parts.push(el("div", { class: "small" }, `freshness target ${fmtSpan(job.freshnessTargetSeconds)}`));
    }
    parts.push(el("div", { class: "small" }, job.lagSeconds !== null
      ? `lag ${fmtSpan(job.lagSeconds)} behind the agency's newest record`
      : el("span", { class: "muted", text: "lag unknown (nothing committed yet)" })));
    return parts;
  }

  function healthCell(job) {
    const h = job.health;
    const parts = [];
    if (h.state === "alert") {
      parts.push(badge("alert", "ALERT", "An alert was raised for this agency"), " ");
      parts.push(el("div", { class: "small" }, "raised ", timeEl(h.alertRaisedAt)));
    } else if (h.state === "failing") {
      parts.push(badge("failing", "Failing"));
    } else {
      parts.push(badge("healthy", "✓ Healthy"));
    }
    if (h.failingSince) {
      parts.push(el("div", { class: "small" }, "failing since ", timeEl(h.failingSince), ` · ${fmtNumber(h.consecutiveFailures)} failed attempts`));
    }
    if (h.lastError && h.state !== "healthy") {
      parts.push(el("div", { class: "failure small", text: h.lastError }));
    }
    const circuit = el("div", { class: `small circuit c-${h.circuit}` }, `circuit ${h.circuit}`);
    if (h.circuit === "open" && h.circuitRetryAt) {
      circuit.append(", next try ", timeEl(h.circuitRetryAt));
    }
    parts.push(circuit);
    return parts;
  }

  function actionsCell(job) {
    const running = state.busy.has(`${job.name}:trigger`);
    const toggling = state.busy.has(`${job.name}:pause`) || state.busy.has(`${job.name}:resume`);
    const run = el("button", {
      type: "button", class: "run-now", text: running ? "Starting…" : "Run now", disabled: running,
      "aria-label": `Run ${job.name} now`, onclick: () => act(job.name, "trigger"),
    });
    const toggle = job.paused
      ? el("button", { type: "button", class: "secondary resume", text: "Resume", disabled: toggling, "aria-label": `Resume ${job.name}`, onclick: () => act(job.name, "resume") })
      : el("button", { type: "button", class: "secondary pause", text: "Pause", disabled: toggling, "aria-label": `Pause ${job.name}`, onclick: () => act(job.name, "pause") });
    return el("div", "buttons", run, toggle);
  }

  // ---- Run history --------------------------------------------------------------------------------------------

  function renderHistory() {
    const job = state.selectedJob;
    $("history-title").textContent = job ? `Run history: ${job}` : "Run history";
    show($("history-hint"), !job);
    patchRows($("runs").tBodies[0], state.runs.map(runRow), "data-run");
    show($("runs-empty"), Boolean(job) && state.runs.length === 0);

    // Charts are drawn again only when what they show changed, so that a tooltip being read stays put.
    const charted = JSON.stringify([job, state.runs.map((r) => [r.runId, r.outcome, r.counts, r.lagSeconds])]);
    if (charted !== state.charted) {
      state.charted = charted;
      renderRecordsChart();
      renderLagChart();
    }
  }

  function runRow(run) {
    const details = el("td", { class: "details" }, el("code", { class: "run-id", text: run.runId }));
    if (run.failureMessage) {
      details.append(el("div", { class: "failure small", text: `${run.failureKind ? `${run.failureKind}: ` : ""}${run.failureMessage}` }));
    }
    const reading = run.outcome === "running" && run.currentDataset ? el("div", { class: "small muted", text: `reading ${run.currentDataset}` }) : null;
    return el("tr", { "data-run": run.runId, "data-outcome": run.outcome },
      el("td", null, timeEl(run.startedAt)),
      el("td", null, outcomeBadge(run.outcome), reading),
      el("td", { text: run.trigger }),
      el("td", { class: "num", text: fmtNumber(run.counts.read) }),
      el("td", null, countsList(run.counts)),
      el("td", { class: "num", text: fmtNumber(run.batches) }),
      el("td", { class: "num", text: fmtNumber(run.retries) }),
      el("td", { class: "num", text: fmtDuration(run.durationSeconds) }),
      el("td", { class: "num", text: run.lagSeconds === null ? "–" : fmtSpan(run.lagSeconds) }),
      details);
  }

  const CHART = { width: 640, height: 220, left: 56, right: 12, top: 12, bottom: 30 };

  /** Chart frame: y gridlines with labels, and the plot area's geometry. */
  function chartFrame(max, label, format) {
    const plotWidth = CHART.width - CHART.left - CHART.right;
    const plotHeight = CHART.height - CHART.top - CHART.bottom;
    const root = svg("svg", { viewBox: `0 0 ${CHART.width} ${CHART.height}`, role: "img", "aria-label": label, class: "chart-svg" });
    const ticks = niceTicks(max);
    const top = ticks[ticks.length - 1] || 1;
    for (const t of ticks) {
      const y = CHART.top + plotHeight - (t / top) * plotHeight;
      root.append(
        svg("line", { x1: CHART.left, x2: CHART.width - CHART.right, y1: y, y2: y, class: "grid" }),
        svg("text", { x: CHART.left - 6, y: y + 4, class: "axis", "text-anchor": "end" }, format(t)));
    }
    return { root, plotWidth, plotHeight, top };
  }

  function niceTicks(max) {
    if (!(max > 0)) {
      return [0, 1];
    }
    const rough = max / 4;
    const magnitude = Math.pow(10, Math.floor(Math.log10(rough)));
    const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= rough);
    const ticks = [];
    for (let t = 0; t <= max + step * 0.999; t += step) {
      ticks.push(t);
    }
    return ticks;
  }

  function xLabel(root, x, iso) {
    const d = new Date(iso);
    root.append(svg("text", { x, y: CHART.height - 10, class: "axis", "text-anchor": "middle" }, `${pad(d.getHours())}:${pad(d.getMinutes())}`));
  }

  /** Which bars get a time label underneath: about six, the newest always. */
  function labelled(index, count) {
    const every = Math.max(1, Math.ceil(count / 6));
    return (count - 1 - index) % every === 0;
  }

  function renderRecordsChart() {
    const host = $("chart-records");
    const legend = $("legend-records");
    clear(host);
    clear(legend);
    const runs = state.runs.slice().reverse();
    if (runs.length === 0) {
      host.append(el("p", { class: "muted empty-chart", text: "No runs to chart yet." }));
      return;
    }
    const totals = runs.map((r) => SERIES.reduce((sum, s) => sum + r.counts[s.key], 0));
    const frame = chartFrame(Math.max(...totals), `Records per run of ${state.selectedJob}, stacked by where they went`, (t) => fmtCompact(t));
    const slot = frame.plotWidth / runs.length;
    const barWidth = Math.max(2, Math.min(36, slot * 0.7));
    runs.forEach((run, i) => {
      const x = CHART.left + i * slot + (slot - barWidth) / 2;
      let y = CHART.top + frame.plotHeight;
      const group = svg("g", { class: `bar${run.outcome === "running" ? " running" : ""}` });
      const parts = SERIES.filter((s) => run.counts[s.key] > 0).map((s) => `${fmtNumber(run.counts[s.key])} ${s.label}`);
      group.append(svg("title", null, `${fmtTime(run.startedAt)} · ${run.outcome} · ${fmtNumber(run.counts.read)} read${parts.length ? `: ${parts.join(", ")}` : ""}`));
      for (const s of SERIES) {
        const value = run.counts[s.key];
        if (value <= 0) {
          continue;
        }
        const h = Math.max(1, (value / frame.top) * frame.plotHeight);
        y -= h;
        group.append(svg("rect", { x, y, width: barWidth, height: h, class: s.cls }));
      }
      if (totals[i] === 0) {
        group.append(svg("rect", { x, y: y - 1, width: barWidth, height: 1, class: "s-empty" }));
      }
      frame.root.append(group);
      if (labelled(i, runs.length)) {
        xLabel(frame.root, x + barWidth / 2, run.startedAt);
      }
    });
    host.append(frame.root);
    for (const s of SERIES) {
      legend.append(el("li", null, el("span", { class: `swatch ${s.cls}`, "aria-hidden": "true" }), s.label));
    }
  }

  function renderLagChart() {
    const host = $("chart-lag");
    clear(host);
    const runs = state.runs.slice().reverse();
    const points = runs.map((r, i) => ({ run: r, i, lag: r.lagSeconds }));
    const known = points.filter((p) => p.lag !== null && p.lag !== undefined);
    if (known.length === 0) {
      host.append(el("p", { class: "muted empty-chart", text: runs.length ? "No lag recorded yet: a run records it when it ends." : "No runs to chart yet." }));
      return;
    }
    const max = Math.max(...known.map((p) => p.lag));
    const unit = max >= 2 * 86400 ? { s: 86400, name: "d" } : max >= 2 * 3600 ? { s: 3600, name: "h" } : max >= 120 ? { s: 60, name: "min" } : { s: 1, name: "s" };
    const frame = chartFrame(max / unit.s, `Lag at the end of each run of ${state.selectedJob}, in ${unit.name}`, (t) => `${fmtCompact(t)} ${unit.name}`);
    const slot = frame.plotWidth / runs.length;
    const xOf = (i) => CHART.left + i * slot + slot / 2;
    const yOf = (lag) => CHART.top + frame.plotHeight - (lag / unit.s / frame.top) * frame.plotHeight;
    frame.root.append(svg("polyline", { class: "lag-line", points: known.map((p) => `${xOf(p.i)},${yOf(p.lag)}`).join(" ") }));
    for (const p of known) {
      frame.root.append(svg("circle", { cx: xOf(p.i), cy: yOf(p.lag), r: 3.5, class: `lag-point ${OUTCOMES[p.run.outcome] ? OUTCOMES[p.run.outcome].cls : ""}` },
        svg("title", null, `${fmtTime(p.run.startedAt)} · ${p.run.outcome} · lag ${fmtSpan(p.lag)}`)));
    }
    runs.forEach((r, i) => {
      if (labelled(i, runs.length)) {
        xLabel(frame.root, xOf(i), r.startedAt);
      }
    });
    host.append(frame.root);
  }

  function fmtCompact(n) {
    if (n >= 1e6) {
      return `${+(n / 1e6).toFixed(1)}M`;
    }
    if (n >= 1e4) {
      return `${+(n / 1e3).toFixed(0)}k`;
    }
    return fmtNumber(+n.toFixed(2));
  }

  // ---- Quarantine ---------------------------------------------------------------------------------------------

  async function loadQuarantine() {
    const q = state.quarantine;
    try {
      q.page = await api(`/quarantine${query({ ...q.filter, after: q.after, limit: QUARANTINE_PAGE })}`);
      renderQuarantine();
    } catch (e) {
      if (e.status === 401 || e.status === 403) {
        signOut(signInMessage(e, true));
        return;
      }
      $("q-summary").textContent = `Cannot load the quarantine (${e.code}): ${e.message}`;
    }
  }

  function renderQuarantine() {
    const q = state.quarantine;
    const page = q.page;
    const select = $("q-agency");
    const chosen = q.filter.agency;
    const agencies = new Set(state.jobs.map((j) => j.agency));
    page.byAgency.forEach((a) => agencies.add(a.agency));
    const counts = new Map(page.byAgency.map((a) => [a.agency, a.count]));
    clear(select);
    select.append(el("option", { value: "", text: "all agencies" }));
    for (const agency of [...agencies].sort()) {
      select.append(el("option", { value: agency, text: `${agency} (${fmtNumber(counts.get(agency) || 0)})` }));
    }
    select.value = chosen;

    const waiting = page.byAgency.reduce((sum, a) => sum + a.count, 0);
    $("quarantine-title").textContent = `Quarantine (${fmtNumber(waiting)} waiting)`;
    const first = q.previous.length * QUARANTINE_PAGE;
    $("q-summary").textContent = page.total === 0
      ? "Nothing matches: no record waits in quarantine with these filters."
      : `Showing ${fmtNumber(first + 1)}–${fmtNumber(first + page.records.length)} of ${fmtNumber(page.total)} matching, newest first.`;

    const body = $("quarantine").tBodies[0];
    clear(body);
    for (const r of page.records) {
      body.append(el("tr", { "data-quarantine-id": String(r.id) },
        el("td", { class: "num", text: String(r.id) }),
        el("td", { text: r.agency }),
        el("td", { text: r.dataset }),
        el("td", null, el("code", { class: "key", text: r.sourceKey })),
        el("td", null, el("code", { class: "reason", text: r.reasonCode })),
        el("td", { class: "message", text: r.reasonMessage }),
        el("td", null, timeEl(r.agencyTime, { none: "unknown" })),
        el("td", null, timeEl(r.quarantinedAt)),
        el("td", null, el("code", { class: "run-id", text: r.runId }))));
    }
    $("q-newer").disabled = q.previous.length === 0;
    $("q-older").disabled = page.nextAfter === null;
  }

  $("quarantine-filter").addEventListener("submit", (event) => {
    event.preventDefault();
    const q = state.quarantine;
    q.filter = { agency: $("q-agency").value, reason: $("q-reason").value.trim(), dataset: $("q-dataset").value.trim() };
    q.after = null;
    q.previous = [];
    loadQuarantine();
  });

  $("quarantine-filter").addEventListener("reset", () => {
    const q = state.quarantine;
    q.filter = { agency: "", reason: "", dataset: "" };
    q.after = null;
    q.previous = [];
    setTimeout(loadQuarantine, 0);
  });

  $("q-older").addEventListener("click", () => {
    const q = state.quarantine;
    if (q.page && q.page.nextAfter !== null) {
      q.previous.push(q.after);
      q.after = q.page.nextAfter;
      loadQuarantine();
    }
  });

  $("q-newer").addEventListener("click", () => {
    const q = state.quarantine;
    if (q.previous.length) {
      q.after = q.previous.pop();
      loadQuarantine();
    }
  });

  // ---- Alerts -------------------------------------------------------------------------------------------------

  function renderAlerts() {
    const list = $("alerts");
    clear(list);
    for (const a of state.alerts) {
      const onset = a.kind === "onset";
      list.append(el("li", { class: onset ? "onset" : "recovery", "data-alert": String(a.id) },
        badge(onset ? "alert" : "healthy", onset ? "ALERT" : "RECOVERED"),
        " ", el("strong", { text: a.agency }), " ", timeEl(a.at),
        el("div", { class: "small", text: a.message })));
    }
    show($("alerts-empty"), state.alerts.length === 0);
  }

  // ---- Findings -----------------------------------------------------------------------------------------------

  function defaultFindingsFilter() {
    return { agency: "", rule: "", states: ["open", "acknowledged"], district: "", street: "" };
  }

  function forgetFindings() {
    state.purpose = null;
    state.findings = { filter: defaultFindingsFilter(), after: null, previous: [], page: null, open: null, detail: null, acting: false };
  }

  /** Failures of the findings and charts views: a 401 signs out, anything else is shown where it happened. */
  function failed(e, where, what) {
    if (e.status === 401) {
      signOut(signInMessage(e, true));
      return;
    }
    where.textContent = `${what} (${e.code}): ${e.message}`;
  }

  function enterFindings(entered, findingId) {
    const f = state.findings;
    const remembered = sessionStorage.getItem(PURPOSE_STORAGE);
    if (!state.purpose && state.session.purposes.some((p) => p.name === remembered)) {
      state.purpose = remembered;
      const filter = sessionStorage.getItem(FINDINGS_STORAGE);
      f.filter = filter ? { ...defaultFindingsFilter(), ...JSON.parse(filter) } : defaultFindingsFilter();
    }
    $("f-purpose").value = state.purpose || "";
    show($("findings-filter"), Boolean(state.purpose));
    if (!state.purpose) {
      clear($("findings").tBodies[0]);
      show($("finding"), false);
      $("f-summary").textContent = "Choose the purpose of this session to see the findings.";
      $("f-previous").disabled = true;
      $("f-next").disabled = true;
      return;
    }
    showFindingsFilter();
    if (entered || !f.page) {
      loadFindings();
    }
    if (findingId !== null) {
      openFinding(findingId);
    } else {
      f.open = null;
      f.detail = null;
      show($("finding"), false);
    }
  }

  function showFindingsFilter() {
    const filter = state.findings.filter;
    $("f-agency").value = filter.agency;
    $("f-rule").value = filter.rule;
    for (const box of $("findings-filter").querySelectorAll("input[name=state]")) {
      box.checked = filter.states.includes(box.value);
    }
    $("f-district").value = filter.district;
    $("f-street").value = filter.street;
  }

  async function loadFindings() {
    const f = state.findings;
    const filter = f.filter;
    try {
      f.page = await api(`/findings${query({
        agency: filter.agency, rule: filter.rule, states: filter.states.join(","), district: filter.district, street: filter.street,
        after: f.after, limit: FINDINGS_PAGE,
      })}`, { purpose: state.purpose });
      renderFindings();
    } catch (e) {
      clear($("findings").tBodies[0]);
      failed(e, $("f-summary"), "Cannot load the findings");
    }
  }

  function renderFindings() {
    const f = state.findings;
    const page = f.page;
    const agency = $("f-agency");
    agency.disabled = Boolean(page.confinedTo);
    if (page.confinedTo) {
      agency.value = page.confinedTo;
      agency.title = `This key sees only ${page.confinedTo}'s worklist`;
    }
    const first = f.previous.length * FINDINGS_PAGE;
    const states = page.states.join(", ");
    $("f-summary").textContent = page.total === 0
      ? `No finding matches (${states}).`
      : `Showing ${fmtNumber(first + 1)}–${fmtNumber(first + page.findings.length)} of ${fmtNumber(page.total)} findings (${states}), oldest first${page.confinedTo ? `, for ${page.confinedTo} only` : ""}.`;
    const body = $("findings").tBodies[0];
    clear(body);
    for (const finding of page.findings) {
      body.append(el("tr", { "data-finding": String(finding.id), "data-state": finding.state, class: finding.id === f.open ? "selected" : "" },
        el("th", { scope: "row" },
          el("button", {
            type: "button", class: "link finding-link", text: finding.rule, "aria-label": `Open finding ${finding.id} (${finding.rule})`,
            onclick: () => { location.hash = `#findings/${finding.id}`; },
          }),
          el("div", { class: "muted small", text: `#${finding.id}` })),
        el("td", { class: "target", text: finding.targetAgency }),
        el("td", { class: "state" }, stateBadge(finding.state)),
        el("td", null, personCell(finding)),
        el("td", null, el("code", { text: finding.subject })),
        el("td", { text: finding.district }),
        el("td", { text: finding.street }),
        el("td", null, timeEl(finding.openedAt), finding.timesOpened > 1 ? el("div", { class: "muted small", text: `opened ${finding.timesOpened} times` }) : null),
        el("td", { class: "explanation small", text: finding.explanation })));
    }
    $("f-previous").disabled = f.previous.length === 0;
    $("f-next").disabled = page.nextAfter === null;
  }

  const STATES = {
    open: { cls: "f-open", text: "open" },
    acknowledged: { cls: "f-acknowledged", text: "acknowledged" },
    resolved: { cls: "f-resolved", text: "✓ resolved" },
    closed: { cls: "f-closed", text: "closed by the data" },
    opened: { cls: "f-open", text: "opened" },
    reopened: { cls: "f-open", text: "reopened" },
  };

  function stateBadge(value) {
    const known = STATES[value] || { cls: "o-unknown", text: value };
    return el("span", { class: `badge ${known.cls}`, "data-state": value, text: known.text });
  }

  function personCell(finding) {
    return [
      finding.residentIdMasked
        ? el("code", { class: "key", text: finding.residentIdMasked })
        : el("span", { class: "muted", text: "ID withheld", title: "The sharing policy does not show you this person's resident ID for this purpose" }),
      el("div", { class: "muted small", text: finding.personId, title: "Hub person ID" }),
    ];
  }

  async function openFinding(id) {
    const f = state.findings;
    const opening = f.open !== id;
    f.open = id;
    for (const row of $("findings").tBodies[0].rows) {
      row.classList.toggle("selected", row.getAttribute("data-finding") === String(id));
    }
    if (opening) {
      $("f-note").value = "";
      show($("f-action-error"), false);
    }
    try {
      const detail = await api(`/findings/${id}`, { purpose: state.purpose });
      if (f.open !== id) {
        return;
      }
      f.detail = detail;
      renderFinding();
      show($("finding"), true);
      if (opening) {
        $("finding").scrollIntoView({ block: "start" });
      }
    } catch (e) {
      show($("finding"), false);
      if (e.status === 401) {
        signOut(signInMessage(e, true));
        return;
      }
      notify(`Cannot open finding ${id} (${e.code}): ${e.message}`, true);
    }
  }

  function renderFinding() {
    const { finding, history } = state.findings.detail;
    $("finding-title").textContent = `Finding ${finding.id}: ${finding.rule}`;
    const facts = $("finding-facts");
    clear(facts);
    const fact = (term, ...value) => facts.append(el("dt", { text: term }), el("dd", null, ...value));
    fact("State", stateBadge(finding.state));
    fact("For", finding.targetAgency);
    fact("Person", personCell(finding));
    fact("Subject", el("code", { text: finding.subject }));
    fact("Where", `${finding.district} ${finding.street}`);
    fact("First opened", timeEl(finding.firstOpenedAt));
    fact("Opened", timeEl(finding.openedAt), finding.timesOpened > 1 ? ` (opened ${finding.timesOpened} times)` : "");
    fact("Last change", timeEl(finding.updatedAt));
    if (finding.resolvedAt) {
      fact("Resolved", timeEl(finding.resolvedAt));
    }
    if (finding.closedAt) {
      fact("Closed by the data", timeEl(finding.closedAt));
    }
    $("finding-explanation").textContent = finding.explanation;

    const evidence = $("finding-evidence").tBodies[0];
    clear(evidence);
    for (const e of finding.evidence) {
      evidence.append(el("tr", null,
        el("td", { text: e.agency }),
        el("td", { text: e.dataset }),
        el("td", null, e.sourceKey
          ? el("code", { class: "key", text: e.sourceKey })
          : el("span", { class: "muted", text: "(withheld)", title: "The sharing policy does not show you this agency's records for this purpose" })),
        el("td", null, timeEl(e.agencyTime, { none: "(withheld)" })),
        el("td", null, timeEl(e.hubTime, { none: "(withheld)" })),
        el("td", null, el("code", { class: "run-id", text: e.runId }))));
    }

    const list = $("finding-history");
    clear(list);
    for (const h of history) {
      list.append(el("li", { "data-transition": h.transition },
        timeEl(h.at), " ", stateBadge(h.transition), " by ", el("strong", { text: h.actor }),
        h.note ? el("div", { class: "note", text: h.note }) : null,
        h.explanation ? el("div", { class: "muted small", text: h.explanation }) : null));
    }
    renderFindingButtons();
  }

  function renderFindingButtons() {
    const detail = state.findings.detail;
    const current = detail ? detail.finding.state : null;
    const acting = state.findings.acting;
    $("f-acknowledge").disabled = acting || current !== "open";
    $("f-resolve").disabled = acting || !(current === "open" || current === "acknowledged");
  }

  async function actOnFinding(action) {
    const f = state.findings;
    const id = f.detail.finding.id;
    const error = $("f-action-error");
    const note = $("f-note").value.trim();
    const refuse = (text) => {
      error.textContent = text;
      show(error, true);
      $("f-note").focus();
    };
    if (!note) {
      refuse("Write a note first: say what was done or will be done.");
      return;
    }
    if (note.length > NOTE_MAX) {
      refuse(`The note is ${fmtNumber(note.length)} characters long; at most ${fmtNumber(NOTE_MAX)}.`);
      return;
    }
    f.acting = true;
    renderFindingButtons();
    try {
      const updated = await api(`/findings/${id}/${action}`, { method: "POST", purpose: state.purpose, json: { note } });
      $("f-note").value = "";
      show(error, false);
      notify(`Finding ${id} is ${updated.state} (your note is in its history).`);
    } catch (e) {
      if (e.status === 401) {
        signOut(signInMessage(e, true));
        return;
      }
      refuse(`Could not ${action} finding ${id} (${e.code}): ${e.message}`);
    } finally {
      f.acting = false;
    }
    await openFinding(id); // its state and history as they are now, whatever happened
    loadFindings();
  }

  $("f-acknowledge").addEventListener("click", () => actOnFinding("acknowledge"));
  $("f-resolve").addEventListener("click", () => actOnFinding("resolve"));
  $("f-close").addEventListener("click", () => { location.hash = "#findings"; });
  $("finding-action").addEventListener("submit", (event) => event.preventDefault());

  $("f-purpose").addEventListener("change", () => {
    state.purpose = $("f-purpose").value || null;
    if (state.purpose) {
      sessionStorage.setItem(PURPOSE_STORAGE, state.purpose);
    } else {
      sessionStorage.removeItem(PURPOSE_STORAGE);
    }
    state.findings.after = null;
    state.findings.previous = [];
    state.findings.page = null;
    enterFindings(true, state.findings.open);
  });

  function applyFindingsFilter(filter) {
    const f = state.findings;
    f.filter = filter;
    f.after = null;
    f.previous = [];
    sessionStorage.setItem(FINDINGS_STORAGE, JSON.stringify(filter));
    loadFindings();
  }

  $("findings-filter").addEventListener("submit", (event) => {
    event.preventDefault();
    applyFindingsFilter({
      agency: $("f-agency").value,
      rule: $("f-rule").value,
      states: [...$("findings-filter").querySelectorAll("input[name=state]:checked")].map((box) => box.value),
      district: $("f-district").value.trim(),
      street: $("f-street").value.trim(),
    });
  });

  $("findings-filter").addEventListener("reset", (event) => {
    event.preventDefault();
    applyFindingsFilter(defaultFindingsFilter());
    showFindingsFilter();
  });

  $("f-next").addEventListener("click", () => {
    const f = state.findings;
    if (f.page && f.page.nextAfter !== null) {
      f.previous.push(f.after);
      f.after = f.page.nextAfter;
      loadFindings();
    }
  });

  $("f-previous").addEventListener("click", () => {
    const f = state.findings;
    if (f.previous.length) {
      f.after = f.previous.pop();
      loadFindings();
    }
  });

  // ---- Charts: SVG drawn here from the API's figures, each with a table of the same figures ------------------

  const GRADES = [
    { key: "extreme", label: "EXTREME", cls: "g-extreme" },
    { key: "high", label: "HIGH", cls: "g-high" },
    { key: "medium", label: "MEDIUM", cls: "g-medium" },
    { key: "low", label: "LOW", cls: "g-low" },
    { key: "ungraded", label: "ungraded", cls: "g-ungraded" },
  ];

  const TRANSITIONS = [
    { key: "opened", label: "opened", cls: "t-opened" },
    { key: "resolved", label: "resolved by the agency", cls: "t-resolved" },
    { key: "closed", label: "closed by the data", cls: "t-closed" },
  ];

  function loadCharts() {
    loadGradesChart();
    loadFindingsChart();
  }

  function legend(list, series) {
    clear(list);
    for (const s of series) {
      list.append(el("li", null, el("span", { class: `swatch ${s.cls}`, "aria-hidden": "true" }), s.label));
    }
  }

  function axisLabel(root, x, text) {
    root.append(svg("text", { x, y: CHART.height - 10, class: "axis", "text-anchor": "middle" }, text));
  }

  // Grades by district: one stacked bar per district.
  async function loadGradesChart() {
    const host = $("chart-grades");
    try {
      const data = await api("/charts/grades");
      renderGradesChart(data.districts);
    } catch (e) {
      clear(host);
      failed(e, host, "Cannot load the grades");
    }
  }

  function renderGradesChart(districts) {
    const host = $("chart-grades");
    clear(host);
    legend($("legend-grades"), GRADES);
    const table = $("grades-table").tBodies[0];
    clear(table);
    if (districts.length === 0) {
      host.append(el("p", { class: "muted empty-chart", text: "Nobody is under community control in the hub's data yet." }));
      return;
    }
    const total = districts.reduce((sum, d) => sum + d.underCommunityControl, 0);
    const frame = chartFrame(Math.max(...districts.map((d) => d.underCommunityControl)),
      `People under community control by district and risk grade, ${fmtNumber(total)} in all; the table below lists the figures`, fmtCompact);
    const slot = frame.plotWidth / districts.length;
    const barWidth = Math.max(4, Math.min(40, slot * 0.65));
    districts.forEach((d, i) => {
      const x = CHART.left + i * slot + (slot - barWidth) / 2;
      let y = CHART.top + frame.plotHeight;
      const bar = svg("g", { class: "bar", "data-district": d.district });
      bar.append(svg("title", null, `${d.district}: ${fmtNumber(d.underCommunityControl)} under community control (${GRADES.map((g) => `${fmtNumber(d[g.key])} ${g.label}`).join(", ")})`));
      for (const g of GRADES) {
        if (d[g.key] > 0) {
          const h = (d[g.key] / frame.top) * frame.plotHeight;
          y -= h;
          bar.append(svg("rect", { x, y, width: barWidth, height: h, class: g.cls }));
        }
      }
      frame.root.append(bar);
      axisLabel(frame.root, x + barWidth / 2, d.district);
      table.append(el("tr", { "data-district": d.district },
        el("th", { scope: "row", text: d.district }),
        ...GRADES.map((g) => el("td", { class: "num", "data-grade": g.key, text: fmtNumber(d[g.key]) })),
        el("td", { class: "num", "data-grade": "total", text: fmtNumber(d.underCommunityControl) })));
    });
    host.append(frame.root);
  }

  // Findings opened and closed: per day, a bar of findings opened beside a bar of findings closed (by the agency or the data).
  async function loadFindingsChart() {
    const host = $("chart-findings");
    try {
      renderFindingsChart(await api(`/charts/findings${query({ days: state.charts.days, rule: state.charts.rule })}`));
    } catch (e) {
      clear(host);
      failed(e, host, "Cannot load the findings over time");
    }
  }

  function renderFindingsChart(data) {
    const host = $("chart-findings");
    clear(host);
    legend($("legend-findings"), TRANSITIONS);
    const days = data.days;
    const closedOf = (d) => d.resolved + d.closed;
    const opened = days.reduce((sum, d) => sum + d.opened, 0);
    const closed = days.reduce((sum, d) => sum + closedOf(d), 0);
    const which = data.rule ? `${data.rule} findings` : "Findings";
    const frame = chartFrame(Math.max(1, ...days.map((d) => Math.max(d.opened, closedOf(d)))),
      `${which} opened and closed per day from ${data.from} to ${data.to}: ${fmtNumber(opened)} opened, ${fmtNumber(closed)} closed; the table below lists the figures`,
      fmtCompact);
    const slot = frame.plotWidth / days.length;
    const barWidth = Math.max(1, Math.min(16, slot * 0.4));
    const bottom = CHART.top + frame.plotHeight;
    const height = (value) => (value / frame.top) * frame.plotHeight;
    const table = $("trend-table").tBodies[0];
    clear(table);
    days.forEach((d, i) => {
      const x = CHART.left + i * slot + slot / 2 - barWidth;
      const day = svg("g", { class: "day", "data-day": d.day });
      day.append(svg("title", null, `${d.day}: ${fmtNumber(d.opened)} opened, ${fmtNumber(d.resolved)} resolved by the agency, ${fmtNumber(d.closed)} closed by the data`));
      if (d.opened > 0) {
        day.append(svg("rect", { x, y: bottom - height(d.opened), width: barWidth, height: height(d.opened), class: "t-opened" }));
      }
      let y = bottom;
      for (const s of TRANSITIONS.slice(1)) {
        if (d[s.key] > 0) {
          y -= height(d[s.key]);
          day.append(svg("rect", { x: x + barWidth, y, width: barWidth, height: height(d[s.key]), class: s.cls }));
        }
      }
      frame.root.append(day);
      if (labelled(i, days.length)) {
        axisLabel(frame.root, x + barWidth, d.day.slice(5));
      }
      table.append(el("tr", { "data-day": d.day },
        el("th", { scope: "row", text: d.day }),
        ...TRANSITIONS.map((s) => el("td", { class: "num", "data-series": s.key, text: fmtNumber(d[s.key]) }))));
    });
    host.append(frame.root);
  }

  $("trend-filter").addEventListener("change", () => {
    state.charts = { days: Number($("t-days").value), rule: $("t-rule").value };
    loadFindingsChart();
  });
  $("trend-filter").addEventListener("submit", (event) => event.preventDefault());

  // ---- Start --------------------------------------------------------------------------------------------------

  $("sign-in-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const key = $("api-key").value.trim();
    if (key) {
      signIn(key, false);
    }
  });

  $("sign-out").addEventListener("click", () => signOut("You are signed out."));

  const remembered = sessionStorage.getItem(KEY_STORAGE);
  if (remembered) {
    signIn(remembered, true);
  } else {
    $("api-key").focus();
  }
})();
