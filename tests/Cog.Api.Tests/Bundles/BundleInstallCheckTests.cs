using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Cog.Manifest.Packages;
using Cog.Runtime.Bundles;

namespace Cog.Api.Tests.Bundles;

/// <summary>An install runs the checks of <c>cogctl bundle validate</c> on the server side, in the bundle checker
/// process: scripts that do not compile, templates that do not parse, command types the worker cannot load and
/// executables that cannot run are refused with 422 and every error positioned in the bundle (file relative to it, line,
/// column); a checker that cannot answer refuses the install with its reason, never lets it through.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // execute permission bits
public sealed class BundleInstallCheckTests : IAsyncDisposable
{
    readonly string _root = Directory.CreateTempSubdirectory("cog-install-checks-").FullName;
    ApiWorld? _api;
    string _admin = "";

    async Task<ApiWorld> StartAsync(Action<BundleRegistryOptions>? bundles = null)
    {
        _api = await ApiWorld.StartAsync(bundles: bundles);
        _admin = (await _api.UserAsync("admin", "operable:manage_commands")).Token;
        return _api;
    }

    public async ValueTask DisposeAsync()
    {
        if (_api is not null)
            await _api.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    /// <summary>A version 6 bundle folder with <paramref name="commands"/> (YAML from <c>commands:</c> or
    /// <c>templates:</c> on, starting on line 5) and files.</summary>
    string Bundle(string commands, params (string Path, string Text)[] files)
    {
        var folder = Directory.CreateDirectory(Path.Combine(_root, "b" + Guid.NewGuid().ToString("N")[..8])).FullName;
        File.WriteAllText(Path.Combine(folder, "config.yaml"), "cog_bundle_version: 6\nname: greeter\ndescription: Greets\nversion: \"0.1.0\"\n" + commands);
        foreach (var (path, text) in files)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(folder, path))!);
            File.WriteAllText(Path.Combine(folder, path), text);
        }
        return folder;
    }

    /// <summary>Installs the package of <paramref name="folder"/> (built by the library, which does not run the code
    /// checks) as <c>cogctl bundle install</c> uploads it.</summary>
    async Task<(HttpStatusCode Status, JsonElement Body)> InstallPackageAsync(string folder)
    {
        using var package = new MemoryStream();
        Assert.True(BundlePackage.Create(folder, package).Succeeded);
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(package.ToArray());
        file.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        form.Add(file, "bundle[package]", "greeter.cogbundle");
        return await ApiWorld.ReadJsonAsync(await _api!.SendAsync(HttpMethod.Post, "/v1/bundles", _admin, form));
    }

    static (string File, int Line, int Column, string Message)[] Refused((HttpStatusCode Status, JsonElement Body) answer)
    {
        Assert.Equal(HttpStatusCode.UnprocessableEntity, answer.Status);
        return [.. answer.Body.GetProperty("manifest_errors").EnumerateArray().Select(e =>
            (e.GetProperty("file").GetString()!, e.GetProperty("line").GetInt32(), e.GetProperty("column").GetInt32(), e.GetProperty("message").GetString()!))];
    }

    async Task AssertNothingInstalledAsync() =>
        Assert.DoesNotContain(await _api!.Registry.ListAsync(ApiWorld.Ct), b => b.Bundle.Name == "greeter");

    [Fact]
    public async Task A_script_that_does_not_compile_is_refused_at_its_file_line_and_column()
    {
        await StartAsync();
        var folder = Bundle("commands:\n  hi:\n    script: scripts/hi.csx\n    rules: [allow]\n", ("scripts/hi.csx", "var a = 1;\nreturn nope;\n"));

        var answer = await InstallPackageAsync(folder);

        var error = Assert.Single(Refused(answer));
        Assert.Equal(("scripts/hi.csx", 2, 8), (error.File, error.Line, error.Column));
        Assert.StartsWith("CS0103: The name 'nope' does not exist", error.Message, StringComparison.Ordinal);
        Assert.Equal(BundleRegistryErrors.ChecksFailed(1), answer.Body.GetProperty("errors")[0].GetString());
        Assert.StartsWith("Error near #/commands/hi/script: scripts/hi.csx:2:8: CS0103: ", answer.Body.GetProperty("errors")[1].GetString(), StringComparison.Ordinal);
        await AssertNothingInstalledAsync();
    }

    [Fact]
    public async Task A_template_that_does_not_parse_is_refused_in_its_file_and_at_its_manifest_line()
    {
        await StartAsync();
        var folder = Bundle(
            "templates:\n  inline:\n    body: |\n      {% for x in results %}\n      {{ x }}\n      {% endfr %}\ncommands:\n  hi:\n    script: scripts/hi.csx\n    rules: [allow]\n",
            ("scripts/hi.csx", "return 1;\n"), ("templates/hi.liquid", "Hello\n{% if results %}{% endfr %}\n"));

        var errors = Refused(await InstallPackageAsync(folder));

        // The manifest's block scalar starts on line 8 (after "body: |" on line 7): the template's line 3 is line 10.
        Assert.Equal([("config.yaml", 10), ("templates/hi.liquid", 2)], errors.Select(e => (e.File, e.Line)));
        Assert.StartsWith("The template 'inline' does not parse: ", errors[0].Message, StringComparison.Ordinal);
        Assert.StartsWith("The template 'hi' does not parse: ", errors[1].Message, StringComparison.Ordinal);
        Assert.True(errors[1].Column > 1, errors[1].ToString());
        await AssertNothingInstalledAsync();
    }

    [Fact]
    public async Task A_bare_manifest_whose_template_does_not_parse_is_refused_at_its_manifest_line()
    {
        await StartAsync();
        var v5 = ApiWorld.Manifest("greeter") + "\ntemplates:\n  inline:\n    body: \"~each var=$results~\"\n";

        var answer = await _api!.JsonAsync(HttpMethod.Post, "/v1/bundles", _admin, new { bundle = new { config = v5 } });

        var error = Assert.Single(Refused(answer));
        // ApiWorld.Manifest is 12 lines; "body:" is on line 15.
        Assert.Equal(("config.yaml", 15), (error.File, error.Line));
        Assert.StartsWith("The template 'inline' does not parse: ", error.Message, StringComparison.Ordinal);
        await AssertNothingInstalledAsync();
    }

    [Fact]
    public async Task A_command_type_missing_from_the_assembly_is_refused_at_the_manifest_line_naming_it()
    {
        await StartAsync();
        // Cog.Manifest.dll stands in for a plug-in assembly: it is read as metadata, and holds no type of that name.
        var folder = Bundle("assembly: lib/Plugin.dll\ncommands:\n  gone:\n    type: Greeter.Missing\n    rules: [allow]\n");
        Directory.CreateDirectory(Path.Combine(folder, "lib"));
        File.Copy(typeof(Cog.Manifest.ManifestError).Assembly.Location, Path.Combine(folder, "lib", "Plugin.dll"));

        var error = Assert.Single(Refused(await InstallPackageAsync(folder)));

        Assert.Equal(("config.yaml", 8, 11, "The type 'Greeter.Missing' was not found in the bundle's plugin assembly 'lib/Plugin.dll'."), error);
        await AssertNothingInstalledAsync();
    }

    [Fact]
    public async Task An_executable_that_is_not_executable_is_refused_at_the_manifest_line_naming_it()
    {
        await StartAsync();
        var folder = Bundle("commands:\n  run:\n    executable: bin/run.sh\n    rules: [allow]\n", ("bin/run.sh", "#!/bin/sh\necho hi\n"));
        File.SetUnixFileMode(Path.Combine(folder, "bin/run.sh"), UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var error = Assert.Single(Refused(await InstallPackageAsync(folder)));

        Assert.Equal(("config.yaml", 7, 17,
            "The executable 'bin/run.sh' is not executable: give it the execute permission (chmod +x) before packaging."), error);
        await AssertNothingInstalledAsync();
    }

    [Fact]
    public async Task A_dev_install_is_not_held_up_by_the_checks_and_logs_what_fails()
    {
        await StartAsync();
        var folder = Bundle("commands:\n  hi:\n    script: scripts/hi.csx\n    rules: [allow]\n", ("scripts/hi.csx", "return 1;\n"),
            ("templates/hi.liquid", "Hello\n{% if results %}{% endfr %}\n"));
        using var package = new MemoryStream();
        Assert.True(BundlePackage.Create(folder, package).Succeeded);

        var installed = await _api!.Registry.InstallDevAsync(package.ToArray(), ApiWorld.Ct);
        var logged = await _api.RegistryLogs.WaitForAsync("does not pass its checks");

        Assert.True(installed.Value!.Version.Enabled);
        Assert.StartsWith($"Dev mode: greeter {installed.Value.Version.Version} does not pass its checks: {BundleRegistryErrors.ChecksFailed(1)}; templates/hi.liquid:2:",
            logged, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bundle_that_passes_the_checks_installs()
    {
        await StartAsync();
        var folder = Bundle("templates:\n  hi:\n    body: \"{{ results[0] }}\"\ncommands:\n  hi:\n    script: scripts/hi.csx\n    rules: [allow]\n  run:\n    executable: bin/run.sh\n    rules: [allow]\n",
            ("scripts/hi.csx", "return Args.Count;\n"), ("bin/run.sh", "#!/bin/sh\n"));
        File.SetUnixFileMode(Path.Combine(folder, "bin/run.sh"), UnixFileMode.UserRead | UnixFileMode.UserExecute);

        var (status, body) = await InstallPackageAsync(folder);

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("0.1.0", body.GetProperty("bundle_version").GetProperty("version").GetString());
    }

    [Fact]
    public async Task A_checker_that_hangs_is_killed_and_the_install_refused()
    {
        // A stand-in checker that records its process id and never answers.
        var pidFile = Path.Combine(_root, "checker.pid");
        var hanging = Path.Combine(_root, "hanging-checker.sh");
        File.WriteAllText(hanging, $"#!/bin/sh\necho $$ > '{pidFile}'\nexec sleep 600\n");
        File.SetUnixFileMode(hanging, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        await StartAsync(o => (o.CheckerExecutable, o.CheckTimeout) = (hanging, TimeSpan.FromSeconds(1)));

        var (status, body) = await _api!.JsonAsync(HttpMethod.Post, "/v1/bundles", _admin, new { bundle = new { config = ApiWorld.Manifest("greeter") } });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal(BundleRegistryErrors.CheckerTimedOut(TimeSpan.FromSeconds(1)), body.GetProperty("errors").GetString());
        // The answer comes after the killed checker was reaped: its process is gone.
        Assert.False(Directory.Exists($"/proc/{File.ReadAllText(pidFile).Trim()}"));
        await AssertNothingInstalledAsync();
    }

    [Fact]
    public async Task Without_a_checker_installs_are_refused_unless_the_checks_are_turned_off()
    {
        await StartAsync(o => o.CheckerExecutable = null);
        var refused = await _api!.JsonAsync(HttpMethod.Post, "/v1/bundles", _admin, new { bundle = new { config = ApiWorld.Manifest("greeter") } });
        await _api.DisposeAsync();
        await StartAsync(o => (o.CheckerExecutable, o.SkipChecks) = (null, true));
        var unchecked_ = await _api!.JsonAsync(HttpMethod.Post, "/v1/bundles", _admin, new { bundle = new { config = ApiWorld.Manifest("greeter") } });

        Assert.Equal((HttpStatusCode.UnprocessableEntity, BundleRegistryErrors.CheckerNotConfigured), (refused.Status, refused.Body.GetProperty("errors").GetString()));
        Assert.Equal(HttpStatusCode.Created, unchecked_.Status);
    }
}
