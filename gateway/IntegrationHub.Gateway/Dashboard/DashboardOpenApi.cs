using IntegrationHub.Gateway.Security;
using Microsoft.OpenApi.Models;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace IntegrationHub.Gateway.Dashboard;

/// <summary>The dashboard's part of the one OpenAPI document: who may call each endpoint of its API, and what it needs.</summary>
public static class DashboardOpenApi
{
    public static void AddHubDashboard(this IServiceCollection services) =>
        services.ConfigureSwaggerGen(options => options.OperationFilter<DashboardOperationFilter>());
}

/// <summary>
/// Endpoint metadata for the document: the JSON body an endpoint reads itself. (ASP.NET Core's own <c>Accepts</c> would
/// also make routing refuse other content types with a bare 415, before the dashboard can answer in its error shape.)
/// </summary>
public sealed record DashboardRequestBody(Type Type)
{
    public static DashboardRequestBody Note { get; } = new(typeof(FindingNoteRequest));
}

/// <summary>
/// Says in the document what every dashboard endpoint needs: the bearer key, the roles of its gRPC twin
/// (<see cref="DashboardTwin"/>), and for person-level twins the <c>x-purpose</c> header.
/// </summary>
internal sealed class DashboardOperationFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (context.ApiDescription.RelativePath?.StartsWith(DashboardEndpoints.ApiPrefix.TrimStart('/'), StringComparison.Ordinal) != true)
        {
            return;
        }

        var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
        if (metadata.OfType<DashboardRequestBody>().FirstOrDefault() is { } body)
        {
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = { ["application/json"] = new OpenApiMediaType { Schema = context.SchemaGenerator.GenerateSchema(body.Type, context.SchemaRepository) } },
            };
        }

        var bearer = new OpenApiSecurityScheme { Reference = new OpenApiReference { Type = ReferenceType.SecurityScheme, Id = "bearer" } };
        operation.Security.Add(new OpenApiSecurityRequirement { [bearer] = [] });
        if (metadata.OfType<DashboardTwin>().FirstOrDefault() is not { } twin)
        {
            operation.Description = $"Roles: any of {string.Join(", ", DashboardAccess.AnyViewRoles)} (the session: what of the dashboard the key may use).";
            return;
        }

        operation.Description = $"Roles: {string.Join(", ", twin.Policy.Roles.Order(StringComparer.Ordinal))}, as {twin.Name}.";
        if (twin.Policy.PersonLevel)
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
