/* A board of columns (leads by status, deals by stage) fitted to the
 * screen: the columns share its width (stacked on a phone), cards open a
 * detail panel on click and move between columns by drag and drop: HTML
 * drag and drop for a mouse, Pointer Events for a finger or a pen (hold
 * the card a moment, then drag it; a tap still opens it). */
import { el } from './ui.js';

/* columns: [{key, label, total, items}]; card(item) -> element with
 * dataset.id; canDrag(item); onDrop(id, toKey) moves one. */
export function renderBoard(board, attr, columns, { card, canDrag, onDrop }) {
  board.replaceChildren(...columns.map((c) => {
    const col = el('div', { class: 'column', dataset: { [attr]: c.key } },
      el('h3', null, el('span', { text: c.label }), el('span', { class: 'col-total', text: c.total })),
      ...c.items.map((it) => {
        const e = card(it);
        if (canDrag(it)) {
          e.draggable = true;
          e.classList.add('draggable');
          e.addEventListener('dragstart', (ev) => {
            ev.dataTransfer.setData('text/plain', String(it.id));
            ev.dataTransfer.effectAllowed = 'move';
            board.dataset.from = c.key;
            e.classList.add('dragging');
          });
          e.addEventListener('dragend', () => e.classList.remove('dragging'));
          touchDrag(board, attr, e, it.id, c.key, onDrop);
        }
        return e;
      }));
    col.addEventListener('dragover', (ev) => {
      if (board.dataset.from === c.key) return;
      ev.preventDefault();
      ev.dataTransfer.dropEffect = 'move';
      col.classList.add('drop');
    });
    col.addEventListener('dragleave', (ev) => { if (!col.contains(ev.relatedTarget)) col.classList.remove('drop'); });
    col.addEventListener('drop', (ev) => {
      ev.preventDefault();
      col.classList.remove('drop');
      const id = Number(ev.dataTransfer.getData('text/plain'));
      if (id && board.dataset.from !== c.key) onDrop(id, c.key);
    });
    return col;
  }));
}

const HOLD_MS = 200;  /* a finger held this long on a card picks it up */
const SLOP_PX = 8;    /* moved further before that: the page scrolls, or a tap */
const EDGE_PX = 56;   /* a dragged card this near the window's top or bottom scrolls it */

/* The column of a board under a point, or null. */
function columnAt(board, x, y) {
  const hit = document.elementFromPoint(x, y);
  const col = hit && hit.closest('.column');
  return col && board.contains(col) ? col : null;
}

/* Drag a card with a finger or a pen (Pointer Events): held HOLD_MS without
 * moving SLOP_PX it follows the pointer and drops on the column under it
 * (onDrop(id, key)); a shorter touch is a tap (the click opens the card),
 * an earlier move scrolls the page as usual. The mouse keeps HTML drag and
 * drop. The state lives in this closure, one per card. */
function touchDrag(board, attr, card, id, fromKey, onDrop) {
  let pid = null, x0 = 0, y0 = 0, timer = 0, live = false, over = null, lastY = 0, scroller = 0;
  let quietUntil = 0;  /* the click that may follow a drag does not open the card */
  card.addEventListener('click', (ev) => {
    if (Date.now() < quietUntil) { ev.stopImmediatePropagation(); ev.preventDefault(); }
  }, { capture: true });
  const stop = () => {
    clearTimeout(timer);
    clearInterval(scroller);
    window.removeEventListener('pointermove', move);
    window.removeEventListener('pointerup', up);
    window.removeEventListener('pointercancel', cancel);
    card.classList.remove('dragging', 'touch-drag');
    card.style.transform = '';
    if (over) over.classList.remove('drop');
    over = null;
    card.draggable = true;
    pid = null;
  };
  const block = (ev) => { if (live && ev.cancelable) ev.preventDefault(); };
  const pick = () => {
    live = true;
    card.classList.add('dragging', 'touch-drag');
    scroller = setInterval(() => {
      if (lastY < EDGE_PX) window.scrollBy(0, -12);
      else if (lastY > window.innerHeight - EDGE_PX) window.scrollBy(0, 12);
    }, 30);
  };
  function move(ev) {
    if (ev.pointerId !== pid) return;
    const dx = ev.clientX - x0, dy = ev.clientY - y0;
    if (!live) {
      if (Math.hypot(dx, dy) > SLOP_PX) stop(); /* a scroll, not a drag */
      return;
    }
    ev.preventDefault();
    lastY = ev.clientY;
    card.style.transform = `translate(${dx}px, ${dy}px)`;
    const col = columnAt(board, ev.clientX, ev.clientY);
    const target = col && !col.contains(card) ? col : null;
    if (target !== over) {
      if (over) over.classList.remove('drop');
      if (target) target.classList.add('drop');
      over = target;
    }
  }
  function up(ev) {
    if (ev.pointerId !== pid) return;
    const was = live, col = over;
    stop();
    live = false;
    if (!was) return; /* a tap: the click follows and opens the card */
    quietUntil = Date.now() + 500;
    const key = col && col.dataset[attr];
    if (key && key !== fromKey) onDrop(id, key);
  }
  function cancel(ev) { if (ev.pointerId === pid) { stop(); live = false; } }
  card.addEventListener('pointerdown', (ev) => {
    if (ev.pointerType === 'mouse' || pid !== null || ev.button > 0) return;
    pid = ev.pointerId;
    x0 = ev.clientX; y0 = ev.clientY; lastY = y0;
    live = false;
    /* No HTML drag on a long press (a phone's own drag and drop). */
    card.draggable = false;
    timer = setTimeout(pick, HOLD_MS);
    window.addEventListener('pointermove', move, { passive: false });
    window.addEventListener('pointerup', up);
    window.addEventListener('pointercancel', cancel);
  });
  card.addEventListener('touchmove', block, { passive: false }); /* no scroll under a dragged card */
  card.addEventListener('contextmenu', (ev) => { if (pid !== null) ev.preventDefault(); });
}

/* The timeline of a record: GET .../activity, newest first. */
export function timeline(items) {
  if (!items.length) return el('p', { class: 'muted', text: 'No history yet.' });
  return el('ol', { class: 'timeline' }, ...items.map((a) => {
    let what = a.kind;
    const d = a.detail || {};
    if (d.from && d.to) what = `${a.kind}: ${d.from} → ${d.to}`;
    return el('li', null, el('span', { class: 'muted small', text: new Date(a.at).toLocaleString() }), ' ',
      el('span', { text: what }), a.actor ? el('span', { class: 'muted small', text: ` · ${a.actor}` }) : null);
  }));
}
