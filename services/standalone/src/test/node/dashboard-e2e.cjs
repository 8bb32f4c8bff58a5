// Drives the dashboard in headless Chromium (the machine's, through playwright-core) like a person would, and
// prints one JSON line per observation for the JUnit test to assert on. It checks nothing itself beyond
// waiting for what a user would wait for, so a broken UI shows up as a timeout or a wrong observation.
// Usage: node dashboard-e2e.cjs <scenario> <json args>
const { chromium } = require('playwright-core');
const fs = require('fs');
const path = require('path');

const [scenario, argJson] = process.argv.slice(2);
const args = JSON.parse(argJson);
const say = (what, value) => console.log(JSON.stringify({ what, value }));
const T = { timeout: 30000 };

async function browser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

// Chromium reports every 4xx as a console error; the failed deploy's 422 and a wrong key's 401 are the answers
// this test provokes on purpose, so only those two are let through. Anything else fails the test.
const PROVOKED = /^Failed to load resource: the server responded with a status of (401|422) /;
const errors = [];
let current = null;
function watchConsole(page, label) {
  page.on('console', (m) => m.type() === 'error' && !PROVOKED.test(m.text()) && errors.push(label + ': ' + m.text()));
  page.on('pageerror', (e) => errors.push(label + ': ' + e.message));
}

async function shot(page, name) {
  await page.screenshot({ path: path.join(args.shots, name + '.png'), fullPage: true });
}

async function phaseOf(page, selector) {
  return page.locator(selector).first().getAttribute('data-phase');
}

async function lifecycle(b) {
  const ctx = await b.newContext({ viewport: { width: 1280, height: 860 } });
  const page = await ctx.newPage();
  watchConsole(page, 'desktop');
  current = page;
  await page.goto(args.base + '/');
  await page.getByTestId('empty-state').waitFor(T);
  say('empty_state', await page.getByTestId('empty-state').innerText());
  await page.evaluate(() => (window.__sameDocument = true));

  // Deploy the folder; record every phase the status shows until the link appears. An observer in the page sees
  // each rendered phase, however briefly it shows: a fast deploy shows Ready for less than any poll interval.
  await page.evaluate(() => {
    window.__phases = [];
    const record = () => {
      const el = document.querySelector('[data-testid=deploy-status] [data-phase]');
      const p = el && el.getAttribute('data-phase');
      if (p && window.__phases[window.__phases.length - 1] !== p) window.__phases.push(p);
    };
    new MutationObserver(record).observe(document.body,
      { subtree: true, childList: true, attributes: true, attributeFilter: ['data-phase'] });
  });
  await page.getByTestId('folder-input').setInputFiles(args.folder);
  await page.getByTestId('deploy-url').waitFor({ timeout: 60000 });
  const phases = await page.evaluate(() => window.__phases);
  const url = await page.getByTestId('deploy-url').getAttribute('href');
  say('deploy_phases', phases);
  say('deploy_url', url);
  const row = page.locator('tr[data-name="' + args.name + '"]');
  await row.locator('[data-phase=Ready]').waitFor(T);
  say('table_phase', await phaseOf(page, 'tr[data-name="' + args.name + '"] [data-phase]'));
  say('same_document', await page.evaluate(() => window.__sameDocument === true));
  await shot(page, 'apps-table-desktop');

  // The app's own tab: its console is the app's business (a suspended app answers 503), not the dashboard's.
  const appPage = await ctx.newPage();
  await appPage.goto(url);
  say('app_content', await appPage.locator('body').innerText());

  // The app page: the log line the app printed, live.
  await row.locator('a.app-name').click();
  await page.getByTestId('logs').getByText(args.logMarker).first().waitFor(T);
  say('log_text', await page.getByTestId('logs').innerText());
  say('rule', await page.getByTestId('rule').innerText());
  await shot(page, 'app-page-desktop');

  // Env editing makes version 2; the app then sees the value.
  await page.getByRole('button', { name: 'Edit' }).click();
  await page.getByRole('button', { name: 'Add variable' }).click();
  await page.getByLabel('Name').last().fill('GREETING');
  await page.getByLabel('Value of GREETING').fill('from-the-dashboard');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.locator('tr[data-version="2"] .tag-accent').waitFor(T);
  await page.locator('h1[data-serving="2"] [data-phase=Ready]').waitFor(T);
  await page.locator('dd', { hasText: '********' }).first().waitFor(T);
  say('env_shown', await page.locator('.env').innerText());
  await appPage.reload();
  say('app_content_v2', await appPage.locator('body').innerText());

  // Roll back to version 1.
  await page.locator('tr[data-version="1"]').getByRole('button', { name: 'Roll back' }).click();
  await page.locator('tr[data-version="1"] .tag-accent').waitFor(T);
  await page.locator('h1[data-serving="1"] [data-phase=Ready]').waitFor(T);
  await appPage.reload();
  say('app_content_rolled_back', await appPage.locator('body').innerText());

  await page.getByRole('button', { name: 'Suspend' }).click();
  await page.locator('h1 [data-phase=Suspended]').waitFor(T);
  say('suspended_phase', await phaseOf(page, 'h1 [data-phase]'));
  await appPage.reload();
  say('app_content_suspended', await appPage.locator('body').innerText());
  await page.getByRole('button', { name: 'Resume' }).click();
  await page.locator('h1 [data-phase=Ready]').waitFor(T);
  say('resumed_phase', await phaseOf(page, 'h1 [data-phase]'));

  await page.getByLabel('New time to live').selectOption('7d');
  await page.getByRole('button', { name: 'Extend' }).click();
  await page.locator('dd', { hasText: /in (6|7)d/ }).waitFor(T);
  say('expires', await page.locator('dt:has-text("Expires") + dd').innerText());

  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  await page.getByRole('button', { name: 'Delete app' }).click();
  await page.getByTestId('app-gone').waitFor(T);
  say('deleted', await page.getByTestId('app-gone').innerText());

  // A deploy that fails, dropped as a tarball.
  await page.goto(args.base + '/#/');
  await page.getByTestId('dropzone').waitFor(T);
  const bytes = fs.readFileSync(args.crashTarball).toString('base64');
  await page.evaluate((b64) => {
    const data = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const dt = new DataTransfer();
    dt.items.add(new File([data], 'broken.tar.gz', { type: 'application/gzip' }));
    document.querySelector('[data-testid=dropzone]').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, bytes);
  await page.getByTestId('deploy-failure').waitFor({ timeout: 60000 });
  say('failure', await page.getByTestId('deploy-failure').innerText());
  await shot(page, 'deploy-failed-desktop');

  // Search and the phase filter narrow the live table.
  await page.locator('tr[data-name=broken]').waitFor(T);
  const visibleNames = () => page.locator('tr[data-name]').evaluateAll((rows) => rows.map((r) => r.dataset.name));
  await page.getByLabel('Search apps').fill('nothing-like-this');
  say('search_miss', await visibleNames());
  await page.getByLabel('Search apps').fill('brok');
  say('search_hit', await visibleNames());
  await page.getByLabel('Filter by phase').selectOption('Ready');
  say('filter_ready', await visibleNames());
  await page.getByLabel('Filter by phase').selectOption('Failed');
  say('filter_failed', await visibleNames());

  // Keyboard, on a fresh load: the first Tab reaches the skip link, Enter on an app link opens the app.
  await page.reload();
  await page.locator('tr[data-name=broken]').waitFor(T);
  await page.keyboard.press('Tab');
  say('first_tab', await page.evaluate(() => document.activeElement.textContent));
  await page.locator('tr[data-name=broken] a.app-name').focus();
  await page.keyboard.press('Enter');
  await page.getByTestId('crash-log').waitFor(T);
  await shot(page, 'app-page-failed-desktop');

  await page.goto(args.base + '/#/connect');
  await page.getByText('MCP clients').waitFor(T);
  say('connect', await page.locator('main').innerText());
  await shot(page, 'connect-desktop');
  await page.goto(args.base + '/#/audit');
  await page.locator('[data-testid=audit] tbody tr').first().waitFor(T);
  say('audit', await page.getByTestId('audit').innerText());

  // Phone size and dark mode.
  const phone = await b.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, colorScheme: 'dark' });
  const p = await phone.newPage();
  watchConsole(p, 'phone');
  await p.goto(args.base + '/');
  await p.locator('tr[data-name=broken]').waitFor(T);
  await shot(p, 'apps-table-phone');
  await p.locator('tr[data-name=broken] a.app-name').click();
  await p.getByTestId('crash-log').waitFor(T);
  await shot(p, 'app-page-phone');
  await p.goto(args.base + '/#/connect');
  await p.getByText('MCP clients').waitFor(T);
  await shot(p, 'connect-phone');
  say('phone_overflow', await p.evaluate(() => document.documentElement.scrollWidth > window.innerWidth));
}

async function apikey(b) {
  const ctx = await b.newContext({ viewport: { width: 1280, height: 860 } });
  const page = await ctx.newPage();
  watchConsole(page, 'login');
  current = page;
  await page.goto(args.base + '/');
  await page.getByLabel('API key').waitFor(T);
  await shot(page, 'login-desktop');
  await page.getByLabel('API key').fill('not-a-key');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').waitFor(T);
  say('wrong_key', await page.getByRole('alert').innerText());
  await page.getByLabel('API key').fill(args.key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('apps-table').waitFor(T);
  await page.locator('tr[data-name="' + args.expect + '"] [data-phase]').waitFor(T);
  say('user', await page.getByTestId('user').innerText());
  say('names', await page.locator('tr[data-name]').evaluateAll((rows) => rows.map((r) => r.dataset.name)));
  say('audit_link', await page.getByRole('link', { name: 'Audit' }).count());
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.getByLabel('API key').waitFor(T);
  say('logged_out', true);
}

(async () => {
  const b = await browser();
  try {
    await (scenario === 'apikey' ? apikey(b) : lifecycle(b));
    say('console_errors', errors);
    say('done', true);
  } catch (e) {
    say('console_errors', errors);
    say('failed', String(e.stack || e));
    if (current) {
      await current.screenshot({ path: path.join(args.shots, 'failure-' + scenario + '.png'), fullPage: true }).catch(() => {});
      say('page_text_at_failure', await current.locator('body').innerText().catch(() => ''));
    }
    process.exitCode = 1;
  } finally {
    await b.close();
  }
})();
