import { api } from '../api.js';
import { h, replace, table, time } from '../dom.js';
import { page, showProblem, loading, badge } from './common.js';

/** The stored rules and bundle manifests the server skipped (readiness: stored_objects), as a notice; null when none. */
async function skipped() {
  try {
    const { body } = await api('GET', '/health/ready');
    const check = body.checks?.stored_objects;
    if (!check || check.status === 'healthy') return null;
    return h('div', { class: 'notice notice-error', role: 'alert' },
      h('h2', {}, 'Stored objects that could not be loaded'),
      h('p', {}, check.description ?? ''),
      h('p', {}, 'A skipped rule refuses every invocation of its command until it is deleted or replaced.'));
  } catch {
    // Readiness answers 503 when the store itself is down; the bundle list below reports that.
    return null;
  }
}

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
        replace(region, await skipped(), body.bundles.length ? table('Bundles', columns, body.bundles) : h('p', {}, 'No bundles installed.'));
      } catch (e) {
        showProblem(region, e, 'operable:manage_commands');
      }
    })();
  },
};
