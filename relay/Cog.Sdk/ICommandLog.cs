namespace Cog.Sdk;

/// <summary>Writes to the relay's log, tagged with the pipeline and command. Never shown in chat.</summary>
/// <remarks>Thread-safe. Do not log secrets: relay logs are read by operators.</remarks>
public interface ICommandLog
{
    /// <summary>Detail useful when debugging the bundle.</summary>
    void Debug(string message);

    /// <summary>Normal progress.</summary>
    void Info(string message);

    /// <summary>Something unexpected that the command recovered from.</summary>
    void Warn(string message);

    /// <summary>A failure.</summary>
    void Error(string message);
}
