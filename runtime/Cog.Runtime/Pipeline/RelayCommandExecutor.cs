using System.Buffers;
using System.Collections.Immutable;
using System.Text.Json;
using Cog.Contracts.Relays;
using Cog.Language.Values;
using Cog.Runtime.Relays;

namespace Cog.Runtime.Pipeline;

/// <summary>Runs bundle commands on relays: turns a <see cref="CommandCall"/> into a <see cref="DispatchRequest"/> for
/// the <see cref="RelayDispatcher"/> and its <see cref="DispatchOutcome"/> back into a <see cref="CommandOutcome"/>.</summary>
/// <remarks>
/// <para>The request carries the arguments, options and input item as JSON; the package digest of the called version;
/// the bundle's dynamic configuration merged for the caller and room (base ← room ← user, <c>COG_*</c> and
/// <c>RELAY_*</c> keys dropped); the call's timeout; and a <see cref="RelayRestriction"/> to the enabled
/// relays of the bundle's relay groups; and, with <see cref="CommandServices"/>, the services endpoint with a token
/// of the invocation's own.</para>
/// <para>Refusals before anything is sent (Cog 1.0's messages): a bundle without an enabled version
/// (<see cref="RelayExecutionMessages.BundleDisabled"/>), a bundle assigned to no relay group
/// (<see cref="RelayMessages.NotAssigned"/>), relay groups whose relays are all disabled
/// (<see cref="RelayExecutionMessages.NoEnabledRelays"/>). After dispatch: no relay, no result and cancelled become
/// error outcomes with the dispatcher's message; a completed result keeps its status, items, template and message; the
/// relay that ran (or started) the command is reported in every case.</para>
/// <para>Thread-safe. Never throws for a failure of the command or its relay (the <see cref="ICommandExecutor"/>
/// contract); a broken store still throws.</para>
/// </remarks>
public sealed class RelayCommandExecutor : ICommandExecutor
{
    static readonly TimeSpan TokenAllowance = TimeSpan.FromSeconds(30);

    readonly StorePipelineDirectory _directory;
    readonly RelayDispatcher _dispatcher;
    readonly CommandServices? _services;
    readonly TimeProvider _time;

    /// <summary>Creates the executor.</summary>
    /// <param name="directory">Where bundles' relay groups, digests and configuration layers are cached.</param>
    /// <param name="dispatcher">Sends the invocations.</param>
    /// <param name="services">The services offered to commands (each invocation gets a token of its own, revoked when
    /// it ends), or <see langword="null"/> to offer none.</param>
    /// <param name="time">The clock of the tokens' deadlines (the system's by default).</param>
    public RelayCommandExecutor(StorePipelineDirectory directory, RelayDispatcher dispatcher, CommandServices? services = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(dispatcher);
        (_directory, _dispatcher, _services, _time) = (directory, dispatcher, services, time ?? TimeProvider.System);
    }

    /// <inheritdoc />
    public async Task<CommandOutcome> ExecuteAsync(CommandCall call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        DispatchRequest request;
        try
        {
            var route = await _directory.GetRouteAsync(call.Bundle, cancellationToken).ConfigureAwait(false);
            if (route?.EnabledVersion is null)
                return CommandOutcome.Error(RelayExecutionMessages.BundleDisabled(call.Bundle));
            if (!route.Assigned)
                return CommandOutcome.Error(RelayMessages.NotAssigned(call.Bundle));
            if (route.RelayIds.Count == 0 && route.HasDisabledRelays)
                return CommandOutcome.Error(RelayExecutionMessages.NoEnabledRelays(call.Bundle));
            var digest = route.EnabledVersion == call.Version
                ? route.Digest
                : await _directory.FindDigestAsync(call.Bundle, call.Version, cancellationToken).ConfigureAwait(false);
            var config = await _directory.GetConfigAsync(call.Bundle, cancellationToken).ConfigureAwait(false);
            request = ToRequest(call, digest ?? "", config.Merge(call.Room.Name, call.Caller.Username), route.RelayIds);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return CommandOutcome.Error(RelayMessages.Cancelled(call.Bundle, call.Command));
        }

        // The token lives as long as the invocation: it is revoked when the dispatch returns (result, relay timeout or
        // cancellation). The deadline bounds it even so: the command's time plus the dispatcher's ack allowance.
        using var grant = _services?.Issue(call.PipelineId, _time.GetUtcNow() + request.Timeout + TokenAllowance);
        if (grant is not null)
            request = request with { Services = grant.Endpoint };
        var outcome = await _dispatcher.DispatchAsync(request, cancellationToken).ConfigureAwait(false);
        return ToOutcome(call, outcome);
    }

    /// <summary>The dispatch request for <paramref name="call"/>.</summary>
    internal static DispatchRequest ToRequest(CommandCall call, string digest, ImmutableSortedDictionary<string, string> configuration,
        IReadOnlySet<string> relayIds)
    {
        // One JSON document for arguments, options and input: one parse per call instead of one per value.
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("a");
            foreach (var argument in call.Input.Arguments)
                argument.WriteTo(writer);
            writer.WriteEndArray();
            writer.WriteStartObject("o");
            foreach (var (name, value) in call.Input.Options)
            {
                writer.WritePropertyName(name);
                value.WriteTo(writer);
            }
            writer.WriteEndObject();
            writer.WritePropertyName("i");
            call.Item.WriteTo(writer);
            writer.WriteEndObject();
        }
        JsonElement root;
        using (var document = JsonDocument.Parse(buffer.WrittenMemory))
            root = document.RootElement.Clone();

        var arguments = ImmutableArray.CreateBuilder<JsonElement>(call.Input.Arguments.Length);
        foreach (var argument in root.GetProperty("a").EnumerateArray())
            arguments.Add(argument);
        var options = ImmutableSortedDictionary.CreateBuilder<string, JsonElement>(StringComparer.Ordinal);
        foreach (var option in root.GetProperty("o").EnumerateObject())
            options[option.Name] = option.Value;

        var timeout = call.Timeout < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : call.Timeout;
        return new DispatchRequest(call.Bundle, call.Version, digest, call.Command, arguments.MoveToImmutable(), options.ToImmutable(),
            root.GetProperty("i"), call.Step, new InvocationCaller(call.Caller.Username, call.Caller.ChatHandle, call.Caller.Email),
            new InvocationRoom(call.Room.Name, call.Room.IsDirect), configuration, call.InvocationId, call.PipelineId, call.Stage, timeout)
        {
            Restriction = new RelayRestriction(relayIds),
        };
    }

    /// <summary>The command's outcome for a dispatch's outcome.</summary>
    internal static CommandOutcome ToOutcome(CommandCall call, DispatchOutcome outcome)
    {
        if (outcome.Status != DispatchStatus.Completed || outcome.Result is not { } result)
            return CommandOutcome.Error(outcome.Message ?? RelayMessages.NoRelayOnline(call.Bundle), outcome.RelayId);
        switch (result.Status)
        {
            case ResultStatus.Ok:
                var items = ImmutableArray.CreateBuilder<Value>(result.Items.Length);
                foreach (var item in result.Items)
                    items.Add(Value.FromJson(item));
                return CommandOutcome.Ok(items.MoveToImmutable(), result.Template, outcome.RelayId);
            case ResultStatus.Abort:
                return CommandOutcome.Abort(result.Message ?? "", result.Template, outcome.RelayId);
            default:
                return CommandOutcome.Error(result.Message ?? RelayExecutionMessages.FailedWithoutMessage(call.Bundle, call.Command), outcome.RelayId);
        }
    }
}
