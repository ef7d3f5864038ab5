using Cog.Contracts.Relays;

namespace Cog.Relay.Bundles;

/// <summary>One assigned bundle version and the background work that makes it ready (first attempt, then retries with
/// back-off). Every member but <see cref="FirstAttempt"/> is read and written under the host's lock.</summary>
sealed class AssignedBundle(BundleAssignment assignment, CancellationToken hostStopping)
{
    readonly CancellationTokenSource _stopping = CancellationTokenSource.CreateLinkedTokenSource(hostStopping);
    bool _done;

    /// <summary>The assignment (a later one with the same digest replaces it, with a possibly new URL).</summary>
    public BundleAssignment Assignment { get; set; } = assignment;

    /// <summary>Fires when the version is no longer assigned or the host stops.</summary>
    public CancellationToken Stopping => _stopping.Token;

    /// <summary>Completes when the first attempt has ended (ready or failed), or the work was stopped.</summary>
    public TaskCompletionSource FirstAttempt { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The ready version, once it is.</summary>
    public HostedVersion? Hosted { get; set; }

    /// <summary>Why the last attempt failed, while not ready.</summary>
    public string? Failure { get; set; }

    /// <summary>The background work.</summary>
    public Task Worker { get; set; } = Task.CompletedTask;

    /// <summary>Stops the background work (call under the host's lock).</summary>
    public void Stop()
    {
        if (!_done)
        {
            _stopping.Cancel();
        }
        FirstAttempt.TrySetResult();
    }

    /// <summary>The background work has ended (call under the host's lock).</summary>
    public void Done()
    {
        _done = true;
        _stopping.Dispose();
        FirstAttempt.TrySetResult();
    }
}
