namespace Cog.Runtime.Triggers;

/// <summary>The fields of a trigger being created or updated, before validation (<see cref="TriggerAdministration"/>).</summary>
/// <param name="Name">Required; <c>^[A-Za-z0-9_\-.]+$</c>, unique.</param>
/// <param name="Pipeline">Required: the pipeline text.</param>
/// <param name="Description">Optional.</param>
/// <param name="AsUser">The username it runs as, or <see langword="null"/> to run as the invoking token's owner.</param>
/// <param name="TimeoutSeconds">Greater than zero; <see cref="DefaultTimeoutSeconds"/> when not given.</param>
/// <param name="Enabled">Whether it may be invoked; true when not given.</param>
/// <param name="AllowCrossOrigin">Whether requests from pages of other sites may invoke it; false when not given.</param>
/// <remarks>As Ecto casts, an empty string means <see langword="null"/>.</remarks>
public sealed record TriggerDraft(string? Name, string? Pipeline, string? Description = null, string? AsUser = null,
    long? TimeoutSeconds = TriggerDraft.DefaultTimeoutSeconds, bool Enabled = true, bool AllowCrossOrigin = false)
{
    /// <summary>Cog 1.0: the API's default timeout.</summary>
    public const int DefaultTimeoutSeconds = 30;

    /// <summary>The draft of an existing trigger (the starting point of an update).</summary>
    public static TriggerDraft Of(Trigger trigger)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        return new(trigger.Name, trigger.Pipeline, trigger.Description, trigger.AsUser, trigger.TimeoutSeconds, trigger.Enabled, trigger.AllowCrossOrigin);
    }
}
