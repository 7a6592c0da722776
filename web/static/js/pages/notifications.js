/* Notifications: the list, and marking them read. */
import { el, head, table } from '../ui.js';
import { when } from '../format.js';
import { api } from '../api.js';
import { refreshBadges } from '../badges.js';
import { route } from '../router.js';

export async function renderNotifications(main) {
  const r = await api('GET', '/api/v1/notifications?limit=100');
  main.append(head('Notifications', `${r.unread} unread`, el('button', {
    onclick: async () => { await api('POST', '/api/v1/notifications/read'); refreshBadges(); route(); }, text: 'Mark all read',
  })), table(['When', 'Subject', 'Message', 'E-mail'], r.items.map((n) => [
    when(n.at), el(n.read ? 'span' : 'strong', { text: n.subject }), n.body, n.mail_state,
  ]), 'No notifications.'));
}
