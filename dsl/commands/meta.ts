/**
 * The REPL's own commands (`.help`, `.trace`, `.reset`, `.reboot`, `.load`, `.save`, `.driver`,
 * `.reload`, `.exit`) as rows of the command table, and the table itself: every group's rows in
 * `.help`'s order. `.help` is generated from the rows, with the step table's help beside it.
 *
 * @module
 */
import { POWER_COMMANDS } from "./power.ts";
import { formatEvent } from "../../lib/trace/format.ts";
import { didYouMean, STEP_DEFINITIONS } from "../steps.ts";
import { DEBUG_COMMANDS } from "./debugging.ts";
import { INSPECT_COMMANDS } from "./inspect.ts";
import { PNPUTIL_COMMANDS } from "./pnputil.ts";
import { REGISTRY_COMMANDS } from "./registry.ts";
import { type Command, type CommandHost, CommandTable } from "./table.ts";

const INTRO =
  `pnplab REPL: TypeScript with top-level await; the machine, the DSL and the kernel are in scope.
  device("PCI\\\\VEN_1").registerInterface("GUID_DEVINTERFACE_DISK").enable()   DSL verbs (recorded for .save)
  k.IoGetDeviceInterfaces(GUID_DEVINTERFACE_TOASTER, null, 0)               kernel routines (recorded for .save)
  machine.requestRemoval(pdo("ROOT\\\\BUSENUM\\\\0"))                            machine verbs (recorded for .save)
  pdo("ROOT\\\\BUSENUM\\\\0")                                                    a device by instance ID or name
  const m = await import("./mydriver.ts")                                   modules, relative to the folder the REPL started in
.help <command>, .help steps and .help <step> say more.`;

/** `.help steps`: every row of the step table, one line each. */
function stepsHelp(): string {
  const rows = Object.entries(STEP_DEFINITIONS);
  const width = Math.max(...rows.map(([name]) => name.length)) + 2;
  return [
    "Steps (YAML scenario files, .save; the DSL verbs record the same):",
    ...rows.map(([name, def]) => `  ${name.padEnd(width)}${def.doc}`),
  ].join("\n");
}

/** The builder each subject field's one-field steps are verbs of (dsl/fluent.ts `SubjectVerbs`). */
const BUILDERS: Readonly<Record<string, string>> = {
  device: "device(...)",
  interface: "device(...).registerInterface(...)",
  listener: "listen(...)",
};

/** `.help <step>`: a row of the step table, its fields and the machine verb recorded as it. */
function stepHelp(name: string): string | undefined {
  const def = STEP_DEFINITIONS[name];
  if (!def) return undefined;
  const fields = Object.entries(def.fields);
  const width = Math.max(0, ...fields.map(([f]) => f.length)) + 2;
  return [
    `${name}: ${def.doc}`,
    ...(fields.length ? ["Fields:"] : ["No fields."]),
    ...fields.map(([f, fd]) =>
      `  ${f.padEnd(width)}${fd.type}${fd.required ? ", required" : ""}${
        def.shorthand === f ? ", the shorthand" : ""
      }: ${fd.doc}`
    ),
    ...(fields.length === 1 && fields[0]![0] in BUILDERS
      ? [`DSL: ${BUILDERS[fields[0]![0]]}.${name}()`]
      : []),
    ...(def.machineVerb ? [`Recorded from machine.${def.machineVerb.method}(...)`] : []),
    ...(def.expectation ? ["An expectation: a failed one does not stop the run."] : []),
  ].join("\n");
}

/** File names completing a path being typed, keeping folders and files ending in `ext`. */
export function completePath(word: string, ext: readonly string[]): string[] {
  const cut = word.lastIndexOf("/");
  const dir = cut < 0 ? "." : word.slice(0, cut) || "/";
  const prefix = word.slice(cut + 1);
  try {
    const out: string[] = [];
    for (const e of Deno.readDirSync(dir)) {
      if (!e.name.startsWith(prefix) || e.name.startsWith(".") && !prefix.startsWith(".")) continue;
      if (!e.isDirectory && !ext.some((x) => e.name.endsWith(x))) continue;
      out.push(`${cut < 0 ? "" : word.slice(0, cut + 1)}${e.name}${e.isDirectory ? "/" : ""}`);
    }
    return out.sort();
  } catch {
    return [];
  }
}

/** The meta rows. */
const META_COMMANDS: readonly Command[] = [
  {
    name: ".help",
    usage: "[command | steps | step]",
    help: "this list; a command's usage; the steps a scenario file can hold; one step's fields",
    group: "meta",
    complete: (_h, rest) =>
      [...COMMAND_TABLE.rows.map((c) => c.name), "steps", ...Object.keys(STEP_DEFINITIONS)]
        .filter((n) => n.startsWith(rest)),
    run(_host, arg) {
      if (!arg) return COMMAND_TABLE.help(INTRO);
      if (arg === "steps") return stepsHelp();
      const text = COMMAND_TABLE.helpFor(arg) ?? stepHelp(arg);
      if (text) return text;
      const steps = Object.keys(STEP_DEFINITIONS);
      const hint = didYouMean(arg, [...COMMAND_TABLE.rows.map((c) => c.name), ...steps]);
      if (!hint || steps.includes(hint)) {
        return `Unknown step '${arg}' (${hint ? `did you mean '${hint}'?` : "try .help steps"})`;
      }
      return `Unknown command '${arg}' (did you mean '${hint}'?)`;
    },
  },
  {
    name: ".trace",
    usage: "[n]",
    help: "the last n trace events (default 20; at a stop, up to that event)",
    group: "meta",
    run(host, arg) {
      const n = arg ? Number(arg) : 20;
      // slice(-0) and slice(-NaN) would be the whole trace.
      if (!Number.isInteger(n) || n < 1) return "Usage: .trace [n] (n >= 1)";
      return host.machine.trace.slice(-n).map(formatEvent).join("\n");
    },
  },
  {
    name: ".reset",
    usage: "",
    help: "a fresh machine as the session started (the recorded steps are dropped)",
    group: "meta",
    run: (host) => host.session.reset(),
  },
  {
    name: ".reboot",
    changes: true,
    usage: "[safe]",
    help: "reboot the machine (recorded as a reboot step)",
    group: "meta",
    complete: (_h, rest) => ["safe"].filter((w) => w.startsWith(rest)),
    run(host, arg) {
      if (arg && arg !== "safe") return "Usage: .reboot [safe]";
      return host.session.reboot(arg === "safe");
    },
  },
  {
    name: ".load",
    usage: "<file.yaml>[#n]",
    help: "run a scenario file on a fresh machine and stay in its final state",
    group: "meta",
    complete: (_h, rest) => completePath(rest, [".yaml", ".yml"]),
    run: (host, arg) => host.session.load(arg),
  },
  {
    name: ".save",
    usage: "<file.yaml>",
    help: "write the session as a scenario file; lists every call it could not record",
    group: "meta",
    complete: (_h, rest) => completePath(rest, [".yaml", ".yml"]),
    run: (host, arg) => host.session.save(arg),
  },
  {
    name: ".driver",
    changes: true,
    usage: "<./path.ts> [export]",
    help: "load a driver exported by a TypeScript module (recorded as driverModule)",
    group: "meta",
    complete(host, rest) {
      const words = rest.split(/\s+/);
      if (words.length <= 1) return completePath(words[0] ?? "", [".ts", ".js", ".mts"]);
      const last = words.at(-1)!;
      return host.session.moduleExports(words[0]!).filter((n) => n.startsWith(last));
    },
    async run(host, arg) {
      const [path, name, ...extra] = arg.split(/\s+/).filter(Boolean);
      if (!path || extra.length) return "Usage: .driver <./path.ts> [export]";
      return await host.session.loadModule(path, name);
    },
  },
  {
    name: ".reload",
    usage: "",
    help: "import the loaded driver modules again (after an edit) and replay the session on them",
    group: "meta",
    run: (host) => host.session.reload(),
  },
  {
    name: ".exit",
    usage: "",
    help: "leave the REPL",
    group: "meta",
    run: () => ({ output: "", exit: true }),
  },
];

/** Every REPL command, one row each. */
export const COMMAND_TABLE: CommandTable = new CommandTable([
  ...INSPECT_COMMANDS,
  ...DEBUG_COMMANDS,
  ...REGISTRY_COMMANDS,
  ...PNPUTIL_COMMANDS,
  ...POWER_COMMANDS,
  ...META_COMMANDS,
]);

export type { CommandHost };
