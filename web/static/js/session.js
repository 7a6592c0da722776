/* Signing in and out: the login form, and starting the app for a session. */
import { S } from './state.js';
import { $, toast } from './ui.js';
import { api } from './api.js';
import { refreshBadges } from './badges.js';
import { startEvents, stopEvents } from './events.js';
import { route } from './router.js';

export function showLogin() {
  stopEvents();
  S.csrf = null;
  $('#app').hidden = true;
  $('#greeting-view').hidden = true;
  $('#login-view').hidden = false;
  $('#login-pass').focus();
}

export async function doLogin(ev) {
  ev.preventDefault();
  $('#login-error').textContent = '';
  try {
    const r = await api('POST', '/api/v1/login', {
      username: $('#login-user').value, password: $('#login-pass').value,
    });
    S.csrf = r.csrf_token;
    $('#login-pass').value = '';
    await start();
  } catch (e) {
    $('#login-error').textContent = e.status === 401 ? 'Wrong user name or password.' : e.message;
  }
}

export async function start() {
  try {
    S.me = await api('GET', '/api/v1/me');
  } catch (e) {
    return;
  }
  S.csrf = S.me.csrf_token;
  $('#login-view').hidden = true;
  $('#app').hidden = false;
  $('#device-name').textContent = S.me.device || 'Greeter';
  $('#user-name').textContent = S.me.username;
  // Until a password set by someone else is changed, only that page works.
  if (!S.me.must_change) {
    startEvents();
    refreshBadges();
  }
  // Admin-only pages and controls (marked data-admin) are not offered to desk
  // users (the API answers them 403): style.css hides them by the body's role.
  document.body.dataset.role = S.me.role;
  for (const a of document.querySelectorAll('#nav a[data-admin]')) a.hidden = S.me.role !== 'admin';
  if (S.me.must_change) toast('Choose your own password first.');
  route();
}
