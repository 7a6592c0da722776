/* The hash router: #/page/arg shows one page, rendered into #main by the
 * function registered for it (the table is set by app.js). */
import { S } from './state.js';
import { $, fail } from './ui.js';

let PAGES = {};

/* pages: { name: render(main, arg) }; unknown names show 'live'. */
export function setPages(pages) { PAGES = pages; }

export function route() {
  if (!S.csrf) return;
  const [, page = 'live', arg] = (location.hash || '#/live').split('/');
  // A password set by someone else is changed before any other page opens (issue 12).
  const name = S.me && S.me.must_change ? 'password' : (PAGES[page] ? page : 'live');
  S.page = name;
  // Leaving the Live page: end its video stream now, not when the browser gets round to it.
  const live = $('#live-img');
  if (live && name !== 'live') live.removeAttribute('src');
  for (const a of document.querySelectorAll('#nav a')) a.classList.toggle('active', a.dataset.page === name);
  $('#nav').classList.remove('open');
  if (name !== 'greeting') $('#greeting-view').hidden = true;
  const main = $('#main');
  main.replaceChildren();
  Promise.resolve(PAGES[name](main, arg)).catch(fail);
}
