/**
 * RunOnce: `HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\RunOnce` entries run once, right after a
 * device is installed and at every boot. Without `!` the value is deleted before the command runs (a
 * failure is not retried); with `!` it is deleted only after the command succeeds. In safe mode only
 * entries marked `*` run. The driver documentation puts the prefix on the value data, the Win32
 * documentation on the value name: both are accepted. Commands are handlers the user registers by
 * program name; an unknown program fails.
 *
 * @module
 */
import { DebugBreak } from "../ke/break.ts";
import { REG_EXPAND_SZ, REG_SZ } from "../constants.ts";
import { RUNONCE_PATH } from "../registry/system_hive.ts";
import type { System } from "../system.ts";

/** A RunOnce command: gets the command line after the program name; returns false (or throws) to fail. */
export type RunOnceCommand = (args: string) => boolean | void;

/** The program name of a command line (`rundll32.exe toaster.dll,Setup` → `rundll32`), lower case, without `.exe`. */
export function programOf(command: string): string {
  const m = /^\s*(?:"([^"]+)"|(\S+))/.exec(command);
  const prog = (m?.[1] ?? m?.[2] ?? "").split(/[\\/]/).pop() ?? "";
  return prog.toLowerCase().replace(/\.exe$/, "");
}

function splitPrefixes(s: string): { bang: boolean; star: boolean; rest: string } {
  let bang = false;
  let star = false;
  let i = 0;
  for (; i < s.length && (s[i] === "!" || s[i] === "*"); i++) {
    if (s[i] === "!") bang = true;
    else star = true;
  }
  return { bang, star, rest: s.slice(i) };
}

/** Runs the RunOnce entries once, in value order. */
export function processRunOnce(
  sys: System,
  commands: ReadonlyMap<string, RunOnceCommand>,
  reason: "boot" | "install",
): void {
  const key = sys.hive.find(RUNONCE_PATH);
  if (!key) return;
  const safeMode = sys.options.safeMode;
  sys.as(
    { name: "RunOnce", driver: null, process: "explorer.exe", previousMode: "UserMode" },
    () => {
      for (const value of key.valueList()) {
        if (
          value.type !== REG_SZ && value.type !== REG_EXPAND_SZ || typeof value.data !== "string"
        ) continue;
        const fromName = splitPrefixes(value.name);
        const fromData = splitPrefixes(value.data);
        const bang = fromName.bang || fromData.bang;
        const star = fromName.star || fromData.star;
        const command = fromData.rest;
        if (safeMode && !star) {
          sys.trace.push({
            kind: "info",
            what: "RunOnce skipped in safe mode",
            detail: { name: value.name, command, reason },
          });
          continue;
        }
        if (!bang) sys.hive.deleteValue(key, value.name);
        const handler = commands.get(programOf(command));
        let ok = false;
        let error: string | undefined;
        if (!handler) {
          error = `unknown command '${programOf(command)}'`;
        } else {
          try {
            ok = handler(command.replace(/^\s*(?:"[^"]+"|\S+)\s*/, "")) !== false;
          } catch (e) {
            if (e instanceof DebugBreak) throw e;
            error = e instanceof Error ? e.message : String(e);
          }
        }
        if (ok && bang) sys.hive.deleteValue(key, value.name);
        sys.trace.push({
          kind: "info",
          what: ok ? "RunOnce command succeeded" : "RunOnce command failed",
          detail: {
            name: value.name,
            command,
            reason,
            kept: bang && !ok,
            ...(error ? { error } : {}),
          },
        });
      }
    },
  );
}
