// Kubernetes tokens of a tenant: mint for a user or robot (shown once), list with last use, revoke.

import { h, when, ago } from '../dom.js';
import { api, query, seg } from '../api.js';
import { field, form, text, checkboxes, checkedValues } from '../forms.js';
import { pageHeader, section, listView, button, confirmSimple, notice, errorNotice, badge, secretBox } from '../ui.js';

function hashParams() {
  const q = window.location.hash.split('?')[1];
  return new URLSearchParams(q || '');
}

function principalCell(ctx, t, names) {
  if (t.user) return [badge('user'), ' ', h('a', { href: `#/t/${seg(ctx.tenant)}/users/${seg(t.user)}` }, names.get(t.user) || t.user)];
  if (t.robot) return [badge('robot'), ' ', h('a', { href: `#/t/${seg(ctx.tenant)}/robots/${seg(t.robot)}` }, names.get(t.robot) || t.robot)];
  return '';
}

/**
 * A table of tokens, filtered by {user} or {robot} (id or name) and optionally including inactive ones, each
 * active one with a Revoke button. say(node) shows outcomes. Returns {el, reload}.
 */
export function tokenTable(ctx, filter, say, names = new Map(), includeInactive = false) {
  const base = `/tenants/${seg(ctx.tenant)}/tokens`;
  let list;
  const revoke = async (t) => {
    if (!await confirmSimple({ title: 'Revoke this token?', action: 'Revoke',
      message: `Token ${t.id}${t.description ? ` (${t.description})` : ''} stops working at the next TokenReview, on every cluster.` })) return;
    try {
      await api.del(`${base}/${seg(t.id)}`);
      say(notice('ok', `Token ${t.id} revoked.`));
    } catch (err) {
      say(errorNotice(err));
    }
    list.reload();
  };
  list = listView({
    search: false,
    emptyText: includeInactive ? 'No tokens.' : 'No active tokens.',
    load: (p) => api.get(base + query({ ...filter, includeInactive: includeInactive ? 'true' : '', offset: p.offset, limit: p.limit })),
    columns: [
      { label: 'Token', cell: (t) => [h('code', {}, t.id.slice(0, 8)), t.description ? h('div', { class: 'small muted' }, t.description) : null] },
      ...(filter.user || filter.robot ? [] : [{ label: 'For', cell: (t) => principalCell(ctx, t, names) }]),
      { label: 'Kind', cell: (t) => t.kind },
      { label: 'Clusters', cell: (t) => (t.clusters.length ? t.clusters.join(', ') : h('span', { class: 'muted' }, 'all')) },
      { label: 'Last used', cell: (t) => (t.lastUsedAt ? h('span', { title: t.lastUsedAt }, ago(t.lastUsedAt)) : h('span', { class: 'muted' }, 'never')) },
      { label: 'Expires', cell: (t) => when(t.expiresAt) },
      { label: 'State', cell: (t) => (t.active ? badge('active', 'ok') : badge(t.revokedAt ? 'revoked' : 'expired', 'bad')) },
      { label: 'Actions', cell: (t) => (t.active ? button('Revoke', () => revoke(t), 'small danger', { 'aria-label': `Revoke token ${t.id}` }) : '') },
    ],
  });
  return list;
}

async function mintForm(ctx, say, onMinted) {
  const tenantBase = `/tenants/${seg(ctx.tenant)}`;
  const [clusters, tenant] = await Promise.all([api.get(`${tenantBase}/clusters?limit=500`), api.get(tenantBase)]);
  const params = hashParams();
  const preset = params.get('robot') ? 'robot' : 'user';
  const shown = h('div', {});
  const f = form({
    label: 'Mint a token',
    submitLabel: 'Mint token',
    fields: [
      field({ label: 'For a', name: 'principalType', value: preset, options: [['user', 'user'], ['robot', 'robot']] }),
      field({ label: 'Username or robot name', name: 'principal', required: true, value: params.get(preset) || '',
        help: 'Who the cluster will see (an id works too).' }),
      field({ label: 'Lifetime (TTL)', name: 'ttl', placeholder: tenant.settings.tokenDefaultTtl || '30d',
        help: `For example 8h, 30d. Default ${tenant.settings.tokenDefaultTtl || 'from the server'}, at most ${tenant.settings.tokenMaxTtl || 'the server maximum'}.` }),
      clusters.items.length
        ? checkboxes({ label: 'Valid on clusters', name: 'clusters', options: clusters.items.map((c) => [c.id, c.id]),
          help: 'None checked: valid on every cluster of the tenant.' })
        : h('p', { class: 'muted' }, 'No clusters are registered: the token is valid on any cluster of this tenant.'),
      field({ label: 'Description', name: 'description', placeholder: 'e.g. CI pipeline of project X' }),
    ],
    onsubmit: async (el) => {
      const type = el.elements.principalType.value;
      const body = { [type]: text(el, 'principal'), ttl: text(el, 'ttl'), description: text(el, 'description'),
        clusters: checkedValues(el, 'clusters') };
      if (!body[type]) {
        const e = new Error('required');
        e.status = 400;
        e.errors = [{ field: 'principal', message: 'required' }];
        throw e;
      }
      let minted;
      try {
        minted = await api.post(`${tenantBase}/tokens`, body);
      } catch (err) {
        // The API names the principal field by type ("user"/"robot") and a missing one is a 404.
        err.errors = (err.errors || []).map((e) => (e.field === 'user' || e.field === 'robot' ? { ...e, field: 'principal' } : e));
        if (err.status === 404) {
          err.status = 400;
          err.errors.push({ field: 'principal', message: err.detail });
        }
        throw err;
      }
      shown.replaceChildren(secretBox(`Token for ${type} ${body[type]} (expires ${new Date(minted.expiresAt).toLocaleString()})`,
        minted.token, 'Shown only now: Lanyard keeps only a hash. Give it to its owner, e.g. as the token of a kubeconfig user.'));
      say(notice('ok', `Token ${minted.id} minted.`));
      onMinted();
    },
  });
  return h('div', {}, shown, f);
}

export async function render(ctx) {
  const status = h('div', { 'aria-live': 'polite' });
  const say = (node) => status.replaceChildren(node);
  const [users, robots] = await Promise.all([
    api.get(`/tenants/${seg(ctx.tenant)}/users?limit=500`), api.get(`/tenants/${seg(ctx.tenant)}/robots?limit=500`)]);
  const names = new Map([...users.items.map((u) => [u.id, u.username]), ...robots.items.map((r) => [r.id, r.name])]);
  const includeId = 'include-inactive';
  const holder = h('div', {});
  let table = tokenTable(ctx, {}, say, names, false);
  holder.append(table.el);
  const include = h('input', { type: 'checkbox', id: includeId, onchange: () => {
    table = tokenTable(ctx, {}, say, names, include.checked);
    holder.replaceChildren(table.el);
  } });
  const mint = await mintForm(ctx, say, () => table.reload());
  return h('div', {},
    pageHeader('Tokens', `Revocable Kubernetes tokens of tenant ${ctx.tenant}, checked by the TokenReview webhook.`),
    status,
    section('Mint a token', mint),
    section('Tokens', h('div', { class: 'toolbar' }, h('label', { for: includeId, class: 'check' }, include, ' Show revoked and expired')), holder));
}
