// Signing keys of a tenant: kid, algorithm, state and age; rotate now; the JWKS as served.

import { h, when, duration } from '../dom.js';
import { api, seg } from '../api.js';
import { pageHeader, section, button, confirmSimple, notice, errorNotice, badge, copyButton, empty } from '../ui.js';

export async function render(ctx) {
  const base = `/tenants/${seg(ctx.tenant)}/keys`;
  const status = h('div', { 'aria-live': 'polite' });
  const say = (node) => status.replaceChildren(node);
  const table = h('div', {});
  const jwks = h('pre', { class: 'mono', tabindex: '0', 'aria-label': 'JWKS' });
  const jwksUrl = `/t/${seg(ctx.tenant)}/jwks`;

  async function load() {
    const keys = (await api.get(`${base}?limit=500`)).items;
    const now = Date.now();
    table.replaceChildren(keys.length ? h('div', { class: 'table-wrap' }, h('table', {},
      h('thead', {}, h('tr', {}, ['Key ID (kid)', 'Algorithm', 'State', 'Age', 'Signs from', 'Retire after', 'Unpublish after']
        .map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, keys.map((k) => h('tr', {},
        h('th', { scope: 'row' }, h('code', {}, k.kid)), h('td', {}, k.alg),
        h('td', {}, badge(k.state, k.state === 'active' ? 'ok' : k.state === 'retired' ? '' : 'warn')),
        h('td', { class: 'nowrap' }, duration(Math.round((now - Date.parse(k.createdAt)) / 1000))),
        h('td', {}, when(k.activeFrom)), h('td', {}, when(k.retireAfter)), h('td', {}, when(k.unpublishAfter)))))))
      : empty('No signing keys.'));
    // The JWKS exactly as clusters fetch it (public keys only), from the tenant's own endpoint.
    const res = await fetch(jwksUrl, { cache: 'no-store', credentials: 'omit' });
    jwks.textContent = res.ok ? JSON.stringify(await res.json(), null, 2) : `GET ${jwksUrl} answered ${res.status}`;
  }

  const rotate = button('Rotate now…', async () => {
    if (!await confirmSimple({ title: `Rotate the signing key of ${ctx.tenant}?`, action: 'Rotate',
      message: 'A new key is published in the JWKS now and signs once caches have seen it; the current key keeps verifying the tokens it signed until they expire.' })) return;
    try {
      const k = await api.post(`${base}/rotate`);
      say(notice('ok', `New key ${k.kid} published; it signs from ${new Date(k.activeFrom).toLocaleString()}.`));
      await load();
    } catch (err) {
      say(errorNotice(err));
    }
  }, 'primary');

  await load();
  return h('div', {},
    pageHeader('Signing keys', `Keys that sign ID tokens of tenant ${ctx.tenant}. Private parts never leave the server.`, rotate),
    status,
    section('Keys', table),
    section('JWKS as served', h('p', {}, h('a', { href: jwksUrl }, jwksUrl), ' ', copyButton(() => jwks.textContent, 'Copy JWKS')), jwks));
}
