namespace Cog.Sdk.Testing;

/// <summary>Where and with what input one pipeline runs.</summary>
public sealed record RunOptions
{
    /// <summary>The first stage's input as JSON: one object (one item) or an array of objects (one invocation each),
    /// as a trigger's body is. <see langword="null"/> (the default) gives one empty object, as chat does.</summary>
    public string? Input { get; init; }

    /// <summary>The room the pipeline is typed in, without <c>#</c> (<c>COG_ROOM</c>); <see langword="null"/> (the
    /// default) is a direct message (<c>direct</c>).</summary>
    public string? Room { get; init; }

    /// <summary>The defaults: a direct message with one empty input item.</summary>
    public static RunOptions Default { get; } = new();
}
