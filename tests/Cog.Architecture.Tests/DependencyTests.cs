using System.Reflection;

namespace Cog.Architecture.Tests;

/// <summary>The project dependencies: arrows point toward the pure core.</summary>
public class DependencyTests
{
    static readonly Assembly Language = typeof(Cog.Language.Text.SourcePosition).Assembly;
    static readonly Assembly Manifest = typeof(Cog.Manifest.ManifestLoader).Assembly;

    static string[] ReferencedNames(Assembly assembly) =>
        [.. assembly.GetReferencedAssemblies().Select(a => a.Name!).Order(StringComparer.Ordinal)];

    static bool IsFramework(string name) =>
        name is "netstandard" or "mscorlib" || name.StartsWith("System", StringComparison.Ordinal) || name.StartsWith("Microsoft.Win32", StringComparison.Ordinal);

    [Fact]
    public void The_language_depends_on_the_base_class_library_only()
    {
        var outside = ReferencedNames(Language).Where(n => !IsFramework(n));
        Assert.Empty(outside);
    }

    [Fact]
    public void The_sdk_depends_on_the_base_class_library_only()
    {
        var outside = ReferencedNames(typeof(Cog.Sdk.ICommand).Assembly).Where(n => !IsFramework(n));
        Assert.Empty(outside);
    }

    [Fact]
    public void Manifests_depend_only_on_the_language_and_their_parsing_libraries()
    {
        var outside = ReferencedNames(Manifest).Where(n => !IsFramework(n));
        Assert.All(outside, n => Assert.Contains(n, new[] { "Cog.Language", "YamlDotNet", "JsonSchema.Net", "Json.More", "JsonPointer.Net" }));
    }

    [Fact]
    public void The_runtime_core_references_no_transport_database_or_web_library_only_the_password_hash_and_the_template_libraries()
    {
        // Fluid (with its parser, Parlot) and Markdig are pure libraries: templates are Liquid producing Markdown.
        var outside = ReferencedNames(typeof(Cog.Runtime.Relays.IRelayCredentialStore).Assembly).Where(n => !IsFramework(n));
        Assert.All(outside, n => Assert.True(
            n is "Cog.Language" or "Cog.Manifest" or "Cog.Contracts" or "BCrypt-Net-Next" or "Fluid" or "Parlot" or "Markdig"
            || (n.StartsWith("Microsoft.Extensions.", StringComparison.Ordinal) && n.EndsWith(".Abstractions", StringComparison.Ordinal)), n));
    }

    [Fact]
    public void The_sqlite_store_depends_on_the_core_and_its_driver_only()
    {
        var outside = ReferencedNames(typeof(Cog.Runtime.Sqlite.SqliteStore).Assembly).Where(n => !IsFramework(n));
        Assert.All(outside, n => Assert.True(n is "Cog.Runtime" or "Microsoft.Data.Sqlite", n));
    }

    [Fact]
    public void The_postgres_store_depends_on_the_core_npgsql_and_the_shared_back_off_only()
    {
        // The shared back-off (and its Polly) for the server bus's listener, which reconnects; logging abstractions for its log.
        var outside = ReferencedNames(typeof(Cog.Runtime.Postgres.PostgresStore).Assembly).Where(n => !IsFramework(n));
        Assert.All(outside, n => Assert.True(
            n is "Cog.Runtime" or "Npgsql" or "Cog.Resilience" or "Polly.Core" or "Microsoft.Extensions.Logging.Abstractions", n));
    }

    [Fact]
    public void The_slack_adapter_depends_on_the_core_the_shared_back_off_and_microsoft_extensions_only()
    {
        // Hand-written against Slack's protocol (HttpClient, ClientWebSocket, System.Text.Json): no vendor SDK, no other adapter.
        // Its Web API client is a typed client of IHttpClientFactory with Microsoft.Extensions.Http.Resilience (Polly).
        var outside = ReferencedNames(typeof(Cog.Runtime.Slack.SlackChatProvider).Assembly).Where(n => !IsFramework(n));
        Assert.All(outside, n => Assert.True(
            n is "Cog.Runtime" or "Cog.Resilience" or "Polly.Core" || n.StartsWith("Microsoft.Extensions.", StringComparison.Ordinal), n));
        Assert.Contains("Cog.Runtime", outside);
    }

    [Theory]
    [InlineData("Cog.Relay")]
    [InlineData("Cog.Runtime.Mqtt")]
    [InlineData("Cog.Runtime.Postgres")]
    [InlineData("Cog.Runtime.Slack")]
    [InlineData("cog")]
    public void Every_component_that_reconnects_or_retries_does_it_through_the_shared_back_off(string assembly)
    {
        // One mechanism: the relay's session and bundle host, the server's broker connection, server bus and dev relay,
        // and Socket Mode retry through Cog.Resilience's Polly pipeline, not a loop of their own.
        Assert.Contains("Cog.Resilience", ReferencedNames(Assembly.Load(new AssemblyName(assembly))));
    }

    [Fact]
    public void The_shared_back_off_depends_on_polly_only()
    {
        var outside = ReferencedNames(Assembly.Load(new AssemblyName("Cog.Resilience"))).Where(n => !IsFramework(n));
        Assert.All(outside, n => Assert.True(n.StartsWith("Polly", StringComparison.Ordinal), n));
    }

    [Fact]
    public void The_fake_slack_speaks_the_protocol_and_references_no_production_project()
    {
        var outside = ReferencedNames(typeof(Cog.Testing.Slack.FakeSlackServer).Assembly).Where(n => !IsFramework(n));
        Assert.All(outside, n => Assert.True(
            n.StartsWith("xunit.", StringComparison.Ordinal) || n == "Microsoft.AspNetCore" || n.StartsWith("Microsoft.AspNetCore.", StringComparison.Ordinal)
            || n.StartsWith("Microsoft.Extensions.", StringComparison.Ordinal), n));
    }

    [Fact]
    public void The_api_references_the_runtime_contracts_aspnet_core_and_opentelemetry_but_no_transport_or_database()
    {
        // OpenTelemetry is there for /metrics only (Prometheus exposition of the "Cog" meter and ASP.NET Core's meters);
        // Cog.Manifest for the positioned manifest errors of a refused bundle install.
        var outside = ReferencedNames(typeof(Cog.Api.Relays.RelayPackageEndpoints).Assembly).Where(n => !IsFramework(n));
        Assert.All(outside, n => Assert.True(
            n is "Cog.Runtime" or "Cog.Contracts" or "Cog.Language" or "Cog.Manifest"
            || n.StartsWith("Microsoft.AspNetCore.", StringComparison.Ordinal)
            || n.StartsWith("Microsoft.Extensions.", StringComparison.Ordinal)
            || n == "OpenTelemetry" || n.StartsWith("OpenTelemetry.", StringComparison.Ordinal), n));
    }

    [Fact]
    public void The_web_console_is_a_chat_adapter_on_the_core_and_aspnet_core_only()
    {
        // Like a chat vendor's adapter (row 3): the core and its web framework; never the API project,
        // a transport or a database (the console calls the REST API from the browser).
        var outside = ReferencedNames(typeof(Cog.Web.WebConsole).Assembly).Where(n => !IsFramework(n));
        Assert.All(outside, n => Assert.True(
            n is "Cog.Runtime" or "Cog.Language"
            || n.StartsWith("Microsoft.AspNetCore.", StringComparison.Ordinal)
            || n.StartsWith("Microsoft.Extensions.", StringComparison.Ordinal), n));
    }

    [Fact]
    public void Cogctl_talks_to_the_server_over_http_only_and_references_no_server_project()
    {
        // Cog.BundleChecks: the offline checks of `bundle validate` (the relay's script compiler, the server's template
        // engine, metadata-only reading of plug-in assemblies); cogctl never calls the server but over HTTP.
        var outside = ReferencedNames(typeof(Cog.Cli.CogCtl).Assembly).Where(n => !IsFramework(n));
        Assert.All(outside, n => Assert.True(n is "Cog.Language" or "Cog.Manifest" or "Cog.Contracts" or "Cog.BundleChecks", n));
    }

    [Fact]
    public void The_bundle_checks_join_the_relays_compiler_and_the_cores_templates_and_run_no_bundle_code()
    {
        // A library of its own because the relay may not reference the server core and the server core may not
        // reference Roslyn; plug-in assemblies are read with MetadataLoadContext, never loaded to run.
        var outside = ReferencedNames(Assembly.Load(new AssemblyName("Cog.BundleChecks"))).Where(n => !IsFramework(n));
        Assert.All(outside, n => Assert.True(
            n is "Cog.Language" or "Cog.Manifest" or "Cog.Runtime" or "Cog.Relay" or "Cog.Worker" or "Cog.Sdk" or "System.Reflection.MetadataLoadContext", n));
        Assert.DoesNotContain("McMaster.NETCore.Plugins", outside);
    }

    [Fact]
    public void The_relay_never_references_the_server_runtime()
    {
        var outside = ReferencedNames(Assembly.Load(new AssemblyName("Cog.Relay"))).Where(n => !IsFramework(n));
        Assert.DoesNotContain(outside, n => n.StartsWith("Cog.Runtime", StringComparison.Ordinal) || n == "Cog.Cli");
    }

    [Fact]
    public void The_server_never_loads_bundle_code()
    {
        // The relay is the trust boundary; the server starts it as a process in dev mode, never in-process.
        var outside = ReferencedNames(Assembly.Load(new AssemblyName("cog"))).Where(n => !IsFramework(n));
        Assert.DoesNotContain(outside, n => n is "Cog.Relay" or "Cog.Worker" or "Cog.Sdk" or "McMaster.NETCore.Plugins" || n.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal));
        Assert.Contains("Cog.Runtime", outside);
    }

    [Fact]
    public void The_relay_never_loads_plug_in_assemblies_itself()
    {
        // Scripts and plug-in assemblies run in worker processes; the relay only speaks the worker channel.
        var outside = ReferencedNames(Assembly.Load(new AssemblyName("Cog.Relay"))).Where(n => !IsFramework(n));
        Assert.DoesNotContain("McMaster.NETCore.Plugins", outside);
        Assert.Contains("Cog.Worker", outside);
    }

    [Fact]
    public void The_worker_holds_no_compiler_and_nothing_of_the_relay()
    {
        // The relay compiles scripts and sends their images: a worker starts without loading Roslyn.
        var outside = ReferencedNames(Assembly.Load(new AssemblyName("Cog.Worker"))).Where(n => !IsFramework(n));
        Assert.All(outside, n => Assert.True(n is "Cog.Sdk" or "McMaster.NETCore.Plugins", n));
    }

    [Fact]
    public void The_shared_test_helpers_reference_no_transport_database_or_production_project_but_the_core()
    {
        // The core for its seams only (the fake chat provider implements IChatProvider; the golden replies compose with the
        // real composer over the language's values); Cog.Testing may reference it.
        var outside = ReferencedNames(typeof(Cog.Testing.Eventually).Assembly).Where(n => !IsFramework(n));
        Assert.All(outside, n => Assert.True(
            n.StartsWith("xunit.", StringComparison.Ordinal) || n is "Microsoft.Extensions.Logging.Abstractions" or "Cog.Runtime" or "Cog.Language", n));
    }

    [Fact]
    public void Syntax_trees_and_values_have_no_public_setters()
    {
        var mutable = Language.GetExportedTypes()
            .Where(t => t.Namespace is "Cog.Language.Pipelines" or "Cog.Language.Values" or "Cog.Language.Rules" or "Cog.Language.Text" or "Cog.Language.Options")
            .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Where(p => p.SetMethod is { IsPublic: true } setter && !IsInitOnly(setter))
            .Select(p => $"{p.DeclaringType!.Name}.{p.Name}");
        Assert.Empty(mutable);
    }

    [Fact]
    public void Manifest_models_have_no_public_setters()
    {
        var mutable = Manifest.GetExportedTypes()
            .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Where(p => p.SetMethod is { IsPublic: true } setter && !IsInitOnly(setter))
            .Select(p => $"{p.DeclaringType!.Name}.{p.Name}");
        Assert.Empty(mutable);
    }

    static bool IsInitOnly(MethodInfo setter) =>
        setter.ReturnParameter.GetRequiredCustomModifiers().Any(m => m.FullName == "System.Runtime.CompilerServices.IsExternalInit");
}
