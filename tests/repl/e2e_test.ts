/**
 * The real REPL end to end. In a pseudo-terminal (tmux, from Debian's packages; .ci/run installs it
 * when missing): the `kd> ` prompt, Tab completion as readline draws it, history written to
 * ~/.pnplab_history, and what a user can do to the terminal (paste several lines, Ctrl-D, errors).
 * With piped stdin (no tmux needed): the command-line options.
 */
import assert from "node:assert/strict";

const ROOT = new URL("../../", import.meta.url).pathname;
const DENO = Deno.execPath();
const REPL_FLAGS = ["run", "--allow-read", "--allow-write", "--allow-env", "dsl/repl.ts"];

function hasTmux(): boolean {
  try {
    return new Deno.Command("tmux", { args: ["-V"], stdout: "null", stderr: "null" }).outputSync()
      .success;
  } catch {
    return false;
  }
}

/** Deno's cache directory: the REPL runs with HOME elsewhere and must not download it again. */
function denoDir(): string {
  const out = new Deno.Command(DENO, { args: ["info", "--json"], stdout: "piped", stderr: "null" })
    .outputSync();
  return JSON.parse(new TextDecoder().decode(out.stdout)).denoDir;
}

function shellQuote(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}

const TIMEOUT_MS = 20_000;
let sessions = 0;

/** One tmux session on a private server (its own socket), so nothing else on the machine is touched. */
class Terminal {
  readonly socket = `pnplab-e2e-${Deno.pid}-${++sessions}`;
  readonly name = "repl";

  #tmux(...args: string[]): string {
    const out = new Deno.Command("tmux", {
      args: ["-L", this.socket, ...args],
      stdout: "piped",
      stderr: "piped",
    }).outputSync();
    if (!out.success) {
      throw new Error(`tmux ${args[0]} failed: ${new TextDecoder().decode(out.stderr).trim()}`);
    }
    return new TextDecoder().decode(out.stdout);
  }

  /** Starts `command` in a 200x50 terminal; the shell prints `[exited N]` when it ends. */
  start(command: string): void {
    this.#tmux(
      "new-session",
      "-d",
      "-s",
      this.name,
      "-x",
      "200",
      "-y",
      "50",
      `${command}; echo "[exited $?]"; sleep 60`,
    );
  }

  /** Presses keys (tmux key names such as Tab, Enter, C-d; anything else is typed). */
  keys(...keys: string[]): void {
    this.#tmux("send-keys", "-t", this.name, ...keys);
  }

  /** Types text literally (no key-name lookup). */
  type(text: string): void {
    this.#tmux("send-keys", "-t", this.name, "-l", text);
  }

  /** Pastes text as a terminal paste does (newlines arrive as Enter). */
  paste(text: string): void {
    const file = Deno.makeTempFileSync({ prefix: "pnplab_paste_" });
    try {
      Deno.writeTextFileSync(file, text);
      this.#tmux("load-buffer", "-b", "paste", file);
      this.#tmux("paste-buffer", "-b", "paste", "-t", this.name);
    } finally {
      Deno.removeSync(file);
    }
  }

  /** The visible screen, wrapped lines joined, trailing blank lines dropped. */
  screen(): string {
    return this.#tmux("capture-pane", "-p", "-J", "-t", this.name).trimEnd();
  }

  /** The screen's last line (where the cursor and the line being edited are). */
  lastLine(): string {
    return this.screen().split("\n").at(-1) ?? "";
  }

  /** Polls the screen until `test` holds; fails with the screen after the timeout. */
  async waitFor(
    test: (screen: string) => boolean,
    what: string,
    timeoutMs = TIMEOUT_MS,
  ): Promise<string> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const screen = this.screen();
      if (test(screen)) return screen;
      if (performance.now() > deadline) {
        throw new Error(`Timed out waiting for ${what}; the screen shows:\n${screen}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /**
   * Presses Tab until `test` holds: readline lists several candidates on the second Tab, and a Tab
   * that arrives while the first is still being handled is dropped.
   */
  async tabUntil(test: (screen: string) => boolean, what: string): Promise<string> {
    const deadline = performance.now() + TIMEOUT_MS;
    for (;;) {
      this.keys("Tab");
      try {
        return await this.waitFor(test, what, 500);
      } catch (e) {
        if (performance.now() > deadline) throw e;
      }
    }
  }

  /** Waits until the screen ends with a prompt (`kd> ` or `... `), optionally followed by `typed`. */
  waitForPrompt(typed = "", prompt = "kd>"): Promise<string> {
    return this.waitFor(
      () => this.lastLine().trimEnd() === `${prompt} ${typed}`.trimEnd(),
      `the prompt '${prompt} ${typed}'`,
    );
  }

  kill(): void {
    try {
      this.#tmux("kill-session", "-t", this.name);
    } catch {
      // Already gone.
    }
    try {
      this.#tmux("kill-server");
    } catch {
      // No server left on this socket.
    }
  }
}

/** Runs the REPL in a fresh terminal with HOME in a temp dir; hands the test the terminal and HOME. */
async function withRepl(
  body: (t: Terminal, home: string) => Promise<void>,
  args: string[] = [],
): Promise<void> {
  const home = await Deno.makeTempDir({ prefix: "pnplab_home_" });
  const t = new Terminal();
  try {
    const env = `HOME=${shellQuote(home)} DENO_DIR=${shellQuote(denoDir())} NO_COLOR=1`;
    t.start(
      `cd ${shellQuote(ROOT)} && env ${env} ${shellQuote(DENO)} task repl ${
        args.map(shellQuote).join(" ")
      }`,
    );
    await t.waitForPrompt();
    await body(t, home);
  } finally {
    t.kill();
    await Deno.remove(home, { recursive: true });
  }
}

const noTmux = !hasTmux();

Deno.test({
  name:
    "the REPL in a terminal: the kd> prompt, Tab completes !devnode and k.IoRegisterDeviceInterface, .exit, history in ~/.pnplab_history",
  ignore: noTmux,
  fn: () =>
    withRepl(async (t, home) => {
      assert.match(t.screen(), /pnplab on the example machine: 9 devices/);

      // Two matches: Tab lists them (readline draws the candidates under the line).
      t.type("!dev");
      await t.tabUntil(
        (s) => /!devnode\s+!devstack/.test(s),
        "the !devnode / !devstack candidates",
      );
      // One match: Tab completes the line.
      t.type("n");
      t.keys("Tab");
      await t.waitForPrompt("!devnode");
      t.keys("Enter");
      const tree = await t.waitFor((s) => s.includes("HTREE\\ROOT\\0"), "the !devnode output");
      assert.match(tree, /DevNode ROOT\\BUSENUM\\0 {2}Started {2}Service: busenum/);
      await t.waitForPrompt();

      t.type("k.IoRegister");
      await t.tabUntil(
        (s) => /k\.IoRegisterDeviceInterface\s+k\.IoRegisterPlugPlayNotification/.test(s),
        "the k.IoRegister* candidates",
      );
      t.type("D");
      t.keys("Tab");
      await t.waitForPrompt("k.IoRegisterDeviceInterface");
      t.keys("Enter");
      await t.waitFor((s) => s.includes("[Function"), "the routine printed as a function");
      await t.waitForPrompt();

      t.type(".exit");
      t.keys("Enter");
      await t.waitFor((s) => s.includes("[exited 0]"), "the REPL to exit with status 0");

      const history = (await Deno.readTextFile(`${home}/.pnplab_history`)).split("\n");
      for (const line of ["!devnode", "k.IoRegisterDeviceInterface", ".exit"]) {
        assert.ok(history.includes(line), `history lacks '${line}':\n${history.join("\n")}`);
      }
    }),
});

Deno.test({
  name:
    "the REPL in a terminal survives a paste of several lines, an exception, a syntax error and an unhandled rejection; Ctrl-D exits",
  ignore: noTmux,
  fn: () =>
    withRepl(async (t, home) => {
      t.paste("function area(w: number, h: number) {\n  return w * h;\n}\narea(6, 7)\n");
      await t.waitFor((s) => /^42$/m.test(s), "the pasted function's result");
      await t.waitForPrompt();

      t.type("null.x");
      t.keys("Enter");
      await t.waitFor((s) => s.includes("TypeError: Cannot read properties of null"), "the error");
      await t.waitForPrompt();

      t.type("1 +)");
      t.keys("Enter");
      await t.waitFor((s) => s.includes("SyntaxError:"), "the syntax error");
      await t.waitForPrompt();

      t.type(`const p = Promise.reject(new Error("nobody waits"))`);
      t.keys("Enter");
      await t.waitFor((s) => s.includes("Uncaught (in promise) Error: nobody waits"), "the report");
      await t.waitForPrompt();

      // An unfinished line shows the continuation prompt; Ctrl-C abandons it.
      t.type("if (true) {");
      t.keys("Enter");
      await t.waitForPrompt("", "...");
      t.keys("C-c");
      await t.waitForPrompt();

      t.type("area(2, 3)");
      t.keys("Enter");
      await t.waitFor((s) => /^6$/m.test(s), "the session still answering");
      await t.waitForPrompt();

      t.keys("C-d");
      await t.waitFor((s) => s.includes("[exited 0]"), "Ctrl-D to end the REPL");
      const history = await Deno.readTextFile(`${home}/.pnplab_history`);
      assert.match(history, /^area\(2, 3\)$/m);
    }),
});

// ---- Piped stdin: the command-line options -------------------------------------------------------

async function pipedRepl(args: string[], input: string): Promise<{ code: number; out: string }> {
  const home = await Deno.makeTempDir({ prefix: "pnplab_home_" });
  try {
    const child = new Deno.Command(DENO, {
      args: [...REPL_FLAGS, ...args],
      cwd: ROOT,
      env: { HOME: home, DENO_DIR: denoDir(), NO_COLOR: "1" },
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(input));
    await writer.close();
    const { code, stdout, stderr } = await child.output();
    return {
      code,
      out: new TextDecoder().decode(stdout) + new TextDecoder().decode(stderr),
    };
  } finally {
    await Deno.remove(home, { recursive: true });
  }
}

Deno.test("repl --empty starts on a bare machine; end of input (piped stdin) exits with status 0", async () => {
  const { code, out } = await pipedRepl(["--empty"], "!devnode\n");
  assert.equal(code, 0, out);
  assert.match(out, /pnplab \(empty machine\): 1 device\./);
  assert.match(out, /kd> DevNode HTREE\\ROOT\\0 {2}Started\n/);
});

Deno.test("repl --scenario FILE loads the scenario before the first prompt", async () => {
  const { code, out } = await pipedRepl(
    ["--scenario", "scenarios/registry/seed-sample-access-denied.yaml"],
    "!devnode\n",
  );
  assert.equal(code, 0, out);
  assert.match(out, /Loaded 'The seed page's sample/);
  assert.match(out, /All expectations hold\nkd> /);
  assert.match(out, /DevNode ROOT\\SAMPLE\\0 {2}Started/);
});

Deno.test("repl --profiles and --safe-mode boot the machine with them", async () => {
  const { code, out } = await pipedRepl(
    ["--empty", "--profiles", "Docked,Undocked", "--safe-mode"],
    'reg query "HKLM\\SYSTEM\\CurrentControlSet\\Control\\IDConfigDB\\Hardware Profiles" /s\n' +
      ".trace 100000\n",
  );
  assert.equal(code, 0, out);
  assert.match(out, /FriendlyName {4}REG_SZ {4}Undocked/);
  assert.match(out, /boot safeMode=true/);
});

Deno.test("repl --help prints the usage and exits", async () => {
  const { code, out } = await pipedRepl(["--help"], "");
  assert.equal(code, 0);
  assert.match(out, /^Usage: deno task repl \[--empty\] \[--scenario FILE\]/);
});

Deno.test("repl with piped stdin: multi-line input, errors and .exit (lines after .exit are not run)", async () => {
  const { code, out } = await pipedRepl(
    ["--empty"],
    "const xs: number[] = [\n  1,\n  2,\n]\nxs.length\nthrow new Error('boom')\n.exit\nxs.length + 100\n",
  );
  assert.equal(code, 0, out);
  assert.match(out, /\.\.\. /);
  assert.match(out, /kd> 2\n/);
  assert.match(out, /Error: boom/);
  assert.doesNotMatch(out, /102/);
});

Deno.test("repl with bad options prints one line saying what is wrong and the usage line, and exits with status 2 (no stack trace)", async () => {
  for (
    const [args, problem] of [
      [["--bogus"], "Unknown option '--bogus'"],
      [["--emtpy"], "Unknown option '--emtpy' (did you mean '--empty'?)"],
      [["--profiles"], "Option '--profiles' needs a value"],
      [["--scenario", "/nonexistent.yaml"], "Cannot read '/nonexistent.yaml': no such file"],
      [["extra"], "Unexpected argument 'extra' (the REPL takes options only)"],
    ] as const
  ) {
    const { code, out } = await pipedRepl([...args], "");
    assert.equal(code, 2, `${args.join(" ")}\n${out}`);
    assert.equal(
      out,
      `${problem}\nUsage: deno task repl [--empty] [--scenario FILE] [--profiles A,B] [--safe-mode]\n`,
    );
  }
});

/**
 * Clears the screen (Ctrl-L), types a line, presses Enter and waits for `expected`, then for the
 * prompt (`kd>`, or `kd at #N>` at a debugger stop: the number is read from the output).
 */
async function command(t: Terminal, line: string, expected: RegExp): Promise<string> {
  t.keys("C-l");
  await t.waitFor((s) => /^kd( at #\d+)?>$/.test(s.trim()), "a cleared screen");
  t.type(line);
  t.keys("Enter");
  const screen = await t.waitFor((s) => expected.test(s), `the output of '${line}'`);
  await t.waitFor((s) => /^kd( at #\d+)?>$/.test(s.split("\n").at(-1)!.trim()), "the prompt");
  return screen;
}

/** The event number the prompt says the debugger stands at, or null at the session's end. */
function promptAt(t: Terminal): number | null {
  const m = /^kd at #(\d+)>/.exec(t.lastLine());
  return m ? Number(m[1]) : null;
}

Deno.test({
  name:
    "debugging a driver module in a terminal: .driver, bp/g/p/.back/.goto/k with the prompt at the stop, !irp #N, .diff, reg add, pnputil, an edit and .reload",
  ignore: noTmux,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "pnplab_e2e_driver_" });
    const file = `${dir}/driver.ts`;
    const text = (await Deno.readTextFile(`${ROOT}tests/fixtures/drivers/forgetful.ts`))
      .replaceAll("../../../mod.ts", `${ROOT}mod.ts`);
    await Deno.writeTextFile(file, text);
    try {
      await withRepl(async (t) => {
        await command(t, `.driver ${file}`, /Loaded driver 'forgetful'/);
        await command(t, `device("ROOT\\\\FORGETFUL")`, /kd> device.*\n/);
        await command(t, "bp IRP_MN_START_DEVICE ROOT\\FORGETFUL\\0", /Breakpoint 0 set/);
        const hit = await command(t, "g", /Breakpoint 0 hit at #(\d+)/);
        const at = Number(/Breakpoint 0 hit at #(\d+)/.exec(hit)![1]);
        assert.equal(promptAt(t), at);
        // The machine at the stop: the device is not started yet.
        const tree = await command(t, "!devnode 0 1", /ROOT\\FORGETFUL\\0/);
        assert.doesNotMatch(tree, /ROOT\\FORGETFUL\\0 {2}Started/);
        await command(t, "k", /^00 /m);
        await command(t, "p", new RegExp(`Step to #${at + 1}`));
        assert.equal(promptAt(t), at + 1);
        await command(t, ".back", new RegExp(`Back to #${at}`));
        assert.equal(promptAt(t), at);
        await command(t, ".goto #5", /At #5/);
        assert.equal(promptAt(t), 5);
        await command(t, "g", /Breakpoint 0 hit at #/);
        // The IRP in flight, as WinDbg's !irp shows it.
        await command(t, "!irp 1", /IRP_MN_START_DEVICE/);
        const id = Number(/Irp #(\d+) IRP_MN_START_DEVICE/.exec(t.screen())![1]);
        await command(t, `!irp #${id}`, new RegExp(`Irp #${id} is active with \\d+ stacks`));
        // A change leaves the stop: reg add runs on the session's machine.
        await command(
          t,
          "reg add HKLM\\SOFTWARE\\Lab /v Count /t REG_DWORD /d 7",
          /The operation completed successfully\./,
        );
        assert.equal(promptAt(t), null);
        await command(t, "pnputil /enum-devices /connected", /Instance ID: +ROOT\\FORGETFUL\\0/);
        await command(
          t,
          ".diff tests/fixtures/drivers/fixed.yaml",
          /--- this session\n\+\+\+ tests\/fixtures\/drivers\/fixed\.yaml/,
        );
        // The bug: removing the device bug checks; fix the file and .reload replays on the fix.
        await command(
          t,
          `machine.requestRemoval(pdo("ROOT\\\\FORGETFUL\\\\0"))`,
          /DRIVER_VERIFIER_IOMANAGER_VIOLATION/,
        );
        await Deno.writeTextFile(
          file,
          text.replace("// FIX: k.IoDetachDevice(lower);", "k.IoDetachDevice(lower);"),
        );
        const reloaded = await command(t, ".reload", /Reloaded .*driver\.ts; replayed \d+ steps/);
        assert.doesNotMatch(reloaded, /STOP/);
        await command(t, "!devnode 0 1", /ROOT\\FORGETFUL\\0 {2}Removed/);
      }, ["--empty"]);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "Ctrl-C in a terminal clears the typed line, and abandons an evaluation that is waiting",
  ignore: noTmux,
  fn: () =>
    withRepl(async (t) => {
      t.type('device("ROOT\\\\HALF');
      await t.waitForPrompt('device("ROOT\\\\HALF');
      t.keys("C-c");
      await t.waitForPrompt();
      t.type("await new Promise((r) => setTimeout(r, 60000))");
      t.keys("Enter");
      await new Promise((r) => setTimeout(r, 300));
      t.keys("C-c");
      await t.waitFor((s) => s.includes("Interrupted (Ctrl-C)"), "the interrupted evaluation");
      await t.waitForPrompt();
      t.type("1 + 1");
      t.keys("Enter");
      await t.waitFor((s) => /\n2\n/.test(s), "the next evaluation");
    }, ["--empty"]),
});
