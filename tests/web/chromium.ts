/**
 * Headless Chromium driven through the DevTools protocol over its WebSocket, for the playground's
 * browser test and bench: Deno's own WebSocket is enough, so no npm client is needed. Debian's
 * `chromium` runs with the flags that keep it off the network and quiet (as the HTML report test
 * runs it), a fresh profile each time.
 *
 * @module
 */

/** Debian's `chromium`, from PATH or its usual place; null when it is not installed. */
export function findChromium(): string | null {
  for (const candidate of ["chromium", "/usr/bin/chromium"]) {
    try {
      const ok =
        new Deno.Command(candidate, { args: ["--version"], stdout: "null", stderr: "null" })
          .outputSync().success;
      if (ok) return candidate;
    } catch {
      // not there: try the next one
    }
  }
  return null;
}

/** What the page reported on its console or as an uncaught exception. */
export interface ConsoleEntry {
  /** `error`, `warning`, `log` ... or `exception`. */
  level: string;
  /** The text. */
  text: string;
}

/** One page (a DevTools target) of the browser. */
export class Page {
  /** Every console message and uncaught exception, in order. */
  readonly console: ConsoleEntry[] = [];
  readonly #send: (
    method: string,
    params?: Record<string, unknown>,
  ) => Promise<Record<string, unknown>>;

  constructor(
    send: (method: string, params?: Record<string, unknown>) => Promise<Record<string, unknown>>,
  ) {
    this.#send = send;
  }

  /** Sends a DevTools command to the page. */
  send(method: string, params: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    return this.#send(method, params);
  }

  /** Evaluates an expression in the page (awaiting a promise) and returns its value. */
  async evaluate<T>(expression: string): Promise<T> {
    const r = await this.send("Runtime.evaluate", {
      expression,
      awaitPromise: true,
      returnByValue: true,
    });
    const thrown = r.exceptionDetails as
      | { exception?: { description?: string }; text?: string }
      | undefined;
    if (thrown) throw new Error(`In the page: ${thrown.exception?.description ?? thrown.text}`);
    return (r.result as { value: T }).value;
  }

  /** Waits until an expression is truthy in the page. */
  async waitFor(expression: string, timeoutMs = 20_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!(await this.evaluate<boolean>(`Boolean(${expression})`).catch(() => false))) {
      if (Date.now() > until) throw new Error(`Timed out waiting for ${expression}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Loads a URL and waits for its load event. */
  async goto(url: string): Promise<void> {
    await this.send("Page.navigate", { url });
    await this.waitFor(
      `document.readyState === "complete" && location.href.startsWith(${
        JSON.stringify(url.split("#")[0])
      })`,
    );
  }

  /** Presses a key (with its text, if it types one). */
  async press(key: string, code = key, keyCode = 0): Promise<void> {
    for (const type of ["keyDown", "keyUp"]) {
      await this.send("Input.dispatchKeyEvent", {
        type,
        key,
        code,
        windowsVirtualKeyCode: keyCode,
        nativeVirtualKeyCode: keyCode,
      });
    }
  }

  /** A PNG screenshot of the page at its current size. */
  async screenshot(): Promise<Uint8Array> {
    const r = await this.send("Page.captureScreenshot", {
      format: "png",
      captureBeyondViewport: false,
    });
    return Uint8Array.from(atob(r.data as string), (c) => c.charCodeAt(0));
  }
}

/** A running headless Chromium with one page open. */
export class Browser {
  readonly #process: Deno.ChildProcess;
  readonly #socket: WebSocket;
  readonly #profile: string;
  #id = 0;
  readonly #waiting = new Map<
    number,
    { resolve: (v: Record<string, unknown>) => void; reject: (e: Error) => void }
  >();
  readonly #pages = new Map<string, Page>();

  private constructor(process: Deno.ChildProcess, socket: WebSocket, profile: string) {
    this.#process = process;
    this.#socket = socket;
    this.#profile = profile;
    socket.onmessage = (m) => {
      const msg = JSON.parse(m.data as string);
      if (msg.id !== undefined) {
        const w = this.#waiting.get(msg.id);
        this.#waiting.delete(msg.id);
        if (msg.error) w?.reject(new Error(`${msg.error.message} (${msg.error.code})`));
        else w?.resolve(msg.result ?? {});
        return;
      }
      const page = msg.sessionId ? this.#pages.get(msg.sessionId) : undefined;
      if (!page) return;
      if (msg.method === "Runtime.consoleAPICalled") {
        const text = (msg.params.args as { value?: unknown; description?: string }[])
          .map((a) => a.value ?? a.description ?? "").join(" ");
        page.console.push({ level: msg.params.type, text });
      } else if (msg.method === "Runtime.exceptionThrown") {
        const d = msg.params.exceptionDetails;
        page.console.push({ level: "exception", text: d.exception?.description ?? d.text });
      } else if (msg.method === "Log.entryAdded") {
        page.console.push({ level: msg.params.entry.level, text: msg.params.entry.text });
      }
    };
  }

  /** Starts Chromium on a fresh profile and connects to it. */
  static async launch(chromium: string): Promise<Browser> {
    const profile = await Deno.makeTempDir({ prefix: "pnplab-chromium-" });
    const process = new Deno.Command(chromium, {
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--allow-file-access-from-files",
        `--user-data-dir=${profile}`,
        "--remote-debugging-port=0",
        "about:blank",
      ],
      stdout: "null",
      stderr: "piped",
    }).spawn();
    // Chromium prints where its DevTools endpoint listens on stderr.
    const reader = process.stderr.pipeThrough(new TextDecoderStream()).getReader();
    let seen = "";
    let endpoint: string | undefined;
    const deadline = setTimeout(() => reader.cancel(), 30_000);
    while (!endpoint) {
      const { value, done } = await reader.read();
      if (done) break;
      seen += value;
      endpoint = /DevTools listening on (ws:\/\/\S+)/.exec(seen)?.[1];
    }
    clearTimeout(deadline);
    if (!endpoint) {
      process.kill();
      await process.status;
      await Deno.remove(profile, { recursive: true }).catch(() => {});
      throw new Error(`Chromium did not start its DevTools endpoint:\n${seen}`);
    }
    // Keep draining stderr so that Chromium never blocks on a full pipe.
    (async () => {
      try {
        while (!(await reader.read()).done) { /* drained */ }
      } catch { /* closed */ }
    })();
    const socket = new WebSocket(endpoint);
    await new Promise((resolve, reject) => {
      socket.onopen = resolve;
      socket.onerror = () => reject(new Error(`Cannot connect to ${endpoint}`));
    });
    return new Browser(process, socket, profile);
  }

  #send(
    method: string,
    params: Record<string, unknown> = {},
    sessionId?: string,
  ): Promise<Record<string, unknown>> {
    const id = ++this.#id;
    this.#socket.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
    return new Promise((resolve, reject) => this.#waiting.set(id, { resolve, reject }));
  }

  /** Opens a page of the given size, listening to its console. */
  async newPage(width = 1400, height = 1000): Promise<Page> {
    const { targetId } = await this.#send("Target.createTarget", { url: "about:blank" });
    const { sessionId } = await this.#send("Target.attachToTarget", { targetId, flatten: true });
    const page = new Page((method, params) => this.#send(method, params, sessionId as string));
    this.#pages.set(sessionId as string, page);
    await page.send("Runtime.enable");
    await page.send("Log.enable");
    await page.send("Page.enable");
    await page.send("Emulation.setDeviceMetricsOverride", {
      width,
      height,
      deviceScaleFactor: 1,
      mobile: width < 600,
    });
    return page;
  }

  /** Stops Chromium and removes its profile. */
  async close(): Promise<void> {
    try {
      await Promise.race([this.#send("Browser.close"), new Promise((r) => setTimeout(r, 3000))]);
    } catch { /* already gone */ }
    this.#socket.close();
    try {
      this.#process.kill();
    } catch { /* already exited */ }
    await this.#process.status;
    // Chromium's helper processes may write to the profile for a moment after the browser exits.
    for (let attempt = 0; attempt < 10; attempt++) {
      try {
        await Deno.remove(this.#profile, { recursive: true });
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }
}
