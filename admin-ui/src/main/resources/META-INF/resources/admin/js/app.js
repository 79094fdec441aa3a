// The console's shell: sign-in gate, header with tenant picker, navigation, and a hash router that renders one
// page module at a time into <main>.

import { h, clear } from './dom.js';
import { api, call, onSessionExpired } from './api.js';
import { session, signOut } from './session.js';
import { signInForm, signInDialog } from './signin.js';
import { errorNotice } from './ui.js';
import * as overview from './pages/overview.js';
import * as tenants from './pages/tenants.js';
import * as users from './pages/users.js';
import * as groups from './pages/groups.js';
import * as clients from './pages/clients.js';
import * as robots from './pages/robots.js';
import * as tokens from './pages/tokens.js';
import * as keys from './pages/keys.js';
import * as clusters from './pages/clusters.js';
import * as audit from './pages/audit.js';
import * as admins from './pages/admins.js';

const app = document.getElementById('app');
const TENANT_KEY = 'lanyard.console.tenant';

/** Pages under #/t/{tenant}/...; the rest are global. */
const TENANT_PAGES = [
  ['users', 'Users', users], ['groups', 'Groups', groups], ['clients', 'Clients', clients],
  ['robots', 'Robots', robots], ['tokens', 'Tokens', tokens], ['keys', 'Keys', keys],
  ['clusters', 'Clusters', clusters],
];

const state = { config: null, me: null, tenants: [], tenant: null };

function parseHash() {
  const path = (window.location.hash || '#/overview').replace(/^#\/?/, '').split('?')[0];
  return path.split('/').filter(Boolean).map(decodeURIComponent);
}

export function go(hash) {
  if (window.location.hash === hash) render();
  else window.location.hash = hash;
}

async function loadTenants() {
  const page = await api.get('/tenants?limit=500');
  state.tenants = page.items;
  const remembered = sessionStorage.getItem(TENANT_KEY);
  const ids = state.tenants.map((t) => t.id);
  if (!ids.includes(state.tenant)) {
    state.tenant = ids.includes(remembered) ? remembered : ids.includes(state.me.tenant) ? state.me.tenant : ids[0] || null;
  }
}

function setTenant(id) {
  state.tenant = id;
  sessionStorage.setItem(TENANT_KEY, id);
}

function nav(parts) {
  const current = parts[0] === 't' ? parts[2] : parts[0] || 'overview';
  const item = (href, label, key) => h('li', {}, h('a', { href, 'aria-current': key === current ? 'page' : undefined }, label));
  const t = state.tenant ? encodeURIComponent(state.tenant) : null;
  return h('nav', { class: 'sidebar', 'aria-label': 'Console sections' }, h('ul', {},
    item('#/overview', 'Overview', 'overview'),
    item('#/tenants', 'Tenants', 'tenants'),
    t ? TENANT_PAGES.map(([key, label]) => item(`#/t/${t}/${key}`, label, key)) : null,
    item('#/audit', 'Audit log', 'audit'),
    state.me.global ? item('#/admins', 'Administrators', 'admins') : null));
}

function header(parts) {
  const pickerId = 'tenant-picker';
  const picker = state.tenants.length ? h('div', { class: 'tenant-picker' },
    h('label', { for: pickerId }, 'Tenant'),
    h('select', { id: pickerId, onchange: (e) => {
      setTenant(e.target.value);
      const page = parts[0] === 't' ? parts[2] : null;
      go(page ? `#/t/${encodeURIComponent(e.target.value)}/${page}` : window.location.hash || '#/overview');
    } }, state.tenants.map((t) => h('option', { value: t.id, selected: t.id === state.tenant }, t.displayName && t.displayName !== t.id ? `${t.displayName} (${t.id})` : t.id)))) : null;
  const who = `${state.me.username} · ${state.me.global ? 'global admin' : `admin of ${state.me.scopes.join(', ')}`}`;
  return h('header', { class: 'topbar' },
    h('a', { class: 'skip', href: '#main' }, 'Skip to content'),
    h('a', { class: 'brand', href: '#/overview' }, 'Lanyard'),
    picker,
    h('div', { class: 'who' }, h('span', { class: 'muted' }, who),
      h('button', { type: 'button', class: 'small', onclick: async () => {
        const lanyardLogout = await signOut();
        // The next administrator starts afresh, not on the page or tenant the last one left.
        sessionStorage.removeItem(TENANT_KEY);
        state.me = null;
        state.tenant = null;
        if (lanyardLogout) {
          window.location.assign(lanyardLogout);
          return;
        }
        window.history.replaceState(null, '', '/admin/');
        boot();
      } }, 'Sign out')));
}

async function render() {
  const parts = parseHash();
  if (parts[0] === 't' && parts[1] && state.tenants.some((t) => t.id === parts[1]) && parts[1] !== state.tenant) setTenant(parts[1]);
  const main = h('main', { id: 'main', tabindex: '-1' });
  clear(app).append(header(parts), h('div', { class: 'layout' }, nav(parts), main));
  const ctx = { ...state, parts, go, reloadTenants: async () => { await loadTenants(); } };
  let page;
  if (parts[0] === 't') {
    const found = TENANT_PAGES.find(([key]) => key === parts[2]);
    if (!parts[1] || !found) page = null;
    else {
      ctx.tenant = parts[1];
      page = found[2];
    }
  } else {
    page = { overview, tenants, audit, admins }[parts[0] || 'overview'];
  }
  if (!page) {
    main.append(h('h1', {}, 'Not found'), h('p', {}, 'There is no such page. ', h('a', { href: '#/overview' }, 'Go to the overview.')));
    return;
  }
  try {
    const el = await page.render(ctx);
    if (!main.isConnected) return;
    main.append(el);
    const h1 = main.querySelector('h1');
    document.title = `${h1 ? h1.textContent : 'Console'} · Lanyard`;
    // A new page starts at its top, with focus on its heading for keyboard and screen-reader users.
    window.scrollTo(0, 0);
    if (h1) h1.focus({ preventScroll: true });
  } catch (err) {
    if (!main.isConnected) return;
    const title = err.status === 403 ? 'Not yours to manage' : err.status === 404 ? 'Not found' : 'Something went wrong';
    main.append(h('h1', { tabindex: '-1' }, title), errorNotice(err),
      h('p', {}, h('a', { href: '#/overview' }, 'Back to the overview')));
    document.title = `${title} · Lanyard`;
  }
}

async function boot() {
  clear(app);
  try {
    state.config = await call('GET', '/console', undefined, { anonymous: true });
  } catch (err) {
    app.append(h('main', { id: 'main' }, h('h1', {}, 'Lanyard admin console'), errorNotice(err)));
    return;
  }
  if (!session.token()) {
    app.append(signInForm(state.config, () => boot()));
    return;
  }
  try {
    state.me = await api.get('/me');
    await loadTenants();
  } catch (err) {
    if (err.status === 401) {
      session.forget();
      app.append(signInForm(state.config, () => boot(), 'Your session has ended. Sign in again.'));
      return;
    }
    app.append(h('main', { id: 'main' }, errorNotice(err)));
    return;
  }
  render();
}

let dialogOpen = false;
onSessionExpired(async () => {
  if (dialogOpen || !state.me) return;
  dialogOpen = true;
  session.forget();
  await signInDialog(state.config, state.me);
  dialogOpen = false;
});

window.addEventListener('hashchange', () => { if (state.me && session.token()) render(); });
boot();
