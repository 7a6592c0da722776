/* A board of columns (leads by status, deals by stage) fitted to the
 * screen: the columns share its width (stacked on a phone), cards open a
 * detail panel on click and move between columns by drag and drop. */
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
