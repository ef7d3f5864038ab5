using Cog.Contracts.Relays;

namespace Cog.Relay.Hosting;

/// <summary>Checks <see cref="RelayOptions"/> once, at start, and lists every error.</summary>
static class RelayOptionsValidator
{
    /// <summary>The most invocations one relay may run at once.</summary>
    public const int MaxConcurrency = 1024;

    /// <summary>The most worker processes one bundle version may have.</summary>
    public const int MaxWorkersPerVersion = 64;

    /// <summary>Every problem with <paramref name="options"/>, in the order of the settings; empty when valid.</summary>
    public static IReadOnlyList<string> Validate(RelayOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (options.Id is null)
        {
            errors.Add(RelayOptionErrors.Required("Relay id", RelaySetting.Id));
        }
        else if (!Topics.IsValidRelayId(options.Id))
        {
            errors.Add(RelayOptionErrors.InvalidId(options.Id));
        }
        // A token file that could not be read has already been reported.
        if (string.IsNullOrEmpty(options.Token) && options.TokenFile is null)
        {
            errors.Add(RelayOptionErrors.TokenRequired());
        }
        if (options.Broker.Scheme is not ("mqtt" or "mqtts") || options.Broker.Host.Length == 0)
        {
            errors.Add(RelayOptionErrors.InvalidBroker(options.Broker.OriginalString));
        }
        if (options.CaCertificateFile is { } ca)
        {
            if (!options.UsesTls && options.Server?.Scheme != "https")
            {
                errors.Add(RelayOptionErrors.CaCertificateWithoutTls());
            }
            else if (!File.Exists(ca))
            {
                errors.Add(RelayOptionErrors.CaCertificateMissing(ca));
            }
        }
        if (options.AllowUntrustedCertificates && !options.UsesTls)
        {
            errors.Add(RelayOptionErrors.TlsSettingWithoutTls(RelaySetting.AllowUntrustedCertificates));
        }
        if (options.Server is null && options.DevDirectory is null)
        {
            errors.Add(RelayOptionErrors.ServerRequired());
        }
        else if (options.Server is { } server && (server.Scheme is not ("http" or "https") || server.Host.Length == 0))
        {
            errors.Add(RelayOptionErrors.InvalidServer(server.OriginalString));
        }
        if (string.IsNullOrWhiteSpace(options.CacheDirectory))
        {
            errors.Add(RelayOptionErrors.CacheRequired());
        }
        Range(errors, RelaySetting.Concurrency, options.Concurrency, 1, MaxConcurrency);
        foreach (var tag in options.Tags)
        {
            if (tag.Length is 0 or > 64 || tag.Any(c => char.IsWhiteSpace(c) || c == ',' || char.IsControl(c)))
            {
                errors.Add(RelayOptionErrors.InvalidTag(tag));
            }
        }
        if (options.DevDirectory is { } dev && !Directory.Exists(dev))
        {
            errors.Add(RelayOptionErrors.DevFolderMissing(dev));
        }
        // MQTT carries the keep-alive as a 16-bit number of seconds.
        Range(errors, RelaySetting.KeepAlive, (long)options.KeepAlive.TotalSeconds, 5, ushort.MaxValue);
        Range(errors, RelaySetting.RememberedRequests, options.RememberedRequests, 100, 10_000_000);
        Range(errors, RelaySetting.ShutdownGrace, (long)options.ShutdownGrace.TotalSeconds, 0, 3600);
        var workers = options.Workers;
        Range(errors, RelaySetting.WorkerMax, workers.MaxWorkers, 1, MaxWorkersPerVersion);
        Range(errors, RelaySetting.WorkerMinWarm, workers.MinWarm, 0, Math.Clamp(workers.MaxWorkers, 1, MaxWorkersPerVersion));
        Range(errors, RelaySetting.WorkerInvocations, workers.InvocationsPerWorker, 1, MaxConcurrency);
        Range(errors, RelaySetting.WorkerKillGrace, (long)workers.KillGrace.TotalMilliseconds, 50, 60_000);
        Range(errors, RelaySetting.WorkerMemory, workers.MemoryLimitMb, 64, 1024 * 1024);
        var sandbox = options.Sandbox;
        // Below 1000 are the system's users; the range ends below 2^31 (tools read larger ids as negative).
        Range(errors, RelaySetting.SandboxFirstUserId, sandbox.FirstUserId, 1000, int.MaxValue - sandbox.UserIdCount);
        Range(errors, RelaySetting.SandboxUserIds, sandbox.UserIdCount, 1, 65536);
        // A .NET worker needs about 100 MiB of data to start.
        Range(errors, RelaySetting.SandboxMemory, sandbox.MemoryBytes / (1024 * 1024), 128, 1024 * 1024);
        Range(errors, RelaySetting.SandboxCpu, sandbox.CpuSeconds, 1, 31_536_000);
        // RLIMIT_NPROC counts threads: a .NET worker starts a dozen or more.
        Range(errors, RelaySetting.SandboxProcesses, sandbox.Processes, 64, 65536);
        Range(errors, RelaySetting.SandboxOpenFiles, sandbox.OpenFiles, 64, 1_048_576);
        Range(errors, RelaySetting.SandboxContainerCpus, sandbox.ContainerCpus, 1, 1024);
        return errors;
    }

    static void Range(List<string> errors, RelaySetting setting, long value, long min, long max)
    {
        if (value < min || value > max)
        {
            errors.Add(RelayOptionErrors.OutOfRange(setting, value, min, max));
        }
    }
}
