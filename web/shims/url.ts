/**
 * `node:url` in the page: the driver-module loader and the REPL's `.save` (bundled through mod.ts)
 * turn file paths into `file:` URLs, which the page never does; the one function they import is
 * the URL constructor's work.
 *
 * @module
 */

/** A path as a `file:` URL. */
export function pathToFileURL(path: string): URL {
  return new URL(`file://${path.startsWith("/") ? "" : "/"}${encodeURI(path)}`);
}

/** A `file:` URL as a path. */
export function fileURLToPath(url: string | URL): string {
  return decodeURIComponent(new URL(url).pathname);
}

export default { pathToFileURL, fileURLToPath };
