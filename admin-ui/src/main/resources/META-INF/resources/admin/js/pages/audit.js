// Audit log: filter by tenant, actor, action and time range; page through; export the filtered events as JSON
// lines.

import { h, when } from '../dom.js';
import { api, query } from '../api.js';
import { field, form, text, clearProblems, showProblem } from '../forms.js';
import { pageHeader, section, listView, badge, download, button } from '../ui.js';

/** A datetime-local value as an RFC 3339 instant in UTC, or undefined. */
function instant(value) {
  if (!value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : d.toISOString();
}

export async function render(ctx) {
  const tenants = ctx.me.global ? [['', 'All tenants and process events'], ...ctx.tenants.map((t) => [t.id, t.id])]
    : ctx.tenants.map((t) => [t.id, t.id]);
  let filters = ctx.me.global ? {} : { tenant: ctx.tenant };
  const holder = h('div', {});
  let filterForm;

  const makeList = () => listView({
    search: false, limit: 25, emptyText: 'No audit events match.',
    load: async (p) => {
      try {
        const page = await api.get(`/audit${query({ ...filters, offset: p.offset, limit: p.limit })}`);
        clearProblems(filterForm);
        return page;
      } catch (err) {
        showProblem(filterForm, err);
        throw err;
      }
    },
    columns: [
      { label: 'When', cell: (e) => when(e.at) },
      { label: 'Action', cell: (e) => h('code', {}, e.action) },
      { label: 'Outcome', cell: (e) => badge(e.outcome, e.outcome === 'success' ? 'ok' : 'bad') },
      { label: 'Actor', cell: (e) => e.actor || '' },
      { label: 'Target', cell: (e) => e.target || '' },
      { label: 'Tenant', cell: (e) => e.tenant || h('span', { class: 'muted' }, 'process') },
      { label: 'Source', cell: (e) => e.source || '' },
      { label: 'Details', cell: (e) => (e.details ? h('code', { class: 'small' }, JSON.stringify(e.details)) : '') },
    ],
  });

  const readFilters = (el) => ({ tenant: el.elements.tenant.value || undefined, actor: text(el, 'actor'),
    action: text(el, 'action'), from: instant(text(el, 'from')), to: instant(text(el, 'to')) });

  async function exportLines(el) {
    const f = readFilters(el);
    const out = [];
    // Page through everything that matches, 500 at a time.
    for (let offset = 0; ; offset += 500) {
      const page = await api.get(`/audit${query({ ...f, offset, limit: 500 })}`);
      page.items.forEach((e) => out.push(JSON.stringify(e)));
      if (offset + page.items.length >= page.total || !page.items.length) break;
    }
    download(`lanyard-audit-${new Date().toISOString().replace(/[:.]/g, '-')}.jsonl`, out.join('\n') + (out.length ? '\n' : ''), 'application/x-ndjson');
  }

  const exportButton = button('Export as JSON lines', async () => {
    clearProblems(filterForm);
    try {
      await exportLines(filterForm);
    } catch (err) {
      showProblem(filterForm, err);
    }
  });
  filterForm = form({
    label: 'Filter audit events', submitLabel: 'Apply filters',
    fields: h('div', { class: 'filters' },
      field({ label: 'Tenant', name: 'tenant', options: tenants, value: filters.tenant || '' }),
      field({ label: 'Actor', name: 'actor', placeholder: 'e.g. user:admin/admin' }),
      field({ label: 'Action', name: 'action', placeholder: 'e.g. token.revoke' }),
      field({ label: 'From', name: 'from', type: 'datetime-local' }),
      field({ label: 'To', name: 'to', type: 'datetime-local' })),
    extraButtons: [exportButton],
    onsubmit: async (el) => {
      filters = readFilters(el);
      holder.replaceChildren(makeList().el);
    },
  });
  holder.append(makeList().el);
  return h('div', {},
    pageHeader('Audit log', 'Every admin change, token mint and revocation, and failed authentication, newest first.'),
    section('Filters', filterForm),
    section('Events', holder));
}
