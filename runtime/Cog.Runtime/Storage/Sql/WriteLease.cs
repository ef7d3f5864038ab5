using System.Data.Common;

namespace Cog.Runtime.Storage.Sql;

/// <summary>A connection held for writing; disposing it closes (or returns) the connection and releases the lock.</summary>
sealed class WriteLease(DbConnection connection, bool ownsConnection, Action? release) : IAsyncDisposable
{
    public DbConnection Connection => connection;

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (ownsConnection)
                await connection.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            release?.Invoke();
        }
    }
}
