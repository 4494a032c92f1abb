/**
 * The configuration manager's tree of keys: names, values, volatility, security, links and
 * last-write times. Routines (`Zw*`), handles and the host view are built on top of it.
 *
 * @module
 */
import { KEY_ALL_ACCESS, REG_LINK } from "../constants.ts";
import { type RegData, regTypeName, type RegValue } from "./data.ts";

/** One mutation of the tree, ready for the trace (a `reg` event without seq, time and caller). */
export interface HiveWrite {
  kind: "reg";
  op: "createKey" | "deleteKey" | "setValue" | "deleteValue";
  path: string;
  name?: string;
  type?: string;
  data?: unknown;
  volatile?: boolean;
}

/** Registry data as the trace shows it: numbers and strings as they are, bigints and bytes as hex. */
export function traceData(data: RegData): unknown {
  if (typeof data === "number" || typeof data === "string") return data;
  if (typeof data === "bigint") return "0x" + data.toString(16);
  if (data instanceof Uint8Array) {
    return [...data].map((b) => b.toString(16).padStart(2, "0")).join(" ");
  }
  return [...data];
}

/** A registry key. Fields are the model's; routines read them, drivers only see handles. */
export class KeyNode {
  /** Case-preserved name of this component. */
  name: string;
  /** The parent key, or null for `\Registry`. */
  parent: KeyNode | null;
  /** Subkeys in creation order (a list: most keys have few). */
  #kids: KeyNode[] | null = null;
  /** Subkeys by upper-cased name, built once a key has many. */
  #index: Map<string, KeyNode> | null = null;
  /** Values by upper-cased name, in creation order. */
  values: RegValue[] | null = null;
  /** A volatile key lives in memory only. */
  volatile: boolean;
  /** The target of a link key (`\Registry\Machine\...`), or null for an ordinary key. */
  link: string | null = null;
  /** Simulated clock time of the last write. */
  lastWrite: number;
  /** The rights the key's security lets a caller be granted. */
  allowed: number = KEY_ALL_ACCESS;
  /** The class string given to ZwCreateKey. */
  className = "";
  /** Keys the configuration manager owns (hive roots, links): ZwDeleteKey says STATUS_CANNOT_DELETE. */
  noDelete = false;
  /** The path the trace shows for this key, computed on first use. */
  friendlyPath: string | undefined = undefined;
  /** Set once ZwDeleteKey removed the key; handles to it then see STATUS_KEY_DELETED. */
  deleted = false;
  #sorted: KeyNode[] | null = null;

  /** Creates a detached key. */
  constructor(name: string, parent: KeyNode | null, volatile: boolean, time: number) {
    // A component cut from a longer path would keep the whole path alive: keep a flat copy.
    this.name = name.length > 12 ? JSON.parse(JSON.stringify(name)) : name;
    this.parent = parent;
    this.volatile = volatile;
    this.lastWrite = time;
  }

  /** How many subkeys it has. */
  get childCount(): number {
    return this.#kids?.length ?? 0;
  }

  /** Looks a subkey up by name, case-insensitively. */
  child(name: string): KeyNode | undefined {
    const kids = this.#kids;
    if (!kids) return undefined;
    if (this.#index) return this.#index.get(name.toUpperCase());
    for (const k of kids) if (k.name === name) return k;
    const upper = name.toUpperCase();
    for (const k of kids) {
      if (k.name.length === name.length && k.name.toUpperCase() === upper) return k;
    }
    return undefined;
  }

  /** Subkeys in the order ZwEnumerateKey returns them: non-volatile sorted by upper-cased name, then volatile. */
  sortedChildren(): KeyNode[] {
    if (this.#sorted) return this.#sorted;
    const all = (this.#kids ?? []).map((k) => [k.name.toUpperCase(), k] as [string, KeyNode]);
    const order = (a: [string, KeyNode], b: [string, KeyNode]) =>
      a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
    this.#sorted = [
      ...all.filter(([, k]) => !k.volatile).sort(order),
      ...all.filter(([, k]) => k.volatile).sort(order),
    ].map(([, k]) => k);
    return this.#sorted;
  }

  /** Adds a subkey. */
  addChild(node: KeyNode): void {
    const kids = this.#kids;
    if (!kids) this.#kids = [node];
    else if (kids.length < 8) this.#kids = [...kids, node];
    else {
      kids.push(node);
      if (this.#index) this.#index.set(node.name.toUpperCase(), node);
      else this.#index = new Map(kids.map((k) => [k.name.toUpperCase(), k]));
    }
    this.#sorted = null;
  }

  /** Removes a subkey. */
  removeChild(node: KeyNode): void {
    const kids = this.#kids;
    if (!kids) return;
    const i = kids.lastIndexOf(node);
    if (i >= 0) kids.splice(i, 1);
    this.#index?.delete(node.name.toUpperCase());
    this.#sorted = null;
  }

  /** Looks a value up by name, case-insensitively ("" is the default value). */
  value(name: string): RegValue | undefined {
    const i = this.valueIndex(name);
    return i < 0 ? undefined : this.values![i];
  }

  /**
   * The position of a value in creation order, or -1. Keys hold few values, so a list beats a Map
   * in memory; the exact-case comparison comes first because callers usually repeat the name.
   */
  valueIndex(name: string): number {
    const list = this.values;
    if (!list) return -1;
    for (let i = 0; i < list.length; i++) if (list[i]!.name === name) return i;
    const upper = name.toUpperCase();
    for (let i = 0; i < list.length; i++) {
      const n = list[i]!.name;
      if (n.length === name.length && n.toUpperCase() === upper) return i;
    }
    return -1;
  }

  /** Values in creation order. */
  valueList(): RegValue[] {
    return this.values ? [...this.values] : [];
  }

  /** The kernel path, `\Registry\Machine\SYSTEM\ControlSet001\...`. */
  get path(): string {
    const parts: string[] = [this.name];
    for (let k = this.parent; k; k = k.parent) parts.push(k.name);
    return "\\" + parts.reverse().join("\\");
  }
}

/** A path split into components, with whether it was given relative to a root handle. */
export interface ParsedPath {
  readonly components: string[];
}

/** Root abbreviations the host view and `.reg` files accept, mapped to kernel paths. */
const ROOT_ALIASES: ReadonlyArray<[RegExp, string]> = [
  [/^(HKLM|HKEY_LOCAL_MACHINE)(\\|$)/i, "\\Registry\\Machine$2"],
  [/^(HKU|HKEY_USERS)(\\|$)/i, "\\Registry\\User$2"],
  [
    /^(HKCC|HKEY_CURRENT_CONFIG)(\\|$)/i,
    "\\Registry\\Machine\\SYSTEM\\CurrentControlSet\\Hardware Profiles\\Current$2",
  ],
];

/** Turns `HKLM\...`/`HKEY_LOCAL_MACHINE\...` into `\Registry\Machine\...`; other text is returned unchanged. */
export function toKernelPath(path: string): string {
  // A kernel path (`\Registry\...`) has no alias to replace: skip the patterns on the hot path.
  if (path.charCodeAt(0) === 0x5c) return path;
  for (const [re, replacement] of ROOT_ALIASES) {
    if (re.test(path)) return path.replace(re, replacement);
  }
  return path;
}

/** Splits a path at backslashes, dropping empty components (trailing or doubled backslashes are accepted, as Windows does). */
export function splitPath(path: string): string[] {
  return path.split("\\").filter((c) => c !== "");
}

/** A link target's components below `\Registry`, parsed once per target (every lookup through CurrentControlSet follows one). */
const LINK_COMPONENTS = new Map<string, readonly string[]>();
function linkComponents(target: string): readonly string[] {
  let components = LINK_COMPONENTS.get(target);
  if (!components) {
    components = splitPath(target).slice(1);
    if (LINK_COMPONENTS.size > 1000) LINK_COMPONENTS.clear();
    LINK_COMPONENTS.set(target, components);
  }
  return components;
}

/** The longest key name component Windows documents ("Registry element size limits"): 255 characters. */
export const MAX_KEY_NAME_LENGTH = 255;
/** The longest value name Windows documents: 16,383 characters. */
export const MAX_VALUE_NAME_LENGTH = 16383;
/**
 * The most bytes one value's data may have in the model. "Registry element size limits" bounds a
 * value only by available memory; this is the memory the model gives one value [infer]. A larger
 * DataSize is STATUS_INSUFFICIENT_RESOURCES, and nothing is allocated for it.
 */
export const MAX_VALUE_DATA_SIZE = 64 * 1024 * 1024;
/** How many links one lookup may follow before it is a loop. */
const MAX_LINK_DEPTH = 16;

/** The outcome of walking a path. */
export type Lookup =
  | { found: KeyNode }
  | { missing: { parent: KeyNode; name: string; rest: string[] } }
  | { error: "loop" | "badLink" };

/**
 * The tree of keys. Every mutation goes through it, so each one reaches `onWrite` (the trace) and
 * stamps the last-write time from the simulated clock.
 */
export class Hive {
  /** `\Registry`. */
  readonly root: KeyNode;
  /** Called for every mutation. */
  onWrite: (write: HiveWrite) => void = () => {};
  /** The simulated clock. */
  now: () => number = () => 0;
  /** How many keys have been deleted: a cache of "these subkeys exist" stays valid while it is unchanged. */
  deletions = 0;
  #friendlyOf: (node: KeyNode) => string = (node) => node.path;
  /**
   * Friendly paths for the trace: `\Registry\Machine\` as `HKLM\`, the current control set as
   * CurrentControlSet. Each key's is computed once (a key's path never changes), since every write
   * records it.
   */
  get friendly(): (node: KeyNode) => string {
    return this.#cachedFriendly;
  }
  set friendly(fn: (node: KeyNode) => string) {
    this.#friendlyOf = fn;
    for (const k of this.descendants(this.root)) k.friendlyPath = undefined;
  }
  readonly #cachedFriendly = (node: KeyNode): string => {
    let path = node.friendlyPath;
    if (path === undefined) {
      // Built from the parent's (a rope sharing its text) when the rule leaves the tail unchanged;
      // only the first keys below the hive roots go through the full rewrite.
      const parent = node.parent;
      const deep = parent && parent.parent && parent.parent.parent && parent.parent.parent.parent;
      path = deep ? this.#cachedFriendly(parent) + "\\" + node.name : this.#friendlyOf(node);
      // Deep leaves are most keys and cheap to rebuild from their parent: only the others keep theirs.
      if (!deep || node.childCount > 0) node.friendlyPath = path;
    }
    return path;
  };

  /** Creates a hive holding only `\Registry`. */
  constructor() {
    this.root = new KeyNode("REGISTRY", null, false, 0);
    this.root.noDelete = true;
  }

  /**
   * Walks `components` from `start`, following link keys (the last component's link too unless
   * `openLink`). Returns the key, the first missing component, or a link error.
   */
  walk(start: KeyNode, components: readonly string[], openLink = false, depth = 0): Lookup {
    let node = start;
    for (let i = 0; i < components.length; i++) {
      const name = components[i]!;
      const next = node.child(name);
      if (!next) return { missing: { parent: node, name, rest: components.slice(i + 1) } };
      node = next;
      if (node.link !== null && (i < components.length - 1 || !openLink)) {
        if (depth >= MAX_LINK_DEPTH) return { error: "loop" };
        if (node.link === "") return { error: "badLink" };
        const target = this.walk(this.root, linkComponents(node.link), false, depth + 1);
        if (!("found" in target)) return "error" in target ? target : { error: "badLink" };
        node = target.found;
      }
    }
    return { found: node };
  }

  /** Finds a key by absolute path (`\Registry\...` or `HKLM\...`), following links. */
  find(path: string): KeyNode | undefined {
    const components = splitPath(toKernelPath(path));
    if (components[0]?.toUpperCase() !== "REGISTRY") return undefined;
    const r = this.walk(this.root, components.slice(1));
    return "found" in r ? r.found : undefined;
  }

  /** Creates a subkey (the caller has checked that it may). */
  createChild(parent: KeyNode, name: string, volatile: boolean, className = ""): KeyNode {
    const node = new KeyNode(name, parent, volatile, this.now());
    node.className = className;
    parent.addChild(node);
    parent.lastWrite = this.now();
    this.onWrite({ kind: "reg", op: "createKey", path: this.friendly(node), volatile });
    return node;
  }

  /** Creates every missing key of an absolute path, returning the last. Used by the system itself at boot and by PnP. */
  ensure(path: string, options: { volatile?: boolean; allowed?: number } = {}): KeyNode {
    const components = splitPath(toKernelPath(path)).slice(1);
    let node = this.root;
    for (const name of components) {
      const r = this.walk(node, [name]);
      if ("found" in r) {
        node = r.found;
        continue;
      }
      node = this.createChild(node, name, options.volatile ?? node.volatile);
      if (options.allowed !== undefined) node.allowed = options.allowed;
    }
    return node;
  }

  /** Makes `node` a link key to `target` (a kernel path), as `REG_OPTION_CREATE_LINK` plus `SymbolicLinkValue` do. */
  setLink(node: KeyNode, target: string): void {
    node.link = target;
    node.noDelete = true;
    this.setValue(node, { name: "SymbolicLinkValue", type: REG_LINK, data: utf16NoNul(target) });
  }

  /**
   * Sets (creates or replaces) a value; a replaced value keeps its place in the creation order and
   * the name it was created with (only its type and data change, as with keys: case-preserving).
   */
  setValue(node: KeyNode, value: RegValue): void {
    const at = node.valueIndex(value.name);
    const existing = at < 0 ? undefined : node.values![at];
    const stored = existing && existing.name !== value.name
      ? { ...value, name: existing.name }
      : value;
    // Copy-on-append keeps each key's list exactly as long as it is (push would reserve 16 more slots).
    if (at < 0) node.values = node.values ? [...node.values, stored] : [stored];
    else node.values![at] = stored;
    node.lastWrite = this.now();
    this.onWrite({
      kind: "reg",
      op: "setValue",
      path: this.friendly(node),
      name: stored.name,
      type: regTypeName(stored.type),
      data: traceData(stored.data),
    });
  }

  /** Deletes a value; returns false when there was none. */
  deleteValue(node: KeyNode, name: string): boolean {
    const at = node.valueIndex(name);
    if (at < 0) return false;
    const existing = node.values![at]!;
    node.values!.splice(at, 1);
    node.lastWrite = this.now();
    this.onWrite({
      kind: "reg",
      op: "deleteValue",
      path: this.friendly(node),
      name: existing.name,
    });
    return true;
  }

  /** Deletes a key and, for the host and the system, its whole subtree (leaves first). */
  deleteTree(node: KeyNode): void {
    for (const child of [...node.sortedChildren()]) this.deleteTree(child);
    const path = this.friendly(node);
    node.parent?.removeChild(node);
    if (node.parent) node.parent.lastWrite = this.now();
    node.deleted = true;
    this.deletions++;
    this.onWrite({ kind: "reg", op: "deleteKey", path });
  }

  /** Every key below (and including) `node`, depth first in enumeration order. */
  *descendants(node: KeyNode): Generator<KeyNode> {
    yield node;
    for (const child of node.sortedChildren()) yield* this.descendants(child);
  }
}

function utf16NoNul(s: string): Uint8Array {
  const out = new Uint8Array(s.length * 2);
  for (let i = 0; i < s.length; i++) {
    out[i * 2] = s.charCodeAt(i) & 0xff;
    out[i * 2 + 1] = s.charCodeAt(i) >>> 8;
  }
  return out;
}
