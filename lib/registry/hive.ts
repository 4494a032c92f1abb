/**
 * The configuration manager's tree of keys: names, values, volatility, security, links and
 * last-write times. Routines (`Zw*`), handles and the host view are built on top of it.
 *
 * @module
 */
import {
  KEY_ALL_ACCESS,
  KEY_READ,
  KEY_WRITE,
  REG_BINARY,
  REG_DWORD,
  REG_LINK,
  REG_MULTI_SZ,
  REG_QWORD,
  REG_SZ,
} from "../constants.ts";
import { type RegData, regTypeName, type RegValue } from "./data.ts";

/** Any UTF-16 code unit outside ASCII: such names take the per-unit path of `upcaseName`. */
const NON_ASCII = /[\u0080-\uffff]/;

/**
 * A key or value name folded as Windows compares names: each UTF-16 code unit through the upcase
 * table (RtlUpcaseUnicodeChar), one unit for one unit. Letters of the Basic Multilingual Plane fold
 * (é to É, я to Я); a surrogate pair is two units the table leaves alone, so letters outside the
 * BMP (Deseret 𐐨 and 𐐀) stay different names; a letter whose uppercase is longer than itself (ß,
 * the ligature ﬀ) stays as it is. ASCII names, nearly all of them, take the fast path.
 */
export function upcaseName(name: string): string {
  if (!NON_ASCII.test(name)) return name.toUpperCase();
  let out = "";
  for (let i = 0; i < name.length; i++) {
    const unit = name[i]!;
    const code = unit.charCodeAt(0);
    if (code >= 0xd800 && code <= 0xdfff) {
      out += unit;
      continue;
    }
    const upper = unit.toUpperCase();
    out += upper.length === 1 ? upper : unit;
  }
  return out;
}

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
    let text = "";
    for (let i = 0; i < data.length; i++) text += (i ? " " : "") + HEX_BYTES[data[i]!];
    return text;
  }
  return [...data];
}

/** Each byte's two hex digits, as the trace shows bytes. */
const HEX_BYTES: readonly string[] = Array.from(
  { length: 256 },
  (_, b) => b.toString(16).padStart(2, "0"),
);

/**
 * Appends to a list that starts out absent: most keys and devices have few children or none; a
 * short list is copied at its exact length (push reserves 16 spare slots, and V8 gives a spread
 * `[...list, x]` the same slack), a long one grows by push.
 */
export function appendChild<T>(list: T[] | null, item: T): T[] {
  if (!list) return [item];
  if (list.length < 8) return list.concat([item]);
  list.push(item);
  return list;
}

/**
 * A value stored whole in the data slot: one whose type is not the one its JS data implies (a
 * REG_EXPAND_SZ string, a REG_DWORD_BIG_ENDIAN's bytes) or that keeps bytes other than its data's
 * natural encoding.
 */
class WholeValue {
  constructor(readonly value: RegValue) {}
}

/**
 * A key's only value, without a list: most keys that have values have one (a device interface's
 * keys), and a list of two slots costs more than this.
 */
class LoneValue {
  constructor(readonly name: string, readonly data: unknown) {}
}

/** A value read back from its name and data slot. */
function readSlot(name: string, data: unknown): RegValue {
  if (data instanceof WholeValue) return data.value;
  return { name, type: impliedType(data as RegData), data: data as RegData };
}

/**
 * The type a key's data slot implies when it holds bare data: nearly every value is a REG_SZ
 * string, a REG_DWORD number, a REG_MULTI_SZ list, a REG_QWORD bigint or REG_BINARY bytes, so
 * the type needs no slot of its own (a machine holds hundreds of thousands of values).
 */
function impliedType(data: RegData): number {
  switch (typeof data) {
    case "string":
      return REG_SZ;
    case "number":
      return REG_DWORD;
    case "bigint":
      return REG_QWORD;
  }
  return Array.isArray(data) ? REG_MULTI_SZ : REG_BINARY;
}

/**
 * Short texts stored as value data, by their text: most of them repeat from device to device (a
 * class GUID, a service name, a matching ID), and each device would otherwise keep its own copy,
 * often a rope or a slice that keeps a longer string alive. Cleared when full, so it stays small
 * whatever the registry holds; a text stored after a clear is a copy again, which changes nothing
 * but memory.
 */
const SHARED_TEXT = new Map<string, string>();
const SHARED_TEXT_LIMIT = 4096;
const SHARED_TEXT_LENGTH = 128;

/** A flat copy of a short text shared with the equal texts stored before it. */
function sharedText(text: string): string {
  if (text.length > SHARED_TEXT_LENGTH) return text;
  let shared = SHARED_TEXT.get(text);
  if (shared === undefined) {
    // JSON's round trip gives a flat string that keeps no rope or parent string alive.
    shared = JSON.parse(JSON.stringify(text)) as string;
    if (SHARED_TEXT.size >= SHARED_TEXT_LIMIT) SHARED_TEXT.clear();
    SHARED_TEXT.set(shared, shared);
  }
  return shared;
}

/**
 * Value data as a key stores it: a string shared, everything else as given (a REG_MULTI_SZ list
 * too: PnP stores a devnode's own ID lists, and a copy would double them).
 */
function storedData(data: RegData): RegData {
  return typeof data === "string" ? sharedText(data) : data;
}

/**
 * The subkeys of a key with many, by a case-insensitive hash of their names (`nameHash`): keyed by
 * a number, not by the upcased name, which would be a second copy of nearly every name (a device
 * interface's key name is 60 characters, and a class of them has one per device). Names whose
 * hashes collide share a list.
 */
type SubkeyIndex = Map<number, KeyNode | KeyNode[]>;

/** FNV-1a over a name's upcased UTF-16 units, as a 32-bit integer (a small integer Map key). */
function nameHash(name: string): number {
  const upper = upcaseName(name);
  let hash = 0x811c9dc5;
  for (let i = 0; i < upper.length; i++) hash = Math.imul(hash ^ upper.charCodeAt(i), 0x01000193);
  return hash;
}

/** Whether two names are the same key name (case-insensitively, as `upcaseName` folds). */
function sameName(a: string, b: string): boolean {
  return a === b || (a.length === b.length && upcaseName(a) === upcaseName(b));
}

function indexFind(index: SubkeyIndex, name: string): KeyNode | undefined {
  const entry = index.get(nameHash(name));
  if (entry instanceof KeyNode) return sameName(entry.name, name) ? entry : undefined;
  return entry?.find((k) => sameName(k.name, name));
}

function indexAdd(index: SubkeyIndex, node: KeyNode): void {
  const hash = nameHash(node.name);
  const entry = index.get(hash);
  if (!entry) index.set(hash, node);
  else if (entry instanceof KeyNode) index.set(hash, [entry, node]);
  else entry.push(node);
}

function indexRemove(index: SubkeyIndex, node: KeyNode): void {
  const hash = nameHash(node.name);
  const entry = index.get(hash);
  if (entry === node) index.delete(hash);
  else if (Array.isArray(entry)) {
    const rest = entry.filter((k) => k !== node);
    index.set(hash, rest.length === 1 ? rest[0]! : rest);
  }
}

/** What a key keeps only when it needs it: most keys have none of these. */
interface RareKeyFields {
  /** Subkeys by a hash of their upper-cased names, built once a key has many. */
  index: SubkeyIndex | null;
  /** Subkeys in enumeration order, cached until one is added or removed. */
  sorted: KeyNode[] | null;
  /** The target of a link key (`\Registry\Machine\...`). */
  link: string | null;
  /** The class string given to ZwCreateKey. */
  className: string;
  /** The rights the key's security lets a caller be granted, when not one of COMMON_ACCESS. */
  allowed: number;
}

const VOLATILE = 1;
const NO_DELETE = 2;
const DELETED = 4;
const FLAG_BITS = 7;

/**
 * The access masks nearly every key has: the default and PnP's read/write for its own keys (and
 * KEY_READ). A key keeps which one it has in its flags word, above the flag bits (1 for the first,
 * 0 for a mask kept in its side fields), rather than in a slot of its own.
 */
const COMMON_ACCESS: readonly number[] = [KEY_ALL_ACCESS, KEY_READ | KEY_WRITE, KEY_READ];
const ACCESS_SHIFT = 3;

/**
 * A registry key. Fields are the model's; routines read them, drivers only see handles. A machine
 * holds thousands of keys, so a key is small: flags share one number, values are stored flat, and
 * the fields few keys use live in a side object made on first use.
 */
export class KeyNode {
  /** Case-preserved name of this component. */
  name: string;
  /** The parent key, or null for `\Registry`. */
  parent: KeyNode | null;
  /**
   * Subkeys in creation order: a lone subkey bare (a device's keys are mostly chains of one,
   * and a list of one costs more than the key's own fields), more in a list.
   */
  #kids: KeyNode | KeyNode[] | null = null;
  /**
   * Values in creation order, two slots each: name and data, the data bare when its type is the one
   * it implies (`impliedType`), else a WholeValue; a lone value as a LoneValue.
   */
  #values: unknown[] | LoneValue | null = null;
  /** Simulated clock time of the last write. */
  lastWrite: number;
  /** The path the trace shows for this key, computed on first use. */
  friendlyPath: string | undefined = undefined;
  #flags: number;
  #rare: RareKeyFields | null = null;

  /** Creates a detached key. */
  constructor(name: string, parent: KeyNode | null, volatile: boolean, time: number) {
    // A component cut from a longer path would keep the whole path alive: keep a flat copy.
    this.name = name.length > 12 ? JSON.parse(JSON.stringify(name)) : name;
    this.parent = parent;
    this.#flags = (volatile ? VOLATILE : 0) | (1 << ACCESS_SHIFT);
    this.lastWrite = time;
  }

  // Static, not instance, private methods: an instance private method costs every key a slot
  // (V8's brand check).
  static #flag(key: KeyNode, bit: number, on: boolean): void {
    key.#flags = on ? key.#flags | bit : key.#flags & ~bit;
  }

  static #rareFields(key: KeyNode): RareKeyFields {
    return key.#rare ??= {
      index: null,
      sorted: null,
      link: null,
      className: "",
      allowed: KEY_ALL_ACCESS,
    };
  }

  /** The rights the key's security lets a caller be granted. */
  get allowed(): number {
    const common = this.#flags >> ACCESS_SHIFT;
    return common ? COMMON_ACCESS[common - 1]! : this.#rare!.allowed;
  }
  set allowed(rights: number) {
    const common = COMMON_ACCESS.indexOf(rights) + 1;
    if (!common) KeyNode.#rareFields(this).allowed = rights;
    this.#flags = (this.#flags & FLAG_BITS) | (common << ACCESS_SHIFT);
  }

  /** A volatile key lives in memory only. */
  get volatile(): boolean {
    return (this.#flags & VOLATILE) !== 0;
  }
  set volatile(on: boolean) {
    KeyNode.#flag(this, VOLATILE, on);
  }

  /** Keys the configuration manager owns (hive roots, links): ZwDeleteKey says STATUS_CANNOT_DELETE. */
  get noDelete(): boolean {
    return (this.#flags & NO_DELETE) !== 0;
  }
  set noDelete(on: boolean) {
    KeyNode.#flag(this, NO_DELETE, on);
  }

  /** Set once ZwDeleteKey removed the key; handles to it then see STATUS_KEY_DELETED. */
  get deleted(): boolean {
    return (this.#flags & DELETED) !== 0;
  }
  set deleted(on: boolean) {
    KeyNode.#flag(this, DELETED, on);
  }

  /** The target of a link key (`\Registry\Machine\...`), or null for an ordinary key. */
  get link(): string | null {
    return this.#rare?.link ?? null;
  }
  set link(target: string | null) {
    if (target !== null || this.#rare) KeyNode.#rareFields(this).link = target;
  }

  /** The class string given to ZwCreateKey. */
  get className(): string {
    return this.#rare?.className ?? "";
  }
  set className(name: string) {
    if (name !== "" || this.#rare) KeyNode.#rareFields(this).className = name;
  }

  /** How many subkeys it has. */
  get childCount(): number {
    const kids = this.#kids;
    return kids instanceof KeyNode ? 1 : kids?.length ?? 0;
  }

  /** Looks a subkey up by name, case-insensitively. */
  child(name: string): KeyNode | undefined {
    const kids = this.#kids;
    if (!kids) return undefined;
    if (kids instanceof KeyNode) {
      if (kids.name === name) return kids;
      const same = kids.name.length === name.length && upcaseName(kids.name) === upcaseName(name);
      return same ? kids : undefined;
    }
    const index = this.#rare?.index;
    if (index) return indexFind(index, name);
    for (const k of kids) if (k.name === name) return k;
    const upper = upcaseName(name);
    for (const k of kids) {
      if (k.name.length === name.length && upcaseName(k.name) === upper) return k;
    }
    return undefined;
  }

  /** Subkeys in the order ZwEnumerateKey returns them: non-volatile sorted by upper-cased name, then volatile. */
  sortedChildren(): KeyNode[] {
    const cached = this.#rare?.sorted;
    if (cached) return cached;
    const kids = this.#kids;
    if (!kids) return [];
    if (kids instanceof KeyNode) return [kids];
    const all = kids.map((k) => [upcaseName(k.name), k] as [string, KeyNode]);
    const order = (a: [string, KeyNode], b: [string, KeyNode]) =>
      a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
    const sorted = [
      ...all.filter(([, k]) => !k.volatile).sort(order),
      ...all.filter(([, k]) => k.volatile).sort(order),
    ].map(([, k]) => k);
    KeyNode.#rareFields(this).sorted = sorted;
    return sorted;
  }

  /** Adds a subkey. */
  addChild(node: KeyNode): void {
    const kids = this.#kids;
    const list = kids ? appendChild(kids instanceof KeyNode ? [kids] : kids, node) : null;
    this.#kids = list ?? node;
    const rare = this.#rare;
    // The index, once built, stays (and stays complete) even when the key shrinks below 8 again.
    if (rare?.index) indexAdd(rare.index, node);
    else if (list && list.length > 8) {
      const index: SubkeyIndex = new Map();
      for (const k of list) indexAdd(index, k);
      KeyNode.#rareFields(this).index = index;
    }
    if (this.#rare) this.#rare.sorted = null;
  }

  /** Removes a subkey. */
  removeChild(node: KeyNode): void {
    const kids = this.#kids;
    if (!kids || kids instanceof KeyNode) {
      if (kids !== node) return;
      this.#kids = null;
    } else {
      const i = kids.lastIndexOf(node);
      if (i < 0) return;
      // A short list may be shared with a caller: replace, never edit in place.
      if (kids.length <= 8) {
        const rest = kids.filter((k) => k !== node);
        this.#kids = rest.length === 1 ? rest[0]! : rest;
      } else kids.splice(i, 1);
    }
    const rare = this.#rare;
    if (rare) {
      if (rare.index) indexRemove(rare.index, node);
      rare.sorted = null;
    }
  }

  /** How many values it has. */
  get valueCount(): number {
    const slots = this.#values;
    return slots instanceof LoneValue ? 1 : slots ? slots.length / 2 : 0;
  }

  /** Looks a value up by name, case-insensitively ("" is the default value). */
  value(name: string): RegValue | undefined {
    const i = this.valueIndex(name);
    return i < 0 ? undefined : this.valueAt(i);
  }

  /** The value at a position in creation order. */
  valueAt(i: number): RegValue | undefined {
    const slots = this.#values;
    if (slots instanceof LoneValue) return i === 0 ? readSlot(slots.name, slots.data) : undefined;
    if (!slots || i < 0 || i * 2 >= slots.length) return undefined;
    return readSlot(slots[i * 2] as string, slots[i * 2 + 1]);
  }

  /**
   * The position of a value in creation order, or -1. Keys hold few values, so a list beats a Map
   * in memory; the exact-case comparison comes first because callers usually repeat the name.
   */
  valueIndex(name: string): number {
    const slots = this.#values;
    if (!slots) return -1;
    if (slots instanceof LoneValue) {
      const n = slots.name;
      return n === name || (n.length === name.length && upcaseName(n) === upcaseName(name))
        ? 0
        : -1;
    }
    for (let i = 0; i < slots.length; i += 2) if (slots[i] === name) return i / 2;
    const upper = upcaseName(name);
    for (let i = 0; i < slots.length; i += 2) {
      const n = slots[i] as string;
      if (n.length === name.length && upcaseName(n) === upper) return i / 2;
    }
    return -1;
  }

  /** Values in creation order. */
  valueList(): RegValue[] {
    const out: RegValue[] = [];
    for (let i = 0; i < this.valueCount; i++) out.push(this.valueAt(i)!);
    return out;
  }

  /**
   * Stores a value: a new name is appended, an existing one (found case-insensitively) keeps its
   * place and the name it was created with. Returns the value as stored. The hive's `setValue`
   * is the traced way to write; this is the storage under it.
   */
  putValue(value: RegValue): RegValue {
    const at = this.valueIndex(value.name);
    const slots = this.#values;
    const name = at < 0
      ? value.name
      : slots instanceof LoneValue
      ? slots.name
      : slots![at * 2] as string;
    const data = storedData(value.data);
    const stored = name === value.name && data === value.data ? value : { ...value, name, data };
    const bare = !stored.raw && impliedType(data) === stored.type;
    const slot = bare ? data : new WholeValue(stored);
    if (!slots || (slots instanceof LoneValue && at === 0)) {
      this.#values = new LoneValue(name, slot);
    } else if (slots instanceof LoneValue) this.#values = [slots.name, slots.data, name, slot];
    else if (at < 0) this.#values = slots.concat([name, slot]);
    else slots.splice(at * 2, 2, name, slot);
    return stored;
  }

  /** Removes the value at a position in creation order. */
  removeValueAt(i: number): void {
    const slots = this.#values;
    if (slots instanceof LoneValue) {
      if (i === 0) this.#values = null;
      return;
    }
    if (!slots || i < 0 || i * 2 >= slots.length) return;
    if (slots.length === 4) {
      const keep = i === 0 ? 2 : 0;
      this.#values = new LoneValue(slots[keep] as string, slots[keep + 1]);
    } else this.#values = slots.filter((_, j) => Math.floor(j / 2) !== i);
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
const LINK_COMPONENTS = new Map<string, readonly string[] | null>();
function linkComponents(target: string): readonly string[] | null {
  let components = LINK_COMPONENTS.get(target);
  if (components === undefined) {
    const all = splitPath(target);
    // A target is a full path: a relative one ("target") names no key (Wine ntdll/tests/reg.c
    // test_symlinks (run on Windows): opening through it is STATUS_OBJECT_NAME_NOT_FOUND).
    components = target.startsWith("\\") && all[0]?.toUpperCase() === "REGISTRY"
      ? all.slice(1)
      : null;
    if (LINK_COMPONENTS.size > 1000) LINK_COMPONENTS.clear();
    LINK_COMPONENTS.set(target, components);
  }
  return components;
}

/** The longest key name component Windows documents ("Registry element size limits"): 255 characters. */
export const MAX_KEY_NAME_LENGTH = 255;
/**
 * How deep the tree may grow ("Registry element size limits": "A registry tree can be 512 levels
 * deep"), counted in components below `\Registry` (`\Registry\Machine\SOFTWARE` is level 2).
 * The page gives no status for a deeper key; the model refuses it as it refuses a name over the
 * length limit, with STATUS_INVALID_PARAMETER [infer].
 */
export const MAX_KEY_DEPTH = 512;

/** How many levels below `\Registry` a key is. */
export function keyDepth(node: KeyNode): number {
  let depth = 0;
  for (let k = node.parent; k; k = k.parent) depth++;
  return depth;
}

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
      // Deep keys with few subkeys (a device's own keys) are most keys and cheap to rebuild from
      // their parent: only the upper keys, the big containers (Enum\ROOT\X, a DeviceClasses
      // class) and every key whose parent keeps none keep theirs. The last rule bounds the
      // rebuild at one level, so a path costs the same at any depth and the trace's paths share
      // their text (a chain 5,000 keys deep rebuilt every level each time: memory grew with the
      // square of the depth).
      if (!deep || node.childCount > 8 || parent.friendlyPath === undefined) {
        node.friendlyPath = path;
      }
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
        const linkParts = linkComponents(node.link);
        if (!linkParts) return { error: "badLink" };
        const target = this.walk(this.root, linkParts, false, depth + 1);
        if ("error" in target) return target;
        if ("missing" in target) {
          // A missing target is missing where the link points, so NtCreateKey through the link
          // creates the target there (Wine ntdll/tests/reg.c test_symlinks (run on Windows): after
          // the target is deleted, NtOpenKey of the link is STATUS_OBJECT_NAME_NOT_FOUND and
          // NtCreateKey of it succeeds).
          const { parent, name: missingName, rest } = target.missing;
          return {
            missing: { parent, name: missingName, rest: [...rest, ...components.slice(i + 1)] },
          };
        }
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
    const stored = node.putValue(value);
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
    const existing = node.valueAt(at)!;
    node.removeValueAt(at);
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
