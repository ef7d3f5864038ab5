using System.Collections.Immutable;
using System.Text;
using Cog.Language.Pipelines;
using Cog.Language.Text;
using Cog.Language.Values;

namespace Cog.Language.Binding;

/// <summary>Binds a stage's arguments against one input item.</summary>
/// <remarks>
/// Pure and thread-safe. Runs once per input item, so it allocates only the bound values and the result array.
/// Errors are reported at the start of the argument that contains the failing variable.
/// </remarks>
public static class VariableBinder
{
    /// <summary>
    /// Binds every argument: literals become values, variables take the value at their path in
    /// <paramref name="item"/> (keeping its JSON type), interpolated strings become text, and option values are
    /// bound the same way.
    /// </summary>
    /// <param name="arguments">The stage's arguments as parsed.</param>
    /// <param name="item">The input item, normally an <see cref="ObjectValue"/>.</param>
    /// <returns>The bound arguments in input order, or the first binding error.</returns>
    public static Result<ImmutableArray<BoundArgument>> Bind(ImmutableArray<ArgumentSyntax> arguments, Value item)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (arguments.IsDefaultOrEmpty)
        {
            return Result<ImmutableArray<BoundArgument>>.Success([]);
        }
        var bound = ImmutableArray.CreateBuilder<BoundArgument>(arguments.Length);
        foreach (var argument in arguments)
        {
            if (argument is OptionArgument option)
            {
                Value? optionValue = null;
                if (option.Value is not null)
                {
                    var value = BindValue(option.Value, item, option.Span.Start);
                    if (!value.Succeeded)
                    {
                        return value.Error;
                    }
                    optionValue = value.Value;
                }
                bound.Add(BoundArgument.Option(option.Name, option.IsLong, optionValue, option.Span));
            }
            else
            {
                var value = BindValue(argument, item, argument.Span.Start);
                if (!value.Succeeded)
                {
                    return value.Error;
                }
                bound.Add(BoundArgument.Positional(value.Value, argument.Span));
            }
        }
        return Result<ImmutableArray<BoundArgument>>.Success(bound.MoveToImmutable());
    }

    /// <summary>Looks a variable expression up in <paramref name="item"/>.</summary>
    /// <param name="variable">The expression.</param>
    /// <param name="item">The input item, normally an <see cref="ObjectValue"/>.</param>
    /// <param name="at">Where to report an error: the start of the argument containing the expression.</param>
    /// <returns>The value (never JSON null), or the binding error.</returns>
    public static Result<Value> Resolve(VariableExpression variable, Value item, SourcePosition at)
    {
        ArgumentNullException.ThrowIfNull(variable);
        ArgumentNullException.ThrowIfNull(item);
        if (item is not ObjectValue scope || !scope.TryGetMember(variable.Name, out var current) || current is NullValue)
        {
            return new LanguageError(BindingErrors.VariableNotFound(variable.Name), at);
        }
        foreach (var accessor in variable.Path)
        {
            switch (accessor)
            {
                case KeyAccessor { Key: var key }:
                    if (current is not ObjectValue obj)
                    {
                        return new LanguageError(BindingErrors.KeyOnNonObject(key, BindingErrors.DescribeKind(current), variable.Text), at);
                    }
                    if (!obj.TryGetMember(key, out var member) || member is NullValue)
                    {
                        return new LanguageError(BindingErrors.KeyNotFound(key, variable.Text), at);
                    }
                    current = member;
                    break;
                case IndexAccessor { Index: var index }:
                    if (current is not ListValue list)
                    {
                        return new LanguageError(BindingErrors.IndexOnNonList(index, BindingErrors.DescribeKind(current), variable.Text), at);
                    }
                    if (index < 0 || index >= list.Items.Length)
                    {
                        return new LanguageError(BindingErrors.IndexOutOfBounds(index, variable.Text), at);
                    }
                    current = list.Items[index];
                    break;
                default:
                    throw new InvalidOperationException($"Unknown variable accessor {accessor.GetType().Name}.");
            }
        }
        if (current is NullValue)
        {
            // Only a list element can bring a null this far: keys holding null are reported as missing above.
            var last = (IndexAccessor)variable.Path[^1];
            return new LanguageError(BindingErrors.NullAtIndex(last.Index, variable.Text), at);
        }
        return Result<Value>.Success(current);
    }

    /// <summary>Renders an interpolated string: its text parts, and each variable's display string.</summary>
    /// <param name="argument">The interpolated argument.</param>
    /// <param name="item">The input item.</param>
    /// <param name="at">Where to report an error.</param>
    internal static Result<Value> Interpolate(InterpolatedArgument argument, Value item, SourcePosition at)
    {
        ArgumentNullException.ThrowIfNull(argument);
        var text = new StringBuilder(argument.RawText.Length + 16);
        foreach (var part in argument.Parts)
        {
            switch (part)
            {
                case TextPart literal:
                    text.Append(literal.Text);
                    break;
                case VariablePart variable:
                    var value = Resolve(variable.Variable, item, at);
                    if (!value.Succeeded)
                    {
                        return value.Error;
                    }
                    text.Append(value.Value.ToDisplayString());
                    break;
                default:
                    throw new InvalidOperationException($"Unknown interpolation part {part.GetType().Name}.");
            }
        }
        return Result<Value>.Success(new StringValue(text.ToString()));
    }

    static Result<Value> BindValue(ArgumentSyntax argument, Value item, SourcePosition at) => argument switch
    {
        StringArgument s => Result<Value>.Success(new StringValue(s.Text)),
        IntegerArgument i => Result<Value>.Success(new IntValue(i.Number)),
        FloatArgument f => Result<Value>.Success(new FloatValue(f.Number)),
        BooleanArgument b => Result<Value>.Success(b.Flag ? BoolValue.True : BoolValue.False),
        VariableArgument v => Resolve(v.Variable, item, at),
        InterpolatedArgument interpolated => Interpolate(interpolated, item, at),
        OptionArgument => throw new InvalidOperationException("An option cannot be the value of an option."),
        _ => throw new InvalidOperationException($"Unknown argument syntax {argument.GetType().Name}."),
    };
}
