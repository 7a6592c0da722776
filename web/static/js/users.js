/* The responsible-user picker: the users of GET /api/v1/users as a select
 * box, or a free text field (a user name) while the board has no such
 * endpoint (it answers 404) or it fails. */
import { el } from './ui.js';
import { api } from './api.js';

let users;

export async function loadUsers() {
  if (users !== undefined) return users;
  try {
    const r = await api('GET', '/api/v1/users');
    users = (Array.isArray(r) ? r : (r && r.items) || []).filter((u) => !u.disabled);
  } catch (e) {
    users = null; // 404 before accounts exist: type a user name instead
  }
  return users;
}

/* A labelled field named `name` holding a user name ('' = nobody). */
export async function userField(label, name, value, attrs = {}) {
  const list = await loadUsers();
  let input;
  if (list && list.length) {
    const names = list.map((u) => u.username);
    input = el('select', { name, ...attrs }, el('option', { value: '', text: '— nobody —' }),
      ...list.map((u) => el('option', { value: u.username, selected: u.username === value, text: u.display_name || u.username })),
      value && !names.includes(value) ? el('option', { value, selected: true, text: value }) : null);
  } else {
    input = el('input', { name, value: value || '', placeholder: 'user name', autocomplete: 'off', ...attrs });
  }
  return el('label', { class: attrs.full ? 'full' : null }, label, input);
}
