namespace Cog.Runtime.Identity;

/// <summary>Configuration of <see cref="PasswordHasher"/>.</summary>
public sealed class PasswordHasherOptions
{
    /// <summary>The smallest work factor bcrypt accepts (tests use it to stay fast).</summary>
    public const int MinimumWorkFactor = 4;

    /// <summary>The largest work factor bcrypt accepts.</summary>
    public const int MaximumWorkFactor = 31;

    /// <summary>The bcrypt work factor (log2 of the rounds) for new hashes. Default 11 (about 0.1 s per hash on a
    /// current core). Existing hashes keep the factor they were made with.</summary>
    public int WorkFactor { get; set; } = 11;
}
