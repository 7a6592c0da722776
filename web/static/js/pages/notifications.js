/* Notifications: each opens what it is about (the lead, contact, deal or the
 * visitor log) and is marked read; the e-mail column says where it went. */
import { el, fail, head } from '../ui.js';
import { when } from '../format.js';
import { api } from '../api.js';
import { refreshBadges } from '../badges.js';
import { route } from '../router.js';

const TARGET = { lead: (id) => `#/leads/${id}`, contact: (id) => `#/contacts/${id}`, deal: (id) => `#/deals/${id}`,
  expected: () => '#/visitors' };

function mailText(n) {
  switch (n.mail_state) {
    case 'sent': return `sent to ${n.recipient || 'the manager'}`;
    case 'pending': return n.mail_error ? `retrying (${n.mail_error})` : 'queued';
    case 'failed': return `failed: ${n.mail_error || 'unknown error'}`;
    default: return 'not e-mailed';
  }
}

export async function renderNotifications(main) {
  const r = await api('GET', '/api/v1/notifications?limit=100');
  const open = async (n) => {
    try {
      if (!n.read) await api('POST', `/api/v1/notifications/${n.id}/read`);
      refreshBadges();
      const to = TARGET[n.entity];
      if (to && (n.entity_id || n.entity === 'expected')) location.hash = to(n.entity_id);
      else route();
    } catch (e) { fail(e); }
  };
  main.append(head('Notifications', `${r.unread} unread`, el('button', {
    id: 'notif-read-all', onclick: async () => { await api('POST', '/api/v1/notifications/read'); refreshBadges(); route(); }, text: 'Mark all read',
  })), r.items.length ? el('ul', { class: 'notif-list' }, ...r.items.map((n) => el('li', {
    class: 'notif' + (n.read ? '' : ' unread') + (n.kind ? ` kind-${n.kind}` : ''), dataset: { id: n.id, entity: n.entity || '' },
    tabindex: 0, role: 'button', onclick: () => open(n), onkeydown: (ev) => { if (ev.key === 'Enter') open(n); },
  }, el('div', { class: 'notif-head' }, el(n.read ? 'span' : 'strong', { class: 'notif-subject', text: n.subject }),
    el('span', { class: 'muted small', text: when(n.at) })),
  el('div', { class: 'muted small notif-body', text: n.body }),
  el('div', { class: 'small notif-mail' + (n.mail_state === 'failed' ? ' bad' : ''), text: `E-mail: ${mailText(n)}` + (n.for_user ? ` · for ${n.for_user}` : '') })))) :
    el('div', { class: 'panel empty', text: 'No notifications.' }));
}
