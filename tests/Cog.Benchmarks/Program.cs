using BenchmarkDotNet.Running;
using Cog.Benchmarks.Pipeline;
using Cog.Benchmarks.Relays;

// Run with: dotnet run -c Release --project tests/Cog.Benchmarks -- --filter '*'
// or, for per-invocation percentiles of the relay round trip: ... -- relay-latency [invocations per round]
// or, for a worker process's cold start: ... -- worker-start [starts]
// or, for what a warm worker adds to one invocation without the bus: ... -- worker-channel [invocations per round]
// or, for chat text to rendered reply with and without durable audit: ... -- chat-to-reply [runs per round]
// or, for dev mode's edit to next invocation through a whole server: ... -- dev-edit [edits of each kind]
if (args.Length > 0 && args[0] == "relay-latency")
    return await RoundTripLatency.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1000);
if (args.Length > 0 && args[0] == "worker-start")
    return await WorkerStart.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 50);
if (args.Length > 0 && args[0] == "worker-channel")
    return await WorkerChannelLatency.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1000);
if (args.Length > 0 && args[0] == "chat-to-reply")
    return await ChatToReply.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1000);
if (args.Length > 0 && args[0] == "dev-edit")
    return await Cog.Benchmarks.Dev.DevEdit.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10);
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
