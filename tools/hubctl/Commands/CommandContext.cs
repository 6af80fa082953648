using Google.Protobuf;
using Grpc.Core;
using IntegrationHub.Hubctl.Configuration;
using IntegrationHub.Hubctl.Hub;
using IntegrationHub.Hubctl.Output;
using Spectre.Console;

namespace IntegrationHub.Hubctl.Commands;

/// <summary>What a command works with: the hub connection, stdout and stderr as consoles, <c>--json</c>, Ctrl+C.</summary>
internal sealed class CommandContext(HubConnection hub, TextWriter stdout, TextWriter stderr, IHubctlEnvironment environment, bool json, CancellationToken cancellation)
{
    private IAnsiConsole? console;
    private IAnsiConsole? errorConsole;

    public HubConnection Hub { get; } = hub;

    public IHubctlEnvironment Environment { get; } = environment;

    public TextWriter Stdout { get; } = stdout;

    public TextWriter Stderr { get; } = stderr;

    /// <summary><c>--json</c>: stdout carries the JSON response(s) only.</summary>
    public bool Json { get; } = json;

    public CancellationToken Cancellation { get; } = cancellation;

    /// <summary>Stdout as a console, for tables and views.</summary>
    public IAnsiConsole Console => console ??= ConsoleFactory.Create(Stdout, Environment.StandardOutput);

    /// <summary>Where progress and notes go: stdout, or stderr under <c>--json</c> so stdout stays parseable.</summary>
    public IAnsiConsole Progress => Json ? ErrorConsole : Console;

    public IAnsiConsole ErrorConsole => errorConsole ??= ConsoleFactory.Create(Stderr, Environment.StandardError);

    /// <summary>Call options with the key, purpose, a fresh 30 s deadline (unless given) and Ctrl+C.</summary>
    public CallOptions Call(TimeSpan? deadline = null) => Hub.Call(Cancellation, deadline);

    /// <summary>Call options for a server stream: the key, purpose and Ctrl+C, no deadline.</summary>
    public CallOptions Stream() => Hub.Stream(Cancellation);

    public void WriteJson(IMessage message) => JsonOutput.Write(Stdout, message);

    /// <summary>One message as one line of JSON, for a stream of responses.</summary>
    public void WriteJsonLine(IMessage message) => JsonOutput.WriteLine(Stdout, message);

    /// <summary>Whether the exception is the command stopping for Ctrl+C rather than a failure.</summary>
    public bool IsInterruption(Exception exception) =>
        Cancellation.IsCancellationRequested && exception is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled };
}
