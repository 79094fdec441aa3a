// Robots of a tenant (CI pipelines and other machines): search, create, edit, disable, groups, tokens, delete.

import { h, when } from '../dom.js';
import { api, query, seg } from '../api.js';
import { field, form, text, checkboxes, checkedValues } from '../forms.js';
import { pageHeader, section, listView, button, confirmTyped, notice, errorNotice, badge, link } from '../ui.js';
import { tokenTable } from './tokens.js';

function groupBoxes(groups, values) {
  if (!groups.length) return h('p', { class: 'muted' }, 'This tenant has no groups yet.');
  return checkboxes({ label: 'Member of', name: 'groups', options: groups.map((g) => [g.name, g.name]), values });
}

async function detail(ctx, id) {
  const base = `/tenants/${seg(ctx.tenant)}/robots/${seg(id)}`;
  const [r, groups] = await Promise.all([api.get(base), api.get(`/tenants/${seg(ctx.tenant)}/groups?limit=500`)]);
  const status = h('div', { 'aria-live': 'polite' });
  const say = (node) => status.replaceChildren(node);
  const gone = `Robot ${r.name} no longer exists: deleted, perhaps in another tab. Nothing was saved.`;
  const edit = form({
    label: 'Edit robot', conflictField: 'name', notFound: gone,
    fields: [
      field({ label: 'Name', name: 'name', value: r.name, required: true, maxlength: 128 }),
      field({ label: 'Description', name: 'description', value: r.description || '' }),
      field({ label: 'Enabled', name: 'enabled', type: 'checkbox', checked: r.enabled,
        help: 'A disabled robot’s tokens are refused at the next TokenReview.' }),
    ],
    onsubmit: async (el) => {
      Object.assign(r, await api.put(base, { name: text(el, 'name'), description: text(el, 'description') ?? null,
        enabled: el.elements.enabled.checked }));
      say(notice('ok', 'Saved.'));
    },
  });
  const groupsForm = form({
    label: 'Robot groups', submitLabel: 'Save groups', notFound: gone,
    fields: [groupBoxes(groups.items, r.groups)],
    onsubmit: async (el) => {
      const res = await api.put(`${base}/groups`, { groups: checkedValues(el, 'groups') });
      say(notice('ok', `Groups saved: ${res.groups.join(', ') || 'none'}.`));
    },
  });
  const tokens = tokenTable(ctx, { robot: r.id }, say);
  const del = button('Delete robot…', async () => {
    if (!await confirmTyped({ title: `Delete robot ${r.name}?`, message: 'Its tokens are deleted too.', name: r.name })) return;
    try {
      await api.del(base);
      ctx.go(`#/t/${seg(ctx.tenant)}/robots`);
    } catch (err) {
      say(errorNotice(err));
    }
  }, 'danger');
  return h('div', {},
    pageHeader(`Robot ${r.name}`, [`In tenant ${ctx.tenant} · `, badge(r.enabled ? 'enabled' : 'disabled', r.enabled ? 'ok' : 'bad')],
      link('All robots', `#/t/${seg(ctx.tenant)}/robots`, { class: 'button small' }),
      link('Mint a token', `#/t/${seg(ctx.tenant)}/tokens?robot=${seg(r.name)}`, { class: 'button small primary' })),
    status,
    h('div', { class: 'grid-2' }, section('Robot', edit), section('Groups', groupsForm)),
    section('Tokens', tokens.el),
    section('Delete', del));
}

export async function render(ctx) {
  if (ctx.parts[3]) return detail(ctx, ctx.parts[3]);
  const base = `/tenants/${seg(ctx.tenant)}/robots`;
  const groups = await api.get(`/tenants/${seg(ctx.tenant)}/groups?limit=500`);
  const list = listView({
    searchLabel: 'Search robots', searchPlaceholder: 'name or description', emptyText: 'No robots yet. Create one below.',
    load: (p) => api.get(base + query(p)),
    columns: [
      { label: 'Name', cell: (r) => h('a', { href: `#/t/${seg(ctx.tenant)}/robots/${seg(r.id)}` }, r.name) },
      { label: 'Description', cell: (r) => r.description || '' },
      { label: 'State', cell: (r) => badge(r.enabled ? 'enabled' : 'disabled', r.enabled ? 'ok' : 'bad') },
      { label: 'Created', cell: (r) => when(r.createdAt) },
      { label: 'Actions', cell: (r) => link('Mint token', `#/t/${seg(ctx.tenant)}/tokens?robot=${seg(r.name)}`, { class: 'button small', 'aria-label': `Mint a token for ${r.name}` }) },
    ],
  });
  const create = form({
    label: 'New robot', submitLabel: 'Create robot', conflictField: 'name',
    fields: [
      field({ label: 'Name', name: 'name', required: true, maxlength: 128, help: 'Clusters see it with the tenant’s robot prefix, e.g. robot:ci.' }),
      field({ label: 'Description', name: 'description' }),
      groupBoxes(groups.items, []),
    ],
    onsubmit: async (el) => {
      const r = await api.post(base, { name: text(el, 'name'), description: text(el, 'description'), groups: checkedValues(el, 'groups') });
      ctx.go(`#/t/${seg(ctx.tenant)}/robots/${seg(r.id)}`);
    },
  });
  return h('div', {},
    pageHeader('Robots', `Machines of tenant ${ctx.tenant} (CI pipelines, operators) that hold revocable tokens.`),
    section('All robots', list.el),
    section('New robot', create));
}
