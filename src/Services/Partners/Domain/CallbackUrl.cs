namespace Platform.Partners.Domain;

/// <summary>The rules a callback URL must meet before any address is looked at.</summary>
public static class CallbackUrl
{
    public const int MaxLength = 2000;

    /// <summary>
    /// Parses and checks the URL's form; returns the error a partner should read, or null. Plain http is accepted
    /// only where <paramref name="httpAllowed"/> says so (Development, or a host an operator allow-listed for local runs).
    /// </summary>
    public static string? FormError(string url, Func<string, bool> httpAllowed, out Uri? parsed)
    {
        ArgumentNullException.ThrowIfNull(httpAllowed);
        parsed = null;
        if (string.IsNullOrWhiteSpace(url) || url.Length > MaxLength || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return $"Must be an absolute URL of at most {MaxLength} characters.";
        }
        if (uri.Scheme != Uri.UriSchemeHttps && !(uri.Scheme == Uri.UriSchemeHttp && httpAllowed(uri.IdnHost)))
        {
            return "Must use https.";
        }
        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return "Must not carry a user name or password; the signature authenticates the platform.";
        }
        if (!string.IsNullOrEmpty(uri.Fragment))
        {
            return "Must not have a fragment.";
        }
        parsed = uri;
        return null;
    }
}
