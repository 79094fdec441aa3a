// The redirect URI of the console's authorization code + PKCE sign-in: trades the code, then returns to the console.

import { completeAuthorizationCode } from './session.js';

completeAuthorizationCode(window.location.href)
  .then((next) => {
    // Drop the code from history before leaving.
    window.history.replaceState(null, '', window.location.pathname);
    window.location.replace(next.startsWith('/admin/') ? next : '/admin/');
  })
  .catch((err) => {
    window.history.replaceState(null, '', window.location.pathname);
    const status = document.getElementById('status');
    status.textContent = `Sign-in failed: ${err.message}`;
    status.setAttribute('role', 'alert');
  });
