/**
 * Hardware profiles: the query / complete / cancel protocol of a profile change (applications first
 * for the query, kernel first for the outcome), `IDConfigDB\CurrentConfig` and the
 * `Hardware Profiles\Current` link.
 *
 * @module
 */
import { REG_DWORD } from "../constants.ts";
import { STATUS_OBJECT_NAME_NOT_FOUND, STATUS_SUCCESS } from "../ntstatus.ts";
import { CCS, type HardwareProfile, linkCurrentProfile } from "../registry/system_hive.ts";
import type { System } from "../system.ts";

/** The index of a profile by friendly name (case-insensitive) or id, or -1. */
export function findProfile(profiles: readonly HardwareProfile[], nameOrId: string): number {
  return profiles.findIndex((p) =>
    p.id === nameOrId || p.name.toLowerCase() === String(nameOrId).toLowerCase()
  );
}

/** The current profile's index (from `IDConfigDB\CurrentConfig`). */
export function currentProfile(sys: System): number {
  const v = sys.hive.find(`${CCS}\\Control\\IDConfigDB`)?.value("CurrentConfig")?.data;
  return (typeof v === "number" ? v : 1) - 1;
}

/** Asks everyone whether the profile may change; a veto sends CHANGE_CANCELLED and returns its status. */
export function queryProfileChange(sys: System): number {
  const veto = sys.notify.profileQuery();
  if (!veto) return STATUS_SUCCESS;
  sys.trace.push({ kind: "info", what: "hardware profile change vetoed", detail: { ...veto } });
  sys.notify.profileDone(false);
  return veto.status;
}

/** A change the query allowed is called off (an undock whose query-remove was vetoed): CHANGE_CANCELLED. */
export function cancelProfileChange(sys: System): void {
  sys.trace.push({ kind: "info", what: "hardware profile change cancelled", detail: {} });
  sys.notify.profileDone(false);
}

/** Switches `Hardware Profiles\Current` to a profile and sends CHANGE_COMPLETE. */
export function commitProfileChange(
  sys: System,
  profiles: readonly HardwareProfile[],
  index: number,
): void {
  const idConfig = sys.hive.find(`${CCS}\\Control\\IDConfigDB`)!;
  sys.hive.setValue(idConfig, { name: "CurrentConfig", type: REG_DWORD, data: index + 1 });
  linkCurrentProfile(sys.hive);
  sys.trace.push({
    kind: "info",
    what: "hardware profile changed",
    detail: { profile: profiles[index]!.id, name: profiles[index]!.name },
  });
  sys.notify.profileDone(true);
}

/** A whole profile change: query, then complete or cancel. */
export function changeHardwareProfile(
  sys: System,
  profiles: readonly HardwareProfile[],
  nameOrId: string,
): number {
  const index = findProfile(profiles, nameOrId);
  if (index < 0) return STATUS_OBJECT_NAME_NOT_FOUND;
  const status = queryProfileChange(sys);
  if (status !== STATUS_SUCCESS) return status;
  commitProfileChange(sys, profiles, index);
  return STATUS_SUCCESS;
}
