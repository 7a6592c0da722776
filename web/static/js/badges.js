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
    const sy = st.sync;
    // The cause, not only a count: "115 queued" behind an unreachable CRM is an error.
    b.title = sy.last_error || 'Sync to the CRM (System page)';
    if (!sy.enabled) { b.textContent = 'Sync off'; b.className = 'badge'; }
    else if (sy.paused) { b.textContent = 'Sync: refused'; b.className = 'badge bad'; }
    else if (sy.dead > 0) { b.textContent = `Sync: ${sy.dead} failed`; b.className = 'badge bad'; }
    else if (sy.last_error && sy.pending > 0) { b.textContent = `Sync error: ${sy.pending} waiting`; b.className = 'badge bad'; }
    else if (sy.pending > 0) { b.textContent = `Sync: ${sy.pending} queued`; b.className = 'badge warn'; }
    else { b.textContent = 'Synced'; b.className = 'badge'; }
  } catch (e) { /* the badges are decoration */ }
}
