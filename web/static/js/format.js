/* How server values read on the page: names, dates, ordinals, and the
 * comma-separated lists the forms use for e-mails, phones and websites. */

export function fullName(c) {
  if (!c) return '';
  const n = [c.given_name, c.family_name].filter(Boolean).join(' ');
  return n || c.name || (c.emails && c.emails[0]) || c.company || c.label || (c.id ? '#' + c.id : '');
}

export function ordinal(n) {
  const s = ['th', 'st', 'nd', 'rd'], v = n % 100;
  return n + (s[(v - 20) % 10] || s[v] || s[0]);
}

export function when(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (isNaN(d)) return iso;
  const today = new Date();
  const sameDay = d.toDateString() === today.toDateString();
  return sameDay ? d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
    : d.toLocaleDateString([], { day: 'numeric', month: 'short' }) + ' ' +
      d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

export function list(v) {
  if (!v) return [];
  return String(v).split(/[,;\n]/).map((s) => s.trim()).filter(Boolean);
}

export function phonesText(c) {
  return (c.phones || []).map((p) => (typeof p === 'string' ? p : p.number)).join(', ');
}

export function phonesFrom(text, old) {
  const types = {};
  for (const p of old || []) if (p && p.number) types[p.number] = p.type;
  return list(text).map((n) => ({ number: n, type: types[n] || 'work' }));
}
