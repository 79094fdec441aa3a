// Users of a tenant: search, create, edit, disable/enable, password, groups, tokens (revoke), login sessions (end), delete.

import { h, when, ago } from '../dom.js';
import { api, query, seg } from '../api.js';
import { field, form, text, checkboxes, checkedValues } from '../forms.js';
import { pageHeader, section, listView, button, confirmTyped, confirmSimple, notice, errorNotice, badge, link } from '../ui.js';
import { tokenTable } from './tokens.js';

async function allGroups(tenant) {
  return (await api.get(`/tenants/${seg(tenant)}/groups?limit=500`)).items;
}

function groupBoxes(groups, values) {
  if (!groups.length) return h('p', { class: 'muted' }, 'This tenant has no groups yet.');
  return checkboxes({ label: 'Member of', name: 'groups', options: groups.map((g) => [g.name, g.name]), values });
}

function createForm(ctx, groups) {
  const base = `/tenants/${seg(ctx.tenant)}/users`;
  return form({
    label: 'New user',
    submitLabel: 'Create user',
    conflictField: 'username',
    fields: [
      field({ label: 'Username', name: 'username', required: true, maxlength: 128, help: 'Letters, digits and . _ @ : + -' }),
      field({ label: 'Email', name: 'email', type: 'email' }),
      field({ label: 'Email address is verified', name: 'emailVerified', type: 'checkbox',
        help: 'Clusters that name users by email refuse unverified addresses.' }),
      field({ label: 'Display name', name: 'displayName' }),
      field({ label: 'Password', name: 'password', type: 'password', autocomplete: 'new-password',
        help: 'At least 12 characters. Leave empty for an account that cannot log in with a password yet.' }),
      groupBoxes(groups, []),
    ],
    onsubmit: async (el) => {
      const body = { username: text(el, 'username'), email: text(el, 'email'), displayName: text(el, 'displayName'),
        emailVerified: el.elements.emailVerified.checked, groups: checkedValues(el, 'groups') };
      if (el.elements.password.value) body.password = el.elements.password.value;
      const u = await api.post(base, body);
      ctx.go(`#/t/${seg(ctx.tenant)}/users/${seg(u.id)}`);
    },
  });
}

async function detail(ctx, id) {
  const base = `/tenants/${seg(ctx.tenant)}/users/${seg(id)}`;
  const [u, groups] = await Promise.all([api.get(base), allGroups(ctx.tenant)]);
  const status = h('div', { 'aria-live': 'polite' });
  const say = (node) => status.replaceChildren(node);
  const gone = `User ${u.username} no longer exists: deleted, perhaps in another tab. Nothing was saved.`;

  const editForm = form({
    label: 'Edit user', conflictField: 'username', notFound: gone,
    fields: [
      field({ label: 'Username', name: 'username', value: u.username, required: true, maxlength: 128 }),
      field({ label: 'Email', name: 'email', type: 'email', value: u.email || '' }),
      field({ label: 'Email address is verified', name: 'emailVerified', type: 'checkbox', checked: u.emailVerified }),
      field({ label: 'Display name', name: 'displayName', value: u.displayName || '' }),
    ],
    onsubmit: async (el) => {
      const updated = await api.put(base, { username: text(el, 'username'), email: text(el, 'email') ?? null,
        displayName: text(el, 'displayName') ?? null, emailVerified: el.elements.emailVerified.checked });
      Object.assign(u, updated);
      say(notice('ok', 'Saved.'));
    },
  });

  const generate = button('Generate', () => {
    // 18 random bytes, base64url: 24 characters, about 144 bits. Shown so it can be handed over.
    const bytes = crypto.getRandomValues(new Uint8Array(18));
    const pw = btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_');
    const input = passwordForm.elements.password;
    input.type = 'text';
    input.value = pw;
    input.select();
  }, 'small', { 'aria-label': 'Generate a random password' });
  const passwordForm = form({
    label: 'Set password', submitLabel: 'Set password', notFound: gone, extraButtons: [generate],
    fields: [field({ label: 'New password', name: 'password', type: 'password', required: true, autocomplete: 'new-password',
      help: 'At least 12 characters. The user’s sessions and tokens are not affected.' })],
    onsubmit: async (el) => {
      await api.put(`${base}/password`, { password: el.elements.password.value });
      const shown = el.elements.password.type === 'text';
      el.elements.password.value = '';
      el.elements.password.type = 'password';
      say(notice('ok', shown ? 'Password set. Hand the generated password to the user over a safe channel.' : 'Password set.'));
    },
  });

  const groupsForm = form({
    label: 'Group membership', submitLabel: 'Save groups', notFound: gone,
    fields: [groupBoxes(groups, u.groups)],
    onsubmit: async (el) => {
      const res = await api.put(`${base}/groups`, { groups: checkedValues(el, 'groups') });
      say(notice('ok', `Groups saved: ${res.groups.join(', ') || 'none'}. TokenReviews see the change at once.`));
    },
  });

  const toggle = button(u.enabled ? 'Disable user' : 'Enable user', async () => {
    try {
      const updated = await api.put(base, { enabled: !u.enabled });
      Object.assign(u, updated);
      toggle.textContent = u.enabled ? 'Disable user' : 'Enable user';
      stateBadge.replaceWith(stateBadge = badge(u.enabled ? 'enabled' : 'disabled', u.enabled ? 'ok' : 'bad'));
      say(notice('ok', u.enabled ? 'User enabled.' : 'User disabled: their tokens stop working at the next TokenReview.'));
    } catch (err) {
      say(errorNotice(err));
    }
  }, u.enabled ? 'danger' : '');
  let stateBadge = badge(u.enabled ? 'enabled' : 'disabled', u.enabled ? 'ok' : 'bad');

  const tokens = tokenTable(ctx, { user: u.id }, say);
  const sessions = sessionTable(base, say);

  const del = button('Delete user…', async () => {
    if (!await confirmTyped({ title: `Delete user ${u.username}?`, message: 'Their tokens are deleted too. This cannot be undone.', name: u.username })) return;
    try {
      await api.del(base);
      ctx.go(`#/t/${seg(ctx.tenant)}/users`);
    } catch (err) {
      say(errorNotice(err));
    }
  }, 'danger');

  return h('div', {},
    pageHeader(u.username, [`User in ${ctx.tenant} · `, stateBadge, ` · updated ${ago(u.updatedAt)}`],
      link('All users', `#/t/${seg(ctx.tenant)}/users`, { class: 'button small' }), toggle),
    status,
    h('div', { class: 'grid-2' }, section('Profile', editForm), h('div', {}, section('Groups', groupsForm), section('Set or reset password', passwordForm))),
    section('Active tokens', tokens.el,
      h('p', {}, link('Mint a token for this user', `#/t/${seg(ctx.tenant)}/tokens?user=${seg(u.username)}`))),
    section('Login sessions', sessions.el,
      h('p', { class: 'small muted' }, 'Browser sign-ins to Lanyard (single sign-on for kubectl and the console). Ending one signs that browser out and revokes the refresh tokens obtained through it.')),
    section('Delete', del));
}

/** The user's live login sessions, each with a button that ends it. */
function sessionTable(userBase, say) {
  let list;
  const end = async (s) => {
    if (!await confirmSimple({ title: 'End this login session?', action: 'End session',
      message: `The browser signed in ${ago(s.authTime)}${s.sourceAddress ? ` from ${s.sourceAddress}` : ''} is signed out, and refresh tokens obtained through it stop working.` })) return;
    try {
      await api.del(`${userBase}/sessions/${seg(s.id)}`);
      say(notice('ok', 'Login session ended.'));
    } catch (err) {
      say(errorNotice(err));
    }
    list.reload();
  };
  list = listView({
    search: false,
    emptyText: 'No live login sessions.',
    load: (p) => api.get(`${userBase}/sessions` + query(p)),
    columns: [
      { label: 'Signed in', cell: (s) => h('span', { title: s.authTime }, ago(s.authTime)) },
      { label: 'From', cell: (s) => s.sourceAddress || h('span', { class: 'muted' }, 'unknown') },
      { label: 'Browser', cell: (s) => h('span', { class: 'small' }, s.userAgent || '') },
      { label: 'Last seen', cell: (s) => h('span', { title: s.lastSeenAt }, ago(s.lastSeenAt)) },
      { label: 'Ends', cell: (s) => when(s.expiresAt) },
      { label: 'Actions', cell: (s) => button('End session', () => end(s), 'small danger', { 'aria-label': `End login session ${s.id}` }) },
    ],
  });
  return list;
}

export async function render(ctx) {
  if (ctx.parts[3]) return detail(ctx, ctx.parts[3]);
  const base = `/tenants/${seg(ctx.tenant)}/users`;
  const groups = await allGroups(ctx.tenant);
  const list = listView({
    searchLabel: 'Search users', searchPlaceholder: 'username, email or name',
    emptyText: 'No users yet. Create one below.',
    load: (p) => api.get(base + query(p)),
    columns: [
      { label: 'Username', cell: (u) => h('a', { href: `#/t/${seg(ctx.tenant)}/users/${seg(u.id)}` }, u.username) },
      { label: 'Name', cell: (u) => u.displayName || '' },
      { label: 'Email', cell: (u) => u.email ? [u.email, u.emailVerified ? '' : ' ', u.emailVerified ? null : badge('unverified')] : '' },
      { label: 'State', cell: (u) => badge(u.enabled ? 'enabled' : 'disabled', u.enabled ? 'ok' : 'bad') },
      { label: 'Created', cell: (u) => when(u.createdAt) },
    ],
  });
  return h('div', {},
    pageHeader('Users', `People of tenant ${ctx.tenant}.`),
    section('All users', list.el),
    section('New user', createForm(ctx, groups)));
}
