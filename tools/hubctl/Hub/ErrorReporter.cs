using System.Net.Sockets;
using System.Text;
using Google.Rpc;
using Grpc.Core;

namespace IntegrationHub.Hubctl.Hub;

/// <summary>
/// Turns a failed call into the one stderr line CONVENTIONS.md fixes: <c>error: &lt;StatusCode&gt;: &lt;message&gt;</c>.
/// Field violations of a <c>google.rpc.BadRequest</c> detail are appended when the message does not already
/// carry them; an unreachable hub is said as such, with its address.
/// </summary>
internal static class ErrorReporter
{
    public static string Format(RpcException error, string hubAddress)
    {
        if (error.StatusCode == StatusCode.Unavailable && TransportFailure(error.Status.DebugException) is { } cause)
        {
            return Line(error.StatusCode, $"cannot reach the hub at {hubAddress} ({cause})");
        }

        var message = error.Status.Detail;
        var violations = Violations(error);
        if (violations.Count > 0)
        {
            var missing = violations.Where(v => !message.Contains(v, StringComparison.Ordinal)).ToList();
            if (missing.Count > 0)
            {
                message = message.Length == 0 ? string.Join("; ", missing) : $"{message} ({string.Join("; ", missing)})";
            }
        }

        return Line(error.StatusCode, message.Length == 0 ? "the hub gave no message" : message);
    }

    private static string Line(StatusCode code, string message) => $"error: {code}: {OneLine(message)}";

    private static string OneLine(string text)
    {
        var builder = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text.Trim())
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                space = true;
                continue;
            }

            if (space)
            {
                builder.Append(' ');
                space = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    /// <summary>The innermost message of a socket or HTTP failure behind an UNAVAILABLE, e.g. "Connection refused".</summary>
    private static string? TransportFailure(Exception? exception)
    {
        string? found = null;
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is SocketException or HttpRequestException or IOException)
            {
                found = e.Message;
            }
        }

        return found;
    }

    private static List<string> Violations(RpcException error)
    {
        var list = new List<string>();
        Google.Rpc.Status? status;
        try
        {
            status = error.GetRpcStatus();
        }
        catch (Google.Protobuf.InvalidProtocolBufferException)
        {
            return list;
        }

        if (status is null)
        {
            return list;
        }

        foreach (var detail in status.Details)
        {
            if (detail.TryUnpack<BadRequest>(out var badRequest))
            {
                list.AddRange(badRequest.FieldViolations.Select(v => $"{v.Field}: {v.Description}"));
            }
        }

        return list;
    }
}
