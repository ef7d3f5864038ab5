import { ApiError } from '../api.js';
import { h, replace } from '../dom.js';

/** A view's heading and a region for its content; answers the region. */
export function page(main, title, intro) {
  const content = h('div', { class: 'view-content' });
  main.append(h('h1', {}, title), intro ? h('p', { class: 'hint' }, intro) : null, content);
  return content;
}

/** Shows a failed request in place of the content: 403 says which permission the view needs. */
export function showProblem(region, error, permission) {
  if (error instanceof ApiError && error.status === 403) {
    replace(region, h('div', { class: 'notice notice-denied', role: 'alert' },
      h('h2', {}, 'Not allowed'),
      h('p', {}, `You do not have the permission this view needs${permission ? ` (${permission})` : ''}. Ask a Cog administrator to grant it to one of your groups' roles.`)));
    return;
  }
  replace(region, h('div', { class: 'notice notice-error', role: 'alert' }, h('p', {}, error.message ?? String(error))));
}

/** A "Loading…" line. */
export function loading() {
  return h('p', { class: 'loading', role: 'status' }, 'Loading…');
}

/** A yes/no badge. */
export function badge(text, kind) {
  return h('span', { class: `badge badge-${kind}` }, text);
}
