/**
 * Crash safety of hive saves (lib/registry/persist.ts: "written atomically ... so that a save killed
 * partway leaves the previous file loadable"). A subprocess (`_save_worker.ts`) boots from a hive
 * file, grows the registry to several megabytes and saves it with `machine.saveHive()` in a loop; the
 * test kills it with SIGKILL after a random delay, several times, and boots from what is left.
 */
import assert from "node:assert/strict";
import { boot, type Machine } from "../../mod.ts";
import { makeNewState, makeOldState } from "./_save_worker.ts";
import { fuzzSeed } from "./_fuzz.ts";

const ROOT = new URL("../../", import.meta.url);
const WORKER = new URL("./_save_worker.ts", import.meta.url);
const KILLS = 8;

/** mulberry32: the kill delays are reproducible from the seed (their effect depends on the host's timing). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Reads the child's stdout until it says `ready`; throws with its stderr if it exits first. */
async function waitReady(child: Deno.ChildProcess): Promise<void> {
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let seen = "";
  try {
    while (!seen.includes("ready\n")) {
      const { value, done } = await reader.read();
      if (done) {
        const err = await new Response(child.stderr).text();
        throw new Error(`The save worker exited before it was ready:\n${err}`);
      }
      seen += value;
    }
  } finally {
    await reader.cancel();
  }
}

/** Polls until a write shows in the directory; returns how long that took (ms). */
function writeInProgress(dir: string, file: string, sizes: number[]): number {
  const start = performance.now();
  const known = new Set([file.slice(dir.length + 1), "reference.json"]);
  while (performance.now() - start < 30_000) {
    for (const entry of Deno.readDirSync(dir)) {
      if (!known.has(entry.name)) return performance.now() - start;
    }
    try {
      if (!sizes.includes(Deno.statSync(file).size)) return performance.now() - start;
    } catch {
      return performance.now() - start;
    }
  }
  throw new Error("The save worker wrote nothing for 30 s");
}

function bytes(text: string): number {
  return new TextEncoder().encode(text).length;
}

function state(m: Machine): string {
  return m.registry.exportReg("HKLM\\SOFTWARE");
}

Deno.test("a hive save killed with SIGKILL at random moments leaves the file holding exactly the old or the new state, and boot({ hiveFile }) loads it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pnplab-crash-" });
  try {
    const file = `${dir}/hive.json`;
    const before = boot({ hiveFile: file });
    makeOldState(before);
    before.saveHive();
    const oldText = Deno.readTextFileSync(file);

    // What the worker saves, computed here from the same old file: the model is deterministic.
    const reference = `${dir}/reference.json`;
    Deno.writeTextFileSync(reference, oldText);
    const after = boot({ hiveFile: reference });
    makeNewState(after);
    const start = performance.now();
    after.saveHive();
    const saveMs = performance.now() - start;
    const newText = Deno.readTextFileSync(reference);
    assert.ok(newText.length > 20_000_000, `the new hive is only ${newText.length} bytes`);
    const expected = { old: state(boot({ hiveFile: file })), new: state(after) };

    const next = random(fuzzSeed());
    const outcomes: string[] = [];
    for (let run = 0; run < KILLS; run++) {
      // Start from the old file alone (a killed save leaves its temporary file behind).
      for (const entry of Deno.readDirSync(dir)) {
        if (entry.name !== "reference.json") Deno.removeSync(`${dir}/${entry.name}`);
      }
      Deno.writeTextFileSync(file, oldText);
      const child = new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "--allow-read",
          "--allow-write",
          "--config",
          new URL("deno.json", ROOT).pathname,
          WORKER.pathname,
          file,
        ],
        cwd: ROOT.pathname,
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
      }).spawn();
      await waitReady(child);
      // Even kills: a random delay, from the start of the first save to a few saves later. Odd
      // kills: as soon as a write is seen in progress (a new file beside the hive, or the hive's
      // size neither the old nor the new one), plus up to 2 ms, so that some kills surely land in
      // the middle of writing a file rather than while the worker serializes.
      let delay: number;
      if (run % 2 === 0) {
        delay = next() * saveMs * 3;
        await new Promise((resolve) => setTimeout(resolve, delay));
      } else {
        delay = writeInProgress(dir, file, [bytes(oldText), bytes(newText)]) + next() * 2;
        for (const until = performance.now() + next() * 2; performance.now() < until;);
      }
      child.kill("SIGKILL");
      const status = await child.status;
      await child.stderr.cancel();
      assert.equal(status.signal, "SIGKILL", "the worker ended before it was killed");

      const text = Deno.readTextFileSync(file);
      const which = text === oldText ? "old" : text === newText ? "new" : undefined;
      assert.ok(
        which,
        `kill ${run} after ${delay.toFixed(1)} ms left ${text.length} bytes: neither state`,
      );
      outcomes.push(which);
      const loaded = boot({ hiveFile: file });
      assert.equal(state(loaded), expected[which], `kill ${run}: the ${which} state did not load`);
    }
    assert.equal(outcomes.length, KILLS);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
