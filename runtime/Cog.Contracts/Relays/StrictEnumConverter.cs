using System.Text.Json.Serialization;

namespace Cog.Contracts.Relays;

/// <summary>Enums travel as their wire names only: a number (<c>"status": 2</c>) is an error, not a silent cast.</summary>
sealed class StrictEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(namingPolicy: null, allowIntegerValues: false)
    where TEnum : struct, Enum;
