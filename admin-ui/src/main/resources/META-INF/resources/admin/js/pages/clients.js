// OAuth clients of a tenant: create public or confidential (secret shown once), edit redirect URIs and grants,
// rotate the secret, delete.

import { h, when } from '../dom.js';
import { api, query, seg } from '../api.js';
import { field, form, text, lines, checkboxes, checkedValues } from '../forms.js';
import { pageHeader, section, listView, button, confirmTyped, confirmSimple, notice, errorNotice, badge, secretBox, link } from '../ui.js';

/** A new client's secret on its way to the detail page; never stored. */
let justCreated = null;

const GRANTS = [
  ['authorization_code', 'Authorization code (browser login, kubelogin)'],
  ['refresh_token', 'Refresh token'],
  ['urn:ietf:params:oauth:grant-type:device_code', 'Device code (headless machines)'],
  ['client_credentials', 'Client credentials (confidential clients only)'],
  ['password', 'Password (legacy; avoid)'],
];

function redirectField(values) {
  return field({ label: 'Redirect URIs', name: 'redirectUris', rows: 4, value: values.join('\n'),
    help: 'One per line: https://…, http://localhost:8000 or http://127.0.0.1:… for native apps (kubelogin), or a private-use scheme such as com.example.app:/cb.' });
}

async function detail(ctx, id) {
  const base = `/tenants/${seg(ctx.tenant)}/clients/${seg(id)}`;
  const c = await api.get(base);
  const status = h('div', { 'aria-live': 'polite' });
  const say = (node) => status.replaceChildren(node);
  const gone = `Client ${id} no longer exists: deleted, perhaps in another tab. Nothing was saved.`;
  const edit = form({
    label: 'Edit client', notFound: gone,
    fields: [
      field({ label: 'Display name', name: 'displayName', value: c.displayName }),
      redirectField(c.redirectUris),
      checkboxes({ label: 'Grant types', name: 'grantTypes', options: GRANTS, values: c.grantTypes }),
    ],
    onsubmit: async (el) => {
      const updated = await api.put(base, { displayName: text(el, 'displayName'), redirectUris: lines(el, 'redirectUris'),
        grantTypes: checkedValues(el, 'grantTypes') });
      Object.assign(c, updated);
      say(notice('ok', 'Saved.'));
    },
  });
  const secretArea = h('div', {});
  const rotate = c.type === 'confidential' ? section('Client secret',
    h('p', {}, 'Lanyard stores only a hash of the secret. Rotating makes a new one and the old one stops working at once.'),
    secretArea,
    button('Rotate secret…', async () => {
      if (!await confirmSimple({ title: `Rotate the secret of ${id}?`, message: 'The current secret stops working at once.', action: 'Rotate' })) return;
      try {
        const res = await api.post(`${base}/secret`);
        secretArea.replaceChildren(secretBox(`New secret of ${id}`, res.secret));
      } catch (err) {
        say(errorNotice(err));
      }
    })) : null;
  const del = button('Delete client…', async () => {
    if (!await confirmTyped({ title: `Delete client ${id}?`, message: 'Applications using it can no longer log anyone in.', name: id })) return;
    try {
      await api.del(base);
      ctx.go(`#/t/${seg(ctx.tenant)}/clients`);
    } catch (err) {
      say(errorNotice(err));
    }
  }, 'danger');
  const created = justCreated && justCreated.key === `${ctx.tenant}/${id}` ? justCreated.secret : null;
  justCreated = null;
  return h('div', {},
    pageHeader(`Client ${id}`, [badge(c.type), ` in tenant ${ctx.tenant} · created ${new Date(c.createdAt).toLocaleDateString()}`],
      link('All clients', `#/t/${seg(ctx.tenant)}/clients`, { class: 'button small' })),
    status,
    created ? secretBox(`Secret of ${id}`, created) : null,
    section('Settings', edit),
    rotate,
    section('Delete', del));
}

export async function render(ctx) {
  if (ctx.parts[3]) return detail(ctx, ctx.parts[3]);
  const base = `/tenants/${seg(ctx.tenant)}/clients`;
  const list = listView({
    searchLabel: 'Search clients', searchPlaceholder: 'client id or name', emptyText: 'No clients yet. Create one below.',
    load: (p) => api.get(base + query(p)),
    columns: [
      { label: 'Client ID', cell: (c) => h('a', { href: `#/t/${seg(ctx.tenant)}/clients/${seg(c.id)}` }, c.id) },
      { label: 'Name', cell: (c) => c.displayName },
      { label: 'Type', cell: (c) => badge(c.type) },
      { label: 'Grants', cell: (c) => c.grantTypes.map((g) => g.replace('urn:ietf:params:oauth:grant-type:', '')).join(', ') },
      { label: 'Redirect URIs', cell: (c) => String(c.redirectUris.length) },
      { label: 'Created', cell: (c) => when(c.createdAt) },
    ],
  });
  const create = form({
    label: 'New client', submitLabel: 'Create client', conflictField: 'id',
    fields: [
      field({ label: 'Client ID', name: 'id', required: true, maxlength: 128, help: 'Letters, digits and . _ @ : + -' }),
      field({ label: 'Display name', name: 'displayName', help: 'Shown on the login page.' }),
      field({ label: 'Type', name: 'type', value: 'public', options: [['public', 'Public (kubelogin, browser apps: no secret, PKCE)'],
        ['confidential', 'Confidential (server-side apps, CI: with a secret)']] }),
      redirectField([]),
      checkboxes({ label: 'Grant types', name: 'grantTypes', options: GRANTS, values: ['authorization_code', 'refresh_token'] }),
    ],
    onsubmit: async (el) => {
      const c = await api.post(base, { id: text(el, 'id'), displayName: text(el, 'displayName'), type: el.elements.type.value,
        redirectUris: lines(el, 'redirectUris'), grantTypes: checkedValues(el, 'grantTypes') });
      // The secret exists only in this answer: hand it to the detail page in memory, once.
      if (c.secret) justCreated = { key: `${ctx.tenant}/${c.id}`, secret: c.secret };
      ctx.go(`#/t/${seg(ctx.tenant)}/clients/${seg(c.id)}`);
    },
  });
  return h('div', {},
    pageHeader('Clients', `Applications that log users of ${ctx.tenant} in (OAuth 2 / OpenID Connect).`),
    section('All clients', list.el),
    section('New client', create));
}
