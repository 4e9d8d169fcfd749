// Drives Debian's Firefox ESR for tests/e2e/otherbrowsers.py over WebDriver BiDi with puppeteer-core (which never
// downloads a browser). One JSON command per line on stdin, one JSON answer per line on stdout: {ok: value} or
// {error: message}. A widget is found by role and accessible name (an ARIA query); controls inside it by that name.
import { createInterface } from "node:readline";
import puppeteer from "puppeteer-core";

let browser, page;
const log = { console_errors: [], page_errors: [], requests: [] };
const aria = (name, role) => `::-p-aria([name=${JSON.stringify(name)}][role=${JSON.stringify(role)}])`;

const regions = new Map();  // sections are never re-rendered, so each is looked up once

// The region is found by role and accessible name (an ARIA query). Inside it, controls are matched by the same
// name read from the page's aria attributes and labels: Firefox answers ARIA queries only once its accessibility
// tree settles, and while the trainer redraws every frame they timed out after 180 s.
async function find({ region, role, name, css }) {
  if (!regions.has(region)) {
    const found = await page.$(aria(region, "region"));
    if (!found) throw new Error(`no region named ${JSON.stringify(region)}`);
    regions.set(region, found);
  }
  const scope = regions.get(region);
  if (!role) return scope;
  for (const element of await scope.$$(css)) {
    // The control's accessible name as the page gives it: aria-label, aria-labelledby, its <label>, else its text.
    const named = await element.evaluate((el) => el.getAttribute("aria-label")
      || (el.getAttribute("aria-labelledby") || "").split(/\s+/).filter(Boolean)
        .map((id) => document.getElementById(id)?.textContent.trim() ?? "").join(" ")
      || [...(el.labels || [])].map((label) => label.textContent.trim()).join(" ")
      || el.textContent.trim());
    if (named === name) return element;
  }
  throw new Error(`no ${role} named ${JSON.stringify(name)} in ${JSON.stringify(region)}`);
}

const ops = {
  async launch({ executable, width, height }) {
    browser = await puppeteer.launch({ browser: "firefox", executablePath: executable, headless: true,
                                       protocol: "webDriverBiDi" });
    page = await browser.newPage();
    page.on("console", (m) => { if (m.type() === "error") log.console_errors.push(m.text()); });
    page.on("pageerror", (e) => log.page_errors.push(String(e.message || e)));
    page.on("request", (r) => log.requests.push(r.url()));
    await page.setViewport({ width, height });
    return browser.version();
  },
  viewport: ({ width, height }) => page.setViewport({ width, height }),
  goto: async ({ url }) => { regions.clear(); await page.goto(url); },
  // The page sets one of the two when it has booted or given up; no other limit than the guard below.
  state: () => page.evaluate(() => ["ready", "failed"].filter((k) => document.body.hasAttribute(`data-${k}`))),
  // Which way the page started (data-snapshot: restored / none / stored) and the stages its status line named.
  start: () => page.evaluate(() => [document.body.dataset.snapshot ?? null, performance.getEntriesByType("mark").map((m) => m.name)]),
  exists: async ({ region }) => regions.has(region) || Boolean(await page.$(aria(region, "region"))),
  count: async (where) => { try { await find(where); return 1; } catch { return 0; } },
  // Read-outs and table rows by the elements that carry the role (an ARIA query without a name walks Firefox's whole
  // accessibility tree, which took minutes while the trainer ran).
  texts: async ({ region, css }) => Promise.all((await (await find({ region })).$$(css)).map((e) => e.evaluate((el) => el.innerText))),
  text: async (where) => (await find(where)).evaluate((e) => e.innerText),
  value: async (where) => (await find(where)).evaluate((e) => e.value),
  focus: async (where) => { await (await find(where)).focus(); },
  click: async (where) => { await (await find(where)).click(); },
  press: async ({ key }) => { await page.keyboard.press(key); },
  shot: async ({ path, region }) => {
    if (region) await (await find({ region })).screenshot({ path });
    else await page.screenshot({ path, fullPage: true });
  },
  log: () => log,
  close: async () => { await browser?.close(); browser = undefined; },
};

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  const { op, ...args } = JSON.parse(line);
  let answer;
  try {
    answer = { ok: (await ops[op](args)) ?? null };
  } catch (error) {
    answer = { error: `${op}: ${String(error.message || error)}` };
  }
  process.stdout.write(JSON.stringify(answer) + "\n");
  if (op === "close") break;
}
await browser?.close();
