using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace RealtimeApp.SocketIO.IntegrationTests.Support;

/// <summary>One log event as a structured sink sees it: category, level, event name and named values.</summary>
internal sealed record CapturedLog(string Category, LogLevel Level, string? EventName, string Message,
    IReadOnlyDictionary<string, object?> Values)
{
    public string? Value(string name) => Values.TryGetValue(name, out var value) ? value?.ToString() : null;

    public override string ToString() => $"{Level} {Category} [{EventName}] {Message}";
}

/// <summary>
/// Keeps every log event of the server it is added to (through <c>ISocketIOBuilder.Services</c>), with its
/// structured values, so tests assert on fields rather than on formatted text.
/// </summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedLog> _events = new();

    public IReadOnlyList<CapturedLog> Events => [.. _events];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter)
        {
            var values = state is IReadOnlyList<KeyValuePair<string, object?>> pairs
                ? pairs.ToDictionary(p => p.Key, p => p.Value)
                : new Dictionary<string, object?>();
            provider._events.Enqueue(new CapturedLog(category, logLevel, eventId.Name, formatter(state, exception), values));
        }
    }
}
