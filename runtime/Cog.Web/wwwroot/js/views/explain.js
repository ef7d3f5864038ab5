import { api, session } from '../api.js';
import { h, replace, table } from '../dom.js';
import { page, showProblem } from './common.js';

const decisionText = {
  allowed: 'Allowed', denied: 'Denied', no_rule: 'No rule matches', evaluation_failed: 'A rule could not be evaluated (denied)', error: 'Error', deferred: 'Decided when it runs', not_reached: 'Not reached',
};

export default {
  title: 'Explain',
  render(main) {
    const region = page(main, 'Explain a pipeline', 'Can this person run this pipeline, and which rule decides? Nothing runs.');
    const user = h('input', { id: 'explain-user', name: 'as_user', autocapitalize: 'none', placeholder: session.username });
    const pipeline = h('input', { id: 'explain-pipeline', name: 'pipeline', required: true, autocapitalize: 'none', spellcheck: 'false', placeholder: 'echo hello | echo $body[0]' });
    const result = h('div', { class: 'explanation', 'aria-live': 'polite' });
    const form = h('form', { class: 'filters explain-form', 'aria-label': 'Explain a pipeline' },
      h('div', { class: 'field' }, h('label', { for: 'explain-user' }, 'User (empty: you)'), user),
      h('div', { class: 'field wide' }, h('label', { for: 'explain-pipeline' }, 'Pipeline'), pipeline),
      h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Explain')));
    replace(region, form, result);
    form.addEventListener('submit', async event => {
      event.preventDefault();
      if (!pipeline.value.trim()) {
        replace(result, h('p', { class: 'form-error', role: 'alert' }, 'Write a pipeline to explain.'));
        pipeline.focus();
        return;
      }
      const body = { pipeline: pipeline.value.trim() };
      if (user.value.trim()) body.as_user = user.value.trim();
      try {
        const { body: answer } = await api('POST', '/v1/pipelines/explain', body);
        const x = answer.explanation;
        replace(result,
          h('p', { class: `decision decision-${x.decision}` },
            h('strong', {}, decisionText[x.decision] ?? x.decision), ` for ${x.user}: `, h('code', {}, x.pipeline)),
          x.message ? h('p', {}, x.message) : null,
          x.advice ? h('p', { class: 'notice advice' }, x.advice) : null,
          table('Stages', [
            { label: 'Stage', cell: s => String(s.stage), class: 'num' },
            { label: 'Command', cell: s => s.command ? h('code', {}, s.command) : '—' },
            { label: 'From alias', cell: s => s.aliases && s.aliases.length
              ? h('code', {}, s.aliases.map(a => `${a.visibility}:${a.name}`).join(' > '))
              : '—' },
            { label: 'Decision', cell: s => h('span', { class: `decision-${s.decision}` }, decisionText[s.decision] ?? s.decision) },
            { label: 'Deciding rule', cell: s => s.rule ? h('code', {}, s.rule) : '—' },
            { label: 'Missing', cell: s => s.missing ? h('code', {}, Array.isArray(s.missing) ? s.missing.join(', ') : s.missing) : '—' },
            { label: 'Why', cell: s => s.message ?? '' },
          ], x.stages));
      } catch (e) {
        showProblem(result, e, 'operable:manage_commands (to explain for someone else)');
      }
    });
    pipeline.focus();
  },
};
