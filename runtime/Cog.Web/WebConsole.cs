using Cog.Web.Chat;
using Cog.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Cog.Web;

/// <summary>How a host serves the web console (docs/web-console.md): <see cref="AddWebConsole"/> on the services, then
/// <see cref="MapWebConsole"/> on the application, beside the REST API on the same listener.</summary>
/// <remarks>The host provides <c>IStore</c>, <c>TimeProvider</c> and logging. The <see cref="WebChatProvider"/> is
/// registered as itself and as an <c>IChatProvider</c>; the host's chat service starts it.</remarks>
public static class WebConsole
{
    /// <summary>Registers the console's files, the <c>web</c> chat provider and its endpoint.</summary>
    public static IServiceCollection AddWebConsole(this IServiceCollection services, WebConsoleOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        services.TryAddSingleton(options);
        services.TryAddSingleton<WebChatProvider>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Runtime.Chat.IChatProvider, WebChatProvider>(static s => s.GetRequiredService<WebChatProvider>()));
        services.TryAddSingleton<WebChatEndpoint>();
        services.TryAddSingleton(static _ => ConsoleAssets.Load());
        return services;
    }

    /// <summary>Maps the console's files (<c>/</c> is <c>index.html</c>) and the chat's WebSocket endpoint
    /// (<c>/console/chat</c>). Call <c>UseWebSockets</c> before.</summary>
    public static IEndpointRouteBuilder MapWebConsole(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var assets = endpoints.ServiceProvider.GetRequiredService<ConsoleAssets>();
        foreach (var asset in assets.Assets.Values)
        {
            endpoints.MapGet(asset.Path, context => ServeAsync(context, asset)).ExcludeFromDescription();
            if (asset.Path == "/index.html")
                endpoints.MapGet("/", context => ServeAsync(context, asset)).ExcludeFromDescription();
        }
        endpoints.Map(WebChatEndpoint.Path, static context => context.RequestServices.GetRequiredService<WebChatEndpoint>().HandleAsync(context))
            .ExcludeFromDescription();
        return endpoints;
    }

    static Task ServeAsync(HttpContext context, ConsoleAsset asset)
    {
        var response = context.Response;
        SecurityHeaders.Apply(response);
        response.Headers.ETag = asset.ETag;
        // Revalidated on every load (cheap with the ETag), so a new server version is picked up at once.
        response.Headers.CacheControl = "no-cache";
        if (string.Equals(context.Request.Headers.IfNoneMatch.ToString(), asset.ETag, StringComparison.Ordinal))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }
        response.ContentType = asset.ContentType;
        response.ContentLength = asset.Content.Length;
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : response.Body.WriteAsync(asset.Content, context.RequestAborted).AsTask();
    }
}
