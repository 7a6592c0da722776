/* The greeting screen: full-screen welcome for each visitor, and the words
 * it (and the Live feed) uses. */
import { S } from '../state.js';
import { $, head } from '../ui.js';
import { ordinal } from '../format.js';

function isUnknown(label) { return !label || /^(visitor|unknown)\b/i.test(label); }

export function greetingText(d) {
  const label = d.label || '';
  const first = isUnknown(label) ? '' : label.split(/\s+/)[0];
  const generic = (S.me && S.me.greeting) === 'generic' || !first;
  const count = d.visit_count || 0;
  if (d.topic === 'visit.returning' || d.new === false) {
    return {
      main: generic ? 'Welcome back!' : `Welcome back, ${first}`,
      sub: count > 1 ? `${ordinal(count)} visit` : '',
    };
  }
  return { main: generic ? 'Welcome!' : `Welcome, ${first}`, sub: 'Nice to meet you' };
}

export function renderGreeting(main) {
  main.append(head('Greeting screen', 'Opens full screen'));
  const v = $('#greeting-view');
  v.hidden = false;
  $('#greeting-text').textContent = 'Welcome';
  $('#greeting-sub').textContent = S.me && S.me.device ? '' : '';
  if (document.documentElement.requestFullscreen) document.documentElement.requestFullscreen().catch(() => {});
}

export function showGreeting(d) {
  const g = greetingText(d);
  const t = $('#greeting-text');
  t.textContent = g.main;
  $('#greeting-sub').textContent = g.sub;
  t.classList.remove('fresh');
  void t.offsetWidth;
  t.classList.add('fresh');
  clearTimeout(S.greetTimer);
  S.greetTimer = setTimeout(() => {
    $('#greeting-text').textContent = 'Welcome';
    $('#greeting-sub').textContent = '';
  }, 12000);
}
