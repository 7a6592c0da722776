/* The sync health card of the System page: the state in words, the last
 * success, the CRM's or the network's error, the refused rows; Test
 * connection (Bitrix24), Test CardDAV and Retry; and the Bitrix24 / CardDAV setup, saved as live
 * settings (greeterd restarts its sync agent when they change). */
import { S } from './state.js';
import { debounce, el, fail, toast } from './ui.js';
import { api } from './api.js';
import { when } from './format.js';
import { refreshBadges } from './badges.js';

/* One line for the state: [class, text]. */
export function syncState(s, enabled) {
  if (!enabled) return ['', 'Off: no Bitrix24 webhook set'];
  if (s.paused) return ['bad', 'Paused: the CRM refused the webhook'];
  if (s.dead > 0) return ['bad', `${s.dead} change(s) refused by the CRM`];
  if (s.last_error && s.pending > 0) return ['bad', `Failing: ${s.pending} change(s) waiting`];
  if (s.pending > 0) return ['warn', `Sending: ${s.pending} change(s) queued`];
  return ['ok', 'In sync'];
}

export async function syncCard() {
  const box = el('div', { class: 'panel sync-card', id: 'sync-card' });
  // one result box for the card's life: the card re-renders itself after a
  // save or a retry, and a test's answer must not vanish with it
  const result = el('div', { id: 'sync-test-result' });
  async function load() {
    const r = await api('GET', '/api/v1/sync');
    const s = r.status;
    const [cls, text] = syncState(s, r.enabled.bitrix24);
    const test = el('button', {
      id: 'sync-test', onclick: async () => {
        test.disabled = true;
        result.replaceChildren(el('span', { class: 'muted', text: 'Calling the CRM…' }));
        try {
          const url = form.querySelector('[name=bitrix24_url]').value.trim();
          const t = await api('POST', '/api/v1/sync/test', url ? { url } : {});
          result.replaceChildren(t.ok ? el('div', { class: 'notice ok', text: `Connected: the CRM answered in ${t.ms} ms.` })
            : el('div', { class: 'notice warn', text: `${t.class === 'network' ? 'Network' : 'The CRM'}: ${t.message}` }));
        } catch (e) {
          result.replaceChildren(el('div', { class: 'notice warn', text: e.message }));
        } finally { test.disabled = false; }
      }, text: 'Test connection',
    });
    const DAV_CLASS = { network: 'CardDAV network', auth: 'CardDAV sign-in refused', refused: 'CardDAV refused' };
    const testDav = el('button', {
      id: 'sync-test-carddav', disabled: !r.enabled.carddav,
      title: r.enabled.carddav ? 'Ask the saved address book for itself (PROPFIND)' : 'Save a CardDAV address book first',
      onclick: async () => {
        testDav.disabled = true;
        result.replaceChildren(el('span', { class: 'muted', text: 'Calling the address book…' }));
        try {
          const t = await api('POST', '/api/v1/sync/test', { target: 'carddav' });
          result.replaceChildren(t.ok ? el('div', { class: 'notice ok', text: `CardDAV connected: the address book answered in ${t.ms} ms.` })
            : el('div', { class: 'notice warn', text: `${DAV_CLASS[t.class] || 'CardDAV'}: ${t.message}` }));
        } catch (e) {
          result.replaceChildren(el('div', { class: 'notice warn', text: e.message }));
        } finally { testDav.disabled = false; }
      }, text: 'Test CardDAV',
    });
    const retry = el('button', {
      id: 'sync-retry', disabled: !r.enabled.bitrix24 && !r.enabled.carddav, onclick: async () => {
        try {
          const x = await api('POST', '/api/v1/sync/retry');
          toast(`${x.requeued} refused change(s) queued again; trying now`);
          setTimeout(() => load().catch(fail), 1500);
          refreshBadges();
          load().catch(fail);
        } catch (e) { fail(e); }
      }, text: 'Retry now',
    });
    const form = el('div', { class: 'grid-form sync-setup' },
      el('label', { class: 'full' }, 'Bitrix24 inbound webhook URL',
        el('input', { name: 'bitrix24_url', type: 'url', autocomplete: 'off',
          placeholder: r.enabled.bitrix24 ? `set (${r.bitrix24_host}); type a new one to replace it` : 'https://PORTAL.bitrix24.com/rest/USER/CODE/' })),
      el('label', { class: 'full' }, 'CardDAV address book URL',
        el('input', { name: 'carddav_url', type: 'url', autocomplete: 'off', placeholder: r.enabled.carddav ? 'set; type a new one to replace it' : 'https://…/addressbooks/…/' })),
      el('label', null, 'CardDAV user', el('input', { name: 'carddav_user', autocomplete: 'off' })),
      el('label', null, 'CardDAV password', el('input', { name: 'carddav_password', type: 'password', autocomplete: 'new-password' })));
    const save = el('button', {
      class: 'primary', id: 'sync-save', onclick: async () => {
        const v = (n) => form.querySelector(`[name=${n}]`).value.trim();
        const change = {};
        for (const n of ['bitrix24_url', 'carddav_url', 'carddav_user', 'carddav_password']) if (v(n)) change[`sync.${n}`] = v(n);
        if (!Object.keys(change).length) { toast('Nothing to save: type a URL first.', true); return; }
        try {
          await api('PATCH', '/api/v1/settings', change);
          toast('Saved; the sync agent restarts with it now.');
          setTimeout(() => { refreshBadges(); load().catch(fail); }, 1500);
        } catch (e) { fail(e); }
      }, text: 'Save and apply',
    });
    const off = el('button', {
      class: 'ghost', id: 'sync-off', onclick: async () => {
        if (!confirm('Stop syncing to Bitrix24? Changes stay queued on the board.')) return;
        try { await api('PATCH', '/api/v1/settings', { 'sync.bitrix24_url': '' }); toast('Sync turned off'); setTimeout(() => load().catch(fail), 1500); } catch (e) { fail(e); }
      }, text: 'Turn off',
    });
    box.replaceChildren(...[
      el('div', { class: 'page-head' }, el('h2', { text: 'Sync to the CRM' }), el('div', { class: 'actions' }, test, testDav, retry, r.enabled.bitrix24 ? off : null)),
      el('div', { class: `sync-state ${cls}`, id: 'sync-state', text: text }),
      el('dl', { class: 'kv' },
        el('dt', { text: 'Bitrix24' }), el('dd', { text: r.enabled.bitrix24 ? r.bitrix24_host : 'not set up' }),
        el('dt', { text: 'Last success' }), el('dd', { id: 'sync-last-ok', text: s.last_ok_at ? when(s.last_ok_at) : 'never' }),
        el('dt', { text: 'Queued' }), el('dd', { text: String(s.pending) }),
        el('dt', { text: 'Failed' }), el('dd', { id: 'sync-failed', text: String(s.dead) }),
        el('dt', { text: 'Last error' }), el('dd', { id: 'sync-error', class: s.last_error ? 'bad-text' : '', text: s.last_error || '—' }),
        el('dt', { text: 'CardDAV' }), el('dd', { text: r.enabled.carddav
          ? `${s.carddav.pending} queued${s.carddav.paused ? ', paused' : ''}${s.carddav.last_error ? ' · ' + s.carddav.last_error : ''}` : 'not set up' })),
      r.failed.length ? el('details', { class: 'sync-failed-rows' }, el('summary', { text: `Refused changes (${r.failed.length})` }),
        el('ul', null, ...r.failed.map((f) => el('li', { text: `${f.entity} #${f.local_id} ${f.op}: ${f.last_error || ''}` })))) : null,
      result,
      el('details', { class: 'sync-setup-box', open: !r.enabled.bitrix24 }, el('summary', { text: 'Set up Bitrix24 and CardDAV' }),
        el('p', { class: 'muted small', text: 'Bitrix24: Applications → Webhooks → Inbound webhook with the "crm" scope; paste its URL. Saved into greeter.conf and applied at once.' }),
        form, el('div', { class: 'dialog-actions' }, save)),
    ].filter(Boolean)); // (replaceChildren would write a null as the text "null")
  }
  await load();
  // Live: the agent's "sync.state" events redraw the card while it is shown.
  S.onSync = debounce(() => { if (document.body.contains(box)) load().catch(() => {}); }, 300);
  return box;
}
