/**
 * The two front ends of the scenario DSL against README: Scenarios: a fluent `scenario(...)` body
 * and its YAML file compile to the same steps and so produce the same trace; a broken scenario
 * fails with a message that names the step (and, for YAML, the file, line and column);
 * `parseScenario` reports every problem at once, 1-based, with "did you mean"; and a wrong chain
 * does not type-check (STYLE.md, "Typed fluent builders").
 */
import assert from "node:assert/strict";
import { scenario, type ScenarioContext } from "../dsl/fluent.ts";
import type { ScenarioResult } from "../dsl/runner.ts";
import { runScenarioData } from "../dsl/runner.ts";
import { parseScenario, runScenarioFile } from "../dsl/yaml.ts";

const root = new URL("../scenarios/", import.meta.url).pathname;

const RUNONCE = "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\RunOnce";
const TOASTER_01 = "{B85B7C50-6A01-11d2-B841-00C04FAD5171}\\MsToaster\\1&cecf6205&01";
const CCS = "HKLM\\SYSTEM\\CurrentControlSet";

/** The failures as text, for assertion messages. */
function failuresOf(r: ScenarioResult): string {
  return r.failures.map((f) =>
    `${f.file ?? ""}:${f.line ?? ""}:${f.column ?? ""} ${f.message.split("\n")[0]}`
  ).join("\n");
}

// ---- (a) The fluent and YAML forms of a scenario give byte-identical traces -----------------------

interface Twin {
  file: string;
  body: (ctx: ScenarioContext) => void;
  options?: Parameters<typeof scenario>[2];
}

const TWINS: Twin[] = [
  {
    file: "registry/volatile-keys-across-reboot.yaml",
    body: ({ call, expectStatus, registry, reboot }) => {
      const key = (name: string) => `\\Registry\\Machine\\SOFTWARE\\${name}`;
      call("ZwCreateKey", ["KEY_ALL_ACCESS", key("Widget"), 0, null, "REG_OPTION_NON_VOLATILE"], {
        id: "sw",
      });
      expectStatus("STATUS_SUCCESS");
      call(
        "ZwCreateKey",
        ["KEY_ALL_ACCESS", key("Widget\\Settings"), 0, null, "REG_OPTION_NON_VOLATILE"],
        { id: "settings" },
      );
      expectStatus("STATUS_SUCCESS");
      call("ZwSetValueKey", ["settings.keyHandle", "Mode", 0, "REG_DWORD", 1]);
      call(
        "ZwCreateKey",
        ["KEY_ALL_ACCESS", key("Widget\\RunState"), 0, null, "REG_OPTION_VOLATILE"],
        { id: "state" },
      );
      expectStatus("STATUS_SUCCESS");
      call("ZwSetValueKey", ["state.keyHandle", "OpenCount", 0, "REG_DWORD", 3]);
      registry.expect("HKLM\\SOFTWARE\\Widget\\RunState", undefined, { volatile: true });
      registry.expect("HKLM\\SOFTWARE\\Widget\\Settings", undefined, { volatile: false });
      call("ZwCreateKey", [
        "KEY_ALL_ACCESS",
        key("Widget\\RunState\\Saved"),
        0,
        null,
        "REG_OPTION_NON_VOLATILE",
      ]);
      expectStatus("STATUS_CHILD_MUST_BE_VOLATILE");
      registry.expect("HKLM\\SOFTWARE\\Widget\\RunState\\Saved", undefined, { exists: false });
      call("ZwCreateKey", [
        "KEY_ALL_ACCESS",
        key("Widget\\RunState\\Session"),
        0,
        null,
        "REG_OPTION_VOLATILE",
      ]);
      expectStatus("STATUS_SUCCESS");
      registry.expect("HKLM\\SOFTWARE\\Widget\\RunState\\Session", undefined, { volatile: true });
      reboot();
      registry.expect("HKLM\\SOFTWARE\\Widget\\RunState", undefined, { exists: false });
      registry.expect("HKLM\\SOFTWARE\\Widget\\RunState\\Session", undefined, { exists: false });
      registry.expect("HKLM\\SOFTWARE\\Widget\\Settings", "Mode", { type: "REG_DWORD", data: 1 });
    },
  },
  {
    file: "interfaces/enable-disable-status-codes.yaml",
    body: ({ driver, listen, device, expectStatus, expectInterfaces }) => {
      driver({
        name: "widget",
        hardwareIds: ["ROOT\\WIDGET"],
        interfaces: ["GUID_DEVINTERFACE_COMPORT"],
        enableOnStart: false,
      });
      const mon = listen.interfaces("GUID_DEVINTERFACE_COMPORT", { id: "mon" });
      const port = device("ROOT\\WIDGET").registerInterface("GUID_DEVINTERFACE_COMPORT");
      expectStatus("STATUS_OBJECT_NAME_EXISTS");
      mon.expectNoMore();
      port.enable();
      expectStatus("STATUS_SUCCESS");
      port.enable();
      expectStatus("STATUS_OBJECT_NAME_EXISTS");
      mon.expect(["ARRIVAL"]);
      port.expectArrival().disable();
      expectStatus("STATUS_SUCCESS");
      port.disable();
      expectStatus("STATUS_OBJECT_NAME_NOT_FOUND");
      mon.expect(["REMOVAL"]);
      port.expectRemoval();
      expectInterfaces("GUID_DEVINTERFACE_COMPORT", 0);
      expectInterfaces("GUID_DEVINTERFACE_COMPORT", 1, { includeNonActive: true });
    },
  },
  {
    file: "runonce/safe-mode.yaml",
    body: ({ command, registry, reboot }) => {
      command("rundll32", true);
      registry.set(RUNONCE, "Normal", "REG_SZ", "rundll32.exe toaster.dll,FinishSetup");
      registry.set(RUNONCE, "Forced", "REG_SZ", "*rundll32.exe toaster.dll,Repair");
      reboot({ safeMode: true });
      registry.expect(RUNONCE, "Forced", { exists: false });
      registry.expect(RUNONCE, "Normal", { data: "rundll32.exe toaster.dll,FinishSetup" });
      reboot();
      registry.expect(RUNONCE, "Normal", { exists: false });
    },
  },
  {
    file: "removal/query-remove-vetoed-by-driver.yaml",
    body: ({ driver, device, listen, expectStatus, expectInterfaces }) => {
      driver({
        name: "busy",
        hardwareIds: ["ROOT\\BUSYDISK"],
        interfaces: ["GUID_DEVINTERFACE_DISK"],
        vetoQueryRemove: true,
      });
      const disk = device("ROOT\\BUSYDISK");
      const mon = listen.target(disk, { id: "mon" });
      disk.requestRemoval();
      expectStatus("STATUS_UNSUCCESSFUL");
      disk.expectIrps(["QUERY_REMOVE_DEVICE", "CANCEL_REMOVE_DEVICE"]);
      mon.expect(["QUERY_REMOVE", "REMOVE_CANCELLED"]);
      disk.expectState("Started");
      expectInterfaces("GUID_DEVINTERFACE_DISK", 1);
    },
  },
  {
    file: "toaster/s09-disable-enable.yaml",
    options: { example: true },
    body: ({ name, listen, expectStatus, registry, expectInterfaces }) => {
      const t1 = name("t1", TOASTER_01);
      const notify = listen.interfaces("GUID_DEVINTERFACE_TOASTER", { id: "notify" });
      t1.expectStack(["ToasterFilter", "toaster", "busenum"]).disableDevice();
      expectStatus("STATUS_SUCCESS");
      t1.expectIrps(["QUERY_REMOVE_DEVICE", "REMOVE_DEVICE"])
        .expectState("Removed", "CM_PROB_DISABLED")
        .expectStack(["busenum"]);
      notify.expect(["REMOVAL"]);
      registry.expect(`${CCS}\\Enum\\${TOASTER_01}`, "ConfigFlags", { data: 1 });
      expectInterfaces("GUID_DEVINTERFACE_TOASTER", 1);
      expectInterfaces("GUID_DEVINTERFACE_TOASTER", 2, { includeNonActive: true });
      t1.enableDevice();
      expectStatus("STATUS_SUCCESS");
      t1.expectIrps(["START_DEVICE"])
        .expectState("Started", "none")
        .expectStack(["ToasterFilter", "toaster", "busenum"]);
      notify.expect(["ARRIVAL"]);
      registry.expect(`${CCS}\\Enum\\${TOASTER_01}`, "ConfigFlags", { data: 0 });
      expectInterfaces("GUID_DEVINTERFACE_TOASTER", 2);
    },
  },
  {
    file: "lifecycle/filter-stack-order.yaml",
    body: ({ driver, registry, device }) => {
      for (const name of ["devlowerA", "devlowerB", "devupperA", "devupperB", "clslower"]) {
        driver({ name });
      }
      driver({ name: "clsupper" });
      driver({
        name: "disk",
        hardwareIds: ["ROOT\\SAMPLEDISK"],
        classGuid: "{4d36e967-e325-11ce-bfc1-08002be10318}",
        className: "DiskDrive",
        upperFilters: ["clsupper"],
        lowerFilters: ["clslower"],
      });
      const enumKey = `${CCS}\\Enum\\ROOT\\SAMPLEDISK\\0`;
      registry.set(enumKey, "UpperFilters", "REG_MULTI_SZ", ["devupperA", "devupperB"]);
      registry.set(enumKey, "LowerFilters", "REG_MULTI_SZ", ["devlowerA", "devlowerB"]);
      device("ROOT\\SAMPLEDISK").expectState("Started").expectStack([
        "clsupper",
        "devupperB",
        "devupperA",
        "disk",
        "clslower",
        "devlowerB",
        "devlowerA",
        "PnpManager",
      ]);
      registry.expect(
        `${CCS}\\Control\\Class\\{4d36e967-e325-11ce-bfc1-08002be10318}`,
        "UpperFilters",
        { type: "REG_MULTI_SZ", data: ["clsupper"] },
      );
      registry.expect(`${CCS}\\Services\\devupperB`, "Start", { data: 3 });
      registry.expect(`${CCS}\\Services\\clslower`, "Type", { data: 1 });
    },
  },
  {
    file: "notifications/custom-target-events.yaml",
    body: ({ driver, device, app, listen, expectStatus }) => {
      const custom = "{8d6a6c2e-1b1a-4c59-9f2b-2d4c6b7a9e01}";
      driver({
        name: "volume",
        hardwareIds: ["ROOT\\VOLUME"],
        interfaces: ["GUID_DEVINTERFACE_VOLUME"],
      });
      const vol = device("ROOT\\VOLUME");
      const v = vol.registerInterface("GUID_DEVINTERFACE_VOLUME");
      const explorer = app("explorer");
      v.open({ app: "explorer", id: "h" });
      const mon = listen.target(vol, { id: "mon" });
      vol.customEvent(custom);
      expectStatus("STATUS_SUCCESS");
      explorer.expectMessages(["DBT_CUSTOMEVENT"]);
      mon.expect(["CUSTOM"]);
      vol.customEvent(custom, { asynchronous: true });
      expectStatus("STATUS_PENDING");
      explorer.expectMessages(["DBT_CUSTOMEVENT"]);
      mon.expect(["CUSTOM"]);
      vol.customEvent("GUID_TARGET_DEVICE_QUERY_REMOVE");
      expectStatus("STATUS_INVALID_DEVICE_REQUEST");
      vol.customEvent("GUID_TARGET_DEVICE_REMOVE_COMPLETE", { asynchronous: true });
      expectStatus("STATUS_INVALID_DEVICE_REQUEST");
      explorer.expectMessages([]);
      mon.expectNoMore();
      vol.expectState("Started");
    },
  },
];

for (const twin of TWINS) {
  Deno.test(`the fluent and YAML forms of ${twin.file} produce the same trace (README: Scenarios)`, async () => {
    const yaml = await runScenarioFile(`${root}${twin.file}`);
    const fluent = await scenario(yaml.title, twin.body, twin.options);
    assert.ok(yaml.passed, failuresOf(yaml));
    assert.ok(fluent.passed, failuresOf(fluent));
    assert.ok(yaml.trace.length > 0);
    assert.equal(JSON.stringify(fluent.trace), JSON.stringify(yaml.trace));
  });
}

// ---- (b) A broken scenario fails with the step's name and, for YAML, file:line:column ------------

/** Copies a scenario file with one edit, runs the copy from a temporary file, returns both. */
async function runBroken(
  file: string,
  from: string,
  to: string,
): Promise<{ result: ScenarioResult; path: string; text: string }> {
  const original = await Deno.readTextFile(`${root}${file}`);
  assert.equal(original.split(from).length, 2, `'${from}' occurs exactly once in ${file}`);
  const text = original.replace(from, to);
  const dir = await Deno.makeTempDir({ prefix: "pnplab_dsl_test_" });
  const path = `${dir}/${file.replaceAll("/", "_")}`;
  await Deno.writeTextFile(path, text);
  try {
    return { result: await runScenarioFile(path), path, text };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** The 1-based line and column where `needle` starts in `text` (it must occur once). */
function positionOf(text: string, needle: string): { line: number; column: number } {
  const at = text.indexOf(needle);
  assert.ok(at >= 0 && text.indexOf(needle, at + 1) < 0, `'${needle}' occurs exactly once`);
  const before = text.slice(0, at).split("\n");
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

Deno.test("a misspelt step is reported at its key with 'did you mean' (yaml.ts)", async () => {
  const { result, path, text } = await runBroken(
    "interfaces/enable-disable-status-codes.yaml",
    "  - expectNoMore: mon",
    "  - expectNoMor: mon",
  );
  assert.equal(result.passed, false);
  assert.equal(result.trace.length, 0, "a file with errors runs nothing");
  assert.equal(result.failures.length, 1, failuresOf(result));
  const f = result.failures[0]!;
  assert.equal(f.file, path);
  assert.deepEqual({ line: f.line, column: f.column }, positionOf(text, "expectNoMor:"));
  assert.equal(f.message, "Unknown step 'expectNoMor' (did you mean 'expectNoMore'?)");
});

Deno.test("a wrong GUID name is reported at its value, naming the step's field", async () => {
  const { result, path, text } = await runBroken(
    "removal/query-remove-vetoed-by-driver.yaml",
    "  - expectInterfaces: { guid: GUID_DEVINTERFACE_DISK, count: 1 }",
    "  - expectInterfaces: { guid: GUID_DEVINTERFACE_DSK, count: 1 }",
  );
  assert.equal(result.failures.length, 1, failuresOf(result));
  const f = result.failures[0]!;
  assert.equal(f.file, path);
  assert.deepEqual({ line: f.line, column: f.column }, positionOf(text, "GUID_DEVINTERFACE_DSK"));
  assert.equal(
    f.message,
    "Unknown GUID name 'GUID_DEVINTERFACE_DSK' in 'expectInterfaces.guid' " +
      "(did you mean 'GUID_DEVINTERFACE_DISK'?)",
  );
});

Deno.test("a field of the wrong type is reported at its value, naming the step's field", async () => {
  const { result, path, text } = await runBroken(
    "runonce/safe-mode.yaml",
    "  - reboot: { safeMode: true }",
    "  - reboot: { safeMode: safe please }",
  );
  assert.equal(result.failures.length, 1, failuresOf(result));
  const f = result.failures[0]!;
  assert.equal(f.file, path);
  assert.deepEqual({ line: f.line, column: f.column }, positionOf(text, "safe please"));
  assert.equal(f.message, "'reboot.safeMode' must be true or false");
});

Deno.test("a misspelt field is reported at its key with 'did you mean'", async () => {
  const { result, path, text } = await runBroken(
    "lifecycle/filter-stack-order.yaml",
    "          upperFilters: [clsupper]",
    "          upperFilter: [clsupper]",
  );
  assert.equal(result.failures.length, 1, failuresOf(result));
  const f = result.failures[0]!;
  assert.equal(f.file, path);
  assert.deepEqual({ line: f.line, column: f.column }, positionOf(text, "upperFilter:"));
  assert.equal(f.message, "'driver' has no field 'upperFilter' (did you mean 'upperFilters'?)");
});

Deno.test("a wrong expectation fails at run time with its step, file, line and column", async () => {
  const { result, path, text } = await runBroken(
    "registry/volatile-keys-across-reboot.yaml",
    "      name: Mode,\n      type: REG_DWORD,\n      data: 1,",
    "      name: Mode,\n      type: REG_DWORD,\n      data: 2,",
  );
  assert.equal(result.passed, false);
  assert.ok(result.trace.length > 0, "the scenario ran");
  assert.equal(result.failures.length, 1, failuresOf(result));
  const f = result.failures[0]!;
  assert.equal(f.file, path);
  // The failure points at the step's name: the list item that holds the edited value.
  const stepStart = text.lastIndexOf("\n  - ", text.indexOf("data: 2,")) + 1;
  const before = text.slice(0, stepStart).split("\n");
  assert.deepEqual({ line: f.line, column: f.column }, { line: before.length, column: 5 });
  assert.equal(text.slice(stepStart + 4, stepStart + 18), "expectRegistry");
  // Steps are numbered from 1 in file order.
  const stepNumber = text.slice(0, stepStart).split("\n  - ").length;
  assert.equal(f.step, stepNumber);
  assert.equal(
    f.message.split("\n")[0],
    `Step ${stepNumber} (expectRegistry): Expected 'Mode' = 2, it is 1`,
  );
});

Deno.test("a wrong expectation in a fluent body fails with its step and what the trace shows", async () => {
  const r = await scenario("Driver veto, with the wrong expectation", ({ driver, device }) => {
    driver({ name: "busy", hardwareIds: ["ROOT\\BUSYDISK"], vetoQueryRemove: true });
    device("ROOT\\BUSYDISK").requestRemoval().expectState("Removed");
  });
  assert.equal(r.passed, false);
  assert.equal(r.failures.length, 1, failuresOf(r));
  const f = r.failures[0]!;
  assert.equal(f.step, 4);
  assert.equal(f.file, undefined);
  assert.match(
    f.message,
    /^Step 4 \(expectState\): Expected ROOT\\BUSYDISK\\0 to be Removed, it is Started/,
  );
});

// ---- (c) parseScenario reports every problem at once -----------------------------------------------

Deno.test("parseScenario reports several problems at once, 1-based, with 'did you mean'", () => {
  const text = [
    "title: Several mistakes", // 1
    "teches: typo in a top-level field", // 2
    "steps:", // 3
    "  - plugin: { id: dev, hardwareId: ROOT\\\\X }", // 4
    "  - listen: { id: mon, interfaces: GUID_DEVINTERFACE_TOASTR }", // 5
    "  - expectStatus: STATUS_SUCESS", // 6
    "  - reboot: { safeMode: 1 }", // 7
    "  - setValue: { path: HKLM\\SOFTWARE\\X, name: v, type: REG_DWROD, data: 1 }", // 8
  ].join("\n");
  const { errors, scenario: parsed, scenarios } = parseScenario(text, "broken.yaml");
  assert.equal(parsed, undefined);
  assert.deepEqual(scenarios, []);
  const at = (line: number, token: string) => ({
    line,
    column: text.split("\n")[line - 1]!.indexOf(token) + 1,
    file: "broken.yaml",
  });
  assert.deepEqual(errors.map((e) => ({ line: e.line, column: e.column, file: e.file })), [
    at(2, "teches"),
    at(4, "plugin"),
    at(5, "GUID_DEVINTERFACE_TOASTR"),
    at(6, "STATUS_SUCESS"),
    at(7, "1 }"),
    at(8, "REG_DWROD"),
  ]);
  assert.deepEqual(errors.map((e) => e.line), [2, 4, 5, 6, 7, 8]);
  assert.deepEqual(errors.map((e) => e.column), [1, 5, 36, 19, 25, 55]);
  assert.match(errors[0]!.message, /did you mean 'teaches'/);
  assert.match(errors[1]!.message, /Unknown step 'plugin' \(did you mean 'plugIn'\?\)/);
  assert.match(errors[2]!.message, /did you mean 'GUID_DEVINTERFACE_TOASTER'/);
  assert.match(errors[3]!.message, /did you mean 'STATUS_SUCCESS'/);
  assert.equal(errors[4]!.message, "'reboot.safeMode' must be true or false");
  assert.match(errors[5]!.message, /did you mean 'REG_DWORD'/);
});

Deno.test("parseScenario reports a syntax error with its position and runs nothing", () => {
  const { errors } = parseScenario("title: t\nsteps:\n  - plugIn: { id: a\n", "syntax.yaml");
  assert.ok(errors.length >= 1);
  assert.equal(errors[0]!.file, "syntax.yaml");
  assert.ok(errors[0]!.line >= 3, `line ${errors[0]!.line}`);
  assert.ok(errors[0]!.column >= 1);
});

Deno.test("a scenario the parser accepts runs to the same result as its file", async () => {
  const file = `${root}runonce/safe-mode.yaml`;
  const parsed = parseScenario(await Deno.readTextFile(file), file);
  assert.deepEqual(parsed.errors, []);
  const fromData = runScenarioData(parsed.scenario!);
  const fromFile = await runScenarioFile(file);
  assert.equal(JSON.stringify(fromData.trace), JSON.stringify(fromFile.trace));
});

// ---- (d) A wrong chain does not compile ------------------------------------------------------------

/** Never called: `deno check` (and `deno test`) type-check it. */
function _enableNeedsAnInterface({ device }: ScenarioContext): void {
  // STYLE.md: `device(...).enable()` without an interface must not compile.
  // @ts-expect-error a device has no interface state to enable; registerInterface first
  device("X").enable();
  device("X").registerInterface("GUID_DEVINTERFACE_DISK").enable();
}

Deno.test("the chain device().registerInterface().enable() is the typed way (type-level test above)", () => {
  assert.equal(typeof _enableNeedsAnInterface, "function");
});
