using System.Text.Json.Nodes;
using Cog.Language.Text;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Cog.Manifest.Yaml;

/// <summary>A YAML (or JSON) document read into a JSON tree, with where each value came from.</summary>
/// <param name="Root">The document's value; <see langword="null"/> for an empty text or an empty (null) document.</param>
/// <param name="Map">The location of every value by JSON pointer.</param>
/// <param name="Duplicates">Every key given twice in one map, in reading order; the tree holds the last value.</param>
sealed record YamlTree(JsonNode? Root, SourceMap Map, IReadOnlyList<DuplicateKey> Duplicates);

/// <summary>A key given a second time in one map: the last value wins (as PyYAML, which Cog 1.0's tools used, reads it);
/// whether that is an error or a warning is the caller's decision.</summary>
/// <param name="Key">The key.</param>
/// <param name="Pointer">The JSON pointer of the member (RFC 6901).</param>
/// <param name="First">Where the key is first given.</param>
/// <param name="Again">Where it is given again (the value kept is the one after the last such place).</param>
sealed record DuplicateKey(string Key, string Pointer, SourcePosition First, SourcePosition Again);

/// <summary>
/// Reads YAML into a <see cref="JsonNode"/> tree from YamlDotNet's parser events, recording the location of every
/// value. Plain scalars are typed by the YAML 1.2 core schema; quoted and block scalars are text.
/// </summary>
/// <remarks>
/// Problems are reported to the <see cref="ErrorList"/>, never thrown: a syntax error ends the reading (the tree is
/// <see langword="null"/>); complex keys and unknown aliases are reported and reading goes on, so that the caller can
/// report everything else too. A duplicate key is not an error here: the last value is kept and the duplicate is listed
/// in <see cref="YamlTree.Duplicates"/>. Depth and size (after alias expansion) are bounded, so that no input can
/// exhaust the stack or the memory.
/// </remarks>
sealed class YamlTreeReader
{
    /// <summary>The deepest nesting of lists and maps accepted.</summary>
    public const int MaxDepth = 64;

    /// <summary>The most values accepted in one document, counting every copy an alias makes.</summary>
    public const int MaxValues = 100_000;

    const string CoreTagPrefix = "tag:yaml.org,2002:";

    readonly Scanner _scanner;
    readonly Parser _parser;
    readonly ErrorList _errors;
    readonly SourceMap _map = new();
    readonly Dictionary<string, (JsonNode? Node, int Size)> _anchors = new(StringComparer.Ordinal);
    readonly List<DuplicateKey> _duplicates = [];
    int _values;
    bool _aborted;

    YamlTreeReader(string text, ErrorList errors)
    {
        _scanner = new Scanner(new StringReader(text));
        _parser = new Parser(_scanner);
        _errors = errors;
    }

    /// <summary>Reads <paramref name="text"/>; <see langword="null"/> when it is not readable YAML (the reason is in <paramref name="errors"/>).</summary>
    public static YamlTree? Read(string text, ErrorList errors) => new YamlTreeReader(text, errors).ReadStream();

    YamlTree? ReadStream()
    {
        try
        {
            _parser.MoveNext(); // StreamStart
            _parser.MoveNext();
            if (_parser.Current is not DocumentStart)
            {
                return new YamlTree(null, _map, _duplicates);
            }
            _parser.MoveNext();
            var root = ReadNode("", null, 0);
            if (_aborted)
            {
                return null;
            }
            _parser.MoveNext(); // past DocumentEnd
            if (_parser.Current is DocumentStart second)
            {
                _errors.AddAtText(ManifestErrors.MultipleDocuments, Position(second.Start));
            }
            return new YamlTree(root, _map, _duplicates);
        }
        catch (YamlException e)
        {
            _errors.AddAtText(ManifestErrors.YamlSyntax(CleanMessage(e.Message)), Position(e.Start));
            return null;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this (without a position) on some malformed input, e.g. an unclosed flow list.
            _errors.AddAtText(ManifestErrors.YamlUnreadable, Position(_scanner.CurrentPosition));
            return null;
        }
        catch (ArgumentException e)
        {
            // YamlDotNet's parser throws this (without a position) on a tag that is not a URI, e.g. "!!str[": the
            // scanner's current token is the tag.
            var message = e.ParamName is null ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal);
            _errors.AddAtText(ManifestErrors.YamlSyntax(message), Position(_scanner.Current?.Start ?? _scanner.CurrentPosition));
            return null;
        }
    }

    /// <summary>Reads the node starting at the current event and moves past it.</summary>
    /// <param name="pointer">Where the node goes, or <see langword="null"/> when it is read only to be skipped.</param>
    /// <param name="key">The position of the key naming it, for map members.</param>
    JsonNode? ReadNode(string? pointer, SourcePosition? key, int depth)
    {
        var current = _parser.Current!;
        if (!Count(1, current.Start))
        {
            return null;
        }
        switch (current)
        {
            case Scalar scalar:
                _parser.MoveNext();
                var value = TypeScalar(scalar);
                Record(pointer, scalar.Start, key, value is JsonValue { } typed && typed.GetValueKind() == System.Text.Json.JsonValueKind.String ? null : scalar.Value);
                Remember(scalar.Anchor, value, 1);
                return value;

            case AnchorAlias alias:
                _parser.MoveNext();
                Record(pointer, alias.Start, key);
                if (!_anchors.TryGetValue(alias.Value.Value, out var anchored))
                {
                    _errors.Add(ManifestErrors.UnknownAlias(alias.Value.Value), Position(alias.Start), pointer ?? "");
                    if (pointer is not null)
                    {
                        _errors.MarkUnreliable(pointer);
                    }
                    return null;
                }
                return Count(anchored.Size, alias.Start) ? anchored.Node?.DeepClone() : null;

            case SequenceStart start:
                return ReadSequence(start, pointer, key, depth);

            case MappingStart start:
                return ReadMapping(start, pointer, key, depth);

            default:
                _errors.AddAtText(ManifestErrors.YamlUnreadable, Position(current.Start));
                _aborted = true;
                return null;
        }
    }

    JsonArray? ReadSequence(SequenceStart start, string? pointer, SourcePosition? key, int depth)
    {
        if (!CheckDepth(depth, start.Start))
        {
            return null;
        }
        _parser.MoveNext();
        Record(pointer, start.Start, key);
        var before = _values;
        var array = new JsonArray();
        var index = 0;
        while (_parser.Current is not SequenceEnd)
        {
            var item = ReadNode(pointer is null ? null : JsonPointers.Append(pointer, index), null, depth + 1);
            if (_aborted)
            {
                return null;
            }
            array.Add(item);
            index++;
        }
        _parser.MoveNext();
        Remember(start.Anchor, array, _values - before + 1);
        return array;
    }

    JsonObject? ReadMapping(MappingStart start, string? pointer, SourcePosition? key, int depth)
    {
        if (!CheckDepth(depth, start.Start))
        {
            return null;
        }
        _parser.MoveNext();
        Record(pointer, start.Start, key);
        var before = _values;
        var obj = new JsonObject();
        var keyPositions = new Dictionary<string, SourcePosition>(StringComparer.Ordinal);
        while (_parser.Current is not MappingEnd)
        {
            if (_parser.Current is not Scalar keyScalar)
            {
                _errors.Add(ManifestErrors.ComplexKey, Position(_parser.Current!.Start), pointer ?? "");
                ReadNode(null, null, depth + 1); // the key
                if (!_aborted)
                {
                    ReadNode(null, null, depth + 1); // its value
                }
                if (_aborted)
                {
                    return null;
                }
                continue;
            }
            _parser.MoveNext();
            var name = keyScalar.Value;
            var keyPosition = Position(keyScalar.Start);
            var memberPointer = pointer is null ? null : JsonPointers.Append(pointer, name);
            if (keyPositions.TryGetValue(name, out var first))
            {
                _duplicates.Add(new DuplicateKey(name, memberPointer ?? "", first, keyPosition));
            }
            keyPositions[name] = keyPosition;
            obj[name] = ReadNode(memberPointer, keyPosition, depth + 1);
            if (_aborted)
            {
                return null;
            }
        }
        _parser.MoveNext();
        Remember(start.Anchor, obj, _values - before + 1);
        return obj;
    }

    static JsonNode? TypeScalar(Scalar scalar)
    {
        var tag = scalar.Tag;
        if (!tag.IsEmpty)
        {
            if (tag.IsNonSpecific || tag.Value == CoreTagPrefix + "str")
            {
                return JsonValue.Create(scalar.Value);
            }
            if (tag.Value is CoreTagPrefix + "null" or CoreTagPrefix + "bool" or CoreTagPrefix + "int" or CoreTagPrefix + "float")
            {
                return CoreSchemaScalars.Resolve(scalar.Value);
            }
        }
        return scalar.Style == ScalarStyle.Plain ? CoreSchemaScalars.Resolve(scalar.Value) : JsonValue.Create(scalar.Value);
    }

    void Record(string? pointer, Mark start, SourcePosition? key, string? plainText = null)
    {
        if (pointer is not null)
        {
            _map.Add(pointer, new NodeLocation(Position(start), key, plainText));
        }
    }

    void Remember(AnchorName anchor, JsonNode? node, int size)
    {
        if (!anchor.IsEmpty)
        {
            _anchors[anchor.Value] = (node, size);
        }
    }

    bool Count(int values, Mark at)
    {
        _values += values;
        if (_values <= MaxValues)
        {
            return true;
        }
        _errors.AddAtText(ManifestErrors.TooLarge(MaxValues), Position(at));
        _aborted = true;
        return false;
    }

    bool CheckDepth(int depth, Mark at)
    {
        if (depth < MaxDepth)
        {
            return true;
        }
        _errors.AddAtText(ManifestErrors.TooDeep(MaxDepth), Position(at));
        _aborted = true;
        return false;
    }

    static SourcePosition Position(Mark mark) => new((int)mark.Index, (int)mark.Line, (int)mark.Column);

    // YamlDotNet messages sometimes start with "(Line: 2, Col: 3, Idx: 9) - (Line: ...): "; the position is reported separately.
    static string CleanMessage(string message)
    {
        if (message.StartsWith("(Line:", StringComparison.Ordinal))
        {
            var end = message.IndexOf("): ", StringComparison.Ordinal);
            if (end >= 0)
            {
                return message[(end + 3)..];
            }
        }
        return message;
    }
}
