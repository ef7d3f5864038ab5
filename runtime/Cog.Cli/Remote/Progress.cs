using System.Globalization;

namespace Cog.Cli.Remote;

/// <summary>Shows that cogctl is waiting on something slow (a long pipeline): from the first second on, a spinner and
/// the seconds elapsed on one line of standard error, rewritten every second and erased when the wait ends. Only when
/// standard error is a terminal (<see cref="CogCtlEnvironment.ErrorIsTerminal"/>); standard output never sees it.</summary>
static class Progress
{
    static readonly string[] Frames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

    /// <summary>Erases the progress line: back to its start, then clear to the end of the line.</summary>
    internal const string Erase = "\r\u001b[K";

    /// <summary>Awaits <paramref name="work"/>, showing <c>⠙ running pipeline… 3s</c> while it lasts.</summary>
    public static async Task<T> ShowAsync<T>(Task<T> work, CogCtlEnvironment environment, string what, CancellationToken cancellationToken)
    {
        if (!environment.ErrorIsTerminal)
        {
            return await work.ConfigureAwait(false);
        }
        using var done = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var seconds = 0;
        var shown = false;
        while (!work.IsCompleted)
        {
            var tick = Task.Delay(TimeSpan.FromSeconds(1), environment.Time, done.Token);
            if (await Task.WhenAny(work, tick).ConfigureAwait(false) == work)
            {
                break;
            }
            seconds++;
            shown = true;
            environment.Error.Write(string.Create(CultureInfo.InvariantCulture, $"\r{Frames[seconds % Frames.Length]} {what}… {seconds}s"));
            environment.Error.Flush();
        }
        await done.CancelAsync().ConfigureAwait(false);
        if (shown)
        {
            environment.Error.Write(Erase);
            environment.Error.Flush();
        }
        return await work.ConfigureAwait(false);
    }
}
