// SPDX-License-Identifier: EUPL-1.2
// Real-browser test of the busy host's page: Debian's chromium, playwright-core.
// Twelve replayed check-ins must fit at 1366x768; two taps 250 ms apart on "Opgehaald" mark
// one visitor, not two; a claim shows; the offline state locks the list with a banner; every
// text keeps WCAG contrast (4.5:1, 3:1 for large text; an axe-like check, computed here);
// screenshots at 1366x768, 768x1024 and 390x844 go to docs/screenshots/host-*.png.
// Run through tests/web/run.sh.
//
//   node tests/web/host-desk.mjs BUILD/web_harness
import { check, exitWithResult, finish, launchBrowser, logIn, startHarness } from './harness.mjs';

const harnessPath = process.argv[2] || 'build/web_harness';

async function replay(harness, script) {
  const done = harness.next('replayed');
  harness.child.stdin.write(`replay ${script}\n`);
  const line = await done;
  if (!line.startsWith('replayed')) throw new Error(line);
}

// WCAG contrast of every element with its own text against the first opaque background up
// its ancestors (what axe's color-contrast rule computes, without images and gradients).
function contrastProblems() {
  const parse = (c) => {
    const m = c.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const p = m[1].split(',').map((x) => parseFloat(x));
    return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
  };
  const lum = ({ r, g, b }) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = (node) => {
    for (let n = node; n; n = n.parentElement) {
      const c = parse(getComputedStyle(n).backgroundColor);
      if (c && c.a >= 0.99) return c;
    }
    return { r: 255, g: 255, b: 255, a: 1 };
  };
  const problems = [];
  for (const node of document.querySelectorAll('body *')) {
    const own = Array.from(node.childNodes).some((c) => c.nodeType === 3 && c.textContent.trim());
    if (!own || node.closest('[hidden]') || node.offsetParent === null) continue;
    const style = getComputedStyle(node);
    if (parseFloat(style.opacity) < 1 || node.closest('.sr-only')) continue;
    if (node.disabled || node.closest('body.is-offline .cards')) continue; // WCAG: inactive
    const fg = parse(style.color);
    const bg = background(node);
    const l1 = lum(fg), l2 = lum(bg);
    const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && parseInt(style.fontWeight, 10) >= 700);
    if (ratio < (large ? 3 : 4.5)) {
      problems.push(`${node.tagName.toLowerCase()}.${node.className} "${node.textContent.trim().slice(0, 30)}" ${ratio.toFixed(2)}:1`);
    }
  }
  return problems;
}

async function main() {
  const harness = await startHarness(harnessPath, 'oase-desk-');
  const base = harness.base;
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    page.on('dialog', (dialog) => dialog.accept());
    await page.goto(`${base}/login`);
    await logIn(page, harness);

    const scripts = ['checkin.replay', 'checkin2.replay', 'checkin3.replay'];
    for (let i = 0; i < 12; i++) await replay(harness, `tests/web/${scripts[i % 3]}`);
    await page.waitForFunction(() => document.querySelectorAll('#waiting-list .card').length === 12,
      null, { timeout: 15000 });
    const announced = await page.locator('#announce').textContent();
    check(/^Nieuw: /.test(announced), `a new arrival is announced (aria-live): ${announced}`);

    // Density: how many waiting visitors are fully visible without scrolling.
    const visible = await page.evaluate(() => Array.from(document.querySelectorAll('#waiting-list .card'))
      .filter((c) => c.getBoundingClientRect().bottom <= window.innerHeight).length);
    check(visible >= 12, `${visible} of 12 waiting visitors visible at 1366x768 (want 12)`);

    // Two taps 250 ms apart on the same spot: the card under the pointer changes, one is marked.
    const button = page.locator('#waiting-list .card').first().locator('button[data-action="collected"]');
    const box = await button.boundingBox();
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForTimeout(250);
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForTimeout(1500);
    const done = await page.locator('#done-list li').count();
    check(done === 1, `two taps 250 ms apart marked ${done} visitor(s) (want 1)`);

    // Claim: "ik haal deze" shows on the card.
    await page.waitForTimeout(600);
    await page.locator('#waiting-list .card').first().locator('button[data-action="claim"]').click();
    await page.waitForSelector('#waiting-list .card.claimed button[data-action="claim"][aria-pressed="true"]');
    check(true, 'a claim shows on the card');

    // Keyboard: focus the list, move down, H claims the second card.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.waitForTimeout(600);
    await page.keyboard.press('h');
    await page.waitForFunction(() => document.querySelectorAll('#waiting-list .card.claimed').length === 2);
    check(true, 'the H key claims the chosen card');

    const problems = await page.evaluate(contrastProblems);
    check(problems.length === 0, `contrast: ${problems.length} problem(s) ${problems.slice(0, 5).join(' | ')}`);

    // Screenshots with waits of many lengths and a help request (the answer is dressed up in
    // the browser: the kiosk's clock cannot be moved from here).
    await page.route('**/api/state', async (route) => {
      const headers = { ...route.request().headers() };
      delete headers['if-none-match'];
      const response = await route.fetch({ headers });
      const json = await response.json();
      let i = 0;
      for (const a of json.arrivals) if (a.status === 'waiting') a.minutes = [52, 41, 33, 27, 22, 18, 14, 11, 8, 5, 3, 1][i++] || 0;
      json.help_requests = 1;
      await route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(json) });
    });
    await page.waitForTimeout(1500);
    await page.screenshot({ path: 'docs/screenshots/host-1366x768.png' });
    const dressed = await page.evaluate(contrastProblems);
    check(dressed.length === 0, `contrast with long waits and help: ${dressed.length} problem(s) ${dressed.slice(0, 5).join(' | ')}`);
    await page.setViewportSize({ width: 768, height: 1024 });
    await page.waitForTimeout(500);
    await page.screenshot({ path: 'docs/screenshots/host-768x1024.png' });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(500);
    await page.screenshot({ path: 'docs/screenshots/host-390x844.png' });
    await page.unroute('**/api/state');

    // Offline: the list greys out, cannot be used, and a banner says since when.
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.route('**/api/state', (route) => route.abort());
    await page.waitForSelector('#offline-banner:not([hidden])', { timeout: 5000 });
    const locked = await page.evaluate(() =>
      Array.from(document.querySelectorAll('#waiting-list button')).every((b) => b.disabled));
    check(locked, 'offline: every button of the list is disabled');
    check(/Laatst bijgewerkt \d\d:\d\d/.test(await page.locator('#offline-banner').textContent()),
      'offline: the banner says when the list was last updated');
    await page.screenshot({ path: 'docs/screenshots/host-offline.png' });
    await page.unroute('**/api/state');
    await page.waitForSelector('#offline-banner[hidden]', { state: 'attached', timeout: 5000 });
    check(true, 'back online: the banner goes');
    check(errors.length === 0, `no script errors ${errors.join(' | ')}`);
  } finally {
    await finish(browser, harness);
  }
  exitWithResult('host desk in the browser');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
