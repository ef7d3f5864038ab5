namespace Cog.Runtime.Chat;

/// <summary>The chat providers running in this server, by name (several at once), and the default one
/// that <c>chat://</c> targets of non-chat pipelines (triggers, the API) go to.</summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed class ChatProviders
{
    /// <summary>The provider preferred as the default when none is configured.</summary>
    public const string PreferredDefault = "slack";

    /// <summary>The provider used as the default when <see cref="PreferredDefault"/> is not running.</summary>
    public const string FallbackDefault = "web";

    readonly Dictionary<string, IChatProvider> _byName = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Indexes <paramref name="providers"/> by name. The default is <paramref name="defaultProvider"/> when
    /// given (it must be one of them), else <c>slack</c> when running, else <c>web</c>, else the first.</summary>
    /// <exception cref="ArgumentException">Two providers share a name, or the configured default is not running.</exception>
    public ChatProviders(IEnumerable<IChatProvider> providers, string? defaultProvider = null)
    {
        ArgumentNullException.ThrowIfNull(providers);
        var all = new List<IChatProvider>();
        foreach (var provider in providers)
        {
            if (!_byName.TryAdd(provider.Name, provider))
                throw new ArgumentException($"Two chat providers are named '{provider.Name}'.", nameof(providers));
            all.Add(provider);
        }
        All = all;
        if (!string.IsNullOrWhiteSpace(defaultProvider))
        {
            Default = Find(defaultProvider.Trim())
                ?? throw new ArgumentException($"The default chat provider '{defaultProvider}' is not running.", nameof(defaultProvider));
        }
        else
        {
            Default = Find(PreferredDefault) ?? Find(FallbackDefault) ?? (all.Count > 0 ? all[0] : null);
        }
    }

    /// <summary>Every provider, in registration order.</summary>
    public IReadOnlyList<IChatProvider> All { get; }

    /// <summary>Where <c>chat://</c> goes when the pipeline did not come from chat; <see langword="null"/> when no
    /// provider runs.</summary>
    public IChatProvider? Default { get; }

    /// <summary>The provider with this name (case-insensitive), or <see langword="null"/>.</summary>
    public IChatProvider? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _byName.GetValueOrDefault(name);
    }
}
