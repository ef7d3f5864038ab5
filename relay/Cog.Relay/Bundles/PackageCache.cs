using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Cog.Contracts.Relays;
using Cog.Manifest.Packages;
using Microsoft.Extensions.Logging;

namespace Cog.Relay.Bundles;

/// <summary>
/// The relay's verified packages, one file per digest (<c>&lt;hex&gt;.cogbundle</c>, or <c>&lt;hex&gt;.yaml</c> for
/// the <c>manifest</c> format), and their download (protocol §7).
/// </summary>
/// <remarks>
/// <para>A package is downloaded only from the configured server origin, with basic authentication, into a temporary
/// file; its size and SHA-256 are checked against the assignment before it gets its final name, so a file under a final
/// name has been verified once. It is verified again every time it is used (after a restart, the file could have been
/// damaged), and discarded when it no longer matches.</para>
/// <para>Thread-safe: concurrent calls for the same digest each write their own temporary file, and the rename is
/// atomic.</para>
/// </remarks>
sealed class PackageCache
{
    const int BufferSize = 81920;

    readonly string _directory;
    readonly BundleHostOptions _options;
    readonly HttpClient _http;
    readonly ILogger _logger;
    readonly AuthenticationHeaderValue _authorization;
    int _downloads;

    public PackageCache(string directory, BundleHostOptions options, HttpClient http, ILogger logger)
    {
        _directory = directory;
        _options = options;
        _http = http;
        _logger = logger;
        _authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes(options.RelayId + ":" + options.Token)));
        Directory.CreateDirectory(directory);
    }

    /// <summary>How many packages were downloaded (tests prove cache hits with it).</summary>
    public int Downloads => Volatile.Read(ref _downloads);

    /// <summary>The path of the package with <paramref name="digest"/> in <paramref name="format"/>.</summary>
    public string PathOf(string digest, PackageFormat format) =>
        Path.Combine(_directory, Hex(digest) + (format == PackageFormat.Manifest ? ".yaml" : BundlePackage.FileExtension));

    /// <summary>The verified package file of <paramref name="assignment"/>: from the cache when a file there still
    /// verifies, otherwise downloaded and verified.</summary>
    /// <returns>The file's path, or a <see cref="BundleErrors"/> message.</returns>
    public async Task<(string? Path, string? Error)> GetAsync(BundleAssignment assignment, CancellationToken cancellationToken)
    {
        if (!BundlePackage.IsValidDigest(assignment.Digest))
        {
            return (null, PackageErrors.InvalidDigest(assignment.Digest));
        }
        var path = PathOf(assignment.Digest, assignment.PackageFormat);
        if (File.Exists(path))
        {
            if (await VerifyAsync(path, assignment, cancellationToken).ConfigureAwait(false))
            {
                return (path, null);
            }
            BundleLog.CacheDiscarded(_logger, path);
            TryDelete(path);
        }
        if (_options.ServerOrigin is null)
        {
            return (null, BundleErrors.NoServer(assignment.PackageUrl));
        }
        if (!SameOrigin(assignment.PackageUrl, _options.ServerOrigin))
        {
            return (null, BundleErrors.ForeignOrigin(assignment.PackageUrl, _options.ServerOrigin));
        }
        var error = await DownloadAsync(assignment, path, cancellationToken).ConfigureAwait(false);
        return error is null ? (path, null) : (null, error);
    }

    /// <summary>Deletes every cached package (and leftover download) whose digest is not in <paramref name="keep"/>.</summary>
    public void Prune(IReadOnlySet<string> keep)
    {
        try
        {
            foreach (var file in Directory.EnumerateFiles(_directory))
            {
                // Names start with the digest's 64 hex digits: <hex>.cogbundle, <hex>.yaml, <hex>.<ext>.<guid>.download.
                var name = Path.GetFileName(file);
                if (name.Length > 64 && name[64] == '.' && !keep.Contains("sha256:" + name[..64]))
                {
                    TryDelete(file);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Pruning only saves disk space; the next assignments try again.
        }
    }

    /// <summary>Whether <paramref name="url"/> has the scheme, host and port of <paramref name="origin"/>.</summary>
    public static bool SameOrigin(Uri url, Uri origin) =>
        url.IsAbsoluteUri && origin.IsAbsoluteUri
        && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
        && string.Equals(url.Scheme, origin.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(url.IdnHost, origin.IdnHost, StringComparison.OrdinalIgnoreCase)
        && url.Port == origin.Port;

    async Task<string?> DownloadAsync(BundleAssignment assignment, string path, CancellationToken cancellationToken)
    {
        var temporary = $"{path}.{Guid.NewGuid():N}.download";
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, assignment.PackageUrl);
            request.Headers.Authorization = _authorization;
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return response.StatusCode switch
                {
                    HttpStatusCode.Unauthorized => BundleErrors.Unauthorized,
                    HttpStatusCode.Forbidden => BundleErrors.Forbidden,
                    HttpStatusCode.NotFound => BundleErrors.NotFound,
                    _ => BundleErrors.HttpStatus((int)response.StatusCode, response.ReasonPhrase),
                };
            }
            var expected = assignment.PackageSize;
            if (response.Content.Headers.ContentLength is { } length && length != expected)
            {
                return BundleErrors.SizeMismatch(expected, length);
            }
            var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (body.ConfigureAwait(false))
            {
                var (size, digest, tooLong) = await CopyAndHashAsync(body, temporary, expected, cancellationToken).ConfigureAwait(false);
                if (tooLong)
                {
                    return BundleErrors.TooLong(expected);
                }
                if (size != expected)
                {
                    return BundleErrors.SizeMismatch(expected, size);
                }
                if (digest != assignment.Digest)
                {
                    return BundleErrors.DigestMismatch(assignment.Digest, digest);
                }
            }
            File.Move(temporary, path, overwrite: true);
            Interlocked.Increment(ref _downloads);
            BundleLog.Downloaded(_logger, assignment.Name, assignment.Version, expected);
            return null;
        }
        catch (HttpRequestException e)
        {
            return BundleErrors.Network(e.Message);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // HttpClient.Timeout surfaces as a cancellation the caller did not ask for.
            return BundleErrors.TimedOut;
        }
        catch (IOException e) when (e.InnerException is HttpRequestException or System.Net.Sockets.SocketException)
        {
            return BundleErrors.Network(e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return BundleErrors.CacheFailed(e.Message);
        }
        finally
        {
            TryDelete(temporary);
        }
    }

    /// <summary>Copies at most <paramref name="limit"/> bytes of <paramref name="source"/> to a new file, hashing them.</summary>
    static async Task<(long Size, string Digest, bool TooLong)> CopyAndHashAsync(Stream source, string path, long limit, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, useAsync: true);
        await using (file.ConfigureAwait(false))
        {
            var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
            try
            {
                long size = 0;
                int read;
                while ((read = await source.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken).ConfigureAwait(false)) > 0)
                {
                    size += read;
                    if (size > limit)
                    {
                        return (size, "", true);
                    }
                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                }
                return (size, "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset()), false);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>Whether the cached file still has the assignment's size and digest.</summary>
    static async Task<bool> VerifyAsync(string path, BundleAssignment assignment, CancellationToken cancellationToken)
    {
        try
        {
            var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, useAsync: true);
            await using (file.ConfigureAwait(false))
            {
                if (file.Length != assignment.PackageSize)
                {
                    return false;
                }
                var hash = await SHA256.HashDataAsync(file, cancellationToken).ConfigureAwait(false);
                return "sha256:" + Convert.ToHexStringLower(hash) == assignment.Digest;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    static string Hex(string digest) => digest["sha256:".Length..];

    static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A stray file is harmless: its name is unique, or it fails verification and is replaced.
        }
    }
}
