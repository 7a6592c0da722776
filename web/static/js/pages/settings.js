/* Settings: every setting of the table with its range and whether it
 * applies live, and the password change. */
import { S } from '../state.js';
import { el, fail, field, head, toast } from '../ui.js';
import { api } from '../api.js';

function restartNotice(keys) {
  if (!keys || !keys.length) return null;
  return el('div', { class: 'notice warn', id: 'restart-notice' },
    el('strong', { text: 'Restart greeterd to apply: ' }), keys.join(', '),
    el('div', { class: 'small', text: 'They are saved; the running board still uses the old values (sudo systemctl restart greeterd).' }));
}

export async function renderSettings(main) {
  const r = await api('GET', '/api/v1/settings');
  const sections = {};
  for (const s of r.items) (sections[s.section] = sections[s.section] || []).push(s);
  const form = el('div');
  const inputs = {};
  for (const [sec, items] of Object.entries(sections)) {
    const grid = el('div', { class: 'grid-form' });
    for (const s of items) {
      let input;
      if (s.type === 'bool') {
        input = el('select', { name: s.name }, el('option', { value: 'true', selected: s.value === 'true', text: 'on' }),
          el('option', { value: 'false', selected: s.value !== 'true', text: 'off' }));
      } else if (s.type === 'enum') {
        input = el('select', { name: s.name }, ...s.choices.split('|').map((c) => el('option', { value: c, selected: c === s.value, text: c })));
      } else {
        input = el('input', {
          name: s.name, value: s.type === 'secret' ? '' : s.value,
          type: s.type === 'secret' ? 'password' : (s.type === 'int' || s.type === 'double' ? 'number' : 'text'),
          placeholder: s.type === 'secret' ? (s.value ? '(set — type to replace)' : '(not set)') : '',
          step: s.type === 'double' ? 'any' : null, min: s.type === 'int' || s.type === 'double' ? s.min : null,
          max: s.type === 'int' || s.type === 'double' ? s.max : null,
        });
      }
      inputs[s.name] = { input, s };
      const mark = s.live ? el('span', { class: 'tag new', title: 'Takes effect when saved', text: 'live' })
        : el('span', { class: 'tag', title: 'Takes effect when greeterd restarts', text: 'restart' });
      grid.append(el('label', { title: s.help, dataset: { setting: s.name } },
        el('strong', { text: s.key }), ' ', mark, ' — ', s.help, input));
    }
    form.append(el('div', { class: 'panel settings-section' }, el('h2', { text: sec }), grid));
  }
  const pw = el('div', { class: 'panel' }, el('h2', { text: 'Password' }),
    el('div', { class: 'grid-form' },
      field('Current password', 'old_password', '', { type: 'password', autocomplete: 'current-password' }),
      field('New password (8+ characters)', 'new_password', '', { type: 'password', autocomplete: 'new-password' })),
    el('div', { class: 'dialog-actions' }, el('button', {
      onclick: async () => {
        try {
          await api('POST', '/api/v1/password', {
            old_password: pw.querySelector('[name=old_password]').value, new_password: pw.querySelector('[name=new_password]').value,
          });
          toast('Password changed');
          S.me.must_change = false;
        } catch (e) { fail(e); }
      }, text: 'Change password',
    })));
  const status = el('div', { id: 'settings-status' }, restartNotice(r.restart_pending));
  const saveBtn = el('button', {
    class: 'primary', id: 'settings-save', onclick: async () => {
      const change = {};
      for (const [name, { input, s }] of Object.entries(inputs)) {
        input.closest('label').classList.remove('bad');
        if (s.type === 'secret') { if (input.value) change[name] = input.value; } else if (input.value !== s.value) change[name] = input.value;
      }
      if (!Object.keys(change).length) { toast('Nothing changed'); return; }
      try {
        const res = await api('PATCH', '/api/v1/settings', change);
        for (const it of res.items) {
          const cur = inputs[it.name];
          if (!cur) continue;
          cur.s = it;
          if (it.type === 'secret') { cur.input.value = ''; cur.input.placeholder = it.value ? '(set — type to replace)' : '(not set)'; }
        }
        const parts = [];
        if (res.applied.length) parts.push(el('div', null, el('strong', { text: 'Applied now: ' }), res.applied.join(', ')));
        if (res.restart_required.length) parts.push(el('div', null, el('strong', { text: 'Saved, applied at the next start: ' }), res.restart_required.join(', ')));
        status.replaceChildren(el('div', { class: 'notice ok' }, `Saved to ${res.file}.`, ...parts), restartNotice(res.restart_pending) || '');
        toast(res.restart_required.length ? 'Saved. Some settings apply after a restart.' : 'Saved and applied.');
        S.me = await api('GET', '/api/v1/me');
      } catch (e) {
        // The message names the setting: mark its field.
        const m = /^([a-z_0-9]+\.[a-z_0-9]+)/.exec(e.message || '');
        if (m && inputs[m[1]]) { const l = inputs[m[1]].input.closest('label'); l.classList.add('bad'); l.scrollIntoView({ block: 'center' }); }
        status.replaceChildren(el('div', { class: 'notice warn', id: 'settings-error', text: e.message }), restartNotice(r.restart_pending) || '');
        fail(e);
      }
    }, text: 'Save settings',
  });
  pw.classList.add('settings-section');
  main.append(head('Settings', r.file ? `Checked against each setting's range, saved to ${r.file}` : 'Checked against each setting\'s range', saveBtn),
    status, pw, form);
}
