/** The trace's text form names what the WDK names: access masks, property and class enumerations, statuses. */
import assert from "node:assert/strict";
import { boot, formatEvent, KEY_READ, KEY_WRITE, type Machine } from "../../mod.ts";

function lines(m: Machine, from: number): string[] {
  return m.trace.slice(from).map(formatEvent);
}

Deno.test("formatEvent: registry access masks by name (KEY_READ, KEY_READ | DELETE), a missing argument as undefined, IRP parameters by name", () => {
  const m = boot();
  const k = m.kernel;
  const from = m.trace.length;
  k.ZwOpenKey(KEY_READ, "\\Registry\\Machine\\System");
  k.ZwOpenKey(KEY_WRITE | 0x10000, "\\Registry\\Machine\\System");
  k.ZwClose(undefined as never);
  const text = lines(m, from).join("\n");
  assert.match(text, /call ZwOpenKey\(KEY_READ, "\\\\Registry\\\\Machine\\\\System"\)/);
  assert.match(text, /call ZwOpenKey\(KEY_WRITE \| DELETE, /);
  assert.match(text, /call ZwClose\(undefined\) = STATUS_INVALID_HANDLE/);
  const plug = m.trace.length;
  m.loadDriver({ name: "widget", hardwareIds: ["ROOT\\WIDGET"] });
  m.plugIn("ROOT\\WIDGET");
  const irps = lines(m, plug).join("\n");
  assert.match(irps, /IRP_MN_QUERY_ID .* IdType=BusQueryDeviceID /);
  assert.match(irps, /IRP_MN_QUERY_DEVICE_TEXT .* DeviceTextType=DeviceTextDescription /);
});

Deno.test("formatEvent: an application's failed CreateFile shows its NTSTATUS by name", () => {
  const m = boot();
  const from = m.trace.length;
  m.openDevice("\\??\\NOTHING#0#{00000000-0000-0000-0000-000000000000}");
  assert.match(lines(m, from).join("\n"), /CreateFile .*status=STATUS_OBJECT_NAME_NOT_FOUND/);
});

Deno.test("formatEvent: trace text shows no raw JSON and no decimal status: details as name=value, statuses by name (issue 17)", async () => {
  const { exampleMachine, formatTrace } = await import("../../mod.ts");
  const m = exampleMachine();
  const pdo = m.device(m.devices().find((i) => i.includes("MsToaster"))!)!;
  m.requestRemoval(pdo);
  const text = formatTrace(m.trace);
  assert.doesNotMatch(text, /\{"/);
  assert.doesNotMatch(text, /status=\d/);
  assert.match(text, /boot safeMode=false profile=0001/);
});
