/* Companies: the organisations contacts work for. */
import { debounce, editDialog, el, fail, field, head, table, toast } from '../ui.js';
import { api } from '../api.js';

export async function renderCompanies(main) {
  const q = el('input', { type: 'search', placeholder: 'Search companies' });
  const box = el('div');
  main.append(head('Companies', 'Organisations your contacts work for',
    el('button', { class: 'primary', onclick: () => editCompany(null), text: 'New company' })), el('div', { class: 'search' }, q), box);
  async function load() {
    const r = await api('GET', `/api/v1/companies?limit=100&q=${encodeURIComponent(q.value)}`);
    box.replaceChildren(table(['Company', 'Website', 'Contacts', 'Address'], r.items.map((c) => [
      el('strong', { text: c.title }), c.website || '', String(c.contact_count ?? ''), c.address || '',
    ]), 'No companies yet.', (i) => editCompany(r.items[i])));
  }
  function editCompany(c) {
    const form = el('div', { class: 'grid-form' }, field('Name', 'title', c && c.title, { full: true, required: true }),
      field('Website', 'website', c && c.website), field('Address', 'address', c && c.address));
    editDialog(c ? 'Edit company' : 'New company', form, async () => {
      const body = { title: form.querySelector('[name=title]').value.trim(), website: form.querySelector('[name=website]').value.trim(), address: form.querySelector('[name=address]').value.trim() };
      if (c) await api('PATCH', `/api/v1/companies/${c.id}`, body); else await api('POST', '/api/v1/companies', body);
      toast('Company saved');
      load().catch(fail);
    });
  }
  q.addEventListener('input', debounce(() => load().catch(fail), 250));
  await load();
}
