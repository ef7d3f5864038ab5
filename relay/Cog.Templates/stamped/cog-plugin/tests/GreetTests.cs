using System.Reflection;
using Cog.Sdk.Testing;

namespace HelloBundle.Tests;

/// <summary>hello-bundle:greet, run as chat would run it: through the command language, the bundle's rules, the
/// command itself and its template.</summary>
public sealed class GreetTests : IAsyncLifetime
{
    static readonly string BundleFolder = typeof(GreetTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "BundleFolder").Value!;

    static readonly TestUser Alice = new("alice");
    static readonly TestUser Loud = new("bob", ["hello-bundle:shout"]);

    BundleTestHost _cog = null!;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _cog = await BundleTestHost.LoadAsync(BundleFolder, cancellationToken: Ct);

    public ValueTask DisposeAsync() => _cog.DisposeAsync();

    [Fact]
    public async Task Greets_the_caller_when_no_name_is_given()
    {
        var run = await _cog.RunAsync("hello-bundle:greet", Alice, cancellationToken: Ct);

        run.EnsureSucceeded();
        Assert.Equal("Hello, alice!", run.SingleItem().GetProperty("greeting").GetString());
    }

    [Fact]
    public async Task Greets_someone_with_the_bundle_template()
    {
        var run = await _cog.RunAsync("hello-bundle:greet ada", Alice, cancellationToken: Ct);

        run.EnsureSucceeded();
        Assert.Equal("👋 Hello, ada!", run.Reply.PlainText.Trim());
    }

    [Fact]
    public async Task Shouting_needs_the_permission()
    {
        var refused = await _cog.RunAsync("hello-bundle:greet --shout ada", Alice, cancellationToken: Ct);
        var allowed = await _cog.RunAsync("hello-bundle:greet --shout ada", Loud, cancellationToken: Ct);

        Assert.Equal(["hello-bundle:shout"], refused.EnsureRefused().Missing);
        Assert.Equal("HELLO, ADA!", allowed.EnsureSucceeded().SingleItem().GetProperty("greeting").GetString());
    }
}
