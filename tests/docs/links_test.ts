/**
 * Everywhere the project names a Microsoft page for a reader (the verifier's rule table, `!analyze`,
 * the HTML report, the notebooks' prose) it links the page's learn.microsoft.com address from the one
 * table, lib/doc_pages.ts.
 */
import assert from "node:assert/strict";
import { boot, DISPATCH_LEVEL, renderAnalyze, RULES_DOC, VERIFIER_RULES } from "../../mod.ts";
import { docUrl, linkPages, pagesNamedIn } from "../../lib/doc_pages.ts";
import { parseScenario } from "../../dsl/yaml.ts";
import { runScenarioWithMachine } from "../../dsl/runner.ts";
import { renderReport } from "../../dsl/report.ts";

const root = new URL("../../", import.meta.url).pathname;

Deno.test("pagesNamedIn finds whole titles only, longest first, ignoring case", () => {
  const found = pagesNamedIn(
    "Removing a device in a function driver; then Removing a Device; not ZwCloseKey but ZwClose",
  );
  assert.deepEqual(found.map((p) => p.title), [
    "Removing a Device in a Function Driver",
    "Removing a Device",
    "ZwClose",
  ]);
  assert.equal(found[0]!.text, "Removing a device in a function driver");
});

Deno.test("linkPages leaves text without a known page unchanged and escapes the rest", () => {
  assert.equal(linkPages("no page here", () => "X"), "no page here");
  const html = linkPages(
    "a < b: Object Handles",
    (w, u) => `<a href="${u}">${w}</a>`,
    (s) => s.replace(/</g, "&lt;"),
  );
  assert.equal(html, `a &lt; b: <a href="${docUrl("Object Handles")}">Object Handles</a>`);
});

Deno.test("RULES_DOC links every rule's pages (IrqlZwPassive rule (wdm), the bug check pages)", () => {
  for (const r of VERIFIER_RULES) {
    const row = RULES_DOC.split("\n").find((l) => l.startsWith(`| ${r.name} |`));
    assert.ok(row, r.name);
    assert.match(row, /\]\(https:\/\/learn\.microsoft\.com\//, r.name);
  }
});

Deno.test("!analyze after an IrqlZwPassive bug check lists the bug check's and the rule's pages with their addresses", () => {
  const machine = boot();
  const k = machine.kernel;
  k.KeRaiseIrql(DISPATCH_LEVEL);
  try {
    k.ZwClose(null as never);
  } catch { /* the bug check stops the machine; !analyze reads it from the trace */ }
  const out = renderAnalyze(machine);
  assert.match(out, /^PAGES:$/m);
  assert.ok(
    out.includes(
      `  Bug Check 0xC4: DRIVER_VERIFIER_DETECTED_VIOLATION: ${
        docUrl("Bug Check 0xC4: DRIVER_VERIFIER_DETECTED_VIOLATION")
      }`,
    ),
    out,
  );
  assert.ok(out.includes(`  IrqlZwPassive rule (wdm): ${docUrl("IrqlZwPassive rule (wdm)")}`), out);
});

Deno.test("the HTML report links the pages a scenario's prose and its verifier findings name", async () => {
  const file = "scenarios/verifier/PnpKeyAllAccess.yaml";
  const parsed = parseScenario(await Deno.readTextFile(`${root}${file}`), file);
  const data = parsed.scenarios[0]!;
  const run = runScenarioWithMachine(data);
  const html = renderReport([{ data, result: run.result, machine: run.machine, file }]);
  const url = docUrl("Plug and Play Registry Routines")!;
  // The teaches prose names the page; the finding's rule documentation names it too.
  assert.ok(html.includes(`<a href="${url}">Plug and Play Registry Routines</a>`), html);
  assert.match(html, /<h3>Verifier documentation<\/h3><ul class="pages"><li><a href="https:/);
});

Deno.test("the notebooks' markdown cells link the pages they name (outside code)", async () => {
  const unlinked: string[] = [];
  for (const e of [...Deno.readDirSync(`${root}notebooks`)].map((e) => e.name).sort()) {
    if (!e.endsWith(".ipynb")) continue;
    const nb = JSON.parse(await Deno.readTextFile(`${root}notebooks/${e}`));
    for (const cell of nb.cells as { cell_type: string; source: string | string[] }[]) {
      if (cell.cell_type !== "markdown") continue;
      const text = Array.isArray(cell.source) ? cell.source.join("") : cell.source;
      // Prose only: code spans name routines as code, and links are already links.
      const prose = text.replace(/`[^`]*`/g, " ").replace(/\[[^\]]*\]\([^)]*\)/g, " ");
      const linked = new Set(
        [...text.matchAll(/\]\((https:\/\/learn\.microsoft\.com\/[^)]+)\)/g)].map((m) => m[1]),
      );
      for (const p of pagesNamedIn(prose)) {
        if (p.url && !linked.has(p.url)) unlinked.push(`${e}: ${p.title}`);
      }
    }
  }
  assert.deepEqual(unlinked, []);
});
