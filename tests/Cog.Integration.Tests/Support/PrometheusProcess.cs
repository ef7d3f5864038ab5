using Cog.Testing;
using System.Diagnostics;
using System.Text.Json;

namespace Cog.Integration.Tests.Support;

/// <summary>Debian's Prometheus (<c>/usr/bin/prometheus</c>, installed by <c>./build.sh test</c>) on a free loopback port
/// with a temporary data folder, scraping one target every second; queried through its HTTP API.</summary>
sealed class PrometheusProcess : IAsyncDisposable
{
    const string Executable = "/usr/bin/prometheus";

    readonly Process _process;
    readonly string _folder;
    readonly HttpClient _http;

    PrometheusProcess(Process process, string folder, int port)
    {
        _process = process;
        _folder = folder;
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>Starts Prometheus scraping <paramref name="target"/>'s <c>/metrics</c> every second as job <c>cog</c>.</summary>
    public static async Task<PrometheusProcess> StartAsync(Uri target, CancellationToken cancellationToken)
    {
        Assert.True(File.Exists(Executable),
            "Prometheus is not installed: run the tests with ./build.sh test, which installs Debian's prometheus package.");
        var folder = Directory.CreateTempSubdirectory("cog-prometheus-").FullName;
        var config = Path.Combine(folder, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
            scrape_configs:
              - job_name: cog
                metrics_path: /metrics
                static_configs:
                  - targets: ["{target.Authority}"]
            """, cancellationToken);
        var port = LoopbackPorts.Free();
        var start = new ProcessStartInfo(Executable,
            [$"--config.file={config}", $"--storage.tsdb.path={Path.Combine(folder, "data")}", $"--web.listen-address=127.0.0.1:{port}"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start)!;
        // Drained so a chatty Prometheus never blocks on a full pipe.
        process.ErrorDataReceived += (_, _) => { };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return new PrometheusProcess(process, folder, port);
    }

    /// <summary>Runs an instant PromQL query until it answers at least one sample (Prometheus starts, then scrapes
    /// every second), and returns the samples (<c>data.result</c>).</summary>
    public async Task<JsonElement> QueryUntilAnsweredAsync(string promql, TimeSpan limit, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var last = "";
        while (true)
        {
            Assert.False(_process.HasExited, $"Prometheus exited with code {(_process.HasExited ? _process.ExitCode : 0)}.");
            try
            {
                using var answer = await _http.GetAsync(new Uri("api/v1/query?query=" + Uri.EscapeDataString(promql), UriKind.Relative), cancellationToken);
                last = await answer.Content.ReadAsStringAsync(cancellationToken);
                if (answer.IsSuccessStatusCode)
                {
                    var result = JsonDocument.Parse(last).RootElement.GetProperty("data").GetProperty("result");
                    if (result.GetArrayLength() > 0)
                        return result.Clone();
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            Assert.True(watch.Elapsed < limit, $"Prometheus answered no sample for '{promql}' in {limit}; last answer: {last}");
            await Task.Delay(250, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
