/* DOM helpers shared by the pages: element builder, toast, dialogs, form
 * fields, page head, tables. Every value goes into the page as text
 * (textContent), never as HTML. */

export const $ = (sel, root = document) => root.querySelector(sel);

export function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') e.className = v;
      else if (k === 'text') e.textContent = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else if (k === 'dataset') Object.assign(e.dataset, v);
      else if (v === true) e.setAttribute(k, '');
      else e.setAttribute(k, v);
    }
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

export function toast(msg, bad) {
  const t = $('#toast');
  t.textContent = msg;
  t.className = 'toast show' + (bad ? ' bad' : '');
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { t.className = 'toast'; }, bad ? 5000 : 2500);
}

export function fail(e) { toast(e.message || String(e), true); }

export function debounce(fn, ms) {
  let t;
  return (...a) => { clearTimeout(t); t = setTimeout(() => fn(...a), ms); };
}

export function dialog(title, body, okText = 'Save') {
  const d = $('#dialog');
  $('#dialog-title').textContent = title;
  const b = $('#dialog-body');
  b.replaceChildren(body);
  $('#dialog-error').textContent = '';
  $('#dialog-ok').textContent = okText || '';
  $('#dialog-ok').hidden = !okText;
  $('#dialog-cancel').textContent = okText ? 'Cancel' : 'Close';
  d.showModal();
  return new Promise((resolve) => onOwnClose(d, () => resolve(d.returnValue === 'ok')));
}

/* The one #dialog is reused: each opening is numbered. */
let openings = 0;

/* Run done once when the dialog, opened just now, closes. A close event is
 * queued, not sent at once: the event of a dialog closed just before this
 * one opened (a detail view whose Edit opens an edit dialog) arrives while
 * this one is open and is the latest opening: not ours. Ours may arrive
 * after a newer one opened: then it is ours. */
function onOwnClose(d, done) {
  const mine = ++openings;
  const onClose = () => {
    if (d.open && openings === mine) return;
    d.removeEventListener('close', onClose);
    done();
  };
  d.addEventListener('close', onClose);
}

/* A dialog whose OK runs `save`; stays open and shows the error when it fails. */
export function editDialog(title, body, save, okText) {
  const d = $('#dialog');
  $('#dialog-title').textContent = title;
  $('#dialog-body').replaceChildren(body);
  $('#dialog-error').textContent = '';
  $('#dialog-ok').textContent = okText || 'Save';
  $('#dialog-ok').hidden = false;
  $('#dialog-cancel').textContent = 'Cancel';
  const ok = $('#dialog-ok');
  const handler = async (ev) => {
    ev.preventDefault();
    ok.disabled = true;
    try {
      await save();
      d.close('ok');
    } catch (e) {
      $('#dialog-error').textContent = e.message;
    } finally {
      ok.disabled = false;
    }
  };
  ok.addEventListener('click', handler);
  d.showModal();
  onOwnClose(d, () => ok.removeEventListener('click', handler));
}

export function field(label, name, value, attrs = {}) {
  const { full, textarea, ...rest } = attrs;
  const input = textarea
    ? el('textarea', { name, ...rest }, value || '')
    : el('input', { name, value: value ?? '', ...rest });
  return el('label', { class: full ? 'full' : null }, label, input);
}

export function head(title, sub, ...actions) {
  return el('div', { class: 'page-head' },
    el('div', null, el('h1', { text: title }), sub ? el('div', { class: 'muted', text: sub }) : null),
    el('div', { class: 'actions' }, ...actions));
}

export function stat(n, l) { return el('div', { class: 'stat' }, el('div', { class: 'n', text: n }), el('div', { class: 'l', text: l })); }

/* A list's pager: "11–20 of 57", Previous and Next; go(offset) shows that page. */
export function pageControls(offset, limit, shown, total, go) {
  return [
    el('span', { class: 'muted', text: total ? `${offset + 1}–${offset + shown} of ${total}` : '' }),
    el('button', { disabled: offset === 0, onclick: () => go(Math.max(0, offset - limit)), text: '‹ Previous' }),
    el('button', { disabled: offset + limit >= total, onclick: () => go(offset + limit), text: 'Next ›' })];
}

export function table(headers, rows, empty, onRow) {
  if (!rows.length) return el('div', { class: 'panel empty', text: empty || 'Nothing here yet.' });
  return el('div', { class: 'table-wrap' }, el('table', null,
    el('thead', null, el('tr', null, ...headers.map((h, i) => el('th', { class: i > 2 ? 'opt' : null, text: h })))),
    el('tbody', null, ...rows.map((r, idx) => el('tr', {
      class: onRow ? 'clickable' : null, onclick: onRow ? () => onRow(idx) : null,
    }, ...r.map((c, i) => el('td', { class: i > 2 ? 'opt' : null }, c)))))));
}
