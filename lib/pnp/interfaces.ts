/**
 * Device interfaces (deviface): registration under `Control\DeviceClasses`, enabling and disabling
 * (the volatile `Control\Linked` value), listing, aliases, per-interface registry keys and properties.
 * Arrival and removal notifications are queued; an arrival is held until IRP_MN_START_DEVICE has
 * completed for the whole stack.
 *
 * @module
 */
import { DEVICE_INTERFACE_INCLUDE_NONACTIVE, REG_DWORD, REG_SZ } from "../constants.ts";
import {
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_INVALID_HANDLE,
  STATUS_INVALID_PARAMETER,
  STATUS_OBJECT_NAME_EXISTS,
  STATUS_OBJECT_NAME_NOT_FOUND,
  STATUS_SUCCESS,
} from "../ntstatus.ts";
import type { Handle } from "../ob/handles.ts";
import type { KeyNode } from "../registry/hive.ts";
import { CCS } from "../registry/system_hive.ts";
import { openKeyNode } from "../registry/zw.ts";
import type { System } from "../system.ts";
import type { DevNode } from "./devnode.ts";
import { PNP_KEY_ACCESS, requirePdo } from "./devreg.ts";
import { normalizeGuid } from "../guid.ts";

export { normalizeGuid };

/** One registered interface instance. */
export interface DeviceInterface {
  /** The interface class GUID, lower case. */
  readonly classGuid: string;
  /** The device instance ID, in the case the bus reported it. */
  readonly instanceId: string;
  /** The reference string ("" for none). */
  readonly refString: string;
  /** `\??\<instance with # for \>#{guid}[\ref]`. */
  readonly symbolicLinkName: string;
  /** Enabled by IoSetDeviceInterfaceState. */
  enabled: boolean;
  /** The arrival was announced (START had completed when it was enabled, or since). */
  announced: boolean;
  /** Disabled by the PnP manager at removal (a later driver disable is a second disable). */
  disabledByPnp: boolean;
  /** Disabled since it was last enabled, by its driver or by PnP (a further disable is a second one). */
  disabled: boolean;
}

/** Splits a symbolic link into its parts, or undefined when it is not well formed. */
export function parseSymbolicLink(
  link: unknown,
): { instancePart: string; classGuid: string; refString: string } | undefined {
  if (typeof link !== "string" || !(link.startsWith("\\??\\") || link.startsWith("\\\\?\\"))) {
    return undefined;
  }
  const rest = link.slice(4);
  const slash = rest.indexOf("\\");
  const name = slash < 0 ? rest : rest.slice(0, slash);
  const refString = slash < 0 ? "" : rest.slice(slash + 1);
  if (name.length < 39) return undefined;
  const guid = normalizeGuid(name.slice(-38));
  if (!guid || name[name.length - 39] !== "#") return undefined;
  return { instancePart: name.slice(0, -39), classGuid: guid, refString };
}

/** The registry key name of an interface's device part: the link with `\??\` as `##?#`, reference string dropped. */
function deviceKeyName(instanceId: string, guid: string): string {
  return `##?#${instanceId.replace(/\\/g, "#")}#${guid}`;
}

/** The interfaces of one machine. */
export class InterfaceManager {
  readonly #sys: System;
  /** Registered interfaces by upper-cased symbolic link. */
  readonly byLink: Map<string, DeviceInterface> = new Map();
  /** The same interfaces by upper-cased device instance ID, in registration order. */
  // A device's lone interface (most devices register one) is kept without a list of one.
  readonly #byInstance: Map<string, DeviceInterface | DeviceInterface[]> = new Map();

  /** Creates the manager and rebuilds the registrations stored in `Control\DeviceClasses`. */
  constructor(sys: System) {
    this.#sys = sys;
    this.#rebuild();
  }

  /** Rebuilds the cache from the registry (after boot or reboot): registrations persist, disabled. */
  #rebuild(): void {
    const classes = this.#sys.hive.find(`${CCS}\\Control\\DeviceClasses`);
    for (const cls of classes?.sortedChildren() ?? []) {
      const guid = normalizeGuid(cls.name);
      if (!guid) continue;
      for (const dev of cls.sortedChildren()) {
        const inst = dev.value("DeviceInstance")?.data;
        if (typeof inst !== "string") continue;
        for (const ref of dev.sortedChildren()) {
          if (!ref.name.startsWith("#")) continue;
          const refString = ref.name.slice(1);
          const link = `\\??\\${inst.replace(/\\/g, "#")}#${guid}${
            refString ? "\\" + refString : ""
          }`;
          this.#add({
            classGuid: guid,
            instanceId: inst,
            refString,
            symbolicLinkName: link,
            enabled: false,
            announced: false,
            disabledByPnp: false,
            disabled: false,
          });
        }
      }
    }
  }

  /** The interface a symbolic link names (either `\??\` or `\\?\` form), if registered. */
  lookup(link: string): DeviceInterface | undefined {
    if (typeof link !== "string") return undefined;
    return this.byLink.get(("\\??\\" + link.slice(4)).toUpperCase());
  }

  /** Interfaces of a device instance. */
  ofDevice(instanceId: string): DeviceInterface[] {
    const entry = this.#byInstance.get(instanceId.toUpperCase());
    return Array.isArray(entry) ? [...entry] : entry ? [entry] : [];
  }

  /** Records a registration in both indexes. */
  #add(i: DeviceInterface): void {
    this.byLink.set(i.symbolicLinkName.toUpperCase(), i);
    const key = i.instanceId.toUpperCase();
    const entry = this.#byInstance.get(key);
    if (Array.isArray(entry)) entry.push(i);
    else this.#byInstance.set(key, entry ? [entry, i] : i);
  }

  /** The `#<ref>` key of an interface. */
  refKey(i: DeviceInterface, create = false): KeyNode | undefined {
    const path = `${CCS}\\Control\\DeviceClasses\\${i.classGuid}\\${
      deviceKeyName(i.instanceId, i.classGuid)
    }\\#${i.refString}`;
    return create ? this.#sys.hive.ensure(path) : this.#sys.hive.find(path);
  }

  /** `IoRegisterDeviceInterface`. */
  register(
    PhysicalDeviceObject: unknown,
    InterfaceClassGuid: unknown,
    ReferenceString: string | null | undefined,
  ): { status: number; symbolicLinkName?: string } {
    const sys = this.#sys;
    const guid = normalizeGuid(InterfaceClassGuid);
    if (!guid) return { status: STATUS_INVALID_PARAMETER };
    const node = requirePdo(
      sys,
      PhysicalDeviceObject,
      "IoRegisterDeviceInterface",
      STATUS_INVALID_DEVICE_REQUEST,
    );
    if (typeof node === "number") return { status: node };
    const ref = ReferenceString ?? "";
    if (/[\\/]/.test(ref)) return { status: STATUS_INVALID_DEVICE_REQUEST };
    const link = `\\??\\${node.instanceId.replace(/\\/g, "#")}#${guid}${ref ? "\\" + ref : ""}`;
    const existing = this.byLink.get(link.toUpperCase());
    if (existing) {
      return { status: STATUS_OBJECT_NAME_EXISTS, symbolicLinkName: existing.symbolicLinkName };
    }
    const devKey = sys.hive.ensure(
      `${CCS}\\Control\\DeviceClasses\\${guid}\\${deviceKeyName(node.instanceId, guid)}`,
    );
    sys.hive.setValue(devKey, { name: "DeviceInstance", type: REG_SZ, data: node.instanceId });
    const refKey = sys.hive.ensure(`${devKey.path}\\#${ref}`);
    sys.hive.setValue(refKey, {
      name: "SymbolicLink",
      type: REG_SZ,
      data: "\\\\?\\" + link.slice(4),
    });
    const i: DeviceInterface = {
      classGuid: guid,
      instanceId: node.instanceId,
      refString: ref,
      symbolicLinkName: link,
      enabled: false,
      announced: false,
      disabledByPnp: false,
      disabled: false,
    };
    this.#add(i);
    return { status: STATUS_SUCCESS, symbolicLinkName: link };
  }

  /** The present devnode an interface belongs to. */
  nodeOf(i: DeviceInterface): DevNode | undefined {
    return this.#sys.pnp.find(i.instanceId);
  }

  /** Writes `#<ref>\Control\Linked` (a volatile key). */
  #setLinked(i: DeviceInterface, linked: boolean): void {
    const ref = this.refKey(i, true)!;
    const control = ref.child("Control") ?? this.#sys.hive.createChild(ref, "Control", true);
    this.#sys.hive.setValue(control, { name: "Linked", type: REG_DWORD, data: linked ? 1 : 0 });
  }

  /**
   * `IoSetDeviceInterfaceState`: enable (STATUS_OBJECT_NAME_EXISTS when already enabled) or disable
   * (STATUS_OBJECT_NAME_NOT_FOUND when not enabled). `announce(i, arrival)` queues the notification.
   */
  setState(
    SymbolicLinkName: unknown,
    Enable: boolean,
    announce: (i: DeviceInterface, arrival: boolean) => void,
  ): number {
    if (!parseSymbolicLink(SymbolicLinkName)) return STATUS_INVALID_PARAMETER;
    const i = this.lookup(SymbolicLinkName as string);
    if (!i) return STATUS_OBJECT_NAME_NOT_FOUND;
    if (Enable) {
      if (i.enabled) return STATUS_OBJECT_NAME_EXISTS;
      const node = this.nodeOf(i);
      if (!node) return STATUS_OBJECT_NAME_NOT_FOUND;
      i.enabled = true;
      i.disabledByPnp = false;
      i.disabled = false;
      this.#setLinked(i, true);
      // "The PnP manager does not send an interface-arrival notification until IRP_MN_START_DEVICE has completed."
      if (node.startCompleted) {
        i.announced = true;
        announce(i, true);
      }
      return STATUS_SUCCESS;
    }
    if (!i.enabled) return STATUS_OBJECT_NAME_NOT_FOUND;
    i.enabled = false;
    i.disabled = true;
    this.#setLinked(i, false);
    if (i.announced) {
      i.announced = false;
      announce(i, false);
    }
    return STATUS_SUCCESS;
  }

  /** `IoGetDeviceInterfaces`: the links of a class (active only unless DEVICE_INTERFACE_INCLUDE_NONACTIVE), optionally of one PDO. */
  list(
    InterfaceClassGuid: unknown,
    PhysicalDeviceObject: unknown,
    Flags: number,
  ): { status: number; symbolicLinkList?: string[] } {
    const guid = normalizeGuid(InterfaceClassGuid);
    if (!guid) return { status: STATUS_INVALID_PARAMETER };
    let instance: string | undefined;
    if (PhysicalDeviceObject) {
      const node = requirePdo(
        this.#sys,
        PhysicalDeviceObject,
        "IoGetDeviceInterfaces",
        STATUS_INVALID_DEVICE_REQUEST,
      );
      if (typeof node === "number") return { status: node };
      instance = node.instanceId.toUpperCase();
    }
    const all = (Flags & DEVICE_INTERFACE_INCLUDE_NONACTIVE) !== 0;
    const links: string[] = [];
    const cls = this.#sys.hive.find(`${CCS}\\Control\\DeviceClasses\\${guid}`);
    for (const dev of cls?.sortedChildren() ?? []) {
      const inst = dev.value("DeviceInstance")?.data;
      if (typeof inst !== "string" || (instance && inst.toUpperCase() !== instance)) continue;
      for (const ref of dev.sortedChildren()) {
        if (!ref.name.startsWith("#")) continue;
        const linked = ref.child("Control")?.value("Linked")?.data;
        if (!all && linked !== 1) continue;
        const user = ref.value("SymbolicLink")?.data;
        if (typeof user === "string") links.push("\\??\\" + user.slice(4));
      }
    }
    return { status: STATUS_SUCCESS, symbolicLinkList: links };
  }

  /** `IoGetDeviceInterfaceAlias`: the same device and reference string under another class. */
  alias(
    SymbolicLinkName: unknown,
    AliasInterfaceClassGuid: unknown,
  ): { status: number; aliasSymbolicLinkName?: string } {
    const parts = parseSymbolicLink(SymbolicLinkName);
    const guid = normalizeGuid(AliasInterfaceClassGuid);
    // The routine's page: STATUS_INVALID_HANDLE "possibly indicates that SymbolicLinkName or AliasInterfaceClassGuid is invalid".
    if (!parts || !guid) return { status: STATUS_INVALID_HANDLE };
    const i = this.lookup(SymbolicLinkName as string);
    if (!i) return { status: STATUS_OBJECT_NAME_NOT_FOUND };
    const candidate = `\\??\\${i.instanceId.replace(/\\/g, "#")}#${guid}${
      i.refString ? "\\" + i.refString : ""
    }`;
    const alias = this.byLink.get(candidate.toUpperCase());
    if (!alias) return { status: STATUS_OBJECT_NAME_NOT_FOUND };
    return { status: STATUS_SUCCESS, aliasSymbolicLinkName: alias.symbolicLinkName };
  }

  /** `IoOpenDeviceInterfaceRegistryKey`: `#<ref>\Device Parameters`, non-volatile, KEY_READ | KEY_WRITE at most. */
  openKey(
    SymbolicLinkName: unknown,
    DesiredAccess: number,
  ): { status: number; deviceInterfaceKey?: Handle } {
    if (!parseSymbolicLink(SymbolicLinkName)) return { status: STATUS_INVALID_PARAMETER };
    const i = this.lookup(SymbolicLinkName as string);
    if (!i) return { status: STATUS_OBJECT_NAME_NOT_FOUND };
    const ref = this.refKey(i, true)!;
    const params = ref.child("Device Parameters") ??
      (() => {
        const k = this.#sys.hive.createChild(ref, "Device Parameters", false);
        k.allowed = PNP_KEY_ACCESS;
        return k;
      })();
    const r = openKeyNode(this.#sys, params, DesiredAccess, "IoOpenDeviceInterfaceRegistryKey");
    return r.keyHandle
      ? { status: r.status, deviceInterfaceKey: r.keyHandle }
      : { status: r.status };
  }
}
