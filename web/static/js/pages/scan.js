/* Scan card, phone first (the booth): a full-width camera button; after a
 * scan a small thumbnail and the fields in view; a qualification strip
 * saved with the lead (hot/warm/cold, 1-5 stars, interest tags from the
 * booth.interests setting, a note, a follow-up date); the event of the day
 * (booth.event) tagged on every lead; "Save and scan next"; "Update" when
 * the card matches a known contact; the face from the live camera. */
import { S } from '../state.js';
import { $, el, fail, head, toast } from '../ui.js';
import { fullName, list, phonesFrom, phonesText } from '../format.js';
import { api } from '../api.js';

const CARD_FIELDS = [['given_name', 'Given name'], ['family_name', 'Family name'], ['title', 'Job title'],
  ['company', 'Company'], ['emails', 'E-mails'], ['phones', 'Phones'], ['websites', 'Websites'], ['address', 'Address']];
const TEMPERATURES = [['hot', 'Hot'], ['warm', 'Warm'], ['cold', 'Cold']];

/* Worth a second look? The reader says so per field with "confident"
 * (false: check it; no key: nothing to say), or, from older readers, a
 * confidence 0..1 per field ("name" covers the given and family name)
 * where a filled-in field below 0.8 is low. */
export function lowConfidence(card, name, value) {
  const nameKey = (o) => ((name === 'given_name' || name === 'family_name') && o && !(name in o) ? 'name' : name);
  if (card.confident && typeof card.confident === 'object') return card.confident[nameKey(card.confident)] === false;
  if (!value) return false;
  const c = card.confidence || {};
  if (typeof c[nameKey(c)] === 'number') return c[nameKey(c)] < 0.8;
  if (Array.isArray(card.low_confidence)) return card.low_confidence.includes(name);
  return false;
}

export async function renderScan(main) {
  const booth = await api('GET', '/api/v1/booth').catch(() => ({ event: '', interests: [] }));
  const file = el('input', { id: 'scan-file', class: 'visually-hidden', type: 'file', accept: 'image/*', capture: 'environment' });
  const camera = el('label', { class: 'button primary camera-btn', for: 'scan-file', id: 'scan-camera' },
    el('span', { class: 'cam-ic', 'aria-hidden': 'true' }), 'Scan a card');
  const status = el('span', { class: 'muted', id: 'scan-status', text: 'On a phone this opens the camera; several cards in one photo are fine.' });
  const thumb = el('img', { class: 'scan-thumb', id: 'scan-thumb', alt: 'Card photo', hidden: true });
  const review = el('div', { id: 'scan-review' });
  const saved = el('ul', { id: 'scan-saved', class: 'scan-saved' });
  const eventBar = eventEditor(booth);
  const drop = el('div', { class: 'scan-drop' }, file, camera, el('div', { class: 'scan-status' }, thumb, status));
  main.append(head('Scan card', 'Card → contact and lead in one step'), eventBar, drop, review, saved);
  const ctx = { booth, file, review, saved, camera, eventBar };
  file.addEventListener('change', async () => {
    const f = file.files[0];
    if (!f) return;
    thumb.src = URL.createObjectURL(f);
    thumb.hidden = false;
    drop.classList.add('busy');
    status.textContent = 'Reading the card…';
    review.replaceChildren();
    try {
      const type = /png$/i.test(f.type) ? 'image/png' : 'image/jpeg';
      const r = await api('POST', '/api/v1/scans', f, { type });
      status.textContent = `${r.cards.length} card(s) found.`;
      S.lastScan = r;
      r.cards.forEach((card, i) => review.append(reviewCard(ctx, card, r.image_token, i, r.cards.length)));
    } catch (e) {
      status.textContent = e.code === 'no_card' ? 'No card found in this photo. Try again closer, with even light.' : e.message;
      review.append(reviewCard(ctx, {}, null, 0, 1, true));
    } finally {
      drop.classList.remove('busy');
      file.value = '';
      // The fields, not the photo, belong in view now.
      const first = review.querySelector('.scan-card');
      if (first) first.scrollIntoView({ block: 'start' });
    }
  });
}

/* The event of the day: shown above the camera button, changed in place
 * (the booth.event setting, saved like the Settings page saves). */
function eventEditor(booth) {
  const name = el('strong', { id: 'booth-event', text: booth.event || 'none' });
  const input = el('input', { id: 'booth-event-input', value: booth.event || '', placeholder: 'e.g. Hannover Messe, day 2', 'aria-label': 'Event' });
  const form = el('div', { class: 'event-edit', hidden: true }, input,
    el('button', {
      class: 'primary', id: 'booth-event-save', onclick: async () => {
        try {
          await api('PATCH', '/api/v1/settings', { 'booth.event': input.value.trim() });
          booth.event = input.value.trim();
          name.textContent = booth.event || 'none';
          form.hidden = true;
          toast(booth.event ? `Leads are tagged "${booth.event}"` : 'No event tag');
        } catch (e) { fail(e); }
      }, text: 'Set',
    }));
  return el('div', { class: 'event-bar' }, el('span', null, 'Event: ', name),
    el('button', { class: 'ghost', id: 'booth-event-edit', onclick: () => { form.hidden = !form.hidden; input.focus(); }, text: 'Change' }),
    form);
}

/* The qualification strip of one card; .value() gives the lead's fields. */
function qualification(booth, i) {
  let temperature = '', rating = 0;
  const chosen = new Set();
  const seg = el('div', { class: 'seg temp', role: 'group', 'aria-label': 'Temperature' });
  const drawSeg = () => seg.replaceChildren(...TEMPERATURES.map(([k, t]) => el('button', {
    type: 'button', class: (temperature === k ? 'on ' : '') + k, dataset: { temp: k }, 'aria-pressed': String(temperature === k),
    onclick: () => { temperature = temperature === k ? '' : k; drawSeg(); }, text: t,
  })));
  const stars = el('div', { class: 'stars', role: 'group', 'aria-label': 'Rating' });
  const drawStars = () => stars.replaceChildren(...[1, 2, 3, 4, 5].map((n) => el('button', {
    type: 'button', class: 'star' + (n <= rating ? ' on' : ''), dataset: { star: n }, 'aria-label': `${n} star${n > 1 ? 's' : ''}`,
    onclick: () => { rating = rating === n ? 0 : n; drawStars(); }, text: n <= rating ? '★' : '☆',
  })));
  const tags = el('div', { class: 'chips', role: 'group', 'aria-label': 'Interests' }, ...(booth.interests || []).map((t) => el('button', {
    type: 'button', class: 'chip', dataset: { tag: t }, 'aria-pressed': 'false',
    onclick: (ev) => {
      if (chosen.has(t)) chosen.delete(t); else chosen.add(t);
      ev.currentTarget.classList.toggle('on', chosen.has(t));
      ev.currentTarget.setAttribute('aria-pressed', String(chosen.has(t)));
    }, text: t,
  })));
  const note = el('textarea', { name: 'lead_note', placeholder: 'What they asked about, what was promised', rows: 2 });
  const follow = el('input', { type: 'date', name: 'follow_up', id: `scan-follow-${i}` });
  drawSeg();
  drawStars();
  const box = el('div', { class: 'qualify' },
    el('div', { class: 'qualify-row' }, seg, stars),
    tags.children.length ? tags : null,
    el('label', null, 'Note for the lead', note),
    el('label', null, 'Follow up on', follow));
  box.value = () => ({
    temperature, rating, interests: [...chosen], note: note.value.trim(), follow_up: follow.value, event: booth.event || '',
  });
  return box;
}

function reviewCard(ctx, card, token, i, n, manual) {
  const form = el('div', { class: 'grid-form' });
  for (const [name, label] of CARD_FIELDS) {
    let v = card[name];
    if (name === 'phones') v = phonesText(card);
    else if (Array.isArray(v)) v = v.join(', ');
    if ((name === 'given_name' || name === 'family_name') && !card.given_name && !card.family_name && card.name) {
      const parts = card.name.split(/\s+/);
      v = name === 'given_name' ? parts.slice(0, -1).join(' ') || parts[0] : (parts.length > 1 ? parts[parts.length - 1] : '');
    }
    const low = lowConfidence(card, name, v);
    const full = ['emails', 'phones', 'websites', 'address'].includes(name);
    const input = name === 'address' ? el('textarea', { name, rows: 2 }, v || '') : el('input', { name, value: v || '' });
    form.append(el('label', { class: (full ? 'full ' : '') + (low ? 'low' : ''), dataset: { field: name } }, label,
      low ? el('span', { class: 'hint', text: ' — please check' }) : null, input));
  }
  const consent = el('input', { type: 'checkbox', name: 'consent_face', id: `scan-consent-${i}` });
  const mail = el('input', { type: 'checkbox', name: 'consent_mail', id: `scan-mail-${i}` });
  const lead = el('input', { type: 'checkbox', name: 'lead', checked: true });
  // The follow-up e-mail (booth.followup_* templates) only with the visitor's consent to e-mail.
  const followup = el('input', { type: 'checkbox', name: 'followup', id: `scan-followup-${i}`, disabled: true });
  mail.addEventListener('change', () => { followup.disabled = !mail.checked; if (!mail.checked) followup.checked = false; });
  const qual = qualification(ctx.booth, i);
  const dups = card.duplicates || [];
  const result = el('div');
  const save = el('button', { class: 'primary', id: `scan-save-${i}`, text: 'Save contact' });
  const next = el('button', { class: 'primary', id: `scan-next-${i}`, text: 'Save and scan next' });
  const box = el('div', { class: 'panel scan-card' },
    el('h2', { text: manual ? 'Type the card in' : (n > 1 ? `Card ${i + 1} of ${n}` : 'Check the fields') }),
    dups.length ? el('div', { class: 'notice warn dup-warning' },
      el('div', { text: 'Already known? Update their contact with this card instead of making a new one:' }),
      ...dups.map((d, k) => el('button', {
        id: `scan-update-${i}-${k}`, class: 'update-existing',
        onclick: (ev) => doSave(ev.currentTarget, false, d.id), text: `Update ${d.name} (${(d.match || []).join(', ')})`,
      }))) : null,
    form,
    el('label', { class: 'check' }, lead, 'Create a lead for the manager'),
    qual,
    el('label', { class: 'check' }, consent, 'The visitor agrees that the camera recognises them next time'),
    el('label', { class: 'check' }, mail, 'The visitor agrees to e-mail from us'),
    el('label', { class: 'check' }, followup, 'Send them the follow-up e-mail now'),
    el('div', { class: 'dialog-actions scan-actions' }, save, next), result);

  async function doSave(button, scanNext, updateId) {
    const buttons = [...box.querySelectorAll('button.primary, button.update-existing')];
    buttons.forEach((b) => { b.disabled = true; });
    try {
      const fields = readCardForm(form, card);
      // Updating a known contact leaves the consents they gave alone unless ticked now.
      if (!updateId || consent.checked) fields.consent_face = consent.checked;
      if (!updateId || mail.checked) fields.consent_mail = mail.checked;
      const body = {
        fields, result: manual ? null : stripCard(card), lead: lead.checked ? qual.value() : false,
        image_token: i === 0 ? token : null,
      };
      if (updateId) body.contact_id = updateId;
      if (followup.checked && lead.checked) body.followup = true;
      const r = await api('POST', '/api/v1/scans/save', body);
      const c = r.contact;
      const what = `${updateId ? 'Updated' : 'Saved'} ${fullName(c)}${r.lead ? ' and a lead' : ''}${body.followup ? ', follow-up e-mail queued' : ''}`;
      ctx.saved.prepend(el('li', { class: 'saved-item' }, el('span', { text: what }), ' ',
        el('a', { href: `#/contacts/${c.id}`, text: 'Open' })));
      if (scanNext) {
        // The next card: this one's review goes, the camera button comes back into view.
        box.remove();
        $('#toast').className = 'toast';
        if (!ctx.review.querySelector('.scan-card')) {
          ctx.camera.scrollIntoView({ block: 'center' });
          ctx.camera.focus();
        }
        return;
      }
      result.replaceChildren(el('div', { class: 'notice ok' }, what, '.',
        ' ', el('a', { href: `#/contacts/${c.id}`, text: 'Open contact' })));
      if (consent.checked) {
        result.append(el('button', {
          id: `scan-face-${i}`, onclick: async (ev) => {
            ev.target.disabled = true;
            try {
              await api('POST', '/api/v1/people', { contact_id: c.id, consent: true, from_camera: true, label: fullName(c) });
              toast(`Face linked: ${fullName(c)} will be greeted by name.`);
            } catch (e) { fail(e); ev.target.disabled = false; }
          }, text: 'Take the face from the live camera',
        }));
      }
      toast(updateId ? 'Contact updated' : 'Contact saved');
    } catch (e) {
      fail(e);
      buttons.forEach((b) => { b.disabled = false; });
    }
  }
  save.addEventListener('click', (ev) => doSave(ev.currentTarget, false, 0));
  next.addEventListener('click', (ev) => doSave(ev.currentTarget, true, 0));
  return box;
}

function stripCard(card) {
  const c = { ...card };
  delete c.duplicates;
  return c;
}

function readCardForm(form, card) {
  const v = (n) => form.querySelector(`[name="${n}"]`).value.trim();
  return {
    given_name: v('given_name'), family_name: v('family_name'), title: v('title'), company: v('company'),
    emails: list(v('emails')), phones: phonesFrom(v('phones'), card.phones), websites: list(v('websites')),
    address: v('address'),
  };
}
