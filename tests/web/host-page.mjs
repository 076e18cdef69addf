// SPDX-License-Identifier: EUPL-1.2
// Real-browser test of the host page: Debian's chromium, driven by playwright-core.
// Starts the kiosk harness (tests/web/web_harness.c), logs in (after one wrong passphrase),
// replays check-ins through the visitor's journey, checks that each appears within 2 s,
// that markup in a service label stays text, marks arrivals collected (with an undo), and
// writes docs/screenshots/host-page.png. Run through tests/web/run.sh.
//
//   node tests/web/host-page.mjs BUILD/web_harness
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { check, exitWithResult, finish, launchBrowser, logIn, startHarness } from './harness.mjs';

const MARKUP_LABEL = '<b>Post</b> & <img src=x onerror=alert(1)>brieven';
const harnessPath = process.argv[2] || 'build/web_harness';
const shotsDir = process.env.SHOTS_DIR || 'build/web-shots';

// Replays script; returns the moment its check-in was recorded (Date.now()).
async function replay(harness, script) {
  let checkedInAt = 0;
  const checkin = harness.next('checkin').then(() => { checkedInAt = Date.now(); });
  const done = harness.next('replayed');
  harness.child.stdin.write(`replay ${script}\n`);
  const line = await done;
  check(line.startsWith('replayed'), `replay ${script}: ${line}`);
  if (!line.startsWith('replayed')) throw new Error(line);
  await checkin;
  return checkedInAt;
}

async function main() {
  const harness = await startHarness(harnessPath, 'oase-web-');
  check(harness.listening === `listening ${harness.port}`, `harness listens on ${harness.port}`);
  const base = harness.base;

  const browser = await launchBrowser();
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    const page = await context.newPage();
    const dialogs = [];
    page.on('dialog', (dialog) => { dialogs.push(dialog.message()); dialog.dismiss(); });
    const consoleErrors = [];
    page.on('console', (message) => { if (message.type() === 'error') consoleErrors.push(message.text()); });
    page.on('pageerror', (error) => consoleErrors.push(String(error)));

    // Not logged in: the page sends the browser to the login.
    await page.goto(`${base}/`);
    check(page.url() === `${base}/login`, 'the page without a session goes to /login');

    // A wrong passphrase is refused and the button waits.
    await page.fill('#passphrase', 'verkeerde zin');
    await page.click('#login-button');
    await page.waitForFunction(() => document.getElementById('login-status').textContent.includes('niet de juiste'));
    check(await page.isDisabled('#login-button'), 'after a wrong passphrase the button waits');
    await page.waitForFunction(() => !document.getElementById('login-button').disabled, null, { timeout: 5000 });

    await logIn(page, harness);
    check(true, 'logged in; nobody waiting yet');

    // A replayed check-in appears within 2 s.
    consoleErrors.length = 0; // the wrong passphrase's 401 was meant
    let shownAt = 0;
    const shown = page.waitForSelector('#waiting-list .card', { timeout: 10000 })
      .then(() => { shownAt = Date.now(); });
    const checkedInAt = await replay(harness, 'tests/web/checkin.replay');
    await shown;
    const latency = shownAt - checkedInAt;
    check(latency <= 2000, `the check-in appears on the page after ${latency} ms (at most 2000)`);
    const first = page.locator('#waiting-list .card').first();
    const firstName = await first.locator('.name').textContent();
    check(/^[A-Z][a-z]+ 1$/.test(firstName), `its friendly name shows: ${firstName}`);
    check((await first.locator('.service').textContent()) === 'Schuldhulp', 'its service shows');
    check(await first.locator('.wants-word').isVisible(), 'the wish for a word shows');

    await replay(harness, 'tests/web/checkin2.replay');
    await replay(harness, 'tests/web/checkin3.replay');
    await page.waitForFunction(() => document.querySelectorAll('#waiting-list .card').length === 3);

    // The first check-in collected, then undone from the toast, then collected for real.
    const card = page.locator('#waiting-list .card', { hasText: firstName });
    await page.waitForTimeout(600);
    await card.locator('button[data-action="collected"]').click();
    await page.waitForFunction(() => document.querySelectorAll('#waiting-list .card').length === 2);
    check(await page.locator('#toast').isVisible(), 'a collected arrival offers an undo');
    await page.click('#toast-undo');
    await page.waitForFunction(() => document.querySelectorAll('#waiting-list .card').length === 3);
    check(true, 'undo puts the arrival back in the waiting list');
    await page.waitForTimeout(600); // taps right after the list moved are ignored
    await card.locator('button[data-action="collected"]').click();
    await page.waitForFunction(() => document.querySelectorAll('#waiting-list .card').length === 2);
    await page.waitForFunction(() => document.querySelectorAll('#done-list li').length === 1);
    check((await page.locator('#done-list li .name').textContent()) === firstName,
          `${firstName} is in the done list`);
    check((await page.locator('#n-waiting').textContent()) === '2', 'today: 2 waiting');
    check((await page.locator('#n-checkins').textContent()) === '3', 'today: 3 checked in');

    // One incident counted.
    await page.click('button[data-incident="verbal"]');
    await page.waitForFunction(() => document.getElementById('incident-note').textContent.length > 0);
    check((await page.locator('#n-incidents').textContent()).startsWith('1'), 'an incident is counted');

    await page.waitForSelector('#toast', { state: 'hidden', timeout: 12000 });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: 'docs/screenshots/host-page.png', fullPage: true });
    console.log('wrote docs/screenshots/host-page.png');

    // For people to look at: English, and a tablet held upright.
    mkdirSync(shotsDir, { recursive: true });
    await page.click('button[data-lang="en"]');
    await page.waitForFunction(() => document.getElementById('h-waiting').textContent.startsWith('Waiting'));
    await page.screenshot({ path: join(shotsDir, 'host-page-en.png') });
    await page.setViewportSize({ width: 820, height: 1180 });
    await page.screenshot({ path: join(shotsDir, 'host-page-tablet.png'), fullPage: true });
    // Markup in a service label is text, never an element.
    await page.setViewportSize({ width: 1280, height: 860 });
    await replay(harness, 'tests/web/checkin-markup.replay');
    await page.waitForFunction(() => document.querySelectorAll('#waiting-list .card').length === 3);
    const label = await page.locator('#waiting-list .card').last().locator('.service').textContent();
    check(label === MARKUP_LABEL, `a label with markup shows as text: ${label}`);
    check(await page.locator('#waiting-list img, #waiting-list b').count() === 0, 'no element was made from it');
    check(dialogs.length === 0, `no script from the data ran (${dialogs.length} dialogs)`);
    check(consoleErrors.length === 0, `no errors in the console ${consoleErrors.join(' | ')}`);

    const login = await context.newPage();
    await context.clearCookies();
    await login.goto(`${base}/login`);
    await login.screenshot({ path: join(shotsDir, 'login.png') });
    console.log(`wrote ${shotsDir}/host-page-en.png, host-page-tablet.png, login.png`);
  } finally {
    await finish(browser, harness);
  }
  exitWithResult('host page in the browser');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
