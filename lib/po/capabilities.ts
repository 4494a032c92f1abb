/**
 * `DEVICE_CAPABILITIES`: what a stack reports in IRP_MN_QUERY_CAPABILITIES, the PnP flags and the
 * power fields the power manager and a power policy owner read (the S→D mapping in `DeviceState`,
 * wake support, latencies). It lives with power because the power fields are what most of it is
 * about; the PnP manager sends the IRP and keeps the answer on the devnode.
 *
 * @module
 */
import {
  PowerDeviceD0,
  PowerDeviceD3,
  PowerDeviceUnspecified,
  PowerSystemMaximum,
  PowerSystemShutdown,
  PowerSystemSleeping1,
  PowerSystemUnspecified,
  PowerSystemWorking,
} from "../constants.ts";

/** `DEVICE_CAPABILITIES`, every WDK field ("DEVICE_CAPABILITIES structure (wdm.h)"). */
export interface DeviceCapabilities {
  /** `sizeof(DEVICE_CAPABILITIES)`. */
  Size: number;
  /** The structure's version: 1. */
  Version: number;
  /** The hardware supports D1. */
  DeviceD1: boolean;
  /** The hardware supports D2. */
  DeviceD2: boolean;
  /** The device supports physical-device locking that prevents ejection. */
  LockSupported: boolean;
  /** The device supports software-controlled ejection. */
  EjectSupported: boolean;
  /** The device can be removed from its parent while the system runs. */
  Removable: boolean;
  /** The device is a docking peripheral. */
  DockDevice: boolean;
  /** The instance ID is unique across the system. */
  UniqueID: boolean;
  /** Device Manager should not show installation dialogs for it. */
  SilentInstall: boolean;
  /** The device can run without a function driver (raw mode). */
  RawDeviceOK: boolean;
  /** The device can be surprise-removed without the "unsafe removal" dialog. */
  SurpriseRemovalOK: boolean;
  /** The device can wake the system from D0. */
  WakeFromD0: boolean;
  /** The device can wake the system from D1. */
  WakeFromD1: boolean;
  /** The device can wake the system from D2. */
  WakeFromD2: boolean;
  /** The device can wake the system from D3. */
  WakeFromD3: boolean;
  /** The device is disabled in hardware. */
  HardwareDisabled: boolean;
  /** Reserved (NonDynamic). */
  NonDynamic: boolean;
  /** Reserved (WarmEjectSupported). */
  WarmEjectSupported: boolean;
  /** Reserved (NoDisplayInUI). */
  NoDisplayInUI: boolean;
  /** Reserved. */
  Reserved1: boolean;
  /** Reserved for system use. */
  WakeFromInterrupt: boolean;
  /** Reserved for system use. */
  SecureDevice: boolean;
  /** Reserved for system use. */
  ChildOfVgaEnabledBridge: boolean;
  /** Reserved for system use. */
  DecodeIoOnBoot: boolean;
  /** Reserved. */
  Reserved: number;
  /** The bus address (bus-specific), 0xFFFFFFFF when unknown. */
  Address: number;
  /** The number on the device's slot label, 0xFFFFFFFF when unknown. */
  UINumber: number;
  /** The highest device power state for each system power state, indexed by `SYSTEM_POWER_STATE`. */
  DeviceState: number[];
  /** The lowest system power state from which the device can wake the system. */
  SystemWake: number;
  /** The lowest device power state from which the device can signal wake. */
  DeviceWake: number;
  /** Latency to D0 from D1, in 100-microsecond units. */
  D1Latency: number;
  /** Latency to D0 from D2. */
  D2Latency: number;
  /** Latency to D0 from D3. */
  D3Latency: number;
}

/** sizeof(DEVICE_CAPABILITIES) on x64. */
export const DEVICE_CAPABILITIES_SIZE = 64;

/**
 * The buffer every IRP_MN_QUERY_CAPABILITIES starts from: Size and Version 1, every flag clear,
 * Address and UINumber 0xFFFFFFFF, every `DeviceState[]` PowerDeviceUnspecified, SystemWake and
 * DeviceWake unspecified, latencies 0 (asserted by Wine's driver_pnp test, which passes on Windows).
 *
 * @example
 * ```ts
 * import { emptyCapabilities } from "./capabilities.ts";
 * import assert from "node:assert/strict";
 * const caps = emptyCapabilities();
 * assert.equal(caps.Address, 0xffffffff);
 * assert.deepEqual(caps.DeviceState, [0, 0, 0, 0, 0, 0, 0]);
 * ```
 */
export function emptyCapabilities(): DeviceCapabilities {
  return {
    Size: DEVICE_CAPABILITIES_SIZE,
    Version: 1,
    DeviceD1: false,
    DeviceD2: false,
    LockSupported: false,
    EjectSupported: false,
    Removable: false,
    DockDevice: false,
    UniqueID: false,
    SilentInstall: false,
    RawDeviceOK: false,
    SurpriseRemovalOK: false,
    WakeFromD0: false,
    WakeFromD1: false,
    WakeFromD2: false,
    WakeFromD3: false,
    HardwareDisabled: false,
    NonDynamic: false,
    WarmEjectSupported: false,
    NoDisplayInUI: false,
    Reserved1: false,
    WakeFromInterrupt: false,
    SecureDevice: false,
    ChildOfVgaEnabledBridge: false,
    DecodeIoOnBoot: false,
    Reserved: 0,
    Address: 0xffffffff,
    UINumber: 0xffffffff,
    DeviceState: new Array<number>(PowerSystemMaximum).fill(PowerDeviceUnspecified),
    SystemWake: PowerSystemUnspecified,
    DeviceWake: PowerDeviceUnspecified,
    D1Latency: 0,
    D2Latency: 0,
    D3Latency: 0,
  };
}

/**
 * What a bus's PDO fills in the S→D table: the working state is D0, every sleeping, hibernate and
 * shutdown state D3, `DeviceState[PowerSystemUnspecified]` untouched (the root enumerator's answer,
 * Wine's test_bus_query_caps checked on Windows).
 */
export function fillBusDeviceStates(caps: DeviceCapabilities): void {
  caps.DeviceState[PowerSystemWorking] = PowerDeviceD0;
  for (let s = PowerSystemSleeping1; s <= PowerSystemShutdown; s++) {
    caps.DeviceState[s] = PowerDeviceD3;
  }
}

/**
 * The device power state for a system power state by a capabilities table: the table's entry, or D3
 * for a sleeping state the stack left unspecified, D0 for S0 ("Handling a System Set-Power IRP in a
 * Device Power Policy Owner": the owner uses DeviceState[], and D3 is always valid for sleep).
 */
export function deviceStateFor(caps: DeviceCapabilities | undefined, system: number): number {
  const mapped = caps?.DeviceState[system] ?? PowerDeviceUnspecified;
  if (mapped !== PowerDeviceUnspecified) return mapped;
  return system === PowerSystemWorking ? PowerDeviceD0 : PowerDeviceD3;
}

/** Recorded capability sets by content (a machine with thousands of alike devices keeps one). */
const SHARED = new Map<string, Readonly<DeviceCapabilities>>();

/**
 * What PnP keeps of a device's IRP_MN_QUERY_CAPABILITIES answer: a frozen copy, shared by every
 * devnode whose answer was the same (the structure has some thirty fields; ten thousand devices of
 * one kind need it once). PnP only reads what it keeps; each query starts from a fresh structure.
 */
export function keptCapabilities(caps: DeviceCapabilities): DeviceCapabilities {
  const key = JSON.stringify(caps);
  let kept = SHARED.get(key);
  if (!kept) {
    kept = Object.freeze({
      ...caps,
      DeviceState: Object.freeze([...caps.DeviceState]),
    }) as Readonly<
      DeviceCapabilities
    >;
    if (SHARED.size < 4096) SHARED.set(key, kept);
  }
  return kept as DeviceCapabilities;
}
