/* Greeter web UI. Plain JavaScript modules, no framework, no bundler: a hash
 * router (js/router.js), one module per page (js/pages/), the JSON API of
 * docs/API.md (js/api.js), server-sent events for the live greeting feed
 * (js/events.js). Every value from the server is put into the page as text
 * (textContent), never as HTML. This file wires them together. */
import { $ } from './js/ui.js';
import { api, onUnauthorized } from './js/api.js';
import { setPages, route } from './js/router.js';
import { doLogin, showLogin, start } from './js/session.js';
import { renderLive } from './js/pages/live.js';
import { renderVisitors } from './js/pages/visitors.js';
import { renderContacts } from './js/pages/contacts.js';
import { renderCompanies } from './js/pages/companies.js';
import { renderLeads } from './js/pages/leads.js';
import { renderDeals } from './js/pages/deals.js';
import { renderScan } from './js/pages/scan.js';
import { renderFaces } from './js/pages/faces.js';
import { renderGreeting } from './js/pages/greeting.js';
import { renderSettings } from './js/pages/settings.js';
import { renderSystem } from './js/pages/system.js';
import { renderNotifications } from './js/pages/notifications.js';
import { renderPassword, renderUsers } from './js/pages/users.js';

setPages({
  live: renderLive, visitors: renderVisitors, contacts: renderContacts, companies: renderCompanies,
  leads: renderLeads, deals: renderDeals, scan: renderScan, faces: renderFaces, greeting: renderGreeting,
  settings: renderSettings, system: renderSystem, notifications: renderNotifications,
  users: renderUsers, password: renderPassword,
});
onUnauthorized(showLogin);

document.addEventListener('DOMContentLoaded', () => {
  $('#login-form').addEventListener('submit', doLogin);
  $('#logout').addEventListener('click', async () => {
    try { await api('POST', '/api/v1/logout'); } catch (e) { /* signed out anyway */ }
    showLogin();
  });
  $('#menu-toggle').addEventListener('click', () => $('#nav').classList.toggle('open'));
  // The greeting screen's exit is for staff: a tap in the top right corner (or Escape) shows it for 5 s.
  const revealExit = () => {
    $('#greeting-exit').hidden = false;
    clearTimeout(revealExit.t);
    revealExit.t = setTimeout(() => { $('#greeting-exit').hidden = true; }, 5000);
  };
  $('#greeting-corner').addEventListener('click', revealExit);
  document.addEventListener('keydown', (ev) => { if (ev.key === 'Escape' && !$('#greeting-view').hidden) revealExit(); });
  $('#greeting-exit').addEventListener('click', () => {
    $('#greeting-exit').hidden = true;
    if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
    location.hash = '#/live';
  });
  window.addEventListener('hashchange', route);
  fetch('/api/v1/me', { credentials: 'same-origin' }).then((r) => (r.ok ? start() : showLogin())).catch(showLogin);
});
