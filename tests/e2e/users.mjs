// End-to-end test of accounts and roles (issue 12) in Debian's headless
// Chromium, driven by playwright-core. Started by tests/test_web_e2e_users.sh
// against a real greeterd (no camera). Env: GREETER_URL,
// GREETER_PASSWORD_FILE (the first admin password), SHOTS (folder for
// screenshots, optional), WORK (scratch folder). At the desktop size
// (1280x800): the first sign-in must change the password (no other page
// opens, a common password is refused); the admin adds a desk account on
// the Accounts page; the desk user's first sign-in changes its password
// too, and the admin pages are neither offered nor answered; the admin
// disables the account and its sign-in fails. At the phone size (390x844):
// the Accounts page in the slide-in menu, a password reset, no sideways
// scrolling.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';

const url = process.env.GREETER_URL;
const initial = fs.readFileSync(process.env.GREETER_PASSWORD_FILE, 'utf8').trim();
const work = process.env.WORK;
const shots = process.env.SHOTS || '';
const step = (s) => console.log(`e2e users: ${s}`);
const ADMIN_PW = 'e2e-admin-Pass-7';
const DESK_FIRST = 'desk-first-Pass-1';
const DESK_PW = 'desk-own-Pass-22';

function assert(cond, what) {
  if (!cond) throw new Error(`assertion failed: ${what}`);
}

async function shot(page, name) {
  if (!shots) return;
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(shots, `${name}.png`) });
}

const ctx = await chromium.launchPersistentContext(path.join(work, 'profile'), {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 1280, height: 800 },
  deviceScaleFactor: 1,
  bypassCSP: true, // waitForFunction evaluates strings; the app's CSP forbids eval
});
ctx.setDefaultTimeout(30000);
const page = ctx.pages()[0] || await ctx.newPage();
const errors = [];
page.on('pageerror', (e) => errors.push(String(e)));

async function signIn(user, pw) {
  await page.waitForSelector('#login-form', { state: 'visible' });
  await page.fill('#login-user', user);
  await page.fill('#login-pass', pw);
  await page.click('#login-form button[type=submit]');
}

async function signOut() {
  await page.click('#logout');
  await page.waitForSelector('#login-form', { state: 'visible' });
}

/* The forced change: only the password page, whatever the address says. */
async function forcedChange(oldPw, newPw, tag) {
  await page.waitForSelector('#password-forced');
  await page.evaluate(() => { location.hash = '#/contacts'; });
  await page.waitForTimeout(300);
  assert(await page.isVisible('#password-forced'), `${tag}: another page does not open before the change`);
  await shot(page, `${tag}-forced-change`);
  await page.fill('#password-form [name=old_password]', oldPw);
  await page.fill('#password-form [name=new_password]', 'password');
  await page.click('#password-form button[type=submit]');
  await page.waitForFunction(() => /common/.test(document.querySelector('#password-error').textContent));
  await page.fill('#password-form [name=new_password]', newPw);
  await page.click('#password-form button[type=submit]');
  await page.waitForFunction(() => !document.querySelector('#password-forced') && location.hash === '#/live');
}

try {
  step('first sign-in: the initial password must be changed first');
  await page.goto(url + '/');
  await signIn('admin', initial);
  await forcedChange(initial, ADMIN_PW, 'admin');
  assert(await page.isVisible('#nav a[data-page=users]'), 'an admin sees Accounts');

  step('the admin adds a desk account');
  await page.evaluate(() => { location.hash = '#/users'; });
  await page.waitForSelector('#user-add');
  await page.click('#user-add');
  await page.fill('#dialog [name=username]', 'desk1');
  await page.fill('#dialog [name=display_name]', 'Front Desk');
  await page.selectOption('#dialog [name=role]', 'desk');
  await page.fill('#dialog [name=password]', DESK_FIRST);
  await page.click('#dialog-ok');
  await page.waitForFunction(() => [...document.querySelectorAll('#main tbody tr')]
    .some((tr) => tr.textContent.includes('desk1') && tr.textContent.includes('must change password')));
  await shot(page, 'accounts');
  await signOut();

  step('the desk user changes the first password and sees no admin page');
  await signIn('desk1', DESK_FIRST);
  await forcedChange(DESK_FIRST, DESK_PW, 'desk');
  for (const p of ['users', 'settings', 'system'])
    assert(await page.isHidden(`#nav a[data-page=${p}]`), `a desk user is not offered ${p}`);
  assert(await page.isVisible('#nav a[data-page=contacts]'), 'a desk user has Contacts');
  await page.evaluate(() => { location.hash = '#/users'; });
  await page.waitForSelector('#users-denied');
  // Admin-only controls on shared pages are not offered either (the API
  // would answer 403): the contacts export.
  await page.evaluate(() => { location.hash = '#/contacts'; });
  await page.waitForSelector('#main a[download="contacts.csv"]', { state: 'attached' });
  assert(await page.isHidden('#main a[download="contacts.csv"]'), 'a desk user is not offered the contacts export');
  assert(await page.isHidden('#main a[download="contacts.vcf"]'), 'a desk user is not offered the vCard export');
  await signOut();

  step('the admin disables the account; its sign-in fails');
  await signIn('admin', ADMIN_PW);
  await page.waitForSelector('#nav');
  await page.evaluate(() => { location.hash = '#/contacts'; });
  await page.waitForSelector('#main a[download="contacts.csv"]');
  assert(await page.isVisible('#main a[download="contacts.csv"]'), 'an admin is offered the contacts export');
  await page.evaluate(() => { location.hash = '#/users'; });
  await page.click('button[data-user=desk1]');
  await page.waitForFunction(() => [...document.querySelectorAll('#main tbody tr')]
    .some((tr) => tr.textContent.includes('desk1') && tr.textContent.includes('disabled')));
  await signOut();
  await signIn('desk1', DESK_PW);
  await page.waitForFunction(() => document.querySelector('#login-error').textContent.includes('Wrong'));

  step('phone: Accounts in the menu, a password reset, no sideways scrolling');
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn('admin', ADMIN_PW);
  await page.waitForSelector('#menu-toggle', { state: 'visible' });
  await page.evaluate(() => { location.hash = '#/live'; });
  await page.click('#menu-toggle');
  await page.click('#nav a[data-page=users]');
  await page.waitForSelector('button[data-user=desk1]');
  await shot(page, 'phone-accounts');
  const row = page.locator('#main tbody tr', { hasText: 'desk1' });
  await row.getByText('Reset password').click();
  await page.fill('#dialog [name=password]', 'reset-by-Admin-9');
  await page.click('#dialog-ok');
  await page.waitForFunction(() => /Password reset/.test(document.querySelector('#toast').textContent));
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  assert(wide <= 391, `the phone page does not scroll sideways (${wide} px)`);
  await signOut();

  assert(errors.length === 0, `no script errors: ${errors.join('; ')}`);
  step('ok');
} finally {
  await ctx.close();
}
