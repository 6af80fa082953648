using Google.Protobuf.Reflection;
using Google.Rpc;
using Grpc.AspNetCore.Server;
using IntegrationHub.Gateway.Security;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;
using Microsoft.OpenApi.Models;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace IntegrationHub.Gateway.Json;

/// <summary>
/// The unary RPCs as JSON over HTTP/1.1, for agencies that cannot speak gRPC: gRPC JSON transcoding of the protos'
/// <c>google.api.http</c> rules. A JSON call goes through the same interceptors as a gRPC one (audit, errors,
/// credentials and purpose, limits); <see cref="JsonRequestGuard"/> adds what HTTP needs on top. One OpenAPI document
/// at <see cref="DocumentRoute"/> describes every JSON endpoint: the transcoded RPCs and the dashboard's API.
/// </summary>
public static class JsonApi
{
    public const string DocumentName = "v1";
    public const string DocumentRoute = "/openapi/{documentName}.json";

    /// <summary>What a JSON error's <c>details</c> may hold, so that they are written as typed JSON.</summary>
    private static readonly MessageDescriptor[] ErrorDetails = [ErrorInfo.Descriptor, BadRequest.Descriptor, RetryInfo.Descriptor];

    /// <summary>
    /// Transcoding, the OpenAPI document, and ASP.NET Core's request log turned off below warnings: it writes every URL,
    /// and a client may put a resident ID in one by mistake (the guard refuses such a call, after that log was written).
    /// </summary>
    public static void AddHubJsonApi(this IGrpcServerBuilder grpc, ILoggingBuilder logging)
    {
        logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
        grpc.AddJsonTranscoding(options => options.TypeRegistry = TypeRegistry.FromMessages(ErrorDetails));

        var services = grpc.Services;
        services.AddEndpointsApiExplorer();
        services.AddGrpcSwagger();
        services.AddSwaggerGen(options =>
        {
            options.SwaggerDoc(DocumentName, new OpenApiInfo
            {
                Title = "IntegrationHub",
                Version = DocumentName,
                Description =
                    "The hub's JSON endpoints on the HTTP/1.1 port: the unary RPCs of the gRPC contract (paths under /v1/) and the " +
                    "operator dashboard's API (/dashboard/api/). Every call needs 'Authorization: Bearer <key>'; person-level calls " +
                    "also 'x-purpose'. Resident IDs go only in request bodies, never in a URL. Errors of /v1/ calls are " +
                    "google.rpc.Status JSON with an ErrorInfo in domain 'integrationhub'.",
            });

            // The proto comments, compiled into the gateway's XML documentation by Grpc.Tools, describe the RPCs and messages.
            var documentation = Path.Combine(AppContext.BaseDirectory, typeof(JsonApi).Assembly.GetName().Name + ".xml");
            options.IncludeXmlComments(documentation);
            options.IncludeGrpcXmlComments(documentation, includeControllerXmlComments: true);
            options.AddSecurityDefinition("bearer", new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "An API key of the hub (keys add --name NAME --role ROLE).",
            });
            options.OperationFilter<JsonOperationFilter>();
        });
    }

    /// <summary>
    /// Maps a gRPC service: its gRPC methods on the gRPC ports (<paramref name="grpcHosts"/>), its transcoded JSON
    /// routes on the HTTP/1.1 port (<paramref name="httpHost"/>) only, so that neither port serves the other's protocol.
    /// </summary>
    public static GrpcServiceEndpointConventionBuilder MapHubGrpcService<TService>(this IEndpointRouteBuilder app, string[] grpcHosts, string httpHost)
        where TService : class
    {
        var service = app.MapGrpcService<TService>();
        service.Add(endpoint => endpoint.Metadata.Add(
            new HostAttribute(endpoint.Metadata.OfType<GrpcJsonTranscodingMetadata>().Any() ? [httpHost] : grpcHosts)));
        return service;
    }

    /// <summary>Serves the OpenAPI document and puts the guard in front of every transcoded call.</summary>
    public static void MapHubJsonApi(this WebApplication app, string httpHost)
    {
        app.UseMiddleware<JsonRequestGuard>();
        app.MapSwagger(DocumentRoute).RequireHost(httpHost);
    }

    /// <summary>The gRPC method behind a transcoded endpoint, e.g. <c>/integrationhub.v1.ViewService/GetPerson</c>.</summary>
    internal static string FullName(GrpcJsonTranscodingMetadata call) => $"/{call.MethodDescriptor.Service.FullName}/{call.MethodDescriptor.Name}";
}

/// <summary>
/// Says in the document what every transcoded operation needs: the bearer key, and for person-level methods
/// (<see cref="MethodPolicies"/>) the <c>x-purpose</c> header.
/// </summary>
internal sealed class JsonOperationFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<GrpcJsonTranscodingMetadata>().FirstOrDefault() is not { } call)
        {
            return;
        }

        var bearer = new OpenApiSecurityScheme { Reference = new OpenApiReference { Type = ReferenceType.SecurityScheme, Id = "bearer" } };
        operation.Security.Add(new OpenApiSecurityRequirement { [bearer] = [] });
        var policy = MethodPolicies.For(JsonApi.FullName(call));
        if (policy is null)
        {
            return;
        }

        operation.Description = $"{operation.Description}\n\nRoles: {string.Join(", ", policy.Roles.Order(StringComparer.Ordinal))}.".TrimStart();
        if (policy.PersonLevel)
        {
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = AuthInterceptor.PurposeHeader,
                In = ParameterLocation.Header,
                Required = true,
                Description = "Why personal data is read: one of the hub's purposes (Hub:Security:Purposes) that the key's role may claim.",
                Schema = new OpenApiSchema { Type = "string" },
            });
        }
    }
}
