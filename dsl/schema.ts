/**
 * The JSON Schema of scenario files, generated from the same step table the loader validates with,
 * so editors (yaml-language-server) complete and check files as the loader does.
 *
 * @module
 */
import { NTSTATUS_TABLE } from "../lib/ntstatus.ts";
import { REG_TYPE_NAMES } from "../lib/constants.ts";
import { GUID_TEXT, WELL_KNOWN_GUIDS } from "./guids.ts";
import { type FieldDef, STEP_DEFINITIONS } from "./steps.ts";

const GUID_PATTERN = `^${GUID_TEXT}$`;

/** A string the field takes: one of its values, text of its pattern, or any. */
function stringSchema(f: FieldDef): Record<string, unknown> {
  const forms = [
    ...(f.values ? [{ type: "string", enum: [...f.values] }] : []),
    ...(f.pattern ? [{ type: "string", pattern: f.pattern.source }] : []),
  ];
  if (!forms.length) return { type: "string" };
  return forms.length === 1 ? forms[0]! : { anyOf: forms };
}

function fieldSchema(f: FieldDef): Record<string, unknown> {
  const description = f.doc;
  switch (f.type) {
    case "string":
    case "id": {
      const text = stringSchema(f);
      if (!f.numbers) return { ...text, description };
      return { anyOf: [...(text.anyOf as unknown[] ?? [text]), { type: "number" }], description };
    }
    case "number":
      return { type: "number", description };
    case "boolean":
      return { type: "boolean", description };
    case "strings": {
      const item = stringSchema(f);
      return { anyOf: [item, { type: "array", items: item }], description };
    }
    case "guids": {
      const item = { $ref: "#/definitions/guid" };
      return { anyOf: [item, { type: "array", items: item }], description };
    }
    case "guid":
      return { $ref: "#/definitions/guid", description };
    case "status":
      return { $ref: "#/definitions/status", description };
    case "regType":
      return { $ref: "#/definitions/regType", description };
    case "regValues":
      return {
        type: "object",
        additionalProperties: {
          type: "object",
          required: ["type", "data"],
          additionalProperties: false,
          properties: { type: { $ref: "#/definitions/regType" }, data: {} },
        },
        description,
      };
    default:
      return { description };
  }
}

/**
 * The schema as a JSON-ready object.
 *
 * @example
 * ```ts
 * import { scenarioSchema } from "./schema.ts";
 * import assert from "node:assert/strict";
 * assert.equal((scenarioSchema() as { title: string }).title, "pnplab scenario");
 * ```
 */
export function scenarioSchema(): Record<string, unknown> {
  const steps = Object.entries(STEP_DEFINITIONS).map(([name, def]) => {
    const properties: Record<string, unknown> = {};
    const required: string[] = [];
    for (const [f, fd] of Object.entries(def.fields)) {
      properties[f] = fieldSchema(fd);
      if (fd.required) required.push(f);
    }
    const asMap = {
      type: "object",
      properties,
      additionalProperties: false,
      ...(required.length ? { required } : {}),
    };
    const shorthand = def.shorthand ? fieldSchema(def.fields[def.shorthand]!) : undefined;
    const body = shorthand
      ? { anyOf: [asMap, shorthand] }
      : Object.keys(properties).length
      ? asMap
      : { anyOf: [asMap, { type: "null" }] };
    return {
      type: "object",
      description: def.doc,
      properties: { [name]: { ...body, description: def.doc } },
      required: [name],
      additionalProperties: false,
    };
  });
  const scenario = {
    type: "object",
    required: ["title", "steps"],
    additionalProperties: false,
    properties: {
      title: { type: "string", description: "What the scenario shows" },
      teaches: { type: "string", description: "A few lines of prose the REPL and notebooks show" },
      boot: {
        type: "object",
        additionalProperties: false,
        properties: {
          hardwareProfiles: { type: "array", items: { type: "string" } },
          currentProfile: { type: "string" },
          safeMode: { type: "boolean" },
          verifier: { enum: ["strict", "warn", "off"] },
          example: { type: "boolean", description: "Start from the bundled example machine" },
          includeExistingDuplicates: { enum: ["never", "always"] },
        },
      },
      steps: { type: "array", items: { $ref: "#/definitions/step" } },
    },
  };
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    title: "pnplab scenario",
    definitions: {
      guid: {
        anyOf: [{ type: "string", pattern: GUID_PATTERN }, { enum: Object.keys(WELL_KNOWN_GUIDS) }],
      },
      status: {
        anyOf: [{ enum: NTSTATUS_TABLE.map((s) => s.name) }, {
          type: "string",
          pattern: "^0x[0-9a-fA-F]+$",
        }, { type: "number" }],
      },
      regType: { enum: Object.values(REG_TYPE_NAMES) },
      step: { oneOf: steps },
      scenario,
    },
    description: "A pnplab scenario file: a lesson and an acceptance test of Windows PnP behaviour",
    anyOf: [
      { $ref: "#/definitions/scenario" },
      {
        type: "object",
        required: ["scenarios"],
        additionalProperties: false,
        properties: { scenarios: { type: "array", items: { $ref: "#/definitions/scenario" } } },
      },
    ],
  };
}

/** The schema file's text, as `scenarios/schema.json` holds it. */
export function scenarioSchemaText(): string {
  return JSON.stringify(scenarioSchema(), null, 2) + "\n";
}

if (import.meta.main) {
  await Deno.writeTextFile(
    new URL("../scenarios/schema.json", import.meta.url),
    scenarioSchemaText(),
  );
  console.log("wrote scenarios/schema.json");
}
