// Forms: labelled fields, and API problems shown next to the field they name. A failed submit never clears
// what was typed.

import { h, uid } from './dom.js';

/**
 * A labelled input. opts: {label, name, type, value, required, placeholder, help, options: [[value, text]],
 * rows (textarea), autocomplete, maxlength, checked (checkbox)}.
 */
export function field(opts) {
  const id = uid(opts.name.replace(/[^A-Za-z0-9]/g, '-'));
  const helpId = `${id}-help`;
  const errorId = `${id}-error`;
  let input;
  const common = { id, name: opts.name, required: opts.required, 'aria-describedby': `${helpId} ${errorId}`,
    autocomplete: opts.autocomplete || 'off', placeholder: opts.placeholder, maxlength: opts.maxlength,
    disabled: opts.disabled, readonly: opts.readonly, spellcheck: 'false' };
  if (opts.options) {
    input = h('select', common, opts.options.map(([value, text]) =>
      h('option', { value, selected: String(opts.value) === String(value) }, text)));
  } else if (opts.rows) {
    input = h('textarea', { ...common, rows: opts.rows }, opts.value || '');
  } else if (opts.type === 'checkbox') {
    input = h('input', { ...common, type: 'checkbox', checked: opts.checked });
    return h('div', { class: 'field checkbox', dataset: { field: opts.name } },
      h('label', { for: id }, input, ' ', opts.label),
      h('p', { class: 'help', id: helpId }, opts.help || ''),
      h('p', { class: 'error', id: errorId, 'aria-live': 'polite' }));
  } else {
    input = h('input', { ...common, type: opts.type || 'text', value: opts.value ?? '' });
  }
  return h('div', { class: 'field', dataset: { field: opts.name } },
    h('label', { for: id }, opts.label, opts.required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null),
    input,
    h('p', { class: 'help', id: helpId }, opts.help || ''),
    h('p', { class: 'error', id: errorId, 'aria-live': 'polite' }));
}

/** A group of checkboxes sharing one name (e.g. grant types). */
export function checkboxes({ label, name, options, values = [], help }) {
  const errorId = uid(`${name}-error`);
  return h('fieldset', { class: 'field checks', dataset: { field: name }, 'aria-describedby': errorId },
    h('legend', {}, label),
    options.map(([value, text]) => {
      const id = uid(name);
      return h('label', { for: id, class: 'check' },
        h('input', { type: 'checkbox', id, name, value, checked: values.includes(value) }), ' ', text);
    }),
    help ? h('p', { class: 'help' }, help) : null,
    h('p', { class: 'error', id: errorId, 'aria-live': 'polite' }));
}

/** The checked values of a checkbox group. */
export function checkedValues(form, name) {
  return [...form.querySelectorAll(`input[type=checkbox][name="${name}"]`)].filter((c) => c.checked).map((c) => c.value);
}

/** A trimmed text value, or undefined when empty. */
export function text(form, name) {
  const el = form.elements.namedItem(name);
  const v = el && 'value' in el ? el.value.trim() : '';
  return v === '' ? undefined : v;
}

/** Non-empty lines of a textarea. */
export function lines(form, name) {
  return (form.elements.namedItem(name).value || '').split('\n').map((l) => l.trim()).filter(Boolean);
}

/**
 * A form: {onsubmit: async (form) => ..., submitLabel, fields, conflictField, cancel}. While the submit runs the
 * button is disabled; a rejection with an ApiError is shown by showProblem.
 */
export function form({ fields, submitLabel = 'Save', onsubmit, conflictField, notFound, extraButtons = [], label }) {
  const status = h('div', { class: 'form-error', role: 'alert', hidden: true, tabindex: '-1' });
  const submit = h('button', { type: 'submit', class: 'primary' }, submitLabel);
  const el = h('form', { novalidate: true, 'aria-label': label }, status, fields,
    h('div', { class: 'actions' }, submit, extraButtons));
  el.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearProblems(el);
    submit.disabled = true;
    el.setAttribute('aria-busy', 'true');
    try {
      await onsubmit(el);
    } catch (err) {
      showProblem(el, err, { conflictField, notFound });
    } finally {
      submit.disabled = false;
      el.removeAttribute('aria-busy');
    }
  });
  return el;
}

export function clearProblems(formEl) {
  formEl.querySelectorAll('.field.invalid').forEach((f) => f.classList.remove('invalid'));
  formEl.querySelectorAll('[aria-invalid]').forEach((i) => i.removeAttribute('aria-invalid'));
  formEl.querySelectorAll('.error').forEach((e) => { e.textContent = ''; });
  const status = formEl.querySelector('.form-error');
  if (status) {
    status.hidden = true;
    status.textContent = '';
  }
}

/** The field element for an API field name: "redirectUris[1]" -> redirectUris, "settings.tokenMaxTtl" -> tokenMaxTtl. */
function fieldFor(formEl, name) {
  const candidates = [name, name.replace(/\[\d+\]$/, ''), name.replace(/^settings\./, ''),
    name.replace(/^settings\./, '').replace(/\[\d+\]$/, '')];
  for (const c of candidates) {
    const f = formEl.querySelector(`[data-field="${CSS.escape(c)}"]`);
    if (f) return f;
  }
  return null;
}

function markField(f, message) {
  f.classList.add('invalid');
  const input = f.querySelector('input, select, textarea');
  if (input) input.setAttribute('aria-invalid', 'true');
  const error = f.querySelector('.error');
  error.textContent = error.textContent ? `${error.textContent} ${message}` : message;
}

/**
 * Shows an API failure in the form: each field error next to its field (with the line number for list
 * entries), a conflict (409) next to conflictField, anything else at the top. Focuses the first message.
 */
export function showProblem(formEl, err, { conflictField, notFound } = {}) {
  const status = formEl.querySelector('.form-error');
  const unplaced = [];
  let first = null;
  for (const e of err.errors || []) {
    const f = fieldFor(formEl, e.field);
    const index = /\[(\d+)\]$/.exec(e.field);
    const message = index ? `Line ${Number(index[1]) + 1}: ${e.message}.` : `${e.message}.`;
    if (f) {
      markField(f, message.charAt(0).toUpperCase() + message.slice(1));
      first = first || f;
    } else {
      unplaced.push(`${e.field}: ${e.message}`);
    }
  }
  if (err.status === 409 && conflictField) {
    const f = fieldFor(formEl, conflictField);
    if (f) {
      const detail = err.detail || 'already exists';
      markField(f, `${detail.charAt(0).toUpperCase()}${detail.slice(1)}.`);
      first = first || f;
    }
  }
  let summary = null;
  if (err.shown) summary = err.shown; // the caller's own words for this failure
  else if (err.status === 404) summary = notFound || `${err.detail || 'Not found'}: it was deleted, perhaps in another tab. Nothing was saved.`;
  else if (err.status === 403) summary = 'Your admin role does not allow this.';
  else if (err.status === 401) summary = 'Your session has ended. Sign in again, then submit once more: what you typed is kept.';
  else if (err.status === 0 || err.status >= 500) summary = `${err.detail || err.message} Nothing was saved; try again.`;
  else if (!first) summary = err.detail || err.message;
  if (unplaced.length) summary = [summary, ...unplaced].filter(Boolean).join(' ');
  if (summary) {
    status.textContent = summary;
    status.hidden = false;
    first = first || status;
  }
  const focusTarget = first && (first.querySelector ? first.querySelector('input, select, textarea') : null);
  (focusTarget || status).focus?.();
  if (first && first.scrollIntoView) first.scrollIntoView({ block: 'nearest' });
}
