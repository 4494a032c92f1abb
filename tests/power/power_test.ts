/**
 * Power: the system transitions, the S→D mapping, the veto, wait/wake, the watchdog, and PnP and
 * power together. Each test names the documented page (or the Windows-verified assertion) it checks.
 */
import assert from "node:assert/strict";
import {
  boot,
  BugCheck,
  type DeviceObject,
  IRP_MJ_POWER,
  IRP_MN_POWER_SEQUENCE,
  IRP_MN_QUERY_CAPABILITIES,
  IRP_MN_WAIT_WAKE,
  type IrpEvent,
  type Machine,
  PowerDeviceD2,
  PowerDeviceD3,
  PowerSystemSleeping3,
  STATUS_CANCELLED,
  STATUS_DEVICE_BUSY,
  STATUS_INVALID_DEVICE_STATE,
  STATUS_NOT_SUPPORTED,
  STATUS_PENDING,
  STATUS_SUCCESS,
  STATUS_UNSUCCESSFUL,
} from "../../mod.ts";
import { declarativeDriver } from "../../dsl/drivers.ts";
import type { DEVICE_CAPABILITIES } from "../../mod.ts";

/** Power IRP dispatches to the top of each stack since `from`: `instance SET_POWER(S3)`. */
function powerIrpsAtTop(m: Machine, from = 0): string[] {
  const seen = new Set<number>();
  const out: string[] = [];
  for (const e of m.trace) {
    if (e.seq <= from || e.kind !== "irp" || e.phase !== "dispatch") continue;
    if (e.major !== "IRP_MJ_POWER" || seen.has(e.irp)) continue;
    seen.add(e.irp);
    out.push(`${e.instance} ${shortPower(e)}`);
  }
  return out;
}

function shortPower(e: IrpEvent): string {
  return `${e.minor!.replace("IRP_MN_", "")}(${e.powerState!.replace(/^\w+PowerState /, "")})`;
}

/** Every dispatch of power IRPs (device by device) since `from`, for the order inside a stack. */
function powerRoute(m: Machine, from = 0): string[] {
  return m.trace.filter((e): e is IrpEvent =>
    e.seq > from && e.kind === "irp" && e.phase === "dispatch" && e.major === "IRP_MJ_POWER"
  ).map((e) => `${shortPower(e)} -> ${e.driver}`);
}

/** A bus (its own function driver), a toaster on it with an upper filter. */
function tree(
  options: { toaster?: Record<string, unknown>; caps?: Partial<DEVICE_CAPABILITIES> } = {},
) {
  const m = boot();
  m.loadDriver(declarativeDriver({ name: "bus", hardwareIds: ["ROOT\\PWRBUS"] }));
  m.loadDriver(declarativeDriver({
    name: "toaster",
    hardwareIds: ["PWRBUS\\TOASTER"],
    upperFilters: ["tfilter"],
    ...options.toaster,
  }));
  m.loadDriver({ name: "tfilter" });
  const bus = m.plugIn("ROOT\\PWRBUS");
  const toaster = m.plugIn({
    hardwareIds: ["PWRBUS\\TOASTER"],
    ...(options.caps ? { capabilities: options.caps } : {}),
  }, bus);
  return { m, bus, toaster };
}

Deno.test("Handling IRP_MN_SET_POWER for System Power States: going to sleep the power manager queries, then sets, farthest from the root first; waking it sets S0 parents first, without a query", () => {
  const { m } = tree();
  const from = m.trace.length;
  assert.equal(m.sleep("S3"), STATUS_SUCCESS);
  assert.equal(m.powerState, "S3");
  assert.deepEqual(
    powerIrpsAtTop(m, from).filter((x) => /\((S\d)\)$/.test(x)),
    [
      "PWRBUS\\TOASTER\\0 QUERY_POWER(S3)",
      "ROOT\\PWRBUS\\0 QUERY_POWER(S3)",
      "PWRBUS\\TOASTER\\0 SET_POWER(S3)",
      "ROOT\\PWRBUS\\0 SET_POWER(S3)",
    ],
  );
  const woke = m.trace.length;
  assert.equal(m.wake(), STATUS_SUCCESS);
  assert.deepEqual(
    powerIrpsAtTop(m, woke).filter((x) => /\((S\d)\)$/.test(x)),
    ["ROOT\\PWRBUS\\0 SET_POWER(S0)", "PWRBUS\\TOASTER\\0 SET_POWER(S0)"],
  );
});

Deno.test("Handling a System Set-Power IRP in a Device Power Policy Owner: inside a stack the system IRP goes filter, function driver, bus driver; the function driver then requests the device IRP, which travels the same way", () => {
  const { m, toaster } = tree();
  const from = m.trace.length;
  m.sleep("S3");
  const instance = m.devnode(toaster)!.instanceId;
  const route = m.trace.filter((e): e is IrpEvent =>
    e.seq > from && e.kind === "irp" && e.phase === "dispatch" && e.instance === instance &&
    e.major === "IRP_MJ_POWER" && e.minor === "IRP_MN_SET_POWER"
  ).map((e) => `${shortPower(e)} -> ${e.driver}`);
  assert.deepEqual(route, [
    "SET_POWER(S3) -> tfilter",
    "SET_POWER(S3) -> toaster",
    "SET_POWER(S3) -> bus",
    "SET_POWER(D3) -> tfilter",
    "SET_POWER(D3) -> toaster",
    "SET_POWER(D3) -> bus",
  ]);
  // The device IRP is the function driver's request (PoRequestPowerIrp), made after the system IRP
  // came back from the bus driver, and the system IRP completes only after it.
  const request = m.trace.find((e) =>
    e.seq > from && e.kind === "call" && e.routine === "PoRequestPowerIrp" &&
    e.caller === "toaster!CompletionRoutine"
  );
  assert.ok(request, "the policy owner requested the device IRP from its completion routine");
  assert.equal(request.kind === "call" && request.status, STATUS_PENDING);
  assert.equal(m.devnode(toaster)!.powerState, "D3");
  assert.equal(powerRoute(m, from).length > 0, true);
});

Deno.test("DEVICE_CAPABILITIES / Handling a System Set-Power IRP in a Device Power Policy Owner: the device state for S3 comes from DeviceState[PowerSystemSleeping3] the bus reported", () => {
  const deviceState = [0, 1, 4, 4, PowerDeviceD2, 4, 4];
  const { m, toaster } = tree({ caps: { DeviceState: deviceState, DeviceD2: true } });
  m.sleep("S3");
  assert.equal(m.devnode(toaster)!.powerState, "D2");
  m.wake();
  assert.equal(m.devnode(toaster)!.powerState, "D0");
  // S4 (hibernate) maps to D3 by the same table.
  m.sleep("S4");
  assert.equal(m.powerState, "S4");
  assert.equal(m.devnode(toaster)!.powerState, "D3");
});

Deno.test("Wine driver_pnp (passes on Windows): every IRP_MN_QUERY_CAPABILITIES starts from a fresh buffer; the root enumerator's PDO maps S0 to D0 and S1..S5 to D3 and leaves the rest", () => {
  const m = boot();
  const seen: DEVICE_CAPABILITIES[] = [];
  const answered: DEVICE_CAPABILITIES[] = [];
  m.loadDriver(declarativeDriver({ name: "capsdrv", hardwareIds: ["ROOT\\CAPS"] }, {
    DispatchPnp(k, fdo, irp) {
      const loc = k.IoGetCurrentIrpStackLocation(irp);
      const lower = fdo.DeviceExtension.LowerDeviceObject as DeviceObject;
      if (loc.MinorFunction === IRP_MN_QUERY_CAPABILITIES) {
        const caps = loc.Parameters.DeviceCapabilities!.Capabilities as DEVICE_CAPABILITIES;
        seen.push(structuredClone(caps));
        k.IoSkipCurrentIrpStackLocation(irp);
        const status = k.IoCallDriver(lower, irp);
        answered.push(structuredClone(caps));
        return status;
      }
      if (loc.MinorFunction === 0x00 || loc.MinorFunction === 0x02) irp.IoStatus.Status = 0;
      k.IoSkipCurrentIrpStackLocation(irp);
      const status = k.IoCallDriver(lower, irp);
      if (loc.MinorFunction === 0x02) {
        k.IoDetachDevice(lower);
        k.IoDeleteDevice(fdo);
      }
      return status;
    },
  }));
  const pdo = m.plugIn("ROOT\\CAPS");
  assert.equal(m.devnode(pdo)!.state, "Started");
  // The query after START reaches the function driver: a fresh structure each time.
  assert.equal(seen.length, 1);
  const fresh = seen[0]!;
  assert.equal(fresh.Version, 1);
  assert.equal(fresh.Size, 64);
  assert.equal(fresh.Address, 0xffffffff);
  assert.equal(fresh.UINumber, 0xffffffff);
  assert.deepEqual(fresh.DeviceState, [0, 0, 0, 0, 0, 0, 0]);
  assert.equal(fresh.SystemWake, 0);
  assert.equal(fresh.DeviceWake, 0);
  assert.deepEqual([fresh.D1Latency, fresh.D2Latency, fresh.D3Latency], [0, 0, 0]);
  assert.equal(fresh.DeviceD1 || fresh.LockSupported || fresh.WakeFromD3, false);
  // The root enumerator's answer: S0 -> D0, S1..S5 -> D3, DeviceState[Unspecified] untouched,
  // Address, UINumber, wake fields and latencies untouched.
  const root = answered[0]!;
  assert.deepEqual(root.DeviceState, [0, 1, 4, 4, 4, 4, 4]);
  assert.equal(root.Address, 0xffffffff);
  assert.equal(root.UINumber, 0xffffffff);
  assert.equal(root.SystemWake, 0);
  assert.equal(root.DeviceWake, 0);
  assert.deepEqual([root.D1Latency, root.D2Latency, root.D3Latency], [0, 0, 0]);
});

Deno.test("Wine driver_pnp (passes on Windows): no power IRP is sent while a device is added, started and removed", () => {
  const m = boot();
  m.loadDriver(declarativeDriver({ name: "plain", hardwareIds: ["ROOT\\PLAIN"] }));
  const pdo = m.plugIn("ROOT\\PLAIN");
  assert.equal(m.requestRemoval(pdo), STATUS_SUCCESS);
  assert.deepEqual(powerIrpsAtTop(m), []);
  // The device is in D0 once started, powered down (D3) by its removal, as its bus reports.
  const states = m.trace.filter((e) =>
    e.kind === "call" && e.routine === "PoSetPowerState" &&
    String(e.args.DeviceObject).includes("PDO")
  ).map((e) => e.kind === "call" ? e.args.State : undefined);
  assert.deepEqual(states, ["PowerDeviceD0", "PowerDeviceD3"]);
  assert.equal(m.devnode(pdo)!.powerState, "D3");
});

Deno.test("IRP_MN_QUERY_POWER / Failing a System Query-Power IRP: a driver's failure vetoes the sleep; every stack queried gets IRP_MN_SET_POWER(S0); the machine stays in S0", () => {
  const { m, bus, toaster } = tree({ toaster: { vetoSleep: true } });
  const from = m.trace.length;
  assert.equal(m.sleep("S3"), STATUS_UNSUCCESSFUL);
  assert.equal(m.powerState, "S0");
  // The toaster is queried first (farthest from the root) and fails: the bus is never queried.
  assert.deepEqual(powerIrpsAtTop(m, from).filter((x) => /\((S\d)\)$/.test(x)), [
    "PWRBUS\\TOASTER\\0 QUERY_POWER(S3)",
    "PWRBUS\\TOASTER\\0 SET_POWER(S0)",
  ]);
  const veto = m.trace.find((e) => e.kind === "info" && e.what === "power veto");
  assert.ok(veto?.kind === "info");
  assert.deepEqual(veto.detail, {
    instance: "PWRBUS\\TOASTER\\0",
    driver: "toaster",
    state: "S3",
    status: "STATUS_UNSUCCESSFUL",
  });
  assert.equal(m.devnode(toaster)!.powerState, "D0");
  assert.equal(m.devnode(bus)!.powerState, "D0");
});

Deno.test("IRP_MN_WAIT_WAKE: an armed device goes to its DeviceWake state, wakes the system, and its wait/wake IRP completes with STATUS_SUCCESS after the S0 IRPs", () => {
  const { m, toaster } = tree({
    toaster: { armWake: true },
    caps: {
      SystemWake: PowerSystemSleeping3,
      DeviceWake: PowerDeviceD2,
      DeviceState: [0, 1, 3, 3, 3, 4, 4],
      WakeFromD2: true,
      DeviceD2: true,
    },
  });
  assert.equal(m.podev(toaster)!.pending.map((p) => p.minor).join(), "IRP_MN_WAIT_WAKE");
  m.sleep("S3");
  assert.equal(m.devnode(toaster)!.powerState, "D2");
  const from = m.trace.length;
  assert.equal(m.wake({ by: toaster }), STATUS_SUCCESS);
  assert.equal(m.powerState, "S0");
  const completed = m.trace.filter((e) =>
    e.seq > from && e.kind === "irp" && e.phase === "complete" && e.minor === "IRP_MN_WAIT_WAKE"
  );
  assert.equal(completed[0]?.kind === "irp" && completed[0].status, STATUS_SUCCESS);
  const lastS0 = m.trace.findLast((e) =>
    e.kind === "irp" && e.phase === "complete" && e.powerState === "SystemPowerState S0"
  )!;
  assert.ok(completed[0]!.seq > lastS0.seq, "the wait/wake IRP completes after the S0 IRPs");
  // The driver armed it again.
  assert.equal(m.podev(toaster)!.pending.length, 1);
});

Deno.test("IRP_MN_WAIT_WAKE: STATUS_NOT_SUPPORTED without wake support, STATUS_DEVICE_BUSY for a second one, STATUS_CANCELLED on removal; a wake signal from a device not armed is ignored", () => {
  const plain = tree();
  const k = plain.m.kernel;
  let got: number | undefined;
  const r = k.PoRequestPowerIrp(
    plain.toaster,
    IRP_MN_WAIT_WAKE,
    PowerSystemSleeping3,
    (_d, _minor, _state, _context, io) => got = io.Status,
    null,
  );
  assert.equal(r.status, STATUS_PENDING);
  assert.equal(got, STATUS_NOT_SUPPORTED);
  plain.m.sleep("S3");
  assert.equal(plain.m.wake({ by: plain.toaster }), STATUS_INVALID_DEVICE_STATE);
  assert.equal(plain.m.powerState, "S3");

  const wakeable = tree({
    toaster: { armWake: true },
    caps: { SystemWake: PowerSystemSleeping3, DeviceWake: PowerDeviceD3, WakeFromD3: true },
  });
  let second: number | undefined;
  wakeable.m.kernel.PoRequestPowerIrp(
    wakeable.toaster,
    IRP_MN_WAIT_WAKE,
    PowerSystemSleeping3,
    (_d, _m, _s, _c, io) => second = io.Status,
    null,
  );
  assert.equal(second, STATUS_DEVICE_BUSY);
  const from = wakeable.m.trace.length;
  assert.equal(wakeable.m.requestRemoval(wakeable.toaster), STATUS_SUCCESS);
  const cancelled = wakeable.m.trace.find((e) =>
    e.seq > from && e.kind === "irp" && e.phase === "complete" && e.minor === "IRP_MN_WAIT_WAKE"
  );
  assert.equal(cancelled?.kind === "irp" && cancelled.status, STATUS_CANCELLED);
  assert.equal(wakeable.m.verifier.findings.length, 0);
  assert.equal(PowerDeviceD3, 4);
});

Deno.test("Bug Check 0x9F: DRIVER_POWER_STATE_FAILURE: a power IRP held forever stops the machine after the watchdog's timeout on the machine's clock (parameter 1 = 0x3, the stack's PDO, the blocked IRP)", () => {
  const m = boot();
  m.loadDriver(declarativeDriver({
    name: "holder",
    hardwareIds: ["ROOT\\HOLDER"],
    misbehave: ["holdPowerIrp"],
  }));
  const pdo = m.plugIn("ROOT\\HOLDER");
  const before = m._sys.clock;
  assert.throws(() => m.sleep("S3"), (e: unknown) => {
    assert.ok(e instanceof BugCheck);
    assert.equal(e.code, 0x9f);
    assert.equal(e.parameters[0], 0x3);
    assert.equal(e.parameters[1], pdo.serial);
    const held = m.trace.find((x) => x.kind === "info" && x.what === "power IRP watchdog");
    assert.ok(held?.kind === "info");
    assert.equal(e.parameters[3], held.detail!.irp);
    return true;
  });
  assert.ok(m._sys.clock >= before + 600, "the watchdog fires after its timeout");
  assert.equal(m.halted, true);
});

Deno.test("Handling IRP_MN_SURPRISE_REMOVAL / buses re-enumerate on resume: a device pulled out while the machine sleeps is surprise-removed after the wake, after the S0 IRPs", () => {
  const { m, toaster } = tree();
  m.sleep("S3");
  const from = m.trace.length;
  m.unplug(toaster);
  // Nothing runs while the machine sleeps.
  assert.equal(m.trace.filter((e) => e.seq > from && e.kind === "irp").length, 0);
  assert.equal(m.devnode(toaster)!.state, "Started");
  m.wake();
  const events = m.trace.filter((e): e is IrpEvent =>
    e.seq > from && e.kind === "irp" && e.phase === "dispatch" &&
    e.instance === "PWRBUS\\TOASTER\\0"
  );
  const s0 = events.findIndex((e) => e.powerState === "SystemPowerState S0");
  const surprise = events.findIndex((e) => e.minor === "IRP_MN_SURPRISE_REMOVAL");
  assert.ok(s0 >= 0 && surprise > s0, "S0 first, then the surprise removal");
  assert.ok(events.some((e) => e.minor === "IRP_MN_REMOVE_DEVICE"));
  assert.equal(m.device("PWRBUS\\TOASTER\\0"), undefined);
});

Deno.test("Buses re-enumerate on resume: a device plugged in while the machine sleeps appears after the wake, started and in D0", () => {
  const { m, bus } = tree();
  m.sleep("S3");
  const pdo = m.plugIn("PWRBUS\\TOASTER", bus);
  assert.equal(m.devnode(pdo), undefined, "PnP does not know it while asleep");
  m.wake();
  const info = m.devnode(pdo)!;
  assert.equal(info.instanceId, "PWRBUS\\TOASTER\\1");
  assert.equal(info.state, "Started");
  assert.equal(info.powerState, "D0");
});

Deno.test("IoRegisterShutdownNotification / System Power Actions: a shutdown sends IRP_MJ_SHUTDOWN to registered drivers, then IRP_MN_SET_POWER(S5); hibernate keeps the registry and device state", () => {
  const { m, toaster } = tree({ toaster: { shutdownNotification: true } });
  m.registry.setValue("HKLM\\SOFTWARE\\Contoso", "Kept", 4, 7);
  m.sleep("S4");
  m.wake();
  assert.equal(m.registry.getValue("HKLM\\SOFTWARE\\Contoso", "Kept")?.data, 7);
  assert.equal(m.devnode(toaster)!.state, "Started");
  const from = m.trace.length;
  assert.equal(m.shutdown(), STATUS_SUCCESS);
  assert.equal(m.powerState, "S5");
  const irps = m.trace.filter((e): e is IrpEvent =>
    e.seq > from && e.kind === "irp" && e.phase === "dispatch"
  );
  assert.equal(irps[0]!.major, "IRP_MJ_SHUTDOWN");
  assert.equal(irps[0]!.driver, "toaster");
  const s5 = irps.find((e) => e.powerState === "SystemPowerState S5");
  assert.ok(s5 && s5.seq > irps[0]!.seq);
  assert.equal(m.devnode(toaster)!.powerState, "D3");
  m.reboot();
  assert.equal(m.powerState, "S0");
});

Deno.test("Handling a System Set-Power IRP in a Bus Driver: a raw device (no function driver) has its bus driver as power policy owner, which requests the device IRP itself", () => {
  const m = boot();
  const pdo = m.plugIn({ hardwareIds: ["ROOT\\RAWPWR"], rawDeviceOk: true });
  assert.equal(m.devnode(pdo)!.state, "Started");
  const from = m.trace.length;
  m.sleep("S3");
  assert.deepEqual(
    powerIrpsAtTop(m, from).filter((x) => x.startsWith("ROOT\\RAWPWR")),
    [
      "ROOT\\RAWPWR\\0 QUERY_POWER(S3)",
      "ROOT\\RAWPWR\\0 SET_POWER(S3)",
      "ROOT\\RAWPWR\\0 SET_POWER(D3)",
    ],
  );
  assert.equal(m.devnode(pdo)!.powerState, "D3");
  m.wake();
  assert.equal(m.devnode(pdo)!.powerState, "D0");
});

Deno.test("Setting Device Object Flags for Power Management / IRP_MN_SET_POWER: power IRPs reach a stack whose PDO has DO_POWER_PAGABLE at PASSIVE_LEVEL, one without it (an inrush device, say) at DISPATCH_LEVEL", () => {
  const m = boot();
  const seen: Record<string, number[]> = {};
  m.loadDriver({
    name: "irqlwatch",
    hardwareIds: ["ROOT\\PAGED", "ROOT\\INRUSH"],
    MajorFunction: {
      [IRP_MJ_POWER]: (k, fdo, irp) => {
        const id = String(fdo.DeviceExtension.Id);
        (seen[id] ??= []).push(k.KeGetCurrentIrql());
        k.PoStartNextPowerIrp(irp);
        k.IoSkipCurrentIrpStackLocation(irp);
        return k.PoCallDriver(fdo.lower!, irp);
      },
    },
    AddDevice(k, driver, pdo) {
      const r = k.IoCreateDevice(driver, 0, null, 0x22, 0x100, false);
      const fdo = r.deviceObject!;
      fdo.DeviceExtension.Id = pdo.DriverObject.name + (pdo.Flags & 0x4000 ? ":inrush" : ":paged");
      k.IoAttachDeviceToDeviceStack(fdo, pdo);
      fdo.Flags &= ~0x80;
      return STATUS_SUCCESS;
    },
  });
  m.plugIn("ROOT\\PAGED");
  m.plugIn({ hardwareIds: ["ROOT\\INRUSH"], powerPagable: false, powerInrush: true });
  m.sleep("S3");
  m.wake();
  assert.deepEqual(seen["PnpManager:paged"]?.every((irql) => irql === 0), true);
  assert.deepEqual(seen["PnpManager:inrush"]?.every((irql) => irql === 2), true);
  assert.equal(m.podev("ROOT\\INRUSH\\0")!.stack.at(-1)!.flags.join(), "DO_POWER_INRUSH");
});

Deno.test("IRP_MN_POWER_SEQUENCE: the bus driver returns how many times the device entered D1, D2 and D3, so a driver can tell whether its device lost power", async () => {
  const { buildIrp, IoCallDriver } = await import("../../lib/io/iomgr.ts");
  const { m, toaster } = tree();
  const sequence = () => {
    const irp = buildIrp(
      m._sys,
      toaster,
      IRP_MJ_POWER,
      IRP_MN_POWER_SEQUENCE,
      {},
      STATUS_NOT_SUPPORTED,
    );
    IoCallDriver(m._sys, toaster, irp);
    assert.equal(irp.IoStatus.Status, STATUS_SUCCESS);
    return irp.IoStatus.Information;
  };
  assert.deepEqual(sequence(), { SequenceD1: 0, SequenceD2: 0, SequenceD3: 0 });
  m.sleep("S3");
  m.wake();
  assert.deepEqual(sequence(), { SequenceD1: 0, SequenceD2: 0, SequenceD3: 1 });
});

Deno.test("IRP_MN_WAIT_WAKE / DEVICE_CAPABILITIES: with the contract's example capabilities (SystemWake S3, DeviceWake D2, WakeFromD2) the bus lets the device keep D2 down to S3, so an armed device sleeps in D2 and wakes the system", () => {
  const { m, toaster } = tree({
    toaster: { armWake: true },
    caps: { SystemWake: PowerSystemSleeping3, DeviceWake: PowerDeviceD2, WakeFromD2: true },
  });
  m.sleep("S3");
  assert.equal(m.devnode(toaster)!.powerState, "D2");
  assert.equal(m.wake({ by: toaster }), STATUS_SUCCESS);
  // Hibernate is below SystemWake: the table says D3 there.
  m.sleep("S4");
  assert.equal(m.devnode(toaster)!.powerState, "D3");
  assert.equal(m.wake({ by: toaster }), STATUS_INVALID_DEVICE_STATE);
  assert.equal(m.powerState, "S4");
});
