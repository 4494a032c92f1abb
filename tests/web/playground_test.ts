/**
 * The playground in a real browser: the test builds the site, serves it on a free localhost port,
 * drives Debian's headless Chromium through the DevTools protocol, loads two examples (a YAML
 * scenario and a notebook lesson script), runs them, moves the step slider with the keyboard, and
 * reads the diagram, the PASS line, the registry view and the console back from the page. Any
 * console error fails it. It also opens the page from file://, checks a phone-sized layout, and
 * writes the README's screenshot (web/playground.png). Chromium is required: `.ci/run` installs it.
 */
import assert from "node:assert/strict";
import { build } from "../../web/build.ts";
import { serveDir } from "../../web/serve.ts";
import { Browser, findChromium, type Page } from "./chromium.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const TOASTER_01 = "{B85B7C50-6A01-11d2-B841-00C04FAD5171}\\MsToaster\\1&cecf6205&01";

/** The page's text of an element. */
const text = (page: Page, selector: string) =>
  page.evaluate<string>(`document.querySelector(${JSON.stringify(selector)})?.textContent ?? ""`);

/** Picks an example in the menu, as a user does, and waits for its run. */
async function openExample(page: Page, id: string): Promise<void> {
  await page.evaluate(`(() => {
    const s = document.getElementById("examples");
    s.value = ${JSON.stringify(id)};
    s.dispatchEvent(new Event("change"));
  })()`);
  await page.waitFor(`document.body.dataset.state === "ready"`);
}

/** The arrows' labels of the sequence diagram, with the classes the slider gave them. */
function arrows(page: Page): Promise<{ label: string; cls: string }[]> {
  return page.evaluate(`[...document.querySelectorAll("#sequence svg text")]
    .filter((t) => /^#\\d+ /.test(t.textContent))
    .map((t) => ({ label: t.textContent, cls: t.getAttribute("class") ?? "" }))`);
}

/** Text as a link carries it: deflate-raw, then base64url (what the page writes and reads). */
async function fragment(text: string): Promise<string> {
  const bytes = new Uint8Array(
    await new Response(new Blob([text]).stream().pipeThrough(new CompressionStream("deflate-raw")))
      .arrayBuffer(),
  );
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_")
    .replace(/=+$/, "");
}

/** Errors the page reported: console.error, uncaught exceptions, failed loads. */
function errors(page: Page): string[] {
  return page.console.filter((c) => c.level === "error" || c.level === "exception").map((c) =>
    `${c.level}: ${c.text}`
  );
}

Deno.test("the playground builds, serves and runs scenarios in headless Chromium", async (t) => {
  const chromium = findChromium();
  assert.ok(
    chromium,
    "This test needs Chromium: install Debian's chromium package (apt-get install chromium); .ci/run installs it",
  );
  const outDir = await Deno.makeTempDir({ prefix: "pnplab-web-" });
  const built = await build(outDir);
  assert.ok(built.examples >= 79, `${built.examples} examples`);
  const server = serveDir(outDir, 0);
  const base = `http://127.0.0.1:${server.addr.port}/`;
  const browser = await Browser.launch(chromium);
  try {
    const page = await browser.newPage(1400, 1000);

    await t.step(
      "the page opens with its first example run: PASS, and its link in the fragment",
      async () => {
        await page.goto(base);
        await page.waitFor(`document.body.dataset.state === "ready"`);
        assert.match(await text(page, "#verdict"), /^PASS Ejecting a toaster/);
      },
    );

    await t.step(
      "example 1, removal/eject-toaster: the diagram orders QUERY_REMOVE, REMOVE, EJECT (IRP_MN_EJECT)",
      async () => {
        await openExample(page, "removal/eject-toaster");
        assert.match(await text(page, "#verdict"), /^PASS /);
        assert.equal(
          await page.evaluate<string>("location.hash"),
          "#example=removal/eject-toaster",
        );
        const svg = await page.evaluate<string>(
          `document.querySelector("#sequence svg").outerHTML`,
        );
        assert.match(svg, /aria-label="Sequence diagram"/);
        const labels = (await arrows(page)).map((a) => a.label);
        const order = ["IRP_MN_QUERY_REMOVE_DEVICE", "IRP_MN_REMOVE_DEVICE", "IRP_MN_EJECT"].map((
          irp,
        ) => labels.findIndex((l) => l.includes(irp)));
        assert.ok(order.every((i) => i >= 0), labels.join("\n"));
        assert.deepEqual(order, [...order].sort((a, b) => a - b), "QUERY_REMOVE, REMOVE, EJECT");
        // The text alternative of each picture is the text renderer's output.
        assert.match(await text(page, "#sequence pre"), /IRP_MN_EJECT/);
        assert.match(await text(page, "#tree pre"), /ROOT\\BUSENUM\\0/);
      },
    );

    await t.step(
      "the step slider: before the eject the toaster is started and the eject's arrows are later; after it, gone",
      async () => {
        const n = Number(await page.evaluate<string>(`document.getElementById("step").max`));
        // Keyboard only: focus the slider, Home goes to step 0, then ArrowRight one step at a time.
        await page.evaluate(`document.getElementById("step").focus()`);
        await page.press("Home", "Home", 36);
        await page.waitFor(`globalThis.pnplabStep === 0`);
        assert.match(await text(page, "#step-label"), /^After boot \(step 0 of \d+\)/);
        assert.ok(
          (await arrows(page)).every((a) => a.cls.includes("later")),
          "nothing has happened yet",
        );
        let k = 0;
        while (!(await text(page, "#step-label")).includes(": eject ")) {
          assert.match(
            await text(page, "#tree pre"),
            new RegExp(`MsToaster\\\\1&cecf6205&01  Started`),
          );
          await page.press("ArrowRight", "ArrowRight", 39);
          await page.waitFor(`globalThis.pnplabStep === ${++k}`);
          assert.ok(k < n, "the eject step is in the scenario");
        }
        // At the eject step its arrows stand out, the trace up to it is highlighted, and the tree
        // has lost the ejected toaster.
        const at = await arrows(page);
        assert.ok(at.some((a) => a.label.includes("IRP_MN_EJECT") && a.cls.includes("current")));
        assert.ok(!at.some((a) => a.cls.includes("later")), "the eject is the last step with IRPs");
        assert.doesNotMatch(await text(page, "#tree pre"), /MsToaster\\1&cecf6205&01/);
        const highlighted = await page.evaluate<number>(
          `document.querySelectorAll("#trace-list li.current").length`,
        );
        assert.ok(highlighted > 0, "the step's trace events are highlighted");
        assert.match(await page.evaluate<string>("location.hash"), new RegExp(`&step=${k}$`));
      },
    );

    await t.step(
      "the registry view: the ejected toaster's Enum key stays, browsed key by key",
      async () => {
        const path = `HKLM\\SYSTEM\\CurrentControlSet\\Enum\\${TOASTER_01}`.split("\\");
        await page.evaluate(`(() => {
        const input = document.getElementById("registry-path");
        input.value = "HKLM\\\\SYSTEM\\\\CurrentControlSet\\\\Enum";
        document.getElementById("registry-form").requestSubmit();
      })()`);
        for (const key of path.slice(4)) {
          const keys = await page.evaluate<string[]>(
            `[...document.querySelectorAll("#registry-keys button")].map((b) => b.textContent)`,
          );
          assert.ok(keys.includes(key), `${key} in ${keys.join(", ")}`);
          await page.evaluate(`[...document.querySelectorAll("#registry-keys button")]
          .find((b) => b.textContent === ${JSON.stringify(key)}).click()`);
        }
        assert.equal(
          await page.evaluate<string>(`document.getElementById("registry-path").value`),
          path.join("\\"),
        );
        const values = await text(page, "#registry pre");
        assert.match(values, /Service = toaster/);
        assert.match(values, /ClassGUID = /);
      },
    );

    await t.step(
      "the console answers !devnode, !devstack, !irp and reg query on the machine at the slider's step",
      async () => {
        const ask = async (line: string) => {
          await page.evaluate(`(() => {
          document.getElementById("console-in").value = ${JSON.stringify(line)};
          document.getElementById("console-form").requestSubmit();
        })()`);
          return await page.evaluate<string>(
            `[...document.querySelectorAll("#console-out pre")].at(-1).textContent`,
          );
        };
        assert.match(await ask("!devnode"), /^DevNode HTREE\\ROOT\\0 {2}Started/);
        assert.match(await ask("!devstack bus"), /DeviceInst is "ROOT\\BUSENUM\\0"/);
        assert.match(await ask("!irp 1"), /^Irp #\d+ IRP_MN_/);
        assert.match(
          await ask("reg query HKLM\\SYSTEM\\CurrentControlSet\\Services\\toaster /v Start"),
          /Start\s+REG_DWORD\s+0x3/,
        );
        assert.match(await ask("!analyze"), /./);
      },
    );

    await t.step("a link reproduces the scenario and the step", async () => {
      const hash = await page.evaluate<string>("location.hash");
      const step = await page.evaluate<number>("globalThis.pnplabStep");
      const other = await browser.newPage(1400, 1000);
      await other.goto(`${base}${hash}`);
      await other.waitFor(
        `document.body.dataset.state === "ready" && globalThis.pnplabStep !== undefined`,
      );
      assert.equal(await other.evaluate<number>("globalThis.pnplabStep"), step);
      assert.equal(await text(other, "#step-label"), await text(page, "#step-label"));
      // An edited script travels in the link itself.
      const script =
        `// title: A script from a link\ndevice("ROOT\\\\LINKED").expectState("Started");\n`;
      await other.goto(`${base}?script#script=${await fragment(script)}`);
      await other.waitFor(`document.body.dataset.state === "ready"`);
      assert.equal(await other.evaluate<string>(`document.getElementById("kind").value`), "script");
      assert.equal(await text(other, "#verdict"), "PASS A script from a link");
      assert.match(await text(other, "#tree pre"), /ROOT\\LINKED\\0 {2}Started/);
      assert.deepEqual(errors(other), []);
    });

    await t.step(
      "example 2, a notebook lesson script: PASS, and the slider replays its steps",
      async () => {
        await page.send("Page.bringToFront");
        await openExample(page, "lessons/05-leaving/1");
        assert.equal(
          await page.evaluate<string>(`document.getElementById("kind").value`),
          "script",
        );
        assert.match(
          await text(page, "#verdict"),
          /^PASS An application that keeps its handle vetoes the removal/,
        );
        assert.equal(
          await page.evaluate<boolean>(`document.getElementById("step").disabled`),
          false,
        );
        const labels = (await arrows(page)).map((a) => a.label);
        const query = labels.findIndex((l) => l.includes("IRP_MN_QUERY_REMOVE_DEVICE"));
        const cancel = labels.findIndex((l) => l.includes("IRP_MN_CANCEL_REMOVE_DEVICE"));
        assert.ok(
          query >= 0 && cancel > query,
          "the vetoed query is cancelled (IRP_MN_QUERY_REMOVE_DEVICE)",
        );
        // Registry writes are left out of the diagram until asked for (the trace pane lists them).
        assert.ok(!labels.some((l) => / setValue /.test(l)));
        await page.evaluate(`document.getElementById("seq-registry").click()`);
        assert.ok((await arrows(page)).some((a) => / setValue /.test(a.label)), "registry arrows");
        await page.evaluate(`document.getElementById("seq-registry").click()`);
        await page.evaluate(`document.getElementById("step").focus()`);
        await page.press("Home", "Home", 36);
        await page.waitFor(`globalThis.pnplabStep === 0`);
        assert.doesNotMatch(await text(page, "#tree pre"), /ROOT\\MSTOASTER|MsToaster\\01/i);
        await page.press("End", "End", 35);
        await page.waitFor(`globalThis.pnplabStep > 0`);
        assert.match(await text(page, "#tree pre"), /MsToaster\\01 {2}Started/);
      },
    );

    await t.step(
      "a file with several scenarios: the picker runs the second, and the link names it",
      async () => {
        await openExample(page, "toaster/s05-query-remove-veto");
        assert.equal(
          await page.evaluate<boolean>(`document.getElementById("scenario-picker").hidden`),
          false,
        );
        const titles = await page.evaluate<string[]>(
          `[...document.querySelectorAll("#scenario-index option")].map((o) => o.textContent)`,
        );
        assert.equal(titles.length, 2);
        assert.match(await text(page, "#verdict"), /^PASS Toaster S5: /);
        await page.evaluate(`(() => {
        const s = document.getElementById("scenario-index");
        s.value = "1";
        s.dispatchEvent(new Event("change"));
      })()`);
        await page.waitFor(`document.body.dataset.state === "ready"`);
        assert.match(await text(page, "#verdict"), /^PASS Toaster S5 \(kernel variant\)/);
        assert.equal(
          await page.evaluate<string>("location.hash"),
          "#example=toaster/s05-query-remove-veto&scenario=1",
        );
      },
    );

    await t.step("a broken scenario shows its problem inline, at its line and column", async () => {
      const b64 = await fragment("title: t\nsteps:\n  - plugin: PCI\\VEN_1\n");
      // A good run first, then the link changes to the broken text (hashchange runs it).
      await page.goto(`${base}?broken#example=toaster/s03-plug-in-toaster`);
      await page.waitFor(`document.body.dataset.state === "ready"`);
      assert.ok(
        await page.evaluate<number>(`document.querySelectorAll(".picture svg").length`) > 0,
      );
      await page.evaluate(`location.hash = "#yaml=${b64}"`);
      await page.waitFor(`document.getElementById("verdict").textContent.startsWith("Cannot run")`);
      await page.waitFor(`document.body.dataset.state === "ready"`);
      assert.match(await text(page, "#verdict"), /^Cannot run: 1 problem/);
      // No picture of the earlier run stands next to it.
      assert.equal(
        await page.evaluate<number>(`document.querySelectorAll(".picture svg").length`),
        0,
      );
      assert.match(await text(page, "#failures"), /^line 3, column 5: .*did you mean 'plugIn'/);
      await page.waitFor(`document.querySelector(".cm-lintRange-error")`);
      assert.equal(await text(page, ".cm-lintRange-error"), "plugin");
    });

    await t.step("completion offers the schema's steps in the editor", async () => {
      await page.evaluate(`(() => {
        const content = document.querySelector(".cm-content");
        content.focus();
        const range = document.createRange();
        const last = [...content.querySelectorAll(".cm-line")].at(-2);
        range.selectNodeContents(last);
        range.collapse(false);
        getSelection().removeAllRanges();
        getSelection().addRange(range);
      })()`);
      await page.send("Input.insertText", { text: "\n  - expectSt" });
      await page.waitFor(`document.querySelector(".cm-tooltip-autocomplete")`);
      const options = await page.evaluate<string[]>(
        `[...document.querySelectorAll(".cm-tooltip-autocomplete li")].map((li) => li.textContent)`,
      );
      assert.ok(options.some((o) => o.startsWith("expectState")), options.join(", "));
      await page.press("Escape", "Escape", 27);
    });

    await t.step(
      "keyboard only: Tab reaches the menu, Run, the slider and the console, focus visible",
      async () => {
        await page.goto(`${base}?keyboard#example=toaster/s03-plug-in-toaster`);
        await page.waitFor(`document.body.dataset.state === "ready"`);
        const reached: string[] = [];
        for (let i = 0; i < 40; i++) {
          await page.press("Tab", "Tab", 9);
          const focus = await page.evaluate<{ id: string; outline: string }>(`(() => {
          const el = document.activeElement;
          const style = getComputedStyle(el);
          return { id: el.id || el.className, outline: style.outlineStyle };
        })()`);
          reached.push(focus.id);
          if (["examples", "run", "step", "console-in"].includes(focus.id)) {
            assert.notEqual(focus.outline, "none", `${focus.id} shows its focus`);
          }
        }
        for (const id of ["examples", "run", "step", "console-in"]) {
          assert.ok(reached.includes(id), `Tab reaches #${id}: ${reached.join(" ")}`);
        }
        // Enter on the focused Run button runs the scenario again.
        await page.evaluate(`document.getElementById("run").focus()`);
        await page.press("Enter", "Enter", 13);
        await page.waitFor(`document.body.dataset.state === "ready"`);
        assert.match(await text(page, "#verdict"), /^PASS /);
      },
    );

    await t.step("the screenshot for the README", async () => {
      await page.goto(`${base}?screenshot#example=removal/eject-toaster&step=5`);
      await page.waitFor(`document.body.dataset.state === "ready" && globalThis.pnplabStep === 5`);
      const png = await page.screenshot();
      assert.ok(png.length > 50_000, `a real screenshot (${png.length} bytes)`);
      await Deno.writeFile(`${ROOT}web/playground.png`, png);
    });

    await t.step("a phone-sized screen: one column, nothing wider than the screen", async () => {
      const phone = await browser.newPage(390, 844);
      await phone.goto(`${base}#example=removal/eject-toaster`);
      await phone.waitFor(`document.body.dataset.state === "ready"`);
      assert.ok(
        await phone.evaluate<boolean>(`document.documentElement.scrollWidth <= 390`),
        `page width ${await phone.evaluate<number>("document.documentElement.scrollWidth")}`,
      );
      assert.deepEqual(errors(phone), []);
    });

    await t.step("from file://: the same page, no server", async () => {
      const local = await browser.newPage(1400, 1000);
      await local.goto(`file://${outDir}/index.html#example=toaster/s03-plug-in-toaster`);
      await local.waitFor(`document.body.dataset.state === "ready"`);
      assert.match(await text(local, "#verdict"), /^PASS /);
      assert.ok(await local.evaluate<boolean>(`Boolean(document.querySelector("#sequence svg"))`));
      assert.deepEqual(errors(local), []);
    });

    assert.deepEqual(errors(page), [], "no console errors");
  } finally {
    await browser.close();
    await server.shutdown();
    await Deno.remove(outDir, { recursive: true });
  }
});
