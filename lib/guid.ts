/**
 * GUIDs as the registry and the PnP routines write them. The contract takes a GUID in any case and
 * writes it in lower case; a malformed one is STATUS_INVALID_PARAMETER, never an exception. Every
 * layer that names an interface class or an event GUID reads this one definition.
 *
 * @module
 */

/** A GUID in registry form, `{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}` (any case), as regular-expression text. */
export const GUID_TEXT =
  "\\{[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\\}";

/** A GUID in registry form, any case. */
export const GUID_RE: RegExp = new RegExp(`^${GUID_TEXT}$`);

/** A GUID in registry form, lower-cased, or undefined when malformed. */
export function normalizeGuid(guid: unknown): string | undefined {
  if (typeof guid !== "string") return undefined;
  const known = GUIDS.get(guid);
  if (known) return known;
  if (!GUID_RE.test(guid)) return undefined;
  // One string per GUID: every interface of a class shares it.
  const lower = guid.toLowerCase();
  const shared = GUIDS.get(lower) ?? lower;
  if (GUIDS.size < 10_000) {
    GUIDS.set(guid, shared);
    GUIDS.set(lower, shared);
  }
  return shared;
}

const GUIDS = new Map<string, string>();
