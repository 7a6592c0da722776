/* Visitors: the desk's visit log (snapshot, name and contact, the visit's
 * own number, time to the second; search, live updates, CSV export) and
 * the people expected today with whom they visit. */
import { S } from '../state.js';
import { $, debounce, dialog, editDialog, el, fail, field, head, stat, toast } from '../ui.js';
import { fullName, ordinal } from '../format.js';
import { api } from '../api.js';
import { userField } from '../users.js';

const localDay = (d = new Date()) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
const timeOf = (iso) => { const d = new Date(iso); return isNaN(d) ? '' : d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' }); };
const who = (v) => v.contact_name || v.label || `Visitor #${v.person_id}`;

function thumb(v, cls = 'visit-thumb') {
  const initials = who(v).split(/\s+/).map((w) => w[0] || '').join('').slice(0, 2).toUpperCase();
  if (!v.snapshot) return el('span', { class: cls + ' none', text: initials || '?' });
  const img = el('img', { class: cls, alt: '', loading: 'lazy', src: `/api/v1/visits/${v.id}/snapshot` });
  img.addEventListener('error', () => img.replaceWith(el('span', { class: cls + ' none', text: initials || '?' })));
  return img;
}

function csv(rows) {
  const q = (s) => { s = String(s ?? ''); return /[",\n;]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s; };
  return rows.map((r) => r.map(q).join(',')).join('\r\n') + '\r\n';
}

export async function renderVisitors(main) {
  const dayInput = el('input', { type: 'date', value: localDay(), 'aria-label': 'Day', id: 'visit-day' });
  const search = el('input', { type: 'search', id: 'visit-search', placeholder: 'Search names, contacts, companies' });
  const exportBtn = el('button', { id: 'visit-export', text: 'Export CSV' });
  const statsBox = el('div', { class: 'stats' });
  const log = el('div', { id: 'visit-log' });
  const expectedBox = el('div', { class: 'panel', id: 'expected-panel' });
  main.append(head('Visitors', 'Who came to the desk', dayInput, exportBtn),
    expectedBox, statsBox, el('div', { class: 'search' }, search), log);
  let items = [];

  const load = async () => {
    const d = dayInput.value;
    const r = await api('GET', `/api/v1/visits?limit=500${d ? '&day=' + encodeURIComponent(d) : ''}&q=${encodeURIComponent(search.value.trim())}`);
    items = r.items;
    const s = r.stats || {};
    statsBox.replaceChildren(stat(s.total ?? 0, 'visits'), stat(s.new ?? 0, 'new'), stat(s.returning ?? 0, 'returning'),
      stat(s.people ?? 0, 'people'));
    if (!items.length) {
      log.replaceChildren(el('div', { class: 'panel empty', text: search.value ? 'No visit matches.' : 'No visits on this day.' }));
      return;
    }
    log.replaceChildren(el('ul', { class: 'visit-list' }, ...items.map((v) => el('li', {
      class: 'visit-row', dataset: { id: v.id, person: v.person_id }, tabindex: 0, role: 'button',
      onclick: () => showVisit(v), onkeydown: (ev) => { if (ev.key === 'Enter') showVisit(v); },
    }, thumb(v),
    el('div', { class: 'visit-who' }, el('strong', { text: who(v) }),
      el('div', { class: 'muted small', text: [v.contact_name && v.label !== v.contact_name ? v.label : '', v.company].filter(Boolean).join(' · ') || (v.contact_id ? '' : 'not a contact') })),
    el('div', { class: 'visit-meta' },
      el('span', { class: 'visit-time', text: timeOf(v.started_at) }),
      el('span', { class: 'tag ' + (v.is_new ? 'new' : 'ret'), text: v.is_new ? 'new' : `${ordinal(v.visit_no || 1)} visit` }))))));
  };

  async function loadExpected() {
    const r = await api('GET', `/api/v1/expected?day=${encodeURIComponent(dayInput.value || localDay())}`);
    const addBtn = el('button', { id: 'expected-add', onclick: () => addExpected(), text: 'Add expected visitor' });
    expectedBox.replaceChildren(
      el('div', { class: 'page-head' }, el('h2', { text: `Expected ${dayInput.value === localDay() ? 'today' : 'on ' + dayInput.value}` }),
        el('div', { class: 'actions' }, addBtn)),
      r.items.length ? el('ul', { class: 'expected-list' }, ...r.items.map((e) => el('li', { class: 'expected-item', dataset: { id: e.id } },
        el('div', null, el('strong', { text: e.name }), e.company ? ` (${e.company})` : '',
          el('div', { class: 'muted small', text: [e.host ? `visits ${e.host}` : 'no host', e.note].filter(Boolean).join(' · ') })),
        e.arrived_at ? el('span', { class: 'tag new', text: `arrived ${timeOf(e.arrived_at)}` }) : el('span', { class: 'tag', text: 'expected' }),
        el('button', {
          class: 'ghost expected-remove', 'aria-label': `Remove ${e.name}`, onclick: async () => {
            try { await api('DELETE', `/api/v1/expected/${e.id}`); loadExpected().catch(fail); } catch (err) { fail(err); }
          }, text: 'Remove',
        })))) : el('p', { class: 'muted', text: 'Nobody announced. Add who is expected and whom they visit: their host is told when the camera recognises them.' }));
  }

  async function addExpected() {
    let picked = null;
    const name = field('Name', 'name', '', { required: true, autocomplete: 'off' });
    const nameInput = name.querySelector('input');
    const matches = el('div', { class: 'picker' });
    const form = el('div', { class: 'grid-form' }, el('div', { class: 'full' }, name, matches),
      field('Company', 'company', ''), await userField('Visits (host)', 'host', ''),
      field('Note', 'note', '', { full: true }));
    nameInput.addEventListener('input', debounce(async () => {
      picked = null;
      const q = nameInput.value.trim();
      if (q.length < 2) { matches.replaceChildren(); return; }
      const r = await api('GET', `/api/v1/contacts?limit=5&q=${encodeURIComponent(q)}`).catch(() => ({ items: [] }));
      matches.replaceChildren(...r.items.map((c) => el('button', {
        type: 'button', class: 'ghost', onclick: () => {
          picked = c;
          nameInput.value = fullName(c);
          form.querySelector('[name=company]').value = c.company || '';
          if (c.assigned_to) form.querySelector('[name=host]').value = c.assigned_to;
          matches.replaceChildren(el('span', { class: 'tag new', text: 'contact' }));
        }, text: `${fullName(c)}${c.company ? ' (' + c.company + ')' : ''}`,
      })));
    }, 250));
    editDialog('Expected visitor', form, async () => {
      const v = (n) => form.querySelector(`[name=${n}]`).value.trim();
      const body = { name: v('name'), company: v('company'), host: v('host'), note: v('note'), day: dayInput.value || localDay() };
      if (picked) body.contact_id = picked.id;
      await api('POST', '/api/v1/expected', body);
      toast(`${body.name} is expected`);
      loadExpected().catch(fail);
    }, 'Add');
  }

  function showVisit(v) {
    const body = el('div', { class: 'visit-detail' }, thumb(v, 'visit-photo'),
      el('dl', { class: 'kv' },
        el('dt', { text: 'Time' }), el('dd', { text: `${new Date(v.started_at).toLocaleDateString()} ${timeOf(v.started_at)}` }),
        el('dt', { text: 'Visit' }), el('dd', { text: v.is_new ? 'first visit' : `${ordinal(v.visit_no || 1)} of ${v.visit_count}` }),
        el('dt', { text: 'Face' }), el('dd', { text: v.label || `#${v.person_id}` }),
        el('dt', { text: 'Contact' }), el('dd', null, v.contact_id
          ? el('a', { href: `#/contacts/${v.contact_id}`, onclick: () => $('#dialog').close(), text: v.contact_name || `#${v.contact_id}` })
          : 'not a contact'),
        el('dt', { text: 'Company' }), el('dd', { text: v.company || '—' }),
        el('dt', { text: 'Camera' }), el('dd', { text: v.camera || '—' })));
    if (v.person_id) body.append(notThis(v));
    dialog(who(v), body, null);
  }

  /* "Not this person" (issue 14): the camera named the wrong face. The visit
   * moves to the face given (or a new unknown visitor), the template that
   * matched it is removed and the pair is not matched again (docs/CRM.md). */
  function notThis(v) {
    const to = el('input', { type: 'number', min: 1, placeholder: 'face #', class: 'visit-not-this-to',
      'aria-label': 'The right face id (empty: a new visitor)' });
    return el('div', { class: 'row visit-not-this' },
      el('span', { class: 'muted small', text: 'Wrong person?' }), to,
      el('button', { class: 'not-this', text: 'Not this person', onclick: async () => {
        try {
          const r = await api('POST', `/api/v1/faces/${v.person_id}/not-this`, { visit_id: v.id, person_id: Number(to.value) || null });
          toast(`The visit is now ${r.label}'s`);
          $('#dialog').close();
          await load();
        } catch (e) { $('#dialog-error').textContent = e.message; }
      } }));
  }

  exportBtn.addEventListener('click', () => {
    const rows = [['time', 'name', 'contact', 'company', 'visit', 'new', 'person_id', 'contact_id']]
      .concat(items.map((v) => [v.started_at, v.label || '', v.contact_name || '', v.company || '', v.visit_no || '', v.is_new ? 'yes' : 'no', v.person_id || '', v.contact_id || '']));
    const a = el('a', { href: URL.createObjectURL(new Blob([csv(rows)], { type: 'text/csv' })), download: `visits-${dayInput.value || 'all'}.csv` });
    document.body.append(a);
    a.click();
    a.remove();
  });
  dayInput.addEventListener('change', () => { load().catch(fail); loadExpected().catch(fail); });
  search.addEventListener('input', debounce(() => load().catch(fail), 250));
  // Live: a visit or an arrival today reloads the log (at most twice a second).
  S.onVisitors = debounce(() => {
    if (S.page !== 'visitors' || dayInput.value !== localDay()) return;
    load().catch(() => {});
    loadExpected().catch(() => {});
  }, 500);
  await Promise.all([load(), loadExpected()]);
}
