using System.Data.Common;

namespace Cog.Runtime.Storage.Sql;

/// <summary>Runs parameterized statements on one connection (and transaction, if any). Parameters are named
/// <c>@name</c> in SQL text, which both providers accept.</summary>
sealed class SqlContext(DbConnection connection, DbTransaction? transaction)
{
    public DbCommand Command(string sql, (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
        return command;
    }

    public async Task<int> ExecuteAsync(string sql, (string Name, object? Value)[] parameters, CancellationToken cancellationToken)
    {
        await using var command = Command(sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<object?> ScalarAsync(string sql, (string Name, object? Value)[] parameters, CancellationToken cancellationToken)
    {
        await using var command = Command(sql, parameters);
        var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is DBNull ? null : value;
    }

    public async Task<bool> ExistsAsync(string sql, (string Name, object? Value)[] parameters, CancellationToken cancellationToken) =>
        await ScalarAsync(sql, parameters, cancellationToken).ConfigureAwait(false) is not null;

    public async Task<List<T>> QueryAsync<T>(
        string sql, (string Name, object? Value)[] parameters, Func<DbDataReader, T> map, CancellationToken cancellationToken)
    {
        await using var command = Command(sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var results = new List<T>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            results.Add(map(reader));
        return results;
    }

    /// <summary>Runs <paramref name="before"/> (no parameters, its result ignored), then the query — in one round trip
    /// when the provider batches statements (<see cref="DbConnection.CanCreateBatch"/>), each statement still seeing
    /// what the one before it did.</summary>
    public async Task<List<T>> QueryAfterAsync<T>(
        string before, string sql, (string Name, object? Value)[] parameters, Func<DbDataReader, T> map, CancellationToken cancellationToken)
    {
        if (!connection.CanCreateBatch)
        {
            await ExecuteAsync(before, [], cancellationToken).ConfigureAwait(false);
            return await QueryAsync(sql, parameters, map, cancellationToken).ConfigureAwait(false);
        }
        await using var batch = connection.CreateBatch();
        batch.Transaction = transaction;
        var first = batch.CreateBatchCommand();
        first.CommandText = before;
        batch.BatchCommands.Add(first);
        var second = batch.CreateBatchCommand();
        second.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = second.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            second.Parameters.Add(parameter);
        }
        batch.BatchCommands.Add(second);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        var results = new List<T>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            results.Add(map(reader));
        return results;
    }

    public async Task<T?> SingleAsync<T>(
        string sql, (string Name, object? Value)[] parameters, Func<DbDataReader, T> map, CancellationToken cancellationToken)
        where T : class
    {
        await using var command = Command(sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? map(reader) : null;
    }
}
