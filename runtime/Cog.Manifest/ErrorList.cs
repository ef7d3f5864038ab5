using System.Collections.Immutable;
using Cog.Language.Text;

namespace Cog.Manifest;

/// <summary>Collects the errors of one manifest as they are found, then hands them out in source order.</summary>
sealed class ErrorList(string file)
{
    readonly List<ManifestError> _errors = [];
    readonly HashSet<string> _unreliable = new(StringComparer.Ordinal);

    public string File { get; } = file;

    public int Count => _errors.Count;

    /// <summary>Adds an error about the value at <paramref name="pointer"/> (RFC 6901, <c>""</c> = the whole document).</summary>
    public void Add(string message, SourcePosition position, string pointer) =>
        _errors.Add(new ManifestError(message, File, position.Line, position.Column, "#" + pointer));

    /// <summary>Adds an error about the text at <paramref name="position"/>, not about a value.</summary>
    public void AddAtText(string message, SourcePosition position) =>
        _errors.Add(new ManifestError(message, File, position.Line, position.Column, ""));

    /// <summary>Adds an error about the file as a whole (no position).</summary>
    public void AddAboutFile(string message) => _errors.Add(new ManifestError(message, File, 0, 0, ""));

    /// <summary>
    /// Marks the value at <paramref name="pointer"/> as a stand-in for one that could not be read (an unknown alias), so
    /// that later checks do not report it a second time.
    /// </summary>
    public void MarkUnreliable(string pointer) => _unreliable.Add(pointer);

    /// <summary>Whether the value at <paramref name="pointer"/> is a stand-in already reported.</summary>
    public bool IsUnreliable(string pointer) => _unreliable.Contains(pointer);

    /// <summary>The errors ordered by line and column (stable), without exact duplicates.</summary>
    public ImmutableArray<ManifestError> ToSortedArray()
    {
        var seen = new HashSet<ManifestError>();
        var unique = new List<ManifestError>(_errors.Count);
        foreach (var error in _errors)
        {
            if (seen.Add(error))
            {
                unique.Add(error);
            }
        }
        // List.Sort is not stable; the index breaks ties so errors at one place keep the order they were found in.
        var indexed = new List<(ManifestError Error, int Index)>(unique.Count);
        for (var i = 0; i < unique.Count; i++)
        {
            indexed.Add((unique[i], i));
        }
        indexed.Sort(static (a, b) =>
        {
            var byLine = a.Error.Line.CompareTo(b.Error.Line);
            if (byLine != 0)
            {
                return byLine;
            }
            var byColumn = a.Error.Column.CompareTo(b.Error.Column);
            return byColumn != 0 ? byColumn : a.Index.CompareTo(b.Index);
        });
        var builder = ImmutableArray.CreateBuilder<ManifestError>(indexed.Count);
        foreach (var (error, _) in indexed)
        {
            builder.Add(error);
        }
        return builder.MoveToImmutable();
    }
}
