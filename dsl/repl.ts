/**
 * `deno task repl`: the interactive front door. Opens on the bundled example machine (or `--empty`,
 * `--scenario FILE`, `--profiles A,B`, `--safe-mode`), evaluates TypeScript with top-level await,
 * offers WinDbg-style commands, tab completion, multi-line input and history kept in
 * `~/.pnplab_history`. Nothing typed kills it: errors print and the prompt returns.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { createInterface } from "node:readline";
import { type Evaluation, scenarioProblem, Session } from "./session.ts";
import { didYouMean } from "./steps.ts";

const HISTORY_LIMIT = 1000;

const USAGE = "Usage: deno task repl [--empty] [--scenario FILE] [--profiles A,B] [--safe-mode]";

const OPTIONS = {
  empty: { type: "boolean", default: false },
  scenario: { type: "string" },
  profiles: { type: "string" },
  "safe-mode": { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
} as const;

/** A parseArgs error as one sentence (its own messages carry advice about `--` for positionals). */
function optionProblem(e: unknown): string {
  const code = (e as { code?: string }).code;
  const message = e instanceof Error ? e.message : String(e);
  const quoted = /'([^']+)'/.exec(message)?.[1] ?? "";
  const option = quoted.replace(/ <value>$/, "");
  switch (code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION": {
      const hint = didYouMean(option.replace(/^-+/, ""), Object.keys(OPTIONS));
      return `Unknown option '${option}'${hint ? ` (did you mean '--${hint}'?)` : ""}`;
    }
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
      return /argument missing/.test(message)
        ? `Option '${option}' needs a value`
        : `Option '${option}' takes no value`;
    case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL":
      return `Unexpected argument '${option}' (the REPL takes options only)`;
    default:
      return message.split("\n")[0]!;
  }
}

function historyFile(): string | undefined {
  const home = Deno.env.get("HOME") ?? Deno.env.get("USERPROFILE");
  return home ? `${home}/.pnplab_history` : undefined;
}

function readHistory(file: string | undefined): string[] {
  if (!file) return [];
  try {
    return Deno.readTextFileSync(file).split("\n").filter(Boolean).reverse().slice(
      0,
      HISTORY_LIMIT,
    );
  } catch {
    return [];
  }
}

/**
 * Starts the REPL on stdin/stdout; resolves with the exit status when the user leaves: 0, or 2 for
 * bad options (one line saying what is wrong, then the usage line, on stderr).
 */
export async function main(args: string[]): Promise<number> {
  let values;
  try {
    values = parseArgs({ args, options: OPTIONS }).values;
  } catch (e) {
    console.error(optionProblem(e));
    console.error(USAGE);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const problem = values.scenario === undefined ? undefined : scenarioProblem(values.scenario);
  if (problem) {
    console.error(problem);
    console.error(USAGE);
    return 2;
  }
  const color = !Deno.noColor && Deno.stdout.isTerminal();
  const session = new Session({
    empty: values.empty,
    color,
    safeMode: values["safe-mode"],
    ...(values.profiles ? { profiles: values.profiles.split(",") } : {}),
  });
  console.log(
    `pnplab ${
      values.empty ? "(empty machine)" : "on the example machine"
    }: ${session.machine.devices().length} device${
      session.machine.devices().length === 1 ? "" : "s"
    }. Type .help for commands.`,
  );
  if (values.scenario) console.log(await session.loadWithModules(values.scenario));
  const file = historyFile();
  const rl = createInterface({
    input: Deno.stdin.isTerminal() ? process.stdin : process.stdin,
    output: process.stdout,
    terminal: Deno.stdin.isTerminal(),
    history: readHistory(file),
    historySize: HISTORY_LIMIT,
    removeHistoryDuplicates: true,
    completer: (line: string) => session.complete(line),
  });
  const terminal = Deno.stdin.isTerminal();
  const more = "... ";
  let buffer = "";
  let evaluating = false;
  /** Lines entered (typed ahead, pasted or piped) that have not started to run. */
  let queued = 0;
  /** `.exit` ran: nothing after it runs. */
  let exited = false;
  /** Ctrl-D or the end of piped input: the lines already read still run. */
  let inputEnded = false;
  const showPrompt = (p: string) => {
    if (exited) return;
    // In a terminal, lines typed or pasted ahead are on the screen already; a prompt before each
    // of their outputs would be noise.
    if (terminal && queued > 0) return;
    if (inputEnded) {
      // readline is closed: a transcript of the piped lines still gets its prompts.
      if (queued > 0) process.stdout.write(p);
      return;
    }
    rl.setPrompt(p);
    // prompt(true) keeps the cursor where it is: a line typed ahead while a command ran is redrawn
    // with the cursor at its end, so Tab and Ctrl-U still work on it.
    rl.prompt(true);
  };
  /** Prints output, first erasing a half-typed line so the two do not run together. */
  const print = (text: string) => {
    const typedAhead = (rl as unknown as { line?: string }).line;
    if (terminal && typedAhead) process.stdout.write("\r\x1b[K");
    console.log(text);
  };
  // Code typed at the prompt can leave a promise rejected with no handler, or throw from a callback;
  // either would end the process. Print it and keep the prompt.
  const uncaught = (what: string) => {
    if (terminal) process.stdout.write("\r\x1b[K");
    console.log(what);
    if (!evaluating) showPrompt(buffer ? more : session.prompt);
  };
  globalThis.addEventListener("unhandledrejection", (e) => {
    e.preventDefault();
    uncaught(`Uncaught (in promise) ${describe(e.reason)}`);
  });
  globalThis.addEventListener("error", (e) => {
    e.preventDefault();
    uncaught(`Uncaught ${describe(e.error ?? e.message)}`);
  });
  showPrompt(session.prompt);
  // Ctrl-C: during an evaluation it abandons what is being awaited (synchronous code is stopped
  // by the time limit: the event loop cannot see the key until it yields); at the prompt it clears
  // the typed line and any unfinished multi-line input, as a shell does.
  rl.on("SIGINT", () => {
    if (evaluating) {
      if (!session.interrupt()) {
        process.stdout.write("\n(Ctrl-C: the running code stops at its time limit)\n");
      }
      return;
    }
    buffer = "";
    const typed = rl as unknown as { line: string; cursor: number };
    typed.line = "";
    typed.cursor = 0;
    process.stdout.write("^C\n");
    showPrompt(session.prompt);
  });
  await new Promise<void>((resolve) => {
    let busy = Promise.resolve();
    rl.on("line", (line: string) => {
      queued++;
      busy = busy.then(async () => {
        queued--;
        if (exited) return;
        buffer = buffer ? `${buffer}\n${line}` : line;
        let r: Evaluation;
        evaluating = true;
        try {
          r = await session.evaluate(buffer);
        } catch (e) {
          // evaluate reports errors itself; this is the last line of defence for the prompt.
          r = { output: `Internal error: ${describe(e)}` };
        } finally {
          evaluating = false;
        }
        if (r.incomplete) {
          showPrompt(more);
          return;
        }
        buffer = "";
        if (r.output) print(r.output);
        if (r.exit) {
          exited = true;
          rl.close();
          return;
        }
        showPrompt(session.prompt);
      });
    });
    rl.on("close", () => {
      // Ctrl-D (unlike .exit) leaves the cursor after the prompt.
      if (terminal && !exited) process.stdout.write("\n");
      inputEnded = true;
      busy.then(() => {
        if (file) {
          try {
            const history = (rl as unknown as { history?: string[] }).history ?? [];
            Deno.writeTextFileSync(file, [...history].reverse().join("\n") + "\n");
          } catch {
            // A history file that cannot be written is not worth stopping for.
          }
        }
        resolve();
      });
    });
  });
  return 0;
}

/** A thrown value as one line, even when its toString throws. */
function describe(e: unknown): string {
  try {
    return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  } catch {
    return "(a value that cannot be printed)";
  }
}

import process from "node:process";

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
