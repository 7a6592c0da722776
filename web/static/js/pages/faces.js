/* Faces: enrol a face with consent, list who the camera can recognise, open
 * one identity and correct it ("this is ...", "not this person", merge,
 * delete a template), erase a face on request (optionally for good, with a
 * suppression entry). */
import { $, debounce, dialog, el, fail, head, pageControls, toast } from '../ui.js';
import { fullName, when } from '../format.js';
import { api } from '../api.js';

function initials(name) {
  const parts = String(name || '?').split(/\s+/).filter(Boolean);
  return ((parts[0] || '?')[0] + (parts.length > 1 ? parts[parts.length - 1][0] : '')).toUpperCase();
}

/* The enrolled face cut from the photo, to confirm it is the right one. */
async function faceCrop(blob, box) {
  const c = el('canvas', { class: 'face-confirm', width: 120, height: 120, 'aria-label': 'The enrolled face' });
  try {
    const img = await createImageBitmap(blob);
    const [x, y, w, h] = box, m = 0.25 * Math.max(w, h);
    c.getContext('2d').drawImage(img, x - m, y - m, w + 2 * m, h + 2 * m, 0, 0, 120, 120);
  } catch (e) { /* the notice says enough */ }
  return el('div', { class: 'row' }, c, el('span', { class: 'small muted', text: 'The face that was enrolled. Not the right one? Open it below and erase it.' }));
}

/* The face the live camera gave, as the server cut it from the frame (base64
 * JPEG in the answer, stored nowhere), to confirm it is the right person. */
function cameraFace(b64) {
  const img = el('img', { class: 'face-confirm', width: 120, height: 120, alt: 'The enrolled face', src: 'data:image/jpeg;base64,' + b64 });
  return el('div', { class: 'row' }, img, el('span', { class: 'small muted', text: 'The face the camera took. Not the right one? Open it below and erase it.' }));
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
    out.replaceChildren(); // the last answer goes at once: what follows is this one's
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
      out.replaceChildren(el('div', { class: 'notice ok', text: r.named_existing
        ? `The camera already knew this face (face #${r.person_id}): it is now ${r.label}.`
        : `Enrolled ${r.label} (face #${r.person_id}).` }));
      if (fromCamera && r.face_jpeg) out.append(cameraFace(r.face_jpeg));
      else if (!fromCamera && r.box) out.append(await faceCrop(file.files[0], r.box));
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
        f.suppressed ? el('span', { class: 'tag warn', text: 'do not record' })
          : f.known || f.contact_id ? el('span', { class: 'tag ret', text: 'enrolled' }) : el('span', { class: 'tag', text: 'visitor' })),
      el('div', { class: 's', text: facts.join(' · ') }),
      el('div', { class: 's', text: `${f.known || f.contact_id ? 'Enrolled' : 'First seen'} ${when(f.created_at)}${f.last_seen ? ' · last seen ' + when(f.last_seen) : ''}` }),
      el('div', { class: 'row' },
        el('button', { class: 'open-face', onclick: () => openFace(f.id, () => load()).catch(fail), text: 'Open' }),
        el('button', { class: 'danger erase-face', 'data-admin': true, onclick: () => eraseFace(f, () => load()).catch(fail), text: 'Erase face' })));
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

/* Erase, with the choice of a suppression entry spelled out. */
async function eraseFace(f, after) {
  const name = f.contact_name || f.label || `Face #${f.id}`;
  const suppress = el('input', { type: 'checkbox', id: 'erase-suppress' });
  const body = el('div', { class: 'erase-body' },
    el('p', { text: `The face of ${name} is erased: ${f.templates} template(s) and every snapshot.${f.contact_id ? ' The contact is kept.' : ''}` }),
    el('label', { class: 'check' }, suppress, 'The person asks not to be recorded again'),
    el('p', { class: 'muted small', id: 'erase-effect', text: 'Without this, the camera will treat the person as a new unknown visitor the next time they walk past, and store them again.' }));
  suppress.addEventListener('change', () => {
    $('#erase-effect').textContent = suppress.checked
      ? 'A suppression entry keeps only face templates — no name, no pictures, no visits, no lead — so the camera recognises the face and stores nothing. It is listed on this page and in the audit log.'
      : 'Without this, the camera will treat the person as a new unknown visitor the next time they walk past, and store them again.';
  });
  if (!await dialog(`Erase the face of ${name}?`, body, 'Erase')) return;
  const r = await api('DELETE', `/api/v1/faces/${f.id}${suppress.checked ? '?suppress=true' : ''}`);
  toast(r.suppression_id ? `Face erased; suppression entry #${r.suppression_id} keeps it from being stored again`
    : `Face erased: ${r.templates} template(s), ${r.snapshots} snapshot(s)`);
  if (after) await after();
}

/* One identity: its snapshot, visits and templates, and the corrections. */
async function openFace(id, after) {
  const f = await api('GET', `/api/v1/faces/${id}`);
  const name = f.contact_name || f.label || `Face #${f.id}`;
  const reopen = async (next) => { $('#dialog').close(); if (after) await after(); if (next) await openFace(next, after); };
  const act = (fn) => async () => { try { await fn(); } catch (e) { $('#dialog-error').textContent = e.message; } };

  const visits = el('div', { class: 'face-visits' }, ...(f.visits.length ? f.visits.map((v) => {
    const to = el('input', { type: 'number', min: 1, placeholder: 'face #', 'aria-label': 'The right face id (empty: a new visitor)', class: 'face-to' });
    return el('div', { class: 'face-visit', dataset: { visit: v.id } },
      el('span', { text: `${when(v.started_at)}${v.is_new ? ' · first visit' : ''}${v.distance ? ' · distance ' + Number(v.distance).toFixed(2) : ''}` }),
      el('span', { class: 'row' }, to, el('button', {
        class: 'not-this', text: 'Not this person',
        onclick: act(async () => {
          const r = await api('POST', `/api/v1/faces/${f.id}/not-this`, { visit_id: v.id, person_id: Number(to.value) || null });
          toast(`The visit is now ${r.label}'s`);
          await reopen(r.id); /* where it went */
        }),
      })));
  }) : [el('div', { class: 'muted small', text: 'No visits.' })]));

  const templates = el('div', { class: 'face-templates' }, ...f.template_list.map((t) => el('div', { class: 'face-template', dataset: { template: t.id } },
    el('span', { text: `#${t.id} · ${t.source} · ${when(t.created_at)}` }),
    el('button', { class: 'danger delete-template', text: 'Delete', onclick: act(async () => {
      await api('DELETE', `/api/v1/faces/${f.id}/templates/${t.id}`);
      toast('Template deleted');
      await reopen(f.id);
    }) }))));

  const picker = contactPicker();
  const consent = el('input', { type: 'checkbox', id: 'link-consent' });
  const link = el('div', { class: 'face-link' },
    el('h3', { text: 'This is …' }), picker.box,
    el('label', { class: 'check' }, consent, 'The person agreed to face recognition'),
    el('button', { class: 'primary link-face', text: 'Link to this contact', onclick: act(async () => {
      const cid = picker.value();
      if (!cid) throw new Error('Choose the contact first.');
      if (!consent.checked) throw new Error('Record the person\'s consent first.');
      await api('PATCH', `/api/v1/contacts/${cid}`, { consent_face: true });
      const r = await api('POST', `/api/v1/faces/${f.id}/link`, { contact_id: cid });
      toast(`Linked: the camera now greets ${r.label}`);
      await reopen(f.id);
    }) }));

  const other = el('input', { type: 'number', min: 1, placeholder: 'face #', 'aria-label': 'The other face id', id: 'merge-from' });
  const merge = el('div', { class: 'face-merge' },
    el('h3', { text: 'Merge' }),
    el('p', { class: 'muted small', text: 'The same person as another face? Its visits and templates join this one.' }),
    el('span', { class: 'row' }, other, el('button', { class: 'merge-face', text: 'Merge into this face', onclick: act(async () => {
      const from = Number(other.value);
      if (!from) throw new Error('Give the other face\'s number.');
      await api('POST', `/api/v1/faces/${f.id}/merge`, { from });
      toast('Merged');
      await reopen(f.id);
    }) })));

  const body = el('div', { class: 'face-detail' },
    el('div', { class: 'face-top' },
      f.snapshot ? el('img', { class: 'face-thumb', alt: '', src: `/api/v1/faces/${f.id}/snapshot` }) : el('div', { class: 'face-thumb none', text: initials(name) }),
      el('div', null,
        el('div', { class: 't', text: `${name} · face #${f.id}` }),
        el('div', { class: 'small muted', text: f.suppressed ? 'Suppression entry: recognised only so that nothing is stored'
          : f.contact_id ? `Linked to ${f.contact_name || 'a contact'}` : f.known ? 'Enrolled, no contact' : 'Unknown visitor' }))),
    el('h3', { text: `Visits (${f.visit_count})` }), visits,
    el('h3', { text: `Templates (${f.template_list.length})` }), templates,
    f.suppressed ? null : link, f.suppressed ? null : merge,
    el('div', { class: 'dialog-actions' }, el('button', { class: 'danger', 'data-admin': true, text: 'Erase face…', onclick: act(async () => {
      $('#dialog').close();
      await eraseFace({ ...f, templates: f.template_list.length }, after);
    }) })));
  dialog(name, body, null);
}
