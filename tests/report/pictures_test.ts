/** The pictures read the trace: a sequence diagram names each IRP with the parameter that tells it apart. */
import assert from "node:assert/strict";
import { REG_MULTI_SZ } from "../../lib/constants.ts";
import { boot } from "../../lib/machine.ts";
import { deviceStackPicture, deviceTreePicture, sequencePicture } from "../../lib/render/svg.ts";

Deno.test("sequencePicture: an IRP arrow carries its parameter (QUERY_ID(BusQueryHardwareIDs), QUERY_DEVICE_RELATIONS(BusRelations)); lifelines are the PnP manager and each stack", () => {
  const m = boot();
  m.loadDriver({ name: "widget", hardwareIds: ["ROOT\\WIDGET"] });
  const from = m.trace.length;
  m.plugIn("ROOT\\WIDGET");
  const picture = sequencePicture(m.trace, { from: m.trace[from]!.seq });
  assert.match(
    picture.text,
    /PnP -> stack HTREE\\ROOT\\0: IRP_MN_QUERY_DEVICE_RELATIONS\(BusRelations\)/,
  );
  assert.match(picture.text, /IRP_MN_QUERY_ID\(BusQueryDeviceID\)/);
  assert.match(picture.text, /IRP_MN_QUERY_ID\(BusQueryHardwareIDs\)/);
  assert.match(picture.text, /PnP -> stack ROOT\\WIDGET\\0: IRP_MN_START_DEVICE/);
  assert.match(picture.svg, /<svg[^>]*>/);
  assert.match(picture.svg, /IRP_MN_QUERY_DEVICE_RELATIONS\(BusRelations\)/);
});

Deno.test("deviceTreePicture and deviceStackPicture show the started device and its stack", () => {
  const m = boot();
  m.loadDriver({ name: "widget", hardwareIds: ["ROOT\\WIDGET"] });
  const pdo = m.plugIn("ROOT\\WIDGET");
  assert.match(deviceTreePicture(m).text, /ROOT\\WIDGET\\0.*Started/);
  assert.match(deviceStackPicture(m, pdo).text, /widget/);
});

/** A machine where ROOT\\WIDGET will get the upper filter `watcher` above its function driver `widget`. */
function widgetUnderWatcher() {
  const m = boot();
  m.loadDriver({ name: "widget", hardwareIds: ["ROOT\\WIDGET"] });
  m.loadDriver({ name: "watcher" });
  m.registry.setValue(
    "HKLM\\SYSTEM\\CurrentControlSet\\Enum\\ROOT\\WIDGET\\0",
    "UpperFilters",
    REG_MULTI_SZ,
    ["watcher"],
  );
  return m;
}

Deno.test("sequencePicture: an IRP arrow names the drivers it reached, top of the stack first (filter, function driver, bus driver: 'Passing PnP IRPs down the device stack')", () => {
  const m = widgetUnderWatcher();
  const from = m.trace.length;
  m.plugIn("ROOT\\WIDGET");
  const text = sequencePicture(m.trace, { from: m.trace[from]!.seq }).text;
  assert.match(text, /IRP_MN_START_DEVICE \[watcher → widget → PnpManager\]/);
  // Before AddDevice only the bus driver's PDO is there.
  assert.match(text, /IRP_MN_QUERY_ID\(BusQueryDeviceID\) \[PnpManager\]/);
});

Deno.test("sequencePicture: two IRPs drawn as one arrow (the same request again, right after) keep the one path ('Passing PnP IRPs down the device stack')", () => {
  const m = widgetUnderWatcher();
  const pdo = m.plugIn("ROOT\\WIDGET");
  const from = m.trace.length;
  m.kernel.IoInvalidateDeviceRelations(pdo, 0);
  m.kernel.IoInvalidateDeviceRelations(pdo, 0);
  m.settle();
  m.kernel.IoInvalidateDeviceRelations(pdo, 0);
  m.settle();
  const text = sequencePicture(m.trace, { from: m.trace[from]!.seq, registry: false }).text;
  const lines = text.split("\n").filter((l) => l.includes("BusRelations"));
  assert.ok(lines.length >= 1);
  for (const l of lines) assert.match(l, /\[watcher → widget → PnpManager\]$/, l);
});
