namespace Cog.Cli.Configuration;

/// <summary>One server profile of the configuration file: where the API is and whom to log in as.</summary>
sealed record Profile(string Name, string? Url, string? User, string? Password, bool IsDefault);
