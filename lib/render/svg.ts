/**
 * Pictures of a machine and its trace as SVG (for notebooks and HTML reports) with a text twin (for
 * terminals): the device tree, a device stack, a sequence diagram of the trace, and a registry tree.
 * Each returns a `Picture`, which renders richly in Deno notebooks through
 * `Symbol.for("Jupyter.display")` without touching `Deno.jupyter`. Pure functions of the machine
 * snapshot and the trace.
 *
 * @module
 */
import { CM_PROB_NAMES } from "../constants.ts";
import type { DeviceObject } from "../io/objects.ts";
import type { Machine } from "../machine.ts";
import type { TraceEvent } from "../trace/trace.ts";
import { irpParameter } from "../trace/format.ts";
import { powerLabel, renderDeviceTree, renderDevStack } from "./text.ts";

const jupyterDisplay = Symbol.for("Jupyter.display");

/** A picture: SVG for rich displays, text for terminals. */
export class Picture {
  /** The SVG document. */
  readonly svg: string;
  /** The same picture as text. */
  readonly text: string;
  /** Creates a picture. */
  constructor(svg: string, text: string) {
    this.svg = svg;
    this.text = text;
  }
  /** The MIME bundle Deno's Jupyter kernel shows. */
  [jupyterDisplay](): Record<string, string> {
    return { "image/svg+xml": this.svg, "text/plain": this.text };
  }
  /** The text form. */
  toString(): string {
    return this.text;
  }
}

/** Escapes text for SVG and HTML. */
export function escapeXml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(
    /"/g,
    "&quot;",
  );
}

const STATE_COLORS: Readonly<Record<string, string>> = {
  Started: "#d9f2d9",
  Enumerated: "#eeeeee",
  DriversInitialized: "#eeeeee",
  Added: "#fff4cc",
  StopPending: "#fff4cc",
  Stopped: "#ffe0b3",
  RemovePending: "#ffe0b3",
  SurpriseRemoved: "#ffd1b3",
  Removed: "#dddddd",
  Absent: "#f5f5f5",
};

const FONT = `font-family="Menlo, Consolas, monospace" font-size="12"`;
/** The width of one character in FONT (12px monospace fonts are 7.2 to 7.3 pixels wide). */
const CHAR_W = 7.3;
/** A white outline under a label, so that the lifelines it crosses do not run through its letters. */
const HALO = `stroke="#ffffff" stroke-width="3" paint-order="stroke"`;

function svgDoc(width: number, height: number, body: string, title: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${
    escapeXml(title)
  }"><title>${
    escapeXml(title)
  }</title><rect width="100%" height="100%" fill="#ffffff"/>${body}</svg>`;
}

/**
 * The device tree: one box per devnode, coloured by state, a red border for a problem code.
 *
 * @example
 * ```ts
 * import { boot } from "../machine.ts";
 * import { deviceTreePicture } from "./svg.ts";
 * import assert from "node:assert/strict";
 * const p = deviceTreePicture(boot());
 * assert.match(p.svg, /^<svg/);
 * assert.match(p.text, /HTREE\\ROOT\\0/);
 * ```
 */
export function deviceTreePicture(machine: Machine): Picture {
  const nodes = machine.devnodeTree().map(({ devnode, depth }, row) => ({
    node: devnode,
    depth,
    row,
  }));
  const rowH = 34;
  const indent = 28;
  let width = 300;
  const parts: string[] = [];
  // Where the last devnode drawn at each depth is: a devnode's parent is the last one above it.
  const pos: { x: number; y: number }[] = [];
  for (const { node, depth, row } of nodes) {
    const x = 10 + depth * indent;
    const y = 10 + row * rowH;
    pos[depth] = { x, y };
    const label = `${node.instanceId}  ${node.state}${node.service ? `  (${node.service})` : ""}` +
      (node.problem ? `  ${CM_PROB_NAMES[node.problem] ?? node.problem}` : "") +
      powerLabel(node);
    const w = 12 + label.length * 7.2;
    width = Math.max(width, x + w + 10);
    const fill = STATE_COLORS[node.state] ?? "#ffffff";
    parts.push(
      `<rect x="${x}" y="${y}" width="${w}" height="24" rx="4" fill="${fill}" stroke="${
        node.problem ? "#c00000" : "#555555"
      }" stroke-width="${node.problem ? 2 : 1}"/><text x="${x + 6}" y="${y + 16}" ${FONT}>${
        escapeXml(label)
      }</text>`,
    );
    if (depth > 0) {
      const p = pos[depth - 1]!;
      parts.unshift(
        `<path d="M${p.x + 8} ${p.y + 24} V${y + 12} H${x}" fill="none" stroke="#888888"/>`,
      );
    }
  }
  return new Picture(
    svgDoc(Math.ceil(width), 20 + nodes.length * rowH, parts.join(""), "Device tree"),
    renderDeviceTree(machine),
  );
}

/** A device's stack: the PDO at the bottom, filters and the FDO above, each with its driver. */
export function deviceStackPicture(machine: Machine, device: DeviceObject | string): Picture {
  const pdo = typeof device === "string" ? machine.device(device) : device.bottom;
  const node = pdo && machine.devnode(pdo);
  const text = renderDevStack(machine, device);
  if (!pdo || !node) {
    return new Picture(
      svgDoc(300, 40, `<text x="10" y="24" ${FONT}>No such device</text>`, "Device stack"),
      text,
    );
  }
  const layers: DeviceObject[] = [];
  for (let d: DeviceObject | null = pdo.top; d; d = d.lower) layers.push(d);
  // Wide enough for the longest line: the instance ID on top, or a layer's driver or device name.
  const longest = Math.max(
    node.instanceId.length,
    ...layers.map((d) => `${d.role ?? "device"}  ${d.DriverObject.DriverName}`.length),
    ...layers.map((d) => (d.name ?? `#${d.serial}`).length),
  );
  const w = Math.max(420, Math.ceil(60 + longest * CHAR_W));
  const parts = layers.map((d, i) => {
    const y = 40 + i * 52;
    const fill = d.role === "PDO" ? "#dde8ff" : d.role === "FDO" ? "#d9f2d9" : "#fff4cc";
    return `<rect x="20" y="${y}" width="${
      w - 40
    }" height="40" rx="4" fill="${fill}" stroke="#555555"/>` +
      `<text x="30" y="${y + 17}" ${FONT} font-weight="bold">${escapeXml(d.role ?? "device")}  ${
        escapeXml(d.DriverObject.DriverName)
      }</text>` +
      `<text x="30" y="${y + 33}" ${FONT}>${escapeXml(d.name ?? `#${d.serial}`)}</text>` +
      (i < layers.length - 1
        ? `<path d="M${w / 2} ${y + 40} V${y + 52}" stroke="#555555" marker-end="url(#a)"/>`
        : "");
  });
  const head =
    `<defs><marker id="a" markerWidth="8" markerHeight="8" refX="4" refY="4" orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="#555555"/></marker></defs>` +
    `<text x="20" y="24" ${FONT} font-weight="bold">${escapeXml(node.instanceId)}</text>`;
  return new Picture(
    svgDoc(w, 50 + layers.length * 52, head + parts.join(""), `Device stack of ${node.instanceId}`),
    text,
  );
}

interface Arrow {
  from: string;
  to: string;
  label: string;
  /** For an IRP: the drivers whose dispatch routines it reached, top of the stack first. */
  path?: string[];
  kind: "irp" | "complete" | "notify" | "reg" | "state" | "app" | "veto" | "call";
  seq: number;
}

/** Which trace events become arrows, and between which lifelines. */
function arrowsOf(events: readonly TraceEvent[]): Arrow[] {
  const out: Arrow[] = [];
  const lifeline = (
    caller: string,
  ) => (caller === "PnP" || caller === "host" ? caller : caller.split("!")[0]!);
  // IRPs that already have an arrow to their stack: a driver passing one down is not a new arrow,
  // even when its registry writes (left out with `registry: false`) come in between.
  const irpsDrawn = new Map<string, Arrow | null>();
  for (const e of events) {
    switch (e.kind) {
      case "irp":
        if (e.phase === "dispatch") {
          // One arrow per IRP reaching a stack: from whoever sent it to the stack's lifeline. The
          // parameter that tells IRPs of one minor function apart goes in the label:
          // QUERY_DEVICE_RELATIONS(BusRelations), QUERY_ID(BusQueryHardwareIDs), an IOCTL's code.
          const param = irpParameter(e);
          const label = `${e.minor ?? e.major}${param === undefined ? "" : `(${param})`} `;
          const drawn = `${e.irp} ${e.instance}`;
          if (irpsDrawn.has(drawn)) {
            // A driver passing it down: one more stop on the arrow's path through the stack (an
            // IRP merged into the arrow before it adds none: that arrow has its path).
            const passing = irpsDrawn.get(drawn);
            if (passing?.path && passing.path.at(-1) !== e.driver) passing.path.push(e.driver);
            continue;
          }
          const prev = out[out.length - 1];
          if (
            prev && prev.kind === "irp" && prev.to === `stack ${e.instance}` && prev.label === label
          ) {
            irpsDrawn.set(drawn, null);
            continue;
          }
          const arrow: Arrow = {
            from: lifeline(e.caller),
            to: `stack ${e.instance || "(new device)"}`,
            label,
            path: [e.driver],
            kind: "irp",
            seq: e.seq,
          };
          irpsDrawn.set(drawn, arrow);
          out.push(arrow);
        } else if (e.statusName !== "STATUS_SUCCESS" && e.statusName !== "STATUS_NOT_SUPPORTED") {
          out.push({
            from: `stack ${e.instance || "(new device)"}`,
            to: "PnP",
            label: `${e.minor ?? e.major}: ${e.statusName}`,
            kind: "veto",
            seq: e.seq,
          });
        }
        break;
      case "notify":
        if (e.target === "(broadcast)") continue;
        out.push({
          from: "PnP",
          to: e.target.split("!")[0]!,
          label: `${e.eventName.replace(/^GUID_/, "")}${
            e.statusName && e.statusName !== "STATUS_SUCCESS" ? ` → ${e.statusName}` : ""
          }`,
          kind: e.statusName && e.statusName !== "STATUS_SUCCESS" ? "veto" : "notify",
          seq: e.seq,
        });
        break;
      case "app":
        if (e.action.startsWith("DBT_")) {
          out.push({ from: "PnP", to: `app:${e.app}`, label: e.action, kind: "app", seq: e.seq });
        } else if (
          e.action === "CreateFile" || e.action === "CloseHandle" ||
          e.action === "BROADCAST_QUERY_DENY"
        ) {
          out.push({
            from: `app:${e.app}`,
            to: "PnP",
            label: e.action,
            kind: e.action === "BROADCAST_QUERY_DENY" ? "veto" : "app",
            seq: e.seq,
          });
        }
        break;
      case "reg":
        if (e.op === "setValue" || e.op === "deleteKey" || e.op === "deleteValue") {
          out.push({
            from: lifeline(e.caller),
            to: "Registry",
            label: `${e.op} ${e.name ?? e.path.split("\\").slice(-1)[0]}`,
            kind: "reg",
            seq: e.seq,
          });
        }
        break;
      case "info":
        if (/veto|failed/.test(e.what)) {
          out.push({ from: "PnP", to: "PnP", label: e.what, kind: "veto", seq: e.seq });
        }
        break;
      case "bugcheck":
        out.push({
          from: lifeline(e.caller),
          to: lifeline(e.caller),
          label: `BUGCHECK 0x${e.code.toString(16).toUpperCase()} ${e.name}`,
          kind: "veto",
          seq: e.seq,
        });
        break;
    }
  }
  // An IRP's label ends with the path it took down its stack (filter, function driver, bus driver),
  // so the picture shows who handled it and in which order ("Device stacks", "Passing IRPs down").
  for (const a of out) if (a.path) a.label = `${a.label}[${a.path.join(" → ")}]`;
  return out;
}

/**
 * A sequence diagram of a trace: the PnP manager, each device stack, each callback's driver and each
 * application as lifelines; IRPs, notifications, vetoes and registry writes as arrows, in order.
 * `from`/`to` limit it to a range of sequence numbers; `max` to the first N arrows.
 */
export function sequencePicture(
  events: readonly TraceEvent[],
  options: { from?: number; to?: number; max?: number; registry?: boolean } = {},
): Picture {
  const slice = events.filter((e) =>
    e.seq >= (options.from ?? 0) && e.seq <= (options.to ?? Infinity)
  );
  let arrows = arrowsOf(slice);
  if (options.registry === false) arrows = arrows.filter((a) => a.kind !== "reg");
  if (options.max !== undefined && arrows.length > options.max) {
    arrows = arrows.slice(0, options.max);
  }
  // "host" (the test or notebook driving the machine) gets a lifeline only when it takes part.
  const names: string[] = arrows.some((a) => a.from === "host" || a.to === "host")
    ? ["host", "PnP"]
    : ["PnP"];
  for (const a of arrows) for (const n of [a.from, a.to]) if (!names.includes(n)) names.push(n);
  if (names.includes("Registry")) names.push(names.splice(names.indexOf("Registry"), 1)[0]!);
  const colW = 190;
  const top = 50;
  const rowH = 22;
  const height = top + 30 + arrows.length * rowH;
  const x = (n: string) => 20 + names.indexOf(n) * colW + colW / 2;
  // A label starts at its arrow's left end and may run past the last lifeline: widen to fit it.
  const labelEnd = (a: Arrow) =>
    Math.min(x(a.from), x(a.to)) + 16 + `#${a.seq} ${a.label}`.length * CHAR_W;
  const width = Math.ceil(
    arrows.reduce((w, a) => Math.max(w, labelEnd(a)), 40 + names.length * colW),
  );
  const colors: Record<Arrow["kind"], string> = {
    irp: "#1f4e9c",
    complete: "#1f4e9c",
    notify: "#2e7d32",
    reg: "#888888",
    state: "#555555",
    app: "#6a1b9a",
    veto: "#c00000",
    call: "#555555",
  };
  const parts: string[] = [
    `<defs>${
      Object.entries(colors).map(([k, c]) =>
        `<marker id="m-${k}" markerWidth="8" markerHeight="8" refX="7" refY="4" orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="${c}"/></marker>`
      ).join("")
    }</defs>`,
  ];
  // Lifeline names are cut (from the left: an instance ID's tail tells devices apart) to fit their
  // box; the full name is the box's tooltip.
  const fits = Math.floor((colW - 20) / CHAR_W);
  for (const n of names) {
    const label = n.length > fits ? "…" + n.slice(-(fits - 1)) : n;
    parts.push(
      `<g><title>${escapeXml(n)}</title><rect x="${x(n) - colW / 2 + 6}" y="10" width="${
        colW - 12
      }" height="26" rx="4" fill="${
        n.startsWith("stack ") ? "#dde8ff" : "#f0f0f0"
      }" stroke="#555555"/>` +
        `<text x="${x(n)}" y="27" text-anchor="middle" ${FONT}>${escapeXml(label)}</text></g>` +
        `<line x1="${x(n)}" y1="36" x2="${x(n)}" y2="${
          height - 10
        }" stroke="#bbbbbb" stroke-dasharray="4 3"/>`,
    );
  }
  arrows.forEach((a, i) => {
    const y = top + 14 + i * rowH;
    const c = colors[a.kind];
    if (a.from === a.to) {
      parts.push(
        `<text x="${x(a.from) + 6}" y="${
          y - 2
        }" ${FONT} ${HALO} fill="${c}" font-weight="bold">#${a.seq} ${escapeXml(a.label)}</text>`,
      );
      return;
    }
    const x1 = x(a.from);
    const x2 = x(a.to);
    parts.push(
      `<line x1="${x1}" y1="${y}" x2="${x2}" y2="${y}" stroke="${c}" ${
        a.kind === "reg" ? `stroke-dasharray="3 2"` : ""
      } marker-end="url(#m-${a.kind})"/>` +
        `<text x="${Math.min(x1, x2) + 6}" y="${y - 6}" ${FONT} ${HALO} fill="${c}">#${a.seq} ${
          escapeXml(a.label)
        }</text>`,
    );
  });
  const text = arrows.map((a) => `#${a.seq} ${a.from} -> ${a.to}: ${a.label}`).join("\n") + "\n";
  return new Picture(svgDoc(width, height, parts.join(""), "Sequence diagram"), text);
}

/** A registry subtree as an indented tree of keys with their values (regedit's two panes in one). */
export function registryPicture(machine: Machine, path: string, depth = 4): Picture {
  const node = machine.registryKey(path);
  const lines: string[] = [];
  const rows: { text: string; depth: number; key: boolean }[] = [];
  const visit = (k: typeof node, keyPath: string, d: number) => {
    if (!k) return;
    rows.push({
      text: `${k.name}${k.volatile ? "  (volatile)" : ""}${
        k.link !== null ? `  -> ${k.link}` : ""
      }`,
      depth: d,
      key: true,
    });
    for (const v of k.values) {
      const data = typeof v.data === "bigint"
        ? "0x" + v.data.toString(16)
        : v.data instanceof Uint8Array
        ? [...v.data.slice(0, 16)].map((b) => b.toString(16).padStart(2, "0")).join(" ")
        : Array.isArray(v.data)
        ? v.data.join(", ")
        : typeof v.data === "number"
        ? "0x" + v.data.toString(16)
        : String(v.data);
      rows.push({ text: `${v.name || "(Default)"} = ${data}`, depth: d + 1, key: false });
    }
    if (d >= depth) return;
    for (const c of k.subkeys) {
      const child = `${keyPath}\\${c.name}`;
      if (!c.link) visit(machine.registryKey(child), child, d + 1);
    }
  };
  visit(node, path, 0);
  if (!node) rows.push({ text: `No key '${path}'`, depth: 0, key: true });
  for (const r of rows) lines.push(`${"  ".repeat(r.depth)}${r.key ? "[" + r.text + "]" : r.text}`);
  const rowH = 18;
  const width = Math.max(300, ...rows.map((r) => 20 + r.depth * 16 + r.text.length * 7.3));
  const body = rows.map((r, i) =>
    `<text x="${10 + r.depth * 16}" y="${20 + i * rowH}" ${FONT} ${
      r.key ? `font-weight="bold" fill="#1f4e9c"` : `fill="#333333"`
    }>${escapeXml(r.key ? "▸ " + r.text : r.text)}</text>`
  ).join("");
  return new Picture(
    svgDoc(Math.ceil(width), 20 + rows.length * rowH, body, `Registry ${path}`),
    lines.join("\n") + "\n",
  );
}
