import { api } from '../api.js';
import { h, replace, table } from '../dom.js';
import { showProblem, loading } from './common.js';

async function section(region, title, permission, path, render) {
  const body = h('div', {}, loading());
  region.append(h('section', { 'aria-labelledby': `people-${title}` }, h('h2', { id: `people-${title}` }, title), body));
  try {
    const { body: answer } = await api('GET', path);
    replace(body, render(answer));
  } catch (e) {
    showProblem(body, e, permission);
  }
}

export default {
  title: 'People',
  render(main) {
    main.append(h('h1', {}, 'Users, groups and roles'),
      h('p', { class: 'hint' }, 'Who is in which group, and which roles (sets of permissions) each group holds.'));
    const region = h('div', { class: 'view-content' });
    main.append(region);
    section(region, 'Users', 'operable:manage_users', '/v1/users', a => table('Users', [
      { label: 'Username', cell: u => h('strong', {}, u.username) },
      { label: 'Name', cell: u => [u.first_name, u.last_name].filter(Boolean).join(' ') },
      { label: 'Email', cell: u => u.email_address },
      { label: 'Groups', cell: u => u.groups.map(g => g.name).join(', ') || '—' },
      { label: 'Chat handles', cell: u => u.chat_handles.map(c => `${c.chat_provider.name}: ${c.handle}`).join(', ') || '—' },
    ], a.users, { captionHidden: true }));
    section(region, 'Groups', 'operable:manage_groups', '/v1/groups', a => table('Groups', [
      { label: 'Group', cell: g => h('strong', {}, g.name) },
      { label: 'Members', cell: g => g.members.users.map(u => u.username).join(', ') || '—' },
      { label: 'Roles', cell: g => g.roles.map(r => r.name).join(', ') || '—' },
    ], a.groups, { captionHidden: true }));
    section(region, 'Roles', 'operable:manage_roles', '/v1/roles', a => table('Roles', [
      { label: 'Role', cell: r => h('strong', {}, r.name) },
      { label: 'Permissions', cell: r => h('ul', { class: 'inline-list' }, r.permissions.map(p => h('li', {}, h('code', {}, `${p.bundle}:${p.name}`)))) },
      { label: 'Granted to', cell: r => r.groups.map(g => g.name).join(', ') || '—' },
    ], a.roles, { captionHidden: true }));
  },
};
