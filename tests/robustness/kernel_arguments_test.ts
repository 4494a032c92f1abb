/**
 * Every routine of `Kernel` called with arguments of the wrong kind: undefined, null, numbers out of
 * every range, strings, plain objects, arrays, functions, and real objects of another kind (a key
 * handle where a device object belongs, a closed handle, a file object, a driver object, a
 * notification entry, an event). Windows answers such a call with a status, or stops with a bug
 * check whose analysis names the bad argument; it never leaves a machine that runs but is broken.
 * So the rule checked here (issue 14): no JavaScript exception but a `BugCheck` escapes a routine,
 * and a machine that did not bug check keeps working: plugIn, openDevice, requestRemoval, unplug.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  boot,
  BugCheck,
  declarativeDriver,
  type DeviceObject,
  type DriverObject,
  EventCategoryDeviceInterfaceChange,
  type FileObject,
  type Kernel,
  KEVENT,
  KEY_ALL_ACCESS,
  type Machine,
  NT_SUCCESS,
  PNPNOTIFY_DEVICE_INTERFACE_INCLUDE_EXISTING_INTERFACES,
  STATUS_SUCCESS,
} from "../../mod.ts";
import { fuzzSeed, fuzzSequences } from "./_fuzz.ts";

const GUID = "{0badf00d-5eed-4a11-9e57-0000000000c1}";

/** Every routine a driver can call: the methods of Kernel. */
const ROUTINES: readonly string[] = Object.getOwnPropertyNames(
  // deno-lint-ignore no-explicit-any
  (boot().kernel as any).constructor.prototype,
).filter((name) => /^[A-Z]/.test(name) && name !== "InitSafeBootMode").sort();

/** A machine with a driver, a started device with an interface, and objects of every kind. */
interface World {
  m: Machine;
  k: Kernel;
  driver: DriverObject;
  pdo: DeviceObject;
  link: string;
  objects: unknown[];
}

function world(): World {
  const m = boot();
  let driver: DriverObject | undefined;
  m.loadDriver(
    declarativeDriver({ name: "kawidget", hardwareIds: ["KA\\WIDGET"], interfaces: [GUID] }),
  );
  m.loadDriver({
    name: "kalisten",
    DriverEntry(_k: Kernel, d: DriverObject): number {
      driver = d;
      return STATUS_SUCCESS;
    },
  });
  const k = m.kernel;
  const pdo = m.plugIn("KA\\WIDGET");
  const link = k.IoGetDeviceInterfaces(GUID, null, 0).symbolicLinkList![0]!;
  const open = k.ZwOpenKey(KEY_ALL_ACCESS, "\\Registry\\Machine\\SOFTWARE").keyHandle!;
  const closed = k.ZwOpenKey(KEY_ALL_ACCESS, "\\Registry\\Machine\\SOFTWARE").keyHandle!;
  k.ZwClose(closed);
  const pointer = k.IoGetDeviceObjectPointer(link, 0);
  const file = pointer.fileObject as FileObject;
  const entry = k.IoRegisterPlugPlayNotification(
    EventCategoryDeviceInterfaceChange,
    0,
    GUID,
    driver!,
    () => STATUS_SUCCESS,
  ).notificationEntry;
  const objects = [open, closed, pdo, driver!, file, entry, new KEVENT(), pdo.DriverObject];
  return { m, k, driver: driver!, pdo, link, objects };
}

/** Values of the wrong kind; `pick` indexes the world's objects of other kinds. */
type Wrong =
  | { kind: "value"; value: unknown }
  | { kind: "object"; pick: number }
  | { kind: "shaped"; like: number };

const WRONG: fc.Arbitrary<Wrong> = fc.oneof(
  fc.record({
    kind: fc.constant("value" as const),
    value: fc.oneof(
      fc.constantFrom(
        undefined,
        null,
        0,
        -1,
        1.5,
        Number.NaN,
        Infinity,
        2 ** 32,
        -(2 ** 31) - 1,
        Number.MAX_SAFE_INTEGER,
        "",
        "x",
        "\\Registry\\Machine\\SOFTWARE",
        "{not-a-guid}",
        "\\??\\nothing#{0badf00d-5eed-4a11-9e57-0000000000c1}",
        true,
        false,
        10n,
        [],
        ["x"],
        {},
        { ObjectName: 7 },
        { Type: 1, Event: "x" },
        () => 0,
        Symbol.for("x"),
        new Uint8Array(3),
      ),
      fc.jsonValue({ maxDepth: 2 }),
    ),
  }),
  fc.record({ kind: fc.constant("object" as const), pick: fc.nat() }),
  // A plain object shaped like a real one (its enumerable fields copied): it is not one.
  fc.record({ kind: fc.constant("shaped" as const), like: fc.nat() }),
);

function materialize(w: World, wrong: Wrong): unknown {
  switch (wrong.kind) {
    case "value":
      return wrong.value;
    case "object":
      return w.objects[wrong.pick % w.objects.length];
    case "shaped":
      return { ...(w.objects[wrong.like % w.objects.length] as object) };
  }
}

/** One call: a routine and its arguments, each of the wrong kind or left as a real valid object. */
interface Call {
  routine: number;
  args: (Wrong | null)[];
}

const CALL: fc.Arbitrary<Call> = fc.record({
  routine: fc.nat(ROUTINES.length - 1),
  args: fc.array(fc.option(WRONG, { freq: 4 }), { minLength: 0, maxLength: 8 }),
});

/** A valid argument for positions the call leaves alone: the link, a GUID, the PDO, ... by turn. */
function valid(w: World, position: number): unknown {
  return [w.pdo, GUID, w.driver, w.link, 0, w.objects[0]][position % 6];
}

function call(w: World, c: Call): unknown {
  const name = ROUTINES[c.routine]!;
  // deno-lint-ignore no-explicit-any
  const fn = (w.k as any)[name] as (...a: unknown[]) => unknown;
  const args = c.args.map((a, i) => (a === null ? valid(w, i) : materialize(w, a)));
  return fn.apply(w.k, args);
}

/** What every machine that did not bug check still does: the verbs a user and a driver rely on. */
function assertWorking(w: World, after: string): void {
  const m = w.m;
  try {
    const pdo = m.plugIn(`KA\\WIDGET`);
    const links = w.k.IoGetDeviceInterfaces(GUID, pdo, 0).symbolicLinkList ?? [];
    assert.equal(links.length, 1, "the new device has its interface");
    const opened = m.openDevice(links[0]!);
    assert.ok(NT_SUCCESS(opened.status), "openDevice");
    m.closeHandle(opened.handle);
    const other = m.plugIn(`KA\\WIDGET`);
    assert.equal(m.requestRemoval(pdo), STATUS_SUCCESS);
    m.unplug(other);
    m.settle();
  } catch (e) {
    // A bad pointer a routine stored and dereferenced later stops the machine then: a modelled
    // bug check, with the machine halted, is what Windows does; anything else is a broken machine.
    if (e instanceof BugCheck && m.halted) return;
    throw new Error(
      `the machine stopped working after ${after}: ${e instanceof Error ? e.stack : e}`,
    );
  }
}

/** An argument as a failure message shows it (bigints, symbols and cycles included). */
function show(value: unknown): string {
  try {
    return JSON.stringify(
      value,
      (_k, v) => typeof v === "bigint" || typeof v === "symbol" ? String(v) : v,
    ) ?? String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** Runs calls; returns the bug check that stopped the machine, if one did. */
function run(w: World, calls: Call[]): BugCheck | undefined {
  for (const c of calls) {
    const shown = `${ROUTINES[c.routine]}(${c.args.map(show).join(", ")})`;
    try {
      call(w, c);
      w.m.settle();
    } catch (e) {
      // A wait nothing can end (a real KEVENT no one sets) is the model's hang: the thread would
      // wait forever, which the model reports instead of hanging the host. Not a wrong argument.
      if (e instanceof Error && e.name === "PnpHangError") {
        assert.match(e.message, /would wait forever|deadlock/);
        return undefined;
      }
      if (e instanceof BugCheck) {
        // A modelled bug check: the machine is halted, and the analysis says what went wrong.
        assert.ok(w.m.halted, `${shown} threw a BugCheck but the machine runs`);
        return e;
      }
      throw new Error(`${shown} threw ${e instanceof Error ? e.stack : String(e)}`);
    }
  }
  assertWorking(w, calls.map((c) => ROUTINES[c.routine]).join(", "));
  return undefined;
}

Deno.test("issue 14: IoRegisterPlugPlayNotification with an object that is not a DriverObject does not succeed, and plugIn, unplug, requestRemoval and openDevice keep working", () => {
  const w = world();
  for (const flags of [0, PNPNOTIFY_DEVICE_INTERFACE_INCLUDE_EXISTING_INTERFACES]) {
    for (const notADriver of [{}, { DriverName: "\\Driver\\fake" }, w.pdo, w.objects[0], "x"]) {
      let status: number | undefined;
      try {
        status = w.k.IoRegisterPlugPlayNotification(
          EventCategoryDeviceInterfaceChange,
          flags,
          GUID,
          notADriver as DriverObject,
          () => STATUS_SUCCESS,
        ).status;
      } catch (e) {
        assert.ok(e instanceof BugCheck, String(e));
        w.m.reboot();
        continue;
      }
      assert.ok(!NT_SUCCESS(status), `registered with ${show(notADriver)}`);
      assertWorking(w, "IoRegisterPlugPlayNotification");
    }
  }
});

Deno.test("issue 14: a routine that dereferences an argument of the wrong kind is bug check 0x7E SYSTEM_THREAD_EXCEPTION_NOT_HANDLED (STATUS_ACCESS_VIOLATION) naming the argument, and the machine halts until reboot", () => {
  const w = world();
  const irp = "not an IRP";
  assert.throws(
    () => w.k.IoCallDriver(undefined as unknown as DeviceObject, irp as never),
    (e: unknown) =>
      e instanceof BugCheck && e.code === 0x7e && e.parameters[0] === 0xc0000005 &&
      /IoCallDriver faulted: DeviceObject \(.*\) is not a DEVICE_OBJECT/.test(e.message),
  );
  assert.ok(w.m.halted);
  w.m.reboot();
  assert.equal(w.m.halted, false);
});

Deno.test("issue 14: KeLowerIrql and KeRaiseIrql with a value that is not an IRQL stop with 0xA and 0x9 instead of storing it as the caller's IRQL", () => {
  for (const [routine, code] of [["KeLowerIrql", 0x0a], ["KeRaiseIrql", 0x09]] as const) {
    for (const value of [undefined, "2", 1.5, -1, 16, 10n]) {
      const w = world();
      assert.throws(
        () => w.k[routine](value as number),
        (e: unknown) => e instanceof BugCheck && e.code === code,
      );
    }
  }
});

Deno.test("every Kernel routine called with arguments of the wrong kind: only a BugCheck escapes, and a machine that did not bug check keeps working", () => {
  const counts = { calls: 0, bugChecks: 0 };
  for (const name of ROUTINES) assert.ok(name.length > 0);
  fc.assert(
    fc.property(fc.array(CALL, { minLength: 1, maxLength: 4 }), (calls) => {
      const w = world();
      counts.calls += calls.length;
      if (run(w, calls)) counts.bugChecks++;
    }),
    { seed: fuzzSeed(), numRuns: fuzzSequences(300) },
  );
  assert.ok(counts.calls >= fuzzSequences(300));
});

Deno.test("each Kernel routine alone, with every argument of the wrong kind in turn: no JavaScript exception escapes", () => {
  for (let routine = 0; routine < ROUTINES.length; routine++) {
    for (let position = 0; position < 7; position++) {
      for (const value of [undefined, null, -1, "x", {}, [], 2 ** 32]) {
        const w = world();
        const args: (Wrong | null)[] = Array.from({ length: 7 }, () => null);
        args[position] = { kind: "value", value };
        run(w, [{ routine, args }]);
      }
    }
  }
});
