/**
 * Toaster S2, static enumeration through the registry
 * (`scenarios/toaster/s02-static-enumeration.yaml`): the static bus reads NumberOfToasters from its
 * hardware key in AddDevice and creates that many children.
 */
import assert from "node:assert/strict";
import {
  boot,
  type Machine,
  REG_DWORD,
  staticBusDriver,
  toasterDriver,
  toasterFilterDriver,
} from "../../mod.ts";
import { CCS } from "./_helpers.ts";

const PARAMETERS = `${CCS}\\Enum\\ROOT\\STATBUS\\0\\Device Parameters`;

function staticBus(numberOfToasters?: number): Machine {
  const m = boot();
  m.loadDriver(staticBusDriver);
  m.loadDriver(toasterDriver);
  m.loadDriver(toasterFilterDriver); // the toaster class's upper filter
  if (numberOfToasters !== undefined) {
    m.registry.setValue(PARAMETERS, "NumberOfToasters", REG_DWORD, numberOfToasters);
  }
  m.plugIn({ hardwareIds: ["root\\statbus"], deviceId: "ROOT\\STATBUS" });
  return m;
}

function toasters(m: Machine): string[] {
  return m.devnode("ROOT\\STATBUS\\0")!.children;
}

Deno.test("Toaster S2: without NumberOfToasters the static bus reports no children", () => {
  const m = staticBus();
  assert.equal(m.devnode("ROOT\\STATBUS\\0")?.state, "Started");
  assert.deepEqual(toasters(m), []);
});

Deno.test("Toaster S2: NumberOfToasters=2 in the bus's hardware key gives toasters 01 and 02 (UniqueID FALSE: the bus's ParentIdPrefix), started with their descriptions", () => {
  const m = staticBus(2);
  const children = toasters(m);
  assert.equal(children.length, 2);
  for (const [i, id] of children.entries()) {
    const nn = String(i + 1).padStart(2, "0");
    assert.match(
      id,
      new RegExp(
        `^\\{B85B7C50-6A01-11d2-B841-00C04FAD5171\\}\\\\MsToaster\\\\\\d+&[0-9a-f]+&${nn}$`,
      ),
    );
    const info = m.devnode(id)!;
    assert.equal(info.state, "Started");
    assert.equal(info.description, `Microsoft_Eliyas_Toaster_${nn}`);
  }
});

Deno.test("Toaster S2: the value is read at AddDevice, so a change takes effect when the bus restarts; 11 is clamped to 10", () => {
  const m = staticBus(2);
  const bus = m.device("ROOT\\STATBUS\\0")!;
  m.registry.setValue(PARAMETERS, "NumberOfToasters", REG_DWORD, 11);
  assert.equal(toasters(m).length, 2, "nothing changes before the bus restarts");
  m.restart(bus);
  assert.equal(toasters(m).length, 10);
  m.registry.setValue(PARAMETERS, "NumberOfToasters", REG_DWORD, 1);
  m.restart(bus);
  assert.equal(toasters(m).length, 1, "the children went with the old FDO");
  assert.equal(m.devnode(toasters(m)[0]!)?.state, "Started");
});
