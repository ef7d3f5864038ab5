using System.Text.Json;
using Cog.Runtime.Bundles;

namespace Cog.Runtime.Storage.Sql;

/// <summary>Command options as stored: a JSON array of objects.</summary>
static class OptionsJson
{
    public static string Write(IReadOnlyList<CommandOption> options)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var option in options)
            {
                writer.WriteStartObject();
                writer.WriteString("name", option.Name);
                writer.WriteString("type", option.Type);
                writer.WriteBoolean("required", option.Required);
                writer.WriteString("short_flag", option.ShortFlag);
                writer.WriteString("description", option.Description);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    public static IReadOnlyList<CommandOption> Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var options = new List<CommandOption>();
        foreach (var o in document.RootElement.EnumerateArray())
        {
            options.Add(new CommandOption(
                o.GetProperty("name").GetString()!, o.GetProperty("type").GetString()!, o.GetProperty("required").GetBoolean(),
                o.GetProperty("short_flag").GetString(), o.GetProperty("description").GetString()));
        }
        return options;
    }
}
