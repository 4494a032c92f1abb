/**
 * The repository is what a reader or a dependent project gets, so nothing in it may point outside
 * it: no absolute path of the machine it was written on, no `../` that climbs above its root (the
 * workspace's shared folders are not part of the repository), and no citation of the workspace's
 * reference notes by file name (a reader of the repository cannot open them). Checks every file the
 * repository holds, text and notebooks alike.
 */
import assert from "node:assert/strict";

const root = new URL("../../", import.meta.url);
const rootPath = root.pathname;

/** Folders that are generated or belong to git, never committed content. */
const SKIP = new Set([".git", "cov", "dist", "node_modules"]);

/** Every file under the repository root, relative, sorted. */
async function repositoryFiles(dir = ""): Promise<string[]> {
  const out: string[] = [];
  const names: { name: string; isDirectory: boolean }[] = [];
  for await (const e of Deno.readDir(`${rootPath}${dir}`)) names.push(e);
  names.sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  for (const e of names) {
    if (SKIP.has(e.name)) continue;
    const rel = `${dir}${e.name}`;
    if (e.isDirectory) out.push(...await repositoryFiles(`${rel}/`));
    else out.push(rel);
  }
  return out;
}

/**
 * Absolute locations on a development machine. Built from pieces so this file does not match
 * itself.
 */
const ABSOLUTE = ["work", "home", "Users", "root", "tmp"].map((d) => `/${d}/`);
const SHARED = ["..", "shared"].join("/");

/**
 * The workspace's reference notes, which the documentation was written from and which are not in
 * the repository: a comment, test name or page that cites one by file and section leads a reader
 * nowhere. Cite the docs/ page and anchor, the Microsoft page's title, or the Wine or ReactOS file
 * and function instead. Built from pieces so this file does not match itself; the three notes with
 * distinctive names are caught with or without `.md`, and the notes' old section form (the project
 * name, then a section sign) too. The workspace's API contract is not shipped either: cite the
 * README section or the ground rule instead.
 */
const NOTES = [["windows", "docs"], ["wine", "reactos"], ["toaster", "and", "anchors"]]
  .map((p) => p.join("-"));
const CONTRACT = ["con", "tract"].join("");
const NOTE_CITATION = new RegExp(
  `(?<![\\w.-])(?:(?:${NOTES.join("|")})(?:\\.md)?|(?:constants|deno)\\.md)(?![\\w-])|` +
    `Wine/ReactOS (?:notes )?(?:\u00a7|\\d)|\\b${CONTRACT}(?:\\.md| section| ?\u00a7|:| \\d)`,
  "gi",
);

/** Relative references a file makes: imports, markdown links and `../` paths in backquotes. */
const RELATIVE = [
  /(?:from|import)\s*\(?\s*["'](\.\.?\/[^"']+)["']/g,
  /\]\((\.\.?\/[^)\s#]+)/g,
  /`(\.\.\/[^`\s]+)`/g,
];

const files = await repositoryFiles();

Deno.test("no file in the repository names an absolute path of a development machine", async () => {
  const found: string[] = [];
  for (const f of files) {
    if (/\.(png|jpg|gif|ico|woff2?)$/.test(f)) continue;
    const text = await Deno.readTextFile(`${rootPath}${f}`);
    text.split("\n").forEach((line, i) => {
      for (const p of [...ABSOLUTE, SHARED]) {
        if (line.includes(p)) found.push(`${f}:${i + 1}: ${p}`);
      }
    });
  }
  assert.deepEqual(found, []);
});

Deno.test("no relative reference in the repository climbs above its root", async () => {
  const found: string[] = [];
  for (const f of files) {
    if (!/\.(ts|md|ipynb|json|yaml|yml|html)$/.test(f)) continue;
    const text = await Deno.readTextFile(`${rootPath}${f}`);
    const base = new URL(f, root);
    for (const re of RELATIVE) {
      for (const m of text.matchAll(re)) {
        const target = new URL(m[1]!, base).pathname;
        if (!target.startsWith(rootPath)) found.push(`${f}: ${m[1]}`);
      }
    }
  }
  assert.deepEqual(found, []);
});

Deno.test("no file in the repository cites the workspace's reference notes by file name", async () => {
  const found: string[] = [];
  for (const f of files) {
    if (/\.(png|jpg|gif|ico|woff2?)$/.test(f)) continue;
    const text = await Deno.readTextFile(`${rootPath}${f}`);
    text.split("\n").forEach((line, i) => {
      for (const m of line.matchAll(NOTE_CITATION)) found.push(`${f}:${i + 1}: ${m[0]}`);
    });
  }
  assert.deepEqual(found, []);
});

Deno.test("the reference-notes check recognises a citation of each note and leaves docs/ links alone", () => {
  const cited = [...NOTES.map((n) => `${n}.md 5.6`), `${NOTES[1]} notes 12.1`]
    .concat(["constants", "deno"].map((n) => `see ${n}.md`), [
      "Wine/ReactOS notes \u00a71.2",
      ["Wine/ReactOS", "12.3"].join(" "),
    ])
    .concat(
      [".md", " section 4", " \u00a72", ":", " 5"].map((s) => `(${CONTRACT.toUpperCase()}${s} x)`),
    );
  for (const c of cited) assert.equal([...c.matchAll(NOTE_CITATION)].length, 1, c);
  const keep = ["docs/pnp.md#pnp-orderly-removal", "deno.json", "Wine/ReactOS disagree"];
  for (const ok of keep.concat([`a driver's ${CONTRACT} with PnP`])) {
    assert.equal([...ok.matchAll(NOTE_CITATION)].length, 0, ok);
  }
});

Deno.test("the repository check sees the files it is meant to check", () => {
  // A walk that found nothing would pass the checks above without checking anything.
  for (const f of ["README.md", "mod.ts", "deno.json", "tests/package/paths_test.ts"]) {
    assert.ok(files.includes(f), f);
  }
});
