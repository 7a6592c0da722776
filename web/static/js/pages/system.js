/* System: health, storage, metrics and the recent log lines. */
import { S } from '../state.js';
import { el, fail, head, stat } from '../ui.js';
import { api } from '../api.js';
import { syncCard } from '../synccard.js';

export async function renderSystem(main) {
  const [st, health, metrics] = await Promise.all([
    api('GET', '/api/v1/status'), api('GET', '/healthz'), api('GET', '/metrics', undefined, { raw: true }).then((r) => r.text()),
  ]);
  const mb = (b) => (b / 1048576).toFixed(1) + ' MB';
  const level = el('select', { id: 'log-level', 'aria-label': 'Log level' },
    ...[['debug', 'All levels'], ['info', 'Info and above'], ['warn', 'Warnings and errors'], ['error', 'Errors only']]
      .map(([v, t]) => el('option', { value: v, text: t, selected: v === 'info' })));
  const follow = el('input', { type: 'checkbox', checked: true });
  const logBody = el('tbody');
  const logBox = el('div', { class: 'table-wrap log-table' }, el('table', null,
    el('thead', null, el('tr', null, el('th', { text: 'Time' }), el('th', { text: 'Level' }), el('th', { text: 'Part' }), el('th', { text: 'Message' }))),
    logBody));
  const sync = await syncCard();
  main.append(head('System', `Greeter ${st.version}`),
    el('div', { class: 'stats' }, stat(health.ok ? 'OK' : 'DOWN', 'health'), stat(Math.round(st.uptime_s / 60) + ' min', 'uptime'),
      stat(st.sync.pending, 'sync queued'), stat(st.sync.dead, 'sync failed'), stat((st.storage.free_mb / 1024).toFixed(1) + ' GB', 'free disk')),
    sync,
    el('div', { class: 'panel logs-panel' },
      el('div', { class: 'page-head' }, el('h2', { text: 'Recent log lines' }),
        el('div', { class: 'actions' }, level, el('label', { class: 'check' }, follow, 'Follow'))),
      logBox,
      el('p', { class: 'muted small', text: 'The last 500 lines greeterd wrote since it started (log.level decides what is written). The full log: journalctl -u greeterd' })),
    el('div', { class: 'grid2' },
      el('div', { class: 'panel' }, el('h2', { text: 'Metrics' }), el('pre', { class: 'log', text: metrics })),
      el('div', { class: 'panel' }, el('h2', { text: 'Storage' }), el('dl', { class: 'kv' },
        el('dt', { text: 'Folder' }), el('dd', { text: st.storage.dir }),
        el('dt', { text: 'Database' }), el('dd', { text: mb(st.storage.db_bytes) + ' (+ ' + mb(st.storage.wal_bytes) + ' log)' }),
        el('dt', { text: 'Disk' }), el('dd', { text: `${st.storage.free_mb} of ${st.storage.total_mb} MB free` }),
        el('dt', { text: 'Schema' }), el('dd', { text: st.schema_version }),
        el('dt', { text: 'Camera' }), el('dd', { text: st.camera }),
        el('dt', { text: 'HTTPS' }), el('dd', { text: st.tls ? 'on' : 'off' }),
        el('dt', { text: 'Live clients' }), el('dd', { text: `${st.clients.events} event, ${st.clients.streams} video` })))));

  let last = 0;
  const row = (l) => el('tr', { class: 'lv-' + l.level, dataset: { id: l.id } },
    el('td', { class: 'nowrap', text: new Date(l.time).toLocaleTimeString() }),
    el('td', null, el('span', { class: 'tag lv ' + l.level, text: l.level })),
    el('td', { text: l.module }),
    el('td', { class: 'msg', text: l.message + (l.truncated ? ' …' : '') }));
  const loadLogs = async (fresh) => {
    if (fresh) { last = 0; logBody.replaceChildren(); }
    const r = await api('GET', `/api/v1/logs?level=${level.value}&limit=500${last ? '&since=' + last : ''}`);
    last = r.last_id;
    if (!r.items.length && !logBody.children.length) {
      logBody.replaceChildren(el('tr', { class: 'none' }, el('td', { colspan: 4, class: 'muted', text: 'No lines at this level.' })));
      return;
    }
    if (r.items.length) {
      const none = logBody.querySelector('tr.none');
      if (none) none.remove();
      // Newest on top; keep at most 500 rows.
      logBody.prepend(...r.items.slice().reverse().map(row));
      while (logBody.children.length > 500) logBody.lastChild.remove();
    }
  };
  level.addEventListener('change', () => loadLogs(true).catch(fail));
  await loadLogs(true);
  clearInterval(S.logTimer);
  S.logTimer = setInterval(() => {
    if (S.page !== 'system' || !document.body.contains(logBody)) { clearInterval(S.logTimer); return; }
    if (follow.checked && !document.hidden) loadLogs(false).catch(() => {});
  }, 3000);
}
