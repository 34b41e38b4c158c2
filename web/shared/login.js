(function () {
  'use strict';
  const form = document.getElementById('login');
  const error = document.getElementById('error');
  const next = new URLSearchParams(location.search).get('next');
  // Only same-site paths: never send people to another site after signing in.
  const target = next && /^\/(?!\/)/.test(next) ? next : null;

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.classList.add('hidden');
    const button = form.querySelector('button');
    button.disabled = true;
    try {
      const res = await fetch('/api/session', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        credentials: 'same-origin',
        body: JSON.stringify({ username: form.username.value, password: form.password.value }),
      });
      const body = await res.json().catch(() => ({}));
      if (!res.ok) {
        error.textContent = res.status === 401 ? 'Wrong username or password.' : body.message || 'Sign-in failed (' + res.status + ').';
        error.classList.remove('hidden');
        form.password.value = '';
        form.password.focus();
        return;
      }
      location.href = target || (body.user.role === 'manager' || body.user.role === 'admin' ? '/manager/' : '/desk/');
    } catch (err) {
      error.textContent = 'The server cannot be reached. Check the network and try again.';
      error.classList.remove('hidden');
    } finally {
      button.disabled = false;
    }
  });
})();
