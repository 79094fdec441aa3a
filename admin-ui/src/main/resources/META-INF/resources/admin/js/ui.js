// Shared pieces of every page: headings, notices, lists with search and paging, copy and download buttons,
// secrets shown once, and the typed confirmation for deletes.

import { h, clear, uid } from './dom.js';

export function pageHeader(title, subtitle, ...actions) {
  return h('div', { class: 'page-header' },
    h('div', {}, h('h1', { tabindex: '-1' }, title), subtitle ? h('p', { class: 'muted' }, subtitle) : null),
    h('div', { class: 'header-actions' }, actions));
}

export function section(title, ...children) {
  const id = uid('section');
  return h('section', { class: 'card', 'aria-labelledby': id }, h('h2', { id }, title), children);
}

/** A message at the top of the page ("Saved.", or an error the page could not place anywhere better). */
export function notice(kind, message) {
  return h('div', { class: ['notice', kind], role: kind === 'error' ? 'alert' : 'status' }, message);
}

export function errorNotice(err) {
  if (err && err.status === 403) return notice('error', 'Your admin role does not cover this.');
  if (err && err.status === 404) return notice('error', `${err.detail || 'Not found'} (deleted, perhaps in another tab).`);
  return notice('error', (err && (err.detail || err.message)) || 'Something went wrong.');
}

export function button(label, onclick, kind = '', extra = {}) {
  return h('button', { type: 'button', class: kind, onclick, ...extra }, label);
}

export function link(label, href, extra = {}) {
  return h('a', { href, ...extra }, label);
}

export function badge(text, kind = '') {
  return h('span', { class: ['badge', kind] }, text);
}

export function empty(message, ...actions) {
  return h('div', { class: 'empty' }, h('p', {}, message), actions);
}

/** Copies text to the clipboard; the button says "Copied" for a moment. */
export function copyButton(getText, label = 'Copy') {
  const btn = h('button', { type: 'button', class: 'small' }, label);
  btn.addEventListener('click', async () => {
    const text = typeof getText === 'function' ? getText() : getText;
    try {
      await navigator.clipboard.writeText(text);
    } catch (e) {
      // Clipboard API refused (permissions): fall back to a hidden selection.
      const area = h('textarea', { class: 'offscreen', 'aria-hidden': 'true' }, text);
      document.body.append(area);
      area.select();
      document.execCommand('copy');
      area.remove();
    }
    btn.textContent = 'Copied';
    btn.dataset.copied = 'true';
    setTimeout(() => { btn.textContent = label; }, 2000);
  });
  return btn;
}

/** Saves text as a file through a temporary object URL (nothing leaves the browser). */
export function download(name, text, type = 'text/plain') {
  const url = URL.createObjectURL(new Blob([text], { type: `${type};charset=utf-8` }));
  const a = h('a', { href: url, download: name, class: 'offscreen' });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

export function downloadButton(name, getText, label = 'Download') {
  return button(label, () => download(name, typeof getText === 'function' ? getText() : getText), 'small',
    { 'aria-label': `${label} ${name}` });
}

/** A secret shown once: read-only, selectable, with a copy button and a warning. */
export function secretBox(title, value, warning) {
  const id = uid('secret');
  return h('div', { class: 'secret', role: 'status' },
    h('label', { for: id }, title),
    h('div', { class: 'secret-row' },
      h('input', { id, type: 'text', readonly: true, value, class: 'mono', spellcheck: 'false', dataset: { secret: 'true' } }),
      copyButton(value)),
    h('p', { class: 'warning' }, warning || 'Shown only now: Lanyard keeps only a hash. Copy it before leaving this page.'));
}

/** A file's text with copy and download buttons. */
export function fileBox(name, title, content, secret) {
  const id = uid('file');
  return h('div', { class: 'file' },
    h('div', { class: 'file-head' },
      h('h3', { id }, title, ' ', h('code', {}, name), secret ? badge('holds a secret: mode 0600', 'warn') : null),
      h('div', { class: 'file-actions' }, copyButton(content), downloadButton(name, content))),
    h('pre', { class: 'mono', tabindex: '0', 'aria-labelledby': id }, content));
}

/**
 * A modal asking to type `name` to confirm a destructive action. Resolves true when confirmed.
 */
export function confirmTyped({ title, message, name, action = 'Delete' }) {
  return new Promise((resolve) => {
    const inputId = uid('confirm');
    const input = h('input', { id: inputId, type: 'text', autocomplete: 'off', spellcheck: 'false' });
    const ok = h('button', { type: 'submit', class: 'danger', disabled: true }, action);
    const dialog = h('dialog', { class: 'confirm', 'aria-labelledby': `${inputId}-title` },
      h('form', { method: 'dialog' },
        h('h2', { id: `${inputId}-title` }, title),
        h('p', {}, message),
        h('label', { for: inputId }, 'Type ', h('strong', { class: 'mono' }, name), ' to confirm'),
        input,
        h('div', { class: 'actions' }, ok, h('button', { type: 'button', value: 'cancel', onclick: () => dialog.close('cancel') }, 'Cancel'))));
    input.addEventListener('input', () => { ok.disabled = input.value !== name; });
    dialog.addEventListener('close', () => {
      const confirmed = dialog.returnValue !== 'cancel' && input.value === name;
      dialog.remove();
      resolve(confirmed);
    });
    ok.addEventListener('click', () => { dialog.returnValue = 'confirm'; });
    document.body.append(dialog);
    dialog.showModal();
    input.focus();
  });
}

/** A yes/no modal for reversible or less drastic actions (revoke a token, rotate a secret). */
export function confirmSimple({ title, message, action }) {
  return new Promise((resolve) => {
    const id = uid('ask');
    const dialog = h('dialog', { class: 'confirm', 'aria-labelledby': id },
      h('form', { method: 'dialog' },
        h('h2', { id }, title), h('p', {}, message),
        h('div', { class: 'actions' },
          h('button', { type: 'submit', class: 'danger', value: 'confirm' }, action),
          h('button', { type: 'submit', value: 'cancel', autofocus: true }, 'Cancel'))));
    dialog.addEventListener('close', () => {
      const yes = dialog.returnValue === 'confirm';
      dialog.remove();
      resolve(yes);
    });
    document.body.append(dialog);
    dialog.showModal();
  });
}

/**
 * A searchable, paged table over an admin API list. opts: {load: ({q, offset, limit}) => Promise<{items, total,
 * offset, limit}>, columns: [{label, cell: (item) => node|string}], emptyText, searchLabel, limit, search (bool)}.
 * Returns {el, reload}.
 */
export function listView(opts) {
  const limit = opts.limit || 20;
  let offset = 0;
  let q = '';
  const body = h('div', { class: 'list-body', 'aria-live': 'polite' });
  const pager = h('nav', { class: 'pager', 'aria-label': `${opts.searchLabel || 'List'} pages` });
  const searchId = uid('search');
  const searchInput = h('input', { id: searchId, type: 'search', placeholder: opts.searchPlaceholder || 'Search',
    autocomplete: 'off' });
  let timer = null;
  searchInput.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => { q = searchInput.value.trim(); offset = 0; reload(); }, 250);
  });
  const toolbar = opts.search === false ? null : h('div', { class: 'toolbar' },
    h('label', { for: searchId, class: 'search-label' }, opts.searchLabel || 'Search'), searchInput);

  async function reload() {
    body.setAttribute('aria-busy', 'true');
    let page;
    try {
      page = await opts.load({ q, offset, limit });
    } catch (err) {
      clear(body).append(errorNotice(err));
      clear(pager);
      body.removeAttribute('aria-busy');
      return;
    }
    body.removeAttribute('aria-busy');
    clear(body);
    clear(pager);
    if (!page.items.length) {
      body.append(empty(q ? `Nothing matches “${q}”.` : opts.emptyText, q ? null : opts.emptyAction));
      return;
    }
    const table = h('table', {},
      h('thead', {}, h('tr', {}, opts.columns.map((c) => h('th', { scope: 'col', class: c.className }, c.label)))),
      h('tbody', {}, page.items.map((item) => h('tr', {},
        opts.columns.map((c, i) => h(i === 0 ? 'th' : 'td', { scope: i === 0 ? 'row' : undefined, class: c.className }, c.cell(item)))))));
    body.append(h('div', { class: 'table-wrap' }, table));
    const from = page.offset + 1;
    const to = page.offset + page.items.length;
    pager.append(
      h('span', { class: 'muted' }, `${from}–${to} of ${page.total}`),
      button('Previous', () => { offset = Math.max(0, offset - limit); reload(); }, 'small', { disabled: page.offset === 0 }),
      button('Next', () => { offset += limit; reload(); }, 'small', { disabled: to >= page.total }));
  }

  const el = h('div', { class: 'list' }, toolbar, body, pager);
  reload();
  return { el, reload };
}
