/**
 * The bundled example machine, as the issue asks for it: "a toaster bus with two toasters and their
 * function driver and a filter, a PCI-like bus with a network card, a dock" (README "The bundled
 * example machine" adds the toastmon monitor and the hardware profiles "Docked" and "Undocked").
 */
import assert from "node:assert/strict";
import {
  CM_DEVCAP_DOCKDEVICE,
  exampleMachine,
  GUID_DEVCLASS_TOASTER,
  REG_MULTI_SZ,
  TOASTER_HARDWARE_ID,
} from "../../mod.ts";
import { CCS, enumKey } from "./_helpers.ts";

/** The network card's device ID (the PCI-like bus's child, and the one in the dock). */
const NIC = "PCI\\VEN_8086&DEV_100E&SUBSYS_001E8086&REV_02";

// The toasters and the network cards have no unique ID, so their instance IDs carry their bus's
// ParentIdPrefix (`1&` and the CRC-32 of the bus's instance ID: ReactOS IopGetParentIdPrefix,
// docs/pnp.md#pnp-instance-ids; computed outside the model: ROOT\BUSENUM\0 0xcecf6205,
// ACPI\PNP0A03\0 0x609b8881, ACPI\PNP0C15\1 0x67868a7e).
const TOASTERS = [`${TOASTER_HARDWARE_ID}\\1&cecf6205&01`, `${TOASTER_HARDWARE_ID}\\1&cecf6205&02`];
const PCI_NIC = `${NIC}\\1&609b8881&18`;
const DOCKED_NIC = `${NIC}\\1&67868a7e&20`;

Deno.test("The issue's example machine: the device tree is the toaster bus with two toasters, toastmon, a PCI-like bus with a network card, and a dock holding a second network card", () => {
  const m = exampleMachine();
  const children = (id: string) => m.devnode(id)?.children;
  assert.deepEqual(children("HTREE\\ROOT\\0"), [
    "ROOT\\BUSENUM\\0",
    "ROOT\\TOASTMON\\0",
    "ACPI\\PNP0A03\\0",
    "ACPI\\PNP0C15\\1",
  ]);
  assert.deepEqual(children("ROOT\\BUSENUM\\0"), TOASTERS);
  assert.deepEqual(children("ACPI\\PNP0A03\\0"), [PCI_NIC]);
  assert.deepEqual(children("ACPI\\PNP0C15\\1"), [DOCKED_NIC]);
  for (const leaf of ["ROOT\\TOASTMON\\0", ...TOASTERS, PCI_NIC, DOCKED_NIC]) {
    assert.deepEqual(children(leaf), [], leaf);
  }
  assert.deepEqual(m.devices(), [
    "HTREE\\ROOT\\0",
    "ROOT\\BUSENUM\\0",
    ...TOASTERS,
    "ROOT\\TOASTMON\\0",
    "ACPI\\PNP0A03\\0",
    PCI_NIC,
    "ACPI\\PNP0C15\\1",
    DOCKED_NIC,
  ]);
});

Deno.test("The issue's example machine: every device is Started, with its function driver", () => {
  const m = exampleMachine();
  const services = Object.fromEntries(
    m.devices().map((id) => {
      const node = m.devnode(id)!;
      assert.equal(node.state, "Started", id);
      assert.equal(node.problem, 0, id);
      return [id, node.service];
    }),
  );
  assert.deepEqual(services, {
    "HTREE\\ROOT\\0": null,
    "ROOT\\BUSENUM\\0": "busenum",
    [TOASTERS[0]!]: "toaster",
    [TOASTERS[1]!]: "toaster",
    "ROOT\\TOASTMON\\0": "toastmon",
    "ACPI\\PNP0A03\\0": "pci",
    [PCI_NIC]: "e1000",
    "ACPI\\PNP0C15\\1": "dock",
    [DOCKED_NIC]: "e1000",
  });
  assert.deepEqual(m.verifier.findings, []);
});

Deno.test("The issue's example machine (attach order, docs/io.md#io-stack): each toaster's stack is the class upper filter ToasterFilter above the toaster FDO above the PDO its bus driver busenum owns", () => {
  const m = exampleMachine();
  for (const id of TOASTERS) {
    assert.deepEqual(m.devnode(id)!.stack.map((d) => `${d.role} ${d.driver}`), [
      "filter \\Driver\\ToasterFilter",
      "FDO \\Driver\\toaster",
      "PDO \\Driver\\busenum",
    ], id);
  }
  // A class filter: named by the toaster class key, not by the devices' own Enum keys.
  assert.deepEqual(
    m.registry.getValue(`${CCS}\\Control\\Class\\${GUID_DEVCLASS_TOASTER}`, "UpperFilters"),
    { type: REG_MULTI_SZ, data: ["ToasterFilter"] },
  );
  for (const id of TOASTERS) {
    assert.equal(m.registry.getValue(enumKey(id), "UpperFilters"), undefined, id);
  }
});

Deno.test("The issue's example machine: the dock is a dock device (DEVICE_CAPABILITIES.DockDevice) and the machine starts in its Docked profile", () => {
  const m = exampleMachine();
  const capabilities = Number(
    m.registry.getValue(enumKey("ACPI\\PNP0C15\\1"), "Capabilities")?.data,
  );
  assert.equal(capabilities & CM_DEVCAP_DOCKDEVICE, CM_DEVCAP_DOCKDEVICE);
  assert.deepEqual(m.hardwareProfiles.map((p) => p.name), ["Docked", "Undocked"]);
  assert.deepEqual(m.currentProfile, { id: "0001", name: "Docked" });
});
