using Microsoft.Extensions.Options;

namespace Cog.Server.Configuration;

/// <summary>The options pipeline's check of <see cref="ServerOptions"/>: the rules of
/// <see cref="ServerOptionsValidator.Validate"/>, every failure at once.</summary>
sealed class ServerOptionsValidation : IValidateOptions<ServerOptions>
{
    public ValidateOptionsResult Validate(string? name, ServerOptions options) =>
        ServerOptionsValidator.Validate(options) is { Count: > 0 } errors ? ValidateOptionsResult.Fail(errors) : ValidateOptionsResult.Success;
}
