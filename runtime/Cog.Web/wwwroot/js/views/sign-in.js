import { api, session } from '../api.js';
import { h } from '../dom.js';

export default {
  title: 'Sign in',
  render(main, { navigate }) {
    const error = h('p', { class: 'form-error', id: 'sign-in-error', role: 'alert' });
    const username = h('input', { id: 'username', name: 'username', autocomplete: 'username', required: true, autofocus: true, autocapitalize: 'none', spellcheck: 'false' });
    const password = h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
    const submit = h('button', { type: 'submit' }, 'Sign in');
    const form = h('form', { class: 'card sign-in', 'aria-describedby': 'sign-in-error', novalidate: true },
      h('h1', {}, 'Sign in to Cog'),
      h('p', { class: 'hint' }, 'Use your Cog username (or email address) and password.'),
      h('div', { class: 'field' }, h('label', { for: 'username' }, 'Username'), username),
      h('div', { class: 'field' }, h('label', { for: 'password' }, 'Password'), password),
      error,
      submit);
    form.addEventListener('submit', async event => {
      event.preventDefault();
      error.textContent = '';
      if (!username.value.trim() || !password.value) {
        error.textContent = 'Give your username and your password.';
        (username.value.trim() ? password : username).focus();
        return;
      }
      submit.disabled = true;
      try {
        const name = username.value.trim();
        const body = name.includes('@') ? { email: name, password: password.value } : { username: name, password: password.value };
        const { body: answer } = await api('POST', '/v1/token', body);
        session.save(answer.token.value, name);
        password.value = '';
        navigate('chat');
      } catch (e) {
        error.textContent = e.message;
        password.select();
        password.focus();
      } finally {
        submit.disabled = false;
      }
    });
    main.append(h('div', { class: 'centered' }, form));
    username.focus();
  },
};
