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
import { type Evaluation, Session } from "./session.ts";

const HISTORY_LIMIT = 1000;

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

/** Starts the REPL on stdin/stdout; resolves when the user leaves. */
export async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      empty: { type: "boolean", default: false },
      scenario: { type: "string" },
      profiles: { type: "string" },
      "safe-mode": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log("Usage: deno task repl [--empty] [--scenario FILE] [--profiles A,B] [--safe-mode]");
    return;
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
  if (values.scenario) console.log(session.load(values.scenario));
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
  const prompt = "kd> ";
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
    if (!evaluating) showPrompt(buffer ? more : prompt);
  };
  globalThis.addEventListener("unhandledrejection", (e) => {
    e.preventDefault();
    uncaught(`Uncaught (in promise) ${describe(e.reason)}`);
  });
  globalThis.addEventListener("error", (e) => {
    e.preventDefault();
    uncaught(`Uncaught ${describe(e.error ?? e.message)}`);
  });
  showPrompt(prompt);
  rl.on("SIGINT", () => {
    buffer = "";
    process.stdout.write("\n");
    showPrompt(prompt);
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
        showPrompt(prompt);
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
  await main(Deno.args);
  Deno.exit(0);
}
