using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Fluid;
using Fluid.Ast;
using Parlot.Fluent;

namespace Cog.Runtime.Templates;

/// <summary>How a card (Cog's <c>attachment</c> tag) is written into a template's Markdown: a tilde fence whose info
/// string is <see cref="Info"/> followed by the attributes and fields as one line of JSON; the body is the fence's
/// content. <see cref="MarkdownReader"/> reads it back into an attachment block.</summary>
static class AttachmentFence
{
    /// <summary>The info string.</summary>
    public const string Info = "cog-attachment";

    /// <summary>The attachment attributes that are not fields (Greenbar's names).</summary>
    public static readonly string[] Attributes = ["title", "title_url", "color", "image_url", "author", "pretext", "footer"];

    /// <summary>A new parser of Cog's Liquid.</summary>
    public static FluidParser CreateParser() => new TemplateParser();
}

/// <summary>Liquid with Cog's tags: <c>{% attachment title: …, color: … %}…{% endattachment %}</c> (a card; Greenbar's
/// <c>~attachment~</c>), <c>{% field "Name", value %}</c> inside it, and <c>{% br %}</c> (a line break). Without
/// <c>include</c> and <c>render</c>: templates cannot read files.</summary>
/// <remarks>Thread-safe once built (Fluid parsers are).</remarks>
/// <remarks>A file-local type: the friend assemblies that see this assembly's internals must not need Parlot.</remarks>
file sealed class TemplateParser : FluidParser
{
    const string AttachmentInfo = AttachmentFence.Info;

    static readonly string[] AttachmentAttributes = AttachmentFence.Attributes;

    const string CollectorKey = "cog.attachment";

    public TemplateParser()
        : base(new FluidParserOptions { AllowFunctions = false })
    {
        RegisteredTags.Remove("include");
        RegisteredTags.Remove("render");
        var arguments = ZeroOrOne(ArgumentsList);
        RegisterParserBlock("attachment", arguments, RenderAttachmentAsync);
        RegisterParserTag("field", ArgumentsList, RenderFieldAsync);
        RegisterEmptyTag("br", static (writer, _, _) =>
        {
            writer.Write('\n');
            return Statement.Normal();
        });
    }

    static async ValueTask<Completion> RenderAttachmentAsync(
        IReadOnlyList<FilterArgument>? arguments, IReadOnlyList<Statement> statements, TextWriter writer, TextEncoder encoder, TemplateContext context)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        var collector = new List<(string Title, string Value, bool Short)>();
        foreach (var argument in arguments ?? [])
        {
            var value = TemplateValues.Text(await argument.Expression.EvaluateAsync(context).ConfigureAwait(false));
            if (argument.Name is null)
                throw new TemplateFilterException(TemplateErrors.BadArgument("attachment", "takes named arguments only (title: \"…\")"));
            if (Array.IndexOf(AttachmentAttributes, argument.Name) >= 0)
                attributes[argument.Name] = value;
            else
                collector.Add((argument.Name, value, false));
        }

        var previous = context.AmbientValues.TryGetValue(CollectorKey, out var outer) ? outer : null;
        context.AmbientValues[CollectorKey] = collector;
        var body = new StringWriter();
        try
        {
            foreach (var statement in statements)
            {
                var completion = await statement.WriteToAsync(body, encoder, context).ConfigureAwait(false);
                if (completion != Completion.Normal)
                    break;
            }
        }
        finally
        {
            if (previous is null)
                context.AmbientValues.Remove(CollectorKey);
            else
                context.AmbientValues[CollectorKey] = previous;
        }

        var text = body.ToString().Trim('\n');
        var fence = new string('~', Math.Max(3, MarkdownText.LongestRun(text, '~') + 1));
        writer.Write('\n');
        writer.Write(fence);
        writer.Write(' ');
        writer.Write(AttachmentInfo);
        writer.Write(' ');
        // CommonMark unescapes backslashes and entities in info strings: escape them so the JSON reads back unchanged.
        writer.Write(Header(attributes, collector).Replace("\\", "\\\\", StringComparison.Ordinal).Replace("&", "\\&", StringComparison.Ordinal));
        writer.Write('\n');
        if (text.Length > 0)
        {
            writer.Write(text);
            writer.Write('\n');
        }
        writer.Write(fence);
        writer.Write('\n');
        return Completion.Normal;
    }

    static async ValueTask<Completion> RenderFieldAsync(IReadOnlyList<FilterArgument> arguments, TextWriter writer, TextEncoder encoder, TemplateContext context)
    {
        if (!context.AmbientValues.TryGetValue(CollectorKey, out var found) || found is not List<(string Title, string Value, bool Short)> collector)
            throw new TemplateFilterException(TemplateErrors.FieldOutsideAttachment);
        string? title = null, value = null;
        var isShort = false;
        foreach (var argument in arguments)
        {
            var evaluated = await argument.Expression.EvaluateAsync(context).ConfigureAwait(false);
            switch (argument.Name)
            {
                case "short":
                    isShort = evaluated.ToBooleanValue();
                    break;
                case null when title is null:
                    title = TemplateValues.Text(evaluated);
                    break;
                case null when value is null:
                    value = TemplateValues.Text(evaluated);
                    break;
                default:
                    throw new TemplateFilterException(TemplateErrors.BadArgument("field", "takes a title, a value and short: true|false"));
            }
        }
        if (title is null)
            throw new TemplateFilterException(TemplateErrors.BadArgument("field", "needs a title"));
        collector.Add((title, value ?? "", isShort));
        return Completion.Normal;
    }

    /// <summary>The attributes and fields as one line of JSON (the fence's info string).</summary>
    static string Header(Dictionary<string, string> attributes, List<(string Title, string Value, bool Short)> fields)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            foreach (var name in AttachmentAttributes)
            {
                if (attributes.TryGetValue(name, out var value))
                    json.WriteString(name, value);
            }
            json.WriteStartArray("fields");
            foreach (var (title, value, isShort) in fields)
            {
                json.WriteStartObject();
                json.WriteString("title", title);
                json.WriteString("value", value);
                json.WriteBoolean("short", isShort);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    static Parser<IReadOnlyList<FilterArgument>?> ZeroOrOne(Parser<IReadOnlyList<FilterArgument>> parser) =>
        Parsers.ZeroOrOne(parser).Then<IReadOnlyList<FilterArgument>?>(static list => list);
}
