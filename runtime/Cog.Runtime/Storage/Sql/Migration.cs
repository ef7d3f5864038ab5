using System.Globalization;
using System.Reflection;

namespace Cog.Runtime.Storage.Sql;

/// <summary>One versioned schema migration: an embedded <c>Migrations/NNNN_name.sql</c> file.</summary>
sealed record Migration(int Version, string Name, string Sql)
{
    const string Prefix = "Migrations.";

    /// <summary>The migrations embedded in <paramref name="assembly"/> (logical names <c>Migrations.NNNN_name.sql</c>),
    /// in version order; each version once. A version may be missing (work on several branches reserves numbers ahead:
    /// a database migrated without it gets it later, as every migration not yet recorded is applied).</summary>
    public static IReadOnlyList<Migration> FromAssembly(Assembly assembly)
    {
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(Prefix, StringComparison.Ordinal) || !resource.EndsWith(".sql", StringComparison.Ordinal))
                continue;
            var name = resource[Prefix.Length..^4];
            var underscore = name.IndexOf('_', StringComparison.Ordinal);
            var version = int.Parse(underscore < 0 ? name : name[..underscore], NumberStyles.None, CultureInfo.InvariantCulture);
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            migrations.Add(new Migration(version, name, reader.ReadToEnd()));
        }
        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 1; i < migrations.Count; i++)
        {
            if (migrations[i].Version == migrations[i - 1].Version)
                throw new InvalidOperationException($"Migrations {migrations[i - 1].Name} and {migrations[i].Name} have the same version.");
        }
        return migrations;
    }
}
