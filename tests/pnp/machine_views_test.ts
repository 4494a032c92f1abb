/**
 * The machine's read-only views, what the REPL, the scenario runner and the pictures read instead
 * of the kernel's internals: each test names the Windows behaviour the view shows and checks that
 * changing what it returns changes nothing in the machine.
 */
import assert from "node:assert/strict";
import { boot, exampleMachine, REG_BINARY, REG_SZ } from "../../mod.ts";
import { CCS, GUID_TEST_INTERFACE } from "./_helpers.ts";

Deno.test("devnodeTree lists each devnode before its children, as !devnode 0 1 does, from HTREE\\ROOT\\0 or from a device", () => {
  const m = exampleMachine();
  const tree = m.devnodeTree();
  assert.equal(tree[0]!.devnode.instanceId, "HTREE\\ROOT\\0");
  assert.equal(tree[0]!.depth, 0);
  assert.deepEqual(tree.map((t) => t.devnode.instanceId), m.devices());
  // A devnode's parent is the last devnode one level up before it.
  tree.forEach(({ depth, devnode }, i) => {
    if (depth === 0) return;
    const parent = tree.slice(0, i).findLast((t) => t.depth === depth - 1)!;
    assert.equal(devnode.parent, parent.devnode.instanceId);
  });
  const bus = m.devices().find((d) => d.startsWith("ROOT\\BUSENUM"))!;
  const subtree = m.devnodeTree(bus);
  assert.equal(subtree[0]!.devnode.instanceId, bus);
  assert.deepEqual(subtree.map((t) => t.depth), [0, 1, 1]);
  assert.deepEqual(m.devnodeTree(m.device(bus)!), subtree);
  assert.deepEqual(m.devnodeTree("ROOT\\NOPE\\0"), []);
});

Deno.test("drivers lists the driver objects loadDriver created (\\Driver\\<service>), a copy of the list", () => {
  const m = boot();
  const toaster = m.loadDriver({ name: "toaster", hardwareIds: ["ROOT\\TOASTER"] });
  const drivers = m.drivers();
  assert.deepEqual(drivers.map((d) => d.DriverName), ["\\Driver\\toaster"]);
  assert.equal(drivers[0], toaster);
  drivers.length = 0;
  assert.equal(m.drivers().length, 1);
});

Deno.test("deviceObject finds a device object by its IoCreateDevice name (\\Device\\...), by serial (#n) or as it prints, in any case", () => {
  const m = boot();
  m.loadDriver({
    name: "named",
    hardwareIds: ["ROOT\\NAMED"],
    AddDevice: (k, driver, pdo) => {
      const r = k.IoCreateDevice(driver, 0, "\\Device\\NamedFdo", 0x22, 0, false);
      k.IoAttachDeviceToDeviceStack(r.deviceObject!, pdo);
      return r.status;
    },
  });
  const pdo = m.plugIn("ROOT\\NAMED");
  const fdo = pdo.top;
  assert.notEqual(fdo, pdo);
  assert.equal(m.deviceObject("\\Device\\NamedFdo"), fdo);
  assert.equal(m.deviceObject("\\DEVICE\\namedfdo"), fdo);
  assert.equal(m.deviceObject(`#${pdo.serial}`), pdo);
  assert.equal(m.deviceObject(String(fdo)), fdo);
  assert.equal(m.deviceObject("\\Device\\Nope"), undefined);
});

Deno.test("interfaces shows each registered interface's symbolic link, class, reference string, state and PDO; PnP disables it when its device leaves (IoSetDeviceInterfaceState)", () => {
  const m = boot();
  m.loadDriver({ name: "toaster", hardwareIds: ["ROOT\\TOASTER"] });
  const pdo = m.plugIn("ROOT\\TOASTER");
  const r = m.kernel.IoRegisterDeviceInterface(pdo, GUID_TEST_INTERFACE.toUpperCase(), "ref");
  m.kernel.IoSetDeviceInterfaceState(r.symbolicLinkName!, true);
  m.settle();
  const [i] = m.interfaces();
  assert.deepEqual(i, {
    symbolicLinkName: r.symbolicLinkName,
    interfaceClassGuid: GUID_TEST_INTERFACE,
    referenceString: "ref",
    instanceId: m.devnode(pdo)!.instanceId,
    enabled: true,
    pdo,
  });
  i!.enabled = false;
  assert.equal(m.interfaces()[0]!.enabled, true, "a snapshot: changing it changes nothing");
  m.unplug(pdo);
  assert.equal(m.interfaces()[0]!.enabled, false);
  assert.equal(m.interfaces()[0]!.pdo, null);
});

Deno.test("registryKey shows a key as regedit's tree does: a path through CurrentControlSet reaches ControlSet001, CurrentControlSet is a link subkey, values are copies", () => {
  const m = boot();
  assert.equal(m.registryKey(CCS)!.name, "ControlSet001");
  const system = m.registryKey("HKLM\\SYSTEM")!;
  assert.deepEqual(system.subkeys.find((k) => k.name === "CurrentControlSet"), {
    name: "CurrentControlSet",
    link: true,
  });
  assert.equal(system.subkeys.find((k) => k.name === "ControlSet001")!.link, false);
  const link = m.registryKey("\\Registry\\Machine\\SYSTEM")!.subkeys;
  assert.deepEqual(link, system.subkeys);
  m.registry.setValue("HKLM\\SOFTWARE\\Contoso", "Name", REG_SZ, "pnplab");
  m.registry.setValue("HKLM\\SOFTWARE\\Contoso", "Blob", REG_BINARY, new Uint8Array([1, 2]));
  const key = m.registryKey("hklm\\software\\contoso")!;
  assert.equal(key.name, "Contoso");
  assert.equal(key.volatile, false);
  assert.equal(key.link, null);
  assert.deepEqual(key.values.map((v) => [v.name, v.type]), [["Name", REG_SZ], [
    "Blob",
    REG_BINARY,
  ]]);
  (key.values[1]!.data as Uint8Array)[0] = 9;
  assert.deepEqual(
    m.registry.getValue("HKLM\\SOFTWARE\\Contoso", "Blob")!.data,
    new Uint8Array([1, 2]),
  );
  assert.equal(m.registryKey("HKLM\\SOFTWARE\\Nope"), undefined);
});

Deno.test("registry.query with a value prints that value as reg query /v does, and with recursive each key holding it and the count (Wine's reg query tests)", () => {
  const m = exampleMachine();
  const key = `${CCS}\\Enum\\ROOT\\BUSENUM\\0`;
  assert.equal(
    m.registry.query(key, { value: "service" }),
    "\nHKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Enum\\ROOT\\BUSENUM\\0\n    Service    REG_SZ    busenum\n\n",
  );
  // /ve: every key has a default value; an unset one shows as such.
  assert.match(
    m.registry.query(key, { value: "" }),
    /\n {4}\(Default\) {4}REG_SZ {4}\(value not set\)\n/,
  );
  const deep = m.registry.query(`${CCS}\\Enum\\ROOT`, { value: "Service", recursive: true });
  const matches = deep.split("\n").filter((l) => l.startsWith("    Service    ")).length;
  assert.ok(matches >= 2, deep);
  assert.ok(deep.endsWith(`\nEnd of search: ${matches} match(es) found.\n`), deep);
  assert.equal(
    m.registry.query(key, { value: "Nope" }),
    "ERROR: The system was unable to find the specified registry key or value.\n",
  );
});
