extern alias hubctl;

using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using hubctl::IntegrationHub.Hubctl.Hub;

namespace Hubctl.Tests.Hub;

public sealed class ErrorReporterTests
{
    private const string Hub = "http://127.0.0.1:5080";

    [Fact]
    public void Format_RpcException_ErrorCodeNameAndMessage()
    {
        var line = ErrorReporter.Format(new RpcException(new Grpc.Core.Status(StatusCode.Unauthenticated, "unknown key")), Hub);

        Assert.Equal("error: Unauthenticated: unknown key", line);
    }

    [Fact]
    public void Format_MultilineMessage_OneLine()
    {
        var line = ErrorReporter.Format(new RpcException(new Grpc.Core.Status(StatusCode.Internal, "first\n  second\r\nthird")), Hub);

        Assert.Equal("error: Internal: first second third", line);
    }

    [Fact]
    public void Format_BadRequestDetail_FieldViolationsAppended()
    {
        var status = new Google.Rpc.Status
        {
            Code = (int)Code.InvalidArgument,
            Message = "the resident ID cannot be normalised",
            Details =
            {
                Any.Pack(new ErrorInfo { Domain = "integrationhub", Reason = "RESIDENT_ID_INVALID" }),
                Any.Pack(new BadRequest { FieldViolations = { new BadRequest.Types.FieldViolation { Field = "resident_id", Description = "check character mismatch" } } }),
            },
        };

        var line = ErrorReporter.Format(status.ToRpcException(), Hub);

        Assert.Equal("error: InvalidArgument: the resident ID cannot be normalised (resident_id: check character mismatch)", line);
    }

    [Fact]
    public void Format_EmptyMessage_StillSaysSomething()
    {
        var line = ErrorReporter.Format(new RpcException(new Grpc.Core.Status(StatusCode.NotFound, string.Empty)), Hub);

        Assert.StartsWith("error: NotFound: ", line, StringComparison.Ordinal);
        Assert.True(line.Length > "error: NotFound: ".Length);
    }
}
