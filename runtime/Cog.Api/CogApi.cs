using Cog.Api.Audit;
using Cog.Api.Bundles;
using Cog.Api.Identity;
using Cog.Api.Infrastructure;
using Cog.Api.Operations;
using Cog.Api.Pipelines;
using Cog.Api.RelayGroups;
using Cog.Api.Relays;
using Cog.Api.Rules;
using Cog.Api.Services;
using Cog.Api.Triggers;
using Cog.Runtime.Rendering;
using Cog.Runtime.Storage;
using Cog.Runtime.Templates;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Cog.Api;

/// <summary>How a host serves the REST API (Cog 1.0's routes plus ours, docs/api.md): <see cref="AddCogApi"/> on the
/// services, then <see cref="UseCogApi"/> and <see cref="MapCogApi"/> on the application.</summary>
/// <remarks>The host provides the runtime's services: <c>IStore</c>, <c>IPipelineDirectory</c>, <c>IDirectoryChanges</c>, <c>IStoredObjectProblems</c>,
/// <c>AdminAudit</c>, <c>AuditWriter</c>, <c>TimeProvider</c> and what each area's endpoints name in their own documentation
/// (identity: see <see cref="IdentityServices"/>; pipelines: <c>IPipelineRunner</c>, <c>IPipelineMonitor</c>; triggers:
/// <c>TriggerAdministration</c>, <c>TriggerInvoker</c>; catalog: the bundle, rule, relay, relay-group and config administrations).</remarks>
public static class CogApi
{
    /// <summary>Registers authentication (<c>Authorization: token</c>), the permission policies, JSON conventions, and
    /// health checks and metrics (<see cref="CogOperations.AddCogOperations"/>).</summary>
    public static IServiceCollection AddCogApi(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddAuthentication(TokenAuthenticationHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, TokenAuthenticationHandler>(TokenAuthenticationHandler.SchemeName, null);
        services.AddSingleton<IAuthorizationHandler, PermissionHandler>();
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, ApiAuthorizationResultHandler>();
        services.AddIdentityServices();
        services.AddAuthorizationBuilder()
            .AddPolicy(ApiPolicies.Authenticated, static p => p.RequireAuthenticatedUser())
            .AddPolicy(ApiPolicies.ManageCommands, static p => p.RequireAuthenticatedUser().AddRequirements(new PermissionRequirement(ApiPolicies.ManageCommands)))
            .AddPolicy(ApiPolicies.ManageGroups, static p => p.RequireAuthenticatedUser().AddRequirements(new PermissionRequirement(ApiPolicies.ManageGroups)))
            .AddPolicy(ApiPolicies.ManagePermissions, static p => p.RequireAuthenticatedUser().AddRequirements(new PermissionRequirement(ApiPolicies.ManagePermissions)))
            .AddPolicy(ApiPolicies.ManageRelays, static p => p.RequireAuthenticatedUser().AddRequirements(new PermissionRequirement(ApiPolicies.ManageRelays)))
            .AddPolicy(ApiPolicies.ManageRoles, static p => p.RequireAuthenticatedUser().AddRequirements(new PermissionRequirement(ApiPolicies.ManageRoles)))
            .AddPolicy(ApiPolicies.ManageTriggers, static p => p.RequireAuthenticatedUser().AddRequirements(new PermissionRequirement(ApiPolicies.ManageTriggers)))
            .AddPolicy(ApiPolicies.ManageUsers, static p => p.RequireAuthenticatedUser().AddRequirements(new PermissionRequirement(ApiPolicies.ManageUsers)))
            .AddPolicy(ApiPolicies.ManageUserPipeline, static p => p.RequireAuthenticatedUser().AddRequirements(new PermissionRequirement(ApiPolicies.ManageUserPipeline)))
            .AddPolicy(ApiPolicies.ViewAudit, static p => p.RequireAuthenticatedUser().AddRequirements(new PermissionRequirement(ApiPolicies.ViewAudit)));
        services.ConfigureHttpJsonOptions(static o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = ApiJson.Options.PropertyNamingPolicy;
            o.SerializerOptions.DictionaryKeyPolicy = null;
        });
        services.AddCogOperations();
        // The reply templates (docs/templates.md): the API's "rendered" text; a host may register its own composer first.
        services.TryAddSingleton(static sp => new TemplateEngine(null, sp.GetRequiredService<TimeProvider>()));
        // The bundles' templates: rendered by the composer, and shown with a bundle's enabled version.
        services.TryAddSingleton<ITemplateSource>(static sp => new StoreTemplateSource(sp.GetRequiredService<IStore>()));
        services.TryAddSingleton<IReplyComposer>(static sp => new TemplateReplyComposer(
            sp.GetRequiredService<ITemplateSource>(), sp.GetRequiredService<TemplateEngine>(), sp.GetService<ILogger<TemplateReplyComposer>>()));
        return services;
    }

    /// <summary>Adds the failure answer, the store-outage answer (503 with <c>Retry-After</c>), routing, the per-route
    /// body limits, authentication and authorization to the pipeline.</summary>
    /// <remarks>A request that fails with an exception (other than a store outage) is answered 500
    /// <c>{"errors": "..."}</c> with a fixed message; the exception and its stack trace go to the server's log only.</remarks>
    public static IApplicationBuilder UseCogApi(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = static context => Results.Json(new { errors = ApiMessages.InternalError }, statusCode: StatusCodes.Status500InternalServerError)
                .ExecuteAsync(context),
        });
        // An error answer the framework gives without a body (no route, a method the route does not take) gets the API's
        // JSON envelope too, so every error a client reads has a message. A 401 stays empty: Cog 1.0 answered an unknown
        // token with an empty 401, and its clients read it so.
        app.UseStatusCodePages(static context => context.HttpContext.Response.StatusCode == StatusCodes.Status401Unauthorized
            ? Task.CompletedTask
            : Results.Json(new { errors = ApiMessages.EmptyError(context.HttpContext) }, statusCode: context.HttpContext.Response.StatusCode)
                .ExecuteAsync(context.HttpContext));
        app.UseStoreUnavailableAnswer();
        app.UseRouting();
        app.UseRequestBodyLimits();
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }

    /// <summary>Maps every API route.</summary>
    public static IEndpointRouteBuilder MapCogApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapRelayPackageEndpoints();
        endpoints.MapBundleEndpoints();
        endpoints.MapRuleEndpoints();
        endpoints.MapRelayEndpoints();
        endpoints.MapRelayGroupEndpoints();
        endpoints.MapPipelineEndpoints();
        endpoints.MapAuditEndpoints();
        endpoints.MapTriggerEndpoints();
        endpoints.MapMemoryServiceEndpoints();
        endpoints.MapCogOperations();
        endpoints.MapIdentityEndpoints();
        return endpoints;
    }
}
