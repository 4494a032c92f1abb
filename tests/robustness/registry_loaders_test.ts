/**
 * The registry's loaders and routines under hostile input (issue 14): hive files with a broken
 * structure, `.reg` imports whose later keys cross links that do not resolve, data a routine
 * accepts but `.reg` export could not write back, and keys past the "Registry element size
 * limits". Each example the independent fuzzing run found is a regression test; each class has a
 * generator. The rules checked: a loader applies all or nothing and answers with errors that carry
 * a line; what is accepted exports and imports back byte for byte; a hive Windows could not boot
 * is refused with HiveLoadError naming bug check 0x74 BAD_SYSTEM_CONFIG_INFO.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  boot,
  exampleMachine,
  HiveLoadError,
  KEY_ALL_ACCESS,
  KEY_READ,
  type KEY_VALUE_PARTIAL_INFORMATION,
  KeyValuePartialInformation,
  type Machine,
  REG_LINK,
  REG_MULTI_SZ,
  REG_OPTION_CREATE_LINK,
  REG_SZ,
  STATUS_INVALID_PARAMETER,
  STATUS_SUCCESS,
} from "../../mod.ts";
import { fuzzRuns, fuzzSeed, fuzzSequences } from "./_fuzz.ts";

const H = "Windows Registry Editor Version 5.00\r\n\r\n";
const SOFTWARE = "\\Registry\\Machine\\SOFTWARE";

// ---- Helpers -----------------------------------------------------------------------------------------

interface HiveJson {
  format: string;
  version: number;
  clock: number;
  keys: { path: string; values: { name: string; type: number; data: unknown }[] }[];
}

/** The example machine's saved hive, parsed once. */
const SAVED: string = (() => {
  const dir = Deno.makeTempDirSync({ prefix: "pnplab-hive-structure-" });
  try {
    exampleMachine().saveHive(`${dir}/h.json`);
    return Deno.readTextFileSync(`${dir}/h.json`);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
})();

function savedHive(): HiveJson {
  return JSON.parse(SAVED) as HiveJson;
}

/** Boots from a hive given as JSON: the machine, or the HiveLoadError. */
function bootFrom(json: HiveJson, dir: string): Machine | HiveLoadError {
  const file = `${dir}/hive.json`;
  Deno.writeTextFileSync(file, JSON.stringify(json, null, 1));
  try {
    return boot({ hiveFile: file });
  } catch (e) {
    if (e instanceof HiveLoadError) return e;
    throw e;
  }
}

function withDir<T>(fn: (dir: string) => T): T {
  const dir = Deno.makeTempDirSync({ prefix: "pnplab-robust-" });
  try {
    return fn(dir);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
}

function withoutKeys(json: HiveJson, pattern: RegExp): HiveJson {
  return { ...json, keys: json.keys.filter((k) => !pattern.test(k.path)) };
}

function assertBadConfig(r: Machine | HiveLoadError, problem: RegExp): void {
  assert.ok(r instanceof HiveLoadError, "the hive booted");
  assert.match(r.message, problem);
  assert.match(r.message, /bug check 0x74 BAD_SYSTEM_CONFIG_INFO/);
  for (const e of r.errors) assert.ok(e.line >= 1 && e.column >= 1);
}

/** The registry as exported: what an import that fails must leave alone. */
function exported(m: Machine): string {
  return m.registry.exportReg("HKLM") + m.registry.exportReg("HKU");
}

/** A value as ZwQueryValueKey reports it: type, byte size and data. */
function observed(m: Machine, path: string, name: string): unknown {
  const k = m.kernel;
  const { keyHandle } = k.ZwOpenKey(KEY_READ, path);
  if (!keyHandle) return undefined;
  const q = k.ZwQueryValueKey(keyHandle, name, KeyValuePartialInformation);
  k.ZwClose(keyHandle);
  const info = q.keyValueInformation as KEY_VALUE_PARTIAL_INFORMATION | undefined;
  return info && { Type: info.Type, DataLength: info.DataLength, Data: info.Data };
}

// ---- Hive structure: regression tests -----------------------------------------------------------

Deno.test("issue 14: a hive with \\REGISTRY\\MACHINE but no SYSTEM is refused with HiveLoadError naming bug check 0x74, not a TypeError", () => {
  withDir((dir) => {
    const r = bootFrom(withoutKeys(savedHive(), /^\\REGISTRY\\MACHINE\\SYSTEM/i), dir);
    assertBadConfig(r, /no '\\REGISTRY\\MACHINE\\SYSTEM' key/);
  });
});

Deno.test("issue 14: a hive without ControlSet001 (the control set Select\\Current names) is refused, so PnP never writes Enum keys beside the link", () => {
  withDir((dir) => {
    const r = bootFrom(withoutKeys(savedHive(), /\\ControlSet001/i), dir);
    assertBadConfig(
      r,
      /'SYSTEM\\Select\\Current' is 1, but the hive has no control set 'ControlSet001'/,
    );
  });
});

Deno.test("issue 14: a hive listing SOFTWARE twice (once with a trailing backslash) is refused: names compare as the registry compares them", () => {
  withDir((dir) => {
    const json = savedHive();
    const at = json.keys.findIndex((k) => /^\\REGISTRY\\MACHINE\\SOFTWARE$/i.test(k.path));
    json.keys.splice(at + 1, 0, { ...json.keys[at]!, path: json.keys[at]!.path + "\\" });
    assertBadConfig(bootFrom(json, dir), /Key '\\REGISTRY\\MACHINE\\SOFTWARE\\' is listed twice/);
    const lower = savedHive();
    lower.keys.push({ ...lower.keys[at]!, path: "\\REGISTRY\\MACHINE\\software" });
    assertBadConfig(bootFrom(lower, dir), /listed twice/);
  });
});

Deno.test("issue 14: a hive without \\REGISTRY\\USER is refused (no machine without HKU)", () => {
  withDir((dir) => {
    const r = bootFrom(withoutKeys(savedHive(), /^\\REGISTRY\\USER/i), dir);
    assertBadConfig(r, /no '\\REGISTRY\\USER' key/);
  });
});

Deno.test("issue 14: a hive value of type 2^32 is refused at load (a type is a ULONG), never a machine whose exportReg throws", () => {
  withDir((dir) => {
    const json = savedHive();
    const key = json.keys.find((k) => k.values.length > 0)!;
    key.values[0]!.type = 2 ** 32;
    const r = bootFrom(json, dir);
    assert.ok(r instanceof HiveLoadError);
    assert.match(r.message, /not a 32-bit type number/);
  });
});

// ---- Hive structure: generated edits ----------------------------------------------------------------

/** A structural edit of a saved hive: the shapes the fuzzing run found, and their neighbours. */
type HiveEdit =
  | { kind: "dropKey"; at: number }
  | { kind: "dropSubtree"; at: number }
  | { kind: "duplicate"; at: number; variant: "slash" | "lower" | "upper" | "double" }
  | { kind: "select"; to: unknown }
  | { kind: "type"; at: number; type: number }
  | { kind: "add"; path: string };

const HIVE_EDIT: fc.Arbitrary<HiveEdit> = fc.oneof(
  fc.record({ kind: fc.constant("dropKey" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("dropSubtree" as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant("duplicate" as const),
    at: fc.nat(),
    variant: fc.constantFrom("slash" as const, "lower" as const, "upper" as const, "double"),
  }),
  fc.record({
    kind: fc.constant("select" as const),
    to: fc.oneof(fc.integer({ min: -1, max: 4 }), fc.constant("1"), fc.constant(null)),
  }),
  fc.record({
    kind: fc.constant("type" as const),
    at: fc.nat(),
    type: fc.oneof(
      fc.constantFrom(2 ** 32, 2 ** 32 + 1, 2 ** 53 - 1, 0xffffffff),
      fc.integer({ min: 0, max: 12 }),
    ),
  }),
  fc.record({
    kind: fc.constant("add" as const),
    path: fc.constantFrom(
      "\\REGISTRY\\MACHINE\\SYSTEM\\CurrentControlSet",
      "\\REGISTRY\\MACHINE\\HARDWARE",
      "\\REGISTRY\\MACHINE\\SYSTEM\\ControlSet001\\Hardware Profiles\\Current",
      "\\REGISTRY\\MACHINE\\SYSTEM\\ControlSet002",
      "\\REGISTRY\\MACHINE\\SOFTWARE\\" + "n".repeat(256),
    ),
  }),
);

function editHive(json: HiveJson, e: HiveEdit): HiveJson {
  const keys = json.keys;
  // Key 0 is \REGISTRY itself: edits pick among the others.
  const pick = (at: number) => 1 + (at % (keys.length - 1));
  if (keys.length < 2) return json;
  switch (e.kind) {
    case "dropKey":
      keys.splice(pick(e.at), 1);
      break;
    case "dropSubtree": {
      const path = keys[pick(e.at)]!.path.toUpperCase();
      json.keys = keys.filter((k) => {
        const p = k.path.toUpperCase();
        return p !== path && !p.startsWith(path + "\\");
      });
      break;
    }
    case "duplicate": {
      const key = keys[pick(e.at)]!;
      const path = {
        slash: key.path + "\\",
        lower: key.path.toLowerCase(),
        upper: key.path.toUpperCase(),
        double: key.path.replace(/\\(?=[^\\]*$)/, "\\\\"),
      }[e.variant];
      keys.push({ ...key, path });
      break;
    }
    case "select": {
      const select = keys.find((k) => /\\SYSTEM\\Select$/i.test(k.path));
      if (!select) break;
      const others = select.values.filter((v) => v.name !== "Current");
      select.values = e.to === null
        ? others
        : [...others, { name: "Current", type: 4, data: e.to }];
      break;
    }
    case "type": {
      const withValues = keys.filter((k) => k.values.length);
      const key = withValues[e.at % withValues.length];
      if (key) key.values[0]!.type = e.type;
      break;
    }
    case "add":
      keys.push({ path: e.path, lastWrite: 0, class: "", allowed: 983103, values: [] } as never);
      break;
  }
  return json;
}

Deno.test("structural hive edits (keys dropped, listed twice in another case or with a trailing backslash, Select\\Current changed, out-of-range types, boot-made keys saved): boot refuses with HiveLoadError or boots a machine that loses nothing across save and boot", () => {
  withDir((dir) => {
    let refused = 0;
    let booted = 0;
    fc.assert(
      fc.property(fc.array(HIVE_EDIT, { minLength: 1, maxLength: 3 }), (edits) => {
        const json = edits.reduce(editHive, savedHive());
        const r = bootFrom(json, dir);
        if (r instanceof HiveLoadError) {
          refused++;
          for (const e of r.errors) assert.ok(e.line >= 1 && e.column >= 1, e.message);
          return;
        }
        booted++;
        // What the machine accepted exports, and what PnP writes survives a save and a boot.
        r.registry.exportReg("HKLM");
        r.registry.exportReg("HKU");
        r.plugIn("PT\\SURVIVOR");
        const enumKey = "HKLM\\SYSTEM\\CurrentControlSet\\Enum\\PT\\SURVIVOR";
        assert.ok(r.registry.exists(enumKey));
        r.saveHive();
        const again = boot({ hiveFile: `${dir}/hive.json` });
        assert.ok(again.registry.exists(enumKey), "the device's Enum key was lost across a boot");
        assert.equal(exported(again), exported(r));
      }),
      { seed: fuzzSeed(), numRuns: fuzzRuns(150) },
    );
    assert.ok(refused > 0 && booted > 0, `refused ${refused}, booted ${booted}`);
  });
});

// ---- .reg import: links crossed, all or nothing --------------------------------------------------------

/** A machine with a link made by REG_OPTION_CREATE_LINK and never given a target, and one whose target is gone. */
function machineWithLinks(): Machine {
  const m = boot();
  const k = m.kernel;
  const dangling = k.ZwCreateKey(
    KEY_ALL_ACCESS,
    `${SOFTWARE}\\NoTarget`,
    0,
    null,
    REG_OPTION_CREATE_LINK,
  );
  assert.equal(dangling.status, STATUS_SUCCESS);
  k.ZwClose(dangling.keyHandle);
  const gone = k.ZwCreateKey(
    KEY_ALL_ACCESS,
    `${SOFTWARE}\\ToGone`,
    0,
    null,
    REG_OPTION_CREATE_LINK,
  );
  const target = `${SOFTWARE}\\Target`.toUpperCase();
  assert.equal(
    k.ZwSetValueKey(gone.keyHandle, "SymbolicLinkValue", 0, REG_LINK, target),
    STATUS_SUCCESS,
  );
  k.ZwClose(gone.keyHandle);
  m.registry.createKey("HKLM\\SOFTWARE\\Target\\Inside");
  const good = k.ZwCreateKey(
    KEY_ALL_ACCESS,
    `${SOFTWARE}\\ToTarget`,
    0,
    null,
    REG_OPTION_CREATE_LINK,
  );
  k.ZwSetValueKey(good.keyHandle, "SymbolicLinkValue", 0, REG_LINK, target);
  k.ZwClose(good.keyHandle);
  return m;
}

Deno.test("issue 14: a .reg import whose later key crosses a REG_OPTION_CREATE_LINK key without a target is refused with that line, and its earlier keys are not created", () => {
  const m = machineWithLinks();
  const before = exported(m);
  const text = H +
    "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Earlier]\r\n" +
    '"A"="1"\r\n\r\n' +
    "[HKEY_LOCAL_MACHINE\\SOFTWARE\\NoTarget\\Below]\r\n";
  const r = m.registry.importReg(text);
  assert.equal(r.errors.length, 1);
  assert.equal(r.errors[0]!.line, 6);
  assert.match(r.errors[0]!.message, /link .*NoTarget.* has no target/);
  assert.equal(m.registry.exists("HKLM\\SOFTWARE\\Earlier"), false);
  assert.equal(exported(m), before);
});

Deno.test("issue 14: a .reg import crossing a link whose target the same file deleted, or that never existed, is refused whole", () => {
  const m = machineWithLinks();
  const before = exported(m);
  const text = H +
    "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Earlier]\r\n\r\n" +
    "[-HKEY_LOCAL_MACHINE\\SOFTWARE\\Target]\r\n\r\n" +
    "[HKEY_LOCAL_MACHINE\\SOFTWARE\\ToTarget\\Inside]\r\n";
  const r = m.registry.importReg(text);
  assert.deepEqual(r.errors.map((e) => e.line), [7]);
  assert.match(r.errors[0]!.message, /points at .*TARGET', which does not exist/);
  assert.equal(exported(m), before);
  // Through the link whose target is there, the same key imports, at the target.
  assert.deepEqual(
    m.registry.importReg(H + "[HKEY_LOCAL_MACHINE\\SOFTWARE\\ToTarget\\Made]\r\n").errors,
    [],
  );
  assert.equal(m.registry.exists("HKLM\\SOFTWARE\\Target\\Made"), true);
});

/** One line of a generated `.reg` file: keys under SOFTWARE that may cross the links. */
const REG_PATH = fc.array(
  fc.constantFrom("NoTarget", "ToGone", "ToTarget", "Target", "Inside", "New", "x", "NEW"),
  { minLength: 1, maxLength: 4 },
).map((parts) => "HKEY_LOCAL_MACHINE\\SOFTWARE\\" + parts.join("\\"));

const REG_LINE = fc.oneof(
  REG_PATH.map((p) => `[${p}]`),
  { arbitrary: REG_PATH.map((p) => `[-${p}]`), weight: 1 },
  fc.constantFrom('"V"="text"', '"V"=-', "@=dword:00000007", '"M"=hex(7):61,00,00,00,00,00'),
);

Deno.test("generated .reg files crossing link keys, dangling links and keys deleted earlier in the file: an import either applies every line or changes nothing", () => {
  let applied = 0;
  let refused = 0;
  fc.assert(
    fc.property(fc.array(REG_LINE, { minLength: 1, maxLength: 12 }), (lines) => {
      const m = machineWithLinks();
      const before = exported(m);
      const text = H + lines.join("\r\n") + "\r\n";
      const r = m.registry.importReg(text);
      if (r.errors.length) {
        refused++;
        for (const e of r.errors) assert.ok(e.line >= 3 && e.line <= lines.length + 2, e.message);
        assert.equal(exported(m), before, "a refused import changed the registry");
        return;
      }
      applied++;
      // Applied completely: the last word on each key is what the registry now says.
      const last = new Map<string, boolean>();
      for (const line of lines) {
        const k = /^\[(-?)(.*)\]$/.exec(line);
        if (k) {
          const up = k[2]!.toUpperCase();
          for (const p of [...last.keys()]) {
            if (k[1] && (p === up || p.startsWith(up + "\\"))) last.set(p, false);
          }
          if (!k[1]) {
            const parts = k[2]!.split("\\");
            for (let i = 3; i <= parts.length; i++) {
              last.set(parts.slice(0, i).join("\\").toUpperCase(), true);
            }
          }
        }
      }
      for (const [path, exists] of last) {
        // A path through a link lands on the target; only paths without links are compared.
        if (/NOTARGET|TOGONE|TOTARGET|\\TARGET/.test(path)) continue;
        assert.equal(m.registry.exists(path), exists, path);
      }
    }),
    { seed: fuzzSeed(), numRuns: fuzzRuns(300) },
  );
  assert.ok(applied > 0 && refused > 0, `applied ${applied}, refused ${refused}`);
});

// ---- Round trip: what is accepted exports and imports back -------------------------------------------

Deno.test("issue 14: ZwSetValueKey of REG_MULTI_SZ ['a\\0b'] stores the bytes the caller's buffer holds (the list a, b), which export and import back byte for byte", () => {
  // There is no string array in Windows: ZwSetValueKey stores the caller's buffer, and a NUL ends
  // a string of a REG_MULTI_SZ ("Registry value types"), so a\0b\0\0 is the list a, b.
  const m = boot();
  const k = m.kernel;
  const { keyHandle } = k.ZwCreateKey(KEY_ALL_ACCESS, `${SOFTWARE}\\Multi`);
  assert.equal(k.ZwSetValueKey(keyHandle, "m", 0, REG_MULTI_SZ, ["a\0b"]), STATUS_SUCCESS);
  assert.equal(k.ZwSetValueKey(keyHandle, "s", 0, REG_SZ, "a\0b"), STATUS_SUCCESS);
  k.ZwClose(keyHandle);
  assert.deepEqual(m.registry.getValue("HKLM\\SOFTWARE\\Multi", "m")?.data, ["a", "b"]);
  const text = m.registry.exportReg("HKLM\\SOFTWARE\\Multi");
  const fresh = boot();
  assert.deepEqual(fresh.registry.importReg(text).errors, []);
  assert.deepEqual(observed(fresh, `${SOFTWARE}\\Multi`, "m"), {
    Type: REG_MULTI_SZ,
    DataLength: 10,
    Data: ["a", "b"],
  });
  // A REG_SZ is written as regedit writes it: quoted up to its first NUL (Wine reg/tests/export.c
  // embedded_null_test, which passes on Windows).
  assert.match(text, /"s"="a"\r\n/);
});

/** Data in every JS form, including the awkward ones: NULs inside strings, empty lists, odd sizes. */
const DATA = fc.oneof(
  fc.integer({ min: -0x80000000, max: 0xffffffff }),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n - 1n }),
  fc.string({ maxLength: 6, unit: fc.constantFrom("a", "\0", "\\", '"', "é", "\r", "\n") }),
  fc.array(fc.string({ minLength: 1, maxLength: 4, unit: fc.constantFrom("a", "\0", "ß") }), {
    maxLength: 3,
  }),
  fc.uint8Array({ maxLength: 9 }),
);

const TYPE = fc.oneof(
  fc.integer({ min: 0, max: 12 }),
  fc.constantFrom(0xffffffff, 0x100, 2 ** 32, -1, 1.5, Number.NaN),
);

/**
 * What a `.reg` round trip keeps of a value: everything, except that regedit writes a REG_SZ as
 * quoted text up to its first NUL (Wine reg/tests/export.c embedded_null_test), which imports back
 * as that text with one NUL; the model writes one whose text has a line break as hex(1) bytes.
 */
function afterRegedit(value: unknown): unknown {
  const v = value as { Type: number; DataLength: number; Data: unknown };
  if (v.Type !== REG_SZ) return v;
  let text = "";
  if (typeof v.Data === "string") text = v.Data;
  else {
    const bytes = v.Data as Uint8Array;
    for (let i = 0; i + 1 < bytes.length; i += 2) {
      text += String.fromCharCode(bytes[i]! | (bytes[i + 1]! << 8));
    }
    text = text.split("\0")[0]!;
  }
  // A string with a line break cannot sit in quotes: it goes out as its exact bytes in hex(1).
  if (/[\r\n]/.test(text)) return v;
  return { Type: v.Type, DataLength: (text.length + 1) * 2, Data: text };
}

Deno.test("values of every type number and data form: what ZwSetValueKey accepts exports, imports into a fresh machine and saves and boots back with the same bytes (REG_SZ up to its first NUL, as regedit writes it)", () => {
  withDir((dir) => {
    let accepted = 0;
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            name: fc.string({ maxLength: 5, unit: fc.constantFrom("n", "N", "\\", '"', "=", "@") }),
            type: TYPE,
            data: DATA,
            size: fc.option(fc.nat(12), { nil: undefined }),
          }),
          { minLength: 1, maxLength: 4 },
        ),
        (values) => {
          const m = boot({ hiveFile: `${dir}/rt.json` });
          const k = m.kernel;
          const { keyHandle } = k.ZwCreateKey(KEY_ALL_ACCESS, `${SOFTWARE}\\RoundTrip`);
          const stored = new Set<string>();
          for (const v of values) {
            const status = k.ZwSetValueKey(keyHandle, v.name, 0, v.type, v.data, v.size);
            assert.ok(
              status === STATUS_SUCCESS || status === STATUS_INVALID_PARAMETER,
              String(status),
            );
            if (status === STATUS_SUCCESS) {
              accepted++;
              // A name is found case-insensitively: the first spelling stays.
              const existing = [...stored].find((n) => n.toUpperCase() === v.name.toUpperCase());
              stored.add(existing ?? v.name);
            }
          }
          k.ZwClose(keyHandle);
          const path = `${SOFTWARE}\\RoundTrip`;
          const text = m.registry.exportReg("HKLM\\SOFTWARE\\RoundTrip");
          const fresh = boot();
          assert.deepEqual(fresh.registry.importReg(text).errors, []);
          m.saveHive();
          const rebooted = boot({ hiveFile: `${dir}/rt.json` });
          Deno.removeSync(`${dir}/rt.json`);
          for (const name of stored) {
            const value = observed(m, path, name);
            assert.deepEqual(observed(fresh, path, name), afterRegedit(value), name);
            assert.deepEqual(observed(rebooted, path, name), value, name);
          }
          // A second export is the same text: the .reg form is a fixed point.
          assert.equal(fresh.registry.exportReg("HKLM\\SOFTWARE\\RoundTrip"), text);
        },
      ),
      { seed: fuzzSeed(), numRuns: fuzzRuns(300) },
    );
    assert.ok(accepted > 0);
  });
});

// ---- Registry element size limits -----------------------------------------------------------------------

/** How each way of making keys answers a path: made, or refused. */
function makeWithZw(m: Machine, parts: string[]): boolean {
  const k = m.kernel;
  let r = k.ZwOpenKey(KEY_ALL_ACCESS, SOFTWARE);
  for (const part of parts) {
    const next = k.ZwCreateKey(KEY_ALL_ACCESS, { ObjectName: part, RootDirectory: r.keyHandle! });
    k.ZwClose(r.keyHandle);
    if (next.status !== STATUS_SUCCESS) {
      assert.equal(next.status, STATUS_INVALID_PARAMETER);
      return false;
    }
    r = next;
  }
  k.ZwClose(r.keyHandle);
  return true;
}

function makeWithHost(m: Machine, parts: string[]): boolean {
  try {
    m.registry.createKey(`HKLM\\SOFTWARE\\${parts.join("\\")}`);
    return true;
  } catch (e) {
    assert.ok(e instanceof TypeError);
    assert.match(e.message, /Registry element size limits/);
    return false;
  }
}

function makeWithReg(m: Machine, parts: string[]): boolean {
  const r = m.registry.importReg(`${H}[HKEY_LOCAL_MACHINE\\SOFTWARE\\${parts.join("\\")}]\r\n`);
  for (const e of r.errors) {
    assert.equal(e.line, 3);
    assert.match(e.message, /Registry element size limits/);
  }
  return r.errors.length === 0;
}

function makeWithHive(m: Machine, parts: string[], dir: string): boolean {
  const json = savedHive();
  let path = "\\REGISTRY\\MACHINE\\SOFTWARE";
  for (const part of parts) {
    path += "\\" + part;
    json.keys.push({ path, lastWrite: 0, class: "", allowed: 983103, values: [] } as never);
  }
  const r = bootFrom(json, dir);
  if (r instanceof HiveLoadError) {
    assert.match(r.message, /Registry element size limits/);
    return false;
  }
  return r.registry.exists(`HKLM\\SOFTWARE\\${parts.join("\\")}`) && m !== undefined;
}

Deno.test("issue 14: a 256-character key name is refused by ZwCreateKey (STATUS_INVALID_PARAMETER), the host view, .reg import and hive files; 255 is accepted (Registry element size limits)", () => {
  withDir((dir) => {
    for (const [length, ok] of [[255, true], [256, false]] as const) {
      const parts = ["n".repeat(length)];
      assert.equal(makeWithZw(boot(), parts), ok);
      assert.equal(makeWithHost(boot(), parts), ok);
      assert.equal(makeWithReg(boot(), parts), ok);
      assert.equal(makeWithHive(boot(), parts, dir), ok);
    }
  });
});

Deno.test("issue 14: a path more than 512 levels deep is refused everywhere keys are made; a 16 KB .reg file with one key 8,000 levels deep is refused without exhausting memory", () => {
  withDir((dir) => {
    // \Registry\Machine\SOFTWARE is level 2: 510 more levels reach the limit.
    for (const [levels, ok] of [[510, true], [511, false]] as const) {
      const parts = Array.from({ length: levels }, () => "d");
      assert.equal(makeWithZw(boot(), parts), ok, `Zw ${levels}`);
      assert.equal(makeWithHost(boot(), parts), ok, `host ${levels}`);
      assert.equal(makeWithReg(boot(), parts), ok, `.reg ${levels}`);
      assert.equal(makeWithHive(boot(), parts, dir), ok, `hive ${levels}`);
    }
    const m = boot();
    const before = Deno.memoryUsage().heapUsed;
    const r = m.registry.importReg(
      `${H}[HKEY_LOCAL_MACHINE\\SOFTWARE\\${"k\\".repeat(8000)}k]\r\n`,
    );
    assert.equal(r.errors.length, 1);
    assert.ok(Deno.memoryUsage().heapUsed - before < 200e6);
  });
});

Deno.test("issue 14: memory per key does not grow with its depth: ZwCreateKey chains 500 deep cost about what as many sibling keys cost (the trace's paths share their text)", () => {
  const grow = (deep: boolean) => {
    const m = boot();
    const k = m.kernel;
    const before = Deno.memoryUsage().heapUsed;
    for (let chain = 0; chain < 8; chain++) {
      let r = k.ZwCreateKey(KEY_ALL_ACCESS, `${SOFTWARE}\\Chain${chain}`);
      for (let i = 0; i < 500; i++) {
        const parent = deep
          ? r.keyHandle
          : k.ZwOpenKey(KEY_ALL_ACCESS, `${SOFTWARE}\\Chain${chain}`).keyHandle;
        const next = k.ZwCreateKey(KEY_ALL_ACCESS, { ObjectName: `k${i}`, RootDirectory: parent! });
        assert.equal(next.status, STATUS_SUCCESS);
        if (!deep) k.ZwClose(parent);
        k.ZwClose(r.keyHandle);
        r = next;
      }
      k.ZwClose(r.keyHandle);
    }
    const used = Deno.memoryUsage().heapUsed - before;
    assert.ok(m.trace.length > 8000);
    return used;
  };
  const flat = grow(false);
  const deep = grow(true);
  // Before the fix the deep chains held every level's path again for each key: about 60 MB here.
  assert.ok(deep < Math.max(3 * flat, 20e6), `deep ${deep} bytes, flat ${flat} bytes`);
});

Deno.test("generated key names and depths around the limits: ZwCreateKey, the host view, .reg import and hive files all make the same keys and refuse the same ones", () => {
  withDir((dir) => {
    fc.assert(
      fc.property(
        fc.integer({ min: 250, max: 260 }),
        fc.integer({ min: 505, max: 515 }),
        fc.boolean(),
        (length, levels, longLast) => {
          const parts = Array.from({ length: levels - 2 }, () => "d");
          parts.push(longLast ? "n".repeat(length) : "n");
          const expected = makeWithZw(boot(), parts);
          // \Registry\Machine\SOFTWARE is level 2.
          assert.equal(expected, (!longLast || length <= 255) && 2 + parts.length <= 512);
          assert.equal(makeWithHost(boot(), parts), expected, "host");
          assert.equal(makeWithReg(boot(), parts), expected, ".reg");
          assert.equal(makeWithHive(boot(), parts, dir), expected, "hive");
        },
      ),
      // Each input boots four machines: it counts as a sequence, not as one loader input.
      { seed: fuzzSeed(), numRuns: fuzzSequences(25) },
    );
  });
});

/** A value line of a `.reg` file, in every form regedit writes and some it only reads. */
const REG_VALUE_LINE = fc.tuple(
  fc.oneof(
    fc.constant("@"),
    fc.string({ maxLength: 4, unit: fc.constantFrom("v", "V", "\\\\", '\\"', "=", " ") })
      .map((n) => `"${n}"`),
  ),
  fc.oneof(
    fc.string({ maxLength: 5, unit: fc.constantFrom("a", "\\\\", '\\"', "é", " ") })
      .map((t) => `"${t}"`),
    fc.integer({ min: 0, max: 0xffffffff }).map((n) => `dword:${n.toString(16)}`),
    fc.tuple(
      fc.oneof(
        fc.constant("hex:"),
        fc.integer({ min: 0, max: 0x1ff }).map((t) => `hex(${t.toString(16)}):`),
      ),
      fc.uint8Array({ maxLength: 12 }),
    ).map(([tag, bytes]) => tag + [...bytes].map((b) => b.toString(16).padStart(2, "0")).join(",")),
  ),
).map(([name, data]) => `${name}=${data}`);

Deno.test("generated .reg values of every type and form: what importReg accepts exports, and that export imports into a fresh machine and exports again to the same text", () => {
  let accepted = 0;
  fc.assert(
    fc.property(fc.array(REG_VALUE_LINE, { minLength: 1, maxLength: 6 }), (lines) => {
      const text = H + "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Typed]\r\n" + lines.join("\r\n") + "\r\n";
      const m = boot();
      if (m.registry.importReg(text).errors.length) return;
      accepted++;
      const out = m.registry.exportReg("HKLM\\SOFTWARE\\Typed");
      const fresh = boot();
      assert.deepEqual(fresh.registry.importReg(out).errors, []);
      assert.equal(fresh.registry.exportReg("HKLM\\SOFTWARE\\Typed"), out);
      for (const name of m.registry.valueNames("HKLM\\SOFTWARE\\Typed")) {
        assert.deepEqual(
          observed(fresh, `${SOFTWARE}\\Typed`, name),
          afterRegedit(observed(m, `${SOFTWARE}\\Typed`, name)),
          name,
        );
      }
    }),
    { seed: fuzzSeed(), numRuns: fuzzRuns(300) },
  );
  assert.ok(accepted > 0);
});
