namespace Cog.Testing;

/// <summary>Manifests of the fixture plug-in bundles (tests/fixtures/bundles), which are built without one.</summary>
public static class FixtureManifests
{
    /// <summary>The greeter bundle (Cog.Fixtures.Greeter.V1 or .V2 built into <c>lib/</c>) as version
    /// <paramref name="version"/>.</summary>
    public static string Greeter(string version) => $"""
        cog_bundle_version: 6
        name: greeter
        description: Greets people
        version: "{version}"
        assembly: lib/Cog.Fixtures.Greeter.dll
        commands:
          greet:
            type: Cog.Fixtures.Greeter.Greet
            rules:
              - allow
        """;
}
