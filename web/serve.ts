/**
 * A small static file server for the built playground, on the loopback interface only: what
 * `deno task web` serves and what the browser test loads. Any static host would do; this one needs
 * nothing beyond Deno.
 *
 * @module
 */

/** Content types of the files the build writes. */
const TYPES: Readonly<Record<string, string>> = {
  html: "text/html; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  json: "application/json",
  png: "image/png",
  svg: "image/svg+xml",
};

/**
 * Serves the files of `dir` on 127.0.0.1 (`port` 0 picks a free one): `/` is index.html, paths
 * never leave the folder.
 */
export function serveDir(dir: string, port: number): Deno.HttpServer<Deno.NetAddr> {
  const root = dir.replace(/\/$/, "");
  return Deno.serve({ hostname: "127.0.0.1", port, onListen: () => {} }, async (request) => {
    const url = new URL(request.url);
    const name = decodeURIComponent(url.pathname).replace(/\/$/, "/index.html");
    if (name.split("/").includes("..")) return new Response("Bad path", { status: 400 });
    try {
      const body = await Deno.readFile(`${root}${name}`);
      const type = TYPES[name.slice(name.lastIndexOf(".") + 1)] ?? "application/octet-stream";
      return new Response(body, { headers: { "content-type": type } });
    } catch {
      return new Response("Not found", { status: 404 });
    }
  });
}
