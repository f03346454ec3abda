using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Platform.ServiceDefaults.Data;
using Platform.ServiceDefaults.Security;

namespace Platform.ServiceDefaults.Tests;

/// <summary>
/// Contexts with encrypted columns get their protector through their options (so they can be pooled). Two services in
/// one process, each with its own key, must each encrypt with their own key: EF caches models, and a model shared
/// between them would write one service's personal data under the other's key.
/// </summary>
public sealed class PersonalDataColumnsTests
{
    [Fact]
    public void Each_protector_gets_a_model_of_its_own_so_a_column_is_encrypted_with_its_services_key()
    {
        var first = new PersonalDataProtector(Convert.FromBase64String(PersonalDataProtector.NewKey()));
        var second = new PersonalDataProtector(Convert.FromBase64String(PersonalDataProtector.NewKey()));

        var storedByFirst = Encrypt(first, "张三 13800138000");
        var storedBySecond = Encrypt(second, "张三 13800138000");

        Assert.Equal("张三 13800138000", first.Unprotect(storedByFirst));
        Assert.Equal("张三 13800138000", second.Unprotect(storedBySecond));
        Assert.ThrowsAny<Exception>(() => first.Unprotect(storedBySecond));
    }

    [Fact]
    public void A_context_with_encrypted_columns_refuses_to_start_without_a_protector()
    {
        var options = new DbContextOptionsBuilder<NotebookDb>().UseNpgsql("Host=localhost").Options;

        var error = Assert.Throws<InvalidOperationException>(() => new NotebookDb(options));

        Assert.Contains("AddPersonalDataProtection", error.Message, StringComparison.Ordinal);
    }

    private static string Encrypt(PersonalDataProtector protector, string plain)
    {
        var options = new DbContextOptionsBuilder<NotebookDb>().UseNpgsql("Host=localhost").UsePersonalDataProtector(protector).Options;
        using var db = new NotebookDb(options);
        var converter = db.Model.FindEntityType(typeof(Note))!.FindProperty(nameof(Note.Text))!.GetValueConverter()!;
        return (string)converter.ConvertToProvider(plain)!;
    }

    private sealed class Note
    {
        public Guid Id { get; set; }
        public string Text { get; set; } = "";
    }

    private sealed class NotebookDb(DbContextOptions<NotebookDb> options) : DbContext(options)
    {
        private readonly PersonalDataProtector _protector = options.PersonalDataProtector();

        protected override void OnModelCreating(ModelBuilder modelBuilder) =>
            modelBuilder.Entity<Note>().Property(x => x.Text).HasConversion((ValueConverter)_protector.Converter);
    }
}
