/**
 * A small model of user-mode applications: CreateFile/CloseHandle on device interfaces,
 * CM_Register_Notification-style registrations for interface classes and device handles, the
 * DBT_* / CM_NOTIFY_ACTION_* events they receive, the documented reaction to a query-remove (close
 * the handle, reopen after a cancel), and SetupDiGetClassDevs-style listing.
 *
 * @module
 */
import {
  DEVICE_INTERFACE_INCLUDE_NONACTIVE,
  DO_DEVICE_INITIALIZING,
  IRP_MJ_CLEANUP,
  IRP_MJ_CLOSE,
  IRP_MJ_CREATE,
  IRP_MJ_DEVICE_CONTROL,
} from "../constants.ts";
import { deviceByName, sendToDevice } from "../io/driverio.ts";
import { newFileObject } from "../io/iomgr.ts";
import { type FileObject, ioControlCodeText } from "../io/objects.ts";
import {
  NT_SUCCESS,
  STATUS_DELETE_PENDING,
  STATUS_INVALID_HANDLE,
  STATUS_INVALID_PARAMETER,
  STATUS_NO_SUCH_DEVICE,
  STATUS_OBJECT_NAME_NOT_FOUND,
  STATUS_SUCCESS,
  STATUS_UNSUCCESSFUL,
} from "../ntstatus.ts";
import { Handle, HandleTable, INVALID_HANDLE_VALUE } from "../ob/handles.ts";
import type { System } from "../system.ts";
import type { DevNode } from "./devnode.ts";
import { type DeviceInterface, type InterfaceManager, normalizeGuid } from "./interfaces.ts";
import type { TARGET_DEVICE_CUSTOM_NOTIFICATION } from "./notify.ts";
import type { Veto } from "./pnpmgr.ts";
import type { RegData } from "../registry/data.ts";
import { Win32Registry } from "./win32_registry.ts";

/** dbt.h message codes (WM_DEVICECHANGE wParam). */
export const DBT = {
  DBT_DEVNODES_CHANGED: 0x0007,
  DBT_QUERYCHANGECONFIG: 0x0017,
  DBT_CONFIGCHANGED: 0x0018,
  DBT_CONFIGCHANGECANCELED: 0x0019,
  DBT_DEVICEARRIVAL: 0x8000,
  DBT_DEVICEQUERYREMOVE: 0x8001,
  DBT_DEVICEQUERYREMOVEFAILED: 0x8002,
  DBT_DEVICEREMOVEPENDING: 0x8003,
  DBT_DEVICEREMOVECOMPLETE: 0x8004,
  DBT_CUSTOMEVENT: 0x8006,
} as const;

/** cfgmgr32.h CM_NOTIFY_ACTION values, the same events for CM_Register_Notification callers. */
export const CM_NOTIFY_ACTION = {
  CM_NOTIFY_ACTION_DEVICEINTERFACEARRIVAL: 0,
  CM_NOTIFY_ACTION_DEVICEINTERFACEREMOVAL: 1,
  CM_NOTIFY_ACTION_DEVICEQUERYREMOVE: 2,
  CM_NOTIFY_ACTION_DEVICEQUERYREMOVEFAILED: 3,
  CM_NOTIFY_ACTION_DEVICEREMOVEPENDING: 4,
  CM_NOTIFY_ACTION_DEVICEREMOVECOMPLETE: 5,
  CM_NOTIFY_ACTION_DEVICECUSTOMEVENT: 6,
} as const;

/** `DIGCF_PRESENT` (0x2): SetupDiGetClassDevs lists only active interfaces. */
export const DIGCF_PRESENT = 0x00000002;
/** `DIGCF_DEVICEINTERFACE` (0x10). */
export const DIGCF_DEVICEINTERFACE = 0x00000010;

/** One message an application received. */
export interface AppMessage {
  /** `DBT_DEVICEARRIVAL` ... */
  dbt: keyof typeof DBT;
  /** The CM_NOTIFY_ACTION_* a CM_Register_Notification caller would see, where there is one. */
  action?: keyof typeof CM_NOTIFY_ACTION;
  /** `dbcc_name` (interface events) or the handle's interface (handle events). */
  name?: string;
  /** The custom event GUID of a DBT_CUSTOMEVENT. */
  eventGuid?: string;
}

/** An application's open handle. */
interface AppHandle {
  readonly link: string;
  file: FileObject | null;
  readonly closeOnQueryRemove: boolean;
  /** CM_Register_Notification(CM_NOTIFY_FILTER_TYPE_DEVICEHANDLE) on it. */
  registered: boolean;
  /** Closed because of a query-remove (reopen on QUERYREMOVEFAILED). */
  closedForQuery: boolean;
  readonly app: UserApp;
}

/** Behaviour knobs of an application. */
export interface AppOptions {
  /** Answer DBT_DEVICEQUERYREMOVE with BROADCAST_QUERY_DENY (a veto). */
  vetoQueryRemove?: boolean;
  /** Answer DBT_QUERYCHANGECONFIG with BROADCAST_QUERY_DENY. */
  vetoProfileChange?: boolean;
}

/** One application. */
export class UserApp {
  /** Its name (the trace shows `app:<name>`). */
  readonly name: string;
  /** What it received, in order. */
  readonly messages: AppMessage[] = [];
  /** Interface classes it registered for. */
  readonly interfaceClasses: Set<string> = new Set();
  /** Behaviour. */
  options: AppOptions;
  readonly #user: UserMode;

  /** Creates an application (use `machine.app(name)`). */
  constructor(user: UserMode, name: string, options: AppOptions = {}) {
    this.#user = user;
    this.name = name;
    this.options = options;
  }

  /** `CreateFile` on an interface, with a CM_Register_Notification on the handle. */
  openDevice(
    symbolicLinkName: string,
    options: { closeOnQueryRemove?: boolean } = {},
  ): { status: number; handle: Handle } {
    return this.#user.open(this, symbolicLinkName, options.closeOnQueryRemove ?? true);
  }

  /** `CloseHandle`. */
  closeHandle(handle: Handle): number {
    return this.#user.close(handle);
  }

  /**
   * `DeviceIoControl` on a handle from `openDevice`: IRP_MJ_DEVICE_CONTROL with the control code,
   * sent to the top of the stack the handle opened; returns the IRP's status and Information.
   */
  deviceIoControl(
    handle: Handle,
    ioControlCode: number,
    inputBuffer?: unknown,
  ): { status: number; information: unknown } {
    return this.#user.deviceIoControl(handle, ioControlCode, inputBuffer);
  }

  // ---- Registry (advapi32; lib/pnp/win32_registry.ts) --------------------------------------------
  // Previous mode UserMode: a handle's granted access is checked, unlike a driver's Zw call.

  #registryCalls: Win32Registry | undefined;
  get #registry(): Win32Registry {
    return this.#registryCalls ??= this.#user.registry(this);
  }

  /** `RegOpenKeyEx(hKey, lpSubKey, ulOptions, samDesired)`: a Win32 error, and the key when it opened. */
  RegOpenKeyEx(
    hKey: Handle,
    lpSubKey: string | null,
    ulOptions: number,
    samDesired: number,
  ): { error: number; hkResult?: Handle } {
    return this.#registry.RegOpenKeyEx(hKey, lpSubKey, ulOptions, samDesired);
  }

  /** `RegCreateKeyEx(hKey, lpSubKey, Reserved, lpClass, dwOptions, samDesired)`: creates missing keys on the way. */
  RegCreateKeyEx(
    hKey: Handle,
    lpSubKey: string,
    Reserved: number,
    lpClass: string | null,
    dwOptions: number,
    samDesired: number,
  ): { error: number; hkResult?: Handle; disposition?: number } {
    return this.#registry.RegCreateKeyEx(hKey, lpSubKey, Reserved, lpClass, dwOptions, samDesired);
  }

  /** `RegSetValueEx(hKey, lpValueName, Reserved, dwType, data)`: needs KEY_SET_VALUE on the handle. */
  RegSetValueEx(
    hKey: Handle,
    lpValueName: string | null,
    Reserved: number,
    dwType: number,
    data: RegData | null,
  ): number {
    return this.#registry.RegSetValueEx(hKey, lpValueName, Reserved, dwType, data);
  }

  /** `RegQueryValueEx(hKey, lpValueName)`: the value's type, data and size in bytes (`cbData`). */
  RegQueryValueEx(
    hKey: Handle,
    lpValueName: string | null,
  ): { error: number; type?: number; data?: RegData; cbData?: number } {
    return this.#registry.RegQueryValueEx(hKey, lpValueName);
  }

  /** `RegDeleteValue(hKey, lpValueName)`. */
  RegDeleteValue(hKey: Handle, lpValueName: string | null): number {
    return this.#registry.RegDeleteValue(hKey, lpValueName);
  }

  /** `RegDeleteKey(hKey, lpSubKey)`: a key without subkeys. */
  RegDeleteKey(hKey: Handle, lpSubKey: string | null): number {
    return this.#registry.RegDeleteKey(hKey, lpSubKey);
  }

  /** `RegEnumKeyEx(hKey, dwIndex)`: the subkey name at an index. */
  RegEnumKeyEx(hKey: Handle, dwIndex: number): { error: number; name?: string } {
    return this.#registry.RegEnumKeyEx(hKey, dwIndex);
  }

  /** `RegCloseKey(hKey)`. */
  RegCloseKey(hKey: Handle): number {
    return this.#registry.RegCloseKey(hKey);
  }

  /** `CM_Register_Notification(CM_NOTIFY_FILTER_TYPE_DEVICEINTERFACE)` for a class. */
  registerInterfaceNotification(classGuid: string): number {
    const guid = normalizeGuid(classGuid);
    if (!guid) return STATUS_INVALID_PARAMETER;
    this.interfaceClasses.add(guid);
    this.#user.log(this, "CM_Register_Notification", {
      filter: "CM_NOTIFY_FILTER_TYPE_DEVICEINTERFACE",
      classGuid: guid,
    });
    return STATUS_SUCCESS;
  }

  /** `CM_Unregister_Notification` for a class. */
  unregisterInterfaceNotification(classGuid: string): number {
    const guid = normalizeGuid(classGuid);
    if (!guid || !this.interfaceClasses.delete(guid)) return STATUS_INVALID_PARAMETER;
    this.#user.log(this, "CM_Unregister_Notification", { classGuid: guid });
    return STATUS_SUCCESS;
  }

  /**
   * `SetupDiGetClassDevs(guid, NULL, NULL, DIGCF_DEVICEINTERFACE [| DIGCF_PRESENT])`: each interface's
   * `SetupDiGetDeviceInterfaceDetail` DevicePath, which is lower-cased (`\\?\wine#test#1#{...}` in
   * Wine's test_pnp_devices, run on Windows), unlike a broadcast's dbcc_name.
   */
  getClassDevs(classGuid: string, flags: number = DIGCF_PRESENT | DIGCF_DEVICEINTERFACE): string[] {
    const r = this.#user.interfaces.list(
      classGuid,
      null,
      flags & DIGCF_PRESENT ? 0 : DEVICE_INTERFACE_INCLUDE_NONACTIVE,
    );
    return (r.symbolicLinkList ?? []).map((l) => ("\\\\?\\" + l.slice(4)).toLowerCase());
  }
}

/** Every application of one machine. */
export class UserMode {
  readonly #sys: System;
  /** The interfaces (for opens and listings). */
  readonly interfaces: InterfaceManager;
  /** Applications by name. */
  readonly apps: Map<string, UserApp> = new Map();
  readonly #handles: HandleTable<AppHandle> = new HandleTable<AppHandle>();

  /** Creates the user-mode model. */
  constructor(sys: System, interfaces: InterfaceManager) {
    this.#sys = sys;
    this.interfaces = interfaces;
  }

  /** The application with a name (created on first use). */
  app(name: string, options?: AppOptions): UserApp {
    let a = this.apps.get(name);
    if (!a) {
      a = new UserApp(this, name, options);
      this.apps.set(name, a);
    } else if (options) a.options = { ...a.options, ...options };
    return a;
  }

  /**
   * Records what an application does. A call that sends IRPs is logged before them, as it starts
   * (the order the trace and the sequence diagram show); the caller fills in `detail.status` when it
   * returns, as call events get theirs.
   */
  log(app: UserApp, action: string, detail?: Record<string, unknown>): void {
    this.#sys.trace.push({ kind: "app", app: app.name, action, ...(detail ? { detail } : {}) });
  }

  #message(app: UserApp, m: AppMessage): void {
    app.messages.push(m);
    this.#sys.trace.push({
      kind: "app",
      app: app.name,
      action: m.dbt,
      detail: {
        ...(m.action ? { action: m.action } : {}),
        ...(m.name ? { name: m.name } : {}),
        ...(m.eventGuid ? { eventGuid: m.eventGuid } : {}),
      },
    });
  }

  /** Opens an interface for an application or a driver: IRP_MJ_CREATE down the stack; the open then counts against removal. */
  openFile(link: string, openedBy: string, process: string): { status: number; file?: FileObject } {
    const i = this.interfaces.lookup(link);
    if (!i) return this.#openByName(link, openedBy, process);
    if (!i.enabled) return { status: STATUS_OBJECT_NAME_NOT_FOUND };
    const node = this.interfaces.nodeOf(i);
    if (!node) return { status: STATUS_OBJECT_NAME_NOT_FOUND };
    // Creates fail until START has completed for the whole stack, and once removal has begun.
    if (!i.announced || node.state === "SurpriseRemoved") return { status: STATUS_NO_SUCH_DEVICE };
    if (node.state === "RemovePending" || node.removalInProgress) {
      return { status: STATUS_DELETE_PENDING };
    }
    const file = newFileObject(this.#sys, node.pdo, i.symbolicLinkName, openedBy);
    const r = this.#sys.pnp.sendIrp(node, 0, {}, {
      major: IRP_MJ_CREATE,
      fileObject: file,
      preset: STATUS_SUCCESS,
      frame: { name: openedBy, process },
    });
    if (!NT_SUCCESS(r.status)) return { status: r.status };
    node.addOpen(file);
    return { status: STATUS_SUCCESS, file };
  }

  /**
   * An open by object name (`\Device\Name`, or a link to it from IoCreateSymbolicLink such as
   * `\DosDevices\Name`; an application's `\\.\Name` is `\??\Name`): IRP_MJ_CREATE to the top of
   * the stack the named device is in. A device whose devnode was surprise-removed fails with
   * STATUS_NO_SUCH_DEVICE while its name remains (Wine `ntoskrnl.c` test_pnp_devices, todo_wine
   * there, so Windows' answer); once the device is deleted its name is gone:
   * STATUS_OBJECT_NAME_NOT_FOUND.
   */
  #openByName(
    link: string,
    openedBy: string,
    process: string,
  ): { status: number; file?: FileObject } {
    // Win32's `\\.\` and `\\?\` prefixes are the object manager's `\??\`.
    const name = typeof link === "string" && /^\\\\[.?]\\/.test(link)
      ? `\\??\\${link.slice(4)}`
      : link;
    const found = deviceByName(this.#sys, name);
    if (!found.device) return { status: found.status };
    const device = found.device;
    const node = this.#sys.pnp.nodeOf(device.bottom);
    // The I/O manager's check before a create: a device still initializing, or one whose stack
    // is being removed (DOE_REMOVE_PENDING after a query-remove, DOE_REMOVE_PROCESSED after a
    // surprise removal) is STATUS_NO_SUCH_DEVICE (IopCheckDeviceAndDriver).
    if (
      device.deleted || device.Flags & DO_DEVICE_INITIALIZING ||
      node?.state === "SurpriseRemoved" || node?.state === "RemovePending" ||
      node?.removalInProgress
    ) return { status: STATUS_NO_SUCH_DEVICE };
    const file = newFileObject(this.#sys, device, name, openedBy);
    const r = sendToDevice(
      this.#sys,
      file.relatedDevice,
      IRP_MJ_CREATE,
      {},
      file,
      openedBy,
      process,
    );
    if (!NT_SUCCESS(r.status)) return { status: r.status };
    node?.addOpen(file);
    return { status: STATUS_SUCCESS, file };
  }

  /** Ends an open: IRP_MJ_CLEANUP and IRP_MJ_CLOSE, then PnP may finish a waiting removal. */
  closeFile(file: FileObject, process: string): void {
    const node = this.#sys.pnp.nodeOf(file.relatedDevice.bottom);
    if (!node && !file.relatedDevice.deleted) {
      // A device outside PnP (a driver's named control device) gets the same two IRPs.
      for (const major of [IRP_MJ_CLEANUP, IRP_MJ_CLOSE]) {
        sendToDevice(this.#sys, file.relatedDevice, major, {}, file, file.openedBy, process);
      }
    }
    if (node && !file.relatedDevice.deleted && !file.relatedDevice.bottom.deleted) {
      for (const major of [IRP_MJ_CLEANUP, IRP_MJ_CLOSE]) {
        if (file.relatedDevice.deleted) break;
        this.#sys.pnp.sendIrp(node, 0, {}, {
          major,
          fileObject: file,
          preset: STATUS_SUCCESS,
          target: file.relatedDevice,
          frame: { name: file.openedBy, process },
        });
      }
    }
    this.#sys.pnp.closeOpen(file);
  }

  /** An application's CreateFile (plus the handle registration). */
  open(
    app: UserApp,
    link: string,
    closeOnQueryRemove: boolean,
  ): { status: number; handle: Handle } {
    const detail: Record<string, unknown> = { name: link, status: undefined };
    this.log(app, "CreateFile", detail);
    const r = this.openFile(link, `app:${app.name}`, app.name);
    detail.status = r.status;
    if (!r.file) return { status: r.status, handle: INVALID_HANDLE_VALUE };
    const handle = this.#handles.open({
      object: {
        link,
        file: r.file,
        closeOnQueryRemove,
        registered: true,
        closedForQuery: false,
        app,
      },
      granted: 0,
      kernel: false,
      process: app.name,
      openedBy: `app:${app.name}`,
      driver: null,
      routine: "CreateFile",
    });
    return { status: STATUS_SUCCESS, handle };
  }

  /** An application's DeviceIoControl: IRP_MJ_DEVICE_CONTROL down the stack its handle opened. */
  deviceIoControl(
    handle: Handle,
    ioControlCode: number,
    inputBuffer?: unknown,
  ): { status: number; information: unknown } {
    const h = this.#handles.get(handle)?.object;
    const file = h?.file;
    if (!h || !file) return { status: STATUS_INVALID_HANDLE, information: 0 };
    const node = this.#sys.pnp.nodeOf(file.relatedDevice.bottom);
    let r: { status: number; information: unknown } = {
      status: STATUS_NO_SUCH_DEVICE,
      information: 0,
    };
    const detail: Record<string, unknown> = {
      name: h.link,
      ioControlCode: ioControlCodeText(ioControlCode),
      status: undefined,
    };
    this.log(h.app, "DeviceIoControl", detail);
    if (!node && !file.relatedDevice.deleted) {
      // A device outside PnP (a driver's named control device).
      r = sendToDevice(
        this.#sys,
        file.relatedDevice,
        IRP_MJ_DEVICE_CONTROL,
        {
          DeviceIoControl: {
            IoControlCode: ioControlCode >>> 0,
            InputBufferLength: inputBuffer === undefined ? 0 : 1,
            OutputBufferLength: 0,
            ...(inputBuffer === undefined ? {} : { InputBuffer: inputBuffer }),
          },
        },
        file,
        file.openedBy,
        h.app.name,
      );
    } else if (node && !file.relatedDevice.deleted) {
      r = this.#sys.pnp.sendIrp(node, 0, {
        DeviceIoControl: {
          IoControlCode: ioControlCode >>> 0,
          InputBufferLength: inputBuffer === undefined ? 0 : 1,
          OutputBufferLength: 0,
          ...(inputBuffer === undefined ? {} : { InputBuffer: inputBuffer }),
        },
      }, {
        major: IRP_MJ_DEVICE_CONTROL,
        fileObject: file,
        preset: STATUS_SUCCESS,
        target: file.relatedDevice,
        frame: { name: file.openedBy, process: h.app.name },
      });
    }
    detail.status = r.status;
    return { status: r.status, information: r.information };
  }

  /** An application's CloseHandle. */
  close(handle: Handle): number {
    const entry = this.#handles.get(handle);
    if (!entry) return STATUS_INVALID_HANDLE;
    const h = entry.object;
    this.#handles.close(handle);
    this.log(h.app, "CloseHandle", { name: h.link });
    if (h.file && !h.file.closed) this.closeFile(h.file, h.app.name);
    h.file = null;
    return STATUS_SUCCESS;
  }

  #handlesOn(node: DevNode): [Handle, AppHandle][] {
    return this.#handles.entries()
      .filter(([, e]) =>
        e.object.registered && e.object.file &&
        this.#sys.pnp.nodeOf(e.object.file.DeviceObject.bottom) === node
      )
      .map(([h, e]) => [h, e.object]);
  }

  /** DBT_DEVICEQUERYREMOVE to each registered handle on the device: well-behaved applications close it. */
  queryRemove(node: DevNode): Veto | null {
    for (const [, h] of this.#handlesOn(node)) {
      this.#message(h.app, {
        dbt: "DBT_DEVICEQUERYREMOVE",
        action: "CM_NOTIFY_ACTION_DEVICEQUERYREMOVE",
        name: h.link,
      });
      if (h.app.options.vetoQueryRemove) {
        this.log(h.app, "BROADCAST_QUERY_DENY", { name: h.link });
        return {
          status: STATUS_UNSUCCESSFUL,
          vetoType: "PNP_VetoWindowsApp",
          by: `app:${h.app.name}`,
          instance: node.instanceId,
        };
      }
      if (h.closeOnQueryRemove && h.file) {
        this.log(h.app, "CloseHandle", { name: h.link, reason: "query-remove" });
        this.closeFile(h.file, h.app.name);
        h.file = null;
        h.closedForQuery = true;
      }
    }
    return null;
  }

  /** DBT_DEVICEQUERYREMOVEFAILED: applications that closed for the query reopen the device (the registration stays). */
  removeCancelled(node: DevNode): void {
    for (const [, e] of this.#handles.entries()) {
      const h = e.object;
      if (!h.registered) continue;
      const onNode = h.file
        ? this.#sys.pnp.nodeOf(h.file.DeviceObject.bottom) === node
        : h.closedForQuery &&
          this.interfaces.nodeOf(this.interfaces.lookup(h.link)!) === node;
      if (!onNode) continue;
      this.#message(h.app, {
        dbt: "DBT_DEVICEQUERYREMOVEFAILED",
        action: "CM_NOTIFY_ACTION_DEVICEQUERYREMOVEFAILED",
        name: h.link,
      });
      if (h.closedForQuery) {
        h.closedForQuery = false;
        const detail: Record<string, unknown> = {
          name: h.link,
          status: undefined,
          reason: "reopen after cancelled removal",
        };
        this.log(h.app, "CreateFile", detail);
        const r = this.openFile(h.link, `app:${h.app.name}`, h.app.name);
        detail.status = r.status;
        h.file = r.file ?? null;
      }
    }
  }

  /** DBT_DEVICEREMOVECOMPLETE to each registered handle: the application unregisters and closes (a legacy one holds on). */
  removeComplete(node: DevNode, surprise: boolean): void {
    for (const [handle, e] of this.#handles.entries()) {
      const h = e.object;
      if (!h.registered) continue;
      const onNode = (h.file && this.#sys.pnp.nodeOf(h.file.DeviceObject.bottom) === node) ||
        (!h.file && h.closedForQuery &&
          this.interfaces.lookup(h.link)?.instanceId.toUpperCase() ===
            node.instanceId.toUpperCase());
      if (!onNode) continue;
      this.#message(h.app, {
        dbt: "DBT_DEVICEREMOVECOMPLETE",
        action: "CM_NOTIFY_ACTION_DEVICEREMOVECOMPLETE",
        name: h.link,
      });
      h.registered = false;
      this.log(h.app, "CM_Unregister_Notification", { name: h.link });
      if (h.closeOnQueryRemove || !surprise) {
        this.close(handle);
      }
    }
  }

  /** Interface arrival or removal to applications registered for the class (dbcc_name keeps the kernel's case). */
  interfaceEvent(i: DeviceInterface, arrival: boolean): void {
    for (const app of this.apps.values()) {
      if (!app.interfaceClasses.has(i.classGuid)) continue;
      this.#message(app, {
        dbt: arrival ? "DBT_DEVICEARRIVAL" : "DBT_DEVICEREMOVECOMPLETE",
        action: arrival
          ? "CM_NOTIFY_ACTION_DEVICEINTERFACEARRIVAL"
          : "CM_NOTIFY_ACTION_DEVICEINTERFACEREMOVAL",
        name: "\\\\?\\" + i.symbolicLinkName.slice(4),
      });
    }
  }

  /** DBT_CUSTOMEVENT to each registered handle on the device. */
  customEvent(node: DevNode, n: TARGET_DEVICE_CUSTOM_NOTIFICATION): void {
    for (const [, h] of this.#handlesOn(node)) {
      this.#message(h.app, {
        dbt: "DBT_CUSTOMEVENT",
        action: "CM_NOTIFY_ACTION_DEVICECUSTOMEVENT",
        name: h.link,
        eventGuid: n.Event.toLowerCase(),
      });
    }
  }

  /** DBT_QUERYCHANGECONFIG to every application; one that denies vetoes. */
  profileQuery(): Veto | null {
    for (const app of this.apps.values()) {
      this.#message(app, { dbt: "DBT_QUERYCHANGECONFIG" });
      if (app.options.vetoProfileChange) {
        this.log(app, "BROADCAST_QUERY_DENY", {});
        return {
          status: STATUS_UNSUCCESSFUL,
          vetoType: "PNP_VetoWindowsApp",
          by: `app:${app.name}`,
          instance: "",
        };
      }
    }
    return null;
  }

  /** DBT_CONFIGCHANGED or DBT_CONFIGCHANGECANCELED to every application. */
  profileDone(complete: boolean): void {
    for (const app of this.apps.values()) {
      this.#message(app, { dbt: complete ? "DBT_CONFIGCHANGED" : "DBT_CONFIGCHANGECANCELED" });
    }
  }

  /** An application's registry calls, run in its process with previous mode UserMode. */
  registry(app: UserApp): Win32Registry {
    return new Win32Registry(
      this.#sys,
      app.name,
      (action, detail) => this.log(app, action, detail),
    );
  }

  /** Whether a handle belongs to this user-mode model. */
  owns(handle: unknown): boolean {
    return handle instanceof Handle && this.#handles.get(handle) !== undefined;
  }
}
