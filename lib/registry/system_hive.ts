/**
 * The registry a freshly installed machine has: the SYSTEM control set with its Services, Control
 * (Class, DeviceClasses, IDConfigDB), Enum and Hardware Profiles trees, SOFTWARE with RunOnce, the
 * volatile HARDWARE hive, and the two link keys (CurrentControlSet, Hardware Profiles\Current).
 *
 * @module
 */
import { REG_DWORD, REG_MULTI_SZ, REG_SZ } from "../constants.ts";
import type { Hive, KeyNode } from "./hive.ts";

/** `HKLM\SYSTEM\CurrentControlSet` as a kernel path. */
export const CCS = "\\REGISTRY\\MACHINE\\SYSTEM\\CurrentControlSet";
/** The RunOnce key (in SOFTWARE, not under CurrentControlSet). */
export const RUNONCE_PATH =
  "\\REGISTRY\\MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\RunOnce";

/** A hardware profile: its four-digit id and friendly name. */
export interface HardwareProfile {
  /** The four-digit id, e.g. `0001`: the key name under `Hardware Profiles`. */
  readonly id: string;
  /** The friendly name, e.g. `Docked`. */
  readonly name: string;
}

/** Profile ids are `0001`, `0002`, ... in the order the names are given. */
export function profileId(index: number): string {
  return String(index + 1).padStart(4, "0");
}

function set(
  hive: Hive,
  node: KeyNode,
  name: string,
  type: number,
  data: number | string | string[],
): void {
  hive.setValue(node, { name, type, data });
}

/** Builds the non-volatile trees of a new installation. */
export function buildSystemHive(
  hive: Hive,
  profiles: readonly HardwareProfile[],
  currentIndex: number,
): void {
  const machine = hive.ensure("\\REGISTRY\\MACHINE");
  machine.noDelete = true;
  for (const name of ["SYSTEM", "SOFTWARE"]) {
    hive.ensure(`\\REGISTRY\\MACHINE\\${name}`).noDelete = true;
  }
  hive.ensure("\\REGISTRY\\USER").noDelete = true;
  hive.ensure("\\REGISTRY\\USER\\.DEFAULT");

  const select = hive.ensure("\\REGISTRY\\MACHINE\\SYSTEM\\Select");
  set(hive, select, "Current", REG_DWORD, 1);
  set(hive, select, "Default", REG_DWORD, 1);
  set(hive, select, "Failed", REG_DWORD, 0);
  set(hive, select, "LastKnownGood", REG_DWORD, 1);

  const cs = "\\REGISTRY\\MACHINE\\SYSTEM\\ControlSet001";
  hive.ensure(`${cs}\\Services`);
  hive.ensure(`${cs}\\Control\\Class`);
  hive.ensure(`${cs}\\Control\\DeviceClasses`);
  hive.ensure(`${cs}\\Control\\CoDeviceInstallers`);
  // What a safe boot loads, by service name or load order group (BcdLibrary_SafeBoot: "Load the
  // drivers and services specified by name or group under ...\Control\SafeBoot\Minimal").
  for (const mode of ["Minimal", "Network"]) {
    for (const group of ["Base", "Boot Bus Extender", "Boot file system"]) {
      set(
        hive,
        hive.ensure(`${cs}\\Control\\SafeBoot\\${mode}\\${group}`),
        "",
        REG_SZ,
        "Driver Group",
      );
    }
  }
  const idConfig = hive.ensure(`${cs}\\Control\\IDConfigDB`);
  set(hive, idConfig, "CurrentConfig", REG_DWORD, currentIndex + 1);
  set(hive, idConfig, "UserWaitInterval", REG_DWORD, 30);
  profiles.forEach((p, i) => {
    const k = hive.ensure(`${cs}\\Control\\IDConfigDB\\Hardware Profiles\\${p.id}`);
    set(hive, k, "FriendlyName", REG_SZ, p.name);
    set(hive, k, "PreferenceOrder", REG_DWORD, i);
    set(hive, k, "Pristine", REG_DWORD, 0);
    hive.ensure(`${cs}\\Hardware Profiles\\${p.id}\\System\\CurrentControlSet\\Enum`);
    hive.ensure(`${cs}\\Hardware Profiles\\${p.id}\\Software`);
  });
  const root = hive.ensure(`${cs}\\Enum\\HTREE\\ROOT\\0`);
  set(hive, root, "ConfigFlags", REG_DWORD, 0);
  hive.ensure(`${cs}\\Enum\\ROOT`);

  const sw = "\\REGISTRY\\MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion";
  hive.ensure(`${sw}\\RunOnce`);
  hive.ensure(`${sw}\\Run`);
  const nt = hive.ensure("\\REGISTRY\\MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion");
  set(hive, nt, "ProductName", REG_SZ, "pnplab");
  set(hive, nt, "SystemRoot", REG_SZ, "C:\\Windows");
  set(hive, hive.ensure(`${cs}\\Control\\SafeBoot\\Minimal`), "AlternateShell", REG_SZ, "cmd.exe");
  set(hive, hive.ensure(`${cs}\\Control\\ServiceGroupOrder`), "List", REG_MULTI_SZ, [
    "System Reserved",
    "Boot Bus Extender",
    "System Bus Extender",
    "PNP Filter",
    "Extended Base",
  ]);
}

/**
 * Creates what Windows creates at every boot and never saves: the HARDWARE hive, the
 * CurrentControlSet link (to the control set `Select\Current` names) and the
 * `Hardware Profiles\Current` link (to the profile `IDConfigDB\CurrentConfig` names).
 */
export function buildVolatileKeys(hive: Hive): void {
  const hardware = hive.ensure("\\REGISTRY\\MACHINE\\HARDWARE", { volatile: true });
  hardware.noDelete = true;
  hive.ensure("\\REGISTRY\\MACHINE\\HARDWARE\\DEVICEMAP", { volatile: true });
  hive.ensure("\\REGISTRY\\MACHINE\\HARDWARE\\DESCRIPTION\\System", { volatile: true });
  const current = hive.find("\\REGISTRY\\MACHINE\\SYSTEM\\Select")?.value("Current")?.data;
  const setNumber = typeof current === "number" ? current : 1;
  const system = hive.find("\\REGISTRY\\MACHINE\\SYSTEM")!;
  const ccs = system.child("CurrentControlSet") ??
    hive.createChild(system, "CurrentControlSet", true);
  hive.setLink(ccs, `\\REGISTRY\\MACHINE\\SYSTEM\\ControlSet${String(setNumber).padStart(3, "0")}`);
  linkCurrentProfile(hive);
}

/** Points `Hardware Profiles\Current` at the profile `IDConfigDB\CurrentConfig` names. */
export function linkCurrentProfile(hive: Hive): void {
  const config = hive.find(`${CCS}\\Control\\IDConfigDB`)?.value("CurrentConfig")?.data;
  const id = String(typeof config === "number" ? config : 1).padStart(4, "0");
  const profiles = hive.find(`${CCS}\\Hardware Profiles`);
  if (!profiles) return;
  const current = profiles.child("Current") ?? hive.createChild(profiles, "Current", true);
  hive.setLink(current, `${CCS}\\Hardware Profiles\\${id}`);
}
