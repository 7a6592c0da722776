/* Server-sent events: visits feed the Live page, the visit log and the
 * greeting screen; a host's "is at reception" notice shows at once on every
 * signed-in screen (marked for the host); leads, notifications and the sync
 * state refresh the badges. */
import { S } from './state.js';
import { $, el } from './ui.js';
import { refreshBadges } from './badges.js';
import { renderFeed } from './pages/live.js';
import { showGreeting } from './pages/greeting.js';

/* The banner of an arrival: stays until dismissed or opened. */
function showArrival(d) {
  const box = $('#arrivals');
  const mine = S.me && d.for_user && d.for_user === S.me.username;
  const item = el('div', { class: 'arrival' + (mine ? ' mine' : ''), role: 'alert', dataset: { id: d.id } },
    el('a', {
      href: d.entity === 'contact' && d.entity_id ? `#/contacts/${d.entity_id}` : '#/visitors',
      onclick: () => item.remove(), text: d.subject,
    }),
    el('span', { class: 'muted small', text: (mine ? ' for you' : d.for_user ? ` for ${d.for_user}` : '') + ' · ' + new Date().toLocaleTimeString() }),
    el('button', { class: 'ghost arrival-close', 'aria-label': 'Dismiss', onclick: () => item.remove(), text: '×' }));
  box.prepend(item);
  while (box.children.length > 3) box.lastChild.remove();
}

export function startEvents() {
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
    if (S.onVisitors) S.onVisitors();
    if (!$('#greeting-view').hidden) showGreeting(d);
  };
  es.addEventListener('visit.new', onVisit);
  es.addEventListener('visit.returning', onVisit);
  es.addEventListener('lead.new', () => { refreshBadges(); });
  es.addEventListener('notify.new', (ev) => {
    refreshBadges();
    let d;
    try { d = JSON.parse(ev.data); } catch (e) { return; }
    if (d.kind === 'arrival') {
      showArrival(d);
      if (S.onVisitors) S.onVisitors();
    }
  });
  es.addEventListener('sync.state', () => {
    refreshBadges();
    if (S.onSync && S.page === 'system') S.onSync();
  });
}

export function stopEvents() {
  if (S.events) S.events.close();
  S.events = null;
}
