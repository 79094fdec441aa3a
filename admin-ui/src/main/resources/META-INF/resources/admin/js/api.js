// The admin REST API client: JSON in and out, RFC 9457 problems turned into ApiError. The only module that
// calls fetch for /admin/api/v1.

import { session } from './session.js';

export const BASE = '/admin/api/v1';

/** A failed call: the problem's status, detail and per-field errors ({field, message}). */
export class ApiError extends Error {
  constructor(status, title, detail, errors) {
    super(detail || title || `HTTP ${status}`);
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.errors = errors || [];
  }
}

/** Listeners told when the API refuses the session's token (expired, revoked). */
const expiredListeners = new Set();
export function onSessionExpired(listener) {
  expiredListeners.add(listener);
}

/**
 * Calls the API. Resolves to the parsed JSON body (null for 204); rejects with ApiError. With
 * {anonymous: true} no token is sent and a 401 is only an error, not an expired session.
 */
export async function call(method, path, body, { anonymous = false } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const token = session.token();
  if (!anonymous && token) headers.Authorization = `Bearer ${token}`;
  let res;
  try {
    res = await fetch(BASE + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'omit', cache: 'no-store' });
  } catch (e) {
    throw new ApiError(0, 'Network error', 'Lanyard cannot be reached. Check your connection and try again.');
  }
  if (res.status === 204) return null;
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch (e) {
    json = null;
  }
  if (res.ok) return json;
  const problem = json && typeof json === 'object' ? json : {};
  const error = new ApiError(res.status, problem.title, problem.detail, problem.errors);
  if (res.status === 401 && !anonymous) expiredListeners.forEach((l) => l(error));
  throw error;
}

export const api = {
  get: (path) => call('GET', path),
  post: (path, body) => call('POST', path, body === undefined ? {} : body),
  put: (path, body) => call('PUT', path, body),
  del: (path) => call('DELETE', path),
};

/** "?a=1&b=2" from an object, skipping empty values. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  }
  const text = q.toString();
  return text ? `?${text}` : '';
}

/** A path segment, escaped. */
export const seg = (text) => encodeURIComponent(text);
