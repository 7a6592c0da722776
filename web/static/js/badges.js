/* The top bar's badges: unread notifications and the sync queue. */
import { S } from './state.js';
import { $ } from './ui.js';
import { api } from './api.js';

export async function refreshBadges() {
  try {
    const [n, st] = await Promise.all([
      api('GET', '/api/v1/notifications?unread=1&limit=1'), api('GET', '/api/v1/status'),
    ]);
    S.unread = n.unread || 0;
    const c = $('#notif-count');
    c.hidden = !S.unread;
    c.textContent = S.unread;
    const b = $('#sync-badge');
    if (!st.sync.enabled) { b.textContent = 'Sync off'; b.className = 'badge'; }
    else if (st.sync.dead > 0) { b.textContent = `Sync: ${st.sync.dead} failed`; b.className = 'badge bad'; }
    else if (st.sync.pending > 0) { b.textContent = `Sync: ${st.sync.pending} queued`; b.className = 'badge warn'; }
    else { b.textContent = 'Synced'; b.className = 'badge'; }
  } catch (e) { /* the badges are decoration */ }
}
