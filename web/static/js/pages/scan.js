/* Scan card: photograph a business card, check what the reader found, save
 * the contact (and a lead), link the face from the live camera. */
import { S } from '../state.js';
import { el, fail, head, toast } from '../ui.js';
import { fullName, list, phonesFrom, phonesText } from '../format.js';
import { api } from '../api.js';

const CARD_FIELDS = [['given_name', 'Given name'], ['family_name', 'Family name'], ['title', 'Job title'],
  ['company', 'Company'], ['emails', 'E-mails'], ['phones', 'Phones'], ['websites', 'Websites'], ['address', 'Address']];

/* The card reader gives a confidence 0..1 per field ("name" covers the given
 * and family name); a filled-in field below 0.8 is worth a second look. */
function lowConfidence(card, name, value) {
  if (!value) return false;
  const c = card.confidence || {};
  const key = (name === 'given_name' || name === 'family_name') && !(name in c) ? 'name' : name;
  if (typeof c[key] === 'number') return c[key] < 0.8;
  if (Array.isArray(card.low_confidence)) return card.low_confidence.includes(name);
  return false;
}

export function renderScan(main) {
  const file = el('input', { id: 'scan-file', type: 'file', accept: 'image/*', capture: 'environment' });
  const status = el('div', { class: 'muted', id: 'scan-status' });
  const preview = el('img', { class: 'scan-preview', alt: 'Card photo', hidden: true });
  const review = el('div', { id: 'scan-review' });
  const drop = el('div', { class: 'scan-drop' },
    el('h2', { text: 'Photograph or upload a business card' }),
    el('p', { class: 'muted', text: 'On a phone this opens the camera. Several cards in one photo are fine.' }),
    file, status, preview);
  main.append(head('Scan card', 'Card → contact and lead in one step'), el('div', { class: 'grid2' }, drop, review));
  file.addEventListener('change', async () => {
    const f = file.files[0];
    if (!f) return;
    preview.src = URL.createObjectURL(f);
    preview.hidden = false;
    drop.classList.add('busy');
    status.textContent = 'Reading the card…';
    review.replaceChildren();
    try {
      const type = /png$/i.test(f.type) ? 'image/png' : 'image/jpeg';
      const r = await api('POST', '/api/v1/scans', f, { type });
      status.textContent = `${r.cards.length} card(s) found.`;
      S.lastScan = r;
      r.cards.forEach((card, i) => review.append(reviewCard(card, r.image_token, i, r.cards.length)));
    } catch (e) {
      status.textContent = e.code === 'no_card' ? 'No card found in this photo. Try again closer, with even light.' : e.message;
      review.append(reviewCard({}, null, 0, 1, true));
    } finally {
      drop.classList.remove('busy');
    }
  });
}

function reviewCard(card, token, i, n, manual) {
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
    const input = name === 'address' ? el('textarea', { name }, v || '') : el('input', { name, value: v || '' });
    form.append(el('label', { class: (full ? 'full ' : '') + (low ? 'low' : ''), dataset: { field: name } }, label,
      low ? el('span', { class: 'hint', text: ' — please check' }) : null, input));
  }
  const consent = el('input', { type: 'checkbox', name: 'consent_face', id: `scan-consent-${i}` });
  const lead = el('input', { type: 'checkbox', name: 'lead', checked: true });
  const dups = card.duplicates || [];
  const result = el('div');
  const save = el('button', { class: 'primary', id: `scan-save-${i}`, text: 'Save contact' });
  const box = el('div', { class: 'panel scan-card' },
    el('h2', { text: manual ? 'Type the card in' : (n > 1 ? `Card ${i + 1} of ${n}` : 'Check the fields') }),
    dups.length ? el('div', { class: 'notice warn dup-warning' },
      'Already known? ', dups.map((d) => `${d.name} (${(d.match || []).join(', ')})`).join('; '),
      '. Saving creates a new contact you can merge from the Contacts page.') : null,
    form,
    el('label', { class: 'check' }, lead, 'Create a lead for the manager'),
    el('label', { class: 'check' }, consent, 'The visitor agrees that the camera recognises them next time'),
    el('div', { class: 'dialog-actions' }, save), result);
  save.addEventListener('click', async () => {
    save.disabled = true;
    try {
      const fields = readCardForm(form, card);
      fields.consent_face = consent.checked;
      const r = await api('POST', '/api/v1/scans/save', {
        fields, result: manual ? null : stripCard(card), lead: lead.checked, image_token: i === 0 ? token : null,
      });
      const c = r.contact;
      result.replaceChildren(el('div', { class: 'notice ok' }, `Saved ${fullName(c)}`, r.lead ? ' and a lead.' : '.',
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
      toast('Contact saved');
    } catch (e) {
      fail(e);
      save.disabled = false;
    }
  });
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
