import { api } from '../api.js';
import { h, replace, table, time } from '../dom.js';
import { page, showProblem, loading, badge } from './common.js';

export default {
  title: 'Bundles',
  render(main) {
    const region = page(main, 'Bundles', 'Installed bundles and their versions; one version of a bundle is enabled at a time.');
    replace(region, loading());
    (async () => {
      try {
        const { body } = await api('GET', '/v1/bundles');
        const columns = [
          { label: 'Bundle', cell: b => h('strong', {}, b.name) },
          { label: 'Enabled version', cell: b => b.enabled_version ? badge(b.enabled_version.version, 'ok') : badge('disabled', 'off') },
          {
            label: 'Versions',
            cell: b => h('ul', { class: 'inline-list' }, b.versions.map(v => h('li', {},
              v.enabled ? h('strong', {}, `${v.version} (enabled)`) : v.version))),
          },
          { label: 'Description', cell: b => (b.enabled_version ?? b.versions[b.versions.length - 1])?.description ?? '' },
          { label: 'Relay groups', cell: b => b.relay_groups.map(g => g.name).join(', ') || '—' },
          { label: 'Installed', cell: b => time(b.inserted_at) },
        ];
        replace(region, body.bundles.length ? table('Bundles', columns, body.bundles) : h('p', {}, 'No bundles installed.'));
      } catch (e) {
        showProblem(region, e, 'operable:manage_commands');
      }
    })();
  },
};
