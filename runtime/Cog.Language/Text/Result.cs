using System.Diagnostics.CodeAnalysis;

namespace Cog.Language.Text;

/// <summary>Either a value or the error that prevented producing it. The languages return these for expected failures (bad input) instead of throwing.</summary>
/// <typeparam name="T">The kind of value produced on success.</typeparam>
public readonly struct Result<T>
{
    readonly T? _value;

    Result(T? value, LanguageError? error)
    {
        _value = value;
        Error = error;
    }

    /// <summary>The error, or <see langword="null"/> when the result holds a value.</summary>
    public LanguageError? Error { get; }

    /// <summary>Whether the result holds a value.</summary>
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Succeeded => Error is null;

    /// <summary>The value. Throws <see cref="InvalidOperationException"/> when the result is an error.</summary>
    public T Value => Error is null ? _value! : throw new InvalidOperationException($"No value: {Error}");

    /// <summary>A successful result.</summary>
    public static Result<T> Success(T value) => new(value, null);

    /// <summary>A failed result.</summary>
    public static Result<T> Failure(LanguageError error) => new(default, error ?? throw new ArgumentNullException(nameof(error)));

    /// <summary>Gets the value when there is one.</summary>
    public bool TryGetValue([MaybeNullWhen(false)] out T value)
    {
        value = _value!;
        return Error is null;
    }

    /// <summary>Converts an error into a result of any type.</summary>
    public static implicit operator Result<T>(LanguageError error) => Failure(error);
}
