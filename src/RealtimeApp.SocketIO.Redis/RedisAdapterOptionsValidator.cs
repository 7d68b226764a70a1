using Microsoft.Extensions.Configuration;
using RealtimeApp.SocketIO.Hosting;
using StackExchange.Redis;

namespace RealtimeApp.SocketIO.Redis;

/// <summary>
/// Checks <see cref="RedisAdapterOptions"/> at host start: the connection string is only parsed when the first
/// namespace needs the adapter, so a typo there would otherwise surface at the first connection, not at start.
/// </summary>
internal sealed class RedisAdapterOptionsValidator(IConfiguration? configuration = null)
    : SettingsValidator<RedisAdapterOptions>(configuration)
{
    protected override void Check(RedisAdapterOptions options, SettingProblems problems)
    {
        if (ParseError(options.Configuration) is { } error)
        {
            // A connection string may carry a password: the line names the key and the error, not the value.
            problems.AddLine($"{problems.Key(nameof(options.Configuration))} = {SettingProblems.Format(SettingProblems.Redacted(options.Configuration))}: "
                + $"must be a StackExchange.Redis configuration such as redis:6379 ({error})");
        }
        problems.NotEmpty(nameof(options.Key), options.Key, "every channel name starts with it");
        problems.Timer(nameof(options.RequestsTimeout), options.RequestsTimeout);
        if (options.Mode == RedisAdapterMode.Streams)
        {
            problems.NotEmpty(nameof(options.StreamName), options.StreamName, "it is the stream's key");
            problems.NotEmpty(nameof(options.SessionKeyPrefix), options.SessionKeyPrefix, "session keys start with it");
            problems.AtLeast(nameof(options.StreamCount), options.StreamCount, 1);
            problems.AtLeast(nameof(options.MaxLength), options.MaxLength, 1);
            problems.AtLeast(nameof(options.ReadCount), options.ReadCount, 1);
            problems.Timer(nameof(options.BlockTime), options.BlockTime);
        }
    }

    private static string? ParseError(string? configuration)
    {
        if (string.IsNullOrWhiteSpace(configuration))
        {
            return "it is empty";
        }
        try
        {
            return ConfigurationOptions.Parse(configuration).EndPoints.Count == 0 ? "it names no host" : null;
        }
        catch (ArgumentException ex)
        {
            return ex.Message;
        }
    }
}
