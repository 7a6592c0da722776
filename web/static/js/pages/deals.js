/* Deals: the board of opportunities by stage. */
import { el, fail, head } from '../ui.js';
import { api } from '../api.js';

const STAGES = [['NEW', 'New'], ['PREPARATION', 'Preparation'], ['PREPAYMENT_INVOICE', 'Prepayment'],
  ['EXECUTING', 'Executing'], ['FINAL_INVOICE', 'Final invoice'], ['WON', 'Won'], ['LOSE', 'Lost']];

export async function renderDeals(main) {
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
