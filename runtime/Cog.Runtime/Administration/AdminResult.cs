using System.Diagnostics.CodeAnalysis;

namespace Cog.Runtime.Administration;

/// <summary>The outcome of an administrative operation: a value or an <see cref="AdminError"/>.</summary>
/// <typeparam name="T">The value on success.</typeparam>
public readonly record struct AdminResult<T>
{
    AdminResult(T? value, AdminError? error)
    {
        Value = value;
        Error = error;
    }

    /// <summary>The value; meaningful only when <see cref="IsSuccess"/>.</summary>
    public T? Value { get; }

    /// <summary>The failure, or <see langword="null"/> on success.</summary>
    public AdminError? Error { get; }

    /// <summary>Whether the operation succeeded.</summary>
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Error is null;

    /// <summary>A success holding <paramref name="value"/>.</summary>
    public static AdminResult<T> Success(T value) => new(value, null);

    /// <summary>A failure.</summary>
    public static AdminResult<T> Failure(AdminError error) => new(default, error ?? throw new ArgumentNullException(nameof(error)));

    /// <summary>The value, or an <see cref="InvalidOperationException"/> naming the error (for callers that treat a
    /// failure as a bug).</summary>
    public T GetValueOrThrow() => IsSuccess ? Value! : throw new InvalidOperationException(Error.Message);

    /// <summary>Wraps a value.</summary>
    public static implicit operator AdminResult<T>(T value) => Success(value);

    /// <summary>Wraps an error.</summary>
    public static implicit operator AdminResult<T>(AdminError error) => Failure(error);
}
