/**
 * `node:path` in the page: the REPL's Session and the driver-module loader (both bundled through
 * mod.ts) resolve file paths, which the page never does (it loads no files), so POSIX rules on
 * plain strings are enough for the few functions they import.
 *
 * @module
 */

/** Whether a path starts at the root. */
export function isAbsolute(path: string): boolean {
  return path.startsWith("/");
}

/** `..` and `.` segments folded, slashes collapsed. */
function normalize(path: string): string {
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") out.pop();
    else out.push(part);
  }
  return (isAbsolute(path) ? "/" : "") + out.join("/");
}

/** The paths joined, from the last absolute one (the page has no working directory: "/"). */
export function resolve(...paths: string[]): string {
  let path = "/";
  for (const p of paths) path = isAbsolute(p) ? p : `${path}/${p}`;
  return normalize(path) || "/";
}

/** The folder part of a path. */
export function dirname(path: string): string {
  const i = path.replace(/\/+$/, "").lastIndexOf("/");
  return i < 0 ? "." : i === 0 ? "/" : path.slice(0, i);
}

/** The path from `from` to `to`. */
export function relative(from: string, to: string): string {
  const a = resolve(from).split("/").filter(Boolean);
  const b = resolve(to).split("/").filter(Boolean);
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return [...a.slice(i).map(() => ".."), ...b.slice(i)].join("/");
}

export default { isAbsolute, resolve, dirname, relative };
