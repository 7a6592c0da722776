/* Leads: the board of requests by status; start, convert, junk. */
import { editDialog, el, fail, field, head, toast } from '../ui.js';
import { fullName, list, when } from '../format.js';
import { api } from '../api.js';

const LEAD_STATUSES = [['NEW', 'New'], ['IN_PROCESS', 'In process'], ['CONVERTED', 'Converted'], ['JUNK', 'Junk']];
const SOURCES = { face_visit: 'Face visit', card_scan: 'Card scan', manual: 'Manual' };

export async function renderLeads(main) {
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
