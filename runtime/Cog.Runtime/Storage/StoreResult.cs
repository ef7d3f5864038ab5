using System.Diagnostics.CodeAnalysis;

namespace Cog.Runtime.Storage;

/// <summary>The outcome of a store operation that can fail in an expected way: a value or a <see cref="StoreError"/>.</summary>
/// <typeparam name="T">The value on success.</typeparam>
public readonly record struct StoreResult<T>
{
    StoreResult(T? value, StoreError? error)
    {
        Value = value;
        Error = error;
    }

    /// <summary>The value; meaningful only when <see cref="IsSuccess"/>.</summary>
    public T? Value { get; }

    /// <summary>The failure, or <see langword="null"/> on success.</summary>
    public StoreError? Error { get; }

    /// <summary>Whether the operation succeeded.</summary>
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Error is null;

    /// <summary>A success holding <paramref name="value"/>.</summary>
    public static StoreResult<T> Success(T value) => new(value, null);

    /// <summary>A failure.</summary>
    public static StoreResult<T> Failure(StoreError error) => new(default, error ?? throw new ArgumentNullException(nameof(error)));

    /// <summary>The value, or an <see cref="InvalidOperationException"/> naming the error: for callers (tests,
    /// bootstrap) that treat a failure as a bug.</summary>
    public T GetValueOrThrow() => IsSuccess ? Value! : throw new InvalidOperationException(Error.Message);

    /// <summary>Wraps a value.</summary>
    public static implicit operator StoreResult<T>(T value) => Success(value);

    /// <summary>Wraps an error.</summary>
    public static implicit operator StoreResult<T>(StoreError error) => Failure(error);
}
