namespace Cog.Runtime.Pipeline;

/// <summary>Settings of the <see cref="StorePipelineDirectory"/>.</summary>
public sealed class StorePipelineDirectoryOptions
{
    /// <summary>How long one invocation may run when its manifest gives no <c>timeout</c> (Cog 1.0's
    /// <c>COG_PIPELINE_TIMEOUT</c>, default 60 s).</summary>
    public TimeSpan DefaultCommandTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a user's permission set is kept at most. Grants invalidate it exactly
    /// (<see cref="IDirectoryChanges.GrantsChanged"/>); this is only a safety net for changes made behind the server's
    /// back (Cog 1.0's cache TTL, default 10 s).</summary>
    public TimeSpan PermissionCacheTtl { get; set; } = TimeSpan.FromSeconds(10);

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(DefaultCommandTimeout, TimeSpan.FromMilliseconds(1), nameof(DefaultCommandTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(PermissionCacheTtl, TimeSpan.Zero, nameof(PermissionCacheTtl));
    }
}
