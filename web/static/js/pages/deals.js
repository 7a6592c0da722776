/* Deals: the board of opportunities by stage, fitted to the screen, with
 * each column's total; drag a card to another stage; a card opens the
 * deal's panel (amount, stage, responsible user, contact, timeline). */
import { $, editDialog, el, fail, field, head, toast } from '../ui.js';
import { api } from '../api.js';
import { renderBoard, timeline } from '../board.js';
import { userField } from '../users.js';

const STAGES = [['NEW', 'New'], ['PREPARATION', 'Preparation'], ['PREPAYMENT_INVOICE', 'Prepayment'],
  ['EXECUTING', 'Executing'], ['FINAL_INVOICE', 'Final invoice'], ['WON', 'Won'], ['LOSE', 'Lost']];
const closed = (d) => d.stage === 'WON' || d.stage === 'LOSE';

export function money(amount, currency) {
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency: currency || 'EUR', maximumFractionDigits: 0 }).format(amount || 0);
  } catch (e) { return `${Math.round(amount || 0)} ${currency || ''}`.trim(); }
}

/* "12 000 € · 300 $": a column's sum per currency. */
function totals(items) {
  const by = {};
  for (const d of items) by[d.currency || 'EUR'] = (by[d.currency || 'EUR'] || 0) + (d.amount || 0);
  const parts = Object.entries(by).filter(([, v]) => v).map(([c, v]) => money(v, c));
  return parts.join(' · ');
}

export async function renderDeals(main, arg) {
  const board = el('div', { class: 'board', id: 'deal-board' });
  const sum = el('span', { id: 'deal-sum' });
  main.append(head('Deals', 'Opportunities by stage — drag a card to move it', sum), board);
  async function load() {
    const cols = await Promise.all(STAGES.map(([s]) => api('GET', `/api/v1/deals?stage=${s}&limit=200`)));
    const open = cols.slice(0, 5).flatMap((c) => c.items);
    sum.textContent = open.length ? `Open: ${totals(open) || money(0, 'EUR')}` : '';
    renderBoard(board, 'stage', STAGES.map(([s, label], i) => ({
      key: s, label, items: cols[i].items,
      total: `${cols[i].total}${totals(cols[i].items) ? ' · ' + totals(cols[i].items) : ''}`,
    })), { card: dealCard, canDrag: (d) => !closed(d), onDrop: moveTo });
  }
  async function moveTo(id, stage) {
    try {
      await api('PATCH', `/api/v1/deals/${id}`, { stage });
      toast(`Deal moved to ${STAGES.find(([s]) => s === stage)[1]}`);
    } catch (e) { fail(e); }
    load().catch(fail);
  }
  function dealCard(d) {
    return el('div', { class: 'card deal-card', dataset: { id: d.id }, tabindex: 0, onclick: () => showDeal(d.id),
      onkeydown: (ev) => { if (ev.key === 'Enter') showDeal(d.id); } },
    el('div', { class: 't', text: d.title }),
    el('div', { class: 'amount', text: money(d.amount, d.currency) }),
    el('div', { class: 's', text: [d.contact_name, d.company_title, d.assigned_to].filter(Boolean).join(' · ') }));
  }
  async function showDeal(id) {
    const [d, act] = await Promise.all([api('GET', `/api/v1/deals/${id}`), api('GET', `/api/v1/deals/${id}/activity?limit=50`)]);
    const stage = el('select', { name: 'stage', disabled: closed(d) },
      ...STAGES.map(([s, t]) => el('option', { value: s, selected: d.stage === s, text: t })));
    const form = el('div', { class: 'grid-form' },
      field('Title', 'title', d.title, { full: true }),
      field('Amount', 'amount', String(d.amount || 0), { type: 'number', min: 0, step: 'any', inputmode: 'decimal' }),
      field('Currency', 'currency', d.currency || 'EUR', { maxlength: 3 }),
      el('label', null, 'Stage', stage),
      await userField('Responsible user', 'assigned_to', d.assigned_to));
    const body = el('div', { class: 'detail' },
      el('dl', { class: 'kv' },
        el('dt', { text: 'Contact' }), el('dd', null, d.contact_id
          ? el('a', { href: `#/contacts/${d.contact_id}`, onclick: () => $('#dialog').close(), text: d.contact_name || `#${d.contact_id}` }) : '—'),
        el('dt', { text: 'Company' }), el('dd', { text: d.company_title || '—' }),
        el('dt', { text: 'From lead' }), el('dd', null, d.lead_id
          ? el('a', { href: `#/leads/${d.lead_id}`, onclick: () => $('#dialog').close(), text: `#${d.lead_id}` }) : '—')),
      form, el('h3', { text: 'Timeline' }), timeline(act.items));
    editDialog(d.title, body, async () => {
      const v = (n) => form.querySelector(`[name=${n}]`).value.trim();
      const amount = Number(v('amount'));
      if (!Number.isFinite(amount) || amount < 0) throw new Error('Amount: a number, 0 or more.');
      const patch = { title: v('title'), amount, currency: v('currency').toUpperCase(), assigned_to: v('assigned_to') };
      if (!closed(d) && v('stage') !== d.stage) patch.stage = v('stage');
      await api('PATCH', `/api/v1/deals/${d.id}`, patch);
      toast('Deal saved');
      load().catch(fail);
    });
  }
  await load();
  if (arg) showDeal(Number(arg)).catch(fail);
}
