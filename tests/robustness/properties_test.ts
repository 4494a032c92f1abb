/**
 * Property-based tests of the whole machine: random sequences of what a user, an administrator and
 * a driver do (plug, unplug, remove, eject, device enable/disable, interface register/enable/disable,
 * listen/unlisten, open/close, registry writes, hardware profile changes, reboots) with the model's
 * invariants checked after every step. Each test names the invariant it checks; every test runs the
 * same generated sequences (fixed seed), so a failure prints a reproducible counterexample.
 *
 * `deno task fuzz` runs the same properties with `PNPLAB_FUZZ_RUNS` sequences each (default 20,000;
 * see `_fuzz.ts`).
 */
import assert from "node:assert/strict";
import fc from "npm:fast-check@4.10.2";
import {
  boot,
  BugCheck,
  declarativeDriver,
  DEVICE_INTERFACE_INCLUDE_NONACTIVE,
  type DriverObject,
  EventCategoryDeviceInterfaceChange,
  type FileObject,
  GUID_DEVICE_INTERFACE_ARRIVAL,
  type Handle,
  type Irp,
  IRP_MJ_CREATE,
  type Kernel,
  KEY_ALL_ACCESS,
  type Machine,
  type NotificationEntry,
  type NotificationStructure,
  NT_SUCCESS,
  PNPNOTIFY_DEVICE_INTERFACE_INCLUDE_EXISTING_INTERFACES,
  REG_BINARY,
  REG_DWORD,
  REG_MULTI_SZ,
  REG_OPTION_VOLATILE,
  REG_QWORD,
  REG_SZ,
  STATUS_SUCCESS,
  type TraceEvent,
} from "../../mod.ts";
import type { DeviceObject } from "../../mod.ts";
import { deserializeHive, serializeHive } from "../../lib/registry/persist.ts";
import { fuzzRuns, fuzzSeed } from "./_fuzz.ts";

// ---- Configuration ----------------------------------------------------------------------------------

/** Sequences per property: 1,000 in the test run (5,000 in all), PNPLAB_FUZZ_RUNS under `deno task fuzz`. */
const NUM_RUNS = fuzzRuns(1000);
const SEED = fuzzSeed();

const CCS = "HKLM\\SYSTEM\\CurrentControlSet";
const ROOT_ID = "HTREE\\ROOT\\0";
const GUID_A = "{0badf00d-5eed-4a11-9e57-00000000000a}";
const GUID_B = "{0badf00d-5eed-4a11-9e57-00000000000b}";
const GUIDS = [GUID_A, GUID_B] as const;
const REFS = ["", "alpha", "beta"] as const;
const PROFILES = ["Docked", "Undocked"] as const;
/** At most this many devices below the root, so sequences interact instead of spreading out. */
const MAX_DEVICES = 6;

// ---- Operations ---------------------------------------------------------------------------------------

/** The devices the generator plugs in: hardware, and the driver (if any) serving it. */
const DEVICE_KINDS = [
  { hardwareIds: ["PT\\WIDGET"] },
  { hardwareIds: ["PT\\HUB"] },
  { hardwareIds: ["PT\\STUBBORN"] },
  { hardwareIds: ["PT\\ORPHAN"] },
  { hardwareIds: ["PT\\EJECT", "PT\\WIDGET"], ejectSupported: true },
] as const;

type RegValue =
  | { type: typeof REG_DWORD; data: number }
  | { type: typeof REG_SZ; data: string }
  | { type: typeof REG_MULTI_SZ; data: string[] }
  | { type: typeof REG_BINARY; data: Uint8Array }
  | { type: typeof REG_QWORD; data: bigint };

/** One step of a sequence. `pick` chooses among the candidates that exist when the step runs. */
type Op =
  | { op: "plug"; kind: number; parent: number }
  | { op: "unplug"; pick: number }
  | { op: "remove"; pick: number }
  | { op: "eject"; pick: number }
  | { op: "disableDevice"; pick: number }
  | { op: "enableDevice"; pick: number }
  | { op: "rebalance"; pick: number; failRestart: boolean }
  | { op: "register"; pick: number; guid: number; ref: number }
  | { op: "enable"; pick: number }
  | { op: "disable"; pick: number }
  | { op: "listen"; guid: number; includeExisting: boolean; app: boolean }
  | { op: "unlisten"; pick: number; ex: boolean; app: boolean }
  | { op: "open"; pick: number; kernel: boolean; closeOnQueryRemove: boolean }
  | { op: "close"; pick: number }
  | { op: "regWrite"; key: number; name: number; value: RegValue; via: "view" | "zw" | "device" }
  | { op: "regVolatile"; key: number; name: number; value: RegValue }
  | { op: "regDelete"; key: number }
  | { op: "profile"; to: number; veto: boolean }
  | { op: "reboot"; safeMode: boolean }
  | { op: "misuse" };

const pick = fc.nat(31);
const regValue: fc.Arbitrary<RegValue> = fc.oneof(
  fc.nat().map((n) => ({ type: REG_DWORD, data: n >>> 0 }) as RegValue),
  fc.string({ maxLength: 12 }).map((s) =>
    ({ type: REG_SZ, data: s.replace(/\0/g, "") }) as RegValue
  ),
  fc.array(fc.stringMatching(/^[a-z]{1,6}$/), { maxLength: 3 }).map((a) =>
    ({ type: REG_MULTI_SZ, data: a }) as RegValue
  ),
  fc.uint8Array({ maxLength: 8 }).map((b) => ({ type: REG_BINARY, data: b }) as RegValue),
  fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }).map((q) =>
    ({ type: REG_QWORD, data: q }) as RegValue
  ),
);

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    arbitrary: fc.record({ op: fc.constant("plug" as const), kind: fc.nat(4), parent: pick }),
    weight: 18,
  },
  { arbitrary: fc.record({ op: fc.constant("unplug" as const), pick }), weight: 6 },
  { arbitrary: fc.record({ op: fc.constant("remove" as const), pick }), weight: 6 },
  { arbitrary: fc.record({ op: fc.constant("eject" as const), pick }), weight: 3 },
  { arbitrary: fc.record({ op: fc.constant("disableDevice" as const), pick }), weight: 3 },
  { arbitrary: fc.record({ op: fc.constant("enableDevice" as const), pick }), weight: 3 },
  {
    arbitrary: fc.record({
      op: fc.constant("rebalance" as const),
      pick,
      failRestart: fc.boolean(),
    }),
    weight: 3,
  },
  {
    arbitrary: fc.record({
      op: fc.constant("register" as const),
      pick,
      guid: fc.nat(1),
      ref: fc.nat(2),
    }),
    weight: 6,
  },
  { arbitrary: fc.record({ op: fc.constant("enable" as const), pick }), weight: 6 },
  { arbitrary: fc.record({ op: fc.constant("disable" as const), pick }), weight: 6 },
  {
    arbitrary: fc.record({
      op: fc.constant("listen" as const),
      guid: fc.nat(1),
      includeExisting: fc.boolean(),
      app: fc.boolean(),
    }),
    weight: 12,
  },
  {
    arbitrary: fc.record({
      op: fc.constant("unlisten" as const),
      pick,
      ex: fc.boolean(),
      app: fc.boolean(),
    }),
    weight: 3,
  },
  {
    arbitrary: fc.record({
      op: fc.constant("open" as const),
      pick,
      kernel: fc.boolean(),
      closeOnQueryRemove: fc.boolean(),
    }),
    weight: 12,
  },
  { arbitrary: fc.record({ op: fc.constant("close" as const), pick }), weight: 6 },
  {
    arbitrary: fc.record({
      op: fc.constant("regWrite" as const),
      key: fc.nat(2),
      name: fc.nat(2),
      value: regValue,
      via: fc.constantFrom("view" as const, "zw" as const, "device" as const),
    }),
    weight: 6,
  },
  {
    arbitrary: fc.record({
      op: fc.constant("regVolatile" as const),
      key: fc.nat(2),
      name: fc.nat(2),
      value: regValue,
    }),
    weight: 3,
  },
  { arbitrary: fc.record({ op: fc.constant("regDelete" as const), key: fc.nat(2) }), weight: 3 },
  {
    arbitrary: fc.record({
      op: fc.constant("profile" as const),
      to: fc.nat(1),
      veto: fc.boolean(),
    }),
    weight: 3,
  },
  {
    arbitrary: fc.record({ op: fc.constant("reboot" as const), safeMode: fc.boolean() }),
    weight: 2,
  },
  { arbitrary: fc.constant({ op: "misuse" as const }), weight: 1 },
);

const sequences = fc.array(opArb, { minLength: 5, maxLength: 25 });

// ---- The machine under test and what the test knows about it ------------------------------------------

/** A kernel registration the test made. */
interface Registration {
  id: number;
  entry: NotificationEntry;
  guid: string;
  includeExisting: boolean;
  /** Trace length when IoRegisterPlugPlayNotification returned. */
  start: number;
  /** Trace length when it was unregistered (Infinity while registered). */
  end: number;
  /** Links replayed during the registration call. */
  replayed: Set<string>;
}

/** One call of the listener's callback. */
interface Delivery {
  reg: number;
  arrival: boolean;
  link: string;
  /** Trace length when the callback ran (its notify event is the last one). */
  at: number;
}

/** An application's interface-class registration. */
interface AppListen {
  guid: string;
  start: number;
  end: number;
}

interface Ctx {
  m: Machine;
  /** Index in the trace where the current boot starts. */
  bootAt: number;
  listener: DriverObject | null;
  regs: Registration[];
  deliveries: Delivery[];
  appListens: AppListen[];
  /** Applications' handles from openDevice: one application per handle. */
  appHandles: { app: string; handle: Handle }[];
  /** Applications whose handle the test closed. */
  closedApps: Set<string>;
  /** Kernel file objects from IoGetDeviceObjectPointer the test still holds. */
  kernelFiles: FileObject[];
  /** Every file object a CREATE succeeded for this boot (recorded by the drivers' IRP_MJ_CREATE). */
  ledger: FileObject[];
  nextId: number;
  /** Upper-cased links of the interfaces the host registered. */
  hostLinks: Set<string>;
  /** The bug check the misuse step raised, until a reboot. */
  halted: BugCheck | null;
}

/** The drivers of the generated devices; IRP_MJ_CREATE records each file object in the ledger. */
function drivers(ctx: Ctx) {
  const create = (k: Kernel, _d: DeviceObject, irp: Irp): number => {
    const file = k.IoGetCurrentIrpStackLocation(irp).FileObject;
    if (file) ctx.ledger.push(file);
    irp.IoStatus.Status = STATUS_SUCCESS;
    k.IoCompleteRequest(irp, 0);
    return STATUS_SUCCESS;
  };
  const hooks = { MajorFunction: { [IRP_MJ_CREATE]: create } };
  return [
    declarativeDriver(
      { name: "ptwidget", hardwareIds: ["PT\\WIDGET"], interfaces: [GUID_A] },
      hooks,
    ),
    declarativeDriver({ name: "pthub", hardwareIds: ["PT\\HUB"] }, hooks),
    declarativeDriver(
      {
        name: "ptstubborn",
        hardwareIds: ["PT\\STUBBORN"],
        interfaces: [GUID_B],
        vetoQueryRemove: true,
      },
      hooks,
    ),
    {
      name: "ptlisten",
      DriverEntry(_k: Kernel, driver: DriverObject): number {
        ctx.listener = driver;
        return STATUS_SUCCESS;
      },
    },
  ];
}

function newCtx(): Ctx {
  const m = boot({ hardwareProfiles: [...PROFILES], includeExistingDuplicates: { seed: 7 } });
  const ctx: Ctx = {
    m,
    bootAt: 0,
    listener: null,
    regs: [],
    deliveries: [],
    appListens: [],
    appHandles: [],
    closedApps: new Set(),
    kernelFiles: [],
    ledger: [],
    nextId: 0,
    hostLinks: new Set(),
    halted: null,
  };
  for (const spec of drivers(ctx)) m.loadDriver(spec);
  m.registry.createKey("HKLM\\SOFTWARE\\PnpLab");
  return ctx;
}

/** Devices below the root, in tree order. */
function devices(m: Machine): string[] {
  return m.devices().filter((id) => id !== ROOT_ID);
}

function choose<T>(list: readonly T[], n: number): T | undefined {
  return list.length ? list[n % list.length] : undefined;
}

/** A registered interface as the registry stores it under Control\DeviceClasses. */
interface StoredInterface {
  link: string;
  guid: string;
  instance: string;
  /** `#<ref>\Control\Linked` is 1. */
  linked: boolean;
}

function storedInterfaces(m: Machine, guid: string): StoredInterface[] {
  const base = `${CCS}\\Control\\DeviceClasses\\${guid}`;
  const out: StoredInterface[] = [];
  for (const dev of m.registry.subkeys(base)) {
    const instance = m.registry.getValue(`${base}\\${dev}`, "DeviceInstance")?.data;
    if (typeof instance !== "string") continue;
    for (const ref of m.registry.subkeys(`${base}\\${dev}`)) {
      if (!ref.startsWith("#")) continue;
      const user = m.registry.getValue(`${base}\\${dev}\\${ref}`, "SymbolicLink")?.data;
      if (typeof user !== "string") continue;
      const linked = m.registry.getValue(`${base}\\${dev}\\${ref}\\Control`, "Linked")?.data;
      out.push({ link: "\\??\\" + user.slice(4), guid, instance, linked: linked === 1 });
    }
  }
  return out;
}

function allInterfaces(m: Machine): StoredInterface[] {
  return GUIDS.flatMap((g) => storedInterfaces(m, g));
}

/** The interfaces the host registered (registrations persist across reboots, and so does this). */
function hostInterfaces(ctx: Ctx): StoredInterface[] {
  return allInterfaces(ctx.m).filter((i) => ctx.hostLinks.has(i.link.toUpperCase()));
}

const KEYS = [
  "HKLM\\SOFTWARE\\PnpLab\\One",
  "HKLM\\SOFTWARE\\PnpLab\\Two\\Deep",
  "HKLM\\SOFTWARE\\PnpLab\\Three",
];
const VALUE_NAMES = ["Alpha", "Beta", ""];

/** `HKLM\X` as the kernel names it. */
function kernelPath(path: string): string {
  return path.replace(/^HKLM/, "\\Registry\\Machine");
}

// ---- Running one step -----------------------------------------------------------------------------------

/** The verbs that must throw the machine's bug check while it is halted. */
function runStep(ctx: Ctx, op: Op): void {
  const { m } = ctx;
  const k = m.kernel;
  const present = devices(m);
  switch (op.op) {
    case "plug": {
      if (present.length >= MAX_DEVICES) return;
      const hubs = present.filter((id) =>
        m.devnode(id)?.state === "Started" && m.devnode(id)?.hardwareIds[0] === "PT\\HUB"
      );
      const parentId = choose([ROOT_ID, ...hubs], op.parent)!;
      const parent = parentId === ROOT_ID ? undefined : m.device(parentId);
      m.plugIn(
        { ...DEVICE_KINDS[op.kind]!, hardwareIds: [...DEVICE_KINDS[op.kind]!.hardwareIds] },
        parent,
      );
      return;
    }
    case "unplug":
    case "remove":
    case "eject":
    case "disableDevice":
    case "enableDevice": {
      const id = choose(present, op.pick);
      const pdo = id ? m.device(id) : undefined;
      if (!pdo) return;
      if (op.op === "unplug") m.unplug(pdo);
      else if (op.op === "remove") m.requestRemoval(pdo);
      else if (op.op === "eject") m.eject(pdo);
      else if (op.op === "disableDevice") m.disable(pdo);
      else m.enable(pdo);
      return;
    }
    case "rebalance": {
      // QUERY_STOP, STOP, START; a failed restart surprise-removes the subtree while the device
      // stays present ("State Transitions for PnP Devices").
      const id = choose(present, op.pick);
      const pdo = id ? m.device(id) : undefined;
      if (!pdo || m.devnode(pdo)?.state !== "Started") return;
      m.rebalance(pdo, { failRestart: op.failRestart });
      return;
    }
    case "register": {
      const id = choose(present, op.pick);
      const pdo = id ? m.device(id) : undefined;
      if (!pdo) return;
      const r = k.IoRegisterDeviceInterface(pdo, GUIDS[op.guid]!, REFS[op.ref] || null);
      if (r.status === STATUS_SUCCESS) ctx.hostLinks.add(r.symbolicLinkName!.toUpperCase());
      m.settle();
      return;
    }
    // The host enables and disables only the interfaces it registered: a driver's own interface is
    // the driver's to disable, and a second disable after someone else's is a verifier finding.
    case "enable": {
      // Enabling one of a device that left the tree is STATUS_OBJECT_NAME_NOT_FOUND.
      const i = choose(hostInterfaces(ctx).filter((x) => !x.linked), op.pick);
      if (!i) return;
      k.IoSetDeviceInterfaceState(i.link, true);
      m.settle();
      return;
    }
    case "disable": {
      // Only enabled ones: disabling one the PnP manager already disabled is a documented finding.
      const i = choose(hostInterfaces(ctx).filter((x) => x.linked), op.pick);
      if (!i) return;
      k.IoSetDeviceInterfaceState(i.link, false);
      m.settle();
      return;
    }
    case "listen": {
      const guid = GUIDS[op.guid]!;
      if (op.app) {
        if (ctx.appListens.some((l) => l.guid === guid && l.end === Infinity)) return;
        m.app("watcher").registerInterfaceNotification(guid);
        ctx.appListens.push({ guid, start: m.trace.length, end: Infinity });
        return;
      }
      const id = ++ctx.nextId;
      const before = m.trace.length;
      const r = k.IoRegisterPlugPlayNotification(
        EventCategoryDeviceInterfaceChange,
        op.includeExisting ? PNPNOTIFY_DEVICE_INTERFACE_INCLUDE_EXISTING_INTERFACES : 0,
        guid,
        ctx.listener!,
        (n: NotificationStructure, context: unknown) => {
          ctx.deliveries.push({
            reg: context as number,
            arrival: n.Event === GUID_DEVICE_INTERFACE_ARRIVAL,
            link: (n as { SymbolicLinkName: string }).SymbolicLinkName,
            at: m.trace.length,
          });
          return STATUS_SUCCESS;
        },
        id,
      );
      assert.equal(r.status, STATUS_SUCCESS);
      const replayed = new Set(
        ctx.deliveries.filter((d) => d.reg === id && d.at > before).map((d) =>
          d.link.toUpperCase()
        ),
      );
      ctx.regs.push({
        id,
        entry: r.notificationEntry!,
        guid,
        includeExisting: op.includeExisting,
        start: m.trace.length,
        end: Infinity,
        replayed,
      });
      m.settle();
      return;
    }
    case "unlisten": {
      if (op.app) {
        const l = choose(ctx.appListens.filter((x) => x.end === Infinity), op.pick);
        if (!l) return;
        m.app("watcher").unregisterInterfaceNotification(l.guid);
        l.end = m.trace.length;
        return;
      }
      const r = choose(ctx.regs.filter((x) => x.end === Infinity), op.pick);
      if (!r) return;
      if (op.ex) k.IoUnregisterPlugPlayNotificationEx(r.entry);
      else k.IoUnregisterPlugPlayNotification(r.entry);
      r.end = m.trace.length;
      m.settle();
      return;
    }
    case "open": {
      const i = choose(allInterfaces(m).filter((x) => x.linked), op.pick);
      if (!i) return;
      if (op.kernel) {
        const r = k.IoGetDeviceObjectPointer(i.link, 0x1);
        if (r.fileObject) ctx.kernelFiles.push(r.fileObject);
        m.settle();
        return;
      }
      const app = `h${++ctx.nextId}`;
      const r = m.openDevice(i.link, { app, closeOnQueryRemove: op.closeOnQueryRemove });
      if (NT_SUCCESS(r.status)) ctx.appHandles.push({ app, handle: r.handle });
      return;
    }
    case "close": {
      const all = [...ctx.appHandles.map((h) => ({ h })), ...ctx.kernelFiles.map((f) => ({ f }))];
      const c = choose(all, op.pick);
      if (!c) return;
      if ("h" in c) {
        ctx.appHandles.splice(ctx.appHandles.indexOf(c.h), 1);
        ctx.closedApps.add(c.h.app);
        m.closeHandle(c.h.handle);
      } else {
        ctx.kernelFiles.splice(ctx.kernelFiles.indexOf(c.f), 1);
        k.ObDereferenceObject(c.f);
        m.settle();
      }
      return;
    }
    case "regWrite": {
      const name = VALUE_NAMES[op.name]!;
      if (op.via === "view") {
        m.registry.setValue(KEYS[op.key]!, name, op.value.type, op.value.data);
      } else if (op.via === "device") {
        const id = choose(present, op.key);
        if (!id) return;
        m.registry.setValue(
          `${CCS}\\Enum\\${id}`,
          name || "FriendlyName",
          REG_SZ,
          `Device ${op.name}`,
        );
      } else {
        const r = k.ZwCreateKey(KEY_ALL_ACCESS, kernelPath(KEYS[op.key]!));
        if (r.keyHandle) {
          k.ZwSetValueKey(r.keyHandle, name, 0, op.value.type, op.value.data);
          k.ZwClose(r.keyHandle);
        }
      }
      return;
    }
    case "regVolatile": {
      // A volatile key: never saved, gone after a reboot (a non-volatile parent may hold it).
      const path = `\\Registry\\Machine\\SOFTWARE\\PnpLab\\Volatile${op.key}`;
      const r = k.ZwCreateKey(KEY_ALL_ACCESS, path, 0, null, REG_OPTION_VOLATILE);
      if (r.keyHandle) {
        k.ZwSetValueKey(r.keyHandle, VALUE_NAMES[op.name]!, 0, op.value.type, op.value.data);
        k.ZwClose(r.keyHandle);
      }
      return;
    }
    case "regDelete": {
      if (m.registry.exists(KEYS[op.key]!)) m.registry.deleteKey(KEYS[op.key]!);
      return;
    }
    case "profile":
      m.app("grumpy", { vetoProfileChange: op.veto });
      m.changeHardwareProfile(PROFILES[op.to]!);
      return;
    case "reboot":
      // A safe boot loads none of the generator's drivers (SafeBoot\Minimal names none of them).
      m.reboot({ safeMode: op.safeMode });
      resetAfterReboot(ctx);
      return;
    case "misuse": {
      // Documented misuse: IoRegisterDeviceInterface on a device object PnP was never told about is
      // bug check 0xCA (PNP_DETECTED_FATAL_ERROR), parameter 2 "invalid PDO".
      const d = k.IoCreateDevice(ctx.listener!, 0, null, 0x22, 0, false).deviceObject!;
      k.IoRegisterDeviceInterface(d, GUID_A, null);
      throw new Error("IoRegisterDeviceInterface on an unknown device object returned");
    }
  }
}

function resetAfterReboot(ctx: Ctx): void {
  // Nothing of the previous boot's software survives: registrations, applications, opens.
  const m = ctx.m;
  ctx.bootAt = m.trace.findLastIndex((e) => e.kind === "info" && e.what === "reboot");
  for (const r of ctx.regs) if (r.end === Infinity) r.end = ctx.bootAt;
  for (const l of ctx.appListens) if (l.end === Infinity) l.end = ctx.bootAt;
  ctx.regs = ctx.regs.filter((r) => r.start > ctx.bootAt);
  ctx.appListens = [];
  ctx.deliveries = [];
  ctx.appHandles = [];
  ctx.closedApps.clear();
  ctx.kernelFiles = [];
  ctx.ledger = [];
  ctx.halted = null;
}

/** Runs one step; a bug check is legitimate only for the misuse step, and then only the documented one. */
function step(ctx: Ctx, op: Op, index: number): void {
  const where = `step ${index} ${JSON.stringify(op, bigintJson)}`;
  if (ctx.halted) {
    // "Every later routine call throws the same BugCheck until machine.reboot()".
    if (op.op === "reboot") {
      runStep(ctx, op);
      return;
    }
    const m = ctx.m;
    const verbs = [
      () => m.plugIn("PT\\WIDGET"),
      () => m.settle(),
      () => m.kernel.IoGetDeviceInterfaces(GUID_A, null, 0),
      () => m.openDevice(`\\??\\PT#WIDGET#0#${GUID_A}`),
    ];
    for (const verb of verbs) {
      assert.throws(verb, (e) => e === ctx.halted, `${where}: the halted machine ran ${verb}`);
    }
    return;
  }
  try {
    runStep(ctx, op);
  } catch (e) {
    if (
      op.op === "misuse" && e instanceof BugCheck && e.code === 0xca && e.parameters[0] === 2 &&
      e.rule === "PnpInvalidPdo" && ctx.m.halted
    ) {
      ctx.halted = e;
      return;
    }
    throw new Error(`${where}: ${e instanceof Error ? e.stack : String(e)}`, { cause: e });
  }
}

function bigintJson(_k: string, v: unknown): unknown {
  if (typeof v === "bigint") return `${v}n`;
  if (v instanceof Uint8Array) return [...v];
  return v;
}

// ---- Invariants -------------------------------------------------------------------------------------------

type Check = (ctx: Ctx, where: string) => void;

/** No bug check in the trace except the documented one the misuse step asked for. */
const noUnexpectedBugCheck: Check = (ctx, where) => {
  const boots = ctx.m.trace.slice(ctx.bootAt);
  const checks = boots.filter((e) => e.kind === "bugcheck");
  if (ctx.halted) {
    assert.equal(checks.length, 1, `${where}: one bug check`);
    assert.equal(checks[0]!.kind === "bugcheck" && checks[0]!.rule, "PnpInvalidPdo", where);
  } else {
    assert.deepEqual(checks, [], `${where}: unexpected bug check`);
    // The generated drivers and host steps follow the documented rules: no verifier finding either.
    assert.deepEqual(boots.filter((e) => e.kind === "finding"), [], `${where}: verifier finding`);
    assert.equal(ctx.m.halted, false, `${where}: machine halted`);
  }
};

function isBroadcast(
  e: TraceEvent,
): e is Extract<TraceEvent, { kind: "notify" }> & { symbolicLinkName: string } {
  return e.kind === "notify" && e.target === "(broadcast)" &&
    typeof e.symbolicLinkName === "string";
}

/**
 * Interface lists, Control\Linked and notifications agree: each successful enable is matched by a
 * disable or a Linked value of 1; arrivals and removals alternate, one per announced enable and one
 * per disable of an announced interface; IoGetDeviceInterfaces lists exactly the linked ones; each
 * listener hears each broadcast made while it is registered once, a replayed interface at most twice.
 */
const interfacesAgree: Check = (ctx, where) => {
  const { m } = ctx;
  const events = m.trace.slice(ctx.bootAt);
  const stored = allInterfaces(m);
  const enables = new Map<string, number>();
  const disables = new Map<string, number>();
  const broadcasts = new Map<string, { arrival: boolean; at: number }[]>();
  const bump = (map: Map<string, number>, link: string) =>
    map.set(link.toUpperCase(), (map.get(link.toUpperCase()) ?? 0) + 1);
  events.forEach((e, i) => {
    if (
      e.kind === "call" && e.routine === "IoSetDeviceInterfaceState" && e.status === STATUS_SUCCESS
    ) {
      bump(e.args.Enable ? enables : disables, String(e.args.SymbolicLinkName));
    } else if (
      e.kind === "info" && e.what === "PnP disables an interface the driver left enabled"
    ) {
      bump(disables, String(e.detail!.symbolicLinkName));
    } else if (isBroadcast(e)) {
      const key = e.symbolicLinkName.toUpperCase();
      const list = broadcasts.get(key) ?? [];
      list.push({
        arrival: e.eventName === "GUID_DEVICE_INTERFACE_ARRIVAL",
        at: ctx.bootAt + i + 1,
      });
      broadcasts.set(key, list);
    }
  });
  for (const i of stored) {
    const key = i.link.toUpperCase();
    const e = enables.get(key) ?? 0;
    const d = disables.get(key) ?? 0;
    const b = broadcasts.get(key) ?? [];
    const w = `${where}: ${i.link}`;
    assert.equal(
      e - d,
      i.linked ? 1 : 0,
      `${w}: enables ${e} - disables ${d} vs Linked ${i.linked}`,
    );
    b.forEach((x, n) =>
      assert.equal(x.arrival, n % 2 === 0, `${w}: arrivals and removals alternate`)
    );
    const arrivals = b.filter((x) => x.arrival).length;
    const removals = b.length - arrivals;
    assert.ok(arrivals <= e, `${w}: ${arrivals} arrivals for ${e} enables`);
    assert.ok(removals <= d, `${w}: ${removals} removals for ${d} disables`);
    const announced = arrivals - removals === 1;
    if (announced) assert.ok(i.linked, `${w}: announced but not linked`);
    const state = m.devnode(i.instance)?.state;
    if (i.linked && state === "Started") {
      assert.ok(announced, `${w}: linked on a started device, not announced`);
    }
  }
  if (ctx.halted) return;
  for (const guid of GUIDS) {
    const active = m.kernel.IoGetDeviceInterfaces(guid, null, 0).symbolicLinkList ?? [];
    const all = m.kernel.IoGetDeviceInterfaces(guid, null, DEVICE_INTERFACE_INCLUDE_NONACTIVE)
      .symbolicLinkList ?? [];
    const mine = stored.filter((i) => i.guid === guid);
    assert.deepEqual(
      sorted(active),
      sorted(mine.filter((i) => i.linked).map((i) => i.link)),
      where,
    );
    assert.deepEqual(sorted(all), sorted(mine.map((i) => i.link)), where);
    assert.deepEqual(
      sorted(m.app("lister").getClassDevs(guid)),
      sorted(active.map((l) => ("\\\\?\\" + l.slice(4)).toLowerCase())),
      `${where}: SetupDiGetClassDevs`,
    );
  }
  // Kernel listeners.
  for (const r of ctx.regs) {
    const mine = ctx.deliveries.filter((d) => d.reg === r.id);
    for (const d of mine) {
      assert.ok(d.at <= r.end, `${where}: registration ${r.id} called after unregistration`);
    }
    for (const i of stored.filter((x) => x.guid === r.guid)) {
      const key = i.link.toUpperCase();
      const b = (broadcasts.get(key) ?? []).filter((x) => x.at > r.start && x.at < r.end);
      const got = mine.filter((d) => d.link.toUpperCase() === key);
      const w = `${where}: registration ${r.id} ${i.link}`;
      assert.equal(
        got.filter((d) => !d.arrival).length,
        b.filter((x) => !x.arrival).length,
        `${w}: one removal per broadcast removal`,
      );
      const arrivals = b.filter((x) => x.arrival).length;
      const replay = r.replayed.has(key) ? 1 : 0;
      if (replay) assert.ok(r.includeExisting, `${w}: replayed without INCLUDE_EXISTING`);
      const gotArrivals = got.filter((d) => d.arrival).length;
      assert.ok(
        gotArrivals >= arrivals + replay && gotArrivals <= arrivals + 2 * replay,
        `${w}: ${gotArrivals} arrivals for ${arrivals} broadcasts and ${replay} replay`,
      );
      // Never more than twice for one arrival: count arrivals between removals.
      let run = 0;
      for (const d of got) {
        run = d.arrival ? run + 1 : 0;
        assert.ok(run <= 2, `${w}: an arrival delivered ${run} times`);
      }
    }
  }
  // The application listener: one DBT message per broadcast while registered.
  const messages = events.filter((e) =>
    e.kind === "app" && e.app === "watcher" &&
    (e.detail?.action === "CM_NOTIFY_ACTION_DEVICEINTERFACEARRIVAL" ||
      e.detail?.action === "CM_NOTIFY_ACTION_DEVICEINTERFACEREMOVAL")
  );
  let expected = 0;
  for (const [link, list] of broadcasts) {
    const guid = /#(\{[0-9A-F-]{36}\})(?:\\|$)/.exec(link)?.[1]?.toLowerCase();
    for (const x of list) {
      if (ctx.appListens.some((l) => l.guid === guid && x.at > l.start && x.at < l.end)) expected++;
    }
  }
  assert.equal(messages.length, expected, `${where}: application interface messages`);
};

function sorted(list: string[]): string[] {
  return [...list].map((s) => s.toUpperCase()).sort();
}

/**
 * Every open is accounted for: the opens PnP counts on each devnode are exactly the live file objects
 * on its stack, which are the applications' handles (at most one file each) and the kernel file
 * objects the test holds; nothing is open on a device that has left the tree.
 */
const opensAccounted: Check = (ctx, where) => {
  const { m } = ctx;
  const live = ctx.ledger.filter((f) => !f.closed);
  let counted = 0;
  for (const id of devices(m)) {
    const info = m.devnode(id)!;
    const pdo = m.device(id);
    const here = live.filter((f) => f.DeviceObject.bottom === pdo).length;
    assert.equal(
      info.opens,
      here,
      `${where}: ${id} counts ${info.opens} opens, ${here} files are open`,
    );
    counted += info.opens;
  }
  assert.equal(counted, live.length, `${where}: open files on devices that left the tree`);
  const kernel = live.filter((f) => !f.openedBy.startsWith("app:"));
  const apps = live.filter((f) => f.openedBy.startsWith("app:"));
  assert.deepEqual(
    new Set(kernel),
    new Set(ctx.kernelFiles.filter((f) => !f.closed)),
    `${where}: kernel file objects`,
  );
  const perApp = new Map<string, number>();
  for (const f of apps) perApp.set(f.openedBy, (perApp.get(f.openedBy) ?? 0) + 1);
  for (const [app, n] of perApp) {
    assert.ok(n <= 1, `${where}: ${app} has ${n} files open through one handle`);
    assert.ok(
      !ctx.closedApps.has(app.slice(4)),
      `${where}: ${app} closed its handle, its file is open`,
    );
    assert.ok(ctx.appHandles.some((h) => `app:${h.app}` === app), `${where}: ${app} has no handle`);
  }
};

/** The non-volatile registry survives a save and a load unchanged (a reboot keeps exactly it). */
const hiveRoundTrips: Check = (ctx, where) => {
  const sys = ctx.m._sys;
  const saved = JSON.stringify(serializeHive(sys.hive, sys.clock));
  const loaded = deserializeHive(saved);
  assert.deepEqual(loaded.errors, [], `${where}: the saved hive does not load`);
  assert.equal(JSON.stringify(serializeHive(loaded.hive!, loaded.clock!)), saved, where);
};

/** The non-volatile keys and values under HKLM as the registry view walks them. */
function nonVolatileState(m: Machine): string[] {
  const out: string[] = [];
  const walk = (path: string) => {
    if (m.registry.isVolatile(path)) return;
    out.push(path.toUpperCase());
    for (const name of m.registry.valueNames(path)) {
      out.push(
        `${path.toUpperCase()} ${name.toUpperCase()} ${
          JSON.stringify(m.registry.getValue(path, name), bigintJson)
        }`,
      );
    }
    for (const sub of m.registry.subkeys(path)) walk(`${path}\\${sub}`);
  };
  walk("HKLM");
  return out;
}

/** After the sequence: `saveHive` then `boot({ hiveFile })` gives the same non-volatile registry. */
function savedHiveBootsEqual(ctx: Ctx, file: string): void {
  ctx.m.saveHive(file);
  const again = boot({ hiveFile: file, hardwareProfiles: [...PROFILES] });
  assert.deepEqual(nonVolatileState(again), nonVolatileState(ctx.m), "the reloaded hive differs");
}

function runSequence(ops: Op[], checks: Check[]): Ctx {
  const ctx = newCtx();
  ops.forEach((op, i) => {
    step(ctx, op, i);
    const where = `after step ${i} ${JSON.stringify(op, bigintJson)}`;
    for (const check of checks) check(ctx, where);
  });
  return ctx;
}

function property(checks: Check[], after?: (ctx: Ctx, ops: Op[]) => void): void {
  fc.assert(
    fc.property(sequences, (ops) => {
      const ctx = runSequence(ops, checks);
      after?.(ctx, ops);
    }),
    { seed: SEED, numRuns: NUM_RUNS },
  );
}

// ---- The properties -------------------------------------------------------------------------------------

Deno.test("random operation sequences: no exception escapes a routine; a bug check only for documented misuse (0xCA PnpInvalidPdo) and it holds until reboot", () => {
  property([noUnexpectedBugCheck]);
});

Deno.test("random operation sequences: interface lists, Control\\Linked and notifications agree (one arrival per enable, one removal per disable, replay at most twice)", () => {
  property([interfacesAgree]);
});

Deno.test("random operation sequences: every open is accounted for (devnode opens = application handles + kernel file objects)", () => {
  property([opensAccounted]);
});

Deno.test("random operation sequences: a saved and reloaded hive equals the live non-volatile registry", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pnplab-props-" });
  try {
    property([hiveRoundTrips], (ctx) => savedHiveBootsEqual(ctx, `${dir}/hive.json`));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("random operation sequences: the same sequence on fresh machines gives the same trace", () => {
  property([], (first, ops) => {
    const second = runSequence(ops, []);
    assert.equal(JSON.stringify(second.m.trace), JSON.stringify(first.m.trace));
  });
});
