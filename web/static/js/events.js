/* Server-sent events: visits feed the Live page and the greeting screen;
 * leads, notifications and the sync state refresh the badges. */
import { S } from './state.js';
import { $ } from './ui.js';
import { refreshBadges } from './badges.js';
import { renderFeed } from './pages/live.js';
import { showGreeting } from './pages/greeting.js';

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
    if (!$('#greeting-view').hidden) showGreeting(d);
  };
  es.addEventListener('visit.new', onVisit);
  es.addEventListener('visit.returning', onVisit);
  es.addEventListener('lead.new', () => { refreshBadges(); });
  es.addEventListener('notify.new', () => { refreshBadges(); });
  es.addEventListener('sync.state', () => { refreshBadges(); });
}

export function stopEvents() {
  if (S.events) S.events.close();
  S.events = null;
}
