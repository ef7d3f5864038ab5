using System.Globalization;
using System.Text;

namespace Cog.Runtime.Audit;

/// <summary>The files signed audit checkpoints are appended to: the primary file (by default in the server's data
/// directory) and, optionally, a copy elsewhere (another mount, another machine's share), so that removing one file
/// does not remove the evidence.</summary>
/// <remarks>
/// <para>One checkpoint a line (<see cref="AuditCheckpoint.ToJsonLine"/>); appended and flushed to disk (fsync) before
/// <see cref="Append"/> returns. Reading takes the checkpoints of every file; a last line without its line break is a
/// write torn by a crash and is ignored (and cut off by the next append), any other line that is not a checkpoint is reported.</para>
/// <para>Thread-safe for appends from one process (a lock); one server per data directory.</para>
/// </remarks>
public sealed class AuditCheckpointFiles
{
    readonly Lock _lock = new();

    /// <summary>Files at <paramref name="paths"/> (created on the first append, with their folders).</summary>
    public AuditCheckpointFiles(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        Paths = [.. paths.Select(Path.GetFullPath).Distinct(StringComparer.Ordinal)];
        if (Paths.Count == 0)
            throw new ArgumentException("At least one checkpoint file is needed.", nameof(paths));
    }

    /// <summary>The files, primary first.</summary>
    public IReadOnlyList<string> Paths { get; }

    /// <summary>Appends <paramref name="checkpoint"/> to every file and flushes it to disk.</summary>
    public void Append(AuditCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var line = Encoding.UTF8.GetBytes(checkpoint.ToJsonLine() + "\n");
        lock (_lock)
        {
            foreach (var path in Paths)
            {
                if (Path.GetDirectoryName(path) is { Length: > 0 } folder)
                    Directory.CreateDirectory(folder);
                using var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
                DropTornLine(file);
                file.Seek(0, SeekOrigin.End);
                file.Write(line);
                file.Flush(flushToDisk: true);
            }
        }
    }

    // A line torn by a crash (no line break after it) is not a checkpoint: it is cut off, so that the next checkpoint
    // starts a line of its own and the file reads back without a false alarm.
    static void DropTornLine(FileStream file)
    {
        var end = file.Length;
        while (end > 0)
        {
            file.Seek(end - 1, SeekOrigin.Begin);
            if (file.ReadByte() == '\n')
                break;
            end--;
        }
        if (end != file.Length)
            file.SetLength(end);
    }

    /// <summary>Every checkpoint in the files (signatures not yet checked), and the lines that are not checkpoints.</summary>
    public (IReadOnlyList<AuditCheckpoint> Checkpoints, IReadOnlyList<string> Unreadable) Read()
    {
        var checkpoints = new List<AuditCheckpoint>();
        var unreadable = new List<string>();
        foreach (var path in Paths)
        {
            if (!File.Exists(path))
                continue;
            var text = File.ReadAllText(path, Encoding.UTF8);
            var lines = text.Split('\n');
            // After the last line break: empty, or a torn write.
            for (var i = 0; i < lines.Length - 1; i++)
            {
                var source = string.Create(CultureInfo.InvariantCulture, $"{path}:{i + 1}");
                if (lines[i].Length == 0)
                    continue;
                if (AuditCheckpoint.TryParse(lines[i], out var checkpoint))
                    checkpoints.Add(checkpoint with { Source = source });
                else
                    unreadable.Add(source);
            }
        }
        return (checkpoints, unreadable);
    }
}
