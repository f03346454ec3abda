using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Validation;

namespace Platform.Stations.Domain;

/// <summary>A message in a station's guest book (小哥留言簿): a worker writes, the keeper replies, staff hide abuse.</summary>
public sealed class GuestBookEntry
{
    public const int TextMaxLength = 500;
    public const int ReasonMaxLength = 200;

    public Guid Id { get; private set; }
    public Guid StationId { get; private set; }
    /// <summary>The author; never shown to others (a guest book is signed "a rider", not by name).</summary>
    public Guid WorkerId { get; private set; }
    public string Text { get; private set; } = "";
    public DateTimeOffset WrittenAt { get; private set; }
    public string? Reply { get; private set; }
    public DateTimeOffset? RepliedAt { get; private set; }
    public bool Hidden { get; private set; }
    public string? HiddenReason { get; private set; }
    public DateTimeOffset? HiddenAt { get; private set; }

    private GuestBookEntry() { }

    public static Validated<GuestBookEntry> Write(Guid stationId, Guid workerId, string? text, DateTimeOffset now)
    {
        var errors = new FieldErrors();
        var valid = errors.Text("text", text, TextMaxLength);
        return errors.Any
            ? Validated<GuestBookEntry>.Invalid(errors)
            : Validated<GuestBookEntry>.Ok(new GuestBookEntry { Id = Guid.CreateVersion7(now), StationId = stationId, WorkerId = workerId, Text = valid, WrittenAt = now.ToDatabasePrecision() });
    }

    /// <summary>The keeper's reply; a second reply replaces the first (a correction).</summary>
    public FieldErrors ReplyWith(string? text, DateTimeOffset now)
    {
        var errors = new FieldErrors();
        var valid = errors.Text("text", text, TextMaxLength);
        if (!errors.Any)
        {
            Reply = valid;
            RepliedAt = now.ToDatabasePrecision();
        }
        return errors;
    }

    public FieldErrors Hide(string? reason, DateTimeOffset now)
    {
        var errors = new FieldErrors();
        var valid = errors.Text("reason", reason, ReasonMaxLength);
        if (!errors.Any)
        {
            Hidden = true;
            HiddenReason = valid;
            HiddenAt = now.ToDatabasePrecision();
        }
        return errors;
    }
}
