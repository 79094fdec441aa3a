// Administrators (global admins only): who holds which admin role, grant and revoke.

import { h } from '../dom.js';
import { api, query, seg } from '../api.js';
import { field, form, text } from '../forms.js';
import { pageHeader, section, listView, button, confirmSimple, notice, errorNotice, badge } from '../ui.js';

/** Usernames of role holders, looked up once per page of roles. */
async function withUsernames(page) {
  const names = await Promise.all(page.items.map((r) => api.get(`/tenants/${seg(r.tenant)}/users/${seg(r.user)}`)
    .then((u) => u.username).catch(() => r.user)));
  page.items.forEach((r, i) => { r.username = names[i]; });
  return page;
}

export async function render(ctx) {
  if (!ctx.me.global) {
    return h('div', {}, pageHeader('Administrators'), notice('error', 'Only global administrators manage admin roles.'));
  }
  const status = h('div', { 'aria-live': 'polite' });
  const say = (node) => status.replaceChildren(node);
  let list;
  const revoke = async (r) => {
    const self = r.tenant === ctx.me.tenant && r.user === ctx.me.userId;
    if (!await confirmSimple({ title: `Revoke ${r.scope === '*' ? 'global' : r.scope} administration from ${r.username}?`,
      action: 'Revoke', message: self ? 'This is your own role: you may lose access to this console.'
        : 'Their admin tokens stop working for what this role covered.' })) return;
    try {
      await api.del(`/admin-roles/${seg(r.tenant)}/${seg(r.user)}/${seg(r.scope)}`);
      say(notice('ok', `Role revoked from ${r.username}.`));
    } catch (err) {
      say(errorNotice(err));
    }
    list.reload();
  };
  list = listView({
    search: false, emptyText: 'No admin roles.',
    load: async (p) => withUsernames(await api.get(`/admin-roles${query({ offset: p.offset, limit: p.limit })}`)),
    columns: [
      { label: 'User', cell: (r) => h('a', { href: `#/t/${seg(r.tenant)}/users/${seg(r.user)}` }, r.username) },
      { label: 'User’s tenant', cell: (r) => r.tenant },
      { label: 'Manages', cell: (r) => (r.scope === '*' ? badge('every tenant', 'warn') : r.scope) },
      { label: 'Actions', cell: (r) => button('Revoke', () => revoke(r), 'small danger', { 'aria-label': `Revoke ${r.scope} from ${r.username}` }) },
    ],
  });
  const tenantOptions = ctx.tenants.map((t) => [t.id, t.id]);
  const grant = form({
    label: 'Grant an admin role', submitLabel: 'Grant role',
    fields: [
      field({ label: 'User’s tenant', name: 'tenant', options: tenantOptions, value: ctx.tenant }),
      field({ label: 'Username', name: 'user', required: true, help: 'An existing user of that tenant.' }),
      field({ label: 'Manages', name: 'scope', options: [...tenantOptions, ['*', 'every tenant (global administrator)']],
        value: ctx.tenant }),
    ],
    onsubmit: async (el) => {
      try {
        await api.post('/admin-roles', { tenant: el.elements.tenant.value, user: text(el, 'user'), scope: el.elements.scope.value });
      } catch (err) {
        if (err.status === 404) {
          err.status = 400;
          err.errors = [{ field: 'user', message: err.detail }];
        }
        throw err;
      }
      say(notice('ok', `${text(el, 'user')} now manages ${el.elements.scope.value === '*' ? 'every tenant' : el.elements.scope.value}.`));
      el.elements.user.value = '';
      list.reload();
    },
  });
  return h('div', {},
    pageHeader('Administrators', 'Users who may use this console and the admin API, and what they manage.'),
    status,
    section('Admin roles', list.el),
    section('Grant an admin role', grant));
}
