namespace Cog.Cli.Configuration;

/// <summary>One server profile of the configuration file: where the API is, whom to log in as and, for a server whose
/// certificate a private certificate authority signed, that authority's PEM file (<c>ca_file</c>).</summary>
sealed record Profile(string Name, string? Url, string? User, string? Password, bool IsDefault, string? CaFile = null);
