/* The JSON API of docs/API.md: one fetch wrapper that sends the CSRF token,
 * parses the reply and turns errors into ApiError. A 401 calls the handler
 * set with onUnauthorized (the sign-in page). */
import { S } from './state.js';

let unauthorized = () => {};

/* fn runs when the server answers 401 (the session ended). */
export function onUnauthorized(fn) { unauthorized = fn; }

export class ApiError extends Error {
  constructor(status, code, message) { super(message); this.status = status; this.code = code; }
}

export async function api(method, path, body, opts = {}) {
  const headers = {};
  let payload;
  if (body instanceof Blob) {
    payload = body;
    headers['Content-Type'] = opts.type || body.type || 'application/octet-stream';
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    headers['Content-Type'] = 'application/json';
  }
  if (method !== 'GET' && S.csrf) headers['X-CSRF-Token'] = S.csrf;
  const r = await fetch(path, { method, headers, body: payload, credentials: 'same-origin' });
  if (opts.raw) {
    if (!r.ok) throw new ApiError(r.status, 'http', r.statusText);
    return r;
  }
  let data = null;
  const text = await r.text();
  try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
  if (r.status === 401 && !path.endsWith('/login')) {
    unauthorized();
    throw new ApiError(401, 'unauthorized', 'Please sign in again.');
  }
  if (!r.ok) {
    throw new ApiError(r.status, data && data.error || 'http', data && data.message || r.statusText);
  }
  return data;
}
