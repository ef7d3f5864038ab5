using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cog.Runtime.Chat;
using Cog.Runtime.Slack.WebApi;

namespace Cog.Runtime.Slack.Directory;

/// <summary>Users and conversations of the workspace, looked up through the Web API and cached for
/// <see cref="SlackOptions.CacheDuration"/> (Cog 1.0 cached lookups too): <c>users.info</c> and <c>conversations.info</c>
/// by id, <c>users.list</c> and <c>conversations.list</c> (paginated) by name, <c>conversations.open</c> for direct
/// conversations. "Not found" answers are <see langword="null"/>; other refusals and transport failures throw
/// <see cref="ChatProviderException"/>.</summary>
/// <remarks>Thread-safe.</remarks>
sealed class SlackDirectory(SlackApiClient api, SlackOptions options, TimeProvider time)
{
    /// <summary>A name missing from a cached list refetches the list, but not more often than this.</summary>
    static readonly TimeSpan RefetchOnMissAfter = TimeSpan.FromSeconds(10);
    const int PageSize = 200;

    readonly ConcurrentDictionary<string, Cached<ChatUser?>> _users = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, Cached<SlackChannel?>> _channels = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, Cached<string>> _directs = new(StringComparer.Ordinal);
    readonly SemaphoreSlim _userListLock = new(1, 1);
    readonly SemaphoreSlim _channelListLock = new(1, 1);
    Cached<IReadOnlyList<ChatUser>>? _userList;
    Cached<IReadOnlyList<SlackChannel>>? _channelList;

    /// <summary>The user with id <paramref name="id"/>, or <see langword="null"/> when Slack does not know them.</summary>
    public async Task<ChatUser?> GetUserAsync(string id, CancellationToken cancellationToken)
    {
        if (_users.TryGetValue(id, out var cached) && IsFresh(cached))
            return cached.Value;
        var response = await api.GetAsync("users.info", [new("user", id)], cancellationToken).ConfigureAwait(false);
        ChatUser? user = response.Ok ? UserFromJson(response.Root.GetProperty("user"))
            : response.Error is "user_not_found" or "user_not_visible" ? null
            : throw new ChatProviderException(SlackErrors.Refused(response.Method, response.Error));
        _users[id] = new Cached<ChatUser?>(user, time.GetUtcNow());
        return user;
    }

    /// <summary>The (not deleted) user whose handle is <paramref name="handle"/> (case-insensitive), or
    /// <see langword="null"/>.</summary>
    public async Task<ChatUser?> FindUserByHandleAsync(string handle, CancellationToken cancellationToken)
    {
        var users = await UserListAsync(refetch: false, cancellationToken).ConfigureAwait(false);
        var found = FindHandle(users, handle);
        if (found is null && _userList is { } list && time.GetUtcNow() - list.Fetched >= RefetchOnMissAfter)
            found = FindHandle(await UserListAsync(refetch: true, cancellationToken).ConfigureAwait(false), handle);
        return found;
    }

    /// <summary>The conversation with id <paramref name="id"/>, or <see langword="null"/> when Slack does not know it.</summary>
    public async Task<SlackChannel?> GetChannelAsync(string id, CancellationToken cancellationToken)
    {
        if (_channels.TryGetValue(id, out var cached) && IsFresh(cached))
            return cached.Value;
        var response = await api.GetAsync("conversations.info", [new("channel", id)], cancellationToken).ConfigureAwait(false);
        SlackChannel? channel = response.Ok ? SlackChannel.FromJson(response.Root.GetProperty("channel"))
            : response.Error is "channel_not_found" ? null
            : throw new ChatProviderException(SlackErrors.Refused(response.Method, response.Error));
        _channels[id] = new Cached<SlackChannel?>(channel, time.GetUtcNow());
        return channel;
    }

    /// <summary>The unarchived channels named <paramref name="name"/> (public, and private ones the bot is in).</summary>
    public async Task<IReadOnlyList<SlackChannel>> FindChannelsByNameAsync(string name, CancellationToken cancellationToken)
    {
        var channels = await ChannelListAsync(refetch: false, cancellationToken).ConfigureAwait(false);
        var found = Named(channels, name);
        if (found.Count == 0 && _channelList is { } list && time.GetUtcNow() - list.Fetched >= RefetchOnMissAfter)
            found = Named(await ChannelListAsync(refetch: true, cancellationToken).ConfigureAwait(false), name);
        return found;
    }

    /// <summary>The id of the direct conversation with <paramref name="userId"/>, opened if needed.</summary>
    public async Task<string> OpenDirectAsync(string userId, CancellationToken cancellationToken)
    {
        if (_directs.TryGetValue(userId, out var cached) && IsFresh(cached))
            return cached.Value;
        var response = await api.PostJsonAsync("conversations.open", new JsonObject { ["users"] = userId }, cancellationToken).ConfigureAwait(false);
        var id = response.EnsureOk().GetProperty("channel").GetProperty("id").GetString()!;
        _directs[userId] = new Cached<string>(id, time.GetUtcNow());
        return id;
    }

    /// <summary>A cached handle for <paramref name="id"/> without calling Slack, or <see langword="null"/>.</summary>
    public string? CachedHandle(string id) => _users.TryGetValue(id, out var cached) ? cached.Value?.Handle : null;

    /// <summary>A cached channel name for <paramref name="id"/> without calling Slack, or <see langword="null"/>.</summary>
    public string? CachedChannelName(string id) => _channels.TryGetValue(id, out var cached) ? cached.Value?.Name : null;

    static ChatUser? FindHandle(IReadOnlyList<ChatUser> users, string handle)
    {
        foreach (var user in users)
        {
            if (string.Equals(user.Handle, handle, StringComparison.OrdinalIgnoreCase))
                return user;
        }
        return null;
    }

    static List<SlackChannel> Named(IReadOnlyList<SlackChannel> channels, string name)
    {
        var found = new List<SlackChannel>();
        foreach (var channel in channels)
        {
            if (string.Equals(channel.Name, name, StringComparison.OrdinalIgnoreCase))
                found.Add(channel);
        }
        return found;
    }

    async Task<IReadOnlyList<ChatUser>> UserListAsync(bool refetch, CancellationToken cancellationToken)
    {
        if (!refetch && _userList is { } fresh && IsFresh(fresh))
            return fresh.Value;
        await _userListLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!refetch && _userList is { } again && IsFresh(again))
                return again.Value;
            var users = new List<ChatUser>();
            await foreach (var member in PagesAsync("users.list", "members", [], cancellationToken).ConfigureAwait(false))
            {
                if (member.TryGetProperty("deleted", out var deleted) && deleted.ValueKind == JsonValueKind.True)
                    continue;
                var user = UserFromJson(member);
                users.Add(user);
                _users[user.Id] = new Cached<ChatUser?>(user, time.GetUtcNow());
            }
            _userList = new Cached<IReadOnlyList<ChatUser>>(users, time.GetUtcNow());
            return users;
        }
        finally
        {
            _userListLock.Release();
        }
    }

    async Task<IReadOnlyList<SlackChannel>> ChannelListAsync(bool refetch, CancellationToken cancellationToken)
    {
        if (!refetch && _channelList is { } fresh && IsFresh(fresh))
            return fresh.Value;
        await _channelListLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!refetch && _channelList is { } again && IsFresh(again))
                return again.Value;
            var channels = new List<SlackChannel>();
            KeyValuePair<string, string>[] arguments = [new("types", "public_channel,private_channel"), new("exclude_archived", "true")];
            await foreach (var item in PagesAsync("conversations.list", "channels", arguments, cancellationToken).ConfigureAwait(false))
            {
                var channel = SlackChannel.FromJson(item);
                channels.Add(channel);
                _channels[channel.Id] = new Cached<SlackChannel?>(channel, time.GetUtcNow());
            }
            _channelList = new Cached<IReadOnlyList<SlackChannel>>(channels, time.GetUtcNow());
            return channels;
        }
        finally
        {
            _channelListLock.Release();
        }
    }

    async IAsyncEnumerable<JsonElement> PagesAsync(string method, string property, KeyValuePair<string, string>[] arguments,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var cursor = "";
        do
        {
            var query = new List<KeyValuePair<string, string>>(arguments) { new("limit", PageSize.ToString(System.Globalization.CultureInfo.InvariantCulture)) };
            if (cursor.Length > 0)
                query.Add(new("cursor", cursor));
            var page = (await api.GetAsync(method, query, cancellationToken).ConfigureAwait(false)).EnsureOk();
            if (page.TryGetProperty(property, out var items) && items.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in items.EnumerateArray())
                    yield return item;
            }
            cursor = page.TryGetProperty("response_metadata", out var metadata) && metadata.TryGetProperty("next_cursor", out var next)
                && next.ValueKind == JsonValueKind.String ? next.GetString()! : "";
        }
        while (cursor.Length > 0);
    }

    /// <summary>A user from a <c>users.info</c> / <c>users.list</c> member: the handle is the username (<c>name</c>), as in
    /// Cog 1.0; names and email come from the profile.</summary>
    static ChatUser UserFromJson(JsonElement user)
    {
        var id = user.GetProperty("id").GetString()!;
        var handle = Text(user, "name") ?? id;
        string? first = null, last = null, email = null;
        if (user.TryGetProperty("profile", out var profile) && profile.ValueKind == JsonValueKind.Object)
        {
            first = Text(profile, "first_name");
            last = Text(profile, "last_name");
            email = Text(profile, "email");
            if (first is null && last is null && (Text(profile, "real_name") ?? Text(user, "real_name")) is { } real)
            {
                var space = real.IndexOf(' ', StringComparison.Ordinal);
                (first, last) = space < 0 ? (real, null) : (real[..space], real[(space + 1)..]);
            }
        }
        return new ChatUser(id, handle, first, last, email);
    }

    static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;

    bool IsFresh<T>(Cached<T> cached) => time.GetUtcNow() - cached.Fetched < options.CacheDuration;

    sealed record Cached<T>(T Value, DateTimeOffset Fetched);
}
