// The sign-in screens: "Sign in with Lanyard" (authorization code + PKCE, session.js) when GET /console offers
// it, and the password form of the admin login API.

import { h } from './dom.js';
import { field, form, text } from './forms.js';
import { signInWithPassword, beginAuthorizationCode } from './session.js';

function passwordForm(config, onDone, username) {
  const f = form({
    label: 'Sign in',
    submitLabel: 'Sign in',
    fields: [
      field({ label: 'Tenant', name: 'tenant', value: config.adminTenant, required: true, autocomplete: 'organization',
        help: 'The tenant your administrator account belongs to.' }),
      field({ label: 'Username', name: 'username', value: username || '', required: true, autocomplete: 'username' }),
      field({ label: 'Password', name: 'password', type: 'password', required: true, autocomplete: 'current-password' }),
    ],
    onsubmit: async (el) => {
      try {
        await signInWithPassword(text(el, 'tenant') || '', text(el, 'username') || '', el.elements.password.value);
      } catch (err) {
        if (err.status === 401) err.shown = 'Wrong tenant, username or password.';
        if (err.status === 403) err.shown = 'This account is not an administrator.';
        el.elements.password.value = '';
        throw err;
      }
      onDone();
    },
  });
  return f;
}

function codeButton(config, tenant) {
  // The console's OAuth client lives in the administrators' tenant only; others sign in with the form.
  if (!(config.signIn || []).includes('authorization_code') || tenant !== config.adminTenant) return null;
  return h('p', {}, h('button', { type: 'button', class: 'primary',
    onclick: () => beginAuthorizationCode(config, tenant, window.location.pathname + window.location.hash) }, `Sign in with Lanyard (${tenant})`));
}

/** The full-page sign-in. */
export function signInForm(config, onDone, message) {
  return h('main', { id: 'main', class: 'signin' },
    h('div', { class: 'card signin-card' },
      h('h1', {}, 'Lanyard admin console'),
      message ? h('div', { class: 'notice error', role: 'alert' }, message) : null,
      codeButton(config, config.adminTenant),
      passwordForm(config, onDone),
      h('p', { class: 'muted small' }, `Lanyard ${config.version}`)));
}

/** Sign-in over the current page after the session ended, so unsaved forms keep their input. */
export function signInDialog(config, me) {
  return new Promise((resolve) => {
    const dialog = h('dialog', { class: 'confirm', 'aria-labelledby': 'expired-title' });
    const f = passwordForm({ ...config, adminTenant: me.tenant }, () => dialog.close(), me.username);
    dialog.append(...[h('h2', { id: 'expired-title' }, 'Your session has ended'),
      h('p', {}, 'Sign in again to continue. What you typed on the page is kept: submit it again afterwards.'),
      codeButton(config, me.tenant), f].filter(Boolean));
    dialog.addEventListener('cancel', (e) => e.preventDefault());
    dialog.addEventListener('close', () => { dialog.remove(); resolve(); });
    document.body.append(dialog);
    dialog.showModal();
    f.elements.password.focus();
  });
}
