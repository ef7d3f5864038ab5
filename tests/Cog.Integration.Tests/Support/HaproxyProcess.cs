using System.Collections.Concurrent;
using System.Diagnostics;

namespace Cog.Integration.Tests.Support;

/// <summary>
/// Debian's HAProxy (<c>/usr/sbin/haproxy</c>, installed by <c>./build.sh test</c>) on a free loopback port in front of
/// Cog servers, as an operator puts them behind a load balancer: each request (and each WebSocket) goes to the next
/// healthy server in turn; a server is healthy while <c>GET /health/ready</c> answers 200 (checked every 500 ms, down
/// after 2 failures); a request whose connection a dead server refuses is sent to another server, never a request a
/// server has received (a <c>POST</c> is not repeated). Its log (one line per request, written when the answer starts,
/// naming the server) is kept in <see cref="Log"/>.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
sealed class HaproxyProcess : IAsyncDisposable
{
    const string Executable = "/usr/sbin/haproxy";

    readonly Process _process;
    readonly string _folder;
    readonly ConcurrentQueue<string> _log = new();

    HaproxyProcess(Process process, string folder, Uri url, Uri stats)
    {
        _process = process;
        _folder = folder;
        Url = url;
        _stats = new HttpClient { BaseAddress = stats, Timeout = TimeSpan.FromSeconds(5) };
    }

    readonly HttpClient _stats;

    /// <summary>Where clients connect: <c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri Url { get; }

    /// <summary>HAProxy's log so far: one line per request (<c>servers/s1 ... "GET /console/chat HTTP/1.1"</c>).</summary>
    public IReadOnlyList<string> Log => [.. _log];

    /// <summary>The name HAProxy gives the server at <paramref name="index"/> of the list it was started with:
    /// <c>s1</c>, <c>s2</c>...</summary>
    public static string ServerName(int index) => "s" + (index + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Starts HAProxy on <paramref name="port"/> (chosen by the caller, who tells the servers their public
    /// address first) balancing over <paramref name="servers"/> (their API URLs), and waits until every server has
    /// passed its health check. It adds <c>X-Forwarded-For</c> (the servers should trust 127.0.0.1
    /// as a proxy).</summary>
    public static async Task<HaproxyProcess> StartAsync(int port, IReadOnlyList<Uri> servers, CancellationToken cancellationToken)
    {
        Assert.True(File.Exists(Executable),
            "HAProxy is not installed: run the tests with ./build.sh test, which installs Debian's haproxy package.");
        var folder = Directory.CreateTempSubdirectory("cog-haproxy-").FullName;
        var statsPort = Cog.Testing.LoopbackPorts.Free();
        var backends = string.Join("\n", servers.Select((url, i) => $"    server {ServerName(i)} {url.Authority} check"));
        var config = Path.Combine(folder, "haproxy.cfg");
        // http-server-close: a fresh server connection per request, so a request after a server's death meets a refused
        // connection (retried on another server: redispatch on every retry) rather than a dead kept-alive one (a 502).
        // logasap: a request is logged when its answer starts, so an open WebSocket is in the log.
        await File.WriteAllTextAsync(config, $"""
            global
                log stdout format raw local0
                maxconn 2000

            defaults
                mode http
                log global
                option httplog
                option logasap
                option http-server-close
                option forwardfor
                option redispatch 1
                retries 3
                timeout connect 2s
                timeout client 120s
                timeout server 120s
                timeout tunnel 1h
                timeout check 2s

            frontend cog
                bind 127.0.0.1:{port}
                default_backend servers

            frontend stats
                bind 127.0.0.1:{statsPort}
                stats enable
                stats uri /stats

            backend servers
                balance roundrobin
                option httpchk
                http-check send meth GET uri /health/ready ver HTTP/1.1 hdr Host cog
                http-check expect status 200
                default-server inter 500ms fall 2 rise 2
            {backends}

            """, cancellationToken);
        var start = new ProcessStartInfo(Executable, ["-db", "-f", config])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start)!;
        var proxy = new HaproxyProcess(process, folder, new Uri($"http://127.0.0.1:{port}/"), new Uri($"http://127.0.0.1:{statsPort}/"));
        process.OutputDataReceived += (_, e) => proxy.Add(e.Data);
        process.ErrorDataReceived += (_, e) => proxy.Add(e.Data);
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            await proxy.WaitUntilReadyAsync(cancellationToken);
            return proxy;
        }
        catch
        {
            await proxy.DisposeAsync();
            throw;
        }
    }

    void Add(string? line)
    {
        if (line is not null)
            _log.Enqueue(line);
    }

    async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var states = "";
        while (true)
        {
            Assert.False(_process.HasExited, $"HAProxy exited:\n{string.Join("\n", Log)}");
            try
            {
                var servers = await ServerStatesAsync(cancellationToken);
                states = string.Join(", ", servers.Select(s => $"{s.Key}: {s.Value}"));
                if (servers.Count > 0 && servers.Values.All(s => s.StartsWith("UP ", StringComparison.Ordinal) && s.EndsWith("L7OK", StringComparison.Ordinal)))
                    return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"HAProxy's servers did not pass their health checks in 30 s ({states}):\n{string.Join("\n", Log)}");
            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>Each server's state and last check as HAProxy's statistics page says (<c>UP L7OK</c>, <c>DOWN L4CON</c>...).</summary>
    public async Task<IReadOnlyDictionary<string, string>> ServerStatesAsync(CancellationToken cancellationToken)
    {
        var csv = (await _stats.GetStringAsync(new Uri("stats;csv", UriKind.Relative), cancellationToken)).Split('\n');
        // "# pxname,svname,...,status,...,check_status,..."
        var header = csv[0].TrimStart('#', ' ').Split(',');
        int Column(string name) => Array.IndexOf(header, name);
        var (proxy, server, status, check) = (Column("pxname"), Column("svname"), Column("status"), Column("check_status"));
        return csv.Skip(1).Select(l => l.Split(','))
            .Where(f => f.Length > check && f[proxy] == "servers" && f[server] is not ("BACKEND" or "FRONTEND"))
            .ToDictionary(f => f[server], f => $"{f[status]} {f[check]}", StringComparer.Ordinal);
    }

    /// <summary>The server (<see cref="ServerName"/>) that took the latest request whose log line contains
    /// <paramref name="request"/> (<c>"GET /console/chat"</c>), or <see langword="null"/>.</summary>
    public string? LatestServerOf(string request)
    {
        var line = Log.LastOrDefault(l => l.Contains(request, StringComparison.Ordinal));
        // "... cog servers/s2 0/0/0/1/+1 101 ..." — the backend/server field.
        return line?.Split(' ').FirstOrDefault(f => f.StartsWith("servers/", StringComparison.Ordinal))?["servers/".Length..];
    }

    public async ValueTask DisposeAsync()
    {
        _stats.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
