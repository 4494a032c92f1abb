/**
 * The verifier's public face: the rule table, and the same table as Markdown for the README and
 * reports, so that what the checks enforce and what the documentation lists are one list.
 *
 * @module
 */
export { rulePages, VERIFIER_RULES, type VerifierRule } from "./rules.ts";
import { VERIFIER_RULES } from "./rules.ts";
import { linkPages } from "../doc_pages.ts";

/**
 * The rule table as Markdown (for the README and reports); each documentation page links to its
 * learn.microsoft.com address from the one table of pages (lib/doc_pages.ts).
 *
 * @example
 * ```ts
 * import { RULES_DOC } from "./index.ts";
 * import assert from "node:assert/strict";
 * assert.match(RULES_DOC, /\| IrqlZwPassive \|/);
 * assert.match(RULES_DOC, /\[IrqlZwPassive rule \(wdm\)\]\(https:\/\/learn\.microsoft\.com\//);
 * ```
 */
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
    } | ${linkPages(r.doc, (words, url) => `[${words}](${url})`)} |`
  ),
].join("\n");
