using System.Globalization;

namespace Cog.Cli.Configuration;

/// <summary>
/// The cogctl configuration file (<c>~/.cogctl</c>), compatible with the original's: <c>[defaults] profile = NAME</c>
/// and one section per profile with <c>url</c>, <c>user</c>, <c>password</c> (or the older <c>host</c>, <c>port</c>,
/// <c>secure</c>), and <c>ca_file</c> for a server whose certificate a private certificate authority signed. Written with
/// mode 0600 because it holds passwords.
/// </summary>
sealed class CogctlConfig
{
    const string Defaults = "defaults";
    readonly IniFile _file;

    CogctlConfig(string path, IniFile file)
    {
        Path = path;
        _file = file;
    }

    /// <summary>The file's path (it may not exist yet).</summary>
    public string Path { get; }

    /// <summary>Loads <paramref name="path"/>; a missing file is an empty configuration. Null and a message when the
    /// file cannot be read or is not valid (an existing file must name an existing default profile, as in the original).</summary>
    public static CogctlConfig? Load(string path, out string? problem)
    {
        problem = null;
        if (!File.Exists(path))
        {
            return new CogctlConfig(path, IniFile.Empty());
        }
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problem = ConfigErrors.Unreadable(path, e.Message);
            return null;
        }
        var file = IniFile.Parse(text, out var reason);
        if (file is null)
        {
            problem = ConfigErrors.NotValid(path, reason!);
            return null;
        }
        var config = new CogctlConfig(path, file);
        if (config.DefaultProfileName is not { } name)
        {
            problem = ConfigErrors.NotValid(path, ConfigErrors.NoDefaults);
            return null;
        }
        if (!config.ProfileNames().Contains(name))
        {
            problem = ConfigErrors.NotValid(path, ConfigErrors.DefaultMissing(name));
            return null;
        }
        return config;
    }

    /// <summary>The name in <c>[defaults] profile</c>, or null.</summary>
    public string? DefaultProfileName => _file.Get(Defaults, "profile");

    /// <summary>The profile names, sorted (ordinal).</summary>
    public IReadOnlyList<string> ProfileNames()
    {
        var names = new List<string>();
        foreach (var section in _file.Sections())
        {
            if (section != Defaults)
            {
                names.Add(section);
            }
        }
        names.Sort(StringComparer.Ordinal);
        return names;
    }

    /// <summary>The profile called <paramref name="name"/>, or null. An old-style profile (host, port, secure)
    /// gets its URL built as the original did.</summary>
    public Profile? Get(string name)
    {
        if (name == Defaults || !ProfileNames().Contains(name))
        {
            return null;
        }
        var entries = _file.Entries(name);
        var url = entries.GetValueOrDefault("url");
        if (string.IsNullOrEmpty(url) && entries.TryGetValue("host", out var host))
        {
            var scheme = entries.GetValueOrDefault("secure") == "true" ? "https" : "http";
            url = string.Create(CultureInfo.InvariantCulture, $"{scheme}://{host}:{entries.GetValueOrDefault("port") ?? "4000"}");
        }
        return new Profile(name, url, entries.GetValueOrDefault("user"), entries.GetValueOrDefault("password"), name == DefaultProfileName,
            entries.GetValueOrDefault("ca_file"));
    }

    /// <summary>Adds or replaces a profile (keys written in sorted order, as the original); the first profile of a file
    /// becomes the default.</summary>
    public void Add(string name, string url, string user, string password, string? caFile = null)
    {
        if (DefaultProfileName is null)
        {
            _file.Set(Defaults, "profile", name);
        }
        if (caFile is not null)
        {
            _file.Set(name, "ca_file", caFile);
        }
        _file.Set(name, "password", password);
        _file.Set(name, "url", url);
        _file.Set(name, "user", user);
    }

    /// <summary>Makes <paramref name="name"/> the default; false when there is no such profile.</summary>
    public bool SetDefault(string name)
    {
        if (Get(name) is null)
        {
            return false;
        }
        _file.Set(Defaults, "profile", name);
        return true;
    }

    /// <summary>Writes the file with mode 0600 (owner read and write only); null or the reason it failed.</summary>
    public string? Save()
    {
        try
        {
            var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path));
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }
            using (var stream = new FileStream(Path, options))
            using (var writer = new StreamWriter(stream))
            {
                writer.Write(_file.ToString());
            }
            if (!OperatingSystem.IsWindows())
            {
                // UnixCreateMode applies only to a new file; an existing one keeps its mode unless reset.
                File.SetUnixFileMode(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ConfigErrors.Unwritable(Path, e.Message);
        }
    }
}
