using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Platform.ServiceDefaults.Http;
using Platform.ServiceDefaults.Security;
using Platform.Training.Data;
using Platform.Training.Domain;

namespace Platform.Training.Apis;

/// <summary>What anyone (an employer) sees when checking a certificate: no more than is printed on it, the name masked.</summary>
public sealed record CertificateVerification(string Code, string Holder, string Course, CourseKind Kind, string Provider, DateOnly IssuedOn);

/// <summary>The holder's own certificate, with their name as printed.</summary>
public sealed record MyCertificate(Guid Id, string Code, Guid CourseId, string Course, CourseKind Kind, string Provider, string HolderName, DateOnly IssuedOn, string VerifyPath);

public static class CertificatesApi
{
    public static IEndpointRouteBuilder MapCertificatesApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/certificates/{code}", Verify)
            .WithTags("Certificates")
            .AllowAnonymous()
            .WithName("VerifyCertificate")
            .WithSummary("Verify a certificate by its code (no sign-in)")
            .WithDescription("Anyone with the code (e.g. an employer) sees the course, the provider, the date and the holder's masked name. Any case, dashes optional. An unknown code is 404.");
        app.MapGet("/me/certificates", Mine)
            .WithTags("Certificates")
            .RequireRoles(PlatformRoles.Worker)
            .WithName("ListMyCertificates")
            .WithSummary("My certificates, newest first");
        return app;
    }

    internal static async Task<Results<Ok<CertificateVerification>, NotFound>> Verify(string code, TrainingDb db, CancellationToken ct)
    {
        var normalized = Certificate.Normalize(code);
        if (normalized is null)
        {
            return TypedResults.NotFound();
        }
        var c = await db.Certificates.AsNoTracking().FirstOrDefaultAsync(x => x.Code == normalized, ct);
        return c is null
            ? TypedResults.NotFound()
            : TypedResults.Ok(new CertificateVerification(c.DisplayCode, Mask.Name(c.HolderName), c.CourseTitle, c.CourseKind, c.ProviderName, c.IssuedOn));
    }

    internal static async Task<Results<Ok<Page<MyCertificate>>, ValidationProblem>> Mine(
        ClaimsPrincipal user, TrainingDb db, [AsParameters] PageQuery paging, CancellationToken ct)
    {
        var workerId = user.WorkerId()!.Value;
        var query = db.Certificates.AsNoTracking().Where(c => c.WorkerId == workerId);
        var page = await query.OrderByDescending(c => c.IssuedAt).ThenBy(c => c.Id).ToPageAsync(paging, ct);
        return TypedResults.Ok(page.Map(c => new MyCertificate(c.Id, c.DisplayCode, c.CourseId, c.CourseTitle, c.CourseKind, c.ProviderName, c.HolderName,
            c.IssuedOn, $"/certificates/{c.DisplayCode}")));
    }
}
