/* Leads: the board of requests by status, fitted to the screen; drag a
 * card to another column (or use its panel) to move it; a card opens the
 * lead's panel (photo, card image, qualification, note, responsible user,
 * timeline); walk-bys (face visits nobody turned into a contact) are
 * hidden unless asked for. */
import { $, editDialog, el, fail, field, head, toast } from '../ui.js';
import { fullName, list, when } from '../format.js';
import { api } from '../api.js';
import { renderBoard, timeline } from '../board.js';
import { userField } from '../users.js';

const LEAD_STATUSES = [['NEW', 'New'], ['IN_PROCESS', 'In process'], ['CONVERTED', 'Converted'], ['JUNK', 'Junk']];
const SOURCES = { face_visit: 'Face visit', card_scan: 'Card scan', manual: 'Manual' };
const isWalkBy = (l) => l.source === 'face_visit' && !l.contact_id;
const stars = (n) => (n ? '★'.repeat(n) + '☆'.repeat(5 - n) : '');

export async function renderLeads(main, arg) {
  const board = el('div', { class: 'board', id: 'lead-board' });
  const walk = el('input', { type: 'checkbox', id: 'show-walkbys' });
  const walkLabel = el('span');
  main.append(head('Leads', 'Requests from the desk, by status — drag a card to move it',
    el('label', { class: 'check' }, walk, walkLabel),
    el('button', { class: 'primary', onclick: newLead, text: 'New lead' })), board);
  walk.addEventListener('change', () => load().catch(fail));

  async function load() {
    const cols = await Promise.all(LEAD_STATUSES.map(([s]) => api('GET', `/api/v1/leads?status=${s}&limit=200`)));
    let hidden = 0;
    const columns = LEAD_STATUSES.map(([s, label], i) => {
      const items = cols[i].items.filter((l) => walk.checked || !isWalkBy(l));
      hidden += cols[i].items.length - items.length;
      return { key: s, label, total: String(items.length), items };
    });
    walkLabel.textContent = `Show walk-bys${hidden ? ` (${hidden} hidden)` : ''}`;
    renderBoard(board, 'status', columns, {
      card: leadCard, canDrag: (l) => l.status === 'NEW' || l.status === 'IN_PROCESS', onDrop: moveTo,
    });
  }

  async function moveTo(id, status) {
    try {
      if (status === 'CONVERTED') await convert(id);
      else {
        await api('PATCH', `/api/v1/leads/${id}`, { status });
        toast(`Lead moved to ${LEAD_STATUSES.find(([s]) => s === status)[1]}`);
      }
    } catch (e) { fail(e); }
    load().catch(fail);
  }

  async function convert(id) {
    const r = await api('POST', `/api/v1/leads/${id}/convert`);
    toast(`Converted: contact ${fullName(r.contact)}${r.company ? ', ' + r.company.title : ''}, deal #${r.deal.id}`);
  }

  function leadCard(l) {
    const name = l.contact_name || fullName(l.data || {}) || '';
    const actions = [];
    if (l.status === 'NEW') actions.push(el('button', { onclick: (ev) => { ev.stopPropagation(); moveTo(l.id, 'IN_PROCESS'); }, text: 'Start' }));
    if (l.status === 'NEW' || l.status === 'IN_PROCESS') {
      actions.push(el('button', {
        class: 'primary convert', onclick: async (ev) => {
          ev.stopPropagation();
          try { await convert(l.id); } catch (e) { fail(e); }
          load().catch(fail);
        }, text: 'Convert',
      }));
      actions.push(el('button', { class: 'ghost junk', onclick: (ev) => { ev.stopPropagation(); moveTo(l.id, 'JUNK'); }, text: 'Junk' }));
    }
    const qual = [l.temperature ? el('span', { class: `tag temp-${l.temperature}`, text: l.temperature }) : null,
      l.rating ? el('span', { class: 'stars-s', text: stars(l.rating) }) : null,
      l.assigned_to ? el('span', { class: 'tag owner', text: l.assigned_to }) : null].filter(Boolean);
    return el('div', { class: 'card lead-card', dataset: { id: l.id }, tabindex: 0, onclick: () => showLead(l.id),
      onkeydown: (ev) => { if (ev.key === 'Enter' && ev.target === ev.currentTarget) showLead(l.id); } },
    el('div', { class: 't', text: l.title }),
    el('div', { class: 's', text: [name !== l.title.replace(/ \(.*\)$/, '') ? name : '', SOURCES[l.source] || l.source, l.event, when(l.created_at)].filter(Boolean).join(' · ') }),
    qual.length ? el('div', { class: 'qual' }, ...qual) : null,
    actions.length ? el('div', { class: 'row' }, ...actions) : null);
  }

  async function showLead(id) {
    const [l, act] = await Promise.all([api('GET', `/api/v1/leads/${id}`), api('GET', `/api/v1/leads/${id}/activity?limit=50`)]);
    const d = l.data || {};
    const open = l.status === 'NEW' || l.status === 'IN_PROCESS';
    const media = el('div', { class: 'detail-media' },
      l.person_id ? el('img', { class: 'detail-photo', alt: 'Face', src: `/api/v1/faces/${l.person_id}/snapshot`, onerror: (ev) => ev.target.remove() }) : null,
      l.scan_id ? el('img', { class: 'detail-card', alt: 'Business card', src: `/api/v1/scans/${l.scan_id}/image`, onerror: (ev) => ev.target.remove() }) : null);
    const temp = el('select', { name: 'temperature' }, ...[['', '—'], ['hot', 'Hot'], ['warm', 'Warm'], ['cold', 'Cold']]
      .map(([v, t]) => el('option', { value: v, selected: l.temperature === v, text: t })));
    const rating = el('select', { name: 'rating' }, ...[0, 1, 2, 3, 4, 5]
      .map((n) => el('option', { value: n, selected: l.rating === n, text: n ? stars(n) : 'no rating' })));
    const status = el('select', { name: 'status', disabled: !open },
      ...LEAD_STATUSES.filter(([s]) => s !== 'CONVERTED' || l.status === 'CONVERTED')
        .map(([s, t]) => el('option', { value: s, selected: l.status === s, text: t })));
    const form = el('div', { class: 'grid-form' },
      field('Title', 'title', l.title, { full: true }),
      el('label', null, 'Status', status),
      await userField('Responsible user', 'assigned_to', l.assigned_to),
      el('label', null, 'Temperature', temp), el('label', null, 'Rating', rating),
      field('Interests (comma separated)', 'interests', (l.interests || []).join(', '), { full: true }),
      field('Event', 'event', l.event), field('Follow up on', 'follow_up', l.follow_up, { type: 'date' }),
      field('Note', 'note', l.note, { full: true, textarea: true }));
    const body = el('div', { class: 'detail' }, media,
      el('dl', { class: 'kv' },
        el('dt', { text: 'Contact' }), el('dd', null, l.contact_id
          ? el('a', { href: `#/contacts/${l.contact_id}`, onclick: () => $('#dialog').close(), text: l.contact_name || `#${l.contact_id}` })
          : (fullName(d) || '—')),
        el('dt', { text: 'Company' }), el('dd', { text: d.company || '—' }),
        el('dt', { text: 'E-mail' }), el('dd', { text: (d.emails || []).join(', ') || '—' }),
        el('dt', { text: 'Source' }), el('dd', { text: `${SOURCES[l.source] || l.source}, ${new Date(l.created_at).toLocaleString()}` })),
      form,
      open ? el('div', { class: 'row' }, el('button', {
        class: 'primary convert', id: 'lead-convert', onclick: async () => {
          try { await convert(l.id); $('#dialog').close(); load().catch(fail); } catch (e) { fail(e); }
        }, text: 'Convert to contact + deal',
      })) : null,
      el('h3', { text: 'Timeline' }), timeline(act.items));
    editDialog(l.title, body, async () => {
      const v = (n) => form.querySelector(`[name=${n}]`).value.trim();
      const patch = {
        title: v('title'), assigned_to: v('assigned_to'), temperature: v('temperature'), rating: Number(v('rating')),
        interests: list(v('interests')), event: v('event'), follow_up: v('follow_up'), note: v('note'),
      };
      if (open && v('status') !== l.status) patch.status = v('status');
      await api('PATCH', `/api/v1/leads/${l.id}`, patch);
      toast('Lead saved');
      load().catch(fail);
    });
  }

  async function newLead() {
    const form = el('div', { class: 'grid-form' }, field('Title', 'title', '', { full: true, placeholder: 'Full Name (Company) when empty' }),
      field('Given name', 'given_name', ''), field('Family name', 'family_name', ''), field('Company', 'company', ''),
      field('E-mail', 'email', ''), field('Phone', 'phone', ''), await userField('Responsible user', 'assigned_to', ''));
    editDialog('New lead', form, async () => {
      const v = (n) => form.querySelector(`[name=${n}]`).value.trim();
      const data = { given_name: v('given_name'), family_name: v('family_name'), company: v('company'),
        emails: list(v('email')), phones: list(v('phone')).map((n) => ({ number: n, type: 'work' })) };
      const body = { source: 'manual', data, assigned_to: v('assigned_to') };
      if (v('title')) body.title = v('title');
      await api('POST', '/api/v1/leads', body);
      toast('Lead created');
      load().catch(fail);
    }, 'Create');
  }
  await load();
  if (arg) showLead(Number(arg)).catch(fail);
}
