/**
 * docs/ is where a reader follows the rules the model is built on, so it must cover what the code and
 * the tests claim: every Microsoft page a test, a scenario file or a verifier rule names is in the
 * one table of pages (lib/doc_pages.ts) and cited in docs/ with its address; every verifier rule has
 * its entry in docs/verifier.md; anchors are unique and the links between docs pages resolve.
 *
 * The convention this reads (docs/README.md, "Conventions"): a test or scenario names a page by its
 * title in double quotes in a comment or in the scenario's prose, e.g. "Using PnP Notification". A
 * quoted phrase there that is not a page title is listed in NOT_PAGE_TITLES below, so a new title
 * that nobody added to the table fails this test instead of going unnoticed.
 */
import assert from "node:assert/strict";
import { DOC_PAGE_TITLES, docUrl, pagesNamedIn } from "../../lib/doc_pages.ts";
import { rulePages, VERIFIER_RULES } from "../../lib/verifier/rules.ts";

const root = new URL("../../", import.meta.url).pathname;

/** Quoted phrases in test comments and scenario prose that are not Microsoft page titles. */
const NOT_PAGE_TITLES = new Set([
  "Bad calls never throw JS errors out of a routine",
  "Before drivers load: bus PDO only",
  "CANCEL_REMOVE goes to every device already queried, including the one that failed.",
  "Delete subkeys first",
  "DeviceID first",
  "EJECT: bus PDO only",
  "Every later routine call throws the same BugCheck until machine.reboot()",
  "Front panel buttons",
  "Multiple strings",
  "REGEDIT 4",
  "Registered interfaces persist across operating system reboots",
  "Subkey1c ",
  "The PnP manager queries for RemovalRelations and EjectionRelations before it ejects a device",
  "There are more",
  "This exit occurs if the Name member is NULL and the current key has no",
  "Time and concurrency",
  "Typed fluent builders",
]);

async function filesUnder(dir: string, ext: RegExp): Promise<string[]> {
  const out: string[] = [];
  const entries: Deno.DirEntry[] = [];
  for await (const e of Deno.readDir(`${root}${dir}`)) entries.push(e);
  entries.sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  for (const e of entries) {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory) out.push(...await filesUnder(rel, ext));
    else if (ext.test(e.name)) out.push(rel);
  }
  return out;
}

/**
 * The quoted phrases a file uses to name pages: in a TypeScript file, those in comments; in a
 * scenario file, those in its prose (titles and names excluded). Two words or more, starting with a
 * capital letter.
 */
function quotedPhrases(file: string, text: string): { phrase: string; at: string }[] {
  const out: { phrase: string; at: string }[] = [];
  text.split("\n").forEach((raw, i) => {
    let line = raw.trim();
    if (file.endsWith(".ts")) {
      if (/^(\/\/|\*|\/\*)/.test(line)) { /* a comment line */ }
      else if (line.includes(" // ")) line = line.slice(line.indexOf(" // "));
      else return;
    } else if (/^-?\s*(title|name|id)\s*:/.test(line)) return;
    for (const m of line.matchAll(/"([A-Z][^"\\\n]{3,100}?)"/g)) {
      if (m[1]!.includes(" ")) out.push({ phrase: m[1]!, at: `${file}:${i + 1}` });
    }
  });
  return out;
}

const docFiles = await filesUnder("docs", /\.md$/);
const docs = new Map<string, string>();
for (const f of docFiles) docs.set(f, await Deno.readTextFile(`${root}${f}`));
const allDocs = [...docs.values()].join("\n");

const sourceFiles = [
  ...await filesUnder("tests", /\.ts$/),
  ...await filesUnder("scenarios", /\.ya?ml$/),
].filter((f) => !f.startsWith("tests/docs/"));
const sources = new Map<string, string>();
for (const f of sourceFiles) sources.set(f, await Deno.readTextFile(`${root}${f}`));

/** Whether docs/ cites the page: its title, and its address when the table has one. */
function cited(title: string): boolean {
  const url = docUrl(title);
  return allDocs.toLowerCase().includes(title.toLowerCase()) &&
    (!url || allDocs.includes(`](${url})`));
}

Deno.test("every quoted page title in a test or scenario is in the table of pages (or listed as not a title)", () => {
  const unknown: string[] = [];
  for (const [file, text] of sources) {
    for (const { phrase, at } of quotedPhrases(file, text)) {
      if (NOT_PAGE_TITLES.has(phrase)) continue;
      // A verifier rule's documentation title (e.g. "IrqlZwPassive rule (wdm)") or a page title.
      if (!DOC_PAGE_TITLES.some((t) => t.toLowerCase() === phrase.toLowerCase())) {
        unknown.push(`${at}: "${phrase}"`);
      }
    }
  }
  assert.deepEqual(
    unknown,
    [],
    "add the page to lib/doc_pages.ts, or the phrase to NOT_PAGE_TITLES",
  );
});

Deno.test("NOT_PAGE_TITLES lists only phrases that the tests and scenarios still quote", () => {
  const quoted = new Set(
    [...sources].flatMap(([f, t]) => quotedPhrases(f, t).map((q) => q.phrase)),
  );
  assert.deepEqual([...NOT_PAGE_TITLES].filter((p) => !quoted.has(p)), []);
});

Deno.test("every page a test or scenario names is cited in docs/ with its address", () => {
  const missing = new Set<string>();
  for (const text of sources.values()) {
    for (const p of pagesNamedIn(text)) if (!cited(p.title)) missing.add(p.title);
  }
  assert.deepEqual([...missing], []);
});

Deno.test("every page of the table is cited in docs/ with its address", () => {
  assert.deepEqual(DOC_PAGE_TITLES.filter((t) => !cited(t)), []);
});

Deno.test("every learn.microsoft.com address in docs/ comes from the table of pages", () => {
  const known = new Set(DOC_PAGE_TITLES.map((t) => docUrl(t)).filter((u) => u));
  const stray = [...allDocs.matchAll(/\]\((https:\/\/learn\.microsoft\.com\/[^)\s]+)\)/g)]
    .map((m) => m[1]!).filter((u) => !known.has(u));
  assert.deepEqual(stray, []);
});

Deno.test("every verifier rule names at least one page of the table, and each has an address", () => {
  for (const r of VERIFIER_RULES) {
    const pages = rulePages(r);
    assert.ok(pages.length > 0, `${r.name}: its doc "${r.doc}" names no page of the table`);
    for (const p of pages) assert.ok(p.url, `${r.name}: ${p.title} has no address`);
  }
});

Deno.test("every verifier rule has its entry in docs/verifier.md, citing the rule's pages", () => {
  const verifier = docs.get("docs/verifier.md") ?? "";
  for (const r of VERIFIER_RULES) {
    const at = verifier.indexOf(`<a id="verifier-${r.name}"></a>`);
    assert.ok(at >= 0, `no entry for ${r.name}`);
    const next = verifier.indexOf('<a id="', at + 1);
    const entry = verifier.slice(at, next < 0 ? undefined : next);
    for (const p of rulePages(r)) assert.ok(entry.includes(`](${p.url})`), `${r.name}: ${p.title}`);
  }
});

Deno.test("docs/ anchors are unique and every link between docs pages resolves", () => {
  const anchors = new Map<string, Set<string>>();
  const seen = new Set<string>();
  for (const [file, text] of docs) {
    const ids = [...text.matchAll(/<a id="([^"]+)"><\/a>/g)].map((m) => m[1]!);
    for (const id of ids) {
      assert.ok(!seen.has(id), `anchor ${id} appears twice`);
      seen.add(id);
    }
    anchors.set(file.slice("docs/".length), new Set(ids));
  }
  const broken: string[] = [];
  for (const [file, text] of docs) {
    for (const m of text.matchAll(/\]\(([a-z-]+\.md)?(?:#([A-Za-z0-9-]+))?\)/g)) {
      const target = m[1] ?? file.slice("docs/".length);
      if (!anchors.has(target)) broken.push(`${file}: ${m[0]}`);
      else if (m[2] && !anchors.get(target)!.has(m[2])) broken.push(`${file}: ${m[0]}`);
    }
  }
  assert.deepEqual(broken, []);
});

Deno.test("every docs page has a section for where Windows differs from a page's text", () => {
  const rulePagesOnly = [...docs.keys()].filter((f) => !/README\.md$/.test(f));
  assert.ok(rulePagesOnly.length >= 7);
  for (const f of rulePagesOnly) {
    assert.match(docs.get(f)!, /^## Where Windows differs from a page's text$/m, f);
  }
});
