// The console: a one-page app with hash routes (#/chat, #/audit...). Each view renders into <main> and may return a
// function that stops it (timers, subscriptions) when another view takes over.
import { api, session, onSignedOut } from './api.js';
import { chat } from './chat-client.js';
import signIn from './views/sign-in.js';
import chatView from './views/chat.js';
import audit from './views/audit.js';
import relays from './views/relays.js';
import bundles from './views/bundles.js';
import people from './views/people.js';
import explain from './views/explain.js';

const views = { chat: chatView, audit, relays, bundles, people, explain };
// The permissions an operator view needs (any one of them); chat and explain (for oneself) are for everybody. A person
// is shown only the tabs they can use; a view opened by its address without the permission still says what is missing.
const viewPermissions = {
  audit: ['operable:view_audit'],
  relays: ['operable:manage_relays'],
  bundles: ['operable:manage_commands'],
  people: ['operable:manage_users', 'operable:manage_groups', 'operable:manage_roles'],
};
const main = document.getElementById('main');
let stopView = null;

/** Asks the server for the person's permissions once per sign-in; when it cannot answer, every tab stays shown. */
async function loadPermissions() {
  if (session.permissions) return;
  try {
    const { body } = await api('GET', '/v1/users/me/permissions');
    session.permissions = body.permissions;
  } catch {
    // Not known: the views themselves say what is missing.
  }
}

function mayUse(name) {
  const needed = viewPermissions[name];
  const held = session.permissions;
  return !needed || !held || needed.some(p => held.has(p));
}

async function route() {
  const hash = window.location.hash;
  if (hash && !hash.startsWith('#/')) return; // an in-page link such as the skip link
  const name = hash.slice(2).split('?')[0];
  if (!session.signedIn) {
    show(signIn, 'sign-in');
    return;
  }
  await loadPermissions();
  if (!session.signedIn) return; // the token was refused meanwhile: onSignedOut routed to the sign-in view
  const view = views[name];
  if (!view) {
    window.location.replace('#/chat');
    return;
  }
  show(view, name);
}

function show(view, name) {
  if (stopView) stopView();
  stopView = null;
  main.replaceChildren();
  main.dataset.view = name;
  document.title = `${view.title} · Cog`;
  updateChrome(name);
  const stop = view.render(main, { navigate });
  if (typeof stop === 'function') stopView = stop;
  // Focus moves to the new view's heading so keyboard and screen-reader users land on it.
  const heading = main.querySelector('h1');
  if (heading && !main.querySelector('[autofocus]')) {
    heading.setAttribute('tabindex', '-1');
    heading.focus({ preventScroll: false });
  }
}

function updateChrome(name) {
  const signedIn = session.signedIn;
  document.getElementById('views-nav').hidden = !signedIn;
  document.getElementById('signed-in').hidden = !signedIn;
  document.getElementById('signed-in-name').textContent = signedIn ? `Signed in as ${session.username}` : '';
  for (const link of document.querySelectorAll('#views-nav a')) {
    link.parentElement.hidden = !mayUse(link.dataset.view);
    if (link.dataset.view === name) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

export function navigate(name) {
  if (window.location.hash === `#/${name}`) route();
  else window.location.hash = `#/${name}`;
}

function signOut() {
  session.clear();
  chat.close();
  navigate('sign-in');
}

document.getElementById('sign-out').addEventListener('click', signOut);
document.getElementById('skip-link').addEventListener('click', event => {
  event.preventDefault();
  main.focus();
});
onSignedOut(() => {
  chat.close();
  route();
});
window.addEventListener('hashchange', route);
route();
