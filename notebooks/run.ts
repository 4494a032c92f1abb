/**
 * `deno task notebooks [file.ipynb...]`: installs Deno's Jupyter kernel, type-checks each notebook's
 * code, then executes every notebook (`notebooks/NN-*.ipynb`, in order) top to bottom with
 * `jupyter nbconvert` and saves it with its outputs. Any failing cell fails the task. Needs Jupyter
 * from Debian's packages `jupyter-client python3-nbclient jupyter-nbconvert` (`.ci/run` installs
 * them); without `jupyter` it says so and fails.
 *
 * @module
 */
import { basename, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
const root = fileURLToPath(new URL("..", import.meta.url));
const PACKAGES = "jupyter-client python3-nbclient jupyter-nbconvert";

/** Runs a command with inherited output; returns whether it succeeded. */
async function run(
  cmd: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<boolean> {
  const { code } = await new Deno.Command(cmd, { args, env, stdout: "inherit", stderr: "inherit" })
    .output();
  return code === 0;
}

/** Whether `jupyter nbconvert` can be started. */
async function haveJupyter(): Promise<boolean> {
  try {
    const { code } = await new Deno.Command("jupyter", {
      args: ["nbconvert", "--version"],
      stdout: "null",
      stderr: "null",
    }).output();
    return code === 0;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}

interface Cell {
  cell_type: string;
  id?: string;
  source: string | string[];
}

const text = (source: string | string[]) => Array.isArray(source) ? source.join("") : source;

/**
 * Type-checks a notebook's code cells as one module (the kernel itself does not type-check). Cells
 * import `../mod.ts` relative to the notebook, so the imports are pointed at the checkout first.
 */
async function typeCheck(file: string, cells: Cell[]): Promise<boolean> {
  const rootUrl = pathToFileURL(root).href.replace(/\/?$/, "/");
  // Each cell ends with ";" so that a cell's last expression does not run into the next cell.
  const code = cells.filter((c) => c.cell_type === "code").map((c) =>
    `// cell ${c.id}\n${text(c.source).replaceAll(`from "../`, `from "${rootUrl}`)}\n;\n`
  ).join("\n");
  const dir = await Deno.makeTempDir({ prefix: "pnplab-notebook-" });
  try {
    const module = join(dir, basename(file).replace(/\.ipynb$/, ".ts"));
    await Deno.writeTextFile(module, code);
    return await run(Deno.execPath(), [
      "check",
      "--quiet",
      "--config",
      join(root, "deno.json"),
      module,
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Problems nbformat would warn about or that make a notebook unfit to commit. */
function lint(cells: Cell[]): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  cells.forEach((c, i) => {
    if (!c.id) problems.push(`cell ${i + 1} has no id`);
    else if (ids.has(c.id)) problems.push(`cell ${i + 1} repeats the id '${c.id}'`);
    else ids.add(c.id);
  });
  return problems;
}

async function main(args: string[]): Promise<number> {
  const files = args.length
    ? args.map((a) => resolve(a))
    : [...Deno.readDirSync(here)].map((e) => e.name).filter((n) => /^\d\d-.*\.ipynb$/.test(n))
      .sort().map((n) => join(here, n));
  if (!files.length) {
    console.error("No notebooks found (notebooks/NN-name.ipynb)");
    return 1;
  }
  if (!(await haveJupyter())) {
    console.error(
      `Cannot run the notebooks: 'jupyter nbconvert' is not installed.\n` +
        `Install Debian's packages: apt-get install -y ${PACKAGES}`,
    );
    return 1;
  }
  // The kernelspec records this deno binary's path, so install it again on every run.
  if (!(await run(Deno.execPath(), ["jupyter", "--install", "--force"]))) {
    console.error("Cannot install Deno's Jupyter kernel");
    return 1;
  }
  const failed: string[] = [];
  for (const path of files) {
    const file = relative(root, path);
    console.log(`\n== ${file}`);
    const cells = (JSON.parse(await Deno.readTextFile(path)) as { cells: Cell[] }).cells;
    const problems = lint(cells);
    for (const p of problems) console.error(`${file}: ${p}`);
    if (problems.length || !(await typeCheck(file, cells))) {
      failed.push(file);
      continue;
    }
    // deno_execute.DenoExecutePreprocessor is nbconvert's ExecutePreprocessor (--execute), made to
    // keep outputs that Deno's kernel publishes just after a cell's idle status.
    const ok = await run("jupyter", [
      "nbconvert",
      "--to",
      "notebook",
      "--inplace",
      "--NotebookExporter.preprocessors=deno_execute.DenoExecutePreprocessor",
      "--ExecutePreprocessor.kernel_name=deno",
      "--ExecutePreprocessor.timeout=300",
      "--ExecutePreprocessor.record_timing=False",
      path,
    ], {
      NO_COLOR: "1",
      PYTHONDONTWRITEBYTECODE: "1", // no __pycache__ beside the notebooks
      PYTHONPATH: [here, Deno.env.get("PYTHONPATH")].filter((p) => p).join(":"),
    });
    if (!ok) failed.push(file);
  }
  console.log(
    `\nnotebooks: ${files.length - failed.length} executed, ${failed.length} failed` +
      (failed.length ? ` (${failed.join(", ")})` : ""),
  );
  return failed.length ? 1 : 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
