using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using Cog.Manifest;
using Cog.Runtime.Storage;

namespace Cog.Runtime.Bundles;

/// <summary>Why the bundle registry refused a change: an expected failure, reported as a value.</summary>
public enum RegistryErrorKind
{
    /// <summary>The package or manifest is invalid (see <see cref="RegistryError.ManifestErrors"/>).</summary>
    Invalid,

    /// <summary>The bundle, version, relay group, relay, rule or configuration layer does not exist.</summary>
    NotFound,

    /// <summary>The version is already installed, or a name is taken.</summary>
    Duplicate,

    /// <summary>The version or bundle is enabled and cannot be deleted.</summary>
    InUse,

    /// <summary>The built-in bundle cannot be deleted, disabled or assigned; reserved names cannot be installed.</summary>
    Protected,

    /// <summary>A service the change must also reach (an external broker's relay logins) refused it or did not answer;
    /// nothing was changed.</summary>
    Unavailable,
}

/// <summary>A refusal of the bundle registry, with the message for the user (from <see cref="BundleRegistryErrors"/>, or
/// the store's <see cref="StoreErrors"/>).</summary>
/// <param name="Kind">What kind of failure.</param>
/// <param name="Message">The user-facing message.</param>
/// <param name="ManifestErrors">For <see cref="RegistryErrorKind.Invalid"/> manifests: every error, with file, line and
/// column; otherwise empty.</param>
public sealed record RegistryError(RegistryErrorKind Kind, string Message, ImmutableArray<ManifestError> ManifestErrors)
{
    /// <summary>A refusal without manifest errors.</summary>
    public RegistryError(RegistryErrorKind kind, string message)
        : this(kind, message, [])
    {
    }

    /// <summary>For a refused field of a request (<c>name</c>, <c>id</c>...), its name: the REST API answers
    /// <c>{"errors": {"field": ["message"]}}</c>; otherwise <see langword="null"/>.</summary>
    public string? Field { get; init; }

    /// <summary>For a change naming several things of which some do not exist: those names or ids (the REST API answers
    /// <c>{"errors": {"not_found": {"relays": [...]}}}</c>); otherwise empty.</summary>
    public IReadOnlyList<string> Missing { get; init; } = [];

    internal static RegistryError FromStore(StoreError error) => new(error.Kind switch
    {
        StoreErrorKind.NotFound => RegistryErrorKind.NotFound,
        StoreErrorKind.Duplicate => RegistryErrorKind.Duplicate,
        StoreErrorKind.InUse => RegistryErrorKind.InUse,
        _ => RegistryErrorKind.Protected,
    }, error.Message);
}

/// <summary>The outcome of a bundle registry operation: a value or a <see cref="RegistryError"/>.</summary>
/// <typeparam name="T">The value on success.</typeparam>
public readonly record struct RegistryResult<T>
{
    RegistryResult(T? value, RegistryError? error)
    {
        Value = value;
        Error = error;
    }

    /// <summary>The value; meaningful only when <see cref="IsSuccess"/>.</summary>
    public T? Value { get; }

    /// <summary>The failure, or <see langword="null"/> on success.</summary>
    public RegistryError? Error { get; }

    /// <summary>Whether the operation succeeded.</summary>
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Error is null;

    /// <summary>The value, or an <see cref="InvalidOperationException"/> naming the error: for callers (tests,
    /// bootstrap) that treat a failure as a bug.</summary>
    public T GetValueOrThrow() => IsSuccess ? Value! : throw new InvalidOperationException(Error.Message);

    /// <summary>Wraps a value.</summary>
    public static implicit operator RegistryResult<T>(T value) => new(value, null);

    /// <summary>Wraps an error.</summary>
    public static implicit operator RegistryResult<T>(RegistryError error) => new(default, error ?? throw new ArgumentNullException(nameof(error)));
}
