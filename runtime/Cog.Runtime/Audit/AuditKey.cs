using System.Security.Cryptography;

namespace Cog.Runtime.Audit;

/// <summary>The secret that seals the audit chain and signs its checkpoints: 32 random bytes kept outside the
/// database (a key file), so someone who can write the audit table cannot re-seal it.</summary>
/// <remarks>
/// <para>The key file holds exactly <see cref="Size"/> raw bytes (<c>head -c 32 /dev/urandom &gt; audit.key</c>).
/// <see cref="Id"/> is its fingerprint — the first 16 hex digits of SHA-256 of the key — which records and checkpoints
/// carry to name the key that sealed them; it reveals nothing usable about the key.</para>
/// <para>Immutable and thread-safe. <see cref="ToString"/> gives the fingerprint, never the secret.</para>
/// </remarks>
public sealed class AuditKey
{
    /// <summary>The key's length in bytes (HMAC-SHA256's block-sized security: 256 bits).</summary>
    public const int Size = 32;

    readonly byte[] _secret;

    AuditKey(byte[] secret)
    {
        _secret = secret;
        Id = Convert.ToHexStringLower(SHA256.HashData(secret))[..16];
    }

    /// <summary>The fingerprint: 16 lower-case hex digits.</summary>
    public string Id { get; }

    /// <summary>A key from its <see cref="Size"/> bytes.</summary>
    public static AuditKey FromBytes(ReadOnlySpan<byte> secret)
    {
        if (secret.Length != Size)
            throw new ArgumentException($"An audit key is {Size} bytes, not {secret.Length}.", nameof(secret));
        return new AuditKey(secret.ToArray());
    }

    /// <summary>A new random key.</summary>
    public static AuditKey Generate() => new(RandomNumberGenerator.GetBytes(Size));

    /// <summary>Reads the key file at <paramref name="path"/>; throws <see cref="InvalidDataException"/> naming the file
    /// when it does not hold exactly <see cref="Size"/> bytes.</summary>
    public static AuditKey Load(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length != Size)
            throw new InvalidDataException(AuditErrors.BadKeyFile(path, bytes.Length));
        return new AuditKey(bytes);
    }

    /// <summary>Reads the key file at <paramref name="path"/>, or creates it with a new random key when there is none
    /// (readable and writable by the owner only, 0600). <paramref name="created"/> says which.</summary>
    public static AuditKey LoadOrCreate(string path, out bool created)
    {
        var key = Generate();
        try
        {
            // CreateNew: two processes starting at once cannot both create (and one overwrite) the key.
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var file = new FileStream(path, options))
            {
                file.Write(key._secret);
                file.Flush(flushToDisk: true);
            }
            created = true;
            return key;
        }
        catch (IOException) when (File.Exists(path))
        {
            created = false;
            return Load(path);
        }
    }

    /// <summary>HMAC-SHA256 of <paramref name="data"/> into <paramref name="mac"/> (32 bytes).</summary>
    internal void Mac(ReadOnlySpan<byte> data, Span<byte> mac) => HMACSHA256.HashData(_secret, data, mac);

    /// <summary>The fingerprint.</summary>
    public override string ToString() => Id;
}
