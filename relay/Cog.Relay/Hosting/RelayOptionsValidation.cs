using Microsoft.Extensions.Options;

namespace Cog.Relay.Hosting;

/// <summary>The options pipeline's check of <see cref="RelayOptions"/>: the settings that could not be read, then the
/// rules of <see cref="RelayOptionsValidator.Validate"/>; every failure at once.</summary>
sealed class RelayOptionsValidation : IValidateOptions<RelayOptions>
{
    public ValidateOptionsResult Validate(string? name, RelayOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        List<string> errors = [.. options.ReadErrors, .. RelayOptionsValidator.Validate(options)];
        return errors.Count > 0 ? ValidateOptionsResult.Fail(errors) : ValidateOptionsResult.Success;
    }
}
