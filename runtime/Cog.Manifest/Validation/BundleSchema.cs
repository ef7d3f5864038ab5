using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cog.Manifest.Yaml;
using Json.Schema;

namespace Cog.Manifest.Validation;

/// <summary>
/// The embedded <c>bundle-schema.yaml</c>, compiled once, and the translation of its failures into located,
/// readable <see cref="ManifestErrors"/> messages.
/// </summary>
/// <remarks>
/// Results are read in the hierarchical output format: only failing nodes whose ancestors all fail explain why
/// the document is invalid (the flat list also holds failures inside passing <c>anyOf</c>/<c>oneOf</c>/<c>if</c>
/// branches). A failing schema object with an <c>errorMessage</c> is reported with that text alone. Thread-safe.
/// </remarks>
sealed class BundleSchema
{
    /// <summary>The logical name of the embedded schema resource.</summary>
    public const string ResourceName = "bundle-schema.yaml";

    static readonly Lazy<BundleSchema> Shared = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    static readonly EvaluationOptions Options = new() { OutputFormat = OutputFormat.Hierarchical };

    readonly JsonSchema _schema;
    readonly JsonNode _document;

    BundleSchema(JsonSchema schema, JsonNode document)
    {
        _schema = schema;
        _document = document;
    }

    /// <summary>The schema compiled from the embedded resource (built on first use).</summary>
    public static BundleSchema Instance => Shared.Value;

    /// <summary>The schema document as JSON (for tests and tools).</summary>
    public JsonNode Document => _document;

    static BundleSchema Load()
    {
        using var stream = typeof(BundleSchema).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing from Cog.Manifest.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var errors = new ErrorList(ResourceName);
        var tree = YamlTreeReader.Read(reader.ReadToEnd(), errors);
        if (tree?.Root is not JsonObject root || errors.Count > 0)
        {
            throw new InvalidOperationException(
                $"The embedded {ResourceName} is not a YAML map: {string.Join("; ", errors.ToSortedArray())}");
        }
        // The compiled schema keeps referring to the elements it was built from: they must outlive it (Clone).
        using var json = JsonDocument.Parse(root.ToJsonString());
        var schema = JsonSchema.Build(json.RootElement.Clone(), new BuildOptions { SchemaRegistry = new SchemaRegistry() });
        return new BundleSchema(schema, root);
    }

    /// <summary>Validates <paramref name="instance"/> and reports every failure to <paramref name="errors"/>.</summary>
    public void Validate(JsonNode instance, SourceMap map, ErrorList errors)
    {
        using var json = JsonDocument.Parse(instance.ToJsonString());
        var results = _schema.Evaluate(json.RootElement, Options);
        if (!results.IsValid)
        {
            new Reporter(this, instance, map, errors).Walk(results);
        }
    }

    /// <summary>The schema object an evaluation path leads to (following local <c>$ref</c>s), or <see langword="null"/>.</summary>
    JsonObject? Navigate(string evaluationPath)
    {
        JsonNode? current = _document;
        var previous = "";
        foreach (var segment in JsonPointers.Segments(evaluationPath))
        {
            // JsonSchema.Net 8.0.5 repeats the keyword of some single-schema applicators ("/items/items").
            var repeated = segment == previous;
            previous = segment;
            if (repeated && (current is not JsonObject holder || !holder.ContainsKey(segment)))
            {
                continue;
            }
            if (segment == "$ref")
            {
                if (current?["$ref"] is not JsonValue reference || !reference.TryGetValue<string>(out var target)
                    || !target.StartsWith('#') || !JsonPointers.TryResolve(_document, target[1..], out current))
                {
                    return null;
                }
                continue;
            }
            if (!JsonPointers.TryResolve(current, JsonPointers.Append("", segment), out current))
            {
                return null;
            }
        }
        return current as JsonObject;
    }

    /// <summary>Turns the failing nodes of one evaluation into errors.</summary>
    sealed class Reporter(BundleSchema schema, JsonNode instance, SourceMap map, ErrorList errors)
    {
        public void Walk(EvaluationResults node)
        {
            var evaluationPath = node.EvaluationPath.ToString();
            var pointer = node.InstanceLocation.ToString();
            if (errors.IsUnreliable(pointer))
            {
                return;
            }
            var schemaObject = schema.Navigate(evaluationPath);
            if (schemaObject?["errorMessage"] is JsonValue custom && custom.TryGetValue<string>(out var message))
            {
                AddAbout(pointer, message.Replace("{name}", JsonPointers.LastSegment(pointer), StringComparison.Ordinal));
                return;
            }
            if (node.Errors is { } nodeErrors)
            {
                foreach (var (keyword, text) in nodeErrors)
                {
                    Translate(keyword, text, evaluationPath, schemaObject, pointer);
                }
            }
            if (node.Details is { } details)
            {
                foreach (var child in details)
                {
                    // An `if` only selects a branch: its failure is not an error of the document.
                    if (!child.IsValid && !child.EvaluationPath.ToString().EndsWith("/if", StringComparison.Ordinal))
                    {
                        Walk(child);
                    }
                }
            }
        }

        void Translate(string keyword, string text, string evaluationPath, JsonObject? schemaObject, string pointer)
        {
            JsonPointers.TryResolve(instance, pointer, out var value);
            JsonNode? SchemaKeyword(string name) =>
                schemaObject is not null && schemaObject.TryGetPropertyValue(name, out var node) ? node : null;
            switch (keyword)
            {
                case "required" when SchemaKeyword("required") is JsonArray required && value is JsonObject present:
                    foreach (var name in required)
                    {
                        var property = name?.GetValue<string>();
                        if (property is not null && !present.ContainsKey(property))
                        {
                            errors.Add(ManifestErrors.RequiredProperty(property), map.KeyPosition(pointer), pointer);
                        }
                    }
                    break;
                case "type" when SchemaKeyword("type") is { } expected:
                    AddAbout(pointer, TypeMessage(expected, value, pointer));
                    break;
                case "pattern" when SchemaKeyword("pattern") is JsonValue pattern:
                    AddAbout(pointer, ManifestErrors.PatternMismatch(Display(value), pattern.GetValue<string>()));
                    break;
                case "enum" when SchemaKeyword("enum") is JsonArray allowed:
                    AddAbout(pointer, ManifestErrors.NotOneOf(Display(value), JoinValues(allowed)));
                    break;
                case "const" when schemaObject is not null && schemaObject.TryGetPropertyValue("const", out var constant):
                    AddAbout(pointer, ManifestErrors.NotEqual(Display(value), Display(constant)));
                    break;
                case "minLength" when SchemaKeyword("minLength") is JsonValue minimumLength:
                    AddAbout(pointer, ManifestErrors.TooShort(minimumLength.GetValue<long>()));
                    break;
                case "minimum" when SchemaKeyword("minimum") is { } minimum:
                    AddAbout(pointer, ManifestErrors.BelowMinimum(Display(value), Display(minimum)));
                    break;
                case "" when evaluationPath.EndsWith("/additionalProperties", StringComparison.Ordinal)
                    || evaluationPath.EndsWith("/unevaluatedProperties", StringComparison.Ordinal):
                    errors.Add(ManifestErrors.PropertyNotAllowed(JsonPointers.LastSegment(pointer)), map.KeyPosition(pointer), pointer);
                    break;
                case "" or "not":
                    AddAbout(pointer, ManifestErrors.ValueNotAllowed);
                    break;
                default:
                    AddAbout(pointer, ManifestErrors.SchemaViolation(keyword, text));
                    break;
            }
        }

        /// <summary>Adds an error about a value: at its text when it is a scalar, at its key when it is a list or a map.</summary>
        void AddAbout(string pointer, string message)
        {
            JsonPointers.TryResolve(instance, pointer, out var value);
            var position = value is JsonObject or JsonArray ? map.KeyPosition(pointer) : map.ValuePosition(pointer);
            errors.Add(message, position, pointer);
        }

        string TypeMessage(JsonNode expected, JsonNode? value, string pointer)
        {
            var names = new List<string>();
            if (expected is JsonArray list)
            {
                foreach (var item in list)
                {
                    names.Add(item!.GetValue<string>());
                }
            }
            else
            {
                names.Add(expected.GetValue<string>());
            }
            var wanted = new StringBuilder();
            for (var i = 0; i < names.Count; i++)
            {
                wanted.Append(i == 0 ? "" : i == names.Count - 1 ? " or " : ", ").Append(Article(names[i]));
            }
            var actual = Kind(value);
            var plainText = map.Find(pointer).PlainText;
            return names.Contains("string") && !string.IsNullOrEmpty(plainText) && value is not JsonObject and not JsonArray
                ? ManifestErrors.WrongTypeQuote(wanted.ToString(), actual, plainText)
                : ManifestErrors.WrongType(wanted.ToString(), actual);
        }

        static string Article(string type) => type switch
        {
            "object" => "a map",
            "array" => "a list",
            "integer" => "an integer",
            "null" => "null",
            _ => "a " + type,
        };

        static string Kind(JsonNode? value) => value switch
        {
            null => "null",
            JsonObject => "a map",
            JsonArray => "a list",
            _ => value.GetValueKind() switch
            {
                JsonValueKind.String => "a string",
                JsonValueKind.Number => "a number",
                JsonValueKind.True or JsonValueKind.False => "a boolean",
                _ => "null",
            },
        };

        static string JoinValues(JsonArray values)
        {
            var text = new StringBuilder();
            foreach (var item in values)
            {
                text.Append(text.Length == 0 ? "" : ", ").Append(Display(item));
            }
            return text.ToString();
        }
    }

    /// <summary>A value as messages show it: text as is, anything else as JSON.</summary>
    internal static string Display(JsonNode? value) => value switch
    {
        null => "null",
        JsonValue text when text.GetValueKind() == JsonValueKind.String => text.GetValue<string>(),
        JsonValue number when number.TryGetValue<double>(out var d) && double.IsFinite(d) && d == Math.Floor(d) && Math.Abs(d) < 1e15
            => ((long)d).ToString(CultureInfo.InvariantCulture),
        _ => value.ToJsonString(),
    };
}
