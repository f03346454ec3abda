namespace Platform.Volunteers.Domain;

/// <summary>An uploaded photo, recognised by its content (the file's signature), never by its name or declared type.</summary>
public sealed record PhotoContent(string ContentType, byte[] Bytes)
{
    public const int MaxBytes = 5 * 1024 * 1024;

    private static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF];
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>A JPEG or PNG of at most 5 MB, or the reason it is refused.</summary>
    public static (PhotoContent? Photo, string? Error) Recognise(byte[] bytes)
    {
        if (bytes.Length == 0)
        {
            return (null, "The photo is empty.");
        }
        if (bytes.Length > MaxBytes)
        {
            return (null, $"The photo must be at most {MaxBytes / (1024 * 1024)} MB.");
        }
        if (bytes.AsSpan().StartsWith(Jpeg) && bytes.Length > 4)
        {
            return (new PhotoContent("image/jpeg", bytes), null);
        }
        if (bytes.AsSpan().StartsWith(Png) && bytes.Length > 16 && bytes.AsSpan(12, 4).SequenceEqual("IHDR"u8))
        {
            return (new PhotoContent("image/png", bytes), null);
        }
        return (null, "The photo must be a JPEG or PNG image.");
    }
}
