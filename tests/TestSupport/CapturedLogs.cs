using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Platform.TestSupport;

/// <summary>
/// A log sink for tests: every entry at every level as a sink sees it (after redaction), with its message, its
/// structured properties, its scopes and its exception, as one line of text to search.
/// Register with <c>services.AddSingleton&lt;ILoggerProvider&gt;(captured)</c> in a ServiceFactory's configureServices.
/// </summary>
public sealed class CapturedLogs : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<string> _lines = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IReadOnlyCollection<string> Lines => _lines;

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, this);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    /// <summary>The lines that contain <paramref name="text"/> (ordinal, case-insensitive).</summary>
    public IReadOnlyList<string> Containing(string text) =>
        [.. _lines.Where(l => l.Contains(text, StringComparison.OrdinalIgnoreCase))];

    public void Dispose() { }

    private sealed class Logger(string category, CapturedLogs owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = new StringBuilder();
            line.Append(CultureInfo.InvariantCulture, $"{logLevel} {category}[{eventId.Id}]: {formatter(state, exception)}");
            if (state is IEnumerable<KeyValuePair<string, object?>> properties)
            {
                foreach (var (key, value) in properties)
                {
                    line.Append(CultureInfo.InvariantCulture, $" {key}={value}");
                }
            }
            owner._scopes.ForEachScope((scope, text) =>
            {
                text.Append(" scope:");
                if (scope is IEnumerable<KeyValuePair<string, object?>> values)
                {
                    foreach (var (key, value) in values)
                    {
                        text.Append(CultureInfo.InvariantCulture, $" {key}={value}");
                    }
                }
                else
                {
                    text.Append(scope);
                }
            }, line);
            if (exception is not null)
            {
                line.Append(' ').Append(exception);
            }
            owner._lines.Enqueue(line.ToString());
        }
    }
}
