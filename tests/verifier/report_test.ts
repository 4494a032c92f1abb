/**
 * Where a verifier rule is explained to the reader: the REPL's `!analyze` (WinDbg's `!analyze -v`:
 * the rule, the offending call, the documentation page) and the scenario runner's report of a
 * failed scenario (each finding or bug check with the rule's documentation page).
 */
import assert from "node:assert/strict";
import { main } from "../../dsl/cli.ts";
import { runScenarioData } from "../../dsl/runner.ts";
import { Session } from "../../dsl/session.ts";
import { ruleNamed } from "../../lib/verifier/rules.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

function doc(rule: string): string {
  return ruleNamed(rule)!.doc;
}

Deno.test("!analyze after a Driver Verifier bug check (DispatchStatusMismatch, 0xC9 0x224) names the rule, what it checks, the offending IRP completion and the rule's documentation page", async () => {
  const s = new Session({ empty: true });
  s.runner.run({
    step: "driver",
    name: "twofaced",
    hardwareIds: ["ROOT\\TWOFACED"],
    vetoQueryRemove: true,
    misbehave: ["returnWrongStatus"],
  });
  s.runner.run({ step: "plugIn", id: "dev", hardwareId: "ROOT\\TWOFACED" });
  s.runner.run({ step: "requestRemoval", device: "dev" });
  const out = (await s.evaluate("!analyze")).output;
  assert.match(out, /^DRIVER_VERIFIER_IOMANAGER_VIOLATION \(c9\)$/m);
  assert.match(out, /^Arg1: 0000000000000224$/m);
  assert.match(out, /^RULE BROKEN: DispatchStatusMismatch$/m);
  assert.match(
    out,
    /^RULE CHECKS: A dispatch routine completed an IRP but returned .* \(DV, error\)$/m,
  );
  assert.match(
    out,
    /^LAST CALL: .*twofaced!DispatchPnp .*IRP_MN_QUERY_REMOVE_DEVICE completed by .*STATUS_UNSUCCESSFUL/m,
  );
  assert.match(out, /^DOCUMENTATION: Bug Check 0xC9: DRIVER_VERIFIER_IOMANAGER_VIOLATION$/m);
  assert.ok(out.includes(`RULE DOCUMENTATION: ${doc("DispatchStatusMismatch")}`), out);
});

Deno.test("!analyze on a running machine lists each finding with the call before it and its documentation page (warn mode, PnpRemoveNotDetached)", async () => {
  const s = new Session({ empty: true });
  const loaded = (await s.evaluate(`.load ${ROOT}scenarios/verifier/PnpRemoveNotDetached.yaml`))
    .output;
  assert.match(loaded, /All expectations hold/);
  const out = (await s.evaluate("!analyze")).output;
  assert.match(out, /^The machine is running/);
  assert.match(out, /^ {2}PnpRemoveNotDetached \(error\): clingy .* did not call IoDetachDevice/m);
  assert.match(out, /^ {4}at: .*call IoDeleteDevice/m);
  assert.ok(out.includes(`    see: ${doc("PnpRemoveNotDetached")}`), out);
});

Deno.test("a scenario that stops on an unexpected bug check reports the rule and its documentation page", () => {
  const r = runScenarioData({
    title: "unexpected",
    steps: [
      {
        step: "driver",
        name: "clingy",
        hardwareIds: ["ROOT\\CLINGY"],
        misbehave: ["noDetachOnRemove"],
      },
      { step: "plugIn", id: "dev", hardwareId: "ROOT\\CLINGY" },
      { step: "requestRemoval", device: "dev" },
    ],
  });
  assert.equal(r.passed, false);
  const message = r.failures.map((f) => f.message).join("\n");
  assert.match(message, /unexpected bug check: \*\*\* STOP: 0x000000C9/);
  assert.match(message, /Rule PnpRemoveNotDetached \(DV, error\)/);
  assert.ok(message.includes(`see: ${doc("PnpRemoveNotDetached")}`), message);
});

Deno.test("expectNoFinding fails with the finding's message and the rule's documentation page; expectFinding under the strict verifier says the rule stopped the machine instead", () => {
  const driver = {
    step: "driver" as const,
    name: "leaky",
    hardwareIds: ["ROOT\\LEAKY"],
    misbehave: ["leakKeyHandleInDispatch"],
  };
  const r = runScenarioData({
    title: "finding",
    steps: [driver, { step: "plugIn", id: "dev", hardwareId: "ROOT\\LEAKY" }, {
      step: "expectNoFinding",
      rule: "ZwRegistryCreate",
    }],
  });
  const message = r.failures.map((f) => f.message).join("\n");
  assert.match(message, /Expected no verifier finding 'ZwRegistryCreate'/);
  assert.match(message, /leaky!DispatchPnp returned with key handle/);
  assert.ok(message.includes(`see: ${doc("ZwRegistryCreate")}`), message);

  const strict = runScenarioData({
    title: "strict",
    steps: [
      {
        step: "driver",
        name: "clingy",
        hardwareIds: ["ROOT\\CLINGY"],
        misbehave: ["noDetachOnRemove"],
      },
      { step: "plugIn", id: "dev", hardwareId: "ROOT\\CLINGY" },
      { step: "requestRemoval", device: "dev" },
      { step: "expectFinding", rule: "PnpRemoveNotDetached" },
      { step: "expectBugCheck", code: 0xc9, parameter1: 0x21d },
    ],
  });
  const strictMessage = strict.failures.map((f) => f.message).join("\n");
  assert.match(strictMessage, /The rule stopped the machine instead \(verifier mode 'strict'\)/);
});

Deno.test("deno task scenario: a failed scenario's report lists the verifier's findings and bug checks with their documentation pages", async () => {
  const dir = await Deno.makeTempDir();
  const file = `${dir}/forgot.yaml`;
  await Deno.writeTextFile(
    file,
    [
      "title: Forgot the expectation",
      "boot: { verifier: warn }",
      "steps:",
      '  - driver: { name: clingy, hardwareIds: ["ROOT\\\\CLINGY"], misbehave: [noDetachOnRemove] }',
      '  - plugIn: { id: dev, hardwareId: "ROOT\\\\CLINGY" }',
      "  - requestRemoval: dev",
      "  - expectNoFinding: PnpRemoveNotDetached",
      "",
    ].join("\n"),
  );
  const lines: string[] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => lines.push(args.join(" "));
  let code: number;
  try {
    code = await main([file]);
  } finally {
    console.log = log;
    await Deno.remove(dir, { recursive: true });
  }
  const out = lines.join("\n");
  assert.equal(code, 1);
  assert.match(out, /FAIL Forgot the expectation/);
  assert.match(out, /verifier PnpRemoveNotDetached \(error\): clingy/);
  assert.ok(out.includes(`  see: ${doc("PnpRemoveNotDetached")}`), out);
});

Deno.test("scenario files: an unknown misbehaviour or rule name is a load error with a suggestion", async () => {
  const { parseScenario } = await import("../../dsl/yaml.ts");
  const parsed = parseScenario(
    [
      "title: Typos",
      "steps:",
      "  - driver: { name: d, misbehave: [noDetachOnRemov] }",
      "  - expectNoFinding: PnpRemoveNotDetatched",
      "",
    ].join("\n"),
    "typos.yaml",
  );
  const messages = parsed.errors.map((e) => `${e.line}: ${e.message}`);
  assert.equal(messages.length, 2, messages.join("\n"));
  assert.match(messages[0]!, /^3: .*did you mean 'noDetachOnRemove'/);
  assert.match(messages[1]!, /^4: .*did you mean 'PnpRemoveNotDetached'/);
});
