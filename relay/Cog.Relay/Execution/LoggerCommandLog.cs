using Cog.Sdk;
using Microsoft.Extensions.Logging;

namespace Cog.Relay.Execution;

/// <summary>A command's log (<see cref="ICommandLog"/>) written to the relay's log, each line naming the bundle, the
/// command, the pipeline and the request.</summary>
sealed partial class LoggerCommandLog(ILogger logger, string bundle, string command, string pipelineId, string requestId) : ICommandLog
{
    public void Debug(string message) => Log(logger, LogLevel.Debug, bundle, command, pipelineId, requestId, message);

    public void Info(string message) => Log(logger, LogLevel.Information, bundle, command, pipelineId, requestId, message);

    public void Warn(string message) => Log(logger, LogLevel.Warning, bundle, command, pipelineId, requestId, message);

    public void Error(string message) => Log(logger, LogLevel.Error, bundle, command, pipelineId, requestId, message);

    [LoggerMessage(EventId = 300, Message = "{Bundle}:{Command} (pipeline {PipelineId}, request {RequestId}): {Text}")]
    static partial void Log(ILogger logger, LogLevel level, string bundle, string command, string pipelineId, string requestId, string text);
}
