namespace Cog.Runtime.Storage;

/// <summary>The value of a successful store operation that returns nothing else.</summary>
public readonly record struct Done
{
    /// <summary>The one value.</summary>
    public static Done Value => default;
}
