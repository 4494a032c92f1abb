/**
 * Two runs side by side (dsl/diff.ts and `deno task scenario --diff`): where a removal with a veto
 * parts from one without ("Handling an IRP_MN_QUERY_REMOVE_DEVICE Request": a driver that fails the
 * query gets IRP_MN_CANCEL_REMOVE_DEVICE instead of IRP_MN_REMOVE_DEVICE).
 */
import assert from "node:assert/strict";
import { main } from "../../dsl/cli.ts";
import { diffTraces, firstDifference, renderDiff, renderDiffReport } from "../../dsl/diff.ts";
import { runScenarioData } from "../../dsl/runner.ts";
import { parseScenario } from "../../dsl/yaml.ts";

const yaml = (veto: boolean) =>
  `title: removal ${veto ? "vetoed" : "allowed"}
steps:
  - driver: { name: busy, hardwareIds: ["ROOT\\\\BUSY"]${veto ? ", vetoQueryRemove: true" : ""} }
  - plugIn: { id: d, hardwareId: "ROOT\\\\BUSY" }
  - requestRemoval: d
`;
const run = (veto: boolean) => {
  const parsed = parseScenario(yaml(veto), "x.yaml");
  assert.deepEqual(parsed.errors, []);
  return runScenarioData(parsed.scenarios[0]!).trace;
};

Deno.test("the same steps twice: no difference", () => {
  const lines = diffTraces(run(false), run(false));
  assert.equal(firstDifference(lines), -1);
  assert.match(renderDiff(lines, ["a", "b"]), /^The runs do the same/);
});

Deno.test("a veto: the runs part where the driver handles IRP_MN_QUERY_REMOVE_DEVICE, and the vetoed run gets CANCEL_REMOVE where the other gets REMOVE", () => {
  const a = run(false);
  const b = run(true);
  const lines = diffTraces(a, b);
  const first = firstDifference(lines);
  assert.ok(first > 0);
  // Everything before is the same events, in the same order; the first that differs is where the
  // driver handles the query: it passes it down in one run, fails it in the other.
  assert.ok(lines.slice(0, first).every((l) => l.op === "same"));
  const at = lines[first]!;
  const e = at.op === "added" ? at.b : at.a;
  assert.ok(e.kind === "irp", JSON.stringify(e));
  assert.equal(e.minor, "IRP_MN_QUERY_REMOVE_DEVICE");
  const removedIrps = lines.flatMap((l) =>
    l.op === "removed" && l.a.kind === "irp" && l.a.phase === "dispatch" ? [l.a.minor] : []
  );
  const addedIrps = lines.flatMap((l) =>
    l.op === "added" && l.b.kind === "irp" && l.b.phase === "dispatch" ? [l.b.minor] : []
  );
  assert.ok(removedIrps.includes("IRP_MN_REMOVE_DEVICE"));
  assert.ok(addedIrps.includes("IRP_MN_CANCEL_REMOVE_DEVICE"));
  const text = renderDiff(lines, ["allowed", "vetoed"]);
  assert.match(text, /^--- allowed\n\+\+\+ vetoed\nThe runs part at #\d+ of/);
  assert.match(text, /^\+ .*IRP_MN_CANCEL_REMOVE_DEVICE/m);
  assert.match(text, /^- .*IRP_MN_REMOVE_DEVICE/m);
  const html = renderDiffReport(a, b, ["allowed", "vetoed"]);
  assert.equal((html.match(/<svg/g) ?? []).length, 2);
  assert.match(html, /first difference: <strong>#\d+<\/strong>/);
});

Deno.test("deno task scenario: a bad option or a missing file is a usage error (exit 2) with a did-you-mean; --diff exits 1 when the runs differ", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/a.yaml`, yaml(false));
    await Deno.writeTextFile(`${dir}/b.yaml`, yaml(true));
    const quiet = async (args: string[]) => {
      const log = console.log, error = console.error;
      const out: string[] = [];
      console.log = (s: string) => out.push(s);
      console.error = (s: string) => out.push(s);
      try {
        return { code: await main(args), out: out.join("\n") };
      } finally {
        console.log = log;
        console.error = error;
      }
    };
    const bad = await quiet(["--htlm", "x.html", `${dir}/a.yaml`]);
    assert.equal(bad.code, 2);
    assert.match(bad.out, /Unknown option '--htlm' \(did you mean '--html'\?\)\nUsage:/);
    const missing = await quiet([`${dir}/nope.yaml`]);
    assert.equal(missing.code, 2);
    assert.match(missing.out, /Cannot read '.*nope.yaml': no such file or folder/);
    assert.equal(
      (await quiet([`${dir}/a.yaml`, `--html`, `${dir}/r.html`])).out.includes(
        `Wrote the HTML report to ${dir}/r.html`,
      ),
      true,
    );
    assert.equal((await quiet(["--diff", `${dir}/a.yaml`, `${dir}/a.yaml`])).code, 0);
    const differ = await quiet([
      "--diff",
      `${dir}/a.yaml`,
      `${dir}/b.yaml#0`,
      "--html",
      `${dir}/d.html`,
    ]);
    assert.equal(differ.code, 1);
    assert.match(differ.out, /The runs part at/);
    assert.match(await Deno.readTextFile(`${dir}/d.html`), /Where the runs part/);
    assert.equal((await quiet(["--diff", `${dir}/a.yaml#3`, `${dir}/b.yaml`])).code, 2);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
