/* Live: the camera stream and the greetings as they happen. */
import { S } from '../state.js';
import { $, el, head } from '../ui.js';
import { api } from '../api.js';
import { greetingText } from './greeting.js';

export function renderLive(main) {
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
  if (!S.feedLoaded) prefill().catch(() => {});
}

/* The feed starts with today's visits (a reload keeps it), newest first;
 * the events that arrive meanwhile stay in front. */
async function prefill() {
  const d = new Date();
  const day = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  const r = await api('GET', `/api/v1/visits?limit=50&day=${day}`);
  S.feedLoaded = true;
  const seen = new Set(S.feed.map((f) => f.visit_id));
  for (const v of r.items) {
    if (seen.has(v.id)) continue;
    S.feed.push({
      topic: v.is_new ? 'visit.new' : 'visit.returning', new: !!v.is_new, label: v.contact_name || v.label,
      visit_count: v.visit_no || v.visit_count, visit_id: v.id, person_id: v.person_id, at: new Date(v.started_at),
    });
  }
  S.feed.sort((a, b) => b.at - a.at);
  S.feed.length = Math.min(S.feed.length, 50);
  renderFeed();
}

export function renderFeed() {
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
