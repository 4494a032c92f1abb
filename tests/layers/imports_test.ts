/**
 * The layers of lib/ point one way, down (DESIGN-NOTES, "Layers"): a file may import values only from
 * its own layer or a lower one, value imports never form a circle, and nothing below the PnP manager
 * (nor anything outside lib/) reaches the machine's internals (`sys.pnp`, `_sys`). A lower layer learns
 * about a higher one only through a hook `machine.ts` fills at boot. `import type` is free: a
 * driver routine's shape names `Kernel`, a subsystem's routines name `System`.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));

/** The layers, lowest first; a path belongs to the first prefix that matches it. */
export const LAYERS: readonly (readonly string[])[] = [
  [
    "lib/ntstatus.ts",
    "lib/constants.ts",
    "lib/bugcheck.ts",
    "lib/irql.ts",
    "lib/guid.ts",
    "lib/doc_pages.ts",
    "lib/describable.ts",
  ],
  ["lib/ke/", "lib/ex/"],
  ["lib/ob/", "lib/trace/"],
  ["lib/registry/"],
  ["lib/io/"],
  ["lib/verifier/", "lib/bus/"],
  ["lib/po/"],
  ["lib/pnp/"],
  ["lib/system.ts", "lib/kernel.ts", "lib/machine.ts"],
  ["lib/examples/", "lib/render/"],
  ["dsl/"],
];

function layerOf(path: string): number {
  const i = LAYERS.findIndex((prefixes) => prefixes.some((p) => path.startsWith(p)));
  return i;
}

interface Import {
  from: string;
  to: string;
  line: number;
  typeOnly: boolean;
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const e of Deno.readDirSync(root + dir)) {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory) out.push(...walk(rel));
    else if (e.name.endsWith(".ts")) out.push(rel);
  }
  return out.sort();
}

/** The relative imports and re-exports of a file, each marked type-only or not. */
function importsOf(file: string): Import[] {
  const text = Deno.readTextFileSync(root + file);
  const out: Import[] = [];
  const re = /^(import|export)\s+(type\s+)?([^;]*?)\s*from\s*"(\.[^"]+)"/gms;
  for (const m of text.matchAll(re)) {
    const clause = m[3]!;
    const names = clause.match(/\{([^}]*)\}/)?.[1]?.split(",").map((s) => s.trim()).filter(Boolean);
    const allTypes = !!names && names.length > 0 && !/^[\w$]+\s*,/.test(clause) &&
      names.every((n) => n.startsWith("type "));
    const url = new URL(m[4]!, `file://${root}${file}`);
    out.push({
      from: file,
      to: fileURLToPath(url).slice(root.length),
      line: text.slice(0, m.index).split("\n").length,
      typeOnly: !!m[2] || allTypes,
    });
  }
  return out;
}

const files = [...walk("lib"), ...walk("dsl")];
const imports = files.flatMap(importsOf);

Deno.test("every file of lib/ and dsl/ belongs to a layer", () => {
  assert.deepEqual(files.filter((f) => layerOf(f) < 0), []);
});

Deno.test("value imports point down or sideways, never up (DESIGN-NOTES, Layers)", () => {
  const up = imports.filter((i) => !i.typeOnly && layerOf(i.to) > layerOf(i.from)).map((i) =>
    `${i.from}:${i.line} imports ${i.to} (layer ${layerOf(i.from)} -> ${layerOf(i.to)})`
  );
  assert.deepEqual(up, []);
});

Deno.test("value imports form no circle", () => {
  const edges = new Map<string, Import[]>();
  for (const i of imports) if (!i.typeOnly) edges.set(i.from, [...edges.get(i.from) ?? [], i]);
  // Tarjan's strongly connected components.
  let index = 0;
  const idx = new Map<string, number>(), low = new Map<string, number>();
  const stack: string[] = [], on = new Set<string>(), circles: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index), low.set(v, index++), stack.push(v), on.add(v);
    for (const { to } of edges.get(v) ?? []) {
      if (!idx.has(to)) visit(to), low.set(v, Math.min(low.get(v)!, low.get(to)!));
      else if (on.has(to)) low.set(v, Math.min(low.get(v)!, idx.get(to)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do (w = stack.pop()!, on.delete(w), scc.push(w)); while (w !== v);
      if (scc.length > 1) circles.push(scc.sort());
    }
  };
  for (const f of files) if (!idx.has(f)) visit(f);
  const described = circles.map((c) =>
    c.join(" <-> ") + ": " +
    imports.filter((i) => !i.typeOnly && c.includes(i.from) && c.includes(i.to))
      .map((i) => `${i.from}:${i.line}`).join(", ")
  );
  assert.deepEqual(described, []);
});

Deno.test("nothing below pnp/ and nothing outside the kernel reaches the machine's internals", () => {
  const pnpLayer = layerOf("lib/pnp/");
  const found: string[] = [];
  for (const f of files) {
    const layer = layerOf(f);
    const lines = Deno.readTextFileSync(root + f).split("\n");
    lines.forEach((l, n) => {
      const code = l.replace(/\/\/.*$/, "");
      if (layer < pnpLayer && /\b_?sys\??\.(pnp|interfaces|notify|users)\b/.test(code)) {
        found.push(`${f}:${n + 1}: ${l.trim()}`);
      }
      if (layer > layerOf("lib/machine.ts") && /\b_sys\b|\._pnp\b/.test(code)) {
        found.push(`${f}:${n + 1}: ${l.trim()}`);
      }
    });
  }
  assert.deepEqual(found, []);
});

Deno.test("the README's layout table names every folder of lib/ and every layer", () => {
  const readme = Deno.readTextFileSync(root + "README.md");
  const table = readme.slice(
    readme.indexOf("## Layout"),
    readme.indexOf("\n## ", readme.indexOf("## Layout") + 1),
  );
  const folders = [...Deno.readDirSync(root + "lib")].filter((e) => e.isDirectory).map((e) =>
    `lib/${e.name}/`
  );
  const files = LAYERS.flat().filter((p) => p.endsWith(".ts")).map((p) => p.replace(/^lib\//, ""));
  const missing = [
    ...folders.filter((f) => !table.includes(`\`${f}\``)),
    ...files.filter((f) => !table.includes(f)),
  ];
  assert.deepEqual(missing, []);
});

Deno.test("every file of lib/ and dsl/ opens with a comment that says why it exists (STYLE.md)", () => {
  const bare = files.filter((f) => {
    const head = Deno.readTextFileSync(root + f).trimStart();
    const doc = /^\/\*\*([\s\S]*?)\*\//.exec(head)?.[1] ?? "";
    // A sentence or more of prose, not just a tag.
    return doc.replace(/@\w+/g, "").replace(/[\s*]/g, "").length < 40;
  });
  assert.deepEqual(bare, []);
});
