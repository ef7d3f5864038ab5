using System.Text;
using System.Text.Json;
using Cog.Api.Infrastructure;
using Cog.Runtime.Administration;
using Cog.Runtime.Bundles;
using Cog.Runtime.Storage;
using Cog.Runtime.Templates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Cog.Api.Bundles;

/// <summary>Cog 1.0's bundle routes (permission <c>operable:manage_commands</c>): list, install (JSON or
/// multipart, up to 16 MiB), show, delete, versions, version show/delete, status, enable/disable, and the dynamic
/// configuration layers. <c>:id</c> is the bundle's id or name; a version is its id or version string.</summary>
/// <remarks>Needs <see cref="BundleAdministration"/>, <see cref="ConfigAdministration"/> and <see cref="IStore"/> in
/// the host's services.</remarks>
public static class BundleEndpoints
{
    /// <summary>Maps the routes onto <paramref name="endpoints"/>.</summary>
    public static IEndpointRouteBuilder MapBundleEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var group = endpoints.MapGroup("/v1/bundles").RequireAuthorization(ApiPolicies.ManageCommands);
        group.MapGet("", ListAsync);
        group.MapPost("", InstallAsync).WithBodyLimit(RequestBodyLimit.BundleUpload);
        group.MapGet("/{id}", ShowAsync);
        group.MapDelete("/{id}", DeleteAsync);
        group.MapGet("/{id}/versions", VersionsAsync);
        group.MapGet("/{id}/versions/{version}", ShowVersionAsync);
        group.MapDelete("/{id}/versions/{version}", DeleteVersionAsync);
        group.MapGet("/{id}/status", StatusAsync);
        group.MapPost("/{id}/versions/{version}/status", SetStatusAsync);
        group.MapGet("/{id}/dynamic_config", ListLayersAsync);
        group.MapGet("/{id}/dynamic_config/base", (string id, ConfigAdministration config, CancellationToken ct) => ShowLayerAsync(id, ConfigLayer.Base, config, ct));
        group.MapPost("/{id}/dynamic_config/base", (string id, HttpContext context, ConfigAdministration config) => SetLayerAsync(id, ConfigLayer.Base, context, config));
        group.MapDelete("/{id}/dynamic_config/base", (string id, HttpContext context, ConfigAdministration config) => DeleteLayerAsync(id, ConfigLayer.Base, context, config));
        group.MapGet("/{id}/dynamic_config/{layer}/{name}", (string id, string layer, string name, ConfigAdministration config, CancellationToken ct) =>
            ShowLayerAsync(id, layer + "/" + name, config, ct));
        group.MapPost("/{id}/dynamic_config/{layer}/{name}", (string id, string layer, string name, HttpContext context, ConfigAdministration config) =>
            SetLayerAsync(id, layer + "/" + name, context, config));
        group.MapDelete("/{id}/dynamic_config/{layer}/{name}", (string id, string layer, string name, HttpContext context, ConfigAdministration config) =>
            DeleteLayerAsync(id, layer + "/" + name, context, config));
        return endpoints;
    }

    static async Task<IResult> ListAsync(BundleAdministration bundles, ITemplateSource templates, CancellationToken cancellationToken)
    {
        var list = new List<object>();
        foreach (var details in await bundles.ListAsync(cancellationToken))
            list.Add(await BundleAsync(details, bundles, templates, cancellationToken));
        return Results.Json(new { bundles = list }, ApiJson.Options);
    }

    static async Task<IResult> ShowAsync(string id, BundleAdministration bundles, ITemplateSource templates, CancellationToken cancellationToken)
    {
        var found = await bundles.InfoAsync(id, cancellationToken);
        return found.IsSuccess
            ? Results.Json(new { bundle = await BundleAsync(found.Value!, bundles, templates, cancellationToken) }, ApiJson.Options)
            : AdminResponses.Error(found.Error);
    }

    /// <summary>A bundle with its whole enabled version (Cog 1.0 showed it so in the list and alone; the original cogctl
    /// finds commands through the list's <c>enabled_version.commands</c>).</summary>
    static async Task<object> BundleAsync(BundleDetails details, BundleAdministration bundles, ITemplateSource templates, CancellationToken cancellationToken)
    {
        if (details.EnabledVersion is not { } enabled)
            return BundleJson.Bundle(details, null, null);
        var version = await bundles.VersionInfoAsync(details.Bundle.Id, enabled.Id, cancellationToken);
        return BundleJson.Bundle(details, version.IsSuccess ? version.Value : null,
            await templates.FindAsync(details.Bundle.Name, enabled.Version, cancellationToken));
    }

    static async Task<IResult> InstallAsync(HttpContext context, BundleAdministration bundles, ITemplateSource templates)
    {
        var cancellationToken = context.RequestAborted;
        var (upload, force, enable, error) = await ReadInstallAsync(context.Request);
        if (error is not null)
            return error;
        var installed = await bundles.InstallAsync(AdminActor.Api(ApiCaller.Of(context).Username), upload, force, enable, cancellationToken);
        if (!installed.IsSuccess)
            return AdminResponses.Error(installed.Error, StatusCodes.Status409Conflict);
        var details = await bundles.VersionInfoAsync(installed.Value!.BundleId, installed.Value.Id, cancellationToken);
        return details.IsSuccess
            ? Results.Json(new { bundle_version = await VersionAsync(details.Value!, templates, cancellationToken) }, ApiJson.Options,
                statusCode: StatusCodes.Status201Created)
            : AdminResponses.Error(details.Error);
    }

    /// <summary>The upload of an install request: JSON <c>{"bundle": {"config": {...} | "yaml text", "force", "enable"}}</c>
    /// or a multipart form with <c>bundle[package]</c> or <c>bundle[config_file]</c> (file or text) and optional
    /// <c>bundle[force]</c>, <c>bundle[enable]</c>.</summary>
    static async Task<(ReadOnlyMemory<byte> Upload, bool Force, bool Enable, IResult? Error)> ReadInstallAsync(HttpRequest request)
    {
        if (request.HasFormContentType)
        {
            IFormCollection form;
            try
            {
                form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
            }
            catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                return (default, false, false, ApiResults.Errors(ApiMessages.BodyTooLarge(RequestBodyLimit.BundleUpload), StatusCodes.Status413PayloadTooLarge));
            }
            catch (InvalidDataException)
            {
                return (default, false, false, ApiResults.Errors(ApiMessages.BodyTooLarge(RequestBodyLimit.BundleUpload), StatusCodes.Status413PayloadTooLarge));
            }
            var force = IsTrue(form["bundle[force]"]);
            var enable = IsTrue(form["bundle[enable]"]);
            var file = form.Files["bundle[package]"] ?? form.Files["bundle[config_file]"];
            if (file is not null)
            {
                using var buffer = new MemoryStream((int)Math.Min(file.Length, RequestBodyLimit.BundleUpload));
                await file.CopyToAsync(buffer, request.HttpContext.RequestAborted);
                return (buffer.ToArray(), force, enable, null);
            }
            var text = form["bundle[config_file]"].ToString();
            return text.Length > 0
                ? (Encoding.UTF8.GetBytes(text), force, enable, null)
                : (default, false, false, ApiResults.Errors(AdminApiMessages.NoBundleGiven));
        }

        // A manifest may give a key twice (published Cog 1.0 bundles do): the manifest loader decides, as for YAML.
        var (envelope, document, error) = await ApiJson.ReadEnvelopeAsync(request, "bundle", duplicatesAllowedUnder: "$.bundle.config");
        if (document is null)
            return (default, false, false, error);
        using (document)
        {
            string? invalid = null;
            var force = RequestFields.Bool(envelope, "force", ref invalid) ?? false;
            var enable = RequestFields.Bool(envelope, "enable", ref invalid) ?? false;
            if (invalid is not null)
                return (default, false, false, AdminResponses.InvalidField(invalid));
            if (envelope.ValueKind != JsonValueKind.Object || !envelope.TryGetProperty("config", out var config))
                return (default, false, false, ApiResults.Errors(AdminApiMessages.NoBundleGiven));
            return config.ValueKind switch
            {
                JsonValueKind.Object => (Encoding.UTF8.GetBytes(config.GetRawText()), force, enable, null),
                JsonValueKind.String => (Encoding.UTF8.GetBytes(config.GetString()!), force, enable, null),
                _ => (default, false, false, AdminResponses.InvalidField("config")),
            };
        }
    }

    static bool IsTrue(Microsoft.Extensions.Primitives.StringValues value) =>
        value.Count > 0 && (string.Equals(value[0], "true", StringComparison.OrdinalIgnoreCase) || value[0] == "1");

    static async Task<IResult> DeleteAsync(string id, HttpContext context, BundleAdministration bundles)
    {
        var deleted = await bundles.UninstallBundleAsync(AdminActor.Api(ApiCaller.Of(context).Username), id, context.RequestAborted);
        return deleted.IsSuccess ? Results.NoContent() : AdminResponses.Error(deleted.Error);
    }

    static async Task<IResult> VersionsAsync(string id, BundleAdministration bundles, ITemplateSource templates, CancellationToken cancellationToken)
    {
        var bundle = await bundles.InfoAsync(id, cancellationToken);
        if (!bundle.IsSuccess)
            return AdminResponses.Error(bundle.Error);
        var list = new List<object>(bundle.Value!.Versions.Count);
        foreach (var version in bundle.Value.Versions)
        {
            var details = await bundles.VersionInfoAsync(bundle.Value.Bundle.Id, version.Id, cancellationToken);
            if (details.IsSuccess)
                list.Add(await VersionAsync(details.Value!, templates, cancellationToken));
        }
        return Results.Json(new { bundle_versions = list }, ApiJson.Options);
    }

    static async Task<IResult> ShowVersionAsync(string id, string version, BundleAdministration bundles, ITemplateSource templates,
        CancellationToken cancellationToken)
    {
        var details = await bundles.VersionInfoAsync(id, version, cancellationToken);
        return details.IsSuccess
            ? Results.Json(new { bundle_version = await VersionAsync(details.Value!, templates, cancellationToken) }, ApiJson.Options)
            : AdminResponses.Error(details.Error);
    }

    static async Task<object> VersionAsync(BundleVersionDetails details, ITemplateSource templates, CancellationToken cancellationToken) =>
        BundleJson.Version(details, await templates.FindAsync(details.Bundle.Name, details.Version.Version, cancellationToken));

    static async Task<IResult> DeleteVersionAsync(string id, string version, HttpContext context, BundleAdministration bundles)
    {
        var deleted = await bundles.UninstallVersionAsync(AdminActor.Api(ApiCaller.Of(context).Username), id, version, context.RequestAborted);
        return deleted.IsSuccess ? Results.NoContent() : AdminResponses.Error(deleted.Error);
    }

    static async Task<IResult> StatusAsync(string id, BundleAdministration bundles, IStore store, CancellationToken cancellationToken)
    {
        var found = await bundles.InfoAsync(id, cancellationToken);
        return found.IsSuccess ? Results.Json(await StatusMapAsync(found.Value!, store, cancellationToken), ApiJson.Options) : AdminResponses.Error(found.Error);
    }

    /// <summary>Cog 1.0's bare status map (operable/cog lib/cog/repository/bundles.ex, <c>status/1</c>), the answer of
    /// both status routes: <c>{"name","enabled","enabled_version","relays"}</c>, <c>enabled_version</c> the version
    /// string, relays = the enabled relays of the relay groups the bundle is assigned to.</summary>
    static async Task<object> StatusMapAsync(BundleDetails details, IStore store, CancellationToken cancellationToken)
    {
        var relays = new SortedSet<string>(StringComparer.Ordinal);
        if (details.EnabledVersion is not null)
        {
            foreach (var group in details.RelayGroups)
            {
                foreach (var relay in await store.Relays.ListMembersAsync(group.Id, cancellationToken))
                {
                    if (relay.Enabled)
                        relays.Add(relay.Id);
                }
            }
        }
        return new
        {
            name = details.Bundle.Name,
            enabled = details.EnabledVersion is not null,
            enabled_version = details.EnabledVersion?.Version,
            relays,
        };
    }

    static async Task<IResult> SetStatusAsync(string id, string version, HttpContext context, BundleAdministration bundles, IStore store)
    {
        var cancellationToken = context.RequestAborted;
        var (document, error) = await ApiJson.ReadDocumentAsync(context.Request);
        if (document is null)
            return error!;
        string? status;
        using (document)
        {
            var root = document.RootElement;
            var holder = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("bundle", out var inner) ? inner : root;
            string? invalid = null;
            status = RequestFields.String(holder, "status", ref invalid);
            if (invalid is not null)
                return AdminResponses.InvalidField(invalid);
        }
        if (status is not ("enabled" or "disabled"))
            return ApiResults.Errors(AdminApiMessages.UnrecognizedStatus(status ?? ""), StatusCodes.Status400BadRequest);

        var actor = AdminActor.Api(ApiCaller.Of(context).Username);
        var target = await bundles.VersionInfoAsync(id, version, cancellationToken);
        if (!target.IsSuccess)
            return AdminResponses.Error(target.Error);
        if (status == "enabled")
        {
            var enabled = await bundles.EnableAsync(actor, id, target.Value!.Version.Version, cancellationToken);
            if (!enabled.IsSuccess)
                return AdminResponses.Error(enabled.Error);
        }
        else if (target.Value!.Version.Enabled)
        {
            var disabled = await bundles.DisableAsync(actor, id, cancellationToken);
            if (!disabled.IsSuccess)
                return AdminResponses.Error(disabled.Error);
        }
        else if (target.Value.Bundle.Name == Bundle.BuiltInName)
        {
            return ApiResults.Errors(StoreErrors.BundleProtected(Bundle.BuiltInName));
        }
        var details = await bundles.InfoAsync(target.Value!.Bundle.Id, cancellationToken);
        return details.IsSuccess ? Results.Json(await StatusMapAsync(details.Value!, store, cancellationToken), ApiJson.Options) : AdminResponses.Error(details.Error);
    }

    static async Task<IResult> ListLayersAsync(string id, ConfigAdministration config, CancellationToken cancellationToken)
    {
        var layers = await config.ListAsync(id, cancellationToken);
        return layers.IsSuccess
            ? Results.Json(new { dynamic_configurations = layers.Value!.Select(BundleJson.Layer).ToList() }, ApiJson.Options)
            : AdminResponses.Error(layers.Error);
    }

    static async Task<IResult> ShowLayerAsync(string id, string layer, ConfigAdministration config, CancellationToken cancellationToken)
    {
        var found = await config.InfoAsync(id, layer, cancellationToken);
        return found.IsSuccess ? Results.Json(new { dynamic_configuration = BundleJson.Layer(found.Value!) }, ApiJson.Options) : AdminResponses.Error(found.Error);
    }

    static async Task<IResult> SetLayerAsync(string id, string layer, HttpContext context, ConfigAdministration config)
    {
        var (envelope, document, error) = await ApiJson.ReadEnvelopeAsync(context.Request, "config");
        if (document is null)
            return error!;
        string json;
        using (document)
        {
            if (envelope.ValueKind != JsonValueKind.Object)
                return ApiResults.FieldErrors(new Dictionary<string, string[]> { ["config"] = [AdminMessages.ConfigNotAMap] });
            json = envelope.GetRawText();
        }
        var stored = await config.SetAsync(AdminActor.Api(ApiCaller.Of(context).Username), id, layer, json, context.RequestAborted);
        return stored.IsSuccess
            ? Results.Json(new { dynamic_configuration = BundleJson.Layer(stored.Value!) }, ApiJson.Options, statusCode: StatusCodes.Status201Created)
            : AdminResponses.Error(stored.Error);
    }

    static async Task<IResult> DeleteLayerAsync(string id, string layer, HttpContext context, ConfigAdministration config)
    {
        var deleted = await config.DeleteAsync(AdminActor.Api(ApiCaller.Of(context).Username), id, layer, context.RequestAborted);
        return deleted.IsSuccess ? Results.NoContent() : AdminResponses.Error(deleted.Error);
    }
}
