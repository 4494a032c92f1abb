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
      const b = valueBytes(value);
      if (b.length === 4) {
        return "0x" + new DataView(b.buffer, b.byteOffset, 4).getUint32(0, false).toString(16);
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

function block(node: KeyNode, shown: string): string[] {
  const lines = ["", shown];
  for (const v of node.valueList()) {
    lines.push(
      `    ${v.name === "" ? "(Default)" : v.name}    ${regTypeName(v.type)}    ${regQueryData(v)}`,
    );
  }
  return lines;
}

/** `reg query` of one key (its values, then its subkeys' paths) or, with `/s`, of its whole subtree. */
export function renderRegQuery(node: KeyNode, shown: string, recursive: boolean): string {
  const lines: string[] = [];
  if (recursive) {
    const visit = (k: KeyNode, path: string) => {
      lines.push(...block(k, path));
      for (const child of k.sortedChildren()) {
        if (child.link === null) visit(child, `${path}\\${child.name}`);
      }
    };
    visit(node, shown);
  } else {
    lines.push(...block(node, shown));
    lines.push("");
    for (const child of node.sortedChildren()) lines.push(`${shown}\\${child.name}`);
  }
  return lines.join("\n") + "\n";
}
