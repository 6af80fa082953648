using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Adapters.HumanResources.Tests.Fakes;

/// <summary>Keeps every log line (message and exception text) so a test can assert what was, and was not, logged.</summary>
public sealed class CapturingLogger<T> : ILogger<T>
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        Lines.Enqueue($"{logLevel}: {formatter(state, exception)} {exception}");
    }
}
