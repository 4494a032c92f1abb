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
import { Session } from "./session.ts";

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
    }: ${session.machine.devices().length} devices. Type .help for commands.`,
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
  const prompt = "kd> ";
  const more = "... ";
  let buffer = "";
  rl.setPrompt(prompt);
  rl.prompt();
  rl.on("SIGINT", () => {
    buffer = "";
    process.stdout.write("\n");
    rl.setPrompt(prompt);
    rl.prompt();
  });
  await new Promise<void>((resolve) => {
    let busy = Promise.resolve();
    rl.on("line", (line: string) => {
      busy = busy.then(async () => {
        buffer = buffer ? `${buffer}\n${line}` : line;
        const r = await session.evaluate(buffer);
        if (r.incomplete) {
          rl.setPrompt(more);
          rl.prompt();
          return;
        }
        buffer = "";
        if (r.output) console.log(r.output);
        if (r.exit) {
          rl.close();
          return;
        }
        rl.setPrompt(prompt);
        rl.prompt();
      });
    });
    rl.on("close", () => {
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

import process from "node:process";

if (import.meta.main) {
  await main(Deno.args);
  Deno.exit(0);
}
