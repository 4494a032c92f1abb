/**
 * The verifier's public face: the rule table.
 *
 * @module
 */
export { VERIFIER_RULES, type VerifierRule } from "./rules.ts";
import { VERIFIER_RULES } from "./rules.ts";

/** The rule table as Markdown (for the README and reports). */
export const RULES_DOC: string = [
  "| rule | source | checks | on violation | documentation |",
  "|---|---|---|---|---|",
  ...VERIFIER_RULES.map((r) =>
    `| ${r.name} | ${r.source} | ${r.checks} | ${
      r.bugCheck
        ? `bug check 0x${r.bugCheck.code.toString(16).toUpperCase()} (0x${
          r.bugCheck.parameter1.toString(16).toUpperCase()
        })${r.always ? " always" : " in strict mode"}`
        : "finding"
    } | ${r.doc} |`
  ),
].join("\n");
