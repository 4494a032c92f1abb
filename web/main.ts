/// <reference lib="dom" />
/**
 * The playground page: the editor, Run, the result panes, the step slider, the examples menu, the
 * console and the link in the URL fragment. The model runs in the page (web/playground.ts does the
 * work); this file only wires it to the DOM. It is bundled into one classic script, so the page
 * works from any static host and from `file://`.
 *
 * @module
 */
import { autocompletion, completionKeymap } from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { javascript } from "@codemirror/lang-javascript";
import { yaml } from "@codemirror/lang-yaml";
import { bracketMatching, defaultHighlightStyle, syntaxHighlighting } from "@codemirror/language";
import { type Diagnostic, linter, lintGutter, lintKeymap, setDiagnostics } from "@codemirror/lint";
import { Compartment, type EditorState, StateEffect, StateField } from "@codemirror/state";
import {
  Decoration,
  type DecorationSet,
  EditorView,
  highlightActiveLine,
  keymap,
  lineNumbers,
} from "@codemirror/view";
import {
  deviceStackPicture,
  deviceTreePicture,
  formatEvent,
  type Machine,
  type Picture,
  registryPicture,
  type Runner,
  sequencePicture,
} from "../mod.ts";
import schema from "../scenarios/schema.json" with { type: "json" };
import { indexSchema, suggest } from "./completion.ts";
import {
  consoleCommand,
  machineAt,
  parseYaml,
  type Run,
  runSource,
  scriptNames,
  type SourceKind,
  stepEvents,
} from "./playground.ts";

/** One example of the menu, as web/build.ts writes them into examples.js. */
interface Example {
  id: string;
  title: string;
  kind: SourceKind;
  text: string;
}

/** The examples menu: scenario folders, then the notebooks' lessons. */
interface ExampleGroup {
  name: string;
  examples: Example[];
}

const EXAMPLES: ExampleGroup[] =
  (globalThis as { PNPLAB_EXAMPLES?: ExampleGroup[] }).PNPLAB_EXAMPLES ?? [];
const ALL_EXAMPLES = EXAMPLES.flatMap((g) => g.examples);
/** The example the page opens with when its link names none. */
const FIRST_EXAMPLE = "removal/eject-toaster";
const DEFAULT_REGISTRY_PATH = "HKLM\\SYSTEM\\CurrentControlSet\\Enum";

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

const SCHEMA = indexSchema(schema);

/** The page's state: what ran, and what the slider shows. */
const state = {
  kind: "yaml" as SourceKind,
  run: null as Run | null,
  step: 0,
  at: null as { machine: Machine; runner: Runner } | null,
  registryPath: DEFAULT_REGISTRY_PATH,
  stackDevice: "",
  history: [] as string[],
  historyAt: 0,
};

// ---- the editor ------------------------------------------------------------------------------

const language = new Compartment();
const lint = new Compartment();

/** The step the slider stands on, marked in the editor. */
const markStep = StateEffect.define<number | null>();
const stepLine = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(marks, tr) {
    for (const e of tr.effects) {
      if (e.is(markStep)) {
        if (e.value === null || e.value > tr.state.doc.lines) return Decoration.none;
        const line = tr.state.doc.line(e.value);
        return Decoration.set([Decoration.line({ class: "cm-current-step" }).range(line.from)]);
      }
    }
    return marks.map(tr.changes);
  },
  provide: (f) => EditorView.decorations.from(f),
});

/** The loader's problems as the editor's inline diagnostics, from the line and column on. */
function diagnostics(
  doc: EditorState["doc"],
  errors: { line: number; column: number; message: string }[],
): Diagnostic[] {
  return errors.map((e) => {
    const line = doc.line(Math.min(Math.max(e.line, 1), doc.lines));
    const from = Math.min(line.from + Math.max(e.column - 1, 0), line.to);
    const word = /^[^\s,:{}[\]]+/.exec(doc.sliceString(from, line.to))?.[0].length ?? 0;
    return {
      from,
      to: Math.max(from + word, Math.min(from + 1, line.to)),
      severity: "error",
      message: e.message,
    };
  });
}

const yamlLinter = linter((view) => {
  const { errors } = parseYaml(view.state.doc.toString());
  return diagnostics(view.state.doc, errors);
}, { delay: 300 });

const editor = new EditorView({
  parent: $("editor"),
  doc: "",
  extensions: [
    lineNumbers(),
    history(),
    bracketMatching(),
    highlightActiveLine(),
    syntaxHighlighting(defaultHighlightStyle),
    lintGutter(),
    stepLine,
    language.of(yaml()),
    lint.of(yamlLinter),
    autocompletion({
      override: [(ctx) => {
        if (state.kind === "script") {
          const word = ctx.matchBefore(/[A-Za-z_$][\w$]*/);
          if (!word || (word.from === word.to && !ctx.explicit)) return null;
          return {
            from: word.from,
            options: scriptNames().map((label) => ({
              label,
              type: /^[A-Z][A-Z0-9_]+$/.test(label) ? "constant" : "function",
            })),
            validFor: /^[\w$]*$/,
          };
        }
        const s = suggest(SCHEMA, ctx.state.doc.toString(), ctx.pos);
        if (!s || (!ctx.explicit && s.from === ctx.pos)) return null;
        return {
          from: s.from,
          options: s.options.map((o) => ({
            label: o.label,
            type: o.type === "step" ? "function" : o.type === "value" ? "constant" : "property",
            ...(o.info ? { info: o.info } : {}),
            ...(o.apply ? { apply: o.apply } : {}),
          })),
          validFor: /^[\w\\]*$/,
        };
      }],
    }),
    keymap.of([
      { key: "Mod-Enter", run: () => (void run(), true) },
      ...defaultKeymap,
      ...historyKeymap,
      ...completionKeymap,
      ...lintKeymap,
    ]),
    EditorView.contentAttributes.of({ "aria-label": "Scenario source (Ctrl+Enter runs it)" }),
    EditorView.lineWrapping,
  ],
});

function setKind(kind: SourceKind): void {
  state.kind = kind;
  ($("kind") as HTMLSelectElement).value = kind;
  editor.dispatch({
    effects: [
      language.reconfigure(kind === "yaml" ? yaml() : javascript({ typescript: true })),
      lint.reconfigure(kind === "yaml" ? yamlLinter : []),
    ],
  });
}

function setSource(kind: SourceKind, text: string): void {
  setKind(kind);
  editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: text } });
}

// ---- the examples menu and the link ----------------------------------------------------------

function fillExamples(): void {
  const select = $("examples") as HTMLSelectElement;
  for (const group of EXAMPLES) {
    const optgroup = document.createElement("optgroup");
    optgroup.label = group.name;
    for (const e of group.examples) {
      const option = new Option(e.title, e.id);
      optgroup.append(option);
    }
    select.append(optgroup);
  }
}

const b64 = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const unb64 = (s: string) =>
  Uint8Array.from(atob(s.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));

async function squeeze(text: string, direction: "compress" | "decompress"): Promise<Uint8Array> {
  const input = direction === "compress" ? new TextEncoder().encode(text) : unb64(text);
  const stream = new Blob([input as BlobPart]).stream().pipeThrough(
    direction === "compress"
      ? new CompressionStream("deflate-raw")
      : new DecompressionStream("deflate-raw"),
  );
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** The link to the page as it is: the example's name when the text is unchanged, else the text. */
async function linkFragment(): Promise<string> {
  const text = editor.state.doc.toString();
  const example = ALL_EXAMPLES.find((e) => e.text === text && e.kind === state.kind);
  const scenario = ($("scenario-index") as HTMLSelectElement).value;
  const parts = [
    example
      ? `example=${encodeURIComponent(example.id).replace(/%2F/g, "/")}`
      : `${state.kind}=${b64(await squeeze(text, "compress"))}`,
    ...(scenario && scenario !== "0" ? [`scenario=${scenario}`] : []),
    ...(state.run && state.step !== state.run.data.steps.length ? [`step=${state.step}`] : []),
  ];
  return "#" + parts.join("&");
}

async function saveLink(): Promise<void> {
  const fragment = await linkFragment();
  if (location.hash !== fragment) globalThis.history.replaceState(null, "", fragment);
}

/** Opens what the link names; false when it names nothing. */
async function openLink(): Promise<{ scenario: number; step?: number } | null> {
  const params = new URLSearchParams(location.hash.slice(1));
  const example = params.get("example");
  const found = example ? ALL_EXAMPLES.find((e) => e.id === example) : undefined;
  if (found) setSource(found.kind, found.text);
  else if (params.has("yaml") || params.has("script")) {
    const kind: SourceKind = params.has("yaml") ? "yaml" : "script";
    try {
      setSource(kind, new TextDecoder().decode(await squeeze(params.get(kind)!, "decompress")));
    } catch {
      say(`The link's scenario could not be read; opened the first example instead`);
      return null;
    }
  } else return null;
  if (found) ($("examples") as HTMLSelectElement).value = found.id;
  const step = params.get("step");
  return { scenario: Number(params.get("scenario") ?? 0), ...(step ? { step: Number(step) } : {}) };
}

function openExample(id: string): void {
  const e = ALL_EXAMPLES.find((x) => x.id === id);
  if (!e) return;
  setSource(e.kind, e.text);
  void run({ scenario: 0 });
}

// ---- running -----------------------------------------------------------------------------------

function say(text: string): void {
  $("announce").textContent = text;
}

/** The scenario picker, for a file with several scenarios. */
function fillScenarioPicker(selected: number): void {
  const select = $("scenario-index") as HTMLSelectElement;
  const scenarios = state.kind === "yaml" ? parseYaml(editor.state.doc.toString()).scenarios : [];
  select.replaceChildren(...scenarios.map((s, i) => new Option(`${i + 1}. ${s.title}`, String(i))));
  select.value = String(Math.min(selected, Math.max(scenarios.length - 1, 0)));
  $("scenario-picker").hidden = scenarios.length < 2;
}

async function run(options: { scenario?: number; step?: number } = {}): Promise<void> {
  document.body.dataset.state = "running";
  const button = $("run") as HTMLButtonElement;
  button.disabled = true;
  try {
    fillScenarioPicker(
      options.scenario ?? Number(($("scenario-index") as HTMLSelectElement).value || 0),
    );
    const index = Number(($("scenario-index") as HTMLSelectElement).value || 0);
    const text = editor.state.doc.toString();
    const outcome = await runSource(state.kind, text, index);
    const verdict = $("verdict");
    const failures = $("failures");
    if ("errors" in outcome) {
      state.run = null;
      editor.dispatch(setDiagnostics(editor.state, diagnostics(editor.state.doc, outcome.errors)));
      verdict.className = "verdict error";
      verdict.textContent = `Cannot run: ${outcome.errors.length} problem${
        outcome.errors.length === 1 ? "" : "s"
      }`;
      failures.replaceChildren(
        ...outcome.errors.map((e) => item(`line ${e.line}, column ${e.column}: ${e.message}`)),
      );
      ($("step") as HTMLInputElement).disabled = true;
      clearPanes();
      say(verdict.textContent);
      return;
    }
    state.run = outcome;
    const r = outcome.result;
    verdict.className = `verdict ${r.passed ? "pass" : "fail"}`;
    verdict.textContent = `${r.passed ? "PASS" : "FAIL"} ${r.title}`;
    failures.replaceChildren(
      ...r.failures.map((f) =>
        item(`${f.line ? `line ${f.line}: ` : f.step ? `step ${f.step}: ` : ""}${f.message}`)
      ),
      ...outcome.printed.map((p) => item(p, "printed")),
    );
    // A YAML failure is at its step's line; a script's, at the line that threw.
    const lines = r.failures.filter((f) => f.line).map((f) => ({
      line: f.line!,
      column: f.column ?? 1,
      message: f.message,
    }));
    editor.dispatch(setDiagnostics(editor.state, diagnostics(editor.state.doc, lines)));
    const slider = $("step") as HTMLInputElement;
    const n = outcome.data.steps.length;
    slider.max = String(n);
    slider.disabled = !outcome.replayable;
    $("replay-note").hidden = outcome.replayable;
    const step = Math.min(Math.max(options.step ?? n, 0), n);
    slider.value = String(step);
    drawSequence();
    showStep(step);
    say(verdict.textContent);
  } catch (e) {
    // A fault of the page or the model, not of the scenario: said on the page, never lost.
    state.run = null;
    $("verdict").className = "verdict error";
    $("verdict").textContent = `The playground failed: ${
      e instanceof Error ? e.message : String(e)
    }`;
    clearPanes();
    say($("verdict").textContent ?? "");
  } finally {
    button.disabled = false;
    await saveLink();
    document.body.dataset.state = "ready";
    (globalThis as { pnplabResultAt?: number }).pnplabResultAt ??= performance.now();
  }
}

/** Empties the result panes, so that no picture of an earlier run is taken for this one's. */
function clearPanes(): void {
  for (const pane of ["sequence", "tree", "stack", "registry"]) {
    $(pane).querySelector(".svg")!.replaceChildren();
    $(pane).querySelector("pre")!.textContent = "";
  }
  $("trace-list").replaceChildren();
  $("trace-count").textContent = "";
  $("registry-keys").replaceChildren();
  $("step-label").textContent = "";
  state.at = null;
}

function item(text: string, className?: string): HTMLLIElement {
  const li = document.createElement("li");
  li.textContent = text;
  if (className) li.className = className;
  return li;
}

/** A picture into its pane: the SVG, and its text twin as the text alternative. */
function showPicture(pane: string, picture: Picture): void {
  const figure = $(pane);
  figure.querySelector(".svg")!.innerHTML = picture.svg;
  figure.querySelector("pre")!.textContent = picture.text;
}

/** The sequence diagram of the steps' events (boot left out), drawn once a run. */
function drawSequence(): void {
  const run = state.run!;
  const { first } = stepEvents(run, 0);
  const registry = ($("seq-registry") as HTMLInputElement).checked;
  showPicture("sequence", sequencePicture(run.result.trace, { from: first, registry }));
}

/** What the slider says about a step: its number and the step as the file writes it. */
function stepLabel(run: Run, k: number): string {
  if (!run.replayable) return `The end of the run (${run.result.trace.length} trace events)`;
  if (k === 0) return `After boot (step 0 of ${run.data.steps.length})`;
  const s = run.data.steps[k - 1]!;
  const { step, source: _source, hooks: _hooks, ...fields } = s as Record<string, unknown>;
  const shown = JSON.stringify(fields, (_k, v) => typeof v === "bigint" ? String(v) : v) ?? "";
  return `After step ${k} of ${run.data.steps.length}: ${String(step)} ${
    shown.length > 80 ? shown.slice(0, 77) + "..." : shown
  }`;
}

/** Position k of the slider: the machine after the first k steps, by replay, and the trace up to there. */
function showStep(k: number): void {
  const run = state.run;
  if (!run) return;
  state.step = k;
  $("step-label").textContent = stepLabel(run, k);
  $("step").setAttribute("aria-valuetext", $("step-label").textContent ?? "");
  // A run the steps cannot replay shows its own end (the slider is disabled then).
  const at = run.replayable ? machineAt(run.data, k, run.stopAfterFailedAction) : run.final;
  if (typeof at === "string") {
    say(at);
    return;
  }
  state.at = at;
  // Without a replay every event is the end of the run's.
  const { first, last } = run.replayable
    ? stepEvents(run, k)
    : { first: stepEvents(run, 0).first, last: Infinity };
  const before = !run.replayable ? Infinity : k > 0 ? stepEvents(run, k - 1).last : first - 1;
  // The diagram's arrows after step k fade; those of step k itself stand out.
  for (const text of $("sequence").querySelectorAll("svg text")) {
    const seq = Number(/^#(\d+) /.exec(text.textContent ?? "")?.[1] ?? NaN);
    if (Number.isNaN(seq)) continue;
    const line = text.previousElementSibling?.tagName === "line"
      ? text.previousElementSibling
      : null;
    for (const el of [text, line]) {
      el?.classList.toggle("later", seq > last);
      el?.classList.toggle("current", seq > before && seq <= last);
    }
  }
  drawTrace(run, first, before, last);
  if (at) drawMachine(at.machine, at.runner);
  const source = run.data.steps[k - 1]?.source?.line;
  const marked = k > 0 && source && source <= editor.state.doc.lines ? source : null;
  editor.dispatch({
    effects: [
      markStep.of(marked),
      ...(marked
        ? [EditorView.scrollIntoView(editor.state.doc.line(marked).from, { y: "nearest" })]
        : []),
    ],
  });
  (globalThis as { pnplabStep?: number }).pnplabStep = k;
}

/** The steps' trace as text, events up to the slider's step highlighted, step k's marked. */
function drawTrace(run: Run, first: number, before: number, last: number): void {
  const list = $("trace-list");
  const events = run.result.trace.filter((e) => e.seq >= first);
  list.replaceChildren(...events.map((e) => {
    const li = item(formatEvent(e), e.seq <= before ? "done" : e.seq <= last ? "current" : "later");
    return li;
  }));
  list.querySelector(".current")?.scrollIntoView({ block: "nearest" });
  $("trace-count").textContent = `${
    events.filter((e) => e.seq <= last).length
  } of ${events.length} events`;
}

/** The device tree, the device stack picked and the registry browser, for one machine. */
function drawMachine(machine: Machine, runner: Runner): void {
  showPicture("tree", deviceTreePicture(machine));
  const select = $("stack-device") as HTMLSelectElement;
  const devices = machine.devices();
  const named = runner.names.devices.map((n) => {
    try {
      return runner.instanceOf(n);
    } catch {
      return "";
    }
  }).filter((i) => devices.some((d) => d.toUpperCase() === i.toUpperCase()));
  if (!devices.includes(state.stackDevice)) state.stackDevice = named[0] ?? devices.at(-1) ?? "";
  select.replaceChildren(...devices.map((d) => new Option(d, d)));
  select.value = state.stackDevice;
  if (state.stackDevice) showPicture("stack", deviceStackPicture(machine, state.stackDevice));
  drawRegistry(machine);
}

function drawRegistry(machine: Machine): void {
  let path = state.registryPath;
  while (!machine.registry.exists(path) && path.includes("\\")) {
    path = path.slice(0, path.lastIndexOf("\\"));
  }
  state.registryPath = path;
  ($("registry-path") as HTMLInputElement).value = path;
  const crumbs = path.split("\\");
  $("registry-crumbs").replaceChildren(...crumbs.map((c, i) => {
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = c;
    b.addEventListener("click", () => browse(crumbs.slice(0, i + 1).join("\\")));
    return b;
  }));
  $("registry-keys").replaceChildren(
    ...machine.registry.subkeys(path).map((k) => {
      const li = document.createElement("li");
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = k;
      b.addEventListener("click", () => browse(`${path}\\${k}`));
      li.append(b);
      return li;
    }),
  );
  const picture = registryPicture(machine, path, 1);
  showPicture("registry", picture);
}

function browse(path: string): void {
  state.registryPath = path;
  if (state.at) drawRegistry(state.at.machine);
}

// ---- the console -------------------------------------------------------------------------------

function runCommand(line: string): void {
  const out = $("console-out");
  const entry = document.createElement("div");
  const prompt = document.createElement("div");
  prompt.className = "prompt";
  prompt.textContent = `kd> ${line}`;
  const pre = document.createElement("pre");
  pre.textContent = state.at
    ? consoleCommand(line, state.at.machine, state.at.runner)
    : "Run a scenario first: the console looks at the machine at the slider's step";
  entry.append(prompt, pre);
  out.append(entry);
  out.scrollTop = out.scrollHeight;
  if (line.trim()) state.history.push(line);
  state.historyAt = state.history.length;
}

// ---- wiring --------------------------------------------------------------------------------------

function wire(): void {
  $("run").addEventListener("click", () => void run());
  $("examples").addEventListener(
    "change",
    (e) => openExample((e.target as HTMLSelectElement).value),
  );
  $("kind").addEventListener(
    "change",
    (e) => setKind((e.target as HTMLSelectElement).value as SourceKind),
  );
  $("scenario-index").addEventListener(
    "change",
    (e) => void run({ scenario: Number((e.target as HTMLSelectElement).value) }),
  );
  let pending: ReturnType<typeof setTimeout> | undefined;
  $("step").addEventListener("input", (e) => {
    const k = Number((e.target as HTMLInputElement).value);
    // Replaying takes a moment: keep up with a held arrow key by drawing the last position only.
    clearTimeout(pending);
    pending = setTimeout(() => {
      showStep(k);
      void saveLink();
    }, 0);
  });
  $("seq-registry").addEventListener("change", () => {
    if (!state.run) return;
    drawSequence();
    showStep(state.step);
  });
  $("stack-device").addEventListener("change", (e) => {
    state.stackDevice = (e.target as HTMLSelectElement).value;
    if (state.at) showPicture("stack", deviceStackPicture(state.at.machine, state.stackDevice));
  });
  $("registry-form").addEventListener("submit", (e) => {
    e.preventDefault();
    browse(($("registry-path") as HTMLInputElement).value.trim());
  });
  $("console-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const input = $("console-in") as HTMLInputElement;
    runCommand(input.value);
    input.value = "";
  });
  $("console-in").addEventListener("keydown", (e) => {
    const input = e.target as HTMLInputElement;
    if (e.key === "ArrowUp" && state.historyAt > 0) input.value = state.history[--state.historyAt]!;
    else if (e.key === "ArrowDown" && state.historyAt < state.history.length) {
      input.value = state.history[++state.historyAt] ?? "";
    } else return;
    e.preventDefault();
  });
  $("share").addEventListener("click", async () => {
    await saveLink();
    try {
      await navigator.clipboard.writeText(location.href);
      say("The link to this scenario is in the address bar and on the clipboard");
    } catch {
      say("The link to this scenario is in the address bar");
    }
  });
  addEventListener("hashchange", async () => {
    if (location.hash === (await linkFragment())) return;
    const opened = await openLink();
    if (opened) await run(opened);
  });
}

async function start(): Promise<void> {
  performance.mark("pnplab-start");
  fillExamples();
  wire();
  const opened = await openLink();
  if (!opened) {
    const first = ALL_EXAMPLES.find((e) => e.id === FIRST_EXAMPLE) ?? ALL_EXAMPLES[0];
    if (first) {
      setSource(first.kind, first.text);
      ($("examples") as HTMLSelectElement).value = first.id;
    }
  }
  performance.mark("pnplab-run");
  await run(opened ?? {});
  runCommand("help");
}

void start();
