/**
 * The object manager's namespace: the directories (`\Device`, `\Driver`, `\GLOBAL??` ...), the named
 * objects in them and the symbolic links between them. Named device objects and the links drivers
 * make with IoCreateSymbolicLink live here, so an open by name resolves as Windows resolves it: a
 * missing directory on the way is STATUS_OBJECT_PATH_NOT_FOUND (the ReactOS kmtest
 * `DeviceCreateDeleteTest`, `\Device1\Kmtest`), a missing last component
 * STATUS_OBJECT_NAME_NOT_FOUND, and links are followed wherever they appear in a path.
 *
 * Names compare case-insensitively (OBJ_CASE_INSENSITIVE, what the I/O manager and every driver's
 * open use). `\Registry` is the configuration manager's key object: the namespace only says a path
 * goes there; the registry resolves the rest.
 *
 * @module
 */
import {
  STATUS_OBJECT_NAME_COLLISION,
  STATUS_OBJECT_NAME_INVALID,
  STATUS_OBJECT_NAME_NOT_FOUND,
  STATUS_OBJECT_PATH_NOT_FOUND,
  STATUS_OBJECT_PATH_SYNTAX_BAD,
  STATUS_SUCCESS,
} from "../ntstatus.ts";

/** The object types the namespace tells apart (the `ObjectTypes` directory's names). */
export type ObjectTypeName = "Directory" | "SymbolicLink" | "Device" | "Driver" | "Key";

/** One entry of a directory. */
interface Entry {
  readonly type: ObjectTypeName;
  /** The name as it was created (case preserved). */
  readonly name: string;
  /** A directory's entries by upper-cased name. */
  readonly children?: Map<string, Entry>;
  /** A symbolic link's target path. */
  readonly target?: string;
  /** The object itself (a DEVICE_OBJECT ...). */
  readonly object?: unknown;
}

/** What a lookup finds: the object and its type, or the status of the failure. */
export type LookupResult =
  | { status: typeof STATUS_SUCCESS; type: ObjectTypeName; object: unknown; path: string }
  | { status: number };

/**
 * The directories a booted Windows has that drivers name, and its standard links: `\DosDevices` and
 * `\??` reach `\GLOBAL??` (for a system thread the per-session `\??` is the global one).
 */
const STANDARD_DIRECTORIES = [
  "Device",
  "Driver",
  "FileSystem",
  "GLOBAL??",
  "ObjectTypes",
  "KernelObjects",
  "BaseNamedObjects",
  "Callback",
];
const STANDARD_LINKS: readonly [string, string][] = [
  ["??", "\\GLOBAL??"],
  ["DosDevices", "\\??"],
];
/** How many links one lookup follows before it gives up (a loop). */
const MAX_LINK_DEPTH = 32;

function directory(name: string): Entry {
  return { type: "Directory", name, children: new Map() };
}

/** The object namespace of one machine. */
export class ObjectNamespace {
  #root: Entry = directory("\\");

  /** Creates the namespace with the standard directories and links. */
  constructor() {
    this.reset();
  }

  /** Back to a fresh boot's namespace (a reboot). */
  reset(): void {
    this.#root = directory("\\");
    const children = this.#root.children!;
    for (const d of STANDARD_DIRECTORIES) children.set(d.toUpperCase(), directory(d));
    for (const [name, target] of STANDARD_LINKS) {
      children.set(name.toUpperCase(), { type: "SymbolicLink", name, target });
    }
    children.set("REGISTRY", { type: "Key", name: "Registry" });
  }

  /** Splits an absolute path into its components, or the status that says why it is not one. */
  static #split(path: unknown): string[] | number {
    if (typeof path !== "string" || path.length === 0) return STATUS_OBJECT_NAME_INVALID;
    if (!path.startsWith("\\")) return STATUS_OBJECT_PATH_SYNTAX_BAD;
    if (path === "\\") return [];
    const parts = path.slice(1).split("\\");
    // An empty component (`\Device\\X`, a trailing `\`) is not a name.
    if (parts.some((p) => p.length === 0)) return STATUS_OBJECT_NAME_INVALID;
    return parts;
  }

  /**
   * Walks `parts` from the root, following links in every component but the last unless `followLast`.
   * Returns the directory holding the last component and that component's entry (if any).
   */
  #walk(
    parts: string[],
    followLast: boolean,
    depth = 0,
  ): { parent: Entry; last: string; entry: Entry | undefined; path: string } | number {
    if (depth > MAX_LINK_DEPTH) return STATUS_OBJECT_PATH_NOT_FOUND;
    let dir = this.#root;
    let path = "";
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      const isLast = i === parts.length - 1;
      const entry = dir.children?.get(part.toUpperCase());
      if (entry?.type === "SymbolicLink" && (!isLast || followLast)) {
        const target = ObjectNamespace.#split(entry.target);
        if (typeof target === "number") return STATUS_OBJECT_PATH_NOT_FOUND;
        return this.#walk([...target, ...parts.slice(i + 1)], followLast, depth + 1);
      }
      if (isLast) {
        return { parent: dir, last: part, entry, path: `${path}\\${entry?.name ?? part}` };
      }
      // A component on the way that is missing or not a directory: the path is not found.
      if (!entry) return STATUS_OBJECT_PATH_NOT_FOUND;
      if (entry.type === "Key") {
        // The rest is the registry's: report the key object and let the registry resolve it.
        return { parent: dir, last: part, entry, path: `\\${entry.name}` };
      }
      if (entry.type !== "Directory") return STATUS_OBJECT_PATH_NOT_FOUND;
      dir = entry;
      path += `\\${entry.name}`;
    }
    return { parent: this.#root, last: "", entry: this.#root, path: "\\" };
  }

  /**
   * Inserts a named object (`IoCreateDevice` with a name, `IoCreateSymbolicLink`): the directory must
   * exist (STATUS_OBJECT_PATH_NOT_FOUND), the name must be free (STATUS_OBJECT_NAME_COLLISION).
   */
  insert(path: string, type: "Device" | "SymbolicLink", value: unknown): number {
    const parts = ObjectNamespace.#split(path);
    if (typeof parts === "number") return parts;
    if (parts.length === 0) return STATUS_OBJECT_NAME_COLLISION;
    const w = this.#walk(parts, false);
    if (typeof w === "number") return w;
    if (w.parent.type !== "Directory" || w.parent.children === undefined) {
      return STATUS_OBJECT_PATH_NOT_FOUND;
    }
    if (w.entry) return STATUS_OBJECT_NAME_COLLISION;
    const entry: Entry = type === "SymbolicLink"
      ? { type, name: w.last, target: String(value) }
      : { type, name: w.last, object: value };
    w.parent.children.set(w.last.toUpperCase(), entry);
    return STATUS_SUCCESS;
  }

  /** Removes a named object or link (its last component is not followed); STATUS_OBJECT_NAME_NOT_FOUND when absent. */
  remove(path: string, type?: ObjectTypeName): number {
    const parts = ObjectNamespace.#split(path);
    if (typeof parts === "number") return parts;
    const w = this.#walk(parts, false);
    if (typeof w === "number") return w;
    if (!w.entry || (type && w.entry.type !== type) || !w.parent.children) {
      return STATUS_OBJECT_NAME_NOT_FOUND;
    }
    w.parent.children.delete(w.last.toUpperCase());
    return STATUS_SUCCESS;
  }

  /** Resolves a path, following every link, to the object it names. */
  lookup(path: string): LookupResult {
    const parts = ObjectNamespace.#split(path);
    if (typeof parts === "number") return { status: parts };
    const w = this.#walk(parts, true);
    if (typeof w === "number") return { status: w };
    if (!w.entry) return { status: STATUS_OBJECT_NAME_NOT_FOUND };
    return { status: STATUS_SUCCESS, type: w.entry.type, object: w.entry.object, path: w.path };
  }
}
