using Xunit.Abstractions;
using Xunit.Sdk;

namespace IntegrationHub.Adapters.Testing.Fuzzing;

/// <summary>
/// Where a fuzz class writes its summary line: the test's own output (<see cref="ITestOutputHelper"/>, shown with the
/// test's result in an IDE or a TRX report) and xUnit's diagnostic messages, which <c>dotnet test</c> prints at its
/// default verbosity, as <c>[xUnit.net 00:00:03.21] IntegrationHub.Adapters.Police.Tests: fuzz police-json: …</c>.
/// </summary>
/// <remarks>
/// Why the diagnostic sink: with xunit 2.9 and xunit.runner.visualstudio 3.1, <c>dotnet test</c> shows a passing test's
/// <see cref="ITestOutputHelper"/> lines only at detailed verbosity, and neither <see cref="Console.Out"/> nor
/// <see cref="Console.Error"/> of the test host reaches its console (xunit.runner.json's <c>showLiveOutput</c> is an
/// xUnit v3 setting). A diagnostic message is printed as soon as the runner has <c>"diagnosticMessages": true</c>, which
/// each adapter test project sets in its <c>xunit.runner.json</c>. The sink is handed to class fixtures only, so a fuzz
/// class takes this as its fixture: <c>IClassFixture&lt;FuzzOutputSink&gt;</c>.
/// </remarks>
public sealed class FuzzOutput(FuzzOutputSink sink, ITestOutputHelper output)
{
    public void WriteLine(string line)
    {
        output.WriteLine(line);
        sink.WriteLine(line);
    }
}

/// <summary>A class fixture holding xUnit's diagnostic message sink (see <see cref="FuzzOutput"/>).</summary>
public sealed class FuzzOutputSink(IMessageSink diagnostics)
{
    public void WriteLine(string line) => diagnostics.OnMessage(new DiagnosticMessage(line));
}
