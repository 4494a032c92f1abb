/**
 * Hive persistence: ZwFlushKey writes the whole hive (DDI nf-wdm-zwflushkey.md), volatile keys are
 * never saved (REG_OPTION_VOLATILE: "the key is not preserved when the system is restarted"), writes
 * are atomic, and a reboot keeps exactly the non-volatile state. Each test names the rule it checks.
 */
import assert from "node:assert/strict";
import {
  boot,
  HiveLoadError,
  KEY_ALL_ACCESS,
  KEY_READ,
  KeyNodeInformation,
  KeyValuePartialInformation,
  REG_BINARY,
  REG_DWORD,
  REG_DWORD_BIG_ENDIAN,
  REG_EXPAND_SZ,
  REG_MULTI_SZ,
  REG_OPTION_VOLATILE,
  REG_QWORD,
  REG_SZ,
  STATUS_INVALID_HANDLE,
  STATUS_SUCCESS,
} from "../../mod.ts";
import type { KEY_NODE_INFORMATION, KEY_VALUE_PARTIAL_INFORMATION, Machine } from "../../mod.ts";
import { assertStatus, CCS, createKey, openKey, SOFTWARE, withTempDir } from "./_helpers.ts";

interface SavedKey {
  path: string;
  lastWrite: number;
  class: string;
  allowed: number;
  values: unknown[];
}

function savedKeys(file: string): SavedKey[] {
  return JSON.parse(Deno.readTextFileSync(file)).keys;
}

/** The saved keys without their last-write times, which a boot may touch. */
function savedState(file: string): Omit<SavedKey, "lastWrite">[] {
  return savedKeys(file).map(({ lastWrite: _, ...rest }) => rest);
}

/** Writes values of every kind through the Zw routines. */
function writeEverything(m: Machine): void {
  const k = m.kernel;
  const h = createKey(k, `${SOFTWARE}\\Persist`, KEY_ALL_ACCESS, 0, "PersistClass");
  k.ZwSetValueKey(h, "Sz", 0, REG_SZ, "text");
  k.ZwSetValueKey(h, "Expand", 0, REG_EXPAND_SZ, "%SystemRoot%\\x.sys");
  k.ZwSetValueKey(h, "Multi", 0, REG_MULTI_SZ, ["one", "two"]);
  k.ZwSetValueKey(h, "MultiEmpty", 0, REG_MULTI_SZ, []);
  k.ZwSetValueKey(h, "Dword", 0, REG_DWORD, 0xffffffff);
  k.ZwSetValueKey(h, "BigEndian", 0, REG_DWORD_BIG_ENDIAN, 0x1c8);
  k.ZwSetValueKey(h, "Qword", 0, REG_QWORD, 0x1234_5678_9abc_def0n);
  k.ZwSetValueKey(h, "Binary", 0, REG_BINARY, new Uint8Array([0, 1, 254, 255]));
  k.ZwSetValueKey(h, "Padded", 0, REG_SZ, "ab", 12);
  k.ZwSetValueKey(h, null, 0, REG_SZ, "default");
  createKey(k, `${SOFTWARE}\\Persist\\Child`);
  k.ZwClose(h);
}

function sizes(m: Machine, path: string): Record<string, number> {
  const k = m.kernel;
  const h = openKey(k, path, KEY_READ);
  const out: Record<string, number> = {};
  for (const name of m.registry.valueNames(path)) {
    const q = k.ZwQueryValueKey(h, name, KeyValuePartialInformation);
    out[name] = (q.keyValueInformation as KEY_VALUE_PARTIAL_INFORMATION).DataLength;
  }
  k.ZwClose(h);
  return out;
}

Deno.test("ZwFlushKey writes the whole hive to the machine's hive file, and a machine booted from it has every key, value, type, size and class (ZwFlushKey)", async () => {
  await withTempDir((dir) => {
    const file = `${dir}/system.hive`;
    const m = boot({ hiveFile: file });
    writeEverything(m);
    const h = openKey(m.kernel, `${SOFTWARE}\\Persist\\Child`, KEY_READ);
    assertStatus(m.kernel.ZwFlushKey(h), STATUS_SUCCESS);
    assert.ok(m.trace.some((e) => e.kind === "reg" && e.op === "save" && e.path === file));

    const loaded = boot({ hiveFile: file });
    const path = `${SOFTWARE}\\Persist`;
    assert.deepEqual(loaded.registry.valueNames(path), m.registry.valueNames(path));
    for (const name of m.registry.valueNames(path)) {
      assert.deepEqual(loaded.registry.getValue(path, name), m.registry.getValue(path, name), name);
    }
    assert.deepEqual(sizes(loaded, path), sizes(m, path));
    assert.deepEqual(sizes(loaded, path), {
      "": 16,
      Sz: 10,
      Expand: 38,
      Multi: 18,
      // The lone \0 of an empty sequence ("Registry value types").
      MultiEmpty: 2,
      Dword: 4,
      BigEndian: 4,
      Qword: 8,
      Binary: 4,
      Padded: 12,
    });
    assert.equal(loaded.registry.exists(`${path}\\Child`), true);
    const parent = openKey(loaded.kernel, SOFTWARE, KEY_READ);
    let cls = "";
    for (let i = 0;; i++) {
      const r = loaded.kernel.ZwEnumerateKey(parent, i, KeyNodeInformation);
      if (r.status !== STATUS_SUCCESS) break;
      const info = r.keyInformation as KEY_NODE_INFORMATION;
      if (info.Name === "Persist") cls = info.Class;
    }
    assert.equal(cls, "PersistClass");
    // The standard trees come back too, with CurrentControlSet linked again.
    assert.equal(loaded.registry.exists(`${CCS}\\Enum\\HTREE\\ROOT\\0`), true);
  });
});

Deno.test("volatile keys, their subtrees, HKLM\\HARDWARE and the CurrentControlSet and Hardware Profiles\\Current links are never saved (REG_OPTION_VOLATILE)", async () => {
  await withTempDir((dir) => {
    const file = `${dir}/system.hive`;
    const m = boot({ hiveFile: file });
    const k = m.kernel;
    createKey(k, `${SOFTWARE}\\Kept`);
    createKey(k, `${SOFTWARE}\\Kept\\Fleeting`, KEY_ALL_ACCESS, REG_OPTION_VOLATILE);
    createKey(k, `${SOFTWARE}\\Kept\\Fleeting\\Below`, KEY_ALL_ACCESS, REG_OPTION_VOLATILE);
    m.saveHive();
    const paths = savedKeys(file).map((key) => key.path.toUpperCase());
    assert.ok(paths.includes("\\REGISTRY\\MACHINE\\SOFTWARE\\KEPT"));
    for (const path of paths) {
      assert.doesNotMatch(path, /FLEETING|\\REGISTRY\\MACHINE\\HARDWARE/, path);
      assert.notEqual(path, "\\REGISTRY\\MACHINE\\SYSTEM\\CURRENTCONTROLSET");
      assert.doesNotMatch(path, /\\HARDWARE PROFILES\\CURRENT$/);
    }
    const loaded = boot({ hiveFile: file });
    assert.equal(loaded.registry.exists("HKLM\\SOFTWARE\\Kept"), true);
    assert.equal(loaded.registry.exists("HKLM\\SOFTWARE\\Kept\\Fleeting"), false);
    // Boot rebuilds what is volatile: the links and HARDWARE exist again, as volatile keys.
    assert.equal(loaded.registry.isVolatile("HKLM\\SYSTEM\\CurrentControlSet"), true);
    assert.equal(loaded.registry.isVolatile("HKLM\\HARDWARE"), true);
  });
});

Deno.test("a save is atomic: a crash before the new file replaces the old one leaves the previous hive, which loads (writes go to a temporary file, then a rename)", async () => {
  await withTempDir((dir) => {
    const file = `${dir}/system.hive`;
    const m = boot({ hiveFile: file });
    m.registry.setValue("HKLM\\SOFTWARE\\Contoso", "Generation", REG_DWORD, 1);
    m.saveHive();
    const before = Deno.readTextFileSync(file);

    m.registry.setValue("HKLM\\SOFTWARE\\Contoso", "Generation", REG_DWORD, 2);
    const deno = Deno as unknown as Record<string, unknown>;
    const rename = Deno.renameSync;
    const write = Deno.writeTextFileSync;
    try {
      // Crash between writing the new file and putting it in place.
      deno.renameSync = () => {
        throw new Error("simulated crash");
      };
      assert.throws(() => m.saveHive(), /simulated crash/);
      assert.equal(Deno.readTextFileSync(file), before);
      deno.renameSync = rename;

      // Crash halfway through writing the new file.
      deno.writeTextFileSync = (path: string | URL, text: string) => {
        write(path, text.slice(0, text.length / 2));
        throw new Error("simulated crash");
      };
      assert.throws(() => m.saveHive(), /simulated crash/);
      assert.equal(Deno.readTextFileSync(file), before);
    } finally {
      deno.renameSync = rename;
      deno.writeTextFileSync = write;
    }
    const loaded = boot({ hiveFile: file });
    assert.equal(loaded.registry.getValue("HKLM\\SOFTWARE\\Contoso", "Generation")?.data, 1);

    // The next save that completes replaces the file whole.
    m.saveHive();
    assert.equal(
      boot({ hiveFile: file }).registry.getValue("HKLM\\SOFTWARE\\Contoso", "Generation")?.data,
      2,
    );
  });
});

Deno.test("a reboot keeps exactly the non-volatile state: keys, values and classes survive, volatile keys and open handles do not (machine.reboot)", async () => {
  await withTempDir((dir) => {
    const m = boot();
    const k = m.kernel;
    writeEverything(m);
    createKey(k, `${SOFTWARE}\\Persist\\Fleeting`, KEY_ALL_ACCESS, REG_OPTION_VOLATILE);
    m.registry.createKey("HKLM\\HARDWARE\\DEVICEMAP\\Scratch");
    const h = openKey(k, `${SOFTWARE}\\Persist`, KEY_READ);
    m.registry.deleteKey("HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run");
    m.saveHive(`${dir}/before`);

    m.reboot();
    m.saveHive(`${dir}/after`);
    assert.deepEqual(savedState(`${dir}/after`), savedState(`${dir}/before`));
    assert.equal(m.registry.exists("HKLM\\SOFTWARE\\Persist\\Fleeting"), false);
    assert.equal(m.registry.exists("HKLM\\HARDWARE\\DEVICEMAP\\Scratch"), false);
    assert.equal(
      m.registry.exists("HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run"),
      false,
    );
    assert.equal(
      m.registry.getValue("HKLM\\SOFTWARE\\Persist", "Qword")?.data,
      0x1234_5678_9abc_def0n,
    );
    assertStatus(
      k.ZwQueryValueKey(h, "Sz", KeyValuePartialInformation).status,
      STATUS_INVALID_HANDLE,
    );
    // The links are rebuilt, so paths through CurrentControlSet work as before.
    assert.equal(m.registry.isVolatile("HKLM\\SYSTEM\\CurrentControlSet"), true);
    assert.equal(m.registry.exists(`${CCS}\\Services`), true);
    assert.equal(m.registry.exists(`${CCS}\\Hardware Profiles\\Current\\System`), true);
  });
});

Deno.test("booting with a hive file that does not exist yet starts a fresh installation; the first flush creates the file (ZwFlushKey)", async () => {
  await withTempDir((dir) => {
    const file = `${dir}/new.hive`;
    const m = boot({ hiveFile: file });
    assert.equal(m.registry.exists(`${CCS}\\Services`), true);
    assert.throws(() => Deno.statSync(file), Deno.errors.NotFound);
    const h = openKey(m.kernel, SOFTWARE, KEY_READ);
    assertStatus(m.kernel.ZwFlushKey(h), STATUS_SUCCESS);
    assert.ok(Deno.statSync(file).isFile);
    assert.deepEqual(Deno.readDirSync(dir).toArray().map((e) => e.name), ["new.hive"]);
  });
});

Deno.test("a malformed hive file is refused with each problem's line and column, and no machine is half-loaded (HiveLoadError)", async () => {
  await withTempDir((dir) => {
    const file = `${dir}/system.hive`;
    const m = boot({ hiveFile: file });
    m.saveHive();
    const good = Deno.readTextFileSync(file);

    Deno.writeTextFileSync(file, good.slice(0, 200));
    assert.throws(() => boot({ hiveFile: file }), (e: unknown) => {
      assert.ok(e instanceof HiveLoadError);
      assert.equal(e.errors.length, 1);
      assert.ok(e.errors[0]!.line > 1);
      assert.match(e.message, /system\.hive:\d+:\d+/);
      return true;
    });

    const json = JSON.parse(good);
    json.keys[3].values = [{ name: "Bad", type: 4, data: { nonsense: true } }];
    json.keys.push({
      path: "\\REGISTRY\\NOPARENT\\Child",
      lastWrite: 0,
      class: "",
      allowed: 0,
      values: [],
    });
    Deno.writeTextFileSync(file, JSON.stringify(json, null, 1));
    assert.throws(() => boot({ hiveFile: file }), (e: unknown) => {
      assert.ok(e instanceof HiveLoadError);
      assert.equal(e.errors.length, 2);
      for (const error of e.errors) assert.ok(error.line > 1 && error.column >= 1);
      assert.match(e.errors[0]!.message, /'Bad'/);
      assert.match(e.errors[1]!.message, /before its parent/);
      return true;
    });
  });
});

Deno.test("saveHive without a file on a machine that has no hive file is a TypeError; with a file it writes there (machine.saveHive)", async () => {
  await withTempDir((dir) => {
    const m = boot();
    assert.throws(() => m.saveHive(), TypeError);
    m.registry.setValue("HKLM\\SOFTWARE\\Elsewhere", "V", REG_SZ, "x");
    m.saveHive(`${dir}/copy.hive`);
    const loaded = boot({ hiveFile: `${dir}/copy.hive` });
    assert.equal(loaded.registry.getValue("HKLM\\SOFTWARE\\Elsewhere", "V")?.data, "x");
    // Without a hive file of its own, ZwFlushKey has nothing to write and still succeeds.
    const h = openKey(m.kernel, SOFTWARE, KEY_ALL_ACCESS);
    assertStatus(m.kernel.ZwFlushKey(h), STATUS_SUCCESS);
  });
});

Deno.test("A machine booted from a saved hive runs its RunOnce entries, once, at its first settle: RunOnce runs 'at every boot' (docs/profiles-runonce.md#runonce-entries, 'RunOnce registry key'), a saved hive's first boot included", async () => {
  await withTempDir((dir) => {
    const file = `${dir}/system.hive`;
    const runOnce = `${SOFTWARE}\\Microsoft\\Windows\\CurrentVersion\\RunOnce`;
    const first = boot({ hiveFile: file });
    first.registry.setValue(runOnce, "Setup", REG_SZ, "setup.exe /finish");
    first.saveHive();

    const calls: string[] = [];
    const m = boot({ hiveFile: file });
    m.registerCommand("setup", (args) => {
      calls.push(args);
      return true;
    });
    assert.deepEqual(calls, [], "nothing runs before the machine settles");
    m.settle();
    assert.deepEqual(calls, ["/finish"]);
    assert.equal(m.registry.getValue(runOnce, "Setup"), undefined, "the entry is gone once it ran");
    m.settle();
    assert.deepEqual(calls, ["/finish"], "and it runs once");
  });
});
