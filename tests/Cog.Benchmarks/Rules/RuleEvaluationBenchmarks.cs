using System.Collections.Immutable;
using BenchmarkDotNet.Attributes;
using Cog.Language.Options;
using Cog.Language.Rules;
using Cog.Language.Values;

namespace Cog.Benchmarks.Rules;

/// <summary>Rule evaluation for one invocation against five rules, three with <c>with</c> clauses
/// (target: at most 1 µs per evaluation).</summary>
[MemoryDiagnoser]
public class RuleEvaluationBenchmarks
{
    readonly RuleSyntax[] _rules =
    [
        .. new[]
        {
            "when command is foo:deploy must have foo:read",
            "when command is foo:deploy with option[env] == /^prod/ must have site:prod and foo:deploy",
            "when command is foo:deploy with arg[0] in ['web', 'db', 'cache'] must have foo:deploy",
            "when command is foo:deploy with option[replicas] > 10 must have site:ops",
            "when command is foo:deploy must have any in [site:admin, site:ops]",
        }.Select(text => RuleParser.Parse(text).Value),
    ];

    readonly HashSet<string> _permissions = ["foo:read", "foo:deploy", "site:prod"];

    readonly CommandInput _input = new(
        [new StringValue("web")],
        ImmutableDictionary<string, Value>.Empty.Add("env", new StringValue("production")).Add("replicas", new IntValue(3)));

    /// <summary>Evaluates the five rules.</summary>
    [Benchmark]
    public RuleDecision Evaluate() => RuleEvaluator.Evaluate("foo:deploy web --env=production --replicas=3", _rules, _permissions, _input);

    /// <summary>Parses a rule with a condition.</summary>
    [Benchmark]
    public bool Parse() => RuleParser.Parse("when command is foo:deploy with option[env] == 'prod' and arg[0] in ['web', 'db'] must have site:prod and foo:deploy").Succeeded;
}
