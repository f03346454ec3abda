using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Platform.Identity.Application;
using Platform.Identity.Data;
using Platform.Identity.Domain;
using Platform.ServiceDefaults.Security;

namespace Platform.Identity.Apis;

public sealed record PhoneCodeRequest(string? Phone);

/// <param name="Code">Only in local runs (Development), so a developer can sign in without an SMS; never elsewhere.</param>
public sealed record PhoneCodeSent(DateTimeOffset ExpiresAt, int Digits, string? Code = null);

public static class PhoneCodesApi
{
    public const string PerHourSetting = "Identity:PhoneCodes:PerHour";
    public const int DefaultPerHour = 5;
    private static readonly TimeSpan Window = TimeSpan.FromHours(1);
    private static readonly TimeSpan Retention = TimeSpan.FromDays(1);

    public static RouteGroupBuilder MapPhoneCodesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/phone-codes").WithTags("Worker sign-in");
        group.MapPost("/", Send)
            // A worker who is not signed in yet asks for a code: this is how they sign in.
            .AllowAnonymous()
            .WithName("SendPhoneCode")
            .WithSummary("Send a one-time sign-in code to a worker's phone")
            .WithDescription(
                $"Sends a six-digit code, valid for 5 minutes and usable once, to the phone. Exchange it at /connect/token with " +
                $"grant_type={PlatformClients.PhoneCodeGrantType}, client_id={PlatformClients.App}, phone and code. A new code retires the " +
                $"earlier ones; a few codes per number per hour at most (then 429 with Retry-After).");
        return group;
    }

    internal static async Task<Results<Accepted<PhoneCodeSent>, ValidationProblem, ProblemHttpResult>> Send(
        PhoneCodeRequest request, HttpContext http, IdentityDb db, PersonalDataProtector protector, IPhoneCodeSender sender,
        TimeProvider clock, IHostEnvironment environment, IConfiguration configuration, CancellationToken ct)
    {
        var phone = PhoneNumber.Normalize(request.Phone);
        if (phone is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["phone"] = ["phone must be a mainland China mobile number (11 digits starting with 1)."],
            });
        }
        var perHour = configuration.GetValue(PerHourSetting, DefaultPerHour);
        var phoneIndex = protector.BlindIndex(phone);
        var now = clock.GetUtcNow();

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // One request per number at a time, so that simultaneous requests cannot pass the hourly limit together.
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({phoneIndex}, 0))", ct);
        await db.PhoneCodes.Where(c => c.PhoneIndex == phoneIndex && c.IssuedAt < now - Retention).ExecuteDeleteAsync(ct);
        var recent = await db.PhoneCodes.Where(c => c.PhoneIndex == phoneIndex && c.IssuedAt > now - Window)
            .OrderBy(c => c.IssuedAt).Select(c => c.IssuedAt).ToListAsync(ct);
        if (recent.Count >= perHour)
        {
            var retryAfter = recent[^perHour] + Window - now;
            http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many codes for this number.",
                detail: $"At most {perHour} codes per number per hour; try again after the time in Retry-After (seconds).");
        }
        var (code, plain) = PhoneCode.Issue(phoneIndex, now, protector.BlindIndex);
        db.PhoneCodes.Add(code);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);

        try
        {
            await sender.SendAsync(phone, plain, ct);
        }
        catch (PhoneCodeNotSentException ex)
        {
            // The code is stored but never arrived: the worker asks again (a new code retires this one).
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "The code could not be sent.",
                detail: $"{ex.Message} Ask for a new code in a moment.");
        }
        return TypedResults.Accepted((string?)null, new PhoneCodeSent(code.ExpiresAt, PhoneCode.Digits, environment.IsDevelopment() ? plain : null));
    }
}
