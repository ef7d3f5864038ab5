import { api } from '../api.js';
import { h, replace, table, time } from '../dom.js';
import { page, showProblem, loading, badge } from './common.js';

export default {
  title: 'Relays',
  render(main) {
    const region = page(main, 'Relays', 'Where bundle commands run: whether each relay is online, how busy it is, what it serves, and where what it holds differs from what it was assigned.');
    replace(region, loading());
    let stopped = false;
    (async () => {
      try {
        const [{ body: relays }, { body: groups }] = await Promise.all([api('GET', '/v1/relays'), api('GET', '/v1/relay_groups')]);
        if (stopped) return;
        const columns = [
          { label: 'Relay', cell: r => h('span', {}, h('strong', {}, r.name), r.description ? h('span', { class: 'muted' }, ` ${r.description}`) : null) },
          { label: 'State', cell: r => r.status?.state === 'online' ? badge('online', 'ok') : badge('offline', 'off') },
          { label: 'Enabled', cell: r => r.enabled ? 'yes' : badge('disabled', 'off') },
          { label: 'Load', cell: r => r.status ? `${r.status.load} of ${r.status.capacity} (${r.status.in_flight} in flight)` : '—', class: 'num' },
          { label: 'Groups', cell: r => r.groups.map(g => g.name).join(', ') },
          { label: 'Bundles served', cell: r => r.status?.bundles?.length ? h('ul', { class: 'inline-list' }, r.status.bundles.map(b => h('li', {}, `${b.name} ${b.version}`))) : '—' },
          { label: 'Problems', cell: r => r.status?.problems?.length ? h('ul', { class: 'problem-list' }, r.status.problems.map(p => h('li', {}, badge(p.kind, 'bad'), ` ${p.message}`))) : '—' },
          { label: 'Last status', cell: r => r.status ? time(r.status.status_at) : '—' },
        ];
        const groupColumns = [
          { label: 'Relay group', cell: g => h('strong', {}, g.name) },
          { label: 'Relays', cell: g => g.relays.map(r => r.name).join(', ') || '—' },
          { label: 'Bundles', cell: g => g.bundles.map(b => b.name).join(', ') || '—' },
        ];
        replace(region,
          relays.relays.length ? table('Relays', columns, relays.relays) : h('p', {}, 'No relays yet: create one with cogctl relay create.'),
          h('h2', {}, 'Relay groups'),
          groups.relay_groups.length ? table('Relay groups', groupColumns, groups.relay_groups, { captionHidden: true }) : h('p', {}, 'No relay groups.'));
      } catch (e) {
        showProblem(region, e, 'operable:manage_relays');
      }
    })();
    return () => { stopped = true; };
  },
};
