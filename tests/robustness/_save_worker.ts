/**
 * The subprocess of the crash-safety test (crash_test.ts): boots from a hive file, makes the "new"
 * state (a large registry), prints `ready`, then saves it with `machine.saveHive()` over and over
 * until the test kills it with SIGKILL. Every save writes the same text, so whenever the kill lands
 * the file should hold either the old state or the new one, never a torn mix.
 *
 * Usage: `deno run --allow-read --allow-write tests/robustness/_save_worker.ts <hive file>`
 *
 * @module
 */
import { boot, type Machine, REG_BINARY, REG_DWORD, REG_MULTI_SZ, REG_SZ } from "../../mod.ts";

/** The old state: a machine with some software settings, saved before the worker runs. */
export function makeOldState(m: Machine): void {
  for (let i = 0; i < 200; i++) {
    m.registry.setValue(`HKLM\\SOFTWARE\\PnpLab\\Old\\Key${i % 20}`, `Value${i}`, REG_DWORD, i);
  }
}

/**
 * The new state: the old one changed and grown to about 28 MB, mostly long strings, so that writing
 * the file (not only serializing it) takes long enough for a kill to land in the middle of it.
 * Deterministic: the test computes the same text.
 */
export function makeNewState(m: Machine): void {
  m.registry.deleteKey("HKLM\\SOFTWARE\\PnpLab\\Old");
  for (let i = 0; i < 24; i++) {
    const blob = String.fromCharCode(0x61 + i).repeat(1 << 20);
    m.registry.setValue("HKLM\\SOFTWARE\\PnpLab\\Blobs", `Blob${i}`, REG_SZ, blob);
  }
  for (let k = 0; k < 100; k++) {
    const key = `HKLM\\SOFTWARE\\PnpLab\\New\\Key${k}`;
    for (let v = 0; v < 40; v++) {
      const n = k * 40 + v;
      switch (n % 4) {
        case 0:
          m.registry.setValue(key, `Dword${v}`, REG_DWORD, n);
          break;
        case 1:
          m.registry.setValue(key, `String${v}`, REG_SZ, `value ${n} `.repeat(8));
          break;
        case 2:
          m.registry.setValue(key, `Multi${v}`, REG_MULTI_SZ, [`a${n}`, `b${n}`, `c${n}`]);
          break;
        default:
          m.registry.setValue(key, `Bytes${v}`, REG_BINARY, new Uint8Array(48).fill(n & 0xff));
      }
    }
  }
}

if (import.meta.main) {
  const file = Deno.args[0];
  if (!file) throw new TypeError("Cannot run the save worker: no hive file given");
  const m = boot({ hiveFile: file });
  makeNewState(m);
  await Deno.stdout.write(new TextEncoder().encode("ready\n"));
  for (let i = 0; i < 10_000; i++) m.saveHive();
}
