// Groups of a tenant: search, create, rename, members (add, remove), delete.

import { h, when } from '../dom.js';
import { api, query, seg } from '../api.js';
import { field, form, text } from '../forms.js';
import { pageHeader, section, listView, button, confirmTyped, notice, errorNotice, link } from '../ui.js';

async function detail(ctx, id) {
  const base = `/tenants/${seg(ctx.tenant)}/groups/${seg(id)}`;
  const g = await api.get(base);
  const status = h('div', { 'aria-live': 'polite' });
  const say = (node) => status.replaceChildren(node);
  const gone = `Group ${g.name} no longer exists: deleted, perhaps in another tab. Nothing was saved.`;
  const title = h('span', {}, g.name);

  const renameForm = form({
    label: 'Rename group', submitLabel: 'Rename', conflictField: 'name', notFound: gone,
    fields: [field({ label: 'Name', name: 'name', value: g.name, required: true, maxlength: 128,
      help: 'Clusters see this name in the groups of every member.' })],
    onsubmit: async (el) => {
      const renamed = await api.put(base, { name: text(el, 'name') });
      g.name = renamed.name;
      title.textContent = renamed.name;
      say(notice('ok', 'Renamed.'));
    },
  });

  let members;
  const remove = async (u) => {
    try {
      await api.del(`${base}/members/${seg(u.id)}`);
      say(notice('ok', `${u.username} removed from ${g.name}.`));
    } catch (err) {
      say(errorNotice(err));
    }
    members.reload();
  };
  members = listView({
    search: false, emptyText: 'No members yet.',
    load: (p) => api.get(`${base}/members${query(p)}`),
    columns: [
      { label: 'Username', cell: (u) => h('a', { href: `#/t/${seg(ctx.tenant)}/users/${seg(u.id)}` }, u.username) },
      { label: 'Name', cell: (u) => u.displayName || '' },
      { label: 'Actions', cell: (u) => button('Remove', () => remove(u), 'small', { 'aria-label': `Remove ${u.username}` }) },
    ],
  });
  const addForm = form({
    label: 'Add member', submitLabel: 'Add member', notFound: gone,
    fields: [field({ label: 'Username', name: 'user', required: true, help: 'An existing user of this tenant.' })],
    onsubmit: async (el) => {
      const user = text(el, 'user');
      try {
        await api.put(`${base}/members/${seg(user || '')}`);
      } catch (err) {
        if (err.status === 404 && /^no user/.test(err.detail || '')) {
          err.status = 400;
          err.errors = [{ field: 'user', message: err.detail }];
        }
        throw err;
      }
      el.elements.user.value = '';
      say(notice('ok', `${user} added to ${g.name}.`));
      members.reload();
    },
  });
  const del = button('Delete group…', async () => {
    if (!await confirmTyped({ title: `Delete group ${g.name}?`, message: 'Members lose this group at their next TokenReview.', name: g.name })) return;
    try {
      await api.del(base);
      ctx.go(`#/t/${seg(ctx.tenant)}/groups`);
    } catch (err) {
      say(errorNotice(err));
    }
  }, 'danger');
  return h('div', {},
    pageHeader(['Group ', title], `In tenant ${ctx.tenant} · created ${new Date(g.createdAt).toLocaleDateString()}`,
      link('All groups', `#/t/${seg(ctx.tenant)}/groups`, { class: 'button small' })),
    status,
    h('div', { class: 'grid-2' }, section('Name', renameForm), section('Add a member', addForm)),
    section('Members', members.el),
    section('Delete', del));
}

export async function render(ctx) {
  if (ctx.parts[3]) return detail(ctx, ctx.parts[3]);
  const base = `/tenants/${seg(ctx.tenant)}/groups`;
  const list = listView({
    searchLabel: 'Search groups', searchPlaceholder: 'group name', emptyText: 'No groups yet. Create one below.',
    load: (p) => api.get(base + query(p)),
    columns: [
      { label: 'Name', cell: (g) => h('a', { href: `#/t/${seg(ctx.tenant)}/groups/${seg(g.id)}` }, g.name) },
      { label: 'Created', cell: (g) => when(g.createdAt) },
    ],
  });
  const create = form({
    label: 'New group', submitLabel: 'Create group', conflictField: 'name',
    fields: [field({ label: 'Name', name: 'name', required: true, maxlength: 128, help: 'Letters, digits and . _ @ : + -' })],
    onsubmit: async (el) => {
      const g = await api.post(base, { name: text(el, 'name') });
      ctx.go(`#/t/${seg(ctx.tenant)}/groups/${seg(g.id)}`);
    },
  });
  return h('div', {},
    pageHeader('Groups', `Groups of tenant ${ctx.tenant}; clusters authorize by group (RBAC).`),
    section('All groups', list.el),
    section('New group', create));
}
