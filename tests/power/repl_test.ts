/**
 * The REPL's power commands, in WinDbg's spirit: `.sleep S3`, `.wake`, `!podev <device>` (the
 * device object's power state and pending power IRPs, as `!podev` shows a DEVICE_OBJECT's power
 * fields), `!poaction` (the power action in progress), `!devnode` with the device state, and
 * `.save` replaying the power steps.
 */
import assert from "node:assert/strict";
import { Session } from "../../dsl/session.ts";

const TOASTER_1 = "{B85B7C50-6A01-11d2-B841-00C04FAD5171}\\MsToaster\\1&cecf6205&01";

async function run(session: Session, ...inputs: string[]): Promise<string> {
  let output = "";
  for (const input of inputs) output = (await session.evaluate(input)).output;
  return output;
}

Deno.test("REPL .sleep S3 and .wake: the example machine sleeps (every devnode in D3 in !devnode) and wakes", async () => {
  const s = new Session();
  assert.equal(await run(s, ".sleep S3"), "Asleep in S3");
  const tree = await run(s, "!devnode");
  assert.ok(
    tree.includes(`    DevNode ${TOASTER_1}  Started  Service: toaster  Opens: 1  D3`),
    tree,
  );
  assert.match(
    await run(s, "!poaction"),
    /Last power action: sleep to S3[\s\S]*Result: STATUS_SUCCESS/,
  );
  assert.equal(await run(s, ".wake"), "Awake (STATUS_SUCCESS)");
  assert.equal(s.machine.powerState, "S0");
  assert.match(await run(s, ".sleep S9"), /Usage: \.sleep S1\|S2\|S3\|S4/);
});

Deno.test("REPL !podev: each device object of the stack with its device power state, and the pending power IRPs (none while working)", async () => {
  const s = new Session();
  const out = await run(s, `!podev ${TOASTER_1}`);
  assert.match(out, /Device power for .*MsToaster.*\(system S0\)/);
  assert.match(out, /\\Driver\\ToasterFilter\s+filter\s+Unspecified/);
  assert.match(out, /\\Driver\\toaster\s+FDO\s+D0/);
  assert.match(out, /\\Driver\\busenum\s+PDO\s+D0\s+DO_POWER_PAGABLE/);
  assert.match(out, /No power IRP pending/);
  assert.match(await run(s, "!podev"), /Usage: !podev/);
});

Deno.test("REPL: a vetoed .sleep says who vetoed; .save writes the power steps and the file replays", async () => {
  const s = new Session({ empty: true });
  await run(
    s,
    'driver({ name: "burner", hardwareIds: ["ROOT\\\\BURNER"], vetoSleep: true })',
    'device("ROOT\\\\BURNER")',
  );
  const out = await run(s, ".sleep S3");
  assert.match(out, /Sleep vetoed \(STATUS_UNSUCCESSFUL\) by burner for ROOT\\BURNER\\0/);
  const file = await Deno.makeTempFile({ suffix: ".yaml" });
  try {
    await run(s, `.save ${file}`);
    const text = await Deno.readTextFile(file);
    assert.match(text, /- sleep: S3/);
    const replay = new Session({ empty: true });
    assert.doesNotMatch(await run(replay, `.load ${file}`), /FAIL/);
  } finally {
    await Deno.remove(file);
  }
});

Deno.test("REPL: machine.plugIn of a wake-capable device, or into a sleeping machine, is saved as a hotPlug step, and the saved file replays", async () => {
  const s = new Session({ empty: true });
  await run(
    s,
    'driver({ name: "nic", hardwareIds: ["ROOT\\\\WAKENIC"], armWake: true })',
    'driver({ name: "cam", hardwareIds: ["ROOT\\\\CAM"] })',
    'const nic = machine.plugIn({ hardwareIds: ["ROOT\\\\WAKENIC"], capabilities: { SystemWake: PowerSystemSleeping3, DeviceWake: PowerDeviceD3, WakeFromD3: true } })',
    'machine.sleep("S3")',
    'machine.plugIn("ROOT\\\\CAM")',
    "machine.wake({ by: nic })",
  );
  assert.equal(s.machine.devnode("ROOT\\CAM\\0")?.state, "Started");
  const file = await Deno.makeTempFile({ suffix: ".yaml" });
  try {
    await run(s, `.save ${file}`);
    const text = await Deno.readTextFile(file);
    assert.match(text, /- hotPlug:/);
    assert.match(text, /SystemWake: 4/);
    assert.match(text, /- wake: d1|- wake:\s*\n\s*by: d1/);
    const replay = new Session({ empty: true });
    assert.doesNotMatch(await run(replay, `.load ${file}`), /FAIL/);
    assert.equal(replay.machine.devnode("ROOT\\CAM\\0")?.state, "Started");
  } finally {
    await Deno.remove(file);
  }
});
