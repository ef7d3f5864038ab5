namespace Cog.Api.Triggers;

/// <summary>Settings of the trigger endpoints (bind from configuration in the host).</summary>
public sealed class TriggerEndpointOptions
{
    /// <summary>Cog 1.0 <c>COG_TRIGGER_URL_BASE</c>: where triggers are invoked from outside, e.g.
    /// <c>https://cog.example.com</c>; <c>invocation_url</c> is this plus <c>/v1/triggers/&lt;id&gt;</c>. When not set,
    /// the URL of the request that asks is used (scheme, host and path base).</summary>
    public Uri? InvocationUrlBase { get; set; }
}
