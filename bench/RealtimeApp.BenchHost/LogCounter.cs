using System.Collections.Concurrent;

/// <summary>
/// The bench host's only logger: it writes nothing (the console stays quiet on the hot path) and counts the events
/// at Warning and at Error or above, keeping the last few Error ones for <c>GET /stats</c>. Below Warning
/// <see cref="IsEnabled"/> is false, so Debug and Information messages cost nothing.
/// </summary>
internal sealed class LogCounter : ILoggerProvider
{
    private const int KeptErrors = 5;

    private readonly ConcurrentQueue<string> _lastErrors = new();
    private long _errors;
    private long _warnings;

    /// <summary>Log events at Error or Critical since start.</summary>
    public long Errors => Interlocked.Read(ref _errors);

    /// <summary>Log events at Warning since start.</summary>
    public long Warnings => Interlocked.Read(ref _warnings);

    /// <summary>The last few Error-or-above messages: "level category: message (exception)".</summary>
    public string[] LastErrors => _lastErrors.ToArray();

    public ILogger CreateLogger(string categoryName) => new Counter(this, categoryName);

    public void Dispose()
    {
    }

    private void Count(LogLevel level, string category, string message, Exception? exception)
    {
        if (level == LogLevel.Warning)
        {
            Interlocked.Increment(ref _warnings);
            return;
        }
        Interlocked.Increment(ref _errors);
        var text = $"{level} {category}: {message}";
        if (exception is not null)
        {
            text += $" ({exception.GetType().Name}: {exception.Message})";
        }
        _lastErrors.Enqueue(text.Length > 500 ? text[..500] : text);
        while (_lastErrors.Count > KeptErrors && _lastErrors.TryDequeue(out _))
        {
        }
    }

    private sealed class Counter(LogCounter owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel is >= LogLevel.Warning and < LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                owner.Count(logLevel, category, formatter(state, exception), exception);
            }
        }
    }
}
