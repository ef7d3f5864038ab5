import { api } from '../api.js';
import { h, replace, table, tableRow, time, announce } from '../dom.js';
import { page, showProblem, loading } from './common.js';

const PageSize = 100;     // records per page: the newest first, "Older records" loads the next page
const FollowEvery = 2000; // ms between polls while following

const columns = [
  { label: 'Seq', cell: r => String(r.sequence), class: 'num' },
  { label: 'Time', cell: r => time(r.time) },
  { label: 'Kind', cell: r => r.kind },
  { label: 'Actor', cell: r => r.actor ?? '' },
  { label: 'Command', cell: r => r.command ? h('code', {}, r.command) : '' },
  { label: 'Outcome', cell: r => r.outcome ? h('span', { class: `outcome outcome-${r.outcome}` }, r.outcome) : '' },
];

export default {
  title: 'Audit log',
  render(main) {
    const region = page(main, 'Audit log', 'Every pipeline, invocation, denial and administrative change, hash-chained.');
    const field = (id, label, input) => h('div', { class: 'field' }, h('label', { for: id }, label), input);
    const user = h('input', { id: 'audit-user', name: 'user', autocapitalize: 'none' });
    const command = h('input', { id: 'audit-command', name: 'command', autocapitalize: 'none', placeholder: 'bundle:command' });
    const outcome = h('select', { id: 'audit-outcome', name: 'outcome' },
      ['', 'allowed', 'denied', 'no_rule', 'evaluation_failed', 'succeeded', 'no_output', 'aborted', 'planning_failed', 'execution_failed', 'error']
        .map(v => h('option', { value: v }, v || 'any')));
    const kind = h('select', { id: 'audit-kind', name: 'kind' },
      ['', 'pipeline.started', 'pipeline.ended', 'invocation.decided', 'invocation.completed', 'pipeline.explained', 'api.denied']
        .map(v => h('option', { value: v }, v || 'any')));
    const follow = h('input', { id: 'audit-follow', type: 'checkbox' });
    const verifyButton = h('button', { type: 'button', class: 'secondary' }, 'Verify the chain');
    const verification = h('div', { class: 'verification', role: 'status' });
    const results = h('div', { class: 'audit-results' });
    const form = h('form', { class: 'filters', 'aria-label': 'Filter the audit log' },
      field('audit-user', 'User', user), field('audit-command', 'Command', command),
      field('audit-outcome', 'Outcome', outcome), field('audit-kind', 'Kind', kind),
      h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Apply'),
        h('label', { class: 'check' }, follow, ' Follow live')));
    replace(region, form, h('div', { class: 'verify-row' }, verifyButton, verification), results);

    let newest = 0;    // the highest sequence shown: following asks for what came after it
    let oldest = null; // the lowest sequence shown: "Older records" asks for what came before it
    let tbody = null;
    let timer = null;
    let stopped = false;
    const older = h('button', { type: 'button', class: 'secondary', hidden: true }, 'Older records');

    function filters() {
      const query = new URLSearchParams();
      for (const [name, input] of [['user', user], ['command', command], ['outcome', outcome], ['kind', kind]]) {
        if (input.value.trim()) query.set(name, input.value.trim());
      }
      return query;
    }

    async function fetchRecords(paging) {
      const query = filters();
      for (const [name, value] of Object.entries(paging)) query.set(name, String(value));
      const { body } = await api('GET', `/v1/audit?${query}`);
      return body.audit_records;
    }

    /** Newest first: the first page of the newest records, with a button for the page before it. */
    async function load() {
      replace(results, loading());
      try {
        const records = await fetchRecords({ order: 'newest', limit: PageSize });
        newest = records.length ? records[0].sequence : 0;
        oldest = records.length ? records[records.length - 1].sequence : null;
        const t = table('Audit records, newest first', columns, records, { class: 'data audit' });
        tbody = t.querySelector('tbody');
        older.hidden = records.length < PageSize;
        replace(results, records.length ? t : h('p', {}, 'No records match.'), older);
        if (!records.length) tbody = null;
      } catch (e) {
        showProblem(results, e, 'operable:view_audit');
        follow.checked = false;
      }
    }

    async function loadOlder() {
      older.disabled = true;
      try {
        const records = await fetchRecords({ order: 'newest', before: oldest, limit: PageSize });
        for (const record of records) tbody.append(tableRow(columns, record));
        if (records.length) oldest = records[records.length - 1].sequence;
        older.hidden = records.length < PageSize;
        announce(`${records.length} older audit record${records.length === 1 ? '' : 's'}`);
      } catch (e) {
        showProblem(results, e, 'operable:view_audit');
      } finally {
        older.disabled = false;
      }
    }

    async function poll() {
      timer = null;
      if (stopped || !follow.checked) return;
      try {
        const records = await fetchRecords({ after: newest, limit: 1000 });
        if (records.length) {
          newest = records[records.length - 1].sequence;
          if (!tbody) {
            const t = table('Audit records, newest first', columns, [], { class: 'data audit' });
            tbody = t.querySelector('tbody');
            replace(results, t, older);
          }
          for (const record of records) {
            const row = tableRow(columns, record);
            row.classList.add('new');
            tbody.prepend(row);
          }
          announce(`${records.length} new audit record${records.length === 1 ? '' : 's'}`);
        }
      } catch (e) {
        showProblem(results, e, 'operable:view_audit');
        follow.checked = false;
        return;
      }
      schedule();
    }

    function schedule() {
      if (!stopped && follow.checked && !timer) timer = window.setTimeout(poll, FollowEvery);
    }

    older.addEventListener('click', loadOlder);
    form.addEventListener('submit', async event => { event.preventDefault(); await load(); schedule(); });
    follow.addEventListener('change', () => { if (follow.checked) schedule(); });
    verifyButton.addEventListener('click', async () => {
      replace(verification, 'Verifying…');
      try {
        const { body } = await api('GET', '/v1/audit/verify');
        const v = body.audit_verification;
        const where = f => f.sequence === 0 ? 'Checkpoints'
          : f.sequence === f.last_sequence ? `Record ${f.sequence}` : `Records ${f.sequence}–${f.last_sequence}`;
        replace(verification, v.intact
          ? h('p', { class: 'notice notice-ok' }, `The chain is intact: ${v.records} records checked against ${v.checkpoints} checkpoints.`)
          : h('div', { class: 'notice notice-error' },
            h('p', {}, h('strong', {}, 'The chain is not intact'), ` (${v.records} records, ${v.checkpoints} checkpoints):`),
            h('ul', { class: 'findings' }, ...v.findings.map(f =>
              h('li', {}, h('strong', {}, `${where(f)}: ${f.kind}.`), ` ${f.message}`))),
            v.findings_omitted > 0 ? h('p', {}, `… and ${v.findings_omitted} more.`) : null));
      } catch (e) {
        showProblem(verification, e, 'operable:view_audit');
      }
    });
    load();
    return () => { stopped = true; if (timer) window.clearTimeout(timer); };
  },
};
