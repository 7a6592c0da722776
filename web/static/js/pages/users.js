/* Accounts (#/users, admins only): the personal accounts with their role,
 * add one, change role or name, disable or enable, reset a password (the
 * user must change it at the next sign-in). And "My password" (#/password,
 * everyone): changing one's own password, which a first sign-in must do
 * before any other page opens (the router shows only this page until then). */
import { S } from '../state.js';
import { editDialog, el, fail, field, head, table, toast } from '../ui.js';
import { api } from '../api.js';
import { route } from '../router.js';
import { start } from '../session.js';

const ROLES = [['desk', 'Desk: scan, contacts, leads, visits, enrol with consent'],
  ['admin', 'Admin: also settings, sync, accounts, export, erase']];

function roleSelect(value) {
  return el('label', null, 'Role', el('select', { name: 'role' },
    ...ROLES.map(([v, t]) => el('option', { value: v, selected: v === value, text: t }))));
}

function val(body, name) { return body.querySelector(`[name=${name}]`).value; }

function addDialog(reload) {
  const body = el('div', { class: 'grid-form' },
    field('User name', 'username', '', { autocomplete: 'off', required: true }),
    field('Display name', 'display_name', ''),
    field('E-mail', 'email', '', { type: 'email' }),
    roleSelect('desk'),
    field('First password (8+ characters; changed at the first sign-in)', 'password', '',
      { type: 'password', autocomplete: 'new-password', full: true }));
  editDialog('Add an account', body, async () => {
    await api('POST', '/api/v1/users', {
      username: val(body, 'username'), display_name: val(body, 'display_name'), email: val(body, 'email'),
      role: val(body, 'role'), password: val(body, 'password'),
    });
    toast('Account added');
    reload();
  }, 'Add');
}

function editUser(u, reload) {
  const body = el('div', { class: 'grid-form' },
    field('Display name', 'display_name', u.display_name),
    field('E-mail', 'email', u.email, { type: 'email' }),
    roleSelect(u.role));
  editDialog(`Account ${u.username}`, body, async () => {
    await api('PATCH', `/api/v1/users/${u.id}`, {
      display_name: val(body, 'display_name'), email: val(body, 'email'), role: val(body, 'role'),
    });
    toast('Saved');
    reload();
  });
}

function resetPassword(u, reload) {
  const body = el('div', { class: 'grid-form' },
    el('p', { class: 'full muted', text: `${u.username} signs in with this password once and must then choose a new one. Their open sessions end.` }),
    field('New password (8+ characters)', 'password', '', { type: 'password', autocomplete: 'new-password', full: true }));
  editDialog(`Reset the password of ${u.username}`, body, async () => {
    await api('POST', `/api/v1/users/${u.id}/password`, { password: val(body, 'password') });
    toast('Password reset');
    reload();
  }, 'Reset');
}

export async function renderUsers(main) {
  const reload = () => route();
  if (!S.me || S.me.role !== 'admin') { // the list is anyone's (GET), the changes are the admins'
    main.append(head('Accounts'), el('div', { class: 'panel empty', id: 'users-denied', text: 'Accounts are managed by an admin.' }));
    return;
  }
  const users = await api('GET', '/api/v1/users');
  main.append(head('Accounts', 'Everyone signs in with an account of their own; the audit log names them.',
    el('button', { class: 'primary', id: 'user-add', onclick: () => addDialog(reload), text: '+ Add account' })));
  // Narrow screens hide the columns after the third (ui.js table): the
  // actions come third.
  const rows = users.map((u) => [
    el('span', null, el('strong', { text: u.username }), el('div', {
      class: 'small muted', text: u.disabled ? 'disabled' : (u.must_change ? 'must change password' : 'active'),
    })),
    el('span', { class: u.role === 'admin' ? 'tag new' : 'tag', text: u.role }),
    el('span', { class: 'actions' },
      el('button', { onclick: (ev) => { ev.stopPropagation(); editUser(u, reload); }, text: 'Edit' }),
      el('button', { onclick: (ev) => { ev.stopPropagation(); resetPassword(u, reload); }, text: 'Reset password' }),
      el('button', {
        dataset: { user: u.username },
        onclick: async (ev) => {
          ev.stopPropagation();
          try {
            await api('PATCH', `/api/v1/users/${u.id}`, { disabled: !u.disabled });
            toast(u.disabled ? `${u.username} enabled` : `${u.username} disabled; their sessions ended`);
            reload();
          } catch (e) { fail(e); }
        },
        text: u.disabled ? 'Enable' : 'Disable',
      })),
    u.display_name || '',
    u.email || '',
  ]);
  main.append(table(['User', 'Role', '', 'Name', 'E-mail'], rows, 'No accounts.'));
}

export function renderPassword(main) {
  const forced = S.me && S.me.must_change;
  const form = el('form', { class: 'panel', id: 'password-form' },
    forced ? el('div', { class: 'notice warn', id: 'password-forced', text: 'This password was set by someone else (the first start, or an admin). Choose your own before you go on.' }) : null,
    el('div', { class: 'grid-form' },
      field('Current password', 'old_password', '', { type: 'password', autocomplete: 'current-password', required: true }),
      field('New password (8+ characters, not a common one)', 'new_password', '', { type: 'password', autocomplete: 'new-password', required: true })),
    el('p', { class: 'error', id: 'password-error', role: 'alert' }),
    el('div', { class: 'dialog-actions' }, el('button', { type: 'submit', class: 'primary', text: 'Change password' })));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    form.querySelector('#password-error').textContent = '';
    try {
      await api('POST', '/api/v1/password', { old_password: val(form, 'old_password'), new_password: val(form, 'new_password') });
      S.me.must_change = false;
      toast('Password changed');
      if (forced) { // now the rest of the app starts
        history.replaceState(null, '', '#/live');
        await start();
      }
    } catch (e) {
      form.querySelector('#password-error').textContent = e.message;
    }
  });
  main.append(head('My password', `Signed in as ${S.me ? S.me.username : ''}`), form);
}
