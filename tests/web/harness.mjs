// SPDX-License-Identifier: EUPL-1.2
// What the real-browser tests (host-page.mjs, host-desk.mjs) share: the kiosk harness
// (tests/web/web_harness.c) on a free port with a database of its own, its stdout lines as
// awaited events; Debian's chromium; the host's log-in; the checks and how a run ends.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const PASSPHRASE = 'rustig blauw water';

let failures = 0;
export function check(ok, what) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures++;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// The harness on a free port with a fresh database in a directory named after prefix; waits
// until it listens. Returns { child, next(prefix): the next stdout line starting with prefix,
// dbDir, port, base (the page's URL), listening (the harness's line) }.
export async function startHarness(harnessPath, prefix) {
  const dbDir = mkdtempSync(join(tmpdir(), prefix));
  const port = await freePort();
  const child = spawn(harnessPath, [
    '--config', 'tests/web/host.conf', '--db', join(dbDir, 'oase.db'),
    '--passphrase', PASSPHRASE, '--port', String(port), '--assets', 'assets',
  ], { env: { ...process.env, TZ: 'Europe/Amsterdam' }, stdio: ['pipe', 'pipe', 'inherit'] });
  const waiting = [];
  let buffer = '';
  child.stdout.on('data', (data) => {
    buffer += data.toString();
    let end;
    while ((end = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, end);
      buffer = buffer.slice(end + 1);
      const index = waiting.findIndex((w) => line.startsWith(w.prefix) ||
        (w.prefix === 'replayed' && line.startsWith('replay failed')));
      if (index >= 0) waiting.splice(index, 1)[0].resolve(line);
    }
  });
  const next = (prefix) => new Promise((resolve) => waiting.push({ prefix, resolve }));
  const listening = await next('listening');
  return { child, next, dbDir, port, base: `http://127.0.0.1:${port}`, listening };
}

export function launchBrowser() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

// Logs the page in with the right passphrase (it is on /login) and waits for the empty list.
export async function logIn(page, harness) {
  await page.fill('#passphrase', PASSPHRASE);
  await page.click('#login-button');
  await page.waitForURL(`${harness.base}/`);
  await page.waitForSelector('#waiting-empty:not([hidden])');
}

// Closes the browser, stops the harness and removes its database.
export async function finish(browser, harness) {
  await browser.close();
  harness.child.stdin.write('quit\n');
  await new Promise((resolve) => harness.child.on('exit', resolve));
  rmSync(harness.dbDir, { recursive: true, force: true });
}

// Says how the checks went (what names the test) and exits 0 when all passed.
export function exitWithResult(what) {
  console.log(failures === 0 ? `${what}: all checks passed` : `${what}: ${failures} check(s) failed`);
  process.exit(failures === 0 ? 0 : 1);
}
