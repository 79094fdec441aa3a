// Tenants: list; create and delete (global admins only); edit display name and settings.

import { h } from '../dom.js';
import { api, query, seg } from '../api.js';
import { field, form, text } from '../forms.js';
import { pageHeader, section, listView, button, confirmTyped, notice, errorNotice, link } from '../ui.js';

/** The settings that are durations; each left empty means the server's configured default. */
const LIFETIMES = ['idTokenLifetime', 'tokenDefaultTtl', 'tokenMaxTtl', 'accessTokenLifetime', 'refreshIdleLifetime',
  'refreshAbsoluteLifetime'];

function settingsFields(t) {
  const st = (t && t.settings) || {};
  return [
    field({ label: 'ID token lifetime', name: 'idTokenLifetime', value: st.idTokenLifetime || '',
      placeholder: 'e.g. 15m', help: 'How long ID tokens stay valid (s, m, h, d). Empty: the server default.' }),
    field({ label: 'Default token TTL', name: 'tokenDefaultTtl', value: st.tokenDefaultTtl || '', placeholder: 'e.g. 30d',
      help: 'Lifetime of minted Kubernetes tokens when none is asked for.' }),
    field({ label: 'Maximum token TTL', name: 'tokenMaxTtl', value: st.tokenMaxTtl || '', placeholder: 'e.g. 365d',
      help: 'The longest lifetime a minted token may have.' }),
    field({ label: 'Access token lifetime', name: 'accessTokenLifetime', value: st.accessTokenLifetime || '',
      placeholder: 'e.g. 10m', help: 'How long the token endpoint\'s access tokens (userinfo, introspection) stay valid; at most 24h. Empty: the server default.' }),
    field({ label: 'Refresh idle lifetime', name: 'refreshIdleLifetime', value: st.refreshIdleLifetime || '',
      placeholder: 'e.g. 30d', help: 'A refresh token unused this long expires; at most 365d. Empty: the server default.' }),
    field({ label: 'Refresh absolute lifetime', name: 'refreshAbsoluteLifetime', value: st.refreshAbsoluteLifetime || '',
      placeholder: 'e.g. 90d', help: 'However often it is used, a login\'s refresh tokens end this long after the password; at most 365d. Empty: the server default.' }),
    field({ label: 'Username claim', name: 'usernameFrom', value: st.usernameFrom || 'username',
      options: [['username', 'username (preferred_username)'], ['email', 'email address']],
      help: 'What the cluster sees as the user name, in ID tokens and TokenReview answers.' }),
    field({ label: 'Robot username prefix', name: 'robotPrefix', value: st.robotPrefix ?? 'robot:', maxlength: 32,
      help: 'Prepended to robot names in TokenReview answers.' }),
  ];
}

function settingsBody(el, existing) {
  const settings = {};
  for (const name of LIFETIMES) {
    const v = text(el, name);
    // An emptied field goes back to the server default (JSON null); an untouched empty one is left out.
    if (v !== undefined) settings[name] = v;
    else if (existing && existing.settings[name]) settings[name] = null;
  }
  settings.usernameFrom = el.elements.usernameFrom.value;
  settings.robotPrefix = el.elements.robotPrefix.value;
  return settings;
}

function createForm(ctx) {
  return form({
    label: 'New tenant',
    submitLabel: 'Create tenant',
    conflictField: 'id',
    fields: [
      field({ label: 'ID', name: 'id', required: true, maxlength: 63, help: 'Lower-case letters, digits and “-”; part of the issuer URL /t/{id}. Cannot be changed.' }),
      field({ label: 'Display name', name: 'displayName', help: 'Shown on login pages.' }),
      ...settingsFields(null),
    ],
    onsubmit: async (el) => {
      const created = await api.post('/tenants', { id: text(el, 'id'), displayName: text(el, 'displayName'),
        settings: settingsBody(el, null) });
      await ctx.reloadTenants();
      ctx.go(`#/tenants/${seg(created.id)}?created=1`);
    },
  });
}

async function detail(ctx, id) {
  const t = await api.get(`/tenants/${seg(id)}`);
  const saved = h('div', { 'aria-live': 'polite' });
  const editForm = form({
    label: 'Edit tenant',
    fields: [field({ label: 'Display name', name: 'displayName', value: t.displayName }), ...settingsFields(t)],
    notFound: `Tenant ${id} no longer exists: it was deleted, perhaps in another tab. Nothing was saved.`,
    onsubmit: async (el) => {
      const updated = await api.put(`/tenants/${seg(id)}`, { displayName: text(el, 'displayName'), settings: settingsBody(el, t) });
      Object.assign(t, updated);
      saved.replaceChildren(notice('ok', 'Saved.'));
      await ctx.reloadTenants();
    },
  });
  const created = window.location.hash.includes('created=1');
  const danger = ctx.me.global ? section('Delete tenant',
    h('p', {}, 'Deletes the tenant with all its users, groups, clients, robots, tokens, keys and clusters. Clusters trusting it stop authenticating anyone.'),
    button('Delete tenant…', async () => {
      if (!await confirmTyped({ title: `Delete tenant ${id}?`, message: 'This cannot be undone.', name: id })) return;
      try {
        await api.del(`/tenants/${seg(id)}`);
        await ctx.reloadTenants();
        ctx.go('#/tenants');
      } catch (err) {
        saved.replaceChildren(errorNotice(err));
      }
    }, 'danger')) : null;
  return h('div', {},
    pageHeader(`Tenant ${t.id}`, `Issuer /t/${t.id} · created ${new Date(t.createdAt).toLocaleDateString()}`,
      link('All tenants', '#/tenants', { class: 'button small' })),
    created ? notice('ok', `Tenant ${t.id} created with its first signing key.`) : null,
    saved,
    section('Settings', editForm),
    section('Manage', h('ul', { class: 'inline-links' }, ['users', 'groups', 'clients', 'robots', 'tokens', 'keys', 'clusters']
      .map((p) => h('li', {}, h('a', { href: `#/t/${seg(t.id)}/${p}` }, p[0].toUpperCase() + p.slice(1)))))),
    danger);
}

export async function render(ctx) {
  if (ctx.parts[1]) return detail(ctx, ctx.parts[1]);
  const list = listView({
    searchLabel: 'Search tenants',
    search: false,
    emptyText: ctx.me.global ? 'No tenants yet. Create the first one below.' : 'You manage no tenant.',
    load: ({ offset, limit }) => api.get(`/tenants${query({ offset, limit })}`),
    columns: [
      { label: 'ID', cell: (t) => h('a', { href: `#/tenants/${seg(t.id)}` }, t.id) },
      { label: 'Display name', cell: (t) => t.displayName },
      { label: 'Username claim', cell: (t) => t.settings.usernameFrom },
      { label: 'Token TTL (default / max)', cell: (t) => `${t.settings.tokenDefaultTtl || '—'} / ${t.settings.tokenMaxTtl || '—'}` },
      { label: 'Created', cell: (t) => new Date(t.createdAt).toLocaleDateString() },
    ],
  });
  return h('div', {},
    pageHeader('Tenants', 'Each tenant is an issuer with its own users, clients and keys.'),
    section('All tenants', list.el),
    ctx.me.global ? section('New tenant', createForm(ctx)) : null);
}
