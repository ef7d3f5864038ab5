using System.Collections.Immutable;

namespace Cog.Language.Rules;

/// <summary>Facts derived from a rule's tree when it is built: the permissions it references and its static score.</summary>
static class RuleAnalysis
{
    /// <summary>Weight of an aggregate over all arguments (<c>any arg</c>, <c>all arg</c>) in the static score.</summary>
    const int ArgumentsAggregateWeight = 3;

    /// <summary>Permission names in order of first appearance, without duplicates and without regexes.</summary>
    public static ImmutableArray<string> Permissions(PermissionExpression? requirement)
    {
        if (requirement is null)
        {
            return [];
        }
        var names = new List<string>();
        Collect(requirement, names);
        return [.. names];
    }

    static void Collect(PermissionExpression expression, List<string> names)
    {
        switch (expression)
        {
            case PermissionLogical logical:
                Collect(logical.Left, names);
                Collect(logical.Right, names);
                break;
            case PermissionTerm term:
                Add(term.Permission.Name, names);
                break;
            case PermissionList list:
                foreach (var item in list.Items)
                {
                    if (item is PermissionName name)
                    {
                        Add(name.Name, names);
                    }
                }
                break;
            default:
                throw new InvalidOperationException($"Unknown permission expression {expression.GetType().Name}.");
        }
    }

    static void Add(string name, List<string> names)
    {
        if (!names.Contains(name))
        {
            names.Add(name);
        }
    }

    /// <summary>The static score: one per distinct <c>arg[N]</c> index and per distinct option
    /// name (<c>option[x]</c>, <c>any/all option[x]</c>), 3 for the <c>any/all arg</c> aggregate and 1 for the
    /// <c>any/all option</c> aggregate, each counted once. So <c>any arg in [...]</c> scores 3 and
    /// <c>(any arg in [...]) or any option in [...]</c> scores 4, as in Cog 1.0.</summary>
    public static int Score(InputExpression? condition)
    {
        if (condition is null)
        {
            return 0;
        }
        var indices = new HashSet<int>();
        var options = new HashSet<string>(StringComparer.Ordinal);
        bool allArguments = false, allOptions = false;
        Visit(condition);
        return indices.Count + options.Count + (allArguments ? ArgumentsAggregateWeight : 0) + (allOptions ? 1 : 0);

        void Visit(InputExpression expression)
        {
            switch (expression)
            {
                case InputLogical logical:
                    Visit(logical.Left);
                    Visit(logical.Right);
                    break;
                case InputComparison comparison:
                    Reference(comparison.Input);
                    break;
                case InputMembership membership:
                    Reference(membership.Input);
                    break;
                default:
                    throw new InvalidOperationException($"Unknown input expression {expression.GetType().Name}.");
            }
        }

        void Reference(InputReference reference)
        {
            switch (reference)
            {
                case ArgumentReference argument:
                    indices.Add(argument.Index);
                    break;
                case OptionReference option:
                    options.Add(option.Name);
                    break;
                case ArgumentsReference:
                    allArguments = true;
                    break;
                case OptionsReference:
                    allOptions = true;
                    break;
                default:
                    throw new InvalidOperationException($"Unknown input reference {reference.GetType().Name}.");
            }
        }
    }
}
