using Cog.Worker;
using Cog.Worker.Protocol;

// The worker process. The channel is stdin/stdout; before any bundle code is loaded, stdout is taken for the channel
// and Console.Out points at stderr, so a command's Console.WriteLine lands in the relay's log instead of the channel.
var channelOut = Console.OpenStandardOutput();
var channelIn = Console.OpenStandardInput();
Console.SetOut(Console.Error);
try
{
    await new WorkerHost(channelIn, channelOut).RunAsync(CancellationToken.None).ConfigureAwait(false);
    return 0;
}
catch (ChannelException e)
{
    await Console.Error.WriteLineAsync(e.Message).ConfigureAwait(false);
    return 2;
}
