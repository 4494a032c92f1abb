/**
 * How many inputs the robustness properties try, and with which seed. The normal test run uses the
 * fixed seed 42 and the counts each test file gives, so CI is deterministic; `deno task fuzz` sets
 * PNPLAB_FUZZ=1 and the properties run PNPLAB_FUZZ_RUNS inputs each (default 20,000) from
 * PNPLAB_FUZZ_SEED (default: a new seed each run, which fast-check prints with any failure).
 *
 * @module
 */

/** Whether `deno task fuzz` is running. */
export const FUZZING: boolean = Deno.env.get("PNPLAB_FUZZ") === "1";

/** The number of runs for a property: `normal` in the test run, PNPLAB_FUZZ_RUNS (default 20,000) when fuzzing. */
export function fuzzRuns(normal: number): number {
  if (!FUZZING) return normal;
  const runs = Number(Deno.env.get("PNPLAB_FUZZ_RUNS") ?? "20000");
  return Number.isInteger(runs) && runs > 0 ? runs : 20_000;
}

/**
 * The number of runs for a property whose every input is a sequence of kernel calls on a fresh
 * machine: `normal` in the test run; PNPLAB_FUZZ_SEQUENCES when fuzzing, by default a tenth of
 * PNPLAB_FUZZ_RUNS (100,000 loader inputs go with 10,000 call sequences).
 */
export function fuzzSequences(normal: number): number {
  if (!FUZZING) return normal;
  const given = Number(Deno.env.get("PNPLAB_FUZZ_SEQUENCES"));
  return Number.isInteger(given) && given > 0
    ? given
    : Math.max(1, Math.ceil(fuzzRuns(normal) / 10));
}

/** The seed: 42 in the test run; PNPLAB_FUZZ_SEED or a fresh one when fuzzing. */
export function fuzzSeed(): number {
  const given = Deno.env.get("PNPLAB_FUZZ_SEED");
  if (given !== undefined && Number.isInteger(Number(given))) return Number(given);
  return FUZZING ? (Date.now() ^ (Deno.pid << 16)) | 0 : 42;
}
