/**
 * reg.exe at the prompt: `reg query`, `reg add`, `reg delete`, `reg export`, `reg import`, with
 * reg.exe's switches and messages. A change goes through the machine's registry verbs, so it is
 * recorded as its step (`setValue`, `deleteKey`, `importReg`) for `.save`, or listed by `.save` as
 * left out when no step does the same (a value deleted alone, an empty key).
 *
 * Messages: "The operation completed successfully." and "ERROR: The system was unable to find the
 * specified registry key or value." are reg.exe's (Wine's reg tests run it on Windows and its
 * programs/reg/reg.rc carries the same sentences); reg.exe prompts before overwriting or deleting
 * unless /f (or /y for export) is given, and the REPL cannot prompt, so it acts as with /f and
 * refuses an existing export file without /y.
 *
 * @module
 */
import { BugCheck } from "../../lib/bugcheck.ts";
import * as constants from "../../lib/constants.ts";
import type { Command, CommandHost } from "./table.ts";

const SUCCESS = "The operation completed successfully.";
const NOT_FOUND = "ERROR: The system was unable to find the specified registry key or value.";

/** reg.exe's answer to a command line it cannot parse. */
const invalidSyntax = (op: string) => `ERROR: Invalid syntax.\nType "REG ${op} /?" for usage.`;

/** The words of an argument line, quotes removed from quoted ones (`"HKLM\A B" /v x`). */
function words(arg: string): string[] {
  return (arg.match(/"[^"]*"|\S+/g) ?? []).map((w) => w.replace(/^"(.*)"$/, "$1"));
}

/** Whether a word is a switch (`/f`, `/ve`), not an absolute file path (which has a second slash). */
const isSwitch = (w: string) => /^\/[a-z?]+$/i.test(w);

/** Registry path completion: each subkey of the typed parent. */
export function registryCompletions(host: CommandHost, word: string): string[] {
  const cut = word.lastIndexOf("\\");
  const parent = cut < 0 ? "" : word.slice(0, cut);
  const prefix = word.slice(cut + 1).toUpperCase();
  if (!parent) {
    return ["HKLM\\", "HKEY_LOCAL_MACHINE\\"].filter((r) => r.startsWith(word.toUpperCase()));
  }
  return host.machine.registry.subkeys(parent).filter((s) => s.toUpperCase().startsWith(prefix))
    .map((s) => `${parent}\\${s}`);
}

/** The key argument's completion: only for the first word after the command. */
const completeKey = (host: CommandHost, rest: string): string[] =>
  /^"?[^\s"]*$/.test(rest) ? registryCompletions(host, rest.replace(/^"/, "")) : [];

/** `/d` text as the data of a `/t` type, as reg.exe reads it; a string is why it cannot be. */
function regData(type: number, text: string, separator: string): unknown | { error: string } {
  switch (type) {
    case constants.REG_DWORD:
    case constants.REG_DWORD_BIG_ENDIAN: {
      const n = /^0x[0-9a-f]+$/i.test(text)
        ? parseInt(text, 16)
        : /^\d+$/.test(text)
        ? Number(text)
        : NaN;
      if (!Number.isSafeInteger(n) || n > 0xffffffff) {
        return { error: "ERROR: The option [/d] must be followed by a valid integer." };
      }
      return n;
    }
    case constants.REG_QWORD: {
      if (!/^(0x[0-9a-f]+|\d+)$/i.test(text) || BigInt(text) > 0xffffffffffffffffn) {
        return { error: "ERROR: The option [/d] must be followed by a valid integer." };
      }
      return BigInt(text);
    }
    case constants.REG_BINARY:
    case constants.REG_NONE: {
      if (text.length % 2 || !/^[0-9a-f]*$/i.test(text)) {
        return { error: "ERROR: The option [/d] must be followed by a valid hexadecimal value." };
      }
      return new Uint8Array((text.match(/../g) ?? []).map((h) => parseInt(h, 16)));
    }
    case constants.REG_MULTI_SZ:
      // reg.exe's default separator is \0, written as the two characters.
      return text === "" ? [] : text.split(separator);
    default:
      return text;
  }
}

/** Runs a change, turning the registry's refusal into reg.exe's error line. */
function attempt(f: () => unknown): string {
  try {
    f();
    return SUCCESS;
  } catch (e) {
    if (e instanceof BugCheck) throw e;
    return `ERROR: ${e instanceof Error ? e.message : String(e)}`;
  }
}

/** `reg query <path> [/s] [/v name | /ve]` (Wine's reg query tests). */
function regQuery(host: CommandHost, arg: string): string {
  const w = words(arg);
  const path = w[0];
  if (!path || path.startsWith("/")) return "Usage: reg query <path> [/s] [/v name | /ve]";
  let recursive = false;
  let name: string | undefined;
  for (let i = 1; i < w.length; i++) {
    const t = w[i]!.toLowerCase();
    // reg.exe refuses a switch given twice, and /v with /ve.
    if (t === "/s" && !recursive) recursive = true;
    else if (t === "/ve" && name === undefined) name = "";
    else if (t === "/v" && name === undefined && w[i + 1] !== undefined) name = w[++i]!;
    else return "Usage: reg query <path> [/s] [/v name | /ve]";
  }
  return host.machine.registry.query(path, {
    recursive,
    ...(name === undefined ? {} : { value: name }),
  }).trimEnd();
}

/** `reg add <key> [/v name | /ve] [/t type] [/s separator] [/d data] [/f]`. */
function regAdd(host: CommandHost, arg: string): string {
  const w = words(arg);
  const path = w[0];
  if (!path || path.startsWith("/")) return invalidSyntax("ADD");
  let name: string | undefined;
  let typeName = "REG_SZ";
  let data: string | undefined;
  let separator = "\\0";
  for (let i = 1; i < w.length; i++) {
    const t = w[i]!.toLowerCase();
    const next = w[i + 1];
    if (t === "/f") continue;
    if (t === "/ve" && name === undefined) name = "";
    else if (t === "/v" && name === undefined && next !== undefined) name = w[++i]!;
    else if (t === "/t" && next !== undefined) typeName = w[++i]!.toUpperCase();
    else if (t === "/d" && next !== undefined) data = w[++i]!;
    else if (t === "/s" && next !== undefined) separator = w[++i]!;
    else return invalidSyntax("ADD");
  }
  const type = constants[typeName as keyof typeof constants];
  if (!typeName.startsWith("REG_") || typeof type !== "number" || type > constants.REG_QWORD) {
    return `ERROR: Invalid value type '${typeName}' (one of REG_SZ, REG_MULTI_SZ, REG_EXPAND_SZ, REG_DWORD, REG_QWORD, REG_BINARY, REG_NONE)`;
  }
  if (name === undefined) {
    if (data !== undefined) return invalidSyntax("ADD");
    if (host.live.registry.exists(path)) return SUCCESS;
    return attempt(() => host.machineVerb("registry.createKey", [path]));
  }
  const value = regData(type, data ?? "", separator);
  if (value && typeof value === "object" && "error" in value) {
    return (value as { error: string }).error;
  }
  return attempt(() => host.machineVerb("registry.setValue", [path, name, type, value]));
}

/** `reg delete <key> [/v name | /ve | /va] [/f]`. */
function regDelete(host: CommandHost, arg: string): string {
  const w = words(arg);
  const path = w[0];
  if (!path || path.startsWith("/")) return invalidSyntax("DELETE");
  let name: string | undefined;
  let all = false;
  for (let i = 1; i < w.length; i++) {
    const t = w[i]!.toLowerCase();
    if (t === "/f") continue;
    if (t === "/ve" && name === undefined && !all) name = "";
    else if (t === "/v" && name === undefined && !all && w[i + 1] !== undefined) name = w[++i]!;
    else if (t === "/va" && name === undefined) all = true;
    else return invalidSyntax("DELETE");
  }
  const registry = host.live.registry;
  if (!registry.exists(path)) return NOT_FOUND;
  if (all) {
    return attempt(() => {
      for (const v of registry.valueNames(path)) {
        host.machineVerb("registry.deleteValue", [path, v]);
      }
    });
  }
  if (name !== undefined) {
    if (!registry.valueNames(path).some((v) => v.toUpperCase() === name!.toUpperCase())) {
      return NOT_FOUND;
    }
    return attempt(() => host.machineVerb("registry.deleteValue", [path, name]));
  }
  return attempt(() => host.machineVerb("registry.deleteKey", [path]));
}

/** `reg export <key> <file> [/y]`: regedit's format, UTF-16 LE with a byte order mark as reg.exe writes it. */
function regExport(host: CommandHost, arg: string): string {
  const w = words(arg);
  const overwrite = w.some((x) => x.toLowerCase() === "/y");
  const rest = w.filter((x) => x.toLowerCase() !== "/y");
  if (rest.length !== 2 || rest.some(isSwitch)) return invalidSyntax("EXPORT");
  const [path, file] = rest as [string, string];
  if (!host.machine.registry.exists(path)) return NOT_FOUND;
  try {
    Deno.statSync(file);
    if (!overwrite) {
      return `File ${file} already exists: add /y to overwrite it (the REPL cannot ask)`;
    }
  } catch {
    // No such file: written below.
  }
  const text = host.machine.registry.exportReg(path);
  const bytes = new Uint8Array(2 + text.length * 2);
  bytes[0] = 0xff;
  bytes[1] = 0xfe;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    bytes[2 + 2 * i] = c & 0xff;
    bytes[3 + 2 * i] = c >> 8;
  }
  try {
    Deno.writeFileSync(file, bytes);
  } catch (e) {
    return `ERROR: Cannot write '${file}': ${e instanceof Error ? e.message : String(e)}`;
  }
  return SUCCESS;
}

/** A .reg file's text: UTF-16 LE with a byte order mark (as reg export writes), else UTF-8. */
function readRegFile(file: string): string {
  const bytes = Deno.readFileSync(file);
  if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    return new TextDecoder("utf-16le").decode(bytes.slice(2));
  }
  return new TextDecoder().decode(bytes).replace(/^\uFEFF/, "");
}

/** `reg import <file>`: applied whole or not at all, recorded as an importReg step. */
function regImport(host: CommandHost, arg: string): string {
  const w = words(arg);
  if (w.length !== 1 || isSwitch(w[0]!)) return invalidSyntax("IMPORT");
  let text: string;
  try {
    text = readRegFile(w[0]!);
  } catch {
    return `ERROR: Error opening the file. There may be a disk or file system error.`;
  }
  const r = host.machineVerb("registry.importReg", [text]) as {
    errors: { line: number; column: number; message: string }[];
  };
  if (r.errors.length) {
    return [
      "ERROR: Error accessing the registry.",
      ...r.errors.map((e) => `  ${w[0]}:${e.line}:${e.column}: ${e.message}`),
    ].join("\n");
  }
  return SUCCESS;
}

/** The reg.exe rows. */
export const REGISTRY_COMMANDS: readonly Command[] = [
  {
    name: "reg query",
    usage: "<key> [/s] [/v name | /ve]",
    help: "a key (with /s its subtree), or one value, as reg.exe prints it",
    group: "registry",
    complete: completeKey,
    run: regQuery,
  },
  {
    name: "reg add",
    changes: true,
    usage: "<key> [/v name | /ve] [/t type] [/s sep] [/d data] [/f]",
    help: "set a value (REG_SZ unless /t), creating the key (recorded as setValue)",
    group: "registry",
    complete: completeKey,
    run: regAdd,
  },
  {
    name: "reg delete",
    changes: true,
    usage: "<key> [/v name | /ve | /va] [/f]",
    help: "delete a key and its subtree (recorded as deleteKey), or values",
    group: "registry",
    complete: completeKey,
    run: regDelete,
  },
  {
    name: "reg export",
    usage: "<key> <file.reg> [/y]",
    help: "write a key and its subtree as a .reg file (UTF-16, as reg.exe writes it)",
    group: "registry",
    complete: completeKey,
    run: regExport,
  },
  {
    name: "reg import",
    changes: true,
    usage: "<file.reg>",
    help: "apply a .reg file, whole or not at all (recorded as importReg)",
    group: "registry",
    run: regImport,
  },
];
