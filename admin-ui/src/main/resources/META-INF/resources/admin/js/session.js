// Sign-in: the one module that knows how the console gets and drops its admin bearer token.
//
// The token lives in sessionStorage (this tab only, gone when the tab closes), never in localStorage.
//
// Two ways in:
//  1. Authorization code + PKCE against the administrators' tenant, as the public client lanyard-console
//     (beginAuthorizationCode / completeAuthorizationCode, redirect URI {origin}/admin/callback.html; the server
//     registers it for its public URL), the access token then traded for an admin token.
//  2. The admin login API (POST /admin/api/v1/login) with the administrator's password: for tenant
//     administrators whose tenant has no console client, and as a fallback.

import { call } from './api.js';

const KEY = 'lanyard.console.session';
const PENDING = 'lanyard.console.pending-authorization';

function read(key) {
  try {
    const text = sessionStorage.getItem(key);
    return text ? JSON.parse(text) : null;
  } catch (e) {
    return null;
  }
}

export const session = {
  /** The bearer token, or null when signed out or expired. */
  token() {
    const s = read(KEY);
    if (!s || !s.token) return null;
    if (s.expiresAt && Date.parse(s.expiresAt) <= Date.now()) {
      sessionStorage.removeItem(KEY);
      return null;
    }
    return s.token;
  },

  info() {
    return read(KEY);
  },

  /** idToken: kept (this tab only) as the hint that lets sign-out end the Lanyard login session too. */
  store(token, expiresAt, tenant, method, idToken) {
    sessionStorage.setItem(KEY, JSON.stringify({ token, expiresAt, tenant, method, idToken }));
  },

  forget() {
    sessionStorage.removeItem(KEY);
  },
};

/** INTERIM sign-in through the admin login API; rejects with the API's problem (401 wrong credentials). */
export async function signInWithPassword(tenant, username, password) {
  const res = await call('POST', '/login', { tenant, username, password }, { anonymous: true });
  session.store(res.token, res.expiresAt, tenant, 'password');
  return res;
}

/**
 * Ends the session: the API revokes the token, then it is forgotten here (even if the call fails). After a
 * "Sign in with Lanyard", resolves to the tenant's logout URL, which ends the Lanyard login session (single
 * sign-on) as well and comes back to the console; else to null.
 */
export async function signOut() {
  const info = session.info();
  try {
    if (session.token()) await call('POST', '/logout', {});
  } catch (e) {
    // Already expired or revoked: nothing left to end.
  } finally {
    session.forget();
  }
  if (!info || info.method !== 'authorization_code' || !info.idToken) return null;
  const params = new URLSearchParams({ id_token_hint: info.idToken, client_id: 'lanyard-console',
    post_logout_redirect_uri: `${window.location.origin}/admin/` });
  return `/t/${encodeURIComponent(info.tenant)}/logout?${params}`;
}

function base64url(bytes) {
  let text = '';
  bytes.forEach((b) => { text += String.fromCharCode(b); });
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomText(bytes = 32) {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** The redirect URI registered for lanyard-console. */
export function redirectUri(config) {
  return window.location.origin + (config.redirectPath || '/admin/callback.html');
}

/**
 * Starts authorization code + PKCE (RFC 7636, S256): remembers verifier, state and nonce for this tab, then
 * sends the browser to the tenant's authorization endpoint.
 */
export async function beginAuthorizationCode(config, tenant, returnTo) {
  const verifier = randomText(48);
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  const challenge = base64url(new Uint8Array(digest));
  const state = randomText(24);
  const nonce = randomText(24);
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state, nonce, tenant, returnTo,
    clientId: config.clientId, redirectUri: redirectUri(config) }));
  const params = new URLSearchParams({ response_type: 'code', client_id: config.clientId,
    redirect_uri: redirectUri(config), scope: 'openid profile', state, nonce,
    code_challenge: challenge, code_challenge_method: 'S256' });
  window.location.assign(`/t/${encodeURIComponent(tenant)}/authorize?${params}`);
}

/**
 * Finishes the flow on callback.html: checks state, trades the code (with the verifier) at the tenant's token
 * endpoint, then the access token for an admin token (POST /admin/api/v1/login), which it keeps. Resolves to
 * where to go next; rejects with a message to show.
 */
export async function completeAuthorizationCode(url) {
  const pending = read(PENDING);
  sessionStorage.removeItem(PENDING);
  const params = new URL(url).searchParams;
  if (!pending) throw new Error('No sign-in was started in this tab. Start again from the console.');
  if (params.get('state') !== pending.state) throw new Error('The sign-in answer does not match the request (state). Start again.');
  if (params.get('error')) throw new Error(params.get('error_description') || params.get('error'));
  const code = params.get('code');
  if (!code) throw new Error('The sign-in answer carries no code.');
  const res = await fetch(`/t/${encodeURIComponent(pending.tenant)}/token`, {
    method: 'POST', credentials: 'omit', cache: 'no-store',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: pending.redirectUri,
      client_id: pending.clientId, code_verifier: pending.verifier }),
  });
  const json = await res.json().catch(() => ({}));
  if (!res.ok || !json.access_token) {
    throw new Error(json.error_description || json.error || `The token endpoint answered ${res.status}.`);
  }
  // The access token is traded (and spent) for an admin token, the one credential the console keeps.
  const admin = await call('POST', '/login', { tenant: pending.tenant, accessToken: json.access_token },
    { anonymous: true });
  session.store(admin.token, admin.expiresAt, pending.tenant, 'authorization_code', json.id_token);
  return pending.returnTo || '/admin/';
}
