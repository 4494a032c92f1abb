/**
 * Renders keys the way `reg query` prints them, so output reads like the tool Windows developers
 * already use.
 *
 * @module
 */
import {
  REG_BINARY,
  REG_DWORD,
  REG_DWORD_BIG_ENDIAN,
  REG_MULTI_SZ,
  REG_QWORD,
} from "../constants.ts";
import { regTypeName, type RegValue, valueBytes } from "./data.ts";
import type { KeyNode } from "./hive.ts";

/** One value as `reg query` prints its data column. */
export function regQueryData(value: RegValue): string {
  const d = value.data;
  switch (value.type) {
    case REG_DWORD:
    case REG_QWORD:
      if (typeof d === "number" || typeof d === "bigint") return "0x" + d.toString(16);
      break;
    case REG_DWORD_BIG_ENDIAN: {
      // reg.exe prints the four bytes as a native (little-endian) DWORD: REG_DWORD_BIG_ENDIAN
      // "behaves like an ordinary REG_DWORD" in every Windows version (Wine's reg add/query tests).
      const b = valueBytes(value);
      if (b.length === 4) {
        return "0x" + new DataView(b.buffer, b.byteOffset, 4).getUint32(0, true).toString(16);
      }
      break;
    }
    case REG_MULTI_SZ:
      if (Array.isArray(d)) return d.join("\\0");
      break;
    case REG_BINARY:
      break;
    default:
      if (typeof d === "string") return d;
  }
  return [...valueBytes(value)].map((b) => b.toString(16).toUpperCase().padStart(2, "0")).join("");
}

function valueLines(node: KeyNode): string[] {
  return node.valueList().map((v) =>
    `    ${v.name === "" ? "(Default)" : v.name}    ${regTypeName(v.type)}    ${regQueryData(v)}`
  );
}

/**
 * `reg query` of one key or, with `/s`, of its whole subtree, laid out as reg.exe does (the outputs
 * Wine's `reg query` conformance tests expect on Windows): a blank line first; the key's path, its
 * values and a blank line only when it has values (always for keys reached by `/s`); then, without
 * `/s`, one line per subkey path. Link keys are not followed below the queried key. Lines end with
 * `\n` (reg.exe writes `\r\n`).
 */
export function renderRegQuery(node: KeyNode, shown: string, recursive: boolean): string {
  const lines: string[] = [""];
  const visit = (k: KeyNode, path: string, recursing: boolean) => {
    const values = valueLines(k);
    if (values.length || recursing) lines.push(path, ...values, "");
    for (const child of k.sortedChildren()) {
      if (!recursive) lines.push(`${path}\\${child.name}`);
      else if (child.link === null) visit(child, `${path}\\${child.name}`, true);
    }
  };
  visit(node, shown, false);
  return lines.join("\n") + "\n";
}

/**
 * `reg query <key> /v <name>` (`/ve`: the name "") and, with `/s`, the same in every key below it:
 * each key holding the value, its path, the value line and a blank line, then with `/s` the count
 * of matches, as Wine's `reg query` tests expect on Windows; an unset default value shows as
 * `(value not set)`. Undefined when no key holds the value (reg.exe's "unable to find" error).
 */
export function renderRegQueryValue(
  node: KeyNode,
  shown: string,
  name: string,
  recursive: boolean,
): string | undefined {
  const lines: string[] = [];
  let matches = 0;
  const visit = (k: KeyNode, path: string) => {
    const v = k.value(name);
    if (v) {
      lines.push(
        path,
        `    ${v.name === "" ? "(Default)" : v.name}    ${regTypeName(v.type)}    ${
          regQueryData(v)
        }`,
        "",
      );
      matches++;
    } else if (name === "") {
      // Every key has a default value; reg.exe shows an unset one as such.
      lines.push(path, "    (Default)    REG_SZ    (value not set)", "");
      matches++;
    }
    if (!recursive) return;
    for (const child of k.sortedChildren()) {
      if (child.link === null) visit(child, `${path}\\${child.name}`);
    }
  };
  visit(node, shown);
  if (!lines.length) return undefined;
  return ["", ...lines, ...(recursive ? [`End of search: ${matches} match(es) found.`] : [])]
    .join("\n") + "\n";
}
