/* Visitors: the visits of one day with the day's numbers. */
import { el, fail, head, stat, table } from '../ui.js';
import { ordinal, when } from '../format.js';
import { api } from '../api.js';

export async function renderVisitors(main) {
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
