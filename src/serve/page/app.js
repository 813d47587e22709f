// The what-if page. Every name from a scenario goes into the page through textContent or
// setAttribute, never as markup; the Content-Security-Policy allows only this script.
"use strict";

const SVG = "http://www.w3.org/2000/svg";
const COLOURS = { up: [0, 114, 178], down: [213, 94, 0], mid: [247, 247, 247] };
const state = { id: null, press: [], knockout: [], block: [], weight: [], method: "press", samples: null, shown: 0 };
let scenario = null;
let previous = null;
let latest = null;
let running = null;

const $ = (id) => document.getElementById(id);

function el(tag, attrs, text) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

function svgEl(tag, attrs) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
  return node;
}

async function api(method, path, body, signal) {
  const response = await fetch(path, {
    method,
    headers: body ? { "Content-Type": "application/json" } : {},
    body: body ? JSON.stringify(body) : undefined,
    signal,
  });
  if (!response.ok) throw await failure(response);
  return response.json();
}

/** The error a failed answer carries (`{"error": ...}`), or its text. */
async function failure(response) {
  const text = await response.text();
  let data = null;
  try { data = JSON.parse(text); } catch (e) { data = { error: text }; }
  return new Error(data.error || ("HTTP " + response.status));
}

function setStatus(text, isError) {
  const status = $("status");
  status.textContent = text;
  status.className = isError ? "status error" : "status";
}

// ---- the what-if state in the address ----

function saveState() {
  const params = new URLSearchParams();
  params.set("s", state.id);
  if (state.method !== "press") params.set("m", state.method);
  if (state.samples) params.set("n", String(state.samples));
  if (state.shown) params.set("i", String(state.shown));
  for (const [node, level] of state.press) params.append("p", node + "=" + level);
  for (const node of state.knockout) params.append("k", node);
  for (const link of state.block) params.append("b", link);
  for (const [link, low, high] of state.weight) params.append("w", link + "=" + low + "," + high);
  history.replaceState(null, "", "#" + params.toString());
}

function loadState() {
  const params = new URLSearchParams(location.hash.slice(1));
  const id = params.get("s");
  if (!id) return null;
  state.method = params.get("m") || "press";
  state.samples = Number(params.get("n")) || null;
  state.shown = Number(params.get("i")) || 0;
  state.press = params.getAll("p").map((t) => {
    const at = t.lastIndexOf("=");
    return [t.slice(0, at), Number(t.slice(at + 1))];
  });
  state.knockout = params.getAll("k");
  state.block = params.getAll("b");
  state.weight = params.getAll("w").map((t) => {
    const at = t.lastIndexOf("=");
    const [low, high] = t.slice(at + 1).split(",").map(Number);
    return [t.slice(0, at), low, high];
  });
  return id;
}

function whatIf() {
  const body = {
    method: state.method,
    press: state.press.map(([node, level]) => node + "=" + level),
    knockout: state.knockout,
    block: state.block,
    weight: state.weight.map(([link, low, high]) => link + "=uniform(" + low + ", " + high + ")"),
  };
  if (state.samples) body.samples = state.samples;
  return body;
}

// ---- scenario list ----

async function showList() {
  const list = await api("GET", "/api/scenarios");
  const nav = $("list");
  nav.replaceChildren();
  let folder = null;
  for (const entry of list) {
    if (entry.folder !== folder) {
      folder = entry.folder;
      nav.append(el("h2", {}, folder || "scenarios"));
    }
    const button = el("button", { type: "button", title: entry.description, "data-id": entry.id }, entry.title);
    button.addEventListener("click", () => {
      Object.assign(state, { press: [], knockout: [], block: [], weight: [], method: "press", samples: null, shown: 0 });
      openScenario(entry.id);
    });
    nav.append(button);
  }
}

async function openScenario(id) {
  state.id = id;
  previous = null;
  latest = null;
  for (const b of document.querySelectorAll("nav button")) {
    b.setAttribute("aria-current", String(b.dataset.id === id));
  }
  try {
    scenario = await api("GET", "/api/scenarios/" + id);
  } catch (e) {
    setStatus(e.message, true);
    return;
  }
  $("intro").hidden = true;
  $("scenario").hidden = false;
  $("why").hidden = true;
  $("title").textContent = scenario.title;
  $("description").textContent = scenario.description;
  const select = $("intervention");
  select.replaceChildren(...scenario.interventions.map((i, k) => el("option", { value: String(k) }, i.name)));
  if (state.shown >= scenario.interventions.length) state.shown = 0;
  select.value = String(state.shown);
  $("method").value = state.method;
  const samples = $("samples");
  samples.max = String(scenario.simulation.max_samples);
  samples.value = String(state.samples || scenario.simulation.samples);
  drawNetwork();
  drawLegend();
  run();
}

// ---- the network, drawn from the layout network.png uses ----

function colour(net) {
  const v = Math.max(-1, Math.min(1, Number.isFinite(net) ? net : 0));
  const end = v >= 0 ? COLOURS.up : COLOURS.down;
  const c = COLOURS.mid.map((m, i) => Math.round(m + (end[i] - m) * Math.abs(v)));
  return { fill: "rgb(" + c.join(",") + ")", ink: 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2] < 140 ? "#fff" : "#222" };
}

function shownOutcome(run) {
  if (!run) return null;
  const interventions = run.interventions || [];
  const name = scenario.interventions[state.shown] && scenario.interventions[state.shown].name;
  return interventions.find((i) => i.name === name) || interventions[0] || null;
}

function pressedNodes() {
  const chosen = scenario.interventions[state.shown];
  const names = new Set(state.press.map(([n]) => n));
  if (chosen) for (const [n] of chosen.press) names.add(n);
  return names;
}

function drawNetwork() {
  const svg = $("network");
  const layout = scenario.layout;
  const nodes = layout.nodes;
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  const grow = (x, y) => { x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y); };
  for (const n of nodes) { grow(n.centre[0] - n.size[0] / 2, n.centre[1] - n.size[1] / 2); grow(n.centre[0] + n.size[0] / 2, n.centre[1] + n.size[1] / 2); }
  for (const l of layout.lines) for (const [x, y] of l.path) grow(x, y);
  const pad = 20;
  svg.setAttribute("viewBox", [x0 - pad, y0 - pad, x1 - x0 + 2 * pad, y1 - y0 + 2 * pad].join(" "));
  svg.replaceChildren(markers());
  const outcome = shownOutcome(latest && (latest.runs ? latest.runs[0] : latest));
  const pressed = pressedNodes();
  for (const line of layout.lines) svg.append(drawLine(line));
  nodes.forEach((shape, v) => {
    if (v >= scenario.nodes.length) {
      svg.append(svgEl("circle", { cx: shape.centre[0], cy: shape.centre[1], r: shape.size[0] / 2, fill: "#222" }));
      return;
    }
    svg.append(drawNode(shape, v, outcome, pressed));
  });
  // Presence labels go over the nodes, so a short link's label is never hidden under a box.
  for (const line of layout.lines) {
    const link = scenario.links[line.link];
    if (link.present < 1 && !state.block.includes(link.text)) svg.append(presenceLabel(line.path, link.present));
  }
}

function markers() {
  const defs = svgEl("defs");
  const make = (id, colour, shape) => {
    const marker = svgEl("marker", { id, viewBox: "0 0 10 10", refX: shape === "tee" ? 5 : 9, refY: 5, markerWidth: 5, markerHeight: 5, orient: "auto-start-reverse" });
    marker.append(shape === "tee"
      ? svgEl("rect", { x: 4, y: 0, width: 2.4, height: 10, fill: colour })
      : svgEl("path", { d: "M0,0 L10,5 L0,10 z", fill: colour }));
    defs.append(marker);
  };
  make("head-up", "#117733", "arrow");
  make("head-down", "#882255", "tee");
  make("head-unknown", "#696969", "arrow");
  make("head-blocked", "#c4c4c4", "arrow");
  return defs;
}

function drawLine(line) {
  const link = scenario.links[line.link];
  const blocked = state.block.includes(link.text);
  const d = "M" + line.path.map(([x, y]) => x.toFixed(1) + "," + y.toFixed(1)).join(" L");
  const kind = { "->": "up", "-|": "down" }[line.arrow] || "unknown";
  const stroke = blocked ? "#c4c4c4" : { up: "#117733", down: "#882255", unknown: "#696969" }[kind];
  const group = svgEl("g", { class: "line", tabindex: "0", role: "button" });
  const title = svgEl("title");
  title.textContent = link.text + (blocked ? " (blocked)" : "") + (link.present < 1 ? " · present with p = " + link.present : "");
  group.append(title);
  const visible = svgEl("path", { d, fill: "none", stroke, "stroke-width": 2.5 });
  if (kind === "unknown") visible.setAttribute("stroke-dasharray", "5 5");
  else if (link.present < 1 || blocked) visible.setAttribute("stroke-dasharray", "12 7");
  if (line.to < scenario.nodes.length) visible.setAttribute("marker-end", "url(#head-" + (blocked ? "blocked" : kind) + ")");
  group.append(visible, svgEl("path", { d, class: "hit" }));
  group.addEventListener("click", (event) => linkMenu(event, link));
  return group;
}

/** "p 0.75" at the middle of an uncertain link (by length), haloed so it reads on lines and boxes. */
function presenceLabel(path, present) {
  const [x0, y0, x1, y1] = middleSegment(path);
  const size = scenario.layout.font_size * 0.75;
  const label = svgEl("text", { class: "presence", x: ((x0 + x1) / 2 + 6).toFixed(1), y: ((y0 + y1) / 2 - 6).toFixed(1),
    "font-size": size, fill: "#444", stroke: "#fff", "stroke-width": 3, "paint-order": "stroke" });
  label.textContent = "p " + Number(present).toFixed(2);
  label.setAttribute("pointer-events", "none");
  return label;
}

/** The segment holding the point halfway along `path`, as [x0, y0, x1, y1]. */
function middleSegment(path) {
  const lengths = path.slice(1).map(([x, y], k) => Math.hypot(x - path[k][0], y - path[k][1]));
  let rest = lengths.reduce((a, b) => a + b, 0) / 2;
  for (let k = 0; k < lengths.length; k++) {
    if (rest <= lengths[k]) return [...path[k], ...path[k + 1]];
    rest -= lengths[k];
  }
  const last = path[path.length - 1];
  return [...last, ...last];
}

function drawNode(shape, v, outcome, pressed) {
  const node = scenario.nodes[v];
  const knocked = state.knockout.includes(node.name);
  const result = outcome && outcome.nodes[v];
  const net = result ? result.p_up - result.p_down : NaN;
  const paint = knocked ? { fill: "#e2e2e2", ink: "#222" } : result ? colour(net) : { fill: "#f5f5f5", ink: "#222" };
  const [cx, cy] = shape.centre;
  const [w, h] = shape.size;
  const group = svgEl("g", { class: "node", tabindex: "0", role: "button", "data-node": node.name });
  const title = svgEl("title");
  title.textContent = node.name + (result ? ": P(up) " + result.p_up.toFixed(2) + ", P(down) " + result.p_down.toFixed(2) : "");
  group.append(title);
  const isPressed = pressed.has(node.name);
  const lines = shape.lines.slice();
  if (knocked) lines.push("(knocked out)");
  if (result && Number.isFinite(net)) lines.push((net > 0.005 ? "+" : net < -0.005 ? "\u2212" : "") + Math.abs(net).toFixed(2));
  const size = scenario.layout.font_size;
  const step = size * 1.2;
  // The added lines get room: the box grows around its centre, as in network.png.
  const height = Math.max(h, lines.length * step + 16);
  const width = Math.max(w, ...lines.map((t) => t.length * size * 0.5 + 20));
  group.append(svgEl("rect", { x: cx - width / 2, y: cy - height / 2, width, height, rx: 8, fill: paint.fill,
    stroke: isPressed ? "#222" : "#696969", "stroke-width": isPressed ? 4 : 1.5 }));
  lines.forEach((text, k) => {
    const t = svgEl("text", { x: cx, y: cy + (k - (lines.length - 1) / 2) * step, "text-anchor": "middle",
      "dominant-baseline": "central", "font-size": k >= shape.lines.length ? size * 0.85 : size, fill: paint.ink });
    t.textContent = text;
    group.append(t);
  });
  group.addEventListener("click", (event) => nodeMenu(event, node.name));
  group.addEventListener("keydown", (event) => { if (event.key === "Enter") nodeMenu(event, node.name); });
  return group;
}

function drawLegend() {
  const legend = $("legend");
  const item = (colour, text, dashed) => {
    const span = el("span");
    const swatch = el("span", { class: "swatch" });
    swatch.style.borderTop = "3px " + (dashed ? "dashed " : "solid ") + colour;
    span.append(swatch, document.createTextNode(text));
    return span;
  };
  legend.replaceChildren(
    item("#117733", "activates (->)"), item("#882255", "inhibits (-|)"),
    item("#696969", "sign unknown (-?)", true), item("#c4c4c4", "blocked by the what-if", true),
    ...(scenario.links.some((l) => l.present < 1)
      ? [item("#117733", "dashed green or wine: a link present in only part of the draws, labelled with that share p (from its claims' evidence)", true)]
      : []),
    el("span", {}, "Node colour: P(up) − P(down), blue up, orange down; thick border: pressed. Click a node or a link to change it."),
  );
}

// ---- menus ----

function openMenu(event, title, actions, extra) {
  const menu = $("menu");
  menu.replaceChildren(el("p", {}, title));
  if (extra) menu.append(extra);
  for (const [label, act] of actions) {
    const button = el("button", { type: "button" }, label);
    button.addEventListener("click", () => { menu.hidden = true; act(); });
    menu.append(button);
  }
  const close = el("button", { type: "button" }, "Close");
  close.addEventListener("click", () => { menu.hidden = true; });
  menu.append(close);
  const box = $("network").getBoundingClientRect();
  const x = (event.clientX || box.left + box.width / 2) - box.left;
  const y = (event.clientY || box.top + box.height / 2) - box.top;
  menu.style.left = Math.min(x, box.width - 200) + "px";
  menu.style.top = y + "px";
  menu.hidden = false;
  menu.querySelector("button").focus();
}

function without(list, value) { return list.filter((x) => x !== value); }

function nodeMenu(event, name) {
  const pressed = state.press.find(([n]) => n === name);
  const knocked = state.knockout.includes(name);
  const actions = [
    ["Press up (+1)", () => change(() => { state.press = state.press.filter(([n]) => n !== name).concat([[name, 1]]); })],
    ["Press down (−1)", () => change(() => { state.press = state.press.filter(([n]) => n !== name).concat([[name, -1]]); })],
    [knocked ? "Undo the knockout" : "Knock out", () => change(() => {
      state.knockout = knocked ? without(state.knockout, name) : state.knockout.concat([name]);
    })],
  ];
  if (pressed) actions.push(["Stop pressing", () => change(() => { state.press = state.press.filter(([n]) => n !== name); })]);
  const from = [...pressedNodes()].find((n) => n !== name);
  if (from) actions.push(["Why does it move? (from " + from + ")", () => explain({ from, to: name })]);
  openMenu(event, name, actions);
}

function linkMenu(event, link) {
  const blocked = state.block.includes(link.text);
  const current = state.weight.find(([l]) => l === link.text);
  const form = el("form", { class: "weight" });
  const low = el("input", { type: "number", min: "0", step: "0.1", value: current ? String(current[1]) : "0", "aria-label": "lowest weight" });
  const high = el("input", { type: "number", min: "0", step: "0.1", value: current ? String(current[2]) : "1", "aria-label": "highest weight" });
  form.append(document.createTextNode("Weight from "), low, document.createTextNode(" to "), high, el("button", { type: "submit" }, "Set"));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    $("menu").hidden = true;
    const range = [Number(low.value), Number(high.value)].sort((a, b) => a - b);
    change(() => { state.weight = state.weight.filter(([l]) => l !== link.text).concat([[link.text, range[0], range[1]]]); });
  });
  openMenu(event, link.text, [[blocked ? "Unblock" : "Block this link", () => change(() => {
    state.block = blocked ? without(state.block, link.text) : state.block.concat([link.text]);
  })]], form);
}

function change(edit) {
  edit();
  run();
}

function showWhatIf() {
  const box = $("whatif");
  const chip = (text, undo) => {
    const c = el("span", { class: "chip" }, text);
    const x = el("button", { type: "button", "aria-label": "remove " + text }, "×");
    x.addEventListener("click", () => change(undo));
    c.append(x);
    return c;
  };
  const chips = [
    ...state.press.map(([n, level]) => chip("press " + n + " " + (level > 0 ? "up" : "down"), () => { state.press = state.press.filter(([m]) => m !== n); })),
    ...state.knockout.map((n) => chip("knock out " + n, () => { state.knockout = without(state.knockout, n); })),
    ...state.block.map((l) => chip("block " + l, () => { state.block = without(state.block, l); })),
    ...state.weight.map(([l, low, high]) => chip("weight " + l + " from " + low + " to " + high, () => { state.weight = state.weight.filter(([m]) => m !== l); })),
  ];
  box.replaceChildren(...(chips.length ? chips : [el("span", { class: "muted" }, "No what-if yet: the scenario as written.")]));
}

// ---- running ----

async function run() {
  saveState();
  showWhatIf();
  if (running) running.abort();
  const controller = new AbortController();
  running = controller;
  const started = performance.now();
  const seconds = () => ((performance.now() - started) / 1000).toFixed(1) + " s";
  setStatus("Running " + state.method + "…");
  try {
    // The bar shows from the first progress line (after 100 ms), so quick runs do not flash it.
    const result = await runWithProgress(whatIf(), controller.signal, (line) => {
      showProgress(line);
      $("running").hidden = false;
      setStatus("Running " + state.method + "… " + seconds());
    });
    previous = latest;
    latest = result;
    const first = result.runs ? result.runs[0] : result;
    setStatus("Done in " + Math.round(performance.now() - started) + " ms · " + first.samples + " samples, seed " + first.seed +
      (previous ? " · highlighted: what changed since the last state" : ""));
    drawNetwork();
    showClaims();
    showOutcomes();
  } catch (e) {
    if (e.name === "AbortError") setStatus("Cancelled after " + seconds() + "; the server stopped the run.");
    else setStatus(e.message, true);
  } finally {
    if (running === controller) { running = null; $("running").hidden = true; }
  }
}

/** The run's progress bar: the share done, and which pass (a method's run, its held-out
 *  variants, its run without the evidence rules) has how many samples. */
function showProgress(line) {
  const p = line.progress;
  $("progress").value = line.fraction;
  $("progress-text").textContent = Math.round(line.fraction * 100) + " % · pass " + p.pass + " of " + p.passes +
    ": " + p.accepted.toLocaleString("en") + " of " + p.samples.toLocaleString("en") + " samples";
}

/** Posts a run with "progress": true and reads its answer line by line (docs/serve.md):
 *  progress lines go to `onProgress`; the last line is the result or an error. Aborting the
 *  request closes the connection, which makes the server stop the run. */
async function runWithProgress(body, signal, onProgress) {
  const response = await fetch("/api/run/" + state.id, {
    method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify(Object.assign(body, { progress: true })), signal,
  });
  if (!response.ok) throw await failure(response);
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffered = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffered += decoder.decode(value, { stream: true });
    for (let end = buffered.indexOf("\n"); end >= 0; end = buffered.indexOf("\n")) {
      const line = JSON.parse(buffered.slice(0, end));
      buffered = buffered.slice(end + 1);
      if (line.result) return line.result;
      if (line.error !== undefined) throw new Error(line.error);
      onProgress(line);
    }
  }
  throw new Error("the server ended the answer before the result; run again");
}

function runsOf(result) { return result ? (result.runs || [result]) : []; }

function expectationText(e) {
  return e.node + " " + e.change + " under \u201c" + e.intervention + "\u201d" + (e.versus ? " vs \u201c" + e.versus + "\u201d" : "");
}

function interval(p, ci) {
  const box = el("span", { class: "interval", title: "P = " + p.toFixed(3) + ", 95 % interval [" + ci[0].toFixed(3) + ", " + ci[1].toFixed(3) + "]" });
  const band = el("span");
  band.style.left = (ci[0] * 100) + "%";
  band.style.width = ((ci[1] - ci[0]) * 100) + "%";
  const mark = el("i");
  mark.style.left = "calc(" + (p * 100) + "% - 1px)";
  box.append(band, mark);
  return box;
}

function showClaims() {
  const panel = $("claims");
  panel.replaceChildren();
  const runs = runsOf(latest);
  const before = runsOf(previous);
  if (!runs[0].expectations.length) {
    panel.append(el("p", { class: "muted" }, "This scenario states no claims; the outcomes below still change."));
    return;
  }
  runs[0].expectations.forEach((e, k) => {
    const row = el("div", { class: "claim" });
    const head = el("div", {}, expectationText(e));
    const why = el("button", { type: "button", class: "why" }, "why?");
    why.addEventListener("click", () => explain({ expect: k + 1 }));
    head.append(why);
    row.append(head);
    for (const r of runs) {
      const x = r.expectations[k];
      const line = el("div");
      if (runs.length > 1) line.append(el("b", {}, r.method + " "));
      line.append(el("span", { class: "verdict v-" + x.verdict }, x.verdict), document.createTextNode("P = " + x.probability.toFixed(3)),
        interval(x.probability, x.probability_ci),
        document.createTextNode("[" + x.probability_ci[0].toFixed(3) + ", " + x.probability_ci[1].toFixed(3) + "]"));
      row.append(line);
      const old = before.find((b) => b.method === r.method);
      const was = old && old.expectations[k];
      if (was && (was.verdict !== x.verdict || Math.abs(was.probability - x.probability) > 0.02)) {
        row.classList.add("changed");
        row.append(el("div", { class: "was" }, "was " + was.verdict + " (P = " + was.probability.toFixed(3) + ") → now " + x.verdict + " (P = " + x.probability.toFixed(3) + ")"));
      }
      const detail = [];
      if (x.support) detail.push("support: " + x.support);
      if (x.held_out) detail.push("held out: " + x.held_out.verdict + (x.held_out.probability !== null && x.held_out.probability !== undefined ? " (P = " + x.held_out.probability.toFixed(3) + ")" : ""));
      if (x.without_evidence && x.without_evidence.verdict !== x.verdict) detail.push("without evidence rules: " + x.without_evidence.verdict);
      if (e.claims && e.claims.length) detail.push("claims " + e.claims.join(", "));
      if (detail.length) row.append(el("div", { class: "detail" }, detail.join(" · ")));
    }
    panel.append(row);
  });
}

function direction(n) {
  const options = [["up", n.p_up], ["unchanged", n.p_zero], ["down", n.p_down]];
  options.sort((a, b) => b[1] - a[1]);
  return options[0];
}

function showOutcomes() {
  const run = runsOf(latest)[0];
  const outcome = shownOutcome(run);
  const old = shownOutcome(runsOf(previous).find((r) => r.method === run.method));
  const box = $("outcomes");
  box.replaceChildren();
  if (!outcome) return;
  $("outcomes-title").textContent = "Outcomes under \u201c" + outcome.name + "\u201d (" + run.method + "): share of samples up / unchanged / down";
  const table = el("table", { class: "bars" });
  const head = el("tr");
  for (const h of ["node", "up · unchanged · down", "most likely", "change since the last state"]) head.append(el("th", {}, h));
  table.append(head);
  outcome.nodes.forEach((n, v) => {
    const row = el("tr");
    const bar = el("div", { class: "bar", title: "up " + n.p_up.toFixed(3) + " · unchanged " + n.p_zero.toFixed(3) + " · down " + n.p_down.toFixed(3) });
    for (const [cls, p] of [["up", n.p_up], ["zero", n.p_zero], ["down", n.p_down]]) {
      const part = el("span", { class: cls });
      part.style.width = (p * 100) + "%";
      bar.append(part);
    }
    const [word, p] = direction(n);
    const cell = el("td");
    const was = old && old.nodes[v];
    if (was) {
      const [oldWord, oldP] = direction(was);
      if (oldWord !== word || Math.abs(oldP - p) > 0.05) {
        row.className = "changed";
        cell.textContent = scenario.nodes[v].label + ": " + oldWord + " " + oldP.toFixed(2) + " → " + word + " " + p.toFixed(2);
      }
    }
    row.append(el("td", {}, scenario.nodes[v].label), el("td"), el("td", {}, word + " " + p.toFixed(2)), cell);
    row.children[1].append(bar);
    table.append(row);
  });
  box.append(table);
}

async function explain(question) {
  const section = $("why");
  section.hidden = false;
  $("why-text").textContent = "Tracing paths…";
  const body = Object.assign(whatIf(), question);
  if (body.method === "all") body.method = "press";
  try {
    const answer = await api("POST", "/api/explain/" + state.id, body);
    $("why-text").textContent = answer.text;
  } catch (e) {
    $("why-text").textContent = e.message;
  }
  section.scrollIntoView({ behavior: "smooth", block: "nearest" });
}

async function download() {
  const body = Object.assign(whatIf(), { intervention: scenario.interventions[state.shown] ? scenario.interventions[state.shown].name : null });
  try {
    const answer = await api("POST", "/api/scenario-file/" + state.id, body);
    const link = el("a", { download: answer.file_name });
    link.href = URL.createObjectURL(new Blob([answer.text], { type: "application/toml" }));
    document.body.append(link);
    link.click();
    link.remove();
  } catch (e) {
    setStatus(e.message, true);
  }
}

async function downloadChart() {
  const [chart, format] = $("chart").value.split(".");
  const body = Object.assign(whatIf(), { chart, format, intervention: scenario.interventions[state.shown] ? scenario.interventions[state.shown].name : null });
  setStatus("Drawing " + chart + "." + format + "…");
  try {
    const response = await fetch("/api/chart/" + state.id, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    if (!response.ok) throw new Error((await response.json()).error);
    const link = el("a", { download: state.id.split("/").pop() + "-" + chart + "." + format });
    link.href = URL.createObjectURL(await response.blob());
    document.body.append(link);
    link.click();
    link.remove();
    setStatus("Saved " + chart + "." + format + ".");
  } catch (e) {
    setStatus(e.message, true);
  }
}

function wire() {
  $("intervention").addEventListener("change", (e) => { state.shown = Number(e.target.value); saveState(); drawNetwork(); showOutcomes(); });
  $("method").addEventListener("change", (e) => change(() => { state.method = e.target.value; }));
  $("samples").addEventListener("change", (e) => change(() => { state.samples = Number(e.target.value) || null; }));
  $("reset").addEventListener("click", () => change(() => { state.press = []; state.knockout = []; state.block = []; state.weight = []; }));
  $("chart-download").addEventListener("click", downloadChart);
  $("cancel").addEventListener("click", () => { if (running) running.abort(); });
  $("download").addEventListener("click", download);
  document.addEventListener("keydown", (e) => { if (e.key === "Escape") $("menu").hidden = true; });
}

async function start() {
  wire();
  try {
    await showList();
  } catch (e) {
    $("list").replaceChildren(el("p", { class: "status error" }, e.message));
    return;
  }
  const id = loadState();
  if (id) openScenario(id);
}

start();
