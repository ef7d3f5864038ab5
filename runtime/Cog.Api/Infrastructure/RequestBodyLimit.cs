using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Cog.Api.Infrastructure;

/// <summary>Endpoint metadata: the largest request body the endpoint accepts.</summary>
/// <param name="Bytes">The limit.</param>
public sealed record RequestBodyLimit(long Bytes)
{
    /// <summary>Every route unless it says otherwise: 1 MiB.</summary>
    public const long Default = 1024 * 1024;

    /// <summary>Bundle uploads: 16 MiB.</summary>
    public const long BundleUpload = 16 * 1024 * 1024;
}

/// <summary>Applies <see cref="RequestBodyLimit"/> per endpoint (the server's reading of the body then fails with 413).</summary>
public static class RequestBodyLimits
{
    /// <summary>Sets <paramref name="bytes"/> as this endpoint's body limit.</summary>
    public static TBuilder WithBodyLimit<TBuilder>(this TBuilder builder, long bytes)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.WithMetadata(new RequestBodyLimit(bytes));
        return builder;
    }

    /// <summary>Middleware (after routing): every request gets its endpoint's limit or <see cref="RequestBodyLimit.Default"/>.</summary>
    public static IApplicationBuilder UseRequestBodyLimits(this IApplicationBuilder app) => app.Use(static (context, next) =>
    {
        var limit = context.GetEndpoint()?.Metadata.GetMetadata<RequestBodyLimit>()?.Bytes ?? RequestBodyLimit.Default;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
            feature.MaxRequestBodySize = limit;
        if (context.Request.ContentLength > limit)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return context.Response.WriteAsJsonAsync(new { errors = ApiMessages.BodyTooLarge(limit) });
        }
        return next(context);
    });
}
