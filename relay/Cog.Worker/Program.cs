using Cog.Worker.Protocol;

namespace Cog.Worker;

/// <summary>The worker process's entry point.</summary>
static class WorkerProgram
{
    /// <summary>Serves the channel on stdin/stdout until the relay closes it: 0 then, 2 on a malformed frame.</summary>
    /// <remarks>Before any bundle code is loaded, stdout is taken for the channel and <c>Console.Out</c> points at
    /// stderr, so a command's <c>Console.WriteLine</c> lands in the relay's log instead of the channel.</remarks>
    static async Task<int> Main()
    {
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
    }
}
