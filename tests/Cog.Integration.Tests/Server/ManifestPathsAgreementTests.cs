using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Cog.Integration.Tests.Support;
using Cog.Manifest;
using Cog.Testing;

namespace Cog.Integration.Tests.Server;

/// <summary>
/// One manifest, one meaning: every manifest under tests/fixtures/manifests is decided the same way by
/// <c>cogctl bundle validate</c>, by <c>cogctl bundle package</c> + <c>install</c>, by <c>cogctl bundle install</c> of the
/// manifest file, and by the REST API given it as a JSON object, as text, and as a multipart file — accepted or refused
/// alike, with the same warnings, storing the same rules. (Version 6 manifests install only as packages.)
/// </summary>
public sealed class ManifestPathsAgreementTests(SqliteServerFixture fixture) : IClassFixture<SqliteServerFixture>
{
    ServerEnvironment Env => fixture.Environment;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static string Fixtures => Path.Combine(RepositoryPaths.Root, "tests", "fixtures", "manifests");

    public static TheoryData<string> Manifests()
    {
        var data = new TheoryData<string>();
        foreach (var kind in (string[])["valid", "invalid"])
        {
            foreach (var entry in Directory.EnumerateFileSystemEntries(Path.Combine(Fixtures, kind)).Order(StringComparer.Ordinal))
            {
                if (Directory.Exists(entry) || ManifestLoader.HasManifestExtension(entry))
                    data.Add($"{kind}/{Path.GetFileName(entry)}");
            }
        }
        return data;
    }

    /// <summary>How one path decided: accepted or not, the warnings as <c>line:column: message</c>, and the rules
    /// stored per command (empty when refused).</summary>
    sealed record Decision(string Path, bool Accepted, string Warnings, string Rules, string Detail)
    {
        public bool SameAs(Decision other, bool compareRules) =>
            Accepted == other.Accepted && (!Accepted || Warnings == other.Warnings) && (!compareRules || Rules == other.Rules);

        public override string ToString() => $"{Path}: {(Accepted ? "accepted" : "refused")} warnings=[{Warnings}] rules=[{Rules}] {Detail}";
    }

    [Theory]
    [MemberData(nameof(Manifests))]
    public async Task Every_path_decides_a_manifest_alike(string fixtureName)
    {
        var source = Path.Combine(Fixtures, fixtureName);
        var folder = Directory.Exists(source) ? source : CopyToFolder(source);
        var manifestFile = Directory.Exists(source) ? Path.Combine(folder, "config.yaml") : Path.Combine(folder, Path.GetFileName(ManifestNameIn(folder)));
        var text = await File.ReadAllTextAsync(manifestFile, Ct);
        var loaded = ManifestLoader.Parse(text, "config");

        var decisions = new List<Decision> { await ValidateAsync(folder), await PackageAndInstallAsync(folder) };
        if (loaded.Manifest is null || loaded.Manifest.ManifestVersion < 6)
        {
            decisions.Add(await CogctlInstallAsync(manifestFile));
            decisions.Add(await ApiAsync("api json (config as text)",
                JsonSerializer.Serialize(new { bundle = new { config = text, force = true } })));
            // A JSON object: the text itself when it is JSON, else the object a YAML reader makes of it (the last value of
            // a key given twice, as Cog 1.0's cogctl sent) — so that object has no duplicate to warn about.
            var isJson = manifestFile.EndsWith(".json", StringComparison.Ordinal);
            if ((isJson ? text : ManifestJson.FromText(text)) is { } json && json.TrimStart().StartsWith('{'))
            {
                decisions.Add(await ApiAsync(isJson ? "api json (config as object)" : "api json (object of the yaml)",
                    "{\"bundle\":{\"config\":" + json + ",\"force\":true}}", warningsExpected: isJson));
            }
            decisions.Add(await MultipartAsync(text));
        }

        var reference = decisions[0];
        var installed = decisions.Where(d => d.Accepted && d.Rules.Length > 0).ToList();
        Assert.True(decisions.All(d => d.SameAs(reference, compareRules: false) || d.Path.Contains("object of the yaml", StringComparison.Ordinal) && d.Accepted == reference.Accepted),
            string.Join("\n", decisions));
        Assert.True(installed.All(d => d.Rules == installed[0].Rules), string.Join("\n", decisions));
        // validate checks more than the manifest (scripts, types, templates, executables): a manifest error is refused
        // by every path, whatever else holds.
        Assert.True(loaded.Succeeded || !reference.Accepted, string.Join("\n", decisions));
    }

    [Fact]
    public async Task A_rule_given_twice_in_a_version_4_manifest_installs_the_last_one_with_its_warning_stored()
    {
        var manifest = Path.Combine(Fixtures, "valid", "v4-duplicate-rules.yaml");

        var installed = await Env.CogctlAsync("bundle", "install", manifest, "--force");
        var listed = await Env.CogctlAsync("bundle", "install", manifest, "--force", "--json");

        Assert.True(installed.Code == 0, installed.ToString());
        Assert.Contains("config.yaml:22:5: warning: Duplicate key 'rules' on lines 16 and 22: the value on line 22 is used", installed.Error, StringComparison.Ordinal);
        using var answer = JsonDocument.Parse(listed.Output);
        var version = await VersionAsync(answer.RootElement.GetProperty("bundle_id").GetString()!, answer.RootElement.GetProperty("id").GetString()!);
        Assert.Equal(["config.yaml:22:5: Duplicate key 'rules' on lines 16 and 22: the value on line 22 is used, as Cog 1.0 did; remove the others.",
            "config.yaml:14:17: The executable '/usr/bin/incident' is installed on the relay hosts, not in the bundle: not checked here."],
            version.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()));
        Assert.Equal("incident: when command is incidents:incident allow", RulesOf(version));
    }

    // ---------------------------------------------------------------- the paths

    async Task<Decision> ValidateAsync(string folder)
    {
        var result = await Env.CogctlAsync("bundle", "validate", folder);
        var warnings = WarningLine.Matches(result.Error).Select(m => $"{m.Groups["line"].Value}:{m.Groups["column"].Value}: {m.Groups["message"].Value}");
        return new Decision("cogctl bundle validate", result.Code == 0, string.Join(" | ", warnings), "", result.Error.Trim());
    }

    async Task<Decision> PackageAndInstallAsync(string folder)
    {
        var package = Path.Combine(Env.Root, Env.NewName("package") + ".cogbundle");
        var packaged = await Env.CogctlAsync("bundle", "package", folder, "--output", package);
        if (packaged.Code != 0)
            return new Decision("cogctl bundle package", false, "", "", packaged.Error.Trim());
        var installed = await Env.CogctlAsync("bundle", "install", package, "--force", "--json");
        return await FromCogctlAsync("cogctl bundle install (package)", installed);
    }

    async Task<Decision> CogctlInstallAsync(string manifestFile) =>
        await FromCogctlAsync("cogctl bundle install (manifest)", await Env.CogctlAsync("bundle", "install", manifestFile, "--force", "--json"));

    async Task<Decision> FromCogctlAsync(string path, ServerEnvironment.CliResult result)
    {
        if (result.Code != 0)
            return new Decision(path, false, "", "", result.Error.Trim());
        using var answer = JsonDocument.Parse(result.Output);
        return await InstalledAsync(path, answer.RootElement);
    }

    async Task<Decision> ApiAsync(string path, string body, bool warningsExpected = true)
    {
        using var request = ApiRequests.Request(HttpMethod.Post, "/v1/bundles", null, Env.AdminToken);
        request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        return await SendInstallAsync(path, request, warningsExpected);
    }

    async Task<Decision> MultipartAsync(string text)
    {
        using var request = ApiRequests.Request(HttpMethod.Post, "/v1/bundles", null, Env.AdminToken);
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(text));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/x-yaml");
        form.Add(file, "bundle[config_file]", "config.yaml");
        form.Add(new StringContent("true"), "bundle[force]");
        request.Content = form;
        return await SendInstallAsync("api multipart (config_file)", request, warningsExpected: true);
    }

    async Task<Decision> SendInstallAsync(string path, HttpRequestMessage request, bool warningsExpected)
    {
        using var response = await Env.Http.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        if (response.StatusCode != HttpStatusCode.Created)
            return new Decision(path, false, "", "", $"{(int)response.StatusCode} {text}");
        using var answer = JsonDocument.Parse(text);
        var decision = await InstalledAsync(path, answer.RootElement.GetProperty("bundle_version"));
        return warningsExpected ? decision : decision with { Warnings = "" };
    }

    /// <summary>The decision of an accepted install, from the version as the API shows it afterwards.</summary>
    async Task<Decision> InstalledAsync(string path, JsonElement answered)
    {
        var version = await VersionAsync(answered.GetProperty("bundle_id").GetString()!, answered.GetProperty("id").GetString()!);
        var warnings = version.GetProperty("warnings").EnumerateArray()
            .Select(w => StoredWarning.Match(w.GetString()!) is { Success: true } m ? $"{m.Groups["line"].Value}:{m.Groups["column"].Value}: {m.Groups["message"].Value}" : w.GetString()!);
        return new Decision(path, true, string.Join(" | ", warnings), RulesOf(version), "");
    }

    async Task<JsonElement> VersionAsync(string bundleId, string version)
    {
        var (status, body) = await Env.SendAsync(HttpMethod.Get, $"/v1/bundles/{bundleId}/versions/{version}", null);
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        return body.GetProperty("bundle_version");
    }

    static string RulesOf(JsonElement version) => string.Join(" | ", version.GetProperty("commands").EnumerateArray()
        .SelectMany(c => c.GetProperty("rules").EnumerateArray().Select(r => $"{c.GetProperty("name").GetString()}: {r.GetProperty("rule").GetString()}"))
        .Order(StringComparer.Ordinal));

    string CopyToFolder(string file)
    {
        var folder = Directory.CreateDirectory(Path.Combine(Env.Root, Env.NewName("manifest"))).FullName;
        var name = Path.GetExtension(file) == ".json" ? "config.json" : "config.yaml";
        File.Copy(file, Path.Combine(folder, name));
        return folder;
    }

    static string ManifestNameIn(string folder) =>
        ManifestLoader.FileNames.Select(n => Path.Combine(folder, n)).First(File.Exists);

    static readonly Regex WarningLine = new(@"^.*?:(?<line>\d+):(?<column>\d+): warning: (?<message>.*)$", RegexOptions.Multiline);

    static readonly Regex StoredWarning = new(@"^.*?:(?<line>\d+):(?<column>\d+): (?<message>.*)$");
}
