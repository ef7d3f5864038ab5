using System.Diagnostics;
using Cog.Integration.Tests.Faults;
using Cog.Integration.Tests.Support;
using Cog.Testing;

namespace Cog.Integration.Tests.Packaging;

/// <summary>
/// What an operator installs: the Debian packages <c>./build.sh package</c> builds (cog-server, cog-relay, cogctl) are
/// inspected with <c>dpkg-deb</c> (control fields, files, conffiles, maintainer scripts), their systemd units checked with
/// <c>systemd-analyze verify</c>, the container images built from them with Podman, and the executables unpacked from
/// them (and the images) run end to end: the server on SQLite with its
/// embedded broker, a relay, and cogctl installing a script bundle and running one of its commands on the relay.
/// </summary>
/// <remarks>Nothing is installed on this machine: the packages are unpacked (<c>dpkg-deb -x</c>) into a temporary
/// folder, and the absolute paths of the installed layout (<c>/var/lib/cog</c>, <c>/usr/lib/cog</c>) are given as
/// settings pointing into that folder.</remarks>
[Trait("Category", "Packaging")]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DebianPackagesTests(DebianPackages packages) : IClassFixture<DebianPackages>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("cog-server", "./usr/lib/cog/server/cog", "./usr/lib/cog/server/Cog.BundleChecker", "./etc/cog/server.json", "./lib/systemd/system/cog-server.service")]
    [InlineData("cog-relay", "./usr/lib/cog/relay/Cog.Relay", "./usr/lib/cog/relay/Cog.Worker", "./etc/cog/relay.json", "./lib/systemd/system/cog-relay.service")]
    [InlineData("cogctl", "./usr/lib/cog/cogctl/cogctl", null, null, null)]
    public async Task Each_package_has_its_fields_files_and_maintainer_scripts(string package, string executable, string? helper, string? conffile, string? unit)
    {
        var deb = packages.Deb(package);

        var fields = await Programs.RunAsync("dpkg-deb", ["-f", deb, "Package", "Version", "Architecture", "Depends"]);
        var files = await Programs.RunAsync("dpkg-deb", ["-c", deb]);
        var control = Path.Combine(packages.Root, "control-" + package);
        var controlExtracted = await Programs.RunAsync("dpkg-deb", ["-e", deb, control]);

        Assert.True(fields.Code == 0 && files.Code == 0 && controlExtracted.Code == 0, fields.Error + files.Error + controlExtracted.Error);
        Assert.Contains($"Package: {package}\n", fields.Output, StringComparison.Ordinal);
        Assert.Contains($"Version: {TemplateFeed.PackageVersion()}\n", fields.Output, StringComparison.Ordinal);
        Assert.Contains("Architecture: amd64\n", fields.Output, StringComparison.Ordinal);
        Assert.Contains("libssl3", fields.Output, StringComparison.Ordinal);
        var listed = files.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // Every file belongs to root: the services read them as the cog user, never write them.
        Assert.All(listed, line => Assert.Contains(" root/root ", line, StringComparison.Ordinal));
        Assert.Contains(listed, line => line.StartsWith("-rwxr-xr-x", StringComparison.Ordinal) && line.EndsWith(" " + executable, StringComparison.Ordinal));
        // Self-contained: the .NET runtime travels in the package.
        Assert.Contains(listed, line => line.EndsWith("/libcoreclr.so", StringComparison.Ordinal));
        var command = package switch { "cog-server" => "cog", "cog-relay" => "cog-relay", _ => "cogctl" };
        Assert.Contains(listed, line => line.StartsWith('l') && line.Contains($" ./usr/bin/{command} -> ../lib/cog/", StringComparison.Ordinal));
        if (helper is not null)
            Assert.Contains(listed, line => line.StartsWith("-rwxr-xr-x", StringComparison.Ordinal) && line.EndsWith(" " + helper, StringComparison.Ordinal));
        if (conffile is null)
        {
            Assert.False(File.Exists(Path.Combine(control, "conffiles")));
            return;
        }
        Assert.Contains(listed, line => line.EndsWith(" " + conffile, StringComparison.Ordinal));
        Assert.Contains(listed, line => line.EndsWith(" " + unit, StringComparison.Ordinal));
        Assert.Equal(conffile[1..] + "\n", await File.ReadAllTextAsync(Path.Combine(control, "conffiles"), Ct));
        var postinst = await File.ReadAllTextAsync(Path.Combine(control, "postinst"), Ct);
        Assert.Contains("useradd --system --user-group --home-dir /var/lib/cog", postinst, StringComparison.Ordinal);
        Assert.DoesNotContain("#COG_USER#", postinst, StringComparison.Ordinal);
        foreach (var script in new[] { "postinst", "prerm", "postrm" })
        {
            var syntax = await Programs.RunAsync("sh", ["-n", Path.Combine(control, script)]);
            Assert.True(syntax.Code == 0, $"{script}: {syntax.Error}");
        }
    }

    [Theory]
    [InlineData("cog-server")]
    [InlineData("cog-relay")]
    public async Task The_systemd_unit_passes_systemd_analyze_verify_with_its_hardening(string package)
    {
        var unit = await File.ReadAllTextAsync(Path.Combine(packages.Unpacked(package), "lib", "systemd", "system", package + ".service"), Ct);
        // verify checks that ExecStart's executable exists: point it at the unpacked one.
        var folder = Directory.CreateDirectory(Path.Combine(packages.Root, "units-" + package)).FullName;
        var copy = Path.Combine(folder, package + ".service");
        await File.WriteAllTextAsync(copy, unit.Replace("ExecStart=/usr/lib/cog/", $"ExecStart={packages.Unpacked(package)}/usr/lib/cog/", StringComparison.Ordinal), Ct);

        var verified = await Programs.RunAsync("systemd-analyze", ["verify", "--man=no", copy]);

        // A misspelt or unknown directive is only a warning: the output must be empty too.
        Assert.True(verified.Code == 0 && verified.Output.Length == 0 && verified.Error.Length == 0, $"exit {verified.Code}\n{verified.Output}{verified.Error}");
        var directives = unit.Split('\n').Where(l => l.Length > 0 && l[0] != '#').ToHashSet(StringComparer.Ordinal);
        Assert.Contains("Type=notify", directives);
        Assert.Contains("User=cog", directives);
        Assert.Contains("NoNewPrivileges=yes", directives);
        Assert.Contains("ProtectSystem=strict", directives);
        Assert.Contains("ProtectHome=yes", directives);
        Assert.Contains("PrivateTmp=yes", directives);
        Assert.Contains($"StateDirectory=cog/{package["cog-".Length..]}", directives);
        if (package == "cog-relay")
        {
            // bubblewrap creates namespaces and mounts a fresh /proc: nothing may take that away from the relay.
            Assert.DoesNotContain(directives, d => d.StartsWith("RestrictNamespaces=", StringComparison.Ordinal)
                || d.StartsWith("PrivateUsers=", StringComparison.Ordinal) || d.StartsWith("ProtectKernelTunables=", StringComparison.Ordinal)
                || d.StartsWith("ProtectProc=", StringComparison.Ordinal) || d.StartsWith("SystemCallFilter=", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task The_unpacked_server_relay_and_cogctl_run_a_pipeline_on_the_relay()
    {
        var work = Directory.CreateDirectory(Path.Combine(packages.Root, "run")).FullName;
        var home = Directory.CreateDirectory(Path.Combine(work, "home")).FullName;
        var (api, broker) = (LoopbackPorts.Free(), LoopbackPorts.Free());
        var url = $"http://127.0.0.1:{api}";
        var server = Path.Combine(packages.Unpacked("cog-server"), "usr", "lib", "cog", "server");
        // The package's own /etc/cog/server.json is read (through the link beside the executable); only the paths of the
        // installed layout and the ports are overridden.
        await using var cog = new ServerProcess(new Dictionary<string, string>
        {
            ["DataDirectory"] = Path.Combine(work, "data"),
            ["Api:Urls"] = url,
            ["Broker:Port"] = broker.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Bundles:CheckerExecutable"] = Path.Combine(server, "Cog.BundleChecker"),
        }, work, Path.Combine(server, "cog"));
        await cog.StartAsync(Ct);
        // The banner's first line says the server runs; its last one is the first pipeline to try.
        await Eventually.TrueAsync(() => cog.Output.Contains("pipeline run 'echo hello", StringComparison.Ordinal), "the whole welcome banner");
        var password = cog.Output.Split('\n').Single(l => l.TrimStart().StartsWith("password:", StringComparison.Ordinal)).Split(':', 2)[1].Trim();
        // An installed server tells the operator to run the installed cogctl, not the source checkout's build.sh.
        Assert.Contains($"    cogctl profile create local {url} admin '{password}'", cog.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("build.sh", cog.Output, StringComparison.Ordinal);

        await InstallEchoScriptForTheRelayAsync(home, work, url, password);

        var tokenFile = Path.Combine(work, "relay-token");
        await File.WriteAllTextAsync(tokenFile, RelayToken, Ct);
        var relayPackage = packages.Unpacked("cog-relay");
        // The package's /etc/cog/relay.json is read; the id, the token file, the ports and the cache are given.
        await using var relay = RelayProcess.Start(RelayId,
        [
            "--config", Path.Combine(relayPackage, "etc", "cog", "relay.json"), "--id", RelayId, "--token-file", tokenFile,
            "--broker", $"mqtt://127.0.0.1:{broker}", "--server", url, "--cache", Path.Combine(work, "relay-cache"),
        ], Path.Combine(relayPackage, "usr", "lib", "cog", "relay", "Cog.Relay"));

        await RunOnTheRelayAsync(home, () => $"--- relay\n{relay.Output}\n--- server\n{cog.Output}");
        Assert.Contains("Started a worker for echo-script", relay.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_server_and_relay_images_built_from_the_packages_run_a_pipeline()
    {
        // No image can be pulled here: the base is Debian bookworm made by debootstrap from Debian's mirror (what the
        // machine's apt uses) and imported, given to the Dockerfiles as BASE instead of debian:bookworm-slim.
        var work = Directory.CreateDirectory(Path.Combine(packages.Root, "containers")).FullName;
        var home = Directory.CreateDirectory(Path.Combine(work, "home")).FullName;
        var name = "cog-test-" + Guid.NewGuid().ToString("N")[..12];
        var (baseImage, serverImage, relayImage) = ($"localhost/{name}-base", $"localhost/{name}-server", $"localhost/{name}-relay");
        var (serverContainer, relayContainer) = (name + "-server", name + "-relay");
        var rootfs = Path.Combine(work, "rootfs");
        Succeeded(await Programs.RunAsync("debootstrap", ["--variant=minbase", "bookworm", rootfs, "http://deb.debian.org/debian"]), "debootstrap");
        Succeeded(await Programs.RunAsync("sh", ["-c", $"tar -C '{rootfs}' -c . | podman import - {baseImage}"]), "podman import");
        try
        {
            foreach (var (dockerfile, image) in new[] { ("server.Dockerfile", serverImage), ("relay.Dockerfile", relayImage) })
            {
                Succeeded(await PodmanAsync(["build", .. ContainerLimits, "--network", "host", "--build-arg", "BASE=" + baseImage,
                    "-f", Path.Combine(RepositoryPaths.Root, "packaging", "containers", dockerfile), "-t", image,
                    Path.GetDirectoryName(packages.Deb("cog-server"))!]), "podman build " + dockerfile);
            }
            var user = await PodmanAsync(["image", "inspect", "--format", "{{.Config.User}}", serverImage]);
            Assert.Equal("cog", user.Output.Trim());

            var (api, broker) = (LoopbackPorts.Free(), LoopbackPorts.Free());
            var url = $"http://127.0.0.1:{api}";
            Succeeded(await PodmanAsync(["run", "-d", "--name", serverContainer, .. ContainerLimits, "--network", "host",
                "-e", "Cog__Api__Urls=" + url, "-e", "Cog__Broker__BindAddress=127.0.0.1",
                "-e", "Cog__Broker__Port=" + broker.ToString(System.Globalization.CultureInfo.InvariantCulture), serverImage]), "podman run server");
            var started = Stopwatch.StartNew();
            var banner = "";
            while (!banner.Contains("pipeline run 'echo hello", StringComparison.Ordinal))
            {
                Assert.True(started.Elapsed < TimeSpan.FromSeconds(120), "The server container printed no welcome banner:\n" + banner);
                await Task.Delay(500, Ct);
                banner = (await PodmanAsync(["logs", serverContainer])).Output;
            }
            var password = banner.Split('\n').Single(l => l.TrimStart().StartsWith("password:", StringComparison.Ordinal)).Split(':', 2)[1].Trim();
            Assert.Contains($"    cogctl profile create local {url} admin '{password}'", banner, StringComparison.Ordinal);

            await InstallEchoScriptForTheRelayAsync(home, work, url, password);

            var tokenFile = Path.Combine(work, "relay-token");
            await File.WriteAllTextAsync(tokenFile, RelayToken, Ct);
            // Readable by the image's cog user (another uid than this test's).
            File.SetUnixFileMode(tokenFile, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            Succeeded(await PodmanAsync(["run", "-d", "--name", relayContainer, .. ContainerLimits, "--network", "host",
                "-v", tokenFile + ":/run/secrets/relay-token:ro", "-e", "COG_RELAY_ID=" + RelayId, "-e", "COG_RELAY_TOKEN_FILE=/run/secrets/relay-token",
                "-e", $"COG_RELAY_BROKER=mqtt://127.0.0.1:{broker}", "-e", "COG_RELAY_SERVER=" + url, relayImage]), "podman run relay");

            await RunOnTheRelayAsync(home, () => "(podman logs " + relayContainer + " / " + serverContainer + ")");
            var relayLog = await PodmanAsync(["logs", relayContainer]);
            Assert.Contains("Started a worker for echo-script", relayLog.Output + relayLog.Error, StringComparison.Ordinal);
        }
        finally
        {
            await PodmanAsync(["rm", "-f", "-v", serverContainer, relayContainer]);
            await PodmanAsync(["rmi", "-f", serverImage, relayImage, baseImage]);
        }
    }

    /// <summary>Podman here runs containers with runc and explicit limits (docs/relays.md says why).</summary>
    static readonly string[] ContainerLimits = ["--runtime", "runc", "--ulimit", "nofile=4096:4096", "--ulimit", "nproc=4096:4096"];

    static Task<(int Code, string Output, string Error)> PodmanAsync(string[] arguments) => Programs.RunAsync("podman", arguments);

    static void Succeeded((int Code, string Output, string Error) run, string what) =>
        Assert.True(run.Code == 0, $"{what}: exit {run.Code}\n{run.Output}{run.Error}");

    const string RelayId = "5f0c7e52-3a1d-4c8b-9e6f-2b7a4d1c0e93";
    const string RelayToken = "package-test-relay-token-0123456789";

    /// <summary>With the packaged cogctl: a profile for the administrator, the relay <see cref="RelayId"/> in its own
    /// group, and the echo-script example packaged and installed for that group (which runs the packaged bundle
    /// checker on its scripts).</summary>
    async Task InstallEchoScriptForTheRelayAsync(string home, string work, string url, string password)
    {
        var package = Path.Combine(work, "echo-script.cogbundle");
        string[][] steps =
        [
            ["profile", "create", "local", url, "admin", password],
            ["relay", "create", "packaged", RelayId, RelayToken, "--enable"],
            ["relay-group", "create", "packaged"],
            ["relay-group", "add", "packaged", "packaged"],
            ["bundle", "package", "--output", package, Repository.Example("echo-script")],
            ["bundle", "install", package, "--enable", "--relay-group", "packaged"],
        ];
        foreach (var step in steps)
            Succeeded(await CogctlAsync(home, step), "cogctl " + string.Join(' ', step));
    }

    /// <summary>Runs <c>echo-script:say</c> with the packaged cogctl until the relay answers it. The relay connects,
    /// downloads and announces in the background; until then no relay serves the bundle. The command is a C# script: it
    /// runs in the relay's worker process, the Cog.Worker executable of the package.</summary>
    async Task RunOnTheRelayAsync(string home, Func<string> diagnostics)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var run = await CogctlAsync(home, ["pipeline", "run", "echo-script:say hello from the packages"]);
            if (run.Code == 0)
            {
                Assert.Contains("hello from the packages", run.Output, StringComparison.Ordinal);
                return;
            }
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(120), $"The relay did not run the command: exit {run.Code}\n{run.Output}{run.Error}\n{diagnostics()}");
            await Task.Delay(500, Ct);
        }
    }

    [Fact]
    public void The_compose_file_runs_the_server_relay_postgresql_and_mosquitto_from_the_packages()
    {
        var folder = Path.Combine(RepositoryPaths.Root, "packaging", "containers");
        var yaml = new YamlDotNet.RepresentationModel.YamlStream();
        using (var reader = new StreamReader(Path.Combine(folder, "compose.yaml")))
            yaml.Load(reader);
        var services = (YamlDotNet.RepresentationModel.YamlMappingNode)((YamlDotNet.RepresentationModel.YamlMappingNode)yaml.Documents[0].RootNode)["services"];

        Assert.Equal(new[] { "mosquitto", "postgres", "relay", "server" }, services.Children.Keys.Select(k => k.ToString()).Order(StringComparer.Ordinal));
        foreach (var (service, dockerfile) in new[] { ("server", "server.Dockerfile"), ("relay", "relay.Dockerfile") })
        {
            var build = (YamlDotNet.RepresentationModel.YamlMappingNode)((YamlDotNet.RepresentationModel.YamlMappingNode)services[service])["build"];
            // The context is build.sh package's default folder; the Dockerfile path is relative to the context.
            var context = Path.GetFullPath(Path.Combine(folder, build["context"].ToString()));
            Assert.Equal(Path.Combine(RepositoryPaths.Root, "artifacts", "debian"), context);
            Assert.Equal(Path.Combine(folder, dockerfile), Path.GetFullPath(Path.Combine(context, build["dockerfile"].ToString())));
        }
        Assert.True(File.Exists(Path.Combine(folder, "mosquitto", "mosquitto.conf")));
        Assert.True(File.Exists(Path.Combine(folder, "mosquitto", "cog.acl")));
    }

    /// <summary>Runs the unpacked cogctl with its profile file in <paramref name="home"/>.</summary>
    Task<(int Code, string Output, string Error)> CogctlAsync(string home, string[] arguments) =>
        Programs.RunAsync(Path.Combine(packages.Unpacked("cogctl"), "usr", "lib", "cog", "cogctl", "cogctl"), arguments,
            new Dictionary<string, string?> { ["HOME"] = home });

}

/// <summary>The Debian packages of this checkout, built once for the test class by <c>./build.sh package</c> into a
/// temporary folder, and each unpacked there.</summary>
public sealed class DebianPackages : IAsyncLifetime
{
    static readonly string[] Names = ["cog-server", "cog-relay", "cogctl"];

    /// <summary>The temporary folder: the packages, what they unpack to, the test runs' files.</summary>
    public string Root { get; } = Directory.CreateTempSubdirectory("cog-debian-").FullName;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The .deb file of <paramref name="package"/>.</summary>
    public string Deb(string package) => Directory.GetFiles(Path.Combine(Root, "debs"), package + "_*_amd64.deb").Single();

    /// <summary>The folder <paramref name="package"/> was unpacked into (its paths below it as installed).</summary>
    public string Unpacked(string package) => Path.Combine(Root, "unpacked", package);

    public async ValueTask InitializeAsync()
    {
        var built = await Programs.RunAsync("bash", [Path.Combine(RepositoryPaths.Root, "build.sh"), "package", Path.Combine(Root, "debs")]);
        Assert.True(built.Code == 0, $"./build.sh package: exit {built.Code}\n{built.Output}{built.Error}");
        foreach (var package in Names)
        {
            var unpacked = await Programs.RunAsync("dpkg-deb", ["-x", Deb(package), Directory.CreateDirectory(Unpacked(package)).FullName]);
            Assert.True(unpacked.Code == 0, unpacked.Error);
        }
    }

    public ValueTask DisposeAsync()
    {
        Directory.Delete(Root, recursive: true);
        return ValueTask.CompletedTask;
    }
}
