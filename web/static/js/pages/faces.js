/* Faces: enrol a face with consent, list who the camera can recognise,
 * erase a face on request. */
import { debounce, el, fail, head, pageControls, toast } from '../ui.js';
import { fullName, when } from '../format.js';
import { api } from '../api.js';

function initials(name) {
  const parts = String(name || '?').split(/\s+/).filter(Boolean);
  return ((parts[0] || '?')[0] + (parts.length > 1 ? parts[parts.length - 1][0] : '')).toUpperCase();
}

/* A contact picker: a search box and the matching contacts in a list. */
function contactPicker() {
  const q = el('input', { type: 'search', placeholder: 'Search a contact (optional)', 'aria-label': 'Contact' });
  const pick = el('select', { 'aria-label': 'Matching contacts' }, el('option', { value: '', text: '— no contact —' }));
  const search = debounce(async () => {
    const text = q.value.trim();
    if (!text) { pick.replaceChildren(el('option', { value: '', text: '— no contact —' })); return; }
    try {
      const r = await api('GET', `/api/v1/contacts?limit=8&q=${encodeURIComponent(text)}`);
      pick.replaceChildren(el('option', { value: '', text: r.items.length ? '— choose —' : 'no contact matches' }),
        ...r.items.map((c) => el('option', { value: c.id, text: `${fullName(c)}${c.company ? ' · ' + c.company : ''}` })));
      if (r.items.length === 1) pick.value = String(r.items[0].id);
    } catch (e) { fail(e); }
  }, 250);
  q.addEventListener('input', search);
  return { box: el('div', { class: 'picker' }, q, pick), value: () => Number(pick.value) || null, pick };
}

export async function renderFaces(main) {
  const file = el('input', { type: 'file', accept: 'image/*', capture: 'user', id: 'face-file' });
  const label = el('input', { id: 'face-label', placeholder: 'Name, e.g. Anna Schmidt' });
  const contact = contactPicker();
  const consent = el('input', { type: 'checkbox', id: 'face-consent' });
  const out = el('div');
  const enrol = async (fromCamera) => {
    if (!consent.checked) { toast('Record the person\'s consent first.', true); return; }
    const cid = contact.value();
    if (!label.value.trim() && !cid) { toast('Give a name or choose a contact.', true); return; }
    try {
      let r;
      if (fromCamera) {
        r = await api('POST', '/api/v1/faces', { label: label.value.trim(), consent: true, contact_id: cid, from_camera: true });
      } else {
        const f = file.files[0];
        if (!f) { toast('Choose a photo first.', true); return; }
        const qs = `?consent=true&label=${encodeURIComponent(label.value.trim())}${cid ? '&contact_id=' + cid : ''}`;
        r = await api('POST', '/api/v1/faces' + qs, f, { type: /png$/i.test(f.type) ? 'image/png' : 'image/jpeg' });
      }
      out.replaceChildren(el('div', { class: 'notice ok', text: `Enrolled ${r.label} (face #${r.person_id}).` }));
      consent.checked = false;
      load().catch(fail);
    } catch (e) {
      out.replaceChildren(el('div', { class: 'notice warn', text: e.code === 'no_face' ? 'No usable face in that picture. Try a sharper, frontal one.' : e.message }));
    }
  };

  let kind = 'enrolled', offset = 0;
  const limit = 24;
  const q = el('input', { type: 'search', placeholder: 'Search names', 'aria-label': 'Search faces' });
  const tabs = el('div', { class: 'seg', role: 'tablist' });
  const KINDS = [['enrolled', 'Enrolled'], ['visitors', 'Unknown visitors'], ['all', 'All']];
  const drawTabs = () => tabs.replaceChildren(...KINDS.map(([k, t]) => el('button', {
    class: k === kind ? 'on' : null, role: 'tab', 'aria-selected': k === kind ? 'true' : 'false',
    onclick: () => { kind = k; offset = 0; drawTabs(); load().catch(fail); }, text: t,
  })));
  drawTabs();
  const grid = el('div', { class: 'face-grid', id: 'face-grid' });
  const pager = el('div', { class: 'pager' });

  main.append(head('Faces', 'Everyone the camera can recognise — enrol with consent, erase on request'),
    el('div', { class: 'faces-layout' },
      el('div', { class: 'panel' }, el('h2', { text: 'Enrol a face' }),
        el('label', null, 'Name', label), el('label', null, 'Link to contact', contact.box),
        el('label', null, 'Photo', file),
        el('label', { class: 'check' }, consent, 'The person agreed to face recognition'),
        el('p', { class: 'muted small', text: 'Without consent nothing is stored. The live camera takes the newest frame: ask the person to look at it.' }),
        el('div', { class: 'dialog-actions' },
          el('button', { onclick: () => enrol(true), text: 'Use the live camera' }),
          el('button', { class: 'primary', onclick: () => enrol(false), text: 'Enrol from photo' })), out),
      el('div', null,
        el('div', { class: 'face-tools' }, tabs, q),
        grid, pager)));

  function faceCard(f) {
    const name = f.contact_name || f.label || `Face #${f.id}`;
    const thumb = f.snapshot
      ? el('img', { class: 'face-thumb', alt: '', loading: 'lazy', src: `/api/v1/faces/${f.id}/snapshot` })
      : el('div', { class: 'face-thumb none', 'aria-hidden': 'true', text: initials(name) });
    const facts = [`${f.templates} template${f.templates === 1 ? '' : 's'}`];
    if (f.visit_count) facts.push(`${f.visit_count} visit${f.visit_count === 1 ? '' : 's'}`);
    return el('div', { class: 'card face-card', dataset: { id: f.id } },
      el('div', { class: 'face-top' }, thumb,
        el('div', { class: 'face-id' },
          el('div', { class: 't', text: name }),
          f.contact_id ? el('a', { class: 'small', href: `#/contacts/${f.contact_id}`, text: 'Open contact' })
            : el('div', { class: 'small muted', text: f.known ? 'no contact linked' : 'unknown visitor' }))),
      el('div', { class: 'face-tags' },
        el('span', { class: 'tag ' + (f.consent ? 'new' : 'warn'), text: f.consent ? 'consent' : 'no consent' }),
        f.known || f.contact_id ? el('span', { class: 'tag ret', text: 'enrolled' }) : el('span', { class: 'tag', text: 'visitor' })),
      el('div', { class: 's', text: facts.join(' · ') }),
      el('div', { class: 's', text: `${f.known || f.contact_id ? 'Enrolled' : 'First seen'} ${when(f.created_at)}${f.last_seen ? ' · last seen ' + when(f.last_seen) : ''}` }),
      el('div', { class: 'row' }, el('button', {
        class: 'danger', onclick: async () => {
          const keep = f.contact_id ? ` The contact ${f.contact_name || ''} is kept.` : '';
          if (!confirm(`Erase the face of ${name}? Its ${f.templates} template(s) and snapshots are deleted and it is no longer recognised.${keep}`)) return;
          try {
            const r = await api('DELETE', `/api/v1/faces/${f.id}`);
            toast(`Face erased: ${r.templates} template(s), ${r.snapshots} snapshot(s)`);
            load().catch(fail);
          } catch (e) { fail(e); }
        }, text: 'Erase face',
      })));
  }

  async function load() {
    const r = await api('GET', `/api/v1/faces?kind=${kind}&limit=${limit}&offset=${offset}&q=${encodeURIComponent(q.value.trim())}`);
    const empty = q.value.trim() ? 'Nobody matches.' : kind === 'visitors' ? 'No unknown visitors remembered.' : 'No faces enrolled yet.';
    grid.replaceChildren(...(r.items.length ? r.items.map(faceCard) : [el('div', { class: 'panel empty', text: empty })]));
    pager.replaceChildren(...pageControls(offset, limit, r.items.length, r.total, (o) => { offset = o; load().catch(fail); }));
  }
  q.addEventListener('input', debounce(() => { offset = 0; load().catch(fail); }, 250));
  await load();
}
