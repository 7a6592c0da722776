// End-to-end of the face library (issue 14) in headless Chromium, driven by
// playwright-core. Started by tests/test_web_e2e_faces.sh against a greeterd
// whose camera loops a visitor (2 s at the desk, 6 s away). Env: GREETER_URL,
// GREETER_PASSWORD_FILE, SHOTS (screenshots, optional), WORK.
// Phone (390x844): open the unknown visitor, "not this person" on a visit,
// merge the new identity back, delete a template. Desktop (1280x800): "this
// is ..." links the visitor to a contact and the next greeting carries the
// name. Both sizes: enrol from the live camera (the camera knew the face:
// that identity is named, and the face taken is shown). Desktop: erase with
// a suppression entry, and the face passes again without anything stored.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';

const url = process.env.GREETER_URL;
const password = fs.readFileSync(process.env.GREETER_PASSWORD_FILE, 'utf8').trim();
const work = process.env.WORK;
const shots = process.env.SHOTS || '';
const step = (s) => console.log(`e2e faces: ${s}`);

function assert(cond, what) {
  if (!cond) throw new Error(`assertion failed: ${what}`);
}

async function shot(page, name) {
  if (shots) await page.screenshot({ path: path.join(shots, `${name}.png`) });
}

const ctx = await chromium.launchPersistentContext(path.join(work, 'profile'), {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 1,
  bypassCSP: true,
});
ctx.setDefaultTimeout(30000);
const page = ctx.pages()[0] || await ctx.newPage();
const errors = [];
page.on('pageerror', (e) => errors.push(String(e)));

// The page's own session (cookie + CSRF token) for checks through the API.
const apiGet = (p) => page.evaluate(async (p) => (await fetch(p)).json(), p);

async function openFaces(kind) {
  await page.goto(url + '/#/faces');
  await page.waitForSelector('#face-grid');
  await page.click(`.seg button:has-text("${kind}")`);
  await page.waitForSelector('#face-grid .face-card, #face-grid .empty');
}

async function openCard(id) {
  await page.click(`#face-grid .face-card[data-id="${id}"] button.open-face`);
  await page.waitForSelector('#dialog[open] .face-detail');
}

// The dialog fits the screen: no part of it is off to the side.
async function fits(what) {
  const box = await page.locator('#dialog[open]').boundingBox();
  const vw = page.viewportSize().width;
  assert(box && box.x >= -1 && box.x + box.width <= vw + 1, `${what}: the dialog fits ${vw} px (${JSON.stringify(box)})`);
}

try {
  step('login');
  await page.goto(url + '/');
  await page.waitForSelector('#login-form');
  await page.fill('#login-user', 'admin');
  await page.fill('#login-pass', password);
  await page.click('#login-form button[type=submit]');
  await page.waitForSelector('#app:not([hidden])');

  step('phone: the camera stores the visitor twice (two visits)');
  let visitor = null;
  for (let i = 0; i < 60 && !visitor; i++) {
    const r = await apiGet('/api/v1/faces?kind=visitors');
    const v = r.items && r.items.find((f) => f.visit_count >= 2);
    if (v) visitor = v; else await page.waitForTimeout(1000);
  }
  assert(visitor, 'an unknown visitor with two visits');
  await openFaces('Unknown visitors');
  await openCard(visitor.id);
  await fits('person dialog');
  const nVisits = await page.locator('#dialog .face-visit').count();
  const nTemplates = await page.locator('#dialog .face-template').count();
  assert(nVisits >= 2 && nTemplates >= 1, `visits ${nVisits}, templates ${nTemplates} shown`);
  await shot(page, 'faces-person-phone');

  step('phone: "not this person" on the newest visit -> a new identity');
  // The camera keeps looping the visitor (a visit every 8 s), so the checks
  // follow the visit moved by its id, never by counting visits.
  const firstMoved = Number(await page.locator('#dialog .face-visit').first().getAttribute('data-visit'));
  assert(firstMoved > 0, 'the newest visit has an id');
  await page.locator('#dialog .face-visit button.not-this').first().click();
  await page.waitForFunction((id) => {
    const t = document.querySelector('#dialog[open] .face-detail .t');
    return t && !t.textContent.includes(`face #${id}`);
  }, visitor.id);
  const moved = await page.textContent('#dialog .face-detail .t');
  const other = Number((moved.match(/face #(\d+)/) || [])[1]);
  assert(other && other !== visitor.id, `the visit went to a new identity (${moved})`);
  let a = await apiGet(`/api/v1/faces/${visitor.id}`);
  assert(!a.visits.some((v) => v.id === firstMoved), `visit ${firstMoved} left the first identity`);
  assert((await apiGet(`/api/v1/faces/${other}`)).visits.some((v) => v.id === firstMoved), `visit ${firstMoved} is the new identity's`);

  step('phone: merge it back');
  await page.click('#dialog-cancel');
  await openFaces('Unknown visitors');
  await openCard(visitor.id);
  await page.fill('#merge-from', String(other));
  await page.click('#dialog button.merge-face');
  await page.waitForFunction((n) => document.querySelectorAll('#dialog[open] .face-visit').length >= n, nVisits);
  const gone = await page.evaluate(async (id) => (await fetch(`/api/v1/faces/${id}`)).status, other);
  assert(gone === 404, 'the merged identity is gone');

  step('phone: delete a template');
  const before = await page.locator('#dialog .face-template').count();
  if (before > 1) {
    await page.locator('#dialog .face-template button.delete-template').last().click();
    await page.waitForFunction((n) => document.querySelectorAll('#dialog[open] .face-template').length === n, before - 1);
  }
  await page.click('#dialog-cancel');

  step('phone: "not this person" from the visitor log, then merged back');
  await page.evaluate(() => { location.hash = '#/visitors'; });
  await page.waitForSelector(`.visit-row[data-person="${visitor.id}"]`);
  const movedVisit = Number(await page.locator(`.visit-row[data-person="${visitor.id}"]`).first().getAttribute('data-id'));
  await page.locator(`.visit-row[data-person="${visitor.id}"]`).first().click();
  await page.waitForSelector('#dialog[open] .visit-detail');
  await fits('visit dialog');
  await page.click('#dialog .visit-not-this button.not-this');
  await page.waitForSelector('#dialog', { state: 'hidden' });
  const afterLog = await apiGet(`/api/v1/faces/${visitor.id}`);
  assert(!afterLog.visits.some((v) => v.id === movedVisit), `visit ${movedVisit} left the identity`);
  let split = null;
  for (const f of (await apiGet('/api/v1/faces?kind=visitors&limit=200')).items) {
    if (f.id !== visitor.id && (await apiGet(`/api/v1/faces/${f.id}`)).visits.some((v) => v.id === movedVisit)) split = f.id;
  }
  assert(split, `visit ${movedVisit} went to another identity`);
  await page.waitForSelector(`.visit-row[data-id="${movedVisit}"][data-person="${split}"]`);
  await page.evaluate(async ([to, from]) => {
    const { api } = await import('/js/api.js');
    return api('POST', `/api/v1/faces/${to}/merge`, { from });
  }, [visitor.id, split]);

  step('desktop: "this is ..." links the visitor to a contact');
  await page.setViewportSize({ width: 1280, height: 800 });
  // the app's own API module (same URL, same instance: it holds the CSRF token)
  const contact = await page.evaluate(async () => {
    const { api } = await import('/js/api.js');
    return api('POST', '/api/v1/contacts', { given_name: 'Howard', family_name: 'Wolowitz' });
  });
  await openFaces('Unknown visitors');
  await openCard(visitor.id);
  await fits('person dialog (desktop)');
  const search = page.locator('#dialog .face-link input[type=search]');
  assert(contact && contact.id, 'the contact was made');
  await search.fill('Wolowitz');
  await page.waitForFunction(() => {
    const s = document.querySelector('#dialog .face-link select');
    return s && [...s.options].some((o) => o.textContent.includes('Wolowitz'));
  });
  await page.selectOption('#dialog .face-link select', String(contact.id));
  await page.check('#link-consent');
  // the next greeting: listen before linking
  await page.evaluate(() => {
    window.__greetings = [];
    const es = new EventSource('/api/v1/events');
    es.addEventListener('visit.returning', (e) => window.__greetings.push(JSON.parse(e.data)));
    es.addEventListener('visit.new', (e) => window.__greetings.push(JSON.parse(e.data)));
  });
  await page.click('#dialog button.link-face');
  await page.waitForFunction(() => {
    const t = document.querySelector('#dialog[open] .face-detail .t');
    const err = document.querySelector('#dialog-error').textContent;
    return err || (t && t.textContent.includes('Howard Wolowitz'));
  });
  const linkErr = await page.textContent('#dialog-error');
  assert(!linkErr, `linking failed: ${linkErr}`);
  await shot(page, 'faces-person-desktop');
  await page.click('#dialog-cancel');
  await page.waitForFunction((id) => (window.__greetings || []).some((g) => String(g.person_id) === String(id) &&
    g.label === 'Howard Wolowitz'), visitor.id, { timeout: 30000 });
  step('desktop: the next greeting says "Howard Wolowitz"');

  // Enrolment from the live camera (the looped frames: the face is there 2 s
  // in 8): the camera knew the face, so that identity is named, and the face
  // the camera took is shown for confirmation (a crop the server cut from the
  // frame, answered as face_jpeg and stored nowhere).
  async function enrolFromCamera(size) {
    await page.goto(url + '/#/faces');
    await page.waitForSelector('#face-grid');
    let answer = null;
    for (let i = 0; i < 40 && !answer; i++) {
      await page.fill('#face-label', 'Howard Wolowitz');
      await page.check('#face-consent');
      const [resp] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith('/api/v1/faces') && r.request().method() === 'POST'),
        page.click('button:has-text("Use the live camera")'),
      ]);
      if (resp.status() === 201) answer = await resp.json();
      else await page.waitForTimeout(400); // the desk was empty in that frame (422 no_face)
    }
    assert(answer, `${size}: enrolled from the live camera`);
    assert(answer.named_existing && answer.person_id === visitor.id,
      `${size}: the camera's known face was named, not made twice (${answer.person_id} vs ${visitor.id})`);
    assert(typeof answer.face_jpeg === 'string' && answer.face_jpeg.length > 100, `${size}: the answer carries the face`);
    const notice = await page.textContent('.notice.ok');
    assert(notice.includes(`face #${visitor.id}`) && /already knew/.test(notice), `${size}: the notice names it (${notice})`);
    await page.waitForFunction(() => {
      const img = document.querySelector('img.face-confirm');
      return img && img.complete && img.naturalWidth > 0;
    });
    const box = await page.locator('img.face-confirm').boundingBox();
    const vw = page.viewportSize().width;
    assert(box && box.width > 0 && box.x >= 0 && box.x + box.width <= vw, `${size}: the face is shown on screen`);
    await shot(page, `faces-camera-confirm-${size}`);
  }
  step('phone: enrol from the live camera: the face is shown for confirmation');
  await page.setViewportSize({ width: 390, height: 844 });
  await enrolFromCamera('phone');
  step('desktop: enrol from the live camera: the face is shown for confirmation');
  await page.setViewportSize({ width: 1280, height: 800 });
  await enrolFromCamera('desktop');

  step('desktop: erase with a suppression entry');
  await openFaces('Enrolled');
  await page.click(`#face-grid .face-card[data-id="${visitor.id}"] button.erase-face`);
  await page.waitForSelector('#dialog[open] #erase-suppress');
  const plain = await page.textContent('#erase-effect');
  assert(/new unknown visitor/.test(plain), `the dialog says what happens without suppression (${plain})`);
  await page.check('#erase-suppress');
  assert(/stores nothing/.test(await page.textContent('#erase-effect')), 'the dialog explains the suppression entry');
  await page.click('#dialog-ok');
  await page.waitForSelector('#dialog', { state: 'hidden' });
  let all = null;
  for (let i = 0; i < 20; i++) {
    all = await apiGet('/api/v1/faces?kind=all');
    if (all.items.some((f) => f.suppressed)) break;
    await page.waitForTimeout(500);
  }
  const entry = all.items.find((f) => f.suppressed);
  assert(entry && entry.label.startsWith('Suppressed #') && !entry.contact_id, 'a suppression entry with no name');
  assert(!all.items.some((f) => f.id === visitor.id), 'the identity is erased');

  step('desktop: the face walks past again (two passes): nothing is stored');
  const visitsBefore = (await apiGet('/api/v1/visits?limit=1')).stats;
  const count = all.total;
  await page.waitForTimeout(17000);
  all = await apiGet('/api/v1/faces?kind=all');
  const e2 = await apiGet(`/api/v1/faces/${entry.id}`);
  const visitsAfter = (await apiGet('/api/v1/visits?limit=1')).stats;
  assert(all.total === count, `no new identity (${count} -> ${all.total})`);
  assert(e2.visits.length === 0 && e2.visit_count === 0, 'the suppression entry has no visits');
  assert(JSON.stringify(visitsBefore) === JSON.stringify(visitsAfter), `no visit stored (${JSON.stringify(visitsBefore)} -> ${JSON.stringify(visitsAfter)})`);
  await openFaces('All');
  await page.waitForSelector(`#face-grid .face-card[data-id="${entry.id}"] .tag:has-text("do not record")`);
  await shot(page, 'faces-suppressed');

  step('desktop: enrol a photo: the face is shown for confirmation; the suppressed face is refused');
  const src = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'data', 'faces');
  await page.fill('#face-label', 'Leonard Hofstadter');
  await page.setInputFiles('#face-file', path.join(src, 'leonard3.png'));
  await page.check('#face-consent');
  // the notice of the camera enrolment above may still be on the page: wait for this answer
  await Promise.all([
    page.waitForResponse((r) => r.url().includes('/api/v1/faces?') && r.request().method() === 'POST'),
    page.click('button:has-text("Enrol from photo")'),
  ]);
  await page.waitForSelector('.notice.ok');
  assert(/Enrolled Leonard Hofstadter/.test(await page.textContent('.notice.ok')), 'enrolled from the photo');
  await page.waitForSelector('canvas.face-confirm');
  await page.fill('#face-label', 'Howard again');
  await page.setInputFiles('#face-file', path.join(src, 'howard4.png'));
  await page.check('#face-consent');
  await Promise.all([
    page.waitForResponse((r) => r.url().includes('/api/v1/faces?') && r.request().method() === 'POST'),
    page.click('button:has-text("Enrol from photo")'),
  ]);
  await page.waitForSelector('.notice.warn');
  const refused = await page.textContent('.notice.warn');
  assert(/erased at the person's request/.test(refused), `a suppressed face is not enrolled (${refused})`);
  await shot(page, 'faces-enrol-confirm');

  assert(errors.length === 0, `no page errors (${errors.join('; ')})`);
  step('ok');
} finally {
  await ctx.close();
}
