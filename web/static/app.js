/* Greeter web UI. Plain JavaScript, no framework: a hash router, one render
 * function per page, the JSON API of docs/API.md, server-sent events for the
 * live greeting feed. Every value from the server is put into the page as
 * text (textContent), never as HTML. */
'use strict';

const S = {
  csrf: null, me: null, page: null, events: null, feed: [], greetTimer: null, unread: 0, lastScan: null,
};

/* ---------- small helpers ---------- */

const $ = (sel, root = document) => root.querySelector(sel);

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') e.className = v;
      else if (k === 'text') e.textContent = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else if (k === 'dataset') Object.assign(e.dataset, v);
      else if (v === true) e.setAttribute(k, '');
      else e.setAttribute(k, v);
    }
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

function toast(msg, bad) {
  const t = $('#toast');
  t.textContent = msg;
  t.className = 'toast show' + (bad ? ' bad' : '');
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { t.className = 'toast'; }, bad ? 5000 : 2500);
}

class ApiError extends Error {
  constructor(status, code, message) { super(message); this.status = status; this.code = code; }
}

async function api(method, path, body, opts = {}) {
  const headers = {};
  let payload;
  if (body instanceof Blob) {
    payload = body;
    headers['Content-Type'] = opts.type || body.type || 'application/octet-stream';
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    headers['Content-Type'] = 'application/json';
  }
  if (method !== 'GET' && S.csrf) headers['X-CSRF-Token'] = S.csrf;
  const r = await fetch(path, { method, headers, body: payload, credentials: 'same-origin' });
  if (opts.raw) {
    if (!r.ok) throw new ApiError(r.status, 'http', r.statusText);
    return r;
  }
  let data = null;
  const text = await r.text();
  try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
  if (r.status === 401 && !path.endsWith('/login')) {
    showLogin();
    throw new ApiError(401, 'unauthorized', 'Please sign in again.');
  }
  if (!r.ok) {
    throw new ApiError(r.status, data && data.error || 'http', data && data.message || r.statusText);
  }
  return data;
}

function fail(e) { toast(e.message || String(e), true); }

function fullName(c) {
  if (!c) return '';
  const n = [c.given_name, c.family_name].filter(Boolean).join(' ');
  return n || c.name || (c.emails && c.emails[0]) || c.company || c.label || (c.id ? '#' + c.id : '');
}

function ordinal(n) {
  const s = ['th', 'st', 'nd', 'rd'], v = n % 100;
  return n + (s[(v - 20) % 10] || s[v] || s[0]);
}

function when(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (isNaN(d)) return iso;
  const today = new Date();
  const sameDay = d.toDateString() === today.toDateString();
  return sameDay ? d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
    : d.toLocaleDateString([], { day: 'numeric', month: 'short' }) + ' ' +
      d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

function debounce(fn, ms) {
  let t;
  return (...a) => { clearTimeout(t); t = setTimeout(() => fn(...a), ms); };
}

function list(v) {
  if (!v) return [];
  return String(v).split(/[,;\n]/).map((s) => s.trim()).filter(Boolean);
}

function phonesText(c) {
  return (c.phones || []).map((p) => (typeof p === 'string' ? p : p.number)).join(', ');
}

function phonesFrom(text, old) {
  const types = {};
  for (const p of old || []) if (p && p.number) types[p.number] = p.type;
  return list(text).map((n) => ({ number: n, type: types[n] || 'work' }));
}

/* ---------- dialog ---------- */

function dialog(title, body, okText = 'Save') {
  const d = $('#dialog');
  $('#dialog-title').textContent = title;
  const b = $('#dialog-body');
  b.replaceChildren(body);
  $('#dialog-error').textContent = '';
  $('#dialog-ok').textContent = okText || '';
  $('#dialog-ok').hidden = !okText;
  $('#dialog-cancel').textContent = okText ? 'Cancel' : 'Close';
  d.showModal();
  return new Promise((resolve) => {
    d.addEventListener('close', () => resolve(d.returnValue === 'ok'), { once: true });
  });
}

/* A dialog whose OK runs `save`; stays open and shows the error when it fails. */
function editDialog(title, body, save, okText) {
  const d = $('#dialog');
  $('#dialog-title').textContent = title;
  $('#dialog-body').replaceChildren(body);
  $('#dialog-error').textContent = '';
  $('#dialog-ok').textContent = okText || 'Save';
  $('#dialog-ok').hidden = false;
  $('#dialog-cancel').textContent = 'Cancel';
  const ok = $('#dialog-ok');
  const handler = async (ev) => {
    ev.preventDefault();
    ok.disabled = true;
    try {
      await save();
      d.close('ok');
    } catch (e) {
      $('#dialog-error').textContent = e.message;
    } finally {
      ok.disabled = false;
    }
  };
  ok.addEventListener('click', handler);
  d.addEventListener('close', () => ok.removeEventListener('click', handler), { once: true });
  d.showModal();
}

function field(label, name, value, attrs = {}) {
  const { full, textarea, ...rest } = attrs;
  const input = textarea
    ? el('textarea', { name, ...rest }, value || '')
    : el('input', { name, value: value ?? '', ...rest });
  return el('label', { class: full ? 'full' : null }, label, input);
}

/* ---------- login ---------- */

function showLogin() {
  stopEvents();
  S.csrf = null;
  $('#app').hidden = true;
  $('#greeting-view').hidden = true;
  $('#login-view').hidden = false;
  $('#login-pass').focus();
}

async function doLogin(ev) {
  ev.preventDefault();
  $('#login-error').textContent = '';
  try {
    const r = await api('POST', '/api/v1/login', {
      username: $('#login-user').value, password: $('#login-pass').value,
    });
    S.csrf = r.csrf_token;
    $('#login-pass').value = '';
    await start();
  } catch (e) {
    $('#login-error').textContent = e.status === 401 ? 'Wrong user name or password.' : e.message;
  }
}

async function start() {
  try {
    S.me = await api('GET', '/api/v1/me');
  } catch (e) {
    return;
  }
  S.csrf = S.me.csrf_token;
  $('#login-view').hidden = true;
  $('#app').hidden = false;
  $('#device-name').textContent = S.me.device || 'Greeter';
  $('#user-name').textContent = S.me.username;
  startEvents();
  refreshBadges();
  if (S.me.must_change) toast('Please change the initial password (Settings).');
  route();
}

/* ---------- events (SSE) ---------- */

function startEvents() {
  stopEvents();
  const es = new EventSource('/api/v1/events');
  S.events = es;
  const onVisit = (ev) => {
    let d;
    try { d = JSON.parse(ev.data); } catch (e) { return; }
    d.topic = ev.type;
    d.at = new Date();
    S.feed.unshift(d);
    S.feed.length = Math.min(S.feed.length, 50);
    if (S.page === 'live') renderFeed();
    if (!$('#greeting-view').hidden) showGreeting(d);
  };
  es.addEventListener('visit.new', onVisit);
  es.addEventListener('visit.returning', onVisit);
  es.addEventListener('lead.new', () => { refreshBadges(); });
  es.addEventListener('notify.new', () => { refreshBadges(); });
  es.addEventListener('sync.state', () => { refreshBadges(); });
}

function stopEvents() {
  if (S.events) S.events.close();
  S.events = null;
}

function isUnknown(label) { return !label || /^(visitor|unknown)\b/i.test(label); }

function greetingText(d) {
  const label = d.label || '';
  const first = isUnknown(label) ? '' : label.split(/\s+/)[0];
  const generic = (S.me && S.me.greeting) === 'generic' || !first;
  const count = d.visit_count || 0;
  if (d.topic === 'visit.returning' || d.new === false) {
    return {
      main: generic ? 'Welcome back!' : `Welcome back, ${first}`,
      sub: count > 1 ? `${ordinal(count)} visit` : '',
    };
  }
  return { main: generic ? 'Welcome!' : `Welcome, ${first}`, sub: 'Nice to meet you' };
}

async function refreshBadges() {
  try {
    const [n, st] = await Promise.all([
      api('GET', '/api/v1/notifications?unread=1&limit=1'), api('GET', '/api/v1/status'),
    ]);
    S.unread = n.unread || 0;
    const c = $('#notif-count');
    c.hidden = !S.unread;
    c.textContent = S.unread;
    const b = $('#sync-badge');
    if (!st.sync.enabled) { b.textContent = 'Sync off'; b.className = 'badge'; }
    else if (st.sync.dead > 0) { b.textContent = `Sync: ${st.sync.dead} failed`; b.className = 'badge bad'; }
    else if (st.sync.pending > 0) { b.textContent = `Sync: ${st.sync.pending} queued`; b.className = 'badge warn'; }
    else { b.textContent = 'Synced'; b.className = 'badge'; }
  } catch (e) { /* the badges are decoration */ }
}

/* ---------- router ---------- */

const PAGES = {
  live: renderLive, visitors: renderVisitors, contacts: renderContacts, companies: renderCompanies,
  leads: renderLeads, deals: renderDeals, scan: renderScan, faces: renderFaces, greeting: renderGreeting,
  settings: renderSettings, system: renderSystem, notifications: renderNotifications,
};

function route() {
  if (!S.csrf) return;
  const [, page = 'live', arg] = (location.hash || '#/live').split('/');
  const name = PAGES[page] ? page : 'live';
  S.page = name;
  // Leaving the Live page: end its video stream now, not when the browser gets round to it.
  const live = $('#live-img');
  if (live && name !== 'live') live.removeAttribute('src');
  for (const a of document.querySelectorAll('#nav a')) a.classList.toggle('active', a.dataset.page === name);
  $('#nav').classList.remove('open');
  if (name !== 'greeting') $('#greeting-view').hidden = true;
  const main = $('#main');
  main.replaceChildren();
  Promise.resolve(PAGES[name](main, arg)).catch(fail);
}

function head(title, sub, ...actions) {
  return el('div', { class: 'page-head' },
    el('div', null, el('h1', { text: title }), sub ? el('div', { class: 'muted', text: sub }) : null),
    el('div', { class: 'actions' }, ...actions));
}

/* ---------- Live ---------- */

function renderLive(main) {
  const img = el('img', { id: 'live-img', alt: 'Live camera' });
  const novideo = el('div', { class: 'novideo', hidden: true },
    el('div', { text: 'No camera picture right now.' }), el('div', { class: 'small', text: 'Retrying…' }));
  const box = el('div', { class: 'live-video' }, img, novideo);
  let retry;
  const load = () => {
    img.hidden = false; novideo.hidden = true;
    img.src = '/stream.mjpg?t=' + Date.now();
  };
  img.addEventListener('error', () => {
    img.hidden = true; novideo.hidden = false;
    clearTimeout(retry);
    if (S.page === 'live') retry = setTimeout(load, 3000);
  });
  load();
  main.append(
    head('Live', 'Camera and greetings as they happen',
      el('a', { class: 'button', href: '#/greeting', text: 'Open greeting screen' })),
    el('div', { class: 'grid2' },
      box,
      el('div', { class: 'panel' }, el('h2', { text: 'Greetings' }), el('ul', { id: 'feed', class: 'feed' }))));
  renderFeed();
}

function renderFeed() {
  const ul = $('#feed');
  if (!ul) return;
  if (!S.feed.length) {
    ul.replaceChildren(el('li', { class: 'muted', text: 'Waiting for visitors…' }));
    return;
  }
  ul.replaceChildren(...S.feed.map((d) => {
    const g = greetingText(d);
    const ret = d.topic === 'visit.returning';
    return el('li', { class: 'greet-item' },
      el('div', { class: 'who' }, g.main + (g.sub ? ' — ' + g.sub : '')),
      el('div', { class: 'when' }, el('span', { class: 'tag ' + (ret ? 'ret' : 'new'), text: ret ? 'returning' : 'new' }),
        ' ', d.label || '', ' · ', d.at.toLocaleTimeString()));
  }));
}

/* ---------- Visitors ---------- */

async function renderVisitors(main) {
  const day = new Date().toISOString().slice(0, 10);
  const dayInput = el('input', { type: 'date', value: day, 'aria-label': 'Day' });
  const statsBox = el('div', { class: 'stats' });
  const tableBox = el('div');
  main.append(head('Visitors', 'Who came to the desk', dayInput), statsBox, tableBox);
  const load = async () => {
    const d = dayInput.value;
    const r = await api('GET', '/api/v1/visits?limit=100' + (d ? '&day=' + encodeURIComponent(d) : ''));
    const s = r.stats || {};
    statsBox.replaceChildren(
      stat(s.total ?? 0, 'visits'), stat(s.new ?? 0, 'new'), stat(s.returning ?? 0, 'returning'),
      stat(s.people ?? 0, 'people'));
    tableBox.replaceChildren(table(['Time', 'Visitor', 'Contact', 'Visit', ''], r.items.map((v) => [
      when(v.started_at), v.label || 'Visitor', v.contact_name || '',
      v.visit_count ? ordinal(v.visit_count) : '',
      el('span', { class: 'tag ' + (v.is_new ? 'new' : 'ret'), text: v.is_new ? 'new' : 'returning' }),
    ]), 'No visits on this day.'));
  };
  dayInput.addEventListener('change', () => load().catch(fail));
  await load();
}

function stat(n, l) { return el('div', { class: 'stat' }, el('div', { class: 'n', text: n }), el('div', { class: 'l', text: l })); }

function table(headers, rows, empty, onRow) {
  if (!rows.length) return el('div', { class: 'panel empty', text: empty || 'Nothing here yet.' });
  return el('div', { class: 'table-wrap' }, el('table', null,
    el('thead', null, el('tr', null, ...headers.map((h, i) => el('th', { class: i > 2 ? 'opt' : null, text: h })))),
    el('tbody', null, ...rows.map((r, idx) => el('tr', {
      class: onRow ? 'clickable' : null, onclick: onRow ? () => onRow(idx) : null,
    }, ...r.map((c, i) => el('td', { class: i > 2 ? 'opt' : null }, c)))))));
}

/* ---------- Contacts ---------- */

async function renderContacts(main, arg) {
  const q = el('input', { id: 'contact-search', type: 'search', placeholder: 'Search names, e-mails, phones, companies' });
  const box = el('div');
  const pager = el('div', { class: 'pager' });
  let offset = 0;
  const limit = 25;
  main.append(
    head('Contacts', 'People you met',
      el('a', { class: 'button', href: '/api/v1/contacts/export?format=vcard', download: 'contacts.vcf', text: 'Export vCard' }),
      el('a', { class: 'button', href: '/api/v1/contacts/export?format=csv', download: 'contacts.csv', text: 'Export CSV' }),
      el('button', { onclick: () => importContacts(load), text: 'Import' }),
      el('button', { class: 'primary', onclick: () => editContact(null, load), text: 'New contact' })),
    el('div', { class: 'search' }, q), box, pager);
  async function load() {
    const r = await api('GET', `/api/v1/contacts?limit=${limit}&offset=${offset}&q=${encodeURIComponent(q.value)}`);
    box.replaceChildren(table(['Name', 'Company', 'E-mail', 'Phone', 'Updated'], r.items.map((c) => [
      el('strong', { text: fullName(c) }), c.company || '', (c.emails || [])[0] || '', phonesText(c).split(',')[0],
      when(c.updated_at),
    ]), q.value ? 'No contact matches.' : 'No contacts yet. Scan a card to add one.', (i) => showContact(r.items[i].id, load)));
    pager.replaceChildren(
      el('span', { class: 'muted', text: r.total ? `${offset + 1}–${offset + r.items.length} of ${r.total}` : '' }),
      el('button', { disabled: offset === 0, onclick: () => { offset = Math.max(0, offset - limit); load().catch(fail); }, text: '‹ Previous' }),
      el('button', { disabled: offset + limit >= r.total, onclick: () => { offset += limit; load().catch(fail); }, text: 'Next ›' }));
  }
  q.addEventListener('input', debounce(() => { offset = 0; load().catch(fail); }, 250));
  await load();
  if (arg) showContact(Number(arg), load);
}

function contactForm(c) {
  c = c || {};
  return el('div', { class: 'grid-form' },
    field('Given name', 'given_name', c.given_name),
    field('Family name', 'family_name', c.family_name),
    field('Job title', 'title', c.title),
    field('Company', 'company', c.company),
    field('E-mails (comma separated)', 'emails', (c.emails || []).join(', '), { full: true }),
    field('Phones (comma separated)', 'phones', phonesText(c), { full: true }),
    field('Websites', 'websites', (c.websites || []).join(', '), { full: true }),
    field('Address', 'address', c.address, { full: true, textarea: true }),
    field('Note', 'note', c.note, { full: true, textarea: true }),
    el('label', { class: 'check full' }, el('input', { type: 'checkbox', name: 'consent_face', checked: !!c.consent_face }),
      'Consent to face recognition'),
    el('label', { class: 'check full' }, el('input', { type: 'checkbox', name: 'consent_mail', checked: !!c.consent_mail }),
      'Consent to e-mail'));
}

function readContactForm(root, old) {
  const v = (n) => root.querySelector(`[name="${n}"]`);
  return {
    given_name: v('given_name').value.trim(), family_name: v('family_name').value.trim(),
    title: v('title').value.trim(), company: v('company').value.trim(),
    emails: list(v('emails').value), phones: phonesFrom(v('phones').value, old && old.phones),
    websites: list(v('websites').value), address: v('address').value.trim(), note: v('note').value.trim(),
    consent_face: v('consent_face').checked, consent_mail: v('consent_mail').checked,
  };
}

function editContact(c, after) {
  const form = contactForm(c);
  editDialog(c ? 'Edit contact' : 'New contact', form, async () => {
    const body = readContactForm(form, c);
    const r = c ? await api('PATCH', `/api/v1/contacts/${c.id}`, body) : await api('POST', '/api/v1/contacts', body);
    toast(c ? 'Contact saved' : 'Contact created');
    if (r.duplicates && r.duplicates.length) toast(`Possible duplicate: ${r.duplicates.map((d) => d.name).join(', ')}`);
    if (after) after().catch(fail);
  });
}

async function showContact(id, after) {
  const c = await api('GET', `/api/v1/contacts/${id}`);
  const dups = await api('GET', `/api/v1/contacts/${id}/duplicates`).catch(() => ({ items: [] }));
  const body = el('div', null,
    el('dl', { class: 'kv' },
      el('dt', { text: 'Company' }), el('dd', { text: c.company || '—' }),
      el('dt', { text: 'Title' }), el('dd', { text: c.title || '—' }),
      el('dt', { text: 'E-mail' }), el('dd', { text: (c.emails || []).join(', ') || '—' }),
      el('dt', { text: 'Phone' }), el('dd', { text: phonesText(c) || '—' }),
      el('dt', { text: 'Web' }), el('dd', { text: (c.websites || []).join(', ') || '—' }),
      el('dt', { text: 'Address' }), el('dd', { text: c.address || '—' }),
      el('dt', { text: 'Face' }), el('dd', { text: (c.person_ids || []).length ? 'linked' : (c.consent_face ? 'consent given, no face yet' : 'no consent') })),
    dups.items.length ? el('div', { class: 'notice warn' }, 'Possible duplicates: ',
      ...dups.items.map((d) => el('button', {
        class: 'ghost', onclick: async () => {
          if (!confirm(`Merge "${d.name}" into "${fullName(c)}"? Every phone, e-mail and the history is kept.`)) return;
          try {
            await api('POST', `/api/v1/contacts/${c.id}/merge`, { other_id: d.id });
            toast('Merged'); $('#dialog').close(); if (after) after().catch(fail);
          } catch (e) { fail(e); }
        },
      }, `Merge ${d.name} (${(d.match || []).join(', ')})`))) : null,
    el('div', { class: 'row', style: null },
      el('button', { onclick: () => { $('#dialog').close(); editContact(c, after); }, text: 'Edit' }),
      el('a', { class: 'button', href: `/api/v1/contacts/${c.id}/vcard`, download: `contact-${c.id}.vcf`, text: 'vCard' }),
      el('button', {
        class: 'danger', onclick: async () => {
          if (!confirm(`Forget ${fullName(c)}? The contact, card images, face templates and snapshots are erased.`)) return;
          try { await api('POST', `/api/v1/contacts/${c.id}/forget`, {}); toast('Forgotten'); $('#dialog').close(); if (after) after().catch(fail); } catch (e) { fail(e); }
        }, text: 'Forget this person',
      })));
  dialog(fullName(c), body, null);
}

function importContacts(after) {
  const input = el('input', { type: 'file', accept: '.vcf,.csv,text/vcard,text/csv' });
  editDialog('Import contacts', el('div', null, el('p', { class: 'muted', text: 'A vCard (.vcf) or CSV file. Matching contacts are merged.' }), input), async () => {
    const f = input.files[0];
    if (!f) throw new Error('Choose a file first.');
    const r = await api('POST', '/api/v1/contacts/import', f, { type: 'text/plain' });
    toast(`Imported: ${r.created} new, ${r.merged} merged, ${r.failed} skipped`);
    if (after) after().catch(fail);
  }, 'Import');
}

/* ---------- Companies ---------- */

async function renderCompanies(main) {
  const q = el('input', { type: 'search', placeholder: 'Search companies' });
  const box = el('div');
  main.append(head('Companies', 'Organisations your contacts work for',
    el('button', { class: 'primary', onclick: () => editCompany(null), text: 'New company' })), el('div', { class: 'search' }, q), box);
  async function load() {
    const r = await api('GET', `/api/v1/companies?limit=100&q=${encodeURIComponent(q.value)}`);
    box.replaceChildren(table(['Company', 'Website', 'Contacts', 'Address'], r.items.map((c) => [
      el('strong', { text: c.title }), c.website || '', String(c.contact_count ?? ''), c.address || '',
    ]), 'No companies yet.', (i) => editCompany(r.items[i])));
  }
  function editCompany(c) {
    const form = el('div', { class: 'grid-form' }, field('Name', 'title', c && c.title, { full: true, required: true }),
      field('Website', 'website', c && c.website), field('Address', 'address', c && c.address));
    editDialog(c ? 'Edit company' : 'New company', form, async () => {
      const body = { title: form.querySelector('[name=title]').value.trim(), website: form.querySelector('[name=website]').value.trim(), address: form.querySelector('[name=address]').value.trim() };
      if (c) await api('PATCH', `/api/v1/companies/${c.id}`, body); else await api('POST', '/api/v1/companies', body);
      toast('Company saved');
      load().catch(fail);
    });
  }
  q.addEventListener('input', debounce(() => load().catch(fail), 250));
  await load();
}

/* ---------- Leads ---------- */

const LEAD_STATUSES = [['NEW', 'New'], ['IN_PROCESS', 'In process'], ['CONVERTED', 'Converted'], ['JUNK', 'Junk']];
const SOURCES = { face_visit: 'Face visit', card_scan: 'Card scan', manual: 'Manual' };

async function renderLeads(main) {
  const board = el('div', { class: 'board', id: 'lead-board' });
  main.append(head('Leads', 'Requests from the desk, by status',
    el('button', { class: 'primary', onclick: newLead, text: 'New lead' })), board);
  async function load() {
    const cols = await Promise.all(LEAD_STATUSES.map(([s]) => api('GET', `/api/v1/leads?status=${s}&limit=100`)));
    board.replaceChildren(...LEAD_STATUSES.map(([s, label], i) => el('div', { class: 'column', dataset: { status: s } },
      el('h3', null, el('span', { text: label }), el('span', { text: cols[i].total })),
      ...cols[i].items.map((l) => leadCard(l)))));
  }
  function leadCard(l) {
    const name = l.contact_name || fullName(l.data || {}) || '';
    const actions = [];
    if (l.status === 'NEW') actions.push(el('button', { onclick: () => setStatus(l, 'IN_PROCESS'), text: 'Start' }));
    if (l.status === 'NEW' || l.status === 'IN_PROCESS') {
      actions.push(el('button', {
        class: 'primary convert', onclick: async () => {
          try {
            const r = await api('POST', `/api/v1/leads/${l.id}/convert`);
            toast(`Converted: contact ${fullName(r.contact)}${r.company ? ', ' + r.company.title : ''}, deal #${r.deal.id}`);
            load().catch(fail);
          } catch (e) { fail(e); }
        }, text: 'Convert',
      }));
      actions.push(el('button', { class: 'ghost', onclick: () => setStatus(l, 'JUNK'), text: 'Junk' }));
    }
    return el('div', { class: 'card lead-card', dataset: { id: l.id } },
      el('div', { class: 't', text: l.title }),
      el('div', { class: 's', text: [name, SOURCES[l.source] || l.source, when(l.created_at)].filter(Boolean).join(' · ') }),
      el('div', { class: 'row' }, ...actions));
  }
  async function setStatus(l, status) {
    try { await api('PATCH', `/api/v1/leads/${l.id}`, { status }); load().catch(fail); } catch (e) { fail(e); }
  }
  function newLead() {
    const form = el('div', { class: 'grid-form' }, field('Title', 'title', '', { full: true, required: true }),
      field('Given name', 'given_name', ''), field('Family name', 'family_name', ''), field('Company', 'company', ''),
      field('E-mail', 'email', ''), field('Phone', 'phone', ''));
    editDialog('New lead', form, async () => {
      const v = (n) => form.querySelector(`[name=${n}]`).value.trim();
      const data = { given_name: v('given_name'), family_name: v('family_name'), company: v('company'),
        emails: list(v('email')), phones: list(v('phone')).map((n) => ({ number: n, type: 'work' })) };
      await api('POST', '/api/v1/leads', { title: v('title') || 'Lead', source: 'manual', data });
      toast('Lead created');
      load().catch(fail);
    });
  }
  await load();
}

/* ---------- Deals ---------- */

const STAGES = [['NEW', 'New'], ['PREPARATION', 'Preparation'], ['PREPAYMENT_INVOICE', 'Prepayment'],
  ['EXECUTING', 'Executing'], ['FINAL_INVOICE', 'Final invoice'], ['WON', 'Won'], ['LOSE', 'Lost']];

async function renderDeals(main) {
  const board = el('div', { class: 'board', id: 'deal-board' });
  main.append(head('Deals', 'Opportunities by stage'), board);
  async function load() {
    const cols = await Promise.all(STAGES.map(([s]) => api('GET', `/api/v1/deals?stage=${s}&limit=100`)));
    board.replaceChildren(...STAGES.map(([s, label], i) => {
      const sum = cols[i].items.reduce((a, d) => a + (d.amount || 0), 0);
      return el('div', { class: 'column', dataset: { stage: s } },
        el('h3', null, el('span', { text: label }), el('span', { text: cols[i].total + (sum ? ` · ${sum.toLocaleString()}` : '') })),
        ...cols[i].items.map((d) => dealCard(d)));
    }));
  }
  function dealCard(d) {
    const open = d.stage !== 'WON' && d.stage !== 'LOSE';
    const sel = el('select', { 'aria-label': 'Stage', disabled: !open },
      ...STAGES.map(([s, l]) => el('option', { value: s, selected: s === d.stage, text: l })));
    sel.addEventListener('change', async () => {
      try { await api('PATCH', `/api/v1/deals/${d.id}`, { stage: sel.value }); load().catch(fail); } catch (e) { fail(e); load().catch(fail); }
    });
    return el('div', { class: 'card deal-card', dataset: { id: d.id } },
      el('div', { class: 't', text: d.title }),
      el('div', { class: 's', text: [d.contact_name, d.company_title, d.amount ? `${d.amount} ${d.currency}` : ''].filter(Boolean).join(' · ') }),
      sel);
  }
  await load();
}

/* ---------- Scan card ---------- */

const CARD_FIELDS = [['given_name', 'Given name'], ['family_name', 'Family name'], ['title', 'Job title'],
  ['company', 'Company'], ['emails', 'E-mails'], ['phones', 'Phones'], ['websites', 'Websites'], ['address', 'Address']];

/* The card reader gives a confidence 0..1 per field ("name" covers the given
 * and family name); a filled-in field below 0.8 is worth a second look. */
function lowConfidence(card, name, value) {
  if (!value) return false;
  const c = card.confidence || {};
  const key = (name === 'given_name' || name === 'family_name') && !(name in c) ? 'name' : name;
  if (typeof c[key] === 'number') return c[key] < 0.8;
  if (Array.isArray(card.low_confidence)) return card.low_confidence.includes(name);
  return false;
}

function renderScan(main) {
  const file = el('input', { id: 'scan-file', type: 'file', accept: 'image/*', capture: 'environment' });
  const status = el('div', { class: 'muted', id: 'scan-status' });
  const preview = el('img', { class: 'scan-preview', alt: 'Card photo', hidden: true });
  const review = el('div', { id: 'scan-review' });
  const drop = el('div', { class: 'scan-drop' },
    el('h2', { text: 'Photograph or upload a business card' }),
    el('p', { class: 'muted', text: 'On a phone this opens the camera. Several cards in one photo are fine.' }),
    file, status, preview);
  main.append(head('Scan card', 'Card → contact and lead in one step'), el('div', { class: 'grid2' }, drop, review));
  file.addEventListener('change', async () => {
    const f = file.files[0];
    if (!f) return;
    preview.src = URL.createObjectURL(f);
    preview.hidden = false;
    drop.classList.add('busy');
    status.textContent = 'Reading the card…';
    review.replaceChildren();
    try {
      const type = /png$/i.test(f.type) ? 'image/png' : 'image/jpeg';
      const r = await api('POST', '/api/v1/scans', f, { type });
      status.textContent = `${r.cards.length} card(s) found.`;
      S.lastScan = r;
      r.cards.forEach((card, i) => review.append(reviewCard(card, r.image_token, i, r.cards.length)));
    } catch (e) {
      status.textContent = e.code === 'no_card' ? 'No card found in this photo. Try again closer, with even light.' : e.message;
      review.append(reviewCard({}, null, 0, 1, true));
    } finally {
      drop.classList.remove('busy');
    }
  });
}

function reviewCard(card, token, i, n, manual) {
  const form = el('div', { class: 'grid-form' });
  for (const [name, label] of CARD_FIELDS) {
    let v = card[name];
    if (name === 'phones') v = phonesText(card);
    else if (Array.isArray(v)) v = v.join(', ');
    if ((name === 'given_name' || name === 'family_name') && !card.given_name && !card.family_name && card.name) {
      const parts = card.name.split(/\s+/);
      v = name === 'given_name' ? parts.slice(0, -1).join(' ') || parts[0] : (parts.length > 1 ? parts[parts.length - 1] : '');
    }
    const low = lowConfidence(card, name, v);
    const full = ['emails', 'phones', 'websites', 'address'].includes(name);
    const input = name === 'address' ? el('textarea', { name }, v || '') : el('input', { name, value: v || '' });
    form.append(el('label', { class: (full ? 'full ' : '') + (low ? 'low' : ''), dataset: { field: name } }, label,
      low ? el('span', { class: 'hint', text: ' — please check' }) : null, input));
  }
  const consent = el('input', { type: 'checkbox', name: 'consent_face', id: `scan-consent-${i}` });
  const lead = el('input', { type: 'checkbox', name: 'lead', checked: true });
  const dups = card.duplicates || [];
  const result = el('div');
  const save = el('button', { class: 'primary', id: `scan-save-${i}`, text: 'Save contact' });
  const box = el('div', { class: 'panel scan-card' },
    el('h2', { text: manual ? 'Type the card in' : (n > 1 ? `Card ${i + 1} of ${n}` : 'Check the fields') }),
    dups.length ? el('div', { class: 'notice warn dup-warning' },
      'Already known? ', dups.map((d) => `${d.name} (${(d.match || []).join(', ')})`).join('; '),
      '. Saving creates a new contact you can merge from the Contacts page.') : null,
    form,
    el('label', { class: 'check' }, lead, 'Create a lead for the manager'),
    el('label', { class: 'check' }, consent, 'The visitor agrees that the camera recognises them next time'),
    el('div', { class: 'dialog-actions' }, save), result);
  save.addEventListener('click', async () => {
    save.disabled = true;
    try {
      const fields = readCardForm(form, card);
      fields.consent_face = consent.checked;
      const r = await api('POST', '/api/v1/scans/save', {
        fields, result: manual ? null : stripCard(card), lead: lead.checked, image_token: i === 0 ? token : null,
      });
      const c = r.contact;
      result.replaceChildren(el('div', { class: 'notice ok' }, `Saved ${fullName(c)}`, r.lead ? ' and a lead.' : '.',
        ' ', el('a', { href: `#/contacts/${c.id}`, text: 'Open contact' })));
      if (consent.checked) {
        result.append(el('button', {
          id: `scan-face-${i}`, onclick: async (ev) => {
            ev.target.disabled = true;
            try {
              await api('POST', '/api/v1/people', { contact_id: c.id, consent: true, from_camera: true, label: fullName(c) });
              toast(`Face linked: ${fullName(c)} will be greeted by name.`);
            } catch (e) { fail(e); ev.target.disabled = false; }
          }, text: 'Take the face from the live camera',
        }));
      }
      toast('Contact saved');
    } catch (e) {
      fail(e);
      save.disabled = false;
    }
  });
  return box;
}

function stripCard(card) {
  const c = { ...card };
  delete c.duplicates;
  return c;
}

function readCardForm(form, card) {
  const v = (n) => form.querySelector(`[name="${n}"]`).value.trim();
  return {
    given_name: v('given_name'), family_name: v('family_name'), title: v('title'), company: v('company'),
    emails: list(v('emails')), phones: phonesFrom(v('phones'), card.phones), websites: list(v('websites')),
    address: v('address'),
  };
}

/* ---------- Faces ---------- */

function initials(name) {
  const parts = String(name || '?').split(/\s+/).filter(Boolean);
  return ((parts[0] || '?')[0] + (parts.length > 1 ? parts[parts.length - 1][0] : '')).toUpperCase();
}

/* A contact picker: a search box and the matching contacts in a list. */
function contactPicker() {
  const q = el('input', { type: 'search', placeholder: 'Search a contact (optional)', 'aria-label': 'Contact' });
  const pick = el('select', { 'aria-label': 'Matching contacts' }, el('option', { value: '', text: '— no contact —' }));
  const search = debounce(async () => {
    const text = q.value.trim();
    if (!text) { pick.replaceChildren(el('option', { value: '', text: '— no contact —' })); return; }
    try {
      const r = await api('GET', `/api/v1/contacts?limit=8&q=${encodeURIComponent(text)}`);
      pick.replaceChildren(el('option', { value: '', text: r.items.length ? '— choose —' : 'no contact matches' }),
        ...r.items.map((c) => el('option', { value: c.id, text: `${fullName(c)}${c.company ? ' · ' + c.company : ''}` })));
      if (r.items.length === 1) pick.value = String(r.items[0].id);
    } catch (e) { fail(e); }
  }, 250);
  q.addEventListener('input', search);
  return { box: el('div', { class: 'picker' }, q, pick), value: () => Number(pick.value) || null, pick };
}

async function renderFaces(main) {
  const file = el('input', { type: 'file', accept: 'image/*', capture: 'user', id: 'face-file' });
  const label = el('input', { id: 'face-label', placeholder: 'Name, e.g. Anna Schmidt' });
  const contact = contactPicker();
  const consent = el('input', { type: 'checkbox', id: 'face-consent' });
  const out = el('div');
  const enrol = async (fromCamera) => {
    if (!consent.checked) { toast('Record the person\'s consent first.', true); return; }
    const cid = contact.value();
    if (!label.value.trim() && !cid) { toast('Give a name or choose a contact.', true); return; }
    try {
      let r;
      if (fromCamera) {
        r = await api('POST', '/api/v1/faces', { label: label.value.trim(), consent: true, contact_id: cid, from_camera: true });
      } else {
        const f = file.files[0];
        if (!f) { toast('Choose a photo first.', true); return; }
        const qs = `?consent=true&label=${encodeURIComponent(label.value.trim())}${cid ? '&contact_id=' + cid : ''}`;
        r = await api('POST', '/api/v1/faces' + qs, f, { type: /png$/i.test(f.type) ? 'image/png' : 'image/jpeg' });
      }
      out.replaceChildren(el('div', { class: 'notice ok', text: `Enrolled ${r.label} (face #${r.person_id}).` }));
      consent.checked = false;
      load().catch(fail);
    } catch (e) {
      out.replaceChildren(el('div', { class: 'notice warn', text: e.code === 'no_face' ? 'No usable face in that picture. Try a sharper, frontal one.' : e.message }));
    }
  };

  let kind = 'enrolled', offset = 0;
  const limit = 24;
  const q = el('input', { type: 'search', placeholder: 'Search names', 'aria-label': 'Search faces' });
  const tabs = el('div', { class: 'seg', role: 'tablist' });
  const KINDS = [['enrolled', 'Enrolled'], ['visitors', 'Unknown visitors'], ['all', 'All']];
  const drawTabs = () => tabs.replaceChildren(...KINDS.map(([k, t]) => el('button', {
    class: k === kind ? 'on' : null, role: 'tab', 'aria-selected': k === kind ? 'true' : 'false',
    onclick: () => { kind = k; offset = 0; drawTabs(); load().catch(fail); }, text: t,
  })));
  drawTabs();
  const grid = el('div', { class: 'face-grid', id: 'face-grid' });
  const pager = el('div', { class: 'pager' });

  main.append(head('Faces', 'Everyone the camera can recognise — enrol with consent, erase on request'),
    el('div', { class: 'faces-layout' },
      el('div', { class: 'panel' }, el('h2', { text: 'Enrol a face' }),
        el('label', null, 'Name', label), el('label', null, 'Link to contact', contact.box),
        el('label', null, 'Photo', file),
        el('label', { class: 'check' }, consent, 'The person agreed to face recognition'),
        el('p', { class: 'muted small', text: 'Without consent nothing is stored. The live camera takes the newest frame: ask the person to look at it.' }),
        el('div', { class: 'dialog-actions' },
          el('button', { onclick: () => enrol(true), text: 'Use the live camera' }),
          el('button', { class: 'primary', onclick: () => enrol(false), text: 'Enrol from photo' })), out),
      el('div', null,
        el('div', { class: 'face-tools' }, tabs, q),
        grid, pager)));

  function faceCard(f) {
    const name = f.contact_name || f.label || `Face #${f.id}`;
    const thumb = f.snapshot
      ? el('img', { class: 'face-thumb', alt: '', loading: 'lazy', src: `/api/v1/faces/${f.id}/snapshot` })
      : el('div', { class: 'face-thumb none', 'aria-hidden': 'true', text: initials(name) });
    const facts = [`${f.templates} template${f.templates === 1 ? '' : 's'}`];
    if (f.visit_count) facts.push(`${f.visit_count} visit${f.visit_count === 1 ? '' : 's'}`);
    return el('div', { class: 'card face-card', dataset: { id: f.id } },
      el('div', { class: 'face-top' }, thumb,
        el('div', { class: 'face-id' },
          el('div', { class: 't', text: name }),
          f.contact_id ? el('a', { class: 'small', href: `#/contacts/${f.contact_id}`, text: 'Open contact' })
            : el('div', { class: 'small muted', text: f.known ? 'no contact linked' : 'unknown visitor' }))),
      el('div', { class: 'face-tags' },
        el('span', { class: 'tag ' + (f.consent ? 'new' : 'warn'), text: f.consent ? 'consent' : 'no consent' }),
        f.known || f.contact_id ? el('span', { class: 'tag ret', text: 'enrolled' }) : el('span', { class: 'tag', text: 'visitor' })),
      el('div', { class: 's', text: facts.join(' · ') }),
      el('div', { class: 's', text: `${f.known || f.contact_id ? 'Enrolled' : 'First seen'} ${when(f.created_at)}${f.last_seen ? ' · last seen ' + when(f.last_seen) : ''}` }),
      el('div', { class: 'row' }, el('button', {
        class: 'danger', onclick: async () => {
          const keep = f.contact_id ? ` The contact ${f.contact_name || ''} is kept.` : '';
          if (!confirm(`Erase the face of ${name}? Its ${f.templates} template(s) and snapshots are deleted and it is no longer recognised.${keep}`)) return;
          try {
            const r = await api('DELETE', `/api/v1/faces/${f.id}`);
            toast(`Face erased: ${r.templates} template(s), ${r.snapshots} snapshot(s)`);
            load().catch(fail);
          } catch (e) { fail(e); }
        }, text: 'Erase face',
      })));
  }

  async function load() {
    const r = await api('GET', `/api/v1/faces?kind=${kind}&limit=${limit}&offset=${offset}&q=${encodeURIComponent(q.value.trim())}`);
    const empty = q.value.trim() ? 'Nobody matches.' : kind === 'visitors' ? 'No unknown visitors remembered.' : 'No faces enrolled yet.';
    grid.replaceChildren(...(r.items.length ? r.items.map(faceCard) : [el('div', { class: 'panel empty', text: empty })]));
    pager.replaceChildren(
      el('span', { class: 'muted', text: r.total ? `${offset + 1}–${offset + r.items.length} of ${r.total}` : '' }),
      el('button', { disabled: offset === 0, onclick: () => { offset = Math.max(0, offset - limit); load().catch(fail); }, text: '‹ Previous' }),
      el('button', { disabled: offset + limit >= r.total, onclick: () => { offset += limit; load().catch(fail); }, text: 'Next ›' }));
  }
  q.addEventListener('input', debounce(() => { offset = 0; load().catch(fail); }, 250));
  await load();
}

/* ---------- Greeting screen ---------- */

function renderGreeting(main) {
  main.append(head('Greeting screen', 'Opens full screen'));
  const v = $('#greeting-view');
  v.hidden = false;
  $('#greeting-text').textContent = 'Welcome';
  $('#greeting-sub').textContent = S.me && S.me.device ? '' : '';
  if (document.documentElement.requestFullscreen) document.documentElement.requestFullscreen().catch(() => {});
}

function showGreeting(d) {
  const g = greetingText(d);
  const t = $('#greeting-text');
  t.textContent = g.main;
  $('#greeting-sub').textContent = g.sub;
  t.classList.remove('fresh');
  void t.offsetWidth;
  t.classList.add('fresh');
  clearTimeout(S.greetTimer);
  S.greetTimer = setTimeout(() => {
    $('#greeting-text').textContent = 'Welcome';
    $('#greeting-sub').textContent = '';
  }, 12000);
}

/* ---------- Settings ---------- */

function restartNotice(keys) {
  if (!keys || !keys.length) return null;
  return el('div', { class: 'notice warn', id: 'restart-notice' },
    el('strong', { text: 'Restart greeterd to apply: ' }), keys.join(', '),
    el('div', { class: 'small', text: 'They are saved; the running board still uses the old values (sudo systemctl restart greeterd).' }));
}

async function renderSettings(main) {
  const r = await api('GET', '/api/v1/settings');
  const sections = {};
  for (const s of r.items) (sections[s.section] = sections[s.section] || []).push(s);
  const form = el('div');
  const inputs = {};
  for (const [sec, items] of Object.entries(sections)) {
    const grid = el('div', { class: 'grid-form' });
    for (const s of items) {
      let input;
      if (s.type === 'bool') {
        input = el('select', { name: s.name }, el('option', { value: 'true', selected: s.value === 'true', text: 'on' }),
          el('option', { value: 'false', selected: s.value !== 'true', text: 'off' }));
      } else if (s.type === 'enum') {
        input = el('select', { name: s.name }, ...s.choices.split('|').map((c) => el('option', { value: c, selected: c === s.value, text: c })));
      } else {
        input = el('input', {
          name: s.name, value: s.type === 'secret' ? '' : s.value,
          type: s.type === 'secret' ? 'password' : (s.type === 'int' || s.type === 'double' ? 'number' : 'text'),
          placeholder: s.type === 'secret' ? (s.value ? '(set — type to replace)' : '(not set)') : '',
          step: s.type === 'double' ? 'any' : null, min: s.type === 'int' || s.type === 'double' ? s.min : null,
          max: s.type === 'int' || s.type === 'double' ? s.max : null,
        });
      }
      inputs[s.name] = { input, s };
      const mark = s.live ? el('span', { class: 'tag new', title: 'Takes effect when saved', text: 'live' })
        : el('span', { class: 'tag', title: 'Takes effect when greeterd restarts', text: 'restart' });
      grid.append(el('label', { title: s.help, dataset: { setting: s.name } },
        el('strong', { text: s.key }), ' ', mark, ' — ', s.help, input));
    }
    form.append(el('div', { class: 'panel settings-section' }, el('h2', { text: sec }), grid));
  }
  const pw = el('div', { class: 'panel' }, el('h2', { text: 'Password' }),
    el('div', { class: 'grid-form' },
      field('Current password', 'old_password', '', { type: 'password', autocomplete: 'current-password' }),
      field('New password (8+ characters)', 'new_password', '', { type: 'password', autocomplete: 'new-password' })),
    el('div', { class: 'dialog-actions' }, el('button', {
      onclick: async () => {
        try {
          await api('POST', '/api/v1/password', {
            old_password: pw.querySelector('[name=old_password]').value, new_password: pw.querySelector('[name=new_password]').value,
          });
          toast('Password changed');
          S.me.must_change = false;
        } catch (e) { fail(e); }
      }, text: 'Change password',
    })));
  const status = el('div', { id: 'settings-status' }, restartNotice(r.restart_pending));
  const saveBtn = el('button', {
    class: 'primary', id: 'settings-save', onclick: async () => {
      const change = {};
      for (const [name, { input, s }] of Object.entries(inputs)) {
        input.closest('label').classList.remove('bad');
        if (s.type === 'secret') { if (input.value) change[name] = input.value; } else if (input.value !== s.value) change[name] = input.value;
      }
      if (!Object.keys(change).length) { toast('Nothing changed'); return; }
      try {
        const res = await api('PATCH', '/api/v1/settings', change);
        for (const it of res.items) {
          const cur = inputs[it.name];
          if (!cur) continue;
          cur.s = it;
          if (it.type === 'secret') { cur.input.value = ''; cur.input.placeholder = it.value ? '(set — type to replace)' : '(not set)'; }
        }
        const parts = [];
        if (res.applied.length) parts.push(el('div', null, el('strong', { text: 'Applied now: ' }), res.applied.join(', ')));
        if (res.restart_required.length) parts.push(el('div', null, el('strong', { text: 'Saved, applied at the next start: ' }), res.restart_required.join(', ')));
        status.replaceChildren(el('div', { class: 'notice ok' }, `Saved to ${res.file}.`, ...parts), restartNotice(res.restart_pending) || '');
        toast(res.restart_required.length ? 'Saved. Some settings apply after a restart.' : 'Saved and applied.');
        S.me = await api('GET', '/api/v1/me');
      } catch (e) {
        // The message names the setting: mark its field.
        const m = /^([a-z_0-9]+\.[a-z_0-9]+)/.exec(e.message || '');
        if (m && inputs[m[1]]) { const l = inputs[m[1]].input.closest('label'); l.classList.add('bad'); l.scrollIntoView({ block: 'center' }); }
        status.replaceChildren(el('div', { class: 'notice warn', id: 'settings-error', text: e.message }), restartNotice(r.restart_pending) || '');
        fail(e);
      }
    }, text: 'Save settings',
  });
  pw.classList.add('settings-section');
  main.append(head('Settings', r.file ? `Checked against each setting's range, saved to ${r.file}` : 'Checked against each setting\'s range', saveBtn),
    status, pw, form);
}

/* ---------- System ---------- */

async function renderSystem(main) {
  const [st, health, metrics] = await Promise.all([
    api('GET', '/api/v1/status'), api('GET', '/healthz'), api('GET', '/metrics', undefined, { raw: true }).then((r) => r.text()),
  ]);
  const mb = (b) => (b / 1048576).toFixed(1) + ' MB';
  const level = el('select', { id: 'log-level', 'aria-label': 'Log level' },
    ...[['debug', 'All levels'], ['info', 'Info and above'], ['warn', 'Warnings and errors'], ['error', 'Errors only']]
      .map(([v, t]) => el('option', { value: v, text: t, selected: v === 'info' })));
  const follow = el('input', { type: 'checkbox', checked: true });
  const logBody = el('tbody');
  const logBox = el('div', { class: 'table-wrap log-table' }, el('table', null,
    el('thead', null, el('tr', null, el('th', { text: 'Time' }), el('th', { text: 'Level' }), el('th', { text: 'Part' }), el('th', { text: 'Message' }))),
    logBody));
  main.append(head('System', `Greeter ${st.version}`),
    el('div', { class: 'stats' }, stat(health.ok ? 'OK' : 'DOWN', 'health'), stat(Math.round(st.uptime_s / 60) + ' min', 'uptime'),
      stat(st.sync.pending, 'sync queued'), stat(st.sync.dead, 'sync failed'), stat((st.storage.free_mb / 1024).toFixed(1) + ' GB', 'free disk')),
    el('div', { class: 'panel logs-panel' },
      el('div', { class: 'page-head' }, el('h2', { text: 'Recent log lines' }),
        el('div', { class: 'actions' }, level, el('label', { class: 'check' }, follow, 'Follow'))),
      logBox,
      el('p', { class: 'muted small', text: 'The last 500 lines greeterd wrote since it started (log.level decides what is written). The full log: journalctl -u greeterd' })),
    el('div', { class: 'grid2' },
      el('div', { class: 'panel' }, el('h2', { text: 'Metrics' }), el('pre', { class: 'log', text: metrics })),
      el('div', { class: 'panel' }, el('h2', { text: 'Storage' }), el('dl', { class: 'kv' },
        el('dt', { text: 'Folder' }), el('dd', { text: st.storage.dir }),
        el('dt', { text: 'Database' }), el('dd', { text: mb(st.storage.db_bytes) + ' (+ ' + mb(st.storage.wal_bytes) + ' log)' }),
        el('dt', { text: 'Disk' }), el('dd', { text: `${st.storage.free_mb} of ${st.storage.total_mb} MB free` }),
        el('dt', { text: 'Schema' }), el('dd', { text: st.schema_version }),
        el('dt', { text: 'Camera' }), el('dd', { text: st.camera }),
        el('dt', { text: 'HTTPS' }), el('dd', { text: st.tls ? 'on' : 'off' }),
        el('dt', { text: 'Live clients' }), el('dd', { text: `${st.clients.events} event, ${st.clients.streams} video` })))));

  let last = 0;
  const row = (l) => el('tr', { class: 'lv-' + l.level, dataset: { id: l.id } },
    el('td', { class: 'nowrap', text: new Date(l.time).toLocaleTimeString() }),
    el('td', null, el('span', { class: 'tag lv ' + l.level, text: l.level })),
    el('td', { text: l.module }),
    el('td', { class: 'msg', text: l.message + (l.truncated ? ' …' : '') }));
  const loadLogs = async (fresh) => {
    if (fresh) { last = 0; logBody.replaceChildren(); }
    const r = await api('GET', `/api/v1/logs?level=${level.value}&limit=500${last ? '&since=' + last : ''}`);
    last = r.last_id;
    if (!r.items.length && !logBody.children.length) {
      logBody.replaceChildren(el('tr', { class: 'none' }, el('td', { colspan: 4, class: 'muted', text: 'No lines at this level.' })));
      return;
    }
    if (r.items.length) {
      const none = logBody.querySelector('tr.none');
      if (none) none.remove();
      // Newest on top; keep at most 500 rows.
      logBody.prepend(...r.items.slice().reverse().map(row));
      while (logBody.children.length > 500) logBody.lastChild.remove();
    }
  };
  level.addEventListener('change', () => loadLogs(true).catch(fail));
  await loadLogs(true);
  clearInterval(S.logTimer);
  S.logTimer = setInterval(() => {
    if (S.page !== 'system' || !document.body.contains(logBody)) { clearInterval(S.logTimer); return; }
    if (follow.checked && !document.hidden) loadLogs(false).catch(() => {});
  }, 3000);
}

/* ---------- Notifications ---------- */

async function renderNotifications(main) {
  const r = await api('GET', '/api/v1/notifications?limit=100');
  main.append(head('Notifications', `${r.unread} unread`, el('button', {
    onclick: async () => { await api('POST', '/api/v1/notifications/read'); refreshBadges(); route(); }, text: 'Mark all read',
  })), table(['When', 'Subject', 'Message', 'E-mail'], r.items.map((n) => [
    when(n.at), el(n.read ? 'span' : 'strong', { text: n.subject }), n.body, n.mail_state,
  ]), 'No notifications.'));
}

/* ---------- boot ---------- */

document.addEventListener('DOMContentLoaded', () => {
  $('#login-form').addEventListener('submit', doLogin);
  $('#logout').addEventListener('click', async () => {
    try { await api('POST', '/api/v1/logout'); } catch (e) { /* signed out anyway */ }
    showLogin();
  });
  $('#menu-toggle').addEventListener('click', () => $('#nav').classList.toggle('open'));
  $('#greeting-exit').addEventListener('click', () => {
    if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
    location.hash = '#/live';
  });
  window.addEventListener('hashchange', route);
  fetch('/api/v1/me', { credentials: 'same-origin' }).then((r) => (r.ok ? start() : showLogin())).catch(showLogin);
});
