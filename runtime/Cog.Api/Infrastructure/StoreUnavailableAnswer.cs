using Cog.Runtime.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cog.Api.Infrastructure;

/// <summary>While the store is unavailable every route answers <c>503 Service Unavailable</c> with
/// <c>Retry-After</c> and the usual <c>{"errors": "..."}</c> body, instead of a 500 with an empty body.</summary>
static partial class StoreUnavailableAnswer
{
    /// <summary>Seconds a client should wait before trying again (<c>Retry-After</c>).</summary>
    public const int RetryAfterSeconds = 5;

    /// <summary>The body's message.</summary>
    public const string Message = "Cog's store is unavailable; nothing was done. Try again shortly.";

    /// <summary>Adds the middleware: a <see cref="StoreUnavailableException"/> from anything after it becomes the 503
    /// answer (when the response has not started).</summary>
    public static IApplicationBuilder UseStoreUnavailableAnswer(this IApplicationBuilder app) => app.Use(static async (context, next) =>
    {
        try
        {
            await next(context);
        }
        catch (StoreUnavailableException e) when (!context.Response.HasStarted)
        {
            StoreUnavailable(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(StoreUnavailableAnswer)), e,
                context.Request.Method, context.Request.Path);
            context.Response.Clear();
            await Result().ExecuteAsync(context);
        }
    });

    /// <summary>The 503 answer.</summary>
    public static IResult Result() => new RetryLater();

    sealed class RetryLater : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return ApiResults.Errors(Message, StatusCodes.Status503ServiceUnavailable).ExecuteAsync(httpContext);
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "{Method} {Path}: the store is unavailable; answered 503.")]
    static partial void StoreUnavailable(ILogger logger, Exception exception, string method, string path);
}
