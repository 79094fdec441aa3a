// Clusters of a tenant: "Connect a cluster" registers one and gives every file its control plane and its
// developers need (kube-apiserver flags, AuthenticationConfiguration, webhook kubeconfig, developer
// kubeconfigs, CA), each with copy and download; existing clusters: files again, rotate credential, delete.

import { h, when } from '../dom.js';
import { api, query, seg } from '../api.js';
import { field, form, text } from '../forms.js';
import { pageHeader, section, listView, button, confirmTyped, confirmSimple, notice, errorNotice, secretBox, fileBox, link, downloadButton } from '../ui.js';

async function clientOptions(ctx) {
  const clients = (await api.get(`/tenants/${seg(ctx.tenant)}/clients?limit=500`)).items;
  const ids = clients.map((c) => c.id);
  return { ids, options: clients.map((c) => [c.id, c.displayName && c.displayName !== c.id ? `${c.id} (${c.displayName})` : c.id]) };
}

function onboardingFields(clients, values = {}) {
  return [
    clients.ids.length
      ? field({ label: 'OAuth client of kubectl users', name: 'clientId', options: clients.options,
        value: values.clientId || (clients.ids.includes('kubernetes') ? 'kubernetes' : clients.ids[0]),
        help: 'The API server accepts ID tokens issued to this client (its --oidc-client-id).' })
      : field({ label: 'OAuth client of kubectl users', name: 'clientId', value: 'kubernetes', help: 'Create a public client first.' }),
    field({ label: 'API server URL', name: 'clusterServer', type: 'url', value: values.clusterServer || '',
      placeholder: 'https://10.0.0.1:6443', help: 'For the developer kubeconfig. Leave empty to skip it.' }),
  ];
}

function filesView(res, credential) {
  return h('div', { class: 'files' },
    credential ? secretBox('Webhook credential of the cluster', credential,
      'Shown only now: it is inside the webhook kubeconfig below. Lanyard keeps only a hash.') : null,
    h('p', {}, 'Issuer ', h('code', {}, res.issuer), ' · TokenReview webhook ', h('code', {}, res.webhookUrl)),
    res.files.map((f) => fileBox(f.name, f.title, f.content, f.secret)));
}

function connectForm(ctx, clients, out, reloadList) {
  return form({
    label: 'Connect a cluster', submitLabel: 'Register and generate files', conflictField: 'name',
    fields: [
      field({ label: 'Cluster name', name: 'name', required: true, maxlength: 63,
        help: 'Lower-case letters, digits, “-” and “.”; tokens can be bound to it.' }),
      field({ label: 'Description', name: 'description' }),
      ...onboardingFields(clients),
    ],
    onsubmit: async (el) => {
      const base = `/tenants/${seg(ctx.tenant)}/clusters`;
      const clusterServer = text(el, 'clusterServer');
      // Check the API server URL before registering, so a typo does not leave a half-set-up cluster behind.
      if (clusterServer && !/^https:\/\/[^\s/?#]+[^\s?#]*$/i.test(clusterServer)) {
        const e = new Error('invalid');
        e.status = 400;
        e.errors = [{ field: 'clusterServer', message: 'an https URL, e.g. https://10.0.0.1:6443' }];
        throw e;
      }
      const created = await api.post(base, { name: text(el, 'name'), description: text(el, 'description') });
      reloadList();
      const res = await api.post(`${base}/${seg(created.id)}/onboarding`, { credential: created.credential,
        clientId: text(el, 'clientId'), clusterServer });
      out.replaceChildren(notice('ok', `Cluster ${created.id} registered. Put these files on its control plane now: the credential is not shown again.`),
        filesView(res, created.credential));
      out.scrollIntoView({ block: 'start' });
    },
  });
}

async function detail(ctx, id) {
  const base = `/tenants/${seg(ctx.tenant)}/clusters/${seg(id)}`;
  const [c, clients] = await Promise.all([api.get(base), clientOptions(ctx)]);
  const status = h('div', { 'aria-live': 'polite' });
  const say = (node) => status.replaceChildren(node);
  const out = h('div', {});
  const gone = `Cluster ${id} no longer exists: deleted, perhaps in another tab.`;
  let credential = null;
  const filesForm = form({
    label: 'Cluster files', submitLabel: 'Show files', notFound: gone,
    fields: onboardingFields(clients),
    onsubmit: async (el) => {
      const res = await api.post(`${base}/onboarding`, { credential: credential || undefined, clientId: text(el, 'clientId'),
        clusterServer: text(el, 'clusterServer') });
      out.replaceChildren(filesView(res, credential));
    },
  });
  const rotate = button('Rotate webhook credential…', async () => {
    if (!await confirmSimple({ title: `Rotate the webhook credential of ${id}?`, action: 'Rotate',
      message: 'The API server’s current webhook kubeconfig stops working until you replace it with the new one.' })) return;
    try {
      credential = (await api.post(`${base}/credential`)).credential;
      say(notice('ok', 'New credential made. The files below now include the webhook kubeconfig.'));
      filesForm.requestSubmit();
    } catch (err) {
      say(errorNotice(err));
    }
  });
  const del = button('Delete cluster…', async () => {
    if (!await confirmTyped({ title: `Delete cluster ${id}?`, message: 'Its webhook credential stops working at once; tokens bound to it only are refused.', name: id })) return;
    try {
      await api.del(base);
      ctx.go(`#/t/${seg(ctx.tenant)}/clusters`);
    } catch (err) {
      say(errorNotice(err));
    }
  }, 'danger');
  return h('div', {},
    pageHeader(`Cluster ${id}`, `Of tenant ${ctx.tenant} · registered ${new Date(c.createdAt).toLocaleDateString()}${c.description ? ` · ${c.description}` : ''}`,
      link('All clusters', `#/t/${seg(ctx.tenant)}/clusters`, { class: 'button small' })),
    status,
    section('Files for this cluster',
      h('p', { class: 'muted' }, 'The webhook kubeconfig holds the cluster’s credential, which Lanyard cannot show again: rotate it to get a new webhook kubeconfig.'),
      filesForm, h('div', { class: 'actions' }, rotate), out),
    section('Delete', del));
}

export async function render(ctx) {
  if (ctx.parts[3]) return detail(ctx, ctx.parts[3]);
  const base = `/tenants/${seg(ctx.tenant)}/clusters`;
  const clients = await clientOptions(ctx);
  const out = h('div', { class: 'onboarding-result' });
  const list = listView({
    searchLabel: 'Search clusters', searchPlaceholder: 'name or description', emptyText: 'No clusters yet. Connect one below.',
    load: (p) => api.get(base + query(p)),
    columns: [
      { label: 'Name', cell: (c) => h('a', { href: `#/t/${seg(ctx.tenant)}/clusters/${seg(c.id)}` }, c.id) },
      { label: 'Description', cell: (c) => c.description || '' },
      { label: 'Webhook authentication', cell: (c) => [c.hasCredential ? 'bearer credential' : '', c.certificateSubject ? ' client certificate' : ''] },
      { label: 'Registered', cell: (c) => when(c.createdAt) },
    ],
  });
  const ov = await api.get('/overview');
  return h('div', {},
    pageHeader('Clusters', `Kubernetes clusters that trust tenant ${ctx.tenant}.`),
    section('Connect a cluster',
      h('p', {}, 'Registers the cluster, makes its TokenReview webhook credential, and gives the kube-apiserver flags, the structured AuthenticationConfiguration, the webhook kubeconfig and a developer kubeconfig.'),
      connectForm(ctx, clients, out, () => list.reload()), out),
    section('Registered clusters', list.el),
    ov.health.caAvailable ? section('CA certificate',
      h('p', {}, 'Lanyard’s serving certificate chains to this CA. Clusters need it as --oidc-ca-file; kubectl users need it for kubelogin.'),
      h('div', { class: 'actions' }, downloadButton('ca.pem', ov.health.caPem, 'Download ca.pem')),
      h('pre', { class: 'mono', tabindex: '0', 'aria-label': 'CA certificate' }, ov.health.caPem)) : null);
}
