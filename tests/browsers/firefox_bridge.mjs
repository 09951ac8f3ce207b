// Drives Debian's Firefox ESR for tests/test_site_browsers.py, over WebDriver BiDi with
// puppeteer-core (pinned in package.json; it downloads no browser). One Firefox per run.
//
// Protocol: one JSON object per line on stdin, {id, op, ...}; one answer per line on stdout,
// {id, value} or {id, error}. The first line written is {ready: true, version}.
//   goto {url}                 navigate the page and wait for its load event
//   eval {fn, arg, frame}      call the JS function source ``fn`` with ``arg`` in the page, or in
//                              the iframe matched by the CSS selector ``frame``; JSON result
//   click {fn, arg, frame}     a real mouse click on the element the function returns
//   errors {}                  the console errors and uncaught page errors since the last call
//   screenshot {path}          a PNG of the page (a failed test keeps one)
// The scenarios themselves are Python (tests/test_site_browsers.py), shared with WebKit.
import { createInterface } from "node:readline";
import puppeteer from "puppeteer-core";

const executablePath = process.argv[2] || "/usr/bin/firefox-esr";
const browser = await puppeteer.launch({
  browser: "firefox", executablePath, headless: true, defaultViewport: { width: 1200, height: 800 },
});
const page = (await browser.pages())[0] || (await browser.newPage());
let errors = [];
page.on("console", (m) => { if (m.type() === "error") errors.push("console.error: " + m.text()); });
page.on("pageerror", (e) => errors.push("page error: " + (e && e.message ? e.message : String(e))));

async function target(frame) {
  if (!frame) return page;
  const element = await page.$(frame);
  if (!element) throw new Error(`no iframe matches ${frame}`);
  const content = await element.contentFrame();
  if (!content) throw new Error(`${frame} has no document yet`);
  return content;
}

// The function travels to the page as its source text (puppeteer sends fn.toString()).
const compile = (source) => new Function(`return (${source});`)();

const ops = {
  async goto({ url }) { await page.goto(url, { waitUntil: "load", timeout: 120_000 }); return null; },
  async eval({ fn, arg, frame }) { return (await target(frame)).evaluate(compile(fn), arg ?? null); },
  async click({ fn, arg, frame }) {
    const handle = await (await target(frame)).evaluateHandle(compile(fn), arg ?? null);
    const element = handle.asElement();
    if (!element) throw new Error("nothing to click: " + arg);
    await element.click();
    return null;
  },
  async errors() { const e = errors; errors = []; return e; },
  async screenshot({ path }) { await page.screenshot({ path, fullPage: true }); return null; },
};

const send = (obj) => process.stdout.write(JSON.stringify(obj) + "\n");
send({ ready: true, version: await browser.version() });
const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  const { id, op, ...args } = JSON.parse(line);
  try {
    const value = await ops[op](args);
    send({ id, value: value === undefined ? null : value });
  } catch (err) {
    send({ id, error: String(err && err.stack ? err.stack : err) });
  }
}
await browser.close();  // stdin closed: the test module is done
