/* Contacts: search, page through, show, edit, merge, forget, import and
 * export the people met at the desk. */
import { $, debounce, dialog, editDialog, el, fail, field, head, pageControls, table, toast } from '../ui.js';
import { fullName, list, phonesFrom, phonesText, when } from '../format.js';
import { api } from '../api.js';
import { userField } from '../users.js';

export async function renderContacts(main, arg) {
  const q = el('input', { id: 'contact-search', type: 'search', placeholder: 'Search names, e-mails, phones, companies' });
  const box = el('div');
  const pager = el('div', { class: 'pager' });
  let offset = 0;
  const limit = 25;
  main.append(
    head('Contacts', 'People you met',
      el('a', { class: 'button', href: '/api/v1/contacts/export?format=vcard', download: 'contacts.vcf', text: 'Export vCard', 'data-admin': true }),
      el('a', { class: 'button', href: '/api/v1/contacts/export?format=csv', download: 'contacts.csv', text: 'Export CSV', 'data-admin': true }),
      el('button', { onclick: () => importContacts(load), text: 'Import' }),
      el('button', { class: 'primary', onclick: () => editContact(null, load).catch(fail), text: 'New contact' })),
    el('div', { class: 'search' }, q), box, pager);
  async function load() {
    const r = await api('GET', `/api/v1/contacts?limit=${limit}&offset=${offset}&q=${encodeURIComponent(q.value)}`);
    box.replaceChildren(table(['Name', 'Company', 'E-mail', 'Phone', 'Updated'], r.items.map((c) => [
      el('strong', { text: fullName(c) }), c.company || '', (c.emails || [])[0] || '', phonesText(c).split(',')[0],
      when(c.updated_at),
    ]), q.value ? 'No contact matches.' : 'No contacts yet. Scan a card to add one.', (i) => showContact(r.items[i].id, load)));
    pager.replaceChildren(...pageControls(offset, limit, r.items.length, r.total, (o) => { offset = o; load().catch(fail); }));
  }
  q.addEventListener('input', debounce(() => { offset = 0; load().catch(fail); }, 250));
  await load();
  if (arg) showContact(Number(arg), load);
}

function contactForm(c, owner) {
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
    owner,
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
    assigned_to: v('assigned_to').value.trim(),
  };
}

async function editContact(c, after) {
  const form = contactForm(c, await userField('Responsible user (told when they arrive)', 'assigned_to', c ? c.assigned_to : ''));
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
      el('dt', { text: 'Note' }), el('dd', { class: 'note', text: c.note || '—' }),
      el('dt', { text: 'Responsible' }), el('dd', { class: 'owner', text: c.assigned_to || '—' }),
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
      el('button', { onclick: () => { $('#dialog').close(); editContact(c, after).catch(fail); }, text: 'Edit' }),
      el('a', { class: 'button', href: `/api/v1/contacts/${c.id}/vcard`, download: `contact-${c.id}.vcf`, text: 'vCard' }),
      el('button', {
        class: 'danger', onclick: async () => {
          if (!confirm(`Forget ${fullName(c)}? The contact, card images, face templates and snapshots are erased.`)) return;
          try { await api('POST', `/api/v1/contacts/${c.id}/forget`, {}); toast('Forgotten'); $('#dialog').close(); if (after) after().catch(fail); } catch (e) { fail(e); }
        }, text: 'Forget this person', 'data-admin': true,
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
